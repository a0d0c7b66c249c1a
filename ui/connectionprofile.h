#pragma once

#include "codecprotomap.h"

#include <QtCore/QList>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtGui/QColor>

class NatsCliContext;
struct KvClientOptions;
struct NatsConnectOptions;

// A saved connection: everything but its secrets, which live in the keychain (SecretStore) and are
// handed in separately when connecting. Server URLs are kept without credentials: a password or token
// written into a URL is taken out (takeUrlCredentials) before the profile is saved or shown.
struct ConnectionProfile
{
    enum class AuthKind { // stored as numbers: append only
        None,
        UserPassword,
        Token,
        NkeySeed,
        NkeySeedFile,
        CredsFile,
        UserJwt // a user JWT and its NKEY seed, both kept in the keychain (natscli's user_jwt, user_seed)
    };

    QString id; // stable key for settings and keychain entries
    QString name;
    QString servers = QStringLiteral("nats://127.0.0.1:4222");
    AuthKind authKind = AuthKind::None;
    QString user;      // UserPassword
    QString nkeyFile;  // NkeySeedFile: the path of a file holding the seed
    QString credsFile; // CredsFile
    QString tlsCaFile;
    QString tlsCertFile;
    QString tlsKeyFile;
    bool requireTls = false; // refuse a server that offers no TLS (implied by any TLS file)
    bool tlsFirst = false;   // the TLS handshake before INFO, natscli's tls_first (implies TLS)
    QString jetStreamDomain;
    QString jetStreamApiPrefix; // natscli's jetstream_api_prefix; wins over the domain
    // The first tokens of every reply inbox instead of "_INBOX" (natscli's inbox_prefix), for a user
    // allowed to subscribe only to a private inbox such as "_MY_INBOX.>". Empty for the default.
    QString inboxPrefix;
    QColor color; // tints the connection bar (e.g. red for production)
    bool readOnly = false;
    bool local = false; // the app-owned local nats-server
    // Which values are the user's own Protobuf messages (bucket and key pattern to a .proto file's
    // message), decoded to JSON in the value panel.
    QList<CodecProtoMap::Entry> protoMappings;

    // Whether the auth kind needs a secret from the keychain (password, token, seed, JWT and seed).
    bool needsSecret() const;
    QString secretLabel() const;
    // Whether a server that offers no TLS is refused: asked for, or implied by a TLS setting, as the CLI,
    // natscli and nats.go do. Nothing (no CONNECT, no secret) is sent to such a server.
    bool requiresTls() const;
    // Options for NatsConnection; secret is the password, token, seed, or jwtSecret(). An encrypted TLS
    // key's passphrase is the caller's to add (KeyPassphraseDialog).
    NatsConnectOptions toConnectOptions(const QString &secret) const;
    // Options for the session's KvClient: toConnectOptions() plus the JetStream domain or API prefix.
    KvClientOptions toClientOptions(const QString &secret) const;
    // Takes credentials out of the server URLs (nats://user:password@host, nats://token@host): the user
    // into user, the password or token into *secret, the auth kind set to match. False when none.
    bool takeUrlCredentials(QString *secret);

    // The keychain entry of a UserJwt profile: the JWT and the seed in one secret.
    static QString jwtSecret(const QString &jwt, const QString &seed);
    static QString authKindName(AuthKind kind);
    static ConnectionProfile localServerProfile();
    // The profile for `kvdesk --server URL`: named by the URL with its password as ***; *secret gets the
    // password or token the URL held.
    static ConnectionProfile fromServerUrl(const QString &servers, QString *secret);
    // A profile (id "natscli-<name>") that connects as the natscli context does, read through the CLI's
    // NatsCliContext ("~" expanded, TLS implied by TLS settings); *secret gets its password, token or
    // jwtSecret(), for the keychain.
    static ConnectionProfile fromCliContext(const NatsCliContext &context, QString *secret);
    static QString newId();
};

Q_DECLARE_METATYPE(ConnectionProfile)
