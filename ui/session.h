#pragma once

#include "connectionprofile.h"
#include "natserror.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class ConnectRetry;
class JetStreamContext;
class KvClient;
class KvContext;
class LocalServer;
class NatsConnection;
class NatsReply;
class QTimer;

// One open connection for a profile: a KvClient (the connection with its JetStream and Key/Value
// contexts) built from the profile, the local server when the profile is the built-in one, and a
// round-trip probe for the status bar.
class Session final : public QObject
{
    Q_OBJECT

public:
    Session(const ConnectionProfile &profile, const QString &secret, LocalServer *localServer,
            QObject *parent = nullptr);
    ~Session() override;

    const ConnectionProfile &profile() const { return m_profile; }
    bool isReadOnly() const { return m_profile.readOnly; }
    // The secret this connection was opened with (a --server URL's password included), for saving the
    // connection as a profile: never shown.
    QString secret() const { return m_secret; }
    KvClient *client() const { return m_client; }
    NatsConnection *connection() const;
    JetStreamContext *jetStream() const;
    KvContext *kv() const;
    bool isConnected() const;
    // "connected nats://127.0.0.1:4222 · v2.9.10 · 0.4 ms", "reconnecting…", "failed: …", and "… is not
    // answering" while the round-trip probe has had no answer for a while on an open connection.
    QString statusText() const;
    QString lastError() const { return m_lastError; }
    // The passphrase of the profile's encrypted TLS client key (KeyPassphraseDialog), before open().
    void setTlsKeyPassphrase(const QByteArray &passphrase) { m_tlsKeyPassphrase = passphrase; }
    // Why what the window shows may be out of date and nothing can be written: the connection was lost
    // after it had been made ("Connection interrupted — reconnecting…"), or closed; empty while it is up.
    QString interruption() const { return m_interruption; }

    void open();
    void close();
    // A failed connection is tried again, later each time (ConnectRetry); this tries at once.
    void retryNow();
    bool isWaitingToRetry() const;
    // Failed in a way the next try would fail again (credentials refused, a URL that does not parse, a
    // TLS certificate, key or host name that cannot work): not tried again until asked (retryNow()).
    bool isStoppedForSettings() const { return m_stoppedForSettings; }
    // Stopped because the server refused the credentials: the same secret would be refused again.
    bool isCredentialsRefused() const { return m_stoppedForSettings && NatsError::isAuthenticationError(m_stopCode); }
    // Whether a try that failed with code would fail the same way, the settings (or the server's) unchanged.
    static bool wouldFailAgain(NatsError::Code code);

Q_SIGNALS:
    void opened();        // first connect done
    void statusChanged(); // anything in statusText() changed
    void failed(const QString &message);
    void reconnected();
    void interruptionChanged(const QString &reason);

private:
    void countFailedTry();
    void connectTo(const QString &servers);
    void probeRoundTrip();
    void onProbeFinished(NatsReply *probe);
    int silentSeconds() const;
    void askApiLevel();
    void updateInterruption();

    ConnectionProfile m_profile;
    QString m_secret;
    QByteArray m_tlsKeyPassphrase;
    QPointer<LocalServer> m_localServer;
    KvClient *m_client = nullptr;
    NatsConnection *m_connection = nullptr; // m_client's
    QTimer *m_rttTimer = nullptr;
    QPointer<NatsReply> m_probe;   // the round-trip probe out, if one is
    QElapsedTimer m_lastProbe;     // when the last probe went out
    QElapsedTimer m_unansweredFor; // since the first probe not answered yet; invalid once one is
    ConnectRetry *m_retry = nullptr;
    QString m_lastError;
    // While reconnecting: the tries that failed since the connection was lost, and what the last one met.
    int m_failedTries = 0;
    QString m_lastTryError;
    QString m_interruption;
    bool m_startingLocal = false;
    bool m_opened = false;
    bool m_closing = false;
    bool m_stoppedForSettings = false;
    NatsError::Code m_stopCode = NatsError::NoError; // why, while m_stoppedForSettings
};
