#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvimportjob.h"
#include "kvmergeupdate.h"
#include "kvrestorejob.h"
#include "kvtestsupport.h"
#include "kvwriteretry.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QBuffer>
#include <QtCore/QElapsedTimer>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtCore/QRegularExpression>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

// What the client writes to its socket, line by line as the wire log shows it (kvdesk.protocol.wire):
// the tests freeze the server (SIGSTOP) at the very publish they mean, before its bytes leave the
// client, and read the Nats-Msg-Id each copy of a write carries.
std::function<void(const QString &)> g_wireTap;
QtMessageHandler g_previousHandler = nullptr;

void wireHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "kvdesk.protocol.wire") == 0) {
        if (g_wireTap)
            g_wireTap(message);
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Counts a reply's finished() and keeps the error it ended with, whether or not the reply survives.
class EndRecorder final : public QObject
{
public:
    explicit EndRecorder(KvReply *reply)
        : m_reply(reply)
    {
        connect(reply, &NatsReply::finished, this, [this] {
            ++finished;
            ended = m_reply->errorInfo();
        });
    }
    int finished = 0;
    NatsError ended;

private:
    QPointer<KvReply> m_reply;
};

} // namespace

// A write whose first copy timed out (the server is frozen) is being sent again with its Nats-Msg-Id
// (KvWriteRetry) when what it runs on goes: the JetStream context, the Key/Value context, the bucket
// handle, or the connection. Every reply and every job built on such writes (revert, KvMergeUpdate,
// KvRestoreJob, KvImportJob) still ends, once, with an error saying the write's outcome is unknown (its
// first copy may have been stored), never silently and never with a crash. And a write sent again,
// after a timeout or across a reconnect, carries one Nats-Msg-Id and is stored once.
class tst_KvWriteLifetime final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void writeEndsWhenItsOwnerGoes_data();
    void writeEndsWhenItsOwnerGoes();
    void readEndsWhenItsOwnerGoes_data();
    void readEndsWhenItsOwnerGoes();
    void jobEndsWhenItsOwnerGoes_data();
    void jobEndsWhenItsOwnerGoes();
    void resentWriteIsStoredOnce_data();
    void resentWriteIsStoredOnce();
    void contextCallEndsWhenItsOwnerGoes_data();
    void contextCallEndsWhenItsOwnerGoes();
    void retriesEndWithTheirLimit();

private:
    void connectClient(int pingIntervalMs = 2 * 60 * 1000, qint64 reconnectBufferSize = -1);
    KvBucket *prepareBucket();
    // Freezes (or kills) the server when the client is about to send the first write to key (its bytes
    // are not in the socket yet), and records the Nats-Msg-Id of every copy of it sent.
    void freezeAtFirstWrite(const QString &key, bool kill = false);
    // Freezes the server when the client is about to send its first JetStream API request.
    void freezeAtFirstApiRequest();
    bool thaw();
    // The write retry of bucket's replies that has sent at least attempts copies, or nullptr.
    static KvWriteRetry *retryWith(QObject *bucket, int attempts);
    // Destroys what the row names: jetstream, kvcontext (with its buckets), bucket, connection.
    void destroy(const QString &what, KvBucket *bucket);

    NatsServerProcess *m_server = nullptr;
    KvClient *m_client = nullptr;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    QByteArray m_frozenSubject;
    QList<QByteArray> m_messageIds; // of each copy of the frozen write, in the order sent
    bool m_freezeArmed = false;     // the next copy sent freezes the server (once)
    bool m_frozen = false;
};

static const QString kBucket = u"lifetime"_s;
static const QString kKey = u"orders.k1"_s;

void tst_KvWriteLifetime::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(wireHandler);
    QLoggingCategory::setFilterRules(u"kvdesk.protocol.wire.debug=true"_s);
}

void tst_KvWriteLifetime::cleanupTestCase()
{
    QLoggingCategory::setFilterRules({});
    qInstallMessageHandler(g_previousHandler);
}

void tst_KvWriteLifetime::init()
{
    m_server = new NatsServerProcess(this);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_frozen = false;
    m_frozenSubject.clear();
    m_messageIds.clear();
}

void tst_KvWriteLifetime::cleanup()
{
    g_wireTap = nullptr;
    thaw();
    delete m_client;
    m_client = nullptr;
    delete m_server;
    m_server = nullptr;
}

void tst_KvWriteLifetime::connectClient(int pingIntervalMs, qint64 reconnectBufferSize)
{
    KvClientOptions options = KvClientOptions::fromUrl(m_server->url());
    options.requestTimeoutMs = 400; // a frozen server's ack times out quickly, and the write is sent again
    options.connection.reconnectWaitMs = 100;
    options.connection.reconnectJitterMs = 50;
    options.connection.maxReconnectAttempts = -1;
    options.connection.pingIntervalMs = pingIntervalMs;
    options.connection.maxPingsOutstanding = 1;
    if (reconnectBufferSize >= 0)
        options.connection.reconnectBufferSize = reconnectBufferSize;
    m_client = KvTest::connectClient(options, nullptr, &m_connection, &m_js, &m_kv);
    QVERIFY(m_client);
}

KvBucket *tst_KvWriteLifetime::prepareBucket()
{
    KvBucketConfig config;
    config.bucket = kBucket;
    config.history = 10;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    KvBucket *bucket = m_kv->bucket(kBucket);
    // Revision 1 and 2 of the key: a JSON value and an edit of it (for revert, update, merge, restore).
    for (const QByteArray &value : {QByteArray(R"({"a":1,"b":1})"), QByteArray(R"({"a":1,"b":2})")}) {
        KvReply *put = bucket->put(kKey, value);
        if (!QTest::qWaitFor([put] { return put->isFinished(); }, KvTest::ReplyTimeoutMs) || put->error())
            return nullptr;
        put->deleteLater();
    }
    return bucket;
}

void tst_KvWriteLifetime::freezeAtFirstWrite(const QString &key, bool kill)
{
    m_frozenSubject = "$KV." + kBucket.toUtf8() + '.' + key.toUtf8() + ' ';
    m_freezeArmed = true;
    static const QRegularExpression messageId(u"Nats-Msg-Id: *([A-Za-z0-9]+)"_s);
    g_wireTap = [this, kill](const QString &chunk) {
        // One line of the log is one write to the socket: the write may follow other commands in it.
        const qsizetype at = chunk.indexOf(u"HPUB "_s + QString::fromLatin1(m_frozenSubject));
        if (!chunk.startsWith(u">> "_s) || at < 0)
            return;
        m_messageIds.append(messageId.match(chunk, at).captured(1).toLatin1());
        if (std::exchange(m_freezeArmed, false))
            kill ? void(m_server->kill()) : void(m_frozen = m_server->freeze());
    };
}

void tst_KvWriteLifetime::freezeAtFirstApiRequest()
{
    m_freezeArmed = true;
    g_wireTap = [this](const QString &line) {
        if (line.startsWith(u">> "_s) && line.contains(u"$JS.API."_s) && std::exchange(m_freezeArmed, false))
            m_frozen = m_server->freeze();
    };
}

bool tst_KvWriteLifetime::thaw()
{
    if (!m_frozen || !m_server)
        return true;
    m_frozen = false;
    return m_server->thaw();
}

KvWriteRetry *tst_KvWriteLifetime::retryWith(QObject *bucket, int attempts)
{
    if (!bucket)
        return nullptr;
    const QList<KvWriteRetry *> retries = bucket->findChildren<KvWriteRetry *>();
    for (KvWriteRetry *retry : retries) {
        if (retry->attempts() >= attempts)
            return retry;
    }
    return nullptr;
}

void tst_KvWriteLifetime::destroy(const QString &what, KvBucket *bucket)
{
    if (what == "jetstream"_L1)
        delete m_js;
    else if (what == "kvcontext"_L1)
        delete m_kv;
    else if (what == "bucket"_L1)
        delete bucket;
    else if (what == "connection"_L1)
        delete m_connection;
    else
        QFAIL("unknown row");
}

void tst_KvWriteLifetime::writeEndsWhenItsOwnerGoes_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("gone");
    QTest::addColumn<bool>("killed");
    for (const char *operation : {"put", "update", "create", "remove", "revert"}) {
        for (const char *gone : {"jetstream", "kvcontext", "bucket", "connection"})
            QTest::addRow("%s, %s destroyed", operation, gone)
                << QString::fromLatin1(operation) << QString::fromLatin1(gone) << false;
    }
    // The server killed instead, and no reconnect buffer: each copy is refused at once and the write
    // pauses before the next (the state it is most often in).
    for (const char *gone : {"jetstream", "kvcontext", "bucket", "connection"})
        QTest::addRow("put, server killed, %s destroyed", gone) << u"put"_s << QString::fromLatin1(gone) << true;
}

void tst_KvWriteLifetime::writeEndsWhenItsOwnerGoes()
{
    QFETCH(QString, operation);
    QFETCH(QString, gone);
    QFETCH(bool, killed);
    connectClient(2 * 60 * 1000, killed ? 0 : -1);
    QPointer<KvBucket> bucket = prepareBucket();
    QVERIFY(bucket);

    const QString key = operation == "create"_L1 ? u"orders.new"_s : kKey;
    freezeAtFirstWrite(key, killed);
    KvReply *write = nullptr;
    if (operation == "put"_L1)
        write = bucket->put(key, "v3");
    else if (operation == "update"_L1)
        write = bucket->update(key, "v3", 2);
    else if (operation == "create"_L1)
        write = bucket->create(key, "v1");
    else if (operation == "remove"_L1)
        write = bucket->remove(key, 2);
    else
        write = bucket->revert(key, 1, 2);
    QPointer<KvReply> reply = write;
    const EndRecorder end(write);

    // The first copy timed out and the second is out: the write waits for an answer that cannot come.
    // (Seen once under a loaded full suite: no second copy in 10 s. The message says what was sent.)
    QTRY_VERIFY2_WITH_TIMEOUT(
        retryWith(bucket, 2),
        qPrintable(u"copies sent %1, server frozen %2, write ended %3: %4"_s.arg(m_messageIds.size())
                       .arg(m_frozen)
                       .arg(end.finished)
                       .arg(end.ended.message())),
        10000);
    QCOMPARE(end.finished, 0);
    destroy(gone, bucket);

    // Well before the write's 60 s of retries are up.
    QTRY_VERIFY_WITH_TIMEOUT(end.finished > 0, 5000);
    QCOMPARE(end.finished, 1);
    QVERIFY2(end.ended.code() == NatsError::OutcomeUnknown, qPrintable(end.ended.message()));
    QVERIFY2(end.ended.message().contains(key), qPrintable(end.ended.message()));
    if (gone == "bucket"_L1 || gone == "kvcontext"_L1)
        QTRY_VERIFY(reply.isNull()); // it went with its bucket, after saying so
    else
        delete reply;
}

void tst_KvWriteLifetime::readEndsWhenItsOwnerGoes_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("gone");
    for (const char *operation : {"get", "history", "revert"}) {
        for (const char *gone : {"jetstream", "bucket"})
            QTest::addRow("%s, %s destroyed", operation, gone)
                << QString::fromLatin1(operation) << QString::fromLatin1(gone);
    }
}

void tst_KvWriteLifetime::readEndsWhenItsOwnerGoes()
{
    // The same while a call still reads (revert reads the old value first): the read is out to the
    // frozen server when what it runs on goes, long before its timeout.
    QFETCH(QString, operation);
    QFETCH(QString, gone);
    connectClient();
    QPointer<KvBucket> bucket = prepareBucket();
    QVERIFY(bucket);
    freezeAtFirstApiRequest();
    KvReply *call = operation == "get"_L1 ? bucket->get(kKey)
        : operation == "history"_L1       ? bucket->history(kKey)
                                          : bucket->revert(kKey, 1, 2);
    QPointer<KvReply> reply = call;
    const EndRecorder end(call);
    QTRY_VERIFY_WITH_TIMEOUT(m_frozen, 2000); // the read is out, its answer far off (400 ms)
    destroy(gone, bucket);
    QTRY_VERIFY_WITH_TIMEOUT(end.finished > 0, 5000);
    QCOMPARE(end.finished, 1);
    QVERIFY2(end.ended.code() == NatsError::ConnectionClosed, qPrintable(end.ended.message()));
    QVERIFY2(end.ended.message().contains(kBucket), qPrintable(end.ended.message()));
    if (gone == "bucket"_L1)
        QTRY_VERIFY(reply.isNull());
    else
        delete reply;
}

void tst_KvWriteLifetime::jobEndsWhenItsOwnerGoes_data()
{
    QTest::addColumn<QString>("job");
    QTest::addColumn<QString>("gone");
    for (const char *job : {"merge", "restore", "import"}) {
        for (const char *gone : {"jetstream", "bucket", "connection"})
            QTest::addRow("%s, %s destroyed", job, gone) << QString::fromLatin1(job) << QString::fromLatin1(gone);
    }
}

void tst_KvWriteLifetime::jobEndsWhenItsOwnerGoes()
{
    QFETCH(QString, job);
    QFETCH(QString, gone);
    connectClient();
    QPointer<KvBucket> bucket = prepareBucket();
    QVERIFY(bucket);
    freezeAtFirstWrite(kKey);

    QBuffer input;
    QObject *handle = nullptr;
    std::function<QString()> outcome; // how the job ended, for the message
    std::function<bool()> endedUnknown;
    if (job == "merge"_L1) {
        // Revision 1 {"a":1,"b":1} edited to {"a":2,"b":1}, merged with revision 2 {"a":1,"b":2}.
        auto *merge = new KvMergeUpdate(bucket, kKey, 1, R"({"a":2,"b":1})", u"yours"_s, this);
        handle = merge;
        outcome = [merge] { return merge->errorString(); };
        endedUnknown = [merge] {
            return merge->outcome() == KvMergeUpdate::Outcome::Failed && merge->error() == NatsError::OutcomeUnknown;
        };
    } else if (job == "restore"_L1) {
        KvEntry then;
        then.key = kKey;
        then.value = R"({"a":1,"b":1})";
        then.revision = 1;
        auto *restore = new KvRestoreJob(bucket, {KvRestoreItem{kKey, then, false}}, 0, this);
        handle = restore;
        outcome = [restore] {
            return restore->results().isEmpty() ? restore->errorString() : restore->results().constFirst().detail;
        };
        endedUnknown = [restore] {
            return restore->results().size() == 1
                && restore->results().constFirst().outcome == KvRestoreJob::Outcome::Failed
                && restore->results().constFirst().detail.contains(u"outcome unknown"_s, Qt::CaseInsensitive);
        };
    } else {
        input.setData(R"({"key":"orders.k1","value":"imported"})"
                      "\n");
        QVERIFY(input.open(QIODevice::ReadOnly));
        auto *import = new KvImportJob(bucket, &input, this);
        import->start(KvImportJob::ExistingKeys::Overwrite);
        handle = import;
        outcome = [import] { return import->problems().join(u"; "_s); };
        endedUnknown = [import] {
            return import->failedCount() == 1
                && import->problems().join(u' ').contains(u"outcome unknown"_s, Qt::CaseInsensitive);
        };
    }
    QSignalSpy finished(handle, SIGNAL(finished()));

    QTRY_VERIFY_WITH_TIMEOUT(retryWith(bucket, 2), 10000);
    QCOMPARE(finished.size(), 0);
    destroy(gone, bucket);

    QTRY_VERIFY_WITH_TIMEOUT(finished.size() > 0, 5000);
    QCOMPARE(finished.size(), 1);
    QVERIFY2(endedUnknown(), qPrintable(outcome()));
    delete handle;
}

void tst_KvWriteLifetime::contextCallEndsWhenItsOwnerGoes_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<QString>("gone");
    for (const char *operation : {"create bucket", "bucket status", "delete bucket"}) {
        for (const char *gone : {"jetstream", "kvcontext"})
            QTest::addRow("%s, %s destroyed", operation, gone)
                << QString::fromLatin1(operation) << QString::fromLatin1(gone);
    }
}

void tst_KvWriteLifetime::contextCallEndsWhenItsOwnerGoes()
{
    // The Key/Value context's own calls (on buckets, not keys) end likewise when what they run on goes
    // while the server has not answered.
    QFETCH(QString, operation);
    QFETCH(QString, gone);
    connectClient();
    QVERIFY(prepareBucket());
    freezeAtFirstApiRequest();
    KvBucketConfig config;
    config.bucket = u"another"_s;
    KvReply *call = operation == "create bucket"_L1 ? m_kv->createBucket(config)
        : operation == "bucket status"_L1           ? m_kv->bucketStatus(kBucket)
                                                    : m_kv->deleteBucket(kBucket);
    QPointer<KvReply> reply = call;
    const EndRecorder end(call);
    QTRY_VERIFY_WITH_TIMEOUT(m_frozen, 2000);
    destroy(gone, nullptr);
    QTRY_VERIFY_WITH_TIMEOUT(end.finished > 0, 5000);
    QCOMPARE(end.finished, 1);
    QVERIFY2(end.ended.code() == NatsError::ConnectionClosed, qPrintable(end.ended.message()));
    if (gone == "kvcontext"_L1)
        QTRY_VERIFY(reply.isNull());
    else
        delete reply;
}

void tst_KvWriteLifetime::resentWriteIsStoredOnce_data()
{
    QTest::addColumn<QString>("operation");
    QTest::addColumn<bool>("reconnect");
    for (const char *operation : {"put", "update", "create"}) {
        QTest::addRow("%s after timeouts", operation) << QString::fromLatin1(operation) << false;
        QTest::addRow("%s across a reconnect", operation) << QString::fromLatin1(operation) << true;
    }
}

void tst_KvWriteLifetime::resentWriteIsStoredOnce()
{
    // The server is frozen with the first copy of a write unread; copies sent again time out behind it.
    // Thawed, it stores the first and answers the later ones, which carry the same Nats-Msg-Id, as its
    // duplicates: one revision, acknowledged (an update's copies too, though the first moved the key
    // on). Across a reconnect: the frozen server misses the client's pings, the client drops the
    // connection, the server reads the first copy from it when thawed, and the copy sent again on the
    // new connection is its duplicate.
    QFETCH(QString, operation);
    QFETCH(bool, reconnect);
    connectClient(reconnect ? 300 : 2 * 60 * 1000);
    KvBucket *bucket = prepareBucket();
    QVERIFY(bucket);
    const QString key = operation == "create"_L1 ? u"orders.new"_s : kKey;
    freezeAtFirstWrite(key);
    QSignalSpy disconnected(m_connection, &NatsConnection::disconnected);
    QSignalSpy reconnected(m_connection, &NatsConnection::reconnected);
    KvReply *write = operation == "put"_L1 ? bucket->put(key, "once")
        : operation == "update"_L1         ? bucket->update(key, "once", 2)
                                           : bucket->create(key, "once");
    QTRY_VERIFY_WITH_TIMEOUT(retryWith(bucket, 1), 10000);
    bool duplicate = false; // the copy acknowledged was the stream's duplicate of one stored before
    KvWriteRetry *retry = retryWith(bucket, 1);
    QObject scope;
    connect(retry, &KvWriteRetry::finished, &scope, [&duplicate, retry] { duplicate = retry->pubAck().duplicate; });
    if (reconnect) {
        QTRY_VERIFY_WITH_TIMEOUT(disconnected.size() > 0, 10000);
        QVERIFY(thaw());
        QTRY_VERIFY_WITH_TIMEOUT(reconnected.size() > 0, 10000);
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(retryWith(bucket, 3), 10000);
        QVERIFY(disconnected.isEmpty());
        QVERIFY(thaw());
    }
    WAIT_OK(write);
    QVERIFY2(m_messageIds.size() >= 2, "the write was not sent again");
    QVERIFY(duplicate);
    QVERIFY(!m_messageIds.constFirst().isEmpty());
    for (const QByteArray &id : std::as_const(m_messageIds))
        QCOMPARE(id, m_messageIds.constFirst());
    KvReply *history = bucket->history(key);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), key == kKey ? 3 : 1); // the write stored once
    QCOMPARE(history->entries().constLast().value, "once");
    QCOMPARE(history->entries().constLast().revision, write->revision());
}

// The retry limit bounds the write, not only when a copy may start: a copy sent near the limit waits
// only what is left of it. Before, the last copy waited a whole request timeout past the limit, so a
// 2 s kvdesk-cli --timeout write took 4 s (here: 3.5 s of retries ended at 6 s).
void tst_KvWriteLifetime::retriesEndWithTheirLimit()
{
    connectClient();
    m_js->setTimeout(3000);
    KvBucket *bucket = prepareBucket();
    QVERIFY(bucket);
    bucket->setWriteRetryLimit(3500);
    freezeAtFirstWrite(kKey);
    QElapsedTimer clock;
    clock.start();
    KvReply *write = bucket->put(kKey, "late");
    EndRecorder end(write);
    QTRY_VERIFY_WITH_TIMEOUT(end.finished == 1, 15000);
    const qint64 took = clock.elapsed();
    QCOMPARE(end.ended.code(), NatsError::Timeout);
    QVERIFY2(end.ended.message().contains(u"may or may not have been stored"_s), qPrintable(end.ended.message()));
    QCOMPARE(m_messageIds.size(), 2); // the first copy and one retry
    QVERIFY2(took >= 3500 && took < 5000, qPrintable(u"the write of a 3.5 s limit ended after %1 ms"_s.arg(took)));
}

QTEST_GUILESS_MAIN(tst_KvWriteLifetime)

#include "tst_kvwritelifetime.moc"
