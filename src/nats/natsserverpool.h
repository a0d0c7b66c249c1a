#pragma once

#include "natserror.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

struct NatsConnectOptions;

// The servers a connection may use, which one is current, and when each may be tried again: round
// robin, with a per-server wait that grows with its failures, plus jitter (nats.go's pacing). Servers
// that fail too often, or refuse the same credentials twice, leave the pool; servers announced in INFO
// connect_urls join it. No sockets and no timers: the connection asks, waits and reports back.
class NatsServerPool final
{
public:
    struct Server
    {
        QUrl url;
        QElapsedTimer lastAttempt; // invalid until the server is first tried
        int failedAttempts = 0;    // since the last successful handshake
        NatsError lastAuthError;
        bool implicit = false; // learned from INFO connect_urls
    };

    // The wait doubles with each failed attempt on a server, up to this many times the reconnect wait.
    static constexpr int MaxReconnectWaitFactor = 4;

    // Starts over with the servers of options: its server list, else its text parsed, else the local
    // default; shuffled when options.randomizeServers. False with *errorMessage set (and the pool left
    // as it was) when the text does not parse.
    bool reset(const NatsConnectOptions &options, QString *errorMessage);
    // Starts over with urls, in the order given, none of them tried yet and none current.
    void reset(const QList<QUrl> &urls);

    bool isEmpty() const { return m_servers.isEmpty(); }
    qsizetype size() const { return m_servers.size(); }
    const QList<Server> &servers() const { return m_servers; }
    QList<QUrl> urls() const;
    bool hasCurrent() const { return m_index >= 0 && m_index < m_servers.size(); }
    // The server being tried or connected to; empty before the first advance().
    QUrl currentUrl() const;
    // The name the current server's TLS certificate must carry.
    QString tlsPeerName() const;

    // Moves to the next server (round robin) and returns how many ms to wait before trying it.
    qint64 advance(const NatsConnectOptions &options);
    void attemptStarted();
    // The current server completed the handshake: its failures are forgotten.
    void attemptSucceeded();
    // Counts a failed attempt on the current server. Returns true when it should leave the pool: more
    // than options.maxReconnectAttempts failures (unless -1), or the same authentication error twice.
    bool attemptFailed(const NatsError &error, const NatsConnectOptions &options);
    // Takes the current server out; the next advance() moves to the one that followed it.
    void removeCurrent();
    // Follows the INFO connect_urls ("host:port"): adds those not in the pool yet, with the current
    // server's scheme and user info, and forgets servers learned before that the list no longer has
    // (an empty list, a server in no cluster, forgets nothing).
    void addImplicitServers(const QStringList &hostPorts);

    // How long server must still wait before it is tried again, jitter included.
    static qint64 reconnectDelay(const Server &server, const NatsConnectOptions &options);

private:
    void forgetUnlisted(const QList<QUrl> &listed);

    QList<Server> m_servers;
    qsizetype m_index = -1;
    QString m_tlsHostName; // the first configured server's host, for servers learned as bare IPs
};
