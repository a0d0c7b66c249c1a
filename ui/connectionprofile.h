#pragma once

#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtGui/QColor>

class NatsCliContext;
struct KvClientOptions;

// A saved connection: everything but its secrets, which live in the keychain (SecretStore) and are
// handed in separately when connecting.
struct ConnectionProfile
{
    enum class AuthKind {
        None,
        UserPassword,
        Token,
        NkeySeed,
        NkeySeedFile,
        CredsFile
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
    QString jetStreamDomain;
    QColor color; // tints the connection bar (e.g. red for production)
    bool readOnly = false;
    bool local = false; // the app-owned local nats-server

    // Whether the auth kind needs a secret from the keychain (password, token, seed).
    bool needsSecret() const;
    QString secretLabel() const;
    // Options for the session's KvClient; secret is the password, token or seed.
    KvClientOptions toClientOptions(const QString &secret) const;
    // A profile (id "natscli-<name>") connecting as the natscli context does, read through
    // KvClientOptions::fromCliContext; *secret receives its password or token (for the keychain).
    static ConnectionProfile fromCliContext(const NatsCliContext &context, QString *secret);

    static QString authKindName(AuthKind kind);
    static ConnectionProfile localServerProfile();
    static QString newId();
};

Q_DECLARE_METATYPE(ConnectionProfile)
