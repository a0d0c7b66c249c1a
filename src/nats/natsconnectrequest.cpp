#include "natsconnectrequest.h"

#include "natsconnectoptions.h"
#include "natscredentials.h"
#include "natsnkey.h"
#include "natsserverinfo.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsConnectRequest", text);
}

// Who the client is with NKEY or JWT authentication. Wipes the seed when it goes.
struct Identity
{
    Identity() = default;
    ~Identity() { seed.fill('\0'); }
    Q_DISABLE_COPY_MOVE(Identity)

    QByteArray jwt;
    QByteArray seed;
    QString seedSource; // the file the seed came from, so a bad seed's message names it
};

void addUserAndToken(QJsonObject &connect, const NatsConnectOptions &options, const QUrl &url)
{
    // URL userinfo wins over the options; a user without a password is a token (official clients' rule).
    QString user = options.user;
    QString password = options.password;
    QString token = options.token;
    if (!url.userName().isEmpty()) {
        if (url.password().isEmpty()) {
            token = url.userName();
            user.clear();
        } else {
            user = url.userName();
            password = url.password();
        }
    }
    if (!user.isEmpty()) {
        connect.insert("user"_L1, user);
        connect.insert("pass"_L1, password);
    }
    if (!token.isEmpty())
        connect.insert("auth_token"_L1, token);
}

bool readSeedFile(const QString &path, Identity *identity, NatsError *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = NatsError(NatsError::CredentialsError,
                           tr("cannot read the NKEY seed file %1: %2").arg(path, file.errorString()));
        return false;
    }
    // The file may hold comments (nsc writes some); take the first line that is a seed.
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QByteArray trimmed = line.trimmed();
        if (trimmed.startsWith("SU") || trimmed.startsWith("SA") || trimmed.startsWith("SO")) {
            identity->seed = trimmed;
            identity->seedSource = path;
            break;
        }
    }
    if (identity->seed.isEmpty()) {
        *error = NatsError(NatsError::CredentialsError,
                           tr("the file %1 holds no NKEY seed (a line starting with SU)").arg(path));
        return false;
    }
    return true;
}

// A .creds file wins over everything else; a JWT given directly comes with its own seed, otherwise an
// NKEY seed (or seed file) stands alone.
bool loadIdentity(const NatsConnectOptions &options, Identity *identity, NatsError *error)
{
    identity->jwt = options.userJwt;
    identity->seed = options.userSeed;
    if (!options.credentialsFile.isEmpty()) {
        NatsCredentials creds;
        QString problem;
        if (!NatsCredentials::load(options.credentialsFile, &creds, &problem)) {
            *error = NatsError(NatsError::CredentialsError, problem);
            return false;
        }
        identity->jwt = creds.jwt();
        identity->seed = creds.seed();
        creds.clear();
    } else if (identity->jwt.isEmpty()) {
        identity->seed = options.nkeySeed;
        if (!options.nkeyFile.isEmpty())
            return readSeedFile(options.nkeyFile, identity, error);
    }
    return true;
}

bool addSignature(QJsonObject &connect, const Identity &identity, const QByteArray &nonce, NatsError *error)
{
    QString problem;
    const NatsNKey key = NatsNKey::fromSeed(identity.seed, &problem);
    if (!key.isValid()) {
        *error = NatsError(NatsError::CredentialsError,
                           identity.seedSource.isEmpty()
                               ? tr("the NKEY seed is not valid: %1").arg(problem)
                               : tr("the NKEY seed in %1 is not valid: %2").arg(identity.seedSource, problem));
        return false;
    }
    if (nonce.isEmpty()) {
        *error = NatsError(NatsError::CredentialsError,
                           tr("the server sent no nonce to sign; it is not set up for NKEY or "
                              "JWT users"));
        return false;
    }
    // Sign the nonce exactly as sent in INFO (its ASCII bytes, not decoded).
    const QByteArray signature = key.sign(nonce).toBase64(QByteArray::Base64UrlEncoding
                                                          | QByteArray::OmitTrailingEquals);
    connect.insert("sig"_L1, QString::fromLatin1(signature));
    if (!identity.jwt.isEmpty())
        connect.insert("jwt"_L1, QString::fromLatin1(identity.jwt.trimmed()));
    else
        connect.insert("nkey"_L1, QString::fromLatin1(key.publicKey()));
    return true;
}

} // namespace

QByteArray NatsConnectRequest::build(const NatsConnectOptions &options, const NatsServerInfo &info, const QUrl &url,
                                     bool tls, NatsError *error)
{
    QJsonObject connect{
        {"verbose"_L1, options.verbose},
        {"pedantic"_L1, options.pedantic},
        {"tls_required"_L1, tls},
        {"name"_L1, options.name},
        {"lang"_L1, QLatin1StringView(Lang)},
        {"version"_L1, QStringLiteral(KVDESK_VERSION)},
        {"protocol"_L1, 1},
        {"echo"_L1, options.echo},
        // Both follow INFO.headers: no_responders without headers makes the server close.
        {"headers"_L1, info.headers},
        {"no_responders"_L1, info.headers},
    };
    addUserAndToken(connect, options, url);

    Identity identity;
    if (!loadIdentity(options, &identity, error))
        return {};
    if (!identity.seed.isEmpty()) {
        if (!addSignature(connect, identity, info.nonce, error))
            return {};
    } else if (!identity.jwt.isEmpty()) {
        connect.insert("jwt"_L1, QString::fromLatin1(identity.jwt.trimmed())); // bearer JWT: no signature needed
    }
    return QJsonDocument(connect).toJson(QJsonDocument::Compact);
}
