#include "kvclient.h"
#include "kvtestsupport.h"
#include "kvuserpermissions.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natsuserinforeply.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

// $SYS.REQ.USER.INFO (nats-modern.md §7) against real servers with users and permission blocks: what
// 2.10+ answers, that 2.9 is not asked (NoResponders at once), a user who may not ask, and the evaluator
// judging subjects as the server itself does.
class tst_NatsUserInfo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void restrictedUser();
    void unrestrictedUser();
    void userWhoMayNotAsk();
    void serverBefore210IsNotAsked();
    void askedWithTheHandshake();
    void askedAgainWithTheNextServer();
    void settlesWhenTheConnectionCloses();
    void evaluatorAgreesWithServer_data();
    void evaluatorAgreesWithServer();

private:
    NatsConnection *connectAs(const QString &user, const QString &password);
    // A KvClient's options for bob on servers (a URL or a comma-separated pool, tried in order).
    static KvClientOptions bobOn(const QString &servers);
    // Asks and waits; the reply is finished (well before its 20 s timeout) or the test failed.
    NatsUserInfoReply *ask(NatsConnection *connection);

    NatsServerProcess m_server;
};

// What the connection writes, one entry per write (its wire log, kvdesk.protocol.wire).
class WireWrites final
{
public:
    WireWrites()
    {
        s_writes.clear();
        QLoggingCategory::setFilterRules(u"kvdesk.protocol.wire.debug=true"_s);
        s_previous = qInstallMessageHandler(capture);
    }
    ~WireWrites()
    {
        qInstallMessageHandler(s_previous);
        QLoggingCategory::setFilterRules({});
    }
    static QStringList all() { return s_writes; }
    // The writes that carry a CONNECT.
    static QStringList connects() { return s_writes.filter(QRegularExpression(u"^>> CONNECT \\{"_s)); }

private:
    static void capture(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        if (qstrcmp(context.category, "kvdesk.protocol.wire") != 0)
            s_previous(type, context, text); // the test's own messages, and the library's warnings
        else if (text.startsWith(u">>"_s))
            s_writes.append(text);
    }

    static inline QStringList s_writes;
    static inline QtMessageHandler s_previous = nullptr;
};

// The permissions of alice as configured, in USER.INFO's form: what 2.9 would answer if it could.
static const QByteArray kAlicePermissions = R"({
    "publish": { "allow": ["$KV.CFG.>", "$JS.API.>", "$SYS.REQ.USER.INFO"], "deny": ["$KV.CFG.secret.>"] },
    "subscribe": { "allow": ["_INBOX.>", "$KV.CFG.>"], "deny": ["$KV.CFG.secret.>"] } })";

void tst_NatsUserInfo::initTestCase()
{
    NatsServerProcess::Options options;
    options.jetStream = true;
    options.config = "accounts { APP: { jetstream: enabled, users: [\n"
                     "  { user: alice, password: apw, permissions: "_ba
        + kAlicePermissions
        + " }\n"
          "  { user: bob, password: bpw }\n"
          "  { user: carol, password: cpw, permissions: { publish: [\"$KV.>\"], subscribe: [\"_INBOX.>\"] } }\n"
          "] } }\n";
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
}

NatsConnection *tst_NatsUserInfo::connectAs(const QString &user, const QString &password)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(m_server.url());
    options.user = user;
    options.password = password;
    NatsConnection *connection = nullptr;
    KvTest::connectClient(options, this, &connection);
    return connection;
}

KvClientOptions tst_NatsUserInfo::bobOn(const QString &servers)
{
    KvClientOptions options;
    options.connection = NatsConnectOptions::fromUrl(servers);
    options.connection.randomizeServers = false;
    options.connection.user = u"bob"_s;
    options.connection.password = u"bpw"_s;
    return options;
}

NatsUserInfoReply *tst_NatsUserInfo::ask(NatsConnection *connection)
{
    QElapsedTimer clock;
    clock.start();
    NatsUserInfoReply *reply = NatsUserInfoReply::ask(connection, 20000);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
        qWarning("USER.INFO did not finish within 5 s");
    return reply;
}

static QByteArrayList sorted(QByteArrayList list)
{
    std::sort(list.begin(), list.end());
    return list;
}

void tst_NatsUserInfo::restrictedUser()
{
    NatsConnection *connection = connectAs(u"alice"_s, u"apw"_s);
    QVERIFY(connection);
    NatsUserInfoReply *reply = ask(connection);
    QVERIFY(reply->isFinished());
    if (reply->error() == NatsError::NoResponders) {
        // 2.9 would answer "503 no responders" (nats-modern.md §7), so it is not asked: unknown, and it
        // says why.
        QVERIFY2(reply->errorString().contains(u"2.10"_s), qPrintable(reply->errorString()));
        QVERIFY(!reply->userInfo().permissions.isKnown());
        QVERIFY(reply->userInfo().permissions.mayPublish("$KV.anything.x"));
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (it needs 2.10+): not asked, no responders at once");
    }
    QVERIFY2(reply->error() == NatsError::NoError, qPrintable(reply->errorString()));
    const NatsUserInfo info = reply->userInfo();
    QCOMPARE(info.user, u"alice"_s);
    QCOMPARE(info.account, u"APP"_s);
    QVERIFY(info.permissions.isRestricted());
    // The patterns as configured, in the server's own order.
    QCOMPARE(sorted(info.permissions.publishRules().allow),
             QByteArrayList({"$JS.API.>", "$KV.CFG.>", "$SYS.REQ.USER.INFO"}));
    QCOMPARE(info.permissions.publishRules().deny, QByteArrayList{"$KV.CFG.secret.>"});
    QCOMPARE(sorted(info.permissions.subscribeRules().allow), QByteArrayList({"$KV.CFG.>", "_INBOX.>"}));
    QVERIFY(connection->isConnected());
}

void tst_NatsUserInfo::unrestrictedUser()
{
    NatsConnection *connection = connectAs(u"bob"_s, u"bpw"_s);
    QVERIFY(connection);
    NatsUserInfoReply *reply = ask(connection);
    QVERIFY(reply->isFinished());
    if (reply->error() == NatsError::NoResponders)
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (it needs 2.10+)");
    QVERIFY2(reply->error() == NatsError::NoError, qPrintable(reply->errorString()));
    QCOMPARE(reply->userInfo().user, u"bob"_s);
    QVERIFY(reply->userInfo().permissions.isKnown());
    QVERIFY(!reply->userInfo().permissions.isRestricted());
}

void tst_NatsUserInfo::userWhoMayNotAsk()
{
    // -ERR 'Permissions Violation for Publish to "$SYS.REQ.USER.INFO"', at once, and the connection stays
    // open (2.9 said the same; it is no longer asked: serverBefore210IsNotAsked()). The permissions stay
    // unknown.
    NatsConnection *connection = connectAs(u"carol"_s, u"cpw"_s);
    QVERIFY(connection);
    QSignalSpy connectionErrors(connection, &NatsConnection::errorOccurred);
    NatsUserInfoReply *reply = ask(connection);
    QVERIFY(reply->isFinished());
    if (!connection->serverInfo().versionAtLeast(2, 10, 0))
        QSKIP("this nats-server is not asked (it needs 2.10+ to answer): serverBefore210IsNotAsked() covers it");
    QCOMPARE(reply->error(), NatsError::PermissionsViolation);
    QVERIFY2(reply->errorString().contains(u"$SYS.REQ.USER.INFO"_s), qPrintable(reply->errorString()));
    QVERIFY(!reply->userInfo().permissions.isKnown());
    QVERIFY(connection->isConnected());
    // The refusal only means "permissions unknown": it is the reply's, not the connection's error (the
    // window would show it as one). A flush after it: the -ERR has been read by then.
    WAIT_OK(connection->flush());
    QVERIFY2(!connection->lastError().isError(), qPrintable(connection->lastError().message()));
    QCOMPARE(connectionErrors.count(), 0);
}

// A server older than 2.10 has no $SYS.REQ.USER.INFO: its INFO says so, and asking would cost a round
// trip (kvdesk-cli asks before each command) for the "no responders" it always answers. Asked anyway
// on 2.10+, where the answer is the user's.
void tst_NatsUserInfo::serverBefore210IsNotAsked()
{
    NatsConnection *connection = connectAs(u"bob"_s, u"bpw"_s);
    QVERIFY(connection);
    const bool answers = connection->serverInfo().versionAtLeast(2, 10, 0);
    const quint64 sentBefore = connection->statistics().outMessages;
    NatsUserInfoReply *reply = ask(connection);
    QVERIFY(reply->isFinished());
    QCOMPARE(connection->statistics().outMessages - sentBefore, answers ? 1u : 0u);
    if (answers) {
        QVERIFY2(reply->error() == NatsError::NoError, qPrintable(reply->errorString()));
        return;
    }
    QCOMPARE(reply->error(), NatsError::NoResponders);
    QVERIFY2(reply->errorString().contains(u"2.10"_s), qPrintable(reply->errorString()));
    QVERIFY(!reply->userInfo().permissions.isKnown());
}

// kvdesk-cli asks before each command, the window once per connection: asked when the server's INFO
// comes, the question goes out in the same write as CONNECT, so its answer comes right after the
// handshake's PONG instead of a round trip later (2.10+; 2.9 is not asked at all).
void tst_NatsUserInfo::askedWithTheHandshake()
{
    WireWrites wire;
    KvClient client;
    KvUserPermissions permissions(client.jetStream());
    client.open(bobOn(m_server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(permissions.isSettled(), 10000);
    QVERIFY(client.isConnected());
    const QStringList connects = WireWrites::connects();
    QCOMPARE(connects.size(), 1);
    if (!client.connection()->serverInfo().versionAtLeast(2, 10, 0)) {
        QVERIFY(WireWrites::all().filter(u"USER.INFO"_s).isEmpty());
        QVERIFY(!permissions.permissions().isKnown());
        return;
    }
    QVERIFY2(connects.first().contains(u"PUB $SYS.REQ.USER.INFO "_s), qPrintable(connects.first()));
    QCOMPARE(WireWrites::all().filter(u"USER.INFO"_s).size(), 1);   // not asked again once connected
    QCOMPARE(WireWrites::all().filter(u"SUB _INBOX."_s).size(), 1); // its inbox not subscribed twice
    QCOMPARE(permissions.user(), u"bob"_s);
    QVERIFY(permissions.permissions().isKnown());
}

// The question goes with each CONNECT until one is accepted: a server of the pool that refuses the
// credentials does not lose it, and it is answered once, by the server that took them.
void tst_NatsUserInfo::askedAgainWithTheNextServer()
{
    NatsServerProcess refusing;
    NatsServerProcess::Options serverOptions;
    serverOptions.config = "accounts { APP: { jetstream: enabled, users: [ { user: bob, password: other } ] } }\n";
    serverOptions.name = u"refusing"_s;
    QVERIFY2(refusing.start(serverOptions), qPrintable(refusing.errorString()));

    WireWrites wire;
    KvClient client;
    KvUserPermissions permissions(client.jetStream());
    client.open(bobOn(refusing.url() + u","_s + m_server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(permissions.isSettled(), 10000);
    QVERIFY2(client.isConnected(), qPrintable(client.errorString()));
    QCOMPARE(client.connection()->currentServer().port(), QUrl(m_server.url()).port());
    const QStringList connects = WireWrites::connects();
    QCOMPARE(connects.size(), 2);
    if (!client.connection()->serverInfo().versionAtLeast(2, 10, 0)) {
        QVERIFY(!permissions.permissions().isKnown());
        return;
    }
    for (const QString &write : connects)
        QVERIFY2(write.contains(u"PUB $SYS.REQ.USER.INFO "_s), qPrintable(write));
    QCOMPARE(WireWrites::all().filter(u"SUB _INBOX."_s).size(), 2); // once with each CONNECT
    QCOMPARE(permissions.user(), u"bob"_s);
    QVERIFY(permissions.permissions().isKnown());
}

// Closed while the question is out (or, on 2.9, before its "no responders" comes): the permissions are
// settled as unknown, with the reason, and whoever waits for them runs; they do not wait forever.
void tst_NatsUserInfo::settlesWhenTheConnectionCloses()
{
    KvClient client;
    KvUserPermissions permissions(client.jetStream());
    bool waited = false;
    connect(&client, &KvClient::ready, &client, [&] {
        permissions.whenSettled(&client, [&] { waited = true; });
        client.close();
    });
    client.open(bobOn(m_server.url()));
    QTRY_VERIFY_WITH_TIMEOUT(permissions.isSettled(), 10000);
    QVERIFY(waited);
    QVERIFY(!permissions.permissions().isKnown());
    QVERIFY(!permissions.unknownReason().isEmpty());
}

void tst_NatsUserInfo::evaluatorAgreesWithServer_data()
{
    QTest::addColumn<bool>("publish"); // else subscribe
    QTest::addColumn<QByteArray>("subject");
    QTest::newRow("pub allowed") << true << "$KV.CFG.a"_ba;
    QTest::newRow("pub denied by deny") << true << "$KV.CFG.secret.a"_ba;
    QTest::newRow("pub not allowed") << true << "$KV.OTHER.a"_ba;
    QTest::newRow("pub api") << true << "$JS.API.STREAM.INFO.KV_CFG"_ba;
    QTest::newRow("sub literal") << false << "$KV.CFG.a"_ba;
    QTest::newRow("sub gt") << false << "$KV.CFG.>"_ba;
    QTest::newRow("sub star") << false << "$KV.CFG.*"_ba;
    QTest::newRow("sub denied") << false << "$KV.CFG.secret.a"_ba;
    QTest::newRow("sub denied gt") << false << "$KV.CFG.secret.>"_ba;
    QTest::newRow("sub wildcard wider than allowed") << false << "$KV.*.a"_ba;
    QTest::newRow("sub everything") << false << ">"_ba;
}

void tst_NatsUserInfo::evaluatorAgreesWithServer()
{
    QFETCH(bool, publish);
    QFETCH(QByteArray, subject);
    NatsConnection *connection = connectAs(u"alice"_s, u"apw"_s);
    QVERIFY(connection);
    // The evaluator judges the permissions the server reported, or (2.9) the same ones as configured.
    NatsUserInfoReply *info = ask(connection);
    QVERIFY(info->isFinished());
    const NatsPermissions permissions = info->error() == NatsError::NoError
        ? info->userInfo().permissions
        : NatsPermissions::fromJson(QJsonDocument::fromJson(kAlicePermissions).object());

    bool serverAllows = false;
    if (publish) {
        // Allowed: an answer, or nobody answers (503); denied: the permissions violation. All at once.
        NatsReply *request = connection->request(subject, "x", 20000);
        QTRY_VERIFY_WITH_TIMEOUT(request->isFinished(), 5000);
        QVERIFY2(request->error() != NatsError::Timeout, qPrintable(request->errorString()));
        serverAllows = request->error() != NatsError::PermissionsViolation;
    } else {
        NatsSubscription *subscription = connection->subscribe(subject);
        WAIT_OK(connection->flush(5000)); // the -ERR comes before the PONG
        QTRY_VERIFY(subscription->error() == NatsError::NoError
                    || subscription->error() == NatsError::PermissionsViolation);
        serverAllows = subscription->error() == NatsError::NoError;
    }
    QCOMPARE(publish ? permissions.mayPublish(subject) : permissions.maySubscribe(subject), serverAllows);
}

QTEST_GUILESS_MAIN(tst_NatsUserInfo)

#include "tst_natsuserinfo.moc"
