#include "natsauthtestsupport.h"
#include "natsconnection.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

// Authentication (docs/nats-protocol.md §2.1-2.3) against real nats-server processes: user/password,
// token, NKEY, JWT/.creds in operator mode, permissions, and the failures a user must be told about
// clearly. TLS is tst_natstls'.

using namespace NatsAuthTest;

class tst_NatsAuth final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void userPassword_data();
    void userPassword();
    void token_data();
    void token();
    void nkey_data();
    void nkey();
    void jwt_data();
    void jwt();
    void jwtExpiresWhileConnected();
    void credentialsErrors_data();
    void credentialsErrors();
    void permissionsViolation();
    void deniedPublishFailsRequestsAtOnce_data();
    void deniedPublishFailsRequestsAtOnce();
    void deniedInboxFailsRequestsAtOnce();
    void deniedQueueSubscription();
    void deniedSubscriptionIsNotTheConnectionsError();

private:
    bool startServer(NatsServerProcess *server, const QByteArray &config, const QString &name);
    QString file(const QString &name) const { return m_dir.filePath(name); }
    QString url(const NatsServerProcess &server) const { return server.url(); }

    QTemporaryDir m_dir;
    QTemporaryDir m_jwtStore;
    NatsJwtIssuer m_issuer;
    NatsNKey m_nkeyUser;

    NatsServerProcess m_userPassword;
    NatsServerProcess m_token;
    NatsServerProcess m_nkey;
    NatsServerProcess m_jwt;
    NatsServerProcess m_permissions;
    NatsServerProcess m_denials; // users with deny lists: "nopub" may not publish to denied.>, "noinbox"
                                 // may not subscribe to _INBOX.>
};
bool tst_NatsAuth::startServer(NatsServerProcess *server, const QByteArray &config, const QString &name)
{
    NatsServerProcess::Options options;
    options.config = config;
    options.jetStream = false;
    options.name = name;
    if (!server->start(options)) {
        qWarning("%s: %s", qPrintable(name), qPrintable(server->errorString()));
        return false;
    }
    return true;
}

void tst_NatsAuth::initTestCase()
{
    QVERIFY2(!NatsServerProcess::executable().isEmpty(), "nats-server is not installed");
    QVERIFY(m_dir.isValid());
    QVERIFY(m_jwtStore.isValid());

    m_nkeyUser = NatsNKey::create(NatsNKey::Type::User);
    QVERIFY(m_nkeyUser.isValid());

    QVERIFY(startServer(&m_userPassword, "authorization { user: alice, password: s3cret }\n"_ba, u"user"_s));
    QVERIFY(startServer(&m_token, "authorization { token: t0ken }\n"_ba, u"token"_s));
    QVERIFY(startServer(&m_nkey, "authorization { users: [ { nkey: "_ba + m_nkeyUser.publicKey() + " } ] }\n"_ba,
                        u"nkey"_s));
    QVERIFY(startServer(&m_jwt, m_issuer.serverConfig(m_jwtStore.path()), u"jwt"_s));
    QVERIFY(startServer(&m_permissions,
                        "authorization { users: [ { user: limited, password: p, permissions: {\n"
                        "  publish: { allow: [\"allowed.>\"] }\n"
                        "  subscribe: { allow: [\"allowed.>\", \"_INBOX.>\"] } } } ] }\n"_ba,
                        u"permissions"_s));
    QVERIFY(startServer(&m_denials,
                        "authorization { users: [\n"
                        "  { user: nopub, password: p, permissions: { publish: { deny: [\"denied.>\"] },\n"
                        "                                             subscribe: { deny: [\"denied.>\"] } } }\n"
                        "  { user: noinbox, password: p, permissions: { subscribe: { deny: [\"_INBOX.>\"] } } }\n"
                        "] }\n"_ba,
                        u"denials"_s));
}

void tst_NatsAuth::userPassword_data()
{
    QTest::addColumn<QString>("userInfo"); // in the URL, "" for none
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<NatsError::Code>("expected");

    QTest::newRow("options") << QString() << u"alice"_s << u"s3cret"_s << NatsError::NoError;
    QTest::newRow("URL") << u"alice:s3cret"_s << QString() << QString() << NatsError::NoError;
    QTest::newRow("URL wins over options") << u"alice:s3cret"_s << u"alice"_s << u"wrong"_s << NatsError::NoError;
    QTest::newRow("wrong password") << QString() << u"alice"_s << u"wrong"_s << NatsError::AuthorizationViolation;
    QTest::newRow("wrong password in URL")
        << u"alice:wrong"_s << QString() << QString() << NatsError::AuthorizationViolation;
    QTest::newRow("unknown user") << QString() << u"bob"_s << u"s3cret"_s << NatsError::AuthorizationViolation;
    QTest::newRow("no credentials") << QString() << QString() << QString() << NatsError::AuthorizationViolation;
}

void tst_NatsAuth::userPassword()
{
    QFETCH(QString, userInfo);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(NatsError::Code, expected);

    const QString base = u"127.0.0.1:%1"_s.arg(m_userPassword.port());
    NatsConnectOptions options = optionsFor(u"nats://"_s + (userInfo.isEmpty() ? QString() : userInfo + u'@') + base);
    options.user = user;
    options.password = password;
    Attempt attempt(options);
    QVERIFY(attempt.settle());

    if (expected == NatsError::NoError) {
        QCOMPARE(attempt.connection->state(), NatsConnection::State::Connected);
        QCOMPARE(attempt.errors.count(), 0);
        QVERIFY(attempt.connection->serverInfo().authRequired);
        QVERIFY(roundTrip(attempt.connection.get()));
        return;
    }
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
    QCOMPARE(attempt.connected.count(), 0);
    QCOMPARE(attempt.closed.count(), 1);
    QCOMPARE(attempt.errors.count(), 1);
    QCOMPARE(attempt.firstError(), expected);
    QCOMPARE(attempt.connection->error(), expected);
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(u"Authorization Violation"_s, Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(message.contains(base), qPrintable(message));
    // The text is for logs and dialogs: it must not carry the password.
    QVERIFY2(!message.contains(u"wrong"_s) && !message.contains(u"s3cret"_s), qPrintable(message));
}

void tst_NatsAuth::token_data()
{
    QTest::addColumn<QString>("userInfo");
    QTest::addColumn<QString>("token");
    QTest::addColumn<NatsError::Code>("expected");

    QTest::newRow("options") << QString() << u"t0ken"_s << NatsError::NoError;
    // A user without a password in the URL is a token, as in the official clients.
    QTest::newRow("URL") << u"t0ken"_s << QString() << NatsError::NoError;
    QTest::newRow("wrong token") << QString() << u"nope"_s << NatsError::AuthorizationViolation;
    QTest::newRow("no token") << QString() << QString() << NatsError::AuthorizationViolation;
}

void tst_NatsAuth::token()
{
    QFETCH(QString, userInfo);
    QFETCH(QString, token);
    QFETCH(NatsError::Code, expected);

    NatsConnectOptions options = optionsFor(u"nats://"_s + (userInfo.isEmpty() ? QString() : userInfo + u'@')
                                            + u"127.0.0.1:%1"_s.arg(m_token.port()));
    options.token = token;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QCOMPARE(attempt.firstError(), expected);
    if (expected == NatsError::NoError) {
        QVERIFY(roundTrip(attempt.connection.get()));
    } else {
        QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
        QCOMPARE(attempt.errors.count(), 1);
        QVERIFY2(!attempt.connection->errorString().contains(u"nope"_s), qPrintable(attempt.connection->errorString()));
    }
}

// ---- NKEY and JWT ---------------------------------------------------------------------------------

void tst_NatsAuth::nkey_data()
{
    QTest::addColumn<bool>("knownUser");
    QTest::addColumn<QString>("fileLayout"); // "" = seed given inline

    QTest::newRow("seed") << true << QString();
    QTest::newRow("seed file") << true << u"%1\n"_s;
    // nsc writes comments around the seed; the first line that is a seed counts.
    QTest::newRow("seed file with comments") << true << u"# user seed\r\n\r\n  %1  \r\n# end\r\n"_s;
    QTest::newRow("unknown key") << false << QString();
}

void tst_NatsAuth::nkey()
{
    QFETCH(bool, knownUser);
    QFETCH(QString, fileLayout);

    const NatsNKey key = knownUser ? m_nkeyUser : NatsNKey::create(NatsNKey::Type::User);
    NatsConnectOptions options = optionsFor(m_nkey.url());
    if (fileLayout.isEmpty()) {
        options.nkeySeed = key.seed();
    } else {
        options.nkeyFile = file(u"user.nk"_s);
        QVERIFY(writeFile(options.nkeyFile, fileLayout.arg(QString::fromLatin1(key.seed())).toUtf8()));
    }
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QVERIFY(!attempt.connection->serverInfo().nonce.isEmpty());
    if (knownUser) {
        QCOMPARE(attempt.firstError(), NatsError::NoError);
        QVERIFY(roundTrip(attempt.connection.get()));
    } else {
        QCOMPARE(attempt.firstError(), NatsError::AuthorizationViolation);
        QCOMPARE(attempt.errors.count(), 1);
        QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
        QVERIFY(!attempt.connection->errorString().contains(QString::fromLatin1(key.seed())));
    }
}

void tst_NatsAuth::jwt_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<NatsError::Code>("expected");

    QTest::newRow("creds file") << u"creds"_s << NatsError::NoError;
    QTest::newRow("JWT and seed given directly") << u"inline"_s << NatsError::NoError;
    QTest::newRow("creds with CRLF line ends") << u"crlf"_s << NatsError::NoError;
    QTest::newRow("expired user") << u"expired"_s << NatsError::AuthorizationViolation;
    QTest::newRow("unknown account") << u"unknown account"_s << NatsError::AuthorizationViolation;
    // A JWT signed for someone else: the nonce signature does not match its subject.
    QTest::newRow("seed of another user") << u"wrong seed"_s << NatsError::AuthorizationViolation;
}

void tst_NatsAuth::jwt()
{
    QFETCH(QString, kind);
    QFETCH(NatsError::Code, expected);

    NatsConnectOptions options = optionsFor(m_jwt.url());
    const QString credsPath = file(u"user.creds"_s);
    if (kind == "creds"_L1) {
        QVERIFY(writeFile(credsPath, m_issuer.userCreds(u"alice"_s)));
        options.credentialsFile = credsPath;
    } else if (kind == "crlf"_L1) {
        QVERIFY(writeFile(credsPath, m_issuer.userCreds(u"alice"_s).replace("\n", "\r\n")));
        options.credentialsFile = credsPath;
    } else if (kind == "inline"_L1) {
        const NatsNKey user = NatsNKey::create(NatsNKey::Type::User);
        options.userJwt = m_issuer.userJwt(user, u"bob"_s);
        options.userSeed = user.seed();
    } else if (kind == "expired"_L1) {
        QVERIFY(writeFile(credsPath, m_issuer.userCreds(u"old"_s, QDateTime::currentSecsSinceEpoch() - 60)));
        options.credentialsFile = credsPath;
    } else if (kind == "unknown account"_L1) {
        QVERIFY(writeFile(credsPath, m_issuer.unknownAccountUserCreds(u"stranger"_s)));
        options.credentialsFile = credsPath;
    } else if (kind == "wrong seed"_L1) {
        const NatsNKey user = NatsNKey::create(NatsNKey::Type::User);
        options.userJwt = m_issuer.userJwt(user, u"carol"_s);
        options.userSeed = NatsNKey::create(NatsNKey::Type::User).seed();
    }
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QCOMPARE(attempt.firstError(), expected);
    if (expected == NatsError::NoError) {
        QCOMPARE(attempt.connection->state(), NatsConnection::State::Connected);
        QVERIFY(roundTrip(attempt.connection.get()));
        // The APP account has JetStream: an account-level request proves we are in it.
        NatsReply *info = attempt.connection->request("$JS.API.INFO", {}, 5000);
        QSignalSpy finished(info, &NatsReply::finished);
        QVERIFY(finished.wait());
        QCOMPARE(info->error(), NatsError::NoError);
        QVERIFY2(!info->message().data().contains("\"error\""), info->message().data().constData());
    } else {
        QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
        QCOMPARE(attempt.errors.count(), 1);
        QCOMPARE(attempt.connected.count(), 0);
        QVERIFY2(attempt.connection->errorString().contains(u"Authorization Violation"_s),
                 qPrintable(attempt.connection->errorString()));
    }
}

void tst_NatsAuth::jwtExpiresWhileConnected()
{
    // The server sends 'User Authentication Expired' at exp and closes; reconnecting with the same
    // expired JWT is refused twice, after which the client gives up on the server and closes.
    const QString credsPath = file(u"soon.creds"_s);
    QVERIFY(writeFile(credsPath, m_issuer.userCreds(u"soon"_s, QDateTime::currentSecsSinceEpoch() + 2)));
    NatsConnectOptions options = optionsFor(m_jwt.url());
    options.credentialsFile = credsPath;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Connected);
    QVERIFY(attempt.closed.wait(10000));
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
    QVERIFY(attempt.errors.count() >= 1);
    QCOMPARE(attempt.firstError(), NatsError::AuthenticationExpired);
    // Which refusal ends it depends on timing: within the expiry second the server accepts the JWT at
    // CONNECT and expires it again; after it, it refuses the CONNECT. Either way an auth error, twice.
    const auto last = attempt.errors.last().first().value<NatsError::Code>();
    QVERIFY2(last == NatsError::AuthorizationViolation || last == NatsError::AuthenticationExpired,
             qPrintable(NatsError::codeName(last)));
}

void tst_NatsAuth::credentialsErrors_data()
{
    QTest::addColumn<QString>("option"); // "nkey" or "creds"
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("exists");

    const NatsNKey user = NatsNKey::create(NatsNKey::Type::User);
    QByteArray corruptSeed = user.seed();
    corruptSeed[10] = corruptSeed[10] == 'A' ? 'B' : 'A'; // the CRC no longer matches
    const QByteArray goodCreds = m_issuer.userCreds(u"x"_s);

    QTest::newRow("nkey: missing file") << u"nkey"_s << QByteArray() << false;
    QTest::newRow("nkey: no seed in file") << u"nkey"_s << "hello world\n"_ba << true;
    QTest::newRow("nkey: empty file") << u"nkey"_s << QByteArray() << true;
    QTest::newRow("nkey: corrupt seed") << u"nkey"_s << corruptSeed + "\n"_ba << true;
    QTest::newRow("nkey: truncated seed") << u"nkey"_s << user.seed().left(20) + "\n"_ba << true;
    QTest::newRow("creds: missing file") << u"creds"_s << QByteArray() << false;
    QTest::newRow("creds: garbage") << u"creds"_s << "this is not a creds file\n"_ba << true;
    QTest::newRow("creds: empty file") << u"creds"_s << QByteArray() << true;
    QTest::newRow("creds: no seed") << u"creds"_s << goodCreds.left(goodCreds.indexOf("*****")) << true;
    const QByteArray seedFence = "-----BEGIN USER NKEY SEED-----\n"_ba;
    const qsizetype seedAt = goodCreds.indexOf(seedFence) + seedFence.size();
    QTest::newRow("creds: corrupt seed") << u"creds"_s << QByteArray(goodCreds).replace(seedAt, 58, corruptSeed)
                                         << true;
}

void tst_NatsAuth::credentialsErrors()
{
    QFETCH(QString, option);
    QFETCH(QByteArray, content);
    QFETCH(bool, exists);

    const QString path = file(
        u"broken-%1.file"_s.arg(QString::fromUtf8(QTest::currentDataTag())).replace(u' ', u'_').remove(u':'));
    QFile::remove(path);
    if (exists)
        QVERIFY(writeFile(path, content));

    NatsConnectOptions options = optionsFor(option == "nkey"_L1 ? m_nkey.url() : m_jwt.url());
    if (option == "nkey"_L1)
        options.nkeyFile = path;
    else
        options.credentialsFile = path;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
    QCOMPARE(attempt.errors.count(), 1);
    QCOMPARE(attempt.firstError(), NatsError::CredentialsError);
    QCOMPARE(attempt.closed.count(), 1);
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(path), qPrintable(message));
}

void tst_NatsAuth::permissionsViolation()
{
    // The server refuses what the user may not do but keeps the connection (§2.3): the subscription or
    // request concerned fails, the rest goes on.
    NatsConnectOptions options = optionsFor(m_permissions.url());
    options.user = u"limited"_s;
    options.password = u"p"_s;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    NatsConnection *connection = attempt.connection.get();
    QVERIFY(connection->isConnected());

    NatsSubscription *denied = connection->subscribe("denied.x");
    QSignalSpy deniedErrors(denied, &NatsSubscription::errorOccurred);
    QVERIFY(deniedErrors.wait());
    QCOMPARE(denied->error(), NatsError::PermissionsViolation);
    QVERIFY2(denied->errorString().contains(u"denied.x"_s), qPrintable(denied->errorString()));

    NatsReply *request = connection->request("denied.svc", "x", 10000);
    QSignalSpy requestErrors(request, &NatsReply::errorOccurred);
    QVERIFY(requestErrors.wait());
    QCOMPARE(request->error(), NatsError::PermissionsViolation);
    QVERIFY2(request->errorString().contains(u"denied.svc"_s), qPrintable(request->errorString()));

    QVERIFY(connection->isConnected());
    QCOMPARE(attempt.errors.count(), 0); // each refusal is the subscription's or the request's, not the connection's
    QCOMPARE(connection->error(), NatsError::NoError);
    NatsSubscription *allowed = connection->subscribe("allowed.x");
    QSignalSpy messages(allowed, &NatsSubscription::messageReceived);
    QCOMPARE(connection->publish("allowed.x", "fine").code(), NatsError::NoError);
    QVERIFY(messages.wait());
}

void tst_NatsAuth::deniedPublishFailsRequestsAtOnce_data()
{
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("plain") << "denied.svc"_ba;
    // The server quotes the subject as Go's %q does: quotes and backslashes come escaped.
    QTest::newRow("quotes") << R"(denied.say"hi")"_ba;
    QTest::newRow("backslash") << R"(denied.back\slash)"_ba;
    QTest::newRow("UTF-8") << "denied.caf\xc3\xa9"_ba;
}

void tst_NatsAuth::deniedPublishFailsRequestsAtOnce()
{
    QFETCH(QByteArray, subject);
    // 'Permissions Violation for Publish to "denied.svc"': the requests to that subject fail with the
    // permission error at once, well before their timeout, and the others are unaffected.
    NatsConnectOptions options = optionsFor(m_denials.url());
    options.user = u"nopub"_s;
    options.password = u"p"_s;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    NatsConnection *connection = attempt.connection.get();
    QVERIFY(connection->isConnected());
    NatsSubscription *service = connection->subscribe("allowed.svc");
    connect(service, &NatsSubscription::messageReceived, connection,
            [connection](const NatsMessage &message) { connection->publish(message.replyTo(), "answer"); });

    QElapsedTimer clock;
    clock.start();
    QList<NatsReply *> denied;
    for (int i = 0; i < 3; ++i)
        denied.append(connection->request(subject, "x", 30000));
    NatsReply *allowed = connection->request("allowed.svc", "x", 30000);
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(denied.cbegin(), denied.cend(), [](NatsReply *r) { return r->isFinished(); }),
                             5000);
    for (NatsReply *reply : std::as_const(denied)) {
        QCOMPARE(reply->error(), NatsError::PermissionsViolation);
        QVERIFY2(reply->errorString().contains(QString::fromUtf8(subject)), qPrintable(reply->errorString()));
    }
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QTRY_VERIFY(allowed->isFinished());
    QCOMPARE(allowed->error(), NatsError::NoError);
    QCOMPARE(allowed->message().data(), "answer"_ba);
    QVERIFY(connection->isConnected());
}

void tst_NatsAuth::deniedInboxFailsRequestsAtOnce()
{
    // 'Permissions Violation for Subscription to "_INBOX.<nuid>.*"': the shared reply inbox is refused,
    // so no request can ever be answered. They fail at once, naming the inbox, instead of timing out,
    // and so do later ones; publishing and other subscriptions go on.
    NatsConnectOptions options = optionsFor(m_denials.url());
    options.user = u"noinbox"_s;
    options.password = u"p"_s;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    NatsConnection *connection = attempt.connection.get();
    QVERIFY(connection->isConnected());

    QElapsedTimer clock;
    clock.start();
    NatsReply *first = connection->request("some.svc", "x", 30000);
    NatsReply *second = connection->request("other.svc", "y", 30000);
    QTRY_VERIFY_WITH_TIMEOUT(first->isFinished() && second->isFinished(), 5000);
    for (NatsReply *reply : {first, second}) {
        QCOMPARE(reply->error(), NatsError::PermissionsViolation);
        QVERIFY2(reply->errorString().contains(u"_INBOX."_s), qPrintable(reply->errorString()));
    }
    NatsReply *later = connection->request("some.svc", "z", 30000);
    QTRY_VERIFY_WITH_TIMEOUT(later->isFinished(), 5000);
    QCOMPARE(later->error(), NatsError::PermissionsViolation);
    QVERIFY2(later->errorString().contains(u"_INBOX."_s), qPrintable(later->errorString()));
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));

    QVERIFY(connection->isConnected());
    QVERIFY(roundTrip(connection));
}

void tst_NatsAuth::deniedQueueSubscription()
{
    // With a queue group the server's text goes on after the subject:
    // 'Permissions Violation for Subscription to "denied.q" using queue "workers"'.
    NatsConnectOptions options = optionsFor(m_denials.url());
    options.user = u"nopub"_s;
    options.password = u"p"_s;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    NatsConnection *connection = attempt.connection.get();
    QVERIFY(connection->isConnected());
    NatsSubscription *denied = connection->subscribe("denied.q", "workers");
    QSignalSpy deniedErrors(denied, &NatsSubscription::errorOccurred);
    QVERIFY(deniedErrors.wait());
    QCOMPARE(denied->error(), NatsError::PermissionsViolation);
    QVERIFY2(denied->errorString().contains(u"denied.q"_s), qPrintable(denied->errorString()));
    QVERIFY(connection->isConnected());
}

void tst_NatsAuth::deniedSubscriptionIsNotTheConnectionsError()
{
    // A refused subscription is that subscription's error. The connection is fine and does not record
    // it: the window would show it as the reason of a later, unrelated disconnect (a user who may not
    // watch the stream advisories saw "disconnected: Permissions Violation ...").
    NatsConnectOptions options = optionsFor(m_denials.url());
    options.user = u"nopub"_s;
    options.password = u"p"_s;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    NatsConnection *connection = attempt.connection.get();
    QSignalSpy connectionErrors(connection, &NatsConnection::errorOccurred);
    NatsSubscription *denied = connection->subscribe("denied.q");
    QSignalSpy deniedErrors(denied, &NatsSubscription::errorOccurred);
    QVERIFY(deniedErrors.wait());
    QCOMPARE(denied->error(), NatsError::PermissionsViolation);
    QVERIFY(roundTrip(connection));
    QCOMPARE(connectionErrors.size(), 0);
    QCOMPARE(connection->error(), NatsError::NoError);
}

// ---- TLS ------------------------------------------------------------------------------------------

QTEST_GUILESS_MAIN(tst_NatsAuth)

#include "tst_natsauth.moc"
