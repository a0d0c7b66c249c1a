#include "connectionprofile.h"

#include "kvclientoptions.h"
#include "natsclicontext.h"
#include "natsconnectoptions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QUrl>
#include <QtCore/QUuid>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ConnectionProfile", text);
}

} // namespace

bool ConnectionProfile::needsSecret() const
{
    return authKind == AuthKind::UserPassword || authKind == AuthKind::Token || authKind == AuthKind::NkeySeed
        || authKind == AuthKind::UserJwt;
}

bool ConnectionProfile::requiresTls() const
{
    return requireTls || tlsFirst || !tlsCaFile.isEmpty() || !tlsCertFile.isEmpty() || !tlsKeyFile.isEmpty();
}

QString ConnectionProfile::secretLabel() const
{
    switch (authKind) {
    case AuthKind::UserPassword:
        return tr("Password");
    case AuthKind::Token:
        return tr("Token");
    case AuthKind::NkeySeed:
        return tr("NKEY seed");
    case AuthKind::UserJwt:
        return tr("User JWT and seed");
    default:
        return {};
    }
}

QString ConnectionProfile::authKindName(AuthKind kind)
{
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
    case AuthKind::UserJwt:
        return tr("User JWT and seed");
    }
    return {};
}

QString ConnectionProfile::jwtSecret(const QString &jwt, const QString &seed)
{
    return jwt.trimmed() + u'\n' + seed.trimmed();
}

NatsConnectOptions ConnectionProfile::toConnectOptions(const QString &secret) const
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(servers);
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
    case AuthKind::UserJwt:
        options.userJwt = secret.section(u'\n', 0, 0).toUtf8();
        options.userSeed = secret.section(u'\n', 1).toUtf8();
        break;
    }
    options.tlsCaFile = tlsCaFile;
    options.tlsCertFile = tlsCertFile;
    options.tlsKeyFile = tlsKeyFile;
    // Without this a nats:// server (or whoever answers in its place) that offers no TLS would get the
    // CONNECT, credentials and all, in plain text.
    options.tlsRequired = requiresTls();
    options.tlsFirst = tlsFirst;
    options.inboxPrefix = inboxPrefix;
    return options;
}

KvClientOptions ConnectionProfile::toClientOptions(const QString &secret) const
{
    KvClientOptions client(toConnectOptions(secret));
    client.jetStreamDomain = jetStreamDomain;
    client.jetStreamApiPrefix = jetStreamApiPrefix;
    return client;
}

bool ConnectionProfile::takeUrlCredentials(QString *secret)
{
    QString userInfo;
    servers = NatsConnectOptions::withoutUserInfo(servers, &userInfo);
    if (userInfo.isEmpty())
        return false;
    const auto decoded = [](const QString &text) { return QUrl::fromPercentEncoding(text.toUtf8()); };
    const qsizetype colon = userInfo.indexOf(u':');
    if (colon < 0) { // a user without a password is a token, as the official clients read it
        authKind = AuthKind::Token;
        *secret = decoded(userInfo);
        return true;
    }
    authKind = AuthKind::UserPassword;
    user = decoded(userInfo.left(colon));
    *secret = decoded(userInfo.mid(colon + 1));
    return true;
}

ConnectionProfile ConnectionProfile::localServerProfile()
{
    ConnectionProfile profile;
    profile.id = u"local"_s;
    profile.name = tr("Local server");
    profile.servers.clear(); // known once the server runs
    profile.local = true;
    return profile;
}

ConnectionProfile ConnectionProfile::fromServerUrl(const QString &servers, QString *secret)
{
    ConnectionProfile profile;
    profile.id = u"command-line"_s;
    profile.name = NatsConnectOptions::redactedUrls(servers);
    profile.servers = servers;
    secret->clear();
    profile.takeUrlCredentials(secret);
    return profile;
}

ConnectionProfile ConnectionProfile::fromCliContext(const NatsCliContext &context, QString *secret)
{
    const NatsConnectOptions options = context.toConnectOptions(); // paths expanded as the CLI does
    ConnectionProfile profile;
    profile.id = u"natscli-"_s + context.name; // importing again updates the same profile
    profile.name = tr("%1 (natscli)").arg(context.name);
    profile.servers = context.url.isEmpty() ? QString::fromLatin1(NatsCliContext::DefaultUrl) : context.url;
    secret->clear();
    if (!options.credentialsFile.isEmpty()) {
        profile.authKind = AuthKind::CredsFile;
        profile.credsFile = options.credentialsFile;
    } else if (!context.userJwt.isEmpty()) {
        profile.authKind = AuthKind::UserJwt;
        *secret = jwtSecret(context.userJwt, context.userSeed);
    } else if (!options.nkeyFile.isEmpty()) {
        profile.authKind = AuthKind::NkeySeedFile;
        profile.nkeyFile = options.nkeyFile;
    } else if (!context.token.isEmpty()) {
        profile.authKind = AuthKind::Token;
        *secret = context.token;
    } else if (!context.user.isEmpty()) {
        profile.authKind = AuthKind::UserPassword;
        profile.user = context.user;
        *secret = context.password;
    }
    // Credentials in the URL win over user, password and token, as when connecting with the URL; never
    // over a creds file, JWT or NKEY. Either way they leave the URL.
    QString urlSecret;
    ConnectionProfile withUrl = profile;
    if (withUrl.takeUrlCredentials(&urlSecret)) {
        const bool wins = profile.authKind == AuthKind::None || profile.authKind == AuthKind::UserPassword
            || profile.authKind == AuthKind::Token;
        if (wins) {
            profile = withUrl;
            *secret = urlSecret;
        } else {
            profile.servers = withUrl.servers;
        }
    }
    profile.tlsCaFile = options.tlsCaFile;
    profile.tlsCertFile = options.tlsCertFile;
    profile.tlsKeyFile = options.tlsKeyFile;
    profile.tlsFirst = context.tlsFirst;
    profile.requireTls = options.tlsRequired;
    profile.jetStreamDomain = context.jetStreamDomain;
    profile.jetStreamApiPrefix = context.jetStreamApiPrefix;
    profile.inboxPrefix = context.inboxPrefix;
    return profile;
}

QString ConnectionProfile::newId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}
