#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QUrl>

// Everything a NatsConnection needs to know before connecting. Defaults follow nats.go, so a kvdesk
// connection behaves like the official clients (ping every 2 min, 2 outstanding pings, 60 reconnect
// attempts per server 2 s apart plus jitter, 8 MiB of publishes buffered while reconnecting).
struct NatsConnectOptions
{
    static constexpr int DefaultPort = 4222;

    // Parses "nats://host:4222", "tls://host", "user:pass@host:port", "host" and comma-separated lists
    // of them. Returns false and sets *errorMessage naming the bad entry (its secrets as "***"). A ","
    // that may be part of credentials (one in a password not written %2C, or a server with credentials
    // but no scheme after a ",") makes the text refused: which part is a server is not known.
    static bool parseServers(const QString &text, QList<QUrl> *out, QString *errorMessage);
    // text (one URL or a comma-separated list, parsable or not) with every password, and every token
    // (a user without a password), shown as "***": for messages, titles and logs. Credentials holding a
    // "," are hidden whole, as parseServers() reads them.
    static QString redactedUrls(const QString &text);
    // text without the userinfo ("user:password@", "token@") of its URLs; *userInfo receives the first
    // one found, as written (percent-encoded), or an empty string. Userinfo holding a "," leaves whole.
    static QString withoutUserInfo(const QString &text, QString *userInfo);
    // Convenience: options for the given server list (parse errors surface when connecting).
    static NatsConnectOptions fromUrl(const QString &servers);
    // Why prefix cannot start inboxes (a wildcard, an empty token, a space), or an empty string.
    static QString validateInboxPrefix(const QString &prefix);
    // inboxPrefix without a trailing dot, or "_INBOX".
    QByteArray inboxPrefixOrDefault() const;

    QList<QUrl> servers;
    QString serversText; // the text given to fromUrl(), reported if it does not parse
    bool randomizeServers = true;

    QString name = QStringLiteral("kvdesk");
    // The first tokens of every reply inbox the connection subscribes (requests, consumer deliveries):
    // "_INBOX" when empty. A user confined to a private inbox ("_MY_INBOX.>") needs it; natscli's
    // inbox_prefix, nats.go's CustomInboxPrefix. validInboxPrefix() says whether one can be used.
    QString inboxPrefix;
    bool echo = true;
    bool verbose = false;
    bool pedantic = false;

    // Authentication. URL userinfo (nats://user:pass@host) overrides user/password, and a user without
    // a password in the URL is used as a token, as the official clients do.
    QString user;
    QString password;
    QString token;
    QByteArray nkeySeed;     // "SU..." seed string
    QString nkeyFile;        // or a file holding it
    QString credentialsFile; // ".creds": user JWT + seed
    QByteArray userJwt;      // or the JWT and seed given directly
    QByteArray userSeed;

    // TLS: used for tls:// URLs, when the server requires it, or when tlsRequired or tlsFirst is set.
    bool tlsRequired = false;
    // The TLS handshake before the server's INFO (nats-server 2.10+ with `tls { handshake_first: true }`,
    // natscli's tls_first, nats.go's TLSHandshakeFirst).
    bool tlsFirst = false;
    QString tlsCaFile;
    QString tlsCertFile; // the client certificate, or its chain: every certificate in the file is sent
    QString tlsKeyFile;
    QByteArray tlsKeyPassphrase; // for an encrypted client key

    int connectTimeoutMs = 2000;
    int pingIntervalMs = 2 * 60 * 1000;
    int maxPingsOutstanding = 2;
    bool allowReconnect = true;
    int maxReconnectAttempts = 60; // per server; -1 means forever
    int reconnectWaitMs = 2000;
    int reconnectJitterMs = 100;
    int reconnectJitterTlsMs = 1000;
    qint64 reconnectBufferSize = 8 * 1024 * 1024;
    // Back-pressure while connected: past this many bytes waiting for the server (the socket's buffer), a
    // publish waits for the kernel to take some, at most writeTimeoutMs, then is refused with
    // WriteBufferFull (not sent), as nats.go's and libnats' blocking writes wait up to their deadlines.
    qint64 writeBufferSize = 8 * 1024 * 1024;
    int writeTimeoutMs = 2000;
    bool retryOnFailedConnect = false;
    int drainTimeoutMs = 30 * 1000;
    int requestTimeoutMs = 5000;
};
