#include "natscredentials.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"
#include "nkeytestvectors.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace NKeyVectors;

// The tests' own operator/account/user JWT issuer (tests/shared/natsjwtissuer): claims as the Go jwt
// library writes them, signatures that verify, creds that parse, and a server config nats-server accepts.
namespace {

struct DecodedJwt
{
    QByteArray header;
    QByteArray signingInput;
    QByteArray signature;
    QJsonObject claims;
};

DecodedJwt decodeJwt(const QByteArray &jwt)
{
    const QList<QByteArray> parts = jwt.split('.');
    if (parts.size() != 3)
        return {};
    DecodedJwt decoded;
    decoded.header = parts.at(0);
    decoded.signingInput = parts.at(0) + '.' + parts.at(1);
    decoded.signature = fromBase64Url(parts.at(2));
    decoded.claims = QJsonDocument::fromJson(fromBase64Url(parts.at(1))).object();
    return decoded;
}

// The standard claims the jwt library hashes into "jti", in its field order.
QByteArray standardClaims(const QJsonObject &claims)
{
    QByteArray json = "{"_ba;
    if (claims.contains("exp"_L1))
        json += "\"exp\":"_ba + QByteArray::number(claims.value("exp"_L1).toInteger()) + ","_ba;
    json += "\"iat\":"_ba + QByteArray::number(claims.value("iat"_L1).toInteger());
    for (const auto &key : {"iss"_L1, "name"_L1, "sub"_L1}) {
        if (claims.contains(key))
            json += ",\""_ba + key.latin1() + "\":\""_ba + claims.value(key).toString().toUtf8() + "\""_ba;
    }
    return json + "}"_ba;
}

QString natsServerProgram()
{
    const QString configured = qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s);
    if (QFile::exists(configured))
        return configured;
    return QStandardPaths::findExecutable(configured);
}
} // namespace

class tst_NatsJwtIssuer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void issuerClaimsIdMatchesLibrary();
    void issuerJwtsVerify();
    void issuerUserCreds();
    void issuerUnknownAccountUser();
    void issuerServerConfigAccepted();
};

void tst_NatsJwtIssuer::issuerClaimsIdMatchesLibrary()
{
    // The jti of the nkeys creds fixture, which the jwt library computed.
    const QByteArray claims
        = R"({"iat":1590781593,"iss":"AADWLTHICV4SUAGF6EKNVEW5BBP7YRDIBGWGGHZ5JBDOQYA7GUFM6AQU",)"
          R"("name":"OPERATOR","sub":"UDE6WTGLTTPCRJRJCKBJRGVNZTLIVR7LEEELR4CYWWWBKJS7XYIKXDUU"})"_ba;
    QCOMPARE(NatsJwtIssuer::claimsId(claims), "GT4NUNMEF7ZMWCRBXVVUDKQT6ZYPZ77W4JRQXD3L24HKUJECQH7Q"_ba);
}

void tst_NatsJwtIssuer::issuerJwtsVerify()
{
    const NatsJwtIssuer issuer;
    const QByteArray op = issuer.operatorPublicKey();
    const QByteArray sys = issuer.systemAccountPublicKey();
    const QByteArray app = issuer.appAccountPublicKey();
    QVERIFY(op.startsWith('O'));
    QVERIFY(sys.startsWith('A'));
    QVERIFY(app.startsWith('A'));
    QVERIFY(sys != app);

    struct Expected
    {
        QByteArray jwt;
        QByteArray issuerKey;
        QByteArray subject;
        QString type;
    };
    const QList<Expected> chain = {
        {issuer.operatorJwt(), op, op, u"operator"_s},
        {issuer.systemAccountJwt(), op, sys, u"account"_s},
        {issuer.appAccountJwt(), op, app, u"account"_s},
    };
    for (const Expected &expected : chain) {
        const DecodedJwt jwt = decodeJwt(expected.jwt);
        QCOMPARE(jwt.header, kJwtHeader);
        QVERIFY(!expected.jwt.contains('='));
        QVERIFY(NatsNKey::verify(expected.issuerKey, jwt.signingInput, jwt.signature));
        QVERIFY(!NatsNKey::verify(app == expected.issuerKey ? sys : app, jwt.signingInput, jwt.signature));
        QCOMPARE(jwt.claims.value("iss"_L1).toString().toLatin1(), expected.issuerKey);
        QCOMPARE(jwt.claims.value("sub"_L1).toString().toLatin1(), expected.subject);
        QCOMPARE(jwt.claims.value("jti"_L1).toString().toLatin1(), NatsJwtIssuer::claimsId(standardClaims(jwt.claims)));
        const QJsonObject nats = jwt.claims.value("nats"_L1).toObject();
        QCOMPARE(nats.value("type"_L1).toString(), expected.type);
        QCOMPARE(nats.value("version"_L1).toInt(), 2);
    }

    const QJsonObject opNats = decodeJwt(issuer.operatorJwt()).claims.value("nats"_L1).toObject();
    QCOMPARE(opNats.value("system_account"_L1).toString().toLatin1(), sys);

    // A missing limit counts as 0 (no connections), so every one is -1; JetStream only for APP.
    const QJsonObject appLimits
        = decodeJwt(issuer.appAccountJwt()).claims.value("nats"_L1).toObject().value("limits"_L1).toObject();
    for (const auto &key : {"subs"_L1, "data"_L1, "payload"_L1, "imports"_L1, "exports"_L1, "conn"_L1, "leaf"_L1,
                            "mem_storage"_L1, "disk_storage"_L1, "streams"_L1, "consumer"_L1}) {
        QVERIFY2(appLimits.value(key).toInteger() == -1, key.data());
    }
    QCOMPARE(appLimits.value("wildcards"_L1).toBool(), true);
    const QJsonObject sysLimits
        = decodeJwt(issuer.systemAccountJwt()).claims.value("nats"_L1).toObject().value("limits"_L1).toObject();
    QCOMPARE(sysLimits.value("conn"_L1).toInteger(), -1);
    QVERIFY(!sysLimits.contains("disk_storage"_L1));
}

void tst_NatsJwtIssuer::issuerUserCreds()
{
    const NatsJwtIssuer issuer;
    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::parse(issuer.userCreds(u"alice"_s), &creds, &error), qPrintable(error));

    const NatsNKey user = NatsNKey::fromSeed(creds.seed(), &error);
    QVERIFY2(user.isValid(), qPrintable(error));
    QCOMPARE(user.type(), NatsNKey::Type::User);

    const DecodedJwt jwt = decodeJwt(creds.jwt());
    QCOMPARE(jwt.header, kJwtHeader);
    QVERIFY(NatsNKey::verify(issuer.appAccountPublicKey(), jwt.signingInput, jwt.signature));
    QCOMPARE(jwt.claims.value("iss"_L1).toString().toLatin1(), issuer.appAccountPublicKey());
    QCOMPARE(jwt.claims.value("sub"_L1).toString().toLatin1(), user.publicKey());
    QCOMPARE(jwt.claims.value("name"_L1).toString(), u"alice"_s);
    QVERIFY(!jwt.claims.contains("exp"_L1));
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QVERIFY(qAbs(jwt.claims.value("iat"_L1).toInteger() - now) < 60);
    const QJsonObject nats = jwt.claims.value("nats"_L1).toObject();
    QCOMPARE(nats.value("type"_L1).toString(), u"user"_s);
    QCOMPARE(nats.value("version"_L1).toInt(), 2);
    // 0 would mean no subscriptions and no payload at all.
    QCOMPARE(nats.value("subs"_L1).toInteger(), -1);
    QCOMPARE(nats.value("payload"_L1).toInteger(), -1);

    // Login: the server checks the nonce signature against the JWT's subject.
    QVERIFY(NatsNKey::verify(jwt.claims.value("sub"_L1).toString().toLatin1(), kNonce, user.sign(kNonce)));

    // Expiry goes into "exp" and the jti covers it.
    QVERIFY(NatsCredentials::parse(issuer.userCreds(u"bob"_s, now + 3), &creds, &error));
    const DecodedJwt expiring = decodeJwt(creds.jwt());
    QCOMPARE(expiring.claims.value("exp"_L1).toInteger(), now + 3);
    QCOMPARE(expiring.claims.value("jti"_L1).toString().toLatin1(),
             NatsJwtIssuer::claimsId(standardClaims(expiring.claims)));

    // A user with a key of the caller's choosing.
    const NatsNKey chosen = NatsNKey::fromSeed(kUserSeed);
    const DecodedJwt chosenJwt = decodeJwt(issuer.userJwt(chosen, u"carol"_s));
    QCOMPARE(chosenJwt.claims.value("sub"_L1).toString().toLatin1(), kUserPublic);
    QVERIFY(NatsNKey::verify(issuer.appAccountPublicKey(), chosenJwt.signingInput, chosenJwt.signature));
}

void tst_NatsJwtIssuer::issuerUnknownAccountUser()
{
    const NatsJwtIssuer issuer;
    NatsCredentials creds;
    QString error;
    QVERIFY2(NatsCredentials::parse(issuer.unknownAccountUserCreds(u"mallory"_s), &creds, &error), qPrintable(error));
    const DecodedJwt jwt = decodeJwt(creds.jwt());
    const QByteArray stranger = jwt.claims.value("iss"_L1).toString().toLatin1();
    QVERIFY(stranger.startsWith('A'));
    QVERIFY(stranger != issuer.appAccountPublicKey());
    QVERIFY(stranger != issuer.systemAccountPublicKey());
    // Well signed, by a key the operator never vouched for.
    QVERIFY(NatsNKey::verify(stranger, jwt.signingInput, jwt.signature));
    QVERIFY(!NatsNKey::verify(issuer.appAccountPublicKey(), jwt.signingInput, jwt.signature));
    QCOMPARE(NatsNKey::fromSeed(creds.seed()).publicKey(), jwt.claims.value("sub"_L1).toString().toLatin1());
}

void tst_NatsJwtIssuer::issuerServerConfigAccepted()
{
    const NatsJwtIssuer issuer;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray config = issuer.serverConfig(dir.filePath(u"js"_s));
    QVERIFY(!config.contains("listen"));
    QVERIFY(!config.contains("port"));
    QVERIFY(config.contains("resolver: MEMORY"));
    const QByteArray sysPreload = issuer.systemAccountPublicKey() + ": \""_ba + issuer.systemAccountJwt() + "\""_ba;
    const QByteArray appPreload = issuer.appAccountPublicKey() + ": \""_ba + issuer.appAccountJwt() + "\""_ba;
    QVERIFY(config.contains(sysPreload));
    QVERIFY(config.contains(appPreload));

    const QString path = dir.filePath(u"server.conf"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("listen: 127.0.0.1:-1\n"_ba + config);
    file.close();

    // Real-server checks belong to the integration tests; here nats-server only parses the file (-t).
    const QString program = natsServerProgram();
    if (program.isEmpty())
        QFAIL("nats-server not found (set KVDESK_NATS_SERVER or install it)");
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(program, {u"-t"_s, u"-c"_s, path});
    QVERIFY2(server.waitForFinished(30000), qPrintable(server.errorString()));
    const QByteArray output = server.readAll();
    QVERIFY2(server.exitStatus() == QProcess::NormalExit && server.exitCode() == 0, output.constData());
    QVERIFY2(output.contains("is valid"), output.constData());
}

QTEST_GUILESS_MAIN(tst_NatsJwtIssuer)
#include "tst_natsjwtissuer.moc"
