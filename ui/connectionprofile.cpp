#include "connectionprofile.h"

#include "kvclientoptions.h"
#include "natsclicontext.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

bool ConnectionProfile::needsSecret() const
{
    return authKind == AuthKind::UserPassword || authKind == AuthKind::Token || authKind == AuthKind::NkeySeed;
}

QString ConnectionProfile::secretLabel() const
{
    switch (authKind) {
    case AuthKind::UserPassword:
        return QCoreApplication::translate("ConnectionProfile", "Password");
    case AuthKind::Token:
        return QCoreApplication::translate("ConnectionProfile", "Token");
    case AuthKind::NkeySeed:
        return QCoreApplication::translate("ConnectionProfile", "NKEY seed");
    default:
        return {};
    }
}

QString ConnectionProfile::authKindName(AuthKind kind)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("ConnectionProfile", text); };
    switch (kind) {
    case AuthKind::None:
        return tr("None");
    case AuthKind::UserPassword:
        return tr("User and password");
    case AuthKind::Token:
        return tr("Token");
    case AuthKind::NkeySeed:
        return tr("NKEY seed");
    case AuthKind::NkeySeedFile:
        return tr("NKEY seed file");
    case AuthKind::CredsFile:
        return tr("Credentials file (.creds)");
    }
    return {};
}

KvClientOptions ConnectionProfile::toClientOptions(const QString &secret) const
{
    KvClientOptions client = KvClientOptions::fromUrl(servers);
    client.jetStreamDomain = jetStreamDomain;
    NatsConnectOptions &options = client.connection;
    options.name = u"kvdesk"_s;
    // A desktop window keeps trying for as long as it is open; the status bar says so.
    options.maxReconnectAttempts = -1;
    // More patience than the library's 2 s for the first handshake: a busy laptop or a TLS server
    // across the world should not read as "server down".
    options.connectTimeoutMs = 5000;
    switch (authKind) {
    case AuthKind::None:
        break;
    case AuthKind::UserPassword:
        options.user = user;
        options.password = secret;
        break;
    case AuthKind::Token:
        options.token = secret;
        break;
    case AuthKind::NkeySeed:
        options.nkeySeed = secret.toUtf8();
        break;
    case AuthKind::NkeySeedFile:
        options.nkeyFile = nkeyFile;
        break;
    case AuthKind::CredsFile:
        options.credentialsFile = credsFile;
        break;
    }
    options.tlsCaFile = tlsCaFile;
    options.tlsCertFile = tlsCertFile;
    options.tlsKeyFile = tlsKeyFile;
    return client;
}

ConnectionProfile ConnectionProfile::fromCliContext(const NatsCliContext &context, QString *secret)
{
    const KvClientOptions client = KvClientOptions::fromCliContext(context);
    const NatsConnectOptions &options = client.connection;
    ConnectionProfile profile;
    profile.id = u"natscli-"_s + context.name; // importing again updates the same profile
    profile.name = QCoreApplication::translate("ConnectionProfile", "%1 (natscli)").arg(context.name);
    profile.servers = options.serversText;
    secret->clear();
    if (!options.credentialsFile.isEmpty()) {
        profile.authKind = AuthKind::CredsFile;
        profile.credsFile = options.credentialsFile;
    } else if (!options.nkeyFile.isEmpty()) {
        profile.authKind = AuthKind::NkeySeedFile;
        profile.nkeyFile = options.nkeyFile;
    } else if (!options.token.isEmpty()) {
        profile.authKind = AuthKind::Token;
        *secret = options.token;
    } else if (!options.user.isEmpty()) {
        profile.authKind = AuthKind::UserPassword;
        profile.user = options.user;
        *secret = options.password;
    }
    profile.tlsCaFile = options.tlsCaFile;
    profile.tlsCertFile = options.tlsCertFile;
    profile.tlsKeyFile = options.tlsKeyFile;
    profile.jetStreamDomain = client.jetStreamDomain;
    return profile;
}

ConnectionProfile ConnectionProfile::localServerProfile()
{
    ConnectionProfile profile;
    profile.id = u"local"_s;
    profile.name = QCoreApplication::translate("ConnectionProfile", "Local server");
    profile.servers.clear(); // known once the server runs
    profile.local = true;
    return profile;
}

QString ConnectionProfile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
