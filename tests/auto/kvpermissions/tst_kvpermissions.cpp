#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvuserpermissions.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QLoggingCategory>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Key/Value calls by users the server restricts, on every server: what the server refuses is a
// PermissionsViolation at once, naming the subject, never a timeout (publish, JetStream API, the deliver
// inbox of a watch). On 2.10+ KvUserPermissions predicts the refusals before anything is sent.
class tst_KvPermissions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refusedAtOnce_data();
    void refusedAtOnce();
    void watchRefusedAtOnce_data();
    void watchRefusedAtOnce();
    void allowedStillWorks();
    void predictedBeforeSending();
    void oldRevisionReadTheAllowedWay();
    void historyReadByGetsWithoutConsumers_data();
    void historyReadByGetsWithoutConsumers();

private:
    KvContext *connectAs(const QString &user, KvClient **client = nullptr);

    NatsServerProcess m_server;
};

// Requests would time out after this: anything near it is a failure to report the refusal.
constexpr int kRequestTimeoutMs = 20000;
constexpr int kAtOnceMs = 3000;

void tst_KvPermissions::initTestCase()
{
    NatsServerProcess::Options options;
    options.config = R"(accounts { APP: { jetstream: enabled, users: [
  { user: admin, password: pw }
  { user: reader, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"],
                 deny: ["$JS.API.STREAM.CREATE.>", "$JS.API.STREAM.DELETE.>", "$JS.API.DIRECT.GET.KV_secret.>",
                        "$JS.API.DIRECT.GET.KV_secret", "$JS.API.STREAM.MSG.GET.KV_secret"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: writer, password: pw, permissions: {
      publish: { allow: ["$KV.orders.>", "$JS.API.>", "$SYS.REQ.USER.INFO"],
                 deny: ["$KV.orders.locked.>", "$JS.API.CONSUMER.CREATE.KV_secret", "$JS.API.CONSUMER.CREATE.KV_secret.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: revreader, password: pw, permissions: {
      publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.KV_orders", "$JS.API.DIRECT.GET.KV_orders.>",
                         "$JS.API.STREAM.MSG.GET.KV_orders", "$SYS.REQ.USER.INFO"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: blind, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"],
                 deny: ["$JS.API.CONSUMER.CREATE.KV_secret", "$JS.API.CONSUMER.CREATE.KV_secret.>",
                        "$JS.API.DIRECT.GET.KV_secret", "$JS.API.DIRECT.GET.KV_secret.>",
                        "$JS.API.STREAM.MSG.GET.KV_secret"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: nodeliver, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"] }
      subscribe: { allow: ["_INBOX.*.*"] } } }
] } }
)";
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    KvContext *admin = connectAs(u"admin"_s);
    QVERIFY(admin);
    for (const QString &name : {u"orders"_s, u"secret"_s}) {
        KvBucketConfig config;
        config.bucket = name;
        config.history = 5;
        QVERIFY(KvTest::createBucket(admin, config));
        WAIT_OK(admin->bucket(name)->put(u"a"_s, "1"));
    }
}

KvContext *tst_KvPermissions::connectAs(const QString &user, KvClient **clientOut)
{
    KvClientOptions options = KvClientOptions::fromUrl(m_server.url());
    options.connection.user = user;
    options.connection.password = u"pw"_s;
    options.connection.requestTimeoutMs = kRequestTimeoutMs;
    options.requestTimeoutMs = kRequestTimeoutMs;
    KvContext *kv = nullptr;
    KvClient *client = KvTest::connectClient(options, this, nullptr, nullptr, &kv);
    if (clientOut)
        *clientOut = client;
    return kv;
}

void tst_KvPermissions::refusedAtOnce_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("subject"); // what the error must name
    QTest::newRow("put") << u"reader"_s << u"put orders x"_s << u"$KV.orders.x"_s;
    QTest::newRow("put locked key") << u"writer"_s << u"put orders locked.k"_s << u"$KV.orders.locked.k"_s;
    QTest::newRow("delete key") << u"reader"_s << u"delete orders a"_s << u"$KV.orders.a"_s;
    QTest::newRow("purge key") << u"reader"_s << u"purge orders a"_s << u"$KV.orders.a"_s;
    QTest::newRow("get") << u"reader"_s << u"get secret a"_s << u"KV_secret"_s;
    QTest::newRow("create bucket") << u"reader"_s << u"create fresh"_s << u"$JS.API.STREAM.CREATE.KV_fresh"_s;
    QTest::newRow("delete bucket") << u"reader"_s << u"drop orders"_s << u"$JS.API.STREAM.DELETE.KV_orders"_s;
    // Neither a consumer nor a get by sequence: the consumer's refusal is said (the usual way).
    QTest::newRow("history") << u"blind"_s << u"history secret a"_s << u"$JS.API.CONSUMER.CREATE.KV_secret"_s;
}

void tst_KvPermissions::refusedAtOnce()
{
    QFETCH(QString, user);
    QFETCH(QString, action);
    QFETCH(QString, subject);
    KvContext *kv = connectAs(user);
    QVERIFY(kv);
    const QStringList words = action.split(u' ');
    QElapsedTimer clock;
    clock.start();
    KvReply *reply = nullptr;
    if (words[0] == "put"_L1) {
        reply = kv->bucket(words[1])->put(words[2], "v");
    } else if (words[0] == "delete"_L1) {
        reply = kv->bucket(words[1])->remove(words[2]);
    } else if (words[0] == "purge"_L1) {
        reply = kv->bucket(words[1])->purge(words[2]);
    } else if (words[0] == "get"_L1) {
        reply = kv->bucket(words[1])->get(words[2]);
    } else if (words[0] == "history"_L1) {
        reply = kv->bucket(words[1])->history(words[2]);
    } else if (words[0] == "create"_L1) {
        KvBucketConfig config;
        config.bucket = words[1];
        reply = kv->createBucket(config);
    } else {
        reply = kv->deleteBucket(words[1]);
    }
    QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), kRequestTimeoutMs + 5000);
    QVERIFY2(clock.elapsed() < kAtOnceMs, qPrintable(u"%1 ms: %2"_s.arg(clock.elapsed()).arg(reply->errorString())));
    QCOMPARE(reply->error(), NatsError::PermissionsViolation);
    QVERIFY2(reply->errorString().contains(subject), qPrintable(reply->errorString()));
}

void tst_KvPermissions::watchRefusedAtOnce_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("says"); // the words of the error, not the server's raw -ERR
    // Said in words (the server's -ERR quoted the random consumer name and nothing about what it meant):
    // keys can be neither listed nor watched.
    QTest::newRow("consumer create") << u"writer"_s << u"secret"_s << u"$JS.API.CONSUMER.CREATE.KV_secret"_s
                                     << u"you may not create consumers, so the keys of bucket \"secret\" cannot be "
                                        "listed or watched"_s;
    // The request inbox (_INBOX.<id>.*) is allowed, the deliver inbox (_INBOX.<id>) is not.
    QTest::newRow("deliver inbox") << u"nodeliver"_s << u"orders"_s << u"_INBOX."_s << QString();
}

void tst_KvPermissions::watchRefusedAtOnce()
{
    QFETCH(QString, user);
    QFETCH(QString, bucket);
    QFETCH(QString, subject);
    QFETCH(QString, says);
    KvContext *kv = connectAs(user);
    QVERIFY(kv);
    QElapsedTimer clock;
    clock.start();
    KvWatcher *watcher = kv->bucket(bucket)->watchAll();
    QTRY_VERIFY_WITH_TIMEOUT(watcher->state() == KvWatcher::State::Failed, kRequestTimeoutMs + 5000);
    QVERIFY2(clock.elapsed() < kAtOnceMs, qPrintable(u"%1 ms: %2"_s.arg(clock.elapsed()).arg(watcher->errorString())));
    QCOMPARE(watcher->error(), NatsError::PermissionsViolation);
    QVERIFY2(watcher->errorString().contains(subject), qPrintable(watcher->errorString()));
    if (!says.isEmpty()) {
        QVERIFY2(watcher->errorString().startsWith(says), qPrintable(watcher->errorString()));
        QVERIFY2(!watcher->errorString().contains(u"Permissions Violation"_s), qPrintable(watcher->errorString()));
    }
}

void tst_KvPermissions::allowedStillWorks()
{
    // The refusals above leave the rest alone: a reader reads, a writer writes its keys.
    KvContext *reader = connectAs(u"reader"_s);
    QVERIFY(reader);
    QCOMPARE(KvTest::value(reader->bucket(u"orders"_s), u"a"_s), "1"_ba);
    KvContext *writer = connectAs(u"writer"_s);
    QVERIFY(writer);
    WAIT_OK(writer->bucket(u"orders"_s)->put(u"b"_s, "2"));
}

void tst_KvPermissions::predictedBeforeSending()
{
    KvClient *client = nullptr;
    KvContext *kv = connectAs(u"reader"_s, &client);
    QVERIFY(kv);
    KvUserPermissions permissions(client->jetStream());
    QTRY_VERIFY_WITH_TIMEOUT(permissions.isSettled(), kAtOnceMs);
    if (!permissions.permissions().isKnown()) {
        // 2.9: unknown, so nothing is refused in advance; the server's errors above are the answer.
        QVERIFY(permissions.permissions().writeRefusal(u"orders"_s, u"x"_s).isEmpty());
        QVERIFY2(permissions.unknownReason().contains(u"USER.INFO"_s), qPrintable(permissions.unknownReason()));
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): permissions are unknown, the server decides");
    }
    const KvPermissions kvPermissions = permissions.permissions();
    QCOMPARE(permissions.user(), u"reader"_s);
    QCOMPARE(kvPermissions.writeRefusal(u"orders"_s, u"x"_s), u"you may not publish to $KV.orders.x"_s);
    QCOMPARE(kvPermissions.writeRefusal(u"orders"_s), u"you may not publish to $KV.orders.>"_s);
    QCOMPARE(kvPermissions.readRefusal(u"orders"_s), QString());
    QCOMPARE(kvPermissions.readRefusal(u"secret"_s),
             u"you may not publish to $JS.API.DIRECT.GET.KV_secret.$KV.secret.>"_s);
    QCOMPARE(kvPermissions.createBucketRefusal(u"fresh"_s), u"you may not publish to $JS.API.STREAM.CREATE.KV_fresh"_s);
    QCOMPARE(kvPermissions.deleteBucketRefusal(u"orders"_s),
             u"you may not publish to $JS.API.STREAM.DELETE.KV_orders"_s);
    QCOMPARE(kvPermissions.listBucketsRefusal(), QString());
}

namespace {

// What the connection wrote, from its wire log (kvdesk.protocol.wire), while one exists.
class WireLog
{
public:
    WireLog()
    {
        s_written.clear();
        QLoggingCategory::setFilterRules(u"kvdesk.protocol.wire.debug=true"_s);
        m_previous = qInstallMessageHandler(&WireLog::handle);
    }
    ~WireLog()
    {
        qInstallMessageHandler(m_previous);
        QLoggingCategory::setFilterRules(QString());
    }
    static QByteArray written() { return s_written; }

private:
    static void handle(QtMsgType, const QMessageLogContext &, const QString &message)
    {
        s_written += message.toUtf8() + '\n';
    }

    static inline QByteArray s_written;
    QtMessageHandler m_previous = nullptr;
};

} // namespace

// An older revision is read with the unsuffixed DIRECT.GET.KV_orders, which the usual read permissions
// (DIRECT.GET.KV_orders.>, STREAM.MSG.GET.KV_orders) refuse. Where the permissions say so (2.10+) the
// read goes to STREAM.MSG.GET at once: before, the direct get went first and came back refused.
void tst_KvPermissions::oldRevisionReadTheAllowedWay()
{
    KvContext *admin = connectAs(u"admin"_s);
    QVERIFY(admin);
    WAIT_OK(admin->bucket(u"orders"_s)->put(u"old"_s, "one"));
    KvReply *second = admin->bucket(u"orders"_s)->put(u"old"_s, "two");
    WAIT_OK(second);
    const quint64 first = second->revision() - 1;
    KvClient *client = nullptr;
    KvContext *kv = connectAs(u"revreader"_s, &client);
    QVERIFY(kv);
    KvUserPermissions permissions(client->jetStream());
    QTRY_VERIFY_WITH_TIMEOUT(permissions.isSettled(), kAtOnceMs);
    kv->setPermissions(permissions.permissions());
    for (const bool bound : {false, true}) {
        KvBucket *bucket = kv->bucket(u"orders"_s);
        if (bound)
            WAIT_OK(bucket->status());
        const WireLog log;
        KvReply *old = bucket->get(u"old"_s, first);
        QTRY_VERIFY_WITH_TIMEOUT(old->isFinished(), kRequestTimeoutMs);
        QCOMPARE(old->error(), NatsError::NoError);
        QCOMPARE(old->entry().value, "one"_ba);
        if (!permissions.permissions().isKnown())
            continue; // 2.9: the direct get is refused first, STREAM.MSG.GET answers (checked above)
        QVERIFY2(!WireLog::written().contains("PUB $JS.API.DIRECT.GET.KV_orders "), WireLog::written().constData());
        QVERIFY2(!WireLog::written().contains("Permissions Violation"), WireLog::written().constData());
    }
    if (!permissions.permissions().isKnown())
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): the refusal is met first, then the fallback");
}

void tst_KvPermissions::historyReadByGetsWithoutConsumers_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("bucket");
    // May not create consumers on secret; every get allowed (the unsuffixed DIRECT.GET.KV_secret too).
    QTest::newRow("direct gets") << u"writer"_s << u"secret"_s;
    // No consumers at all, and only the suffixed DIRECT.GET.KV_orders.>: read through STREAM.MSG.GET.
    QTest::newRow("message gets") << u"revreader"_s << u"orders"_s;
}

// A user who may not create consumers still reads a key's history where the gets of its revisions are
// allowed: one revision at a time, markers included, oldest first; before, the history was refused.
void tst_KvPermissions::historyReadByGetsWithoutConsumers()
{
    QFETCH(QString, user);
    QFETCH(QString, bucket);
    KvContext *admin = connectAs(u"admin"_s);
    QVERIFY(admin);
    const QString key = u"hist."_s + QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_');
    KvBucket *written = admin->bucket(bucket);
    WAIT_OK(written->put(key, "one"));
    WAIT_OK(written->put(u"other"_s, "between")); // another key's revision in between
    WAIT_OK(written->put(key, "two"));
    WAIT_OK(written->remove(key));
    KvClient *client = nullptr;
    KvContext *kv = connectAs(user, &client);
    QVERIFY(kv);
    KvReply *history = kv->bucket(bucket)->history(key);
    QTRY_VERIFY_WITH_TIMEOUT(history->isFinished(), kRequestTimeoutMs);
    QCOMPARE(history->errorString(), QString());
    const QList<KvEntry> entries = history->entries();
    QCOMPARE(entries.size(), 3);
    QCOMPARE(entries[0].value, "one"_ba);
    QCOMPARE(entries[1].value, "two"_ba);
    QCOMPARE(entries[2].operation, KvEntry::Operation::Delete);
    QVERIFY(entries[0].revision < entries[1].revision && entries[1].revision < entries[2].revision);
    for (const KvEntry &entry : entries)
        QCOMPARE(entry.key, key);
    // A key never written: not found, as through a consumer.
    KvReply *never = kv->bucket(bucket)->history(u"never"_s);
    QTRY_VERIFY_WITH_TIMEOUT(never->isFinished(), kRequestTimeoutMs);
    QCOMPARE(never->error(), NatsError::KeyNotFound);

    KvUserPermissions permissions(client->jetStream());
    QTRY_VERIFY_WITH_TIMEOUT(permissions.isSettled(), kAtOnceMs);
    if (!permissions.permissions().isKnown())
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): nothing to predict");
    QVERIFY(!permissions.permissions().watchRefusal(bucket).isEmpty());
    QCOMPARE(permissions.permissions().historyRefusal(bucket), QString());
    KvClient *blindClient = nullptr;
    QVERIFY(connectAs(u"blind"_s, &blindClient));
    KvUserPermissions blind(blindClient->jetStream());
    QTRY_VERIFY_WITH_TIMEOUT(blind.isSettled(), kAtOnceMs);
    QCOMPARE(blind.permissions().historyRefusal(u"secret"_s),
             u"you may not publish to $JS.API.CONSUMER.CREATE.KV_secret.>"_s);
}

QTEST_GUILESS_MAIN(tst_KvPermissions)

#include "tst_kvpermissions.moc"
