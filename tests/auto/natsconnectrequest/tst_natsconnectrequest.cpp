#include "natsconnectoptions.h"
#include "natsconnectrequest.h"
#include "natscredentials.h"
#include "natsnkey.h"
#include "natsserverinfo.h"

#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

// The CONNECT JSON for each kind of authentication, without a server: signatures are checked against
// the public key of the seed that made them, over the nonce the (pretend) INFO carried.

namespace {

const QByteArray kNonce = "PXoWU7zWAMt75FY"_ba;
// Only the shape matters to the client (header.claims.signature); the server would check the rest.
const QByteArray kJwt = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJzdWIiOiJVIn0.c2lnbmF0dXJl"_ba;

const QStringList kCredentialKeys = {u"user"_s, u"pass"_s, u"auth_token"_s, u"nkey"_s, u"sig"_s, u"jwt"_s};

NatsServerInfo serverInfo(const QByteArray &nonce = kNonce, bool headers = true)
{
    NatsServerInfo info;
    info.nonce = nonce;
    info.headers = headers;
    return info;
}

QJsonObject build(const NatsConnectOptions &options, const NatsServerInfo &info = serverInfo(),
                  const QUrl &url = QUrl(u"nats://127.0.0.1:4222"_s), bool tls = false)
{
    NatsError error;
    const QByteArray json = NatsConnectRequest::build(options, info, url, tls, &error);
    if (error.isError())
        qWarning().noquote() << "unexpected error:" << error.message();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        qWarning() << "not a JSON object:" << json;
    return doc.object();
}

NatsError buildError(const NatsConnectOptions &options, const NatsServerInfo &info = serverInfo())
{
    NatsError error;
    const QByteArray json = NatsConnectRequest::build(options, info, QUrl(u"nats://127.0.0.1:4222"_s), false, &error);
    if (!json.isEmpty())
        qWarning() << "JSON despite an error:" << json;
    return error;
}

bool verifySignature(const QJsonObject &connect, const QByteArray &publicKey, const QByteArray &nonce = kNonce)
{
    const QByteArray signature = QByteArray::fromBase64(connect.value("sig"_L1).toString().toLatin1(),
                                                        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    return signature.size() == 64 && NatsNKey::verify(publicKey, nonce, signature);
}

QStringList credentialKeysIn(const QJsonObject &connect)
{
    QStringList keys;
    for (const QString &key : kCredentialKeys) {
        if (connect.contains(key))
            keys.append(key);
    }
    return keys;
}

} // namespace

class tst_NatsConnectRequest final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();

    void clientFields();
    void headersFollowServerInfo();
    void userPasswordAndToken_data();
    void userPasswordAndToken();

    void nkeySeed();
    void nkeyFile();
    void nkeySeedFileErrorsNameTheFile_data();
    void nkeySeedFileErrorsNameTheFile();
    void invalidSeed();
    void seedWithoutNonce();

    void credentialsFile();
    void credentialsFileErrorsNameTheFile_data();
    void credentialsFileErrorsNameTheFile();
    void credentialsFileWinsOverSeed();
    void jwtAndSeed();
    void bearerJwt();
    void versionKnownBefore_data();
    void versionKnownBefore();

private:
    QString writeFile(const QString &name, const QByteArray &content);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_NatsConnectRequest::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

QString tst_NatsConnectRequest::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_dir->filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size())
        qWarning().noquote() << "cannot write" << path;
    return path;
}

void tst_NatsConnectRequest::clientFields()
{
    NatsConnectOptions options;
    options.name = u"tester"_s;
    options.verbose = true;
    options.pedantic = true;
    options.echo = false;

    const QJsonObject connect = build(options, serverInfo(), QUrl(u"tls://127.0.0.1:4222"_s), true);
    QCOMPARE(connect.value("verbose"_L1).toBool(true), true);
    QCOMPARE(connect.value("pedantic"_L1).toBool(false), true);
    QCOMPARE(connect.value("tls_required"_L1).toBool(false), true);
    QCOMPARE(connect.value("name"_L1).toString(), u"tester"_s);
    QCOMPARE(connect.value("lang"_L1).toString(), u"qt"_s);
    QCOMPARE(connect.value("version"_L1).toString(), QStringLiteral(KVDESK_VERSION));
    QCOMPARE(connect.value("protocol"_L1).toInt(), 1);
    QCOMPARE(connect.value("echo"_L1).toBool(true), false);
    QCOMPARE(connect.value("headers"_L1).toBool(false), true);
    QCOMPARE(connect.value("no_responders"_L1).toBool(false), true);
    QCOMPARE(credentialKeysIn(connect), QStringList());

    const QJsonObject plain = build(NatsConnectOptions());
    QCOMPARE(plain.value("tls_required"_L1).toBool(true), false);
    QCOMPARE(plain.value("verbose"_L1).toBool(true), false);
    QCOMPARE(plain.value("echo"_L1).toBool(false), true);
    QCOMPARE(plain.value("name"_L1).toString(), u"kvdesk"_s);
}

void tst_NatsConnectRequest::headersFollowServerInfo()
{
    // no_responders without headers makes the server close the connection.
    const QJsonObject connect = build(NatsConnectOptions(), serverInfo(kNonce, false));
    QCOMPARE(connect.value("headers"_L1).toBool(true), false);
    QCOMPARE(connect.value("no_responders"_L1).toBool(true), false);
}

void tst_NatsConnectRequest::userPasswordAndToken_data()
{
    QTest::addColumn<QString>("optionUser");
    QTest::addColumn<QString>("optionPassword");
    QTest::addColumn<QString>("optionToken");
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("user"); // empty: no "user"/"pass" fields
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("token"); // empty: no "auth_token" field

    const QString plainUrl = u"nats://127.0.0.1:4222"_s;
    QTest::newRow("options user") << u"alice"_s << u"secret"_s << QString() << plainUrl //
                                  << u"alice"_s << u"secret"_s << QString();
    QTest::newRow("options user, empty password") << u"alice"_s << QString() << QString() << plainUrl //
                                                  << u"alice"_s << QString() << QString();
    QTest::newRow("options token") << QString() << QString() << u"t0k3n"_s << plainUrl //
                                   << QString() << QString() << u"t0k3n"_s;
    QTest::newRow("URL user wins") << u"alice"_s << u"secret"_s << QString() << u"nats://bob:pw@127.0.0.1:4222"_s
                                   << u"bob"_s << u"pw"_s << QString();
    QTest::newRow("URL user without password is a token")
        << u"alice"_s << u"secret"_s << u"other"_s << u"nats://s3cr3t@127.0.0.1:4222"_s //
        << QString() << QString() << u"s3cr3t"_s;
    QTest::newRow("URL user keeps the options token")
        << QString() << QString() << u"t0k3n"_s << u"nats://bob:pw@127.0.0.1:4222"_s //
        << u"bob"_s << u"pw"_s << u"t0k3n"_s;
}

void tst_NatsConnectRequest::userPasswordAndToken()
{
    QFETCH(QString, optionUser);
    QFETCH(QString, optionPassword);
    QFETCH(QString, optionToken);
    QFETCH(QString, url);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, token);

    NatsConnectOptions options;
    options.user = optionUser;
    options.password = optionPassword;
    options.token = optionToken;
    const QJsonObject connect = build(options, serverInfo(), QUrl(url));

    QStringList expectedKeys;
    if (!user.isEmpty())
        expectedKeys << u"user"_s << u"pass"_s;
    if (!token.isEmpty())
        expectedKeys << u"auth_token"_s;
    QCOMPARE(credentialKeysIn(connect), expectedKeys);
    QCOMPARE(connect.value("user"_L1).toString(), user);
    QCOMPARE(connect.value("pass"_L1).toString(), password);
    QCOMPARE(connect.value("auth_token"_L1).toString(), token);
}

void tst_NatsConnectRequest::nkeySeed()
{
    const NatsNKey key = NatsNKey::create(NatsNKey::Type::User);
    NatsConnectOptions options;
    options.nkeySeed = key.seed();

    const QJsonObject connect = build(options);
    QCOMPARE(credentialKeysIn(connect), (QStringList{u"nkey"_s, u"sig"_s}));
    QCOMPARE(connect.value("nkey"_L1).toString().toLatin1(), key.publicKey());
    QVERIFY(verifySignature(connect, key.publicKey()));
    // The nonce is signed as sent, not decoded: another nonce does not verify.
    QVERIFY(!verifySignature(connect, key.publicKey(), "another nonce"_ba));
}

void tst_NatsConnectRequest::nkeyFile()
{
    const NatsNKey key = NatsNKey::create(NatsNKey::Type::User);
    NatsConnectOptions options;
    // nsc writes comments around the seed.
    options.nkeyFile = writeFile(u"user.nk"_s, "# the user's seed\n\n  "_ba + key.seed() + "  \n# end\n"_ba);

    const QJsonObject connect = build(options);
    QCOMPARE(connect.value("nkey"_L1).toString().toLatin1(), key.publicKey());
    QVERIFY(verifySignature(connect, key.publicKey()));
}

void tst_NatsConnectRequest::nkeySeedFileErrorsNameTheFile_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("content"); // null: the file does not exist
    QTest::addColumn<QString>("expected");   // part of the message besides the path

    QTest::newRow("missing") << u"missing.nk"_s << QByteArray() << u"cannot read the NKEY seed file"_s;
    QTest::newRow("no seed") << u"empty.nk"_s << "# nothing here\nUABC\n"_ba << u"holds no NKEY seed"_s;
    QTest::newRow("bad seed") << u"bad.nk"_s << "SUNOTASEED\n"_ba << u"is not valid"_s;
}

void tst_NatsConnectRequest::nkeySeedFileErrorsNameTheFile()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);

    NatsConnectOptions options;
    options.nkeyFile = content.isNull() ? m_dir->filePath(fileName) : writeFile(fileName, content);
    const NatsError error = buildError(options);
    QCOMPARE(error.code(), NatsError::CredentialsError);
    QVERIFY2(error.message().contains(options.nkeyFile), qPrintable(error.message()));
    QVERIFY2(error.message().contains(expected), qPrintable(error.message()));
}

void tst_NatsConnectRequest::invalidSeed()
{
    NatsConnectOptions options;
    options.nkeySeed = "SUNOTASEED"_ba;
    const NatsError error = buildError(options);
    QCOMPARE(error.code(), NatsError::CredentialsError);
    QVERIFY2(error.message().startsWith(u"the NKEY seed is not valid: "_s), qPrintable(error.message()));
}

void tst_NatsConnectRequest::seedWithoutNonce()
{
    // A server without NKEY/JWT users sends no nonce: nothing to sign, so nothing to prove identity with.
    NatsConnectOptions options;
    options.nkeySeed = NatsNKey::create(NatsNKey::Type::User).seed();
    const NatsError error = buildError(options, serverInfo(QByteArray()));
    QCOMPARE(error.code(), NatsError::CredentialsError);
    QVERIFY2(error.message().contains(u"nonce"_s), qPrintable(error.message()));
}

void tst_NatsConnectRequest::credentialsFile()
{
    const NatsNKey key = NatsNKey::create(NatsNKey::Type::User);
    NatsConnectOptions options;
    options.credentialsFile = writeFile(u"user.creds"_s, NatsCredentials::format(kJwt, key.seed()));

    const QJsonObject connect = build(options);
    QCOMPARE(credentialKeysIn(connect), (QStringList{u"sig"_s, u"jwt"_s}));
    QCOMPARE(connect.value("jwt"_L1).toString().toLatin1(), kJwt);
    QVERIFY(verifySignature(connect, key.publicKey()));
}

void tst_NatsConnectRequest::credentialsFileErrorsNameTheFile_data()
{
    QTest::addColumn<QByteArray>("content"); // null: the file does not exist

    QTest::newRow("missing") << QByteArray();
    QTest::newRow("seed where the JWT belongs")
        << "-----BEGIN USER NKEY SEED-----\nSUAAAA\n------END USER NKEY SEED------\n"_ba;
    QTest::newRow("bad seed") << NatsCredentials::format(kJwt, "SUNOTASEED"_ba);
}

void tst_NatsConnectRequest::credentialsFileErrorsNameTheFile()
{
    QFETCH(QByteArray, content);

    NatsConnectOptions options;
    options.credentialsFile = content.isNull() ? m_dir->filePath(u"missing.creds"_s)
                                               : writeFile(u"user.creds"_s, content);
    const NatsError error = buildError(options);
    QCOMPARE(error.code(), NatsError::CredentialsError);
    QVERIFY2(error.message().contains(options.credentialsFile), qPrintable(error.message()));
}

void tst_NatsConnectRequest::credentialsFileWinsOverSeed()
{
    const NatsNKey credsKey = NatsNKey::create(NatsNKey::Type::User);
    const NatsNKey otherKey = NatsNKey::create(NatsNKey::Type::User);
    NatsConnectOptions options;
    options.credentialsFile = writeFile(u"user.creds"_s, NatsCredentials::format(kJwt, credsKey.seed()));
    options.nkeySeed = otherKey.seed();
    options.userSeed = otherKey.seed();

    const QJsonObject connect = build(options);
    QCOMPARE(connect.value("jwt"_L1).toString().toLatin1(), kJwt);
    QVERIFY(verifySignature(connect, credsKey.publicKey()));
    QVERIFY(!verifySignature(connect, otherKey.publicKey()));
}

void tst_NatsConnectRequest::jwtAndSeed()
{
    const NatsNKey key = NatsNKey::create(NatsNKey::Type::User);
    NatsConnectOptions options;
    options.userJwt = kJwt + "\n"_ba; // as read from a file: trimmed before sending
    options.userSeed = key.seed();

    const QJsonObject connect = build(options);
    QCOMPARE(credentialKeysIn(connect), (QStringList{u"sig"_s, u"jwt"_s}));
    QCOMPARE(connect.value("jwt"_L1).toString().toLatin1(), kJwt);
    QVERIFY(verifySignature(connect, key.publicKey()));
}

void tst_NatsConnectRequest::bearerJwt()
{
    // A bearer JWT needs no signature, and so no nonce either.
    NatsConnectOptions options;
    options.userJwt = kJwt;
    const QJsonObject connect = build(options, serverInfo(QByteArray()));
    QCOMPARE(credentialKeysIn(connect), QStringList{u"jwt"_s});
    QCOMPARE(connect.value("jwt"_L1).toString().toLatin1(), kJwt);
}

// Whether the INFO's version is known to be older than major.minor: what a client may skip asking
// such a server. A version that does not parse is not known to be anything.
void tst_NatsConnectRequest::versionKnownBefore_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<bool>("before210");
    QTest::newRow("2.9.10") << u"2.9.10"_s << true;
    QTest::newRow("2.9.25-beta.1") << u"2.9.25-beta.1"_s << true;
    QTest::newRow("2.10.0") << u"2.10.0"_s << false;
    QTest::newRow("2.10") << u"2.10"_s << false;
    QTest::newRow("2.10.0-RC.1") << u"2.10.0-RC.1"_s << false;
    QTest::newRow("2.15.1") << u"2.15.1"_s << false;
    QTest::newRow("v2.9.10") << u"v2.9.10"_s << false; // does not parse: unknown
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("garbage") << u"garbage"_s << false;
}

void tst_NatsConnectRequest::versionKnownBefore()
{
    QFETCH(QString, version);
    QFETCH(bool, before210);
    NatsServerInfo info;
    info.version = version;
    QCOMPARE(info.isKnownBefore(2, 10), before210);
}

QTEST_APPLESS_MAIN(tst_NatsConnectRequest)

#include "tst_natsconnectrequest.moc"
