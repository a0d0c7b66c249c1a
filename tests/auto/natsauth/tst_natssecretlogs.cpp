#include "natsauthtestsupport.h"
#include "natsconnection.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace NatsAuthTest;

// Secrets never reach a log: with every kvdesk category on (kvdesk.protocol.wire included, which shows
// the bytes on the wire) a connection with a password, a token, an NKEY or a JWT logs its CONNECT with
// "pass", "auth_token", "jwt" and "sig" as "***", and nothing else that holds them. Server URLs in
// messages show a password as "***", a URL that does not parse included.

namespace {

const QByteArray kPassword = "Pw-S3cret-77";
const QByteArray kToken = "T0ken-S3cret-88";

QStringList g_log;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (QByteArray(context.category ? context.category : "").startsWith("kvdesk"))
        g_log.append(message);
    else
        g_previous(type, context, message);
}

// The JSON of the first CONNECT the wire log shows ({} when none).
QJsonObject loggedConnect()
{
    for (const QString &line : std::as_const(g_log)) {
        const qsizetype at = line.indexOf("CONNECT {"_L1);
        if (at < 0)
            continue;
        const qsizetype end = line.indexOf(u'\r', at);
        return QJsonDocument::fromJson(line.mid(at + 8, end - at - 8).toUtf8()).object();
    }
    return {};
}

} // namespace

class tst_NatsSecretLogs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { g_log.clear(); }
    void cleanupTestCase();

    void connectIsRedacted_data();
    void connectIsRedacted();
    void unparsableUrlKeepsItsPassword_data();
    void unparsableUrlKeepsItsPassword();

private:
    QTemporaryDir m_store;
    NatsJwtIssuer m_issuer;
    NatsNKey m_nkeyUser = NatsNKey::create(NatsNKey::Type::User);
    NatsServerProcess m_users; // alice with kPassword, and an NKEY user
    NatsServerProcess m_token;
    NatsServerProcess m_operator;
};

void tst_NatsSecretLogs::initTestCase()
{
    NatsServerProcess::Options options;
    options.jetStream = false;
    options.config = "authorization { users: [ { user: alice, password: \"" + kPassword
        + "\" }, { nkey: " + m_nkeyUser.publicKey() + " } ] }\n";
    QVERIFY2(m_users.start(options), qPrintable(m_users.errorString()));
    options.config = "authorization { token: \"" + kToken + "\" }\n";
    QVERIFY2(m_token.start(options), qPrintable(m_token.errorString()));
    options.config = m_issuer.serverConfig(m_store.path());
    QVERIFY2(m_operator.start(options), qPrintable(m_operator.errorString()));
    QLoggingCategory::setFilterRules(u"kvdesk.*=true"_s);
    g_previous = qInstallMessageHandler(capture);
}

void tst_NatsSecretLogs::cleanupTestCase()
{
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules({});
}

void tst_NatsSecretLogs::connectIsRedacted_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QStringList>("redactedFields");
    QTest::newRow("user and password") << u"password"_s << QStringList{u"pass"_s};
    QTest::newRow("password in the URL") << u"url"_s << QStringList{u"pass"_s};
    QTest::newRow("token") << u"token"_s << QStringList{u"auth_token"_s};
    QTest::newRow("NKEY") << u"nkey"_s << QStringList{u"sig"_s};
    QTest::newRow("JWT") << u"jwt"_s << QStringList{u"jwt"_s, u"sig"_s};
}

void tst_NatsSecretLogs::connectIsRedacted()
{
    QFETCH(QString, kind);
    QFETCH(QStringList, redactedFields);

    NatsConnectOptions options = optionsFor(m_users.url());
    QByteArrayList secrets{kPassword, kToken, m_nkeyUser.seed()};
    const NatsNKey jwtUser = NatsNKey::create(NatsNKey::Type::User);
    if (kind == "password"_L1) {
        options.user = u"alice"_s;
        options.password = QString::fromLatin1(kPassword);
    } else if (kind == "url"_L1) {
        options = optionsFor(m_users.url().replace(u"://"_s, u"://alice:"_s + QString::fromLatin1(kPassword) + u'@'));
    } else if (kind == "token"_L1) {
        options = optionsFor(m_token.url());
        options.token = QString::fromLatin1(kToken);
    } else if (kind == "nkey"_L1) {
        options.nkeySeed = m_nkeyUser.seed();
    } else {
        options = optionsFor(m_operator.url());
        options.userJwt = m_issuer.userJwt(jwtUser, u"logged"_s);
        options.userSeed = jwtUser.seed();
        secrets << options.userJwt << options.userSeed;
    }
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QVERIFY2(attempt.connection->isConnected(), qPrintable(attempt.connection->errorString()));

    // The CONNECT is logged (so this can fail), its secrets as *** (a signature replays as well as a
    // password for its nonce), the rest as sent.
    const QJsonObject connect = loggedConnect();
    QVERIFY2(!connect.isEmpty(), qPrintable(g_log.join(u'\n')));
    for (const QString &field : std::as_const(redactedFields))
        QCOMPARE(connect.value(field).toString(), u"***"_s);
    if (kind == "password"_L1 || kind == "url"_L1)
        QCOMPARE(connect.value("user"_L1).toString(), u"alice"_s);
    const QString all = g_log.join(u'\n');
    for (const QByteArray &secret : std::as_const(secrets))
        QVERIFY2(!all.contains(QString::fromLatin1(secret)), qPrintable(all));
}

void tst_NatsSecretLogs::unparsableUrlKeepsItsPassword_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    // Characters a password should have had percent-encoded end the host part for a URL parser, not for
    // the person who typed them: everything up to the last "@" is the user's.
    QTest::newRow("slash") << u"nats://alice:Pw/S3cret@127.0.0.1:1"_s << u"nats://alice:***@127.0.0.1:1"_s;
    QTest::newRow("question mark") << u"nats://alice:Pw?S3cret@127.0.0.1:1"_s << u"nats://alice:***@127.0.0.1:1"_s;
    QTest::newRow("hash") << u"nats://alice:Pw#S3cret@127.0.0.1:1"_s << u"nats://alice:***@127.0.0.1:1"_s;
    QTest::newRow("token with slash") << u"nats://T0k/S3cret@127.0.0.1:1"_s << u"nats://***@127.0.0.1:1"_s;
    QTest::newRow("bad port") << u"nats://alice:Pw-S3cret@127.0.0.1:port"_s << u"nats://alice:***@127.0.0.1:port"_s;
}

void tst_NatsSecretLogs::unparsableUrlKeepsItsPassword()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    const QString secret = u"S3cret"_s; // in every row's password or token
    QCOMPARE(NatsConnectOptions::redactedUrls(url), shown);
    QCOMPARE(NatsConnectOptions::redactedUrls(u"nats://a:4222,"_s + url), u"nats://a:4222,"_s + shown);
    QList<QUrl> parsed;
    QString problem;
    if (!NatsConnectOptions::parseServers(url, &parsed, &problem)) {
        QVERIFY2(!problem.contains(secret), qPrintable(problem));
        QVERIFY2(problem.contains(shown), qPrintable(problem));
    }
    // Connecting with it: whatever the connection says or logs keeps the secret out.
    Attempt attempt(optionsFor(url));
    QVERIFY(attempt.settle(20000));
    QVERIFY2(!attempt.connection->errorString().contains(secret), qPrintable(attempt.connection->errorString()));
    const QString all = g_log.join(u'\n');
    QVERIFY2(!all.contains(secret), qPrintable(all));
}

QTEST_GUILESS_MAIN(tst_NatsSecretLogs)

#include "tst_natssecretlogs.moc"
