#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvputbatch.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// KvBucket::putMany(): pipelined puts without a reply object each. Sent in order with at most
// maxInFlight unacknowledged, each ack checked, each item ending stored or with its own error, and a
// server killed mid-batch neither losing nor doubling a put (retries carry the Nats-Msg-Id).
class tst_KvPutBatch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void storesInOrderWithinTheWindow();
    void holdsNoCopyAndLetsStoredValuesGo();
    void errorsPerItem();
    void serverRefusalsPerItem();
    void missingBucketFailsEveryItem();
    void abortEndsEveryItem();
    void sourceIsDrawnOnlyWithRoom();
    void emptySourceFinishes();
    void sourceOfMissingBucketFailsUndrawn();
    void abortStopsDrawingTheSource();
    void serverKilledMidBatchRetries();
    void serverKilledMidBatchWithoutRetries();
    void connectionClosedMidBatch();
    void retriesOfOneKeyKeepBatchOrder();
    void contextDestroyedMidBatch();
    void contextDestroyedWhileRetrying();
    void bucketDestroyedMidBatch();

private:
    void connectClient(bool reconnect, qint64 reconnectBufferSize = -1, int requestTimeoutMs = 2000);
    // Every item ended: stored, or (for the ones not stored) with an error saying the connection went.
    void verifyEndedWithConnectionGone(KvPutBatch *batch, qsizetype *stored);
    KvBucket *createBucket(const QString &name, int history = 1, qint64 maxValueSize = -1);
    // Waits for the batch to finish (60 s), recording a failure when it does not.
    bool waitFinished(KvPutBatch *batch);
    // A source of count puts "k.<i>" = "v<i>", made as they are asked for; *calls counts its calls.
    static KvPutBatch::Source countingSource(int count, int *calls);
    // Kills the server once batch has finishedCount() >= after, restarting it downMs later.
    void killWhen(KvPutBatch *batch, qsizetype after, int downMs);

    NatsServerProcess *m_server = nullptr;
    KvContext *m_kv = nullptr;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    QTimer *m_ticker = nullptr;
    bool m_killed = false;
};

void tst_KvPutBatch::init()
{
    m_server = new NatsServerProcess(this);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_killed = false;
}

void tst_KvPutBatch::cleanup()
{
    delete m_ticker;
    m_ticker = nullptr;
    delete m_server;
    m_server = nullptr;
    m_kv = nullptr;
}

void tst_KvPutBatch::connectClient(bool reconnect, qint64 reconnectBufferSize, int requestTimeoutMs)
{
    KvClientOptions options = KvClientOptions::fromUrl(m_server->url());
    options.connection.reconnectWaitMs = 100;
    options.connection.reconnectJitterMs = 50;
    options.connection.maxReconnectAttempts = reconnect ? -1 : 0;
    options.connection.allowReconnect = reconnect;
    options.requestTimeoutMs = requestTimeoutMs;
    if (reconnectBufferSize >= 0)
        options.connection.reconnectBufferSize = reconnectBufferSize;
    QVERIFY(KvTest::connectClient(options, this, &m_connection, &m_js, &m_kv));
}

KvBucket *tst_KvPutBatch::createBucket(const QString &name, int history, qint64 maxValueSize)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = history;
    config.maxValueSize = maxValueSize;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    return m_kv->bucket(name);
}

bool tst_KvPutBatch::waitFinished(KvPutBatch *batch)
{
    if (QTest::qWaitFor([batch] { return batch->isFinished(); }, 60000))
        return true;
    qWarning() << "batch not finished:" << batch->finishedCount() << "of" << batch->size();
    return false;
}

void tst_KvPutBatch::killWhen(KvPutBatch *batch, qsizetype after, int downMs)
{
    m_ticker = new QTimer(this);
    m_ticker->setInterval(5);
    connect(m_ticker, &QTimer::timeout, this, [=, this] {
        if (m_killed || batch->finishedCount() < after)
            return;
        m_ticker->stop();
        QVERIFY(m_server->kill());
        m_killed = true;
        QTimer::singleShot(downMs, m_server,
                           [this] { QVERIFY2(m_server->restart(), qPrintable(m_server->errorString())); });
    });
    m_ticker->start();
}

void tst_KvPutBatch::storesInOrderWithinTheWindow()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"ordered"_s, 64);
    QVERIFY(bucket);
    // 600 puts to 10 keys, 16 in flight: revisions follow the order given, and each key ends with its
    // last value.
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 600; ++i)
        items.append({u"k.%1"_s.arg(i % 10), "v" + QByteArray::number(i)});
    KvPutBatch *batch = bucket->putMany(items, 16);
    QSignalSpy finished(batch, &KvPutBatch::finished);
    QSignalSpy failed(batch, &KvPutBatch::errorOccurred);
    QVERIFY(waitFinished(batch));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(batch->error(), NatsError::NoError);
    QCOMPARE(batch->finishedCount(), 600);
    QCOMPARE(batch->failedCount(), 0);
    for (int i = 0; i < 600; ++i) {
        QCOMPARE(batch->itemError(i).code(), NatsError::NoError);
        QCOMPARE(batch->revision(i), quint64(i + 1)); // the only writer: stream sequence = position
    }
    // Back-pressure: never more than the window out, yet pipelined.
    QVERIFY2(batch->peakInFlight() <= 16 && batch->peakInFlight() > 1,
             qPrintable(QString::number(batch->peakInFlight())));
    for (int k = 0; k < 10; ++k)
        QCOMPARE(KvTest::value(bucket, u"k.%1"_s.arg(k)), "v" + QByteArray::number(590 + k));
    QCOMPARE(KvTest::statusValues(m_kv, u"ordered"_s), quint64(600));
}

// A batch costs little beyond the caller's list: it shares the list instead of copying every key and value,
// and once the caller has let the list go, each value is released as it is stored.
void tst_KvPutBatch::holdsNoCopyAndLetsStoredValuesGo()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"shared"_s, 64);
    QVERIFY(bucket);
    const QByteArray value(4096, 'v');
    const QString lastKey = u"k.%1"_s.arg(199); // not a literal: literals are never detached
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 199; ++i)
        items.append({u"k.%1"_s.arg(i), value});
    items.append({lastKey, value});
    KvPutBatch *batch = bucket->putMany(items, 16);
    QVERIFY2(!items.isDetached(), "the batch copied the caller's list");
    items.clear();
    QVERIFY(!value.isDetached()); // the batch holds the values it has yet to store
    QVERIFY(!lastKey.isDetached());
    QVERIFY(waitFinished(batch));
    QCOMPARE(batch->error(), NatsError::NoError);
    QCOMPARE(batch->finishedCount(), 200);
    QVERIFY2(value.isDetached(), "the batch still holds values it has stored");
    QVERIFY2(lastKey.isDetached(), "the batch still holds keys it has stored");
    QCOMPARE(batch->revision(199), quint64(200));
    QCOMPARE(KvTest::value(bucket, u"k.199"_s), value);
}

void tst_KvPutBatch::errorsPerItem()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"limits"_s, 1, 100);
    QVERIFY(bucket);
    const QList<KvPutBatch::Item> items{
        {u"good.1"_s, "a"},
        {u"bad key"_s, "b"},                 // a space: no valid key
        {u"good.2"_s, QByteArray(200, 'x')}, // over the bucket's 100 bytes
        {u"good.3"_s, "c"},
    };
    KvPutBatch *batch = bucket->putMany(items);
    QSignalSpy failed(batch, &KvPutBatch::errorOccurred);
    QVERIFY(waitFinished(batch));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(batch->failedCount(), 2);
    QCOMPARE(batch->error(), NatsError::InvalidKey); // the first failed item's
    QVERIFY2(batch->errorString().contains(u"2 of 4"_s), qPrintable(batch->errorString()));
    QCOMPARE(batch->itemError(0).code(), NatsError::NoError);
    QCOMPARE(batch->itemError(1).code(), NatsError::InvalidKey);
    QCOMPARE(batch->itemError(2).code(), NatsError::ValueTooLarge);
    QVERIFY2(batch->itemError(2).message().contains(u"good.2"_s), qPrintable(batch->itemError(2).message()));
    QCOMPARE(batch->itemError(3).code(), NatsError::NoError);
    QCOMPARE(batch->revision(0), quint64(1));
    QCOMPARE(batch->revision(1), quint64(0));
    QCOMPARE(batch->revision(2), quint64(0));
    QCOMPARE(batch->revision(3), quint64(2));
    QCOMPARE(KvTest::value(bucket, u"good.3"_s), "c"_ba);
}

void tst_KvPutBatch::serverRefusalsPerItem()
{
    // Every ack is read: a bucket full (discard new) refuses puts in their acks, and those items fail
    // with the server's error while the ones before were stored.
    connectClient(true);
    KvBucketConfig config;
    config.bucket = u"full"_s;
    config.maxBytes = 4000;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket);
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 100; ++i)
        items.append({u"k.%1"_s.arg(i), QByteArray(100, 'v')});
    KvPutBatch *batch = bucket->putMany(items, 20);
    QVERIFY(waitFinished(batch));
    QVERIFY(batch->failedCount() > 0);
    QVERIFY(batch->failedCount() < 100);
    QCOMPARE(batch->error(), batch->itemError(100 - batch->failedCount()).code());
    qsizetype stored = 0;
    for (int i = 0; i < 100; ++i) {
        const NatsError error = batch->itemError(i);
        if (!error.isError()) {
            QCOMPARE(stored, qsizetype(i)); // the stored ones first, in order
            QCOMPARE(batch->revision(i), quint64(i + 1));
            ++stored;
            continue;
        }
        QVERIFY2(error.jsErrorCode() != 0, qPrintable(error.message())); // the stream's refusal, from the ack
        QCOMPARE(batch->revision(i), quint64(0));
    }
    QCOMPARE(KvTest::statusValues(m_kv, config.bucket), quint64(stored));
}

void tst_KvPutBatch::missingBucketFailsEveryItem()
{
    connectClient(true);
    KvPutBatch *batch = m_kv->bucket(u"nosuch"_s)->putMany({{u"a"_s, "1"}, {u"b"_s, "2"}});
    QVERIFY(waitFinished(batch));
    QCOMPARE(batch->error(), NatsError::BucketNotFound);
    QCOMPARE(batch->itemError(0).code(), NatsError::BucketNotFound);
    QCOMPARE(batch->itemError(1).code(), NatsError::BucketNotFound);
}

void tst_KvPutBatch::abortEndsEveryItem()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"aborted"_s);
    QVERIFY(bucket);
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 2000; ++i)
        items.append({u"k.%1"_s.arg(i), "v"});
    KvPutBatch *batch = bucket->putMany(items, 10);
    QSignalSpy finished(batch, &KvPutBatch::finished);
    QTRY_VERIFY(batch->finishedCount() >= 20);
    batch->abort();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(batch->error(), NatsError::Cancelled);
    QCOMPARE(batch->finishedCount(), 2000);
    QCOMPARE(batch->itemError(1999).code(), NatsError::Cancelled);
    QCOMPARE(batch->itemError(0).code(), NatsError::NoError);
    // Answers still arriving for what was in flight change nothing.
    const quint64 stored = KvTest::statusValues(m_kv, u"aborted"_s);
    QVERIFY(stored < 2000);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(batch->inFlight(), 0);
}

KvPutBatch::Source tst_KvPutBatch::countingSource(int count, int *calls)
{
    return [count, calls]() -> std::optional<KvPutBatch::Item> {
        const int index = (*calls)++;
        if (index >= count)
            return std::nullopt;
        return KvPutBatch::Item{u"k.%1"_s.arg(index), "v" + QByteArray::number(index)};
    };
}

// A source is asked for its next put only when the batch can send it: however long it is, no more of
// it than the window is held at once, and the puts are stored in the order it gives them.
void tst_KvPutBatch::sourceIsDrawnOnlyWithRoom()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"drawn"_s, 1);
    QVERIFY(bucket);
    constexpr int Puts = 3000;
    constexpr int Window = 16;
    int calls = 0;
    qsizetype mostUnfinished = 0;
    bool calledAfterTheEnd = false;
    QPointer<KvPutBatch> batch;
    const KvPutBatch::Source counted = countingSource(Puts, &calls);
    batch = bucket->putMany(
        [&]() -> std::optional<KvPutBatch::Item> {
            calledAfterTheEnd = calledAfterTheEnd || calls > Puts;
            // Drawn and not yet finished, this one not counted: all of them awaiting their acks.
            mostUnfinished = std::max(mostUnfinished, batch->size() - batch->finishedCount());
            return counted();
        },
        Window);
    QCOMPARE(calls, 0); // not drawn inside putMany()
    QSignalSpy finished(batch, &KvPutBatch::finished);
    QVERIFY(waitFinished(batch));
    QCOMPARE(finished.size(), 1);
    QVERIFY2(batch->error() == NatsError::NoError, qPrintable(batch->errorString()));
    QCOMPARE(calls, Puts + 1); // every put, then the end, once
    QVERIFY(!calledAfterTheEnd);
    QVERIFY(batch->isSourceDrained());
    QCOMPARE(batch->size(), Puts);
    QCOMPARE(batch->finishedCount(), Puts);
    QVERIFY2(mostUnfinished < Window && mostUnfinished > 1, qPrintable(QString::number(mostUnfinished)));
    for (int i = 0; i < Puts; ++i)
        QCOMPARE(batch->revision(i), quint64(i + 1));
    QCOMPARE(KvTest::value(bucket, u"k.%1"_s.arg(Puts - 1)), "v" + QByteArray::number(Puts - 1));
    QCOMPARE(KvTest::statusValues(m_kv, u"drawn"_s), quint64(Puts));
}

void tst_KvPutBatch::emptySourceFinishes()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"empty"_s);
    QVERIFY(bucket);
    int calls = 0;
    KvPutBatch *batch = bucket->putMany(countingSource(0, &calls));
    QSignalSpy failed(batch, &KvPutBatch::errorOccurred);
    QVERIFY(waitFinished(batch));
    QCOMPARE(failed.size(), 0);
    QCOMPARE(batch->error(), NatsError::NoError);
    QCOMPARE(batch->size(), 0);
    QCOMPARE(calls, 1);
    QVERIFY(batch->isSourceDrained());
}

// No bucket: nothing can be stored, and the batch says so. It does not drain the source to fail each
// put (a source may be a large file); it fails with what stopped it, saying the source's puts were not
// taken, so that no one reads an empty, error-free batch as "all stored".
void tst_KvPutBatch::sourceOfMissingBucketFailsUndrawn()
{
    connectClient(true);
    int calls = 0;
    KvPutBatch *batch = m_kv->bucket(u"nosuch"_s)->putMany(countingSource(5, &calls));
    QSignalSpy failed(batch, &KvPutBatch::errorOccurred);
    QVERIFY(waitFinished(batch));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(batch->error(), NatsError::BucketNotFound);
    QCOMPARE(calls, 0);
    QCOMPARE(batch->size(), 0);
    QVERIFY(!batch->isSourceDrained());
    QVERIFY2(batch->errorString().contains(u"not taken"_s), qPrintable(batch->errorString()));
}

void tst_KvPutBatch::abortStopsDrawingTheSource()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"abortsource"_s);
    QVERIFY(bucket);
    int calls = 0;
    KvPutBatch *batch = bucket->putMany(countingSource(2000, &calls), 10);
    QSignalSpy finished(batch, &KvPutBatch::finished);
    QTRY_VERIFY(batch->finishedCount() >= 20);
    batch->abort();
    QCOMPARE(finished.size(), 1);
    const int drawn = calls;
    QCOMPARE(batch->size(), qsizetype(drawn));
    QVERIFY(drawn < 2000);
    QCOMPARE(batch->error(), NatsError::Cancelled);
    QVERIFY2(batch->errorString().contains(u"not taken"_s), qPrintable(batch->errorString()));
    QCOMPARE(batch->finishedCount(), batch->size());
    QCOMPARE(batch->itemError(0).code(), NatsError::NoError);
    QVERIFY(!batch->isSourceDrained());
    // Answers still arriving for what was in flight draw nothing more.
    KvTest::statusValues(m_kv, u"abortsource"_s);
    QCOMPARE(calls, drawn);
    QCOMPARE(finished.size(), 1);
}

void tst_KvPutBatch::serverKilledMidBatchRetries()
{
    connectClient(true);
    KvBucket *bucket = createBucket(u"killed"_s, 64);
    QVERIFY(bucket);
    // 3,000 puts to 50 keys, 200 in flight; the server is SIGKILLed a third of the way through and
    // comes back 500 ms later. Every put ends stored, once (history 64 keeps every revision, so a second
    // copy would show in the count), and each key ends with its last value: nothing overtook a retry.
    constexpr int Puts = 3000;
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < Puts; ++i)
        items.append({u"k.%1"_s.arg(i % 50), "v" + QByteArray::number(i)});
    // A list of the batch's own (a copy): it lets keys and values go as they are stored, and the puts
    // being retried meanwhile must still have theirs.
    KvPutBatch *batch = bucket->putMany(QList(items.cbegin(), items.cend()), 200);
    killWhen(batch, 1000, 500);
    QVERIFY(waitFinished(batch));
    QVERIFY(m_killed);
    QVERIFY2(batch->error() == NatsError::NoError, qPrintable(batch->errorString()));
    QCOMPARE(batch->failedCount(), 0);
    QSet<quint64> revisions;
    for (int i = 0; i < Puts; ++i) {
        QVERIFY(batch->revision(i) > 0);
        revisions.insert(batch->revision(i));
    }
    QCOMPARE(revisions.size(), Puts); // no two items acknowledged with one revision
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::statusValues(m_kv, u"killed"_s), quint64(Puts), 15000);
    for (int k = 0; k < 50; ++k)
        QCOMPARE(KvTest::value(bucket, u"k.%1"_s.arg(k)), "v" + QByteArray::number(Puts - 50 + k));
}

void tst_KvPutBatch::serverKilledMidBatchWithoutRetries()
{
    connectClient(false);
    KvBucket *bucket = createBucket(u"unretried"_s, 1);
    QVERIFY(bucket);
    bucket->setWriteRetryLimit(0);
    constexpr int Puts = 3000;
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < Puts; ++i)
        items.append({u"k.%1"_s.arg(i), "v"});
    KvPutBatch *batch = bucket->putMany(items, 200);
    killWhen(batch, 500, 100000); // stays down: the connection closes
    QVERIFY(waitFinished(batch));
    QVERIFY(m_killed);
    // Every item has an outcome: stored before the kill, or a failure saying what is known.
    qsizetype stored = 0;
    qsizetype unknown = 0;
    for (int i = 0; i < Puts; ++i) {
        const NatsError::Code code = batch->itemError(i).code();
        if (code == NatsError::NoError) {
            QCOMPARE(stored, qsizetype(i)); // stored ones come first: sent and acknowledged in order
            ++stored;
            continue;
        }
        QVERIFY2(code == NatsError::OutcomeUnknown || code == NatsError::ConnectionClosed
                     || code == NatsError::ConnectionLost,
                 qPrintable(batch->itemError(i).message()));
        unknown += code == NatsError::OutcomeUnknown ? 1 : 0;
    }
    QVERIFY(stored >= 500);
    QVERIFY(unknown <= 200); // only what was in flight can have been stored unseen
    QCOMPARE(batch->failedCount(), Puts - stored);
    QVERIFY(batch->error() != NatsError::NoError);
}

void tst_KvPutBatch::connectionClosedMidBatch()
{
    // close() mid-batch: the puts in flight fail at once, and those the batch would send next from their
    // failures are refused by the closed connection, not written to its dropped socket to time out.
    connectClient(true);
    KvBucket *bucket = createBucket(u"closed"_s, 1);
    QVERIFY(bucket);
    bucket->setWriteRetryLimit(0); // a put that timed out would show as such, not be retried into the closed connection
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 3000; ++i)
        items.append({u"k.%1"_s.arg(i), "v"});
    KvPutBatch *batch = bucket->putMany(items, 200);
    QTRY_VERIFY(batch->finishedCount() >= 500);
    m_connection->close();
    QVERIFY(waitFinished(batch));
    for (int i = 0; i < items.size(); ++i) {
        const NatsError::Code code = batch->itemError(i).code();
        QVERIFY2(code == NatsError::NoError || code == NatsError::ConnectionClosed,
                 qPrintable(u"item %1: %2"_s.arg(i).arg(batch->itemError(i).message())));
    }
}

void tst_KvPutBatch::retriesOfOneKeyKeepBatchOrder()
{
    // Many puts to one key in flight when the server is SIGKILLed, down longer than the request timeout
    // so that their retries time out again. A small reconnect buffer takes some retries and refuses
    // others (they pause and try again), and with values of two sizes a small later put fits where a
    // large earlier one did not: the retries must still be stored in batch order, or an older value
    // would end as the key's newest revision.
    connectClient(true, 4096, 400);
    KvBucket *bucket = createBucket(u"onekey"_s, 64);
    QVERIFY(bucket);
    constexpr int Puts = 3000; // a multiple of 4: the last two items are one of each key
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < Puts; ++i)
        items.append(
            {i % 4 < 2 ? u"one"_s : u"other"_s, "v" + QByteArray::number(i) + QByteArray(i % 2 ? 1500 : 20, '.')});
    KvPutBatch *batch = bucket->putMany(QList(items.cbegin(), items.cend()), 60); // the batch's own, as above
    killWhen(batch, 300, 1500);
    QVERIFY(waitFinished(batch));
    QVERIFY(m_killed);
    QVERIFY2(batch->error() == NatsError::NoError, qPrintable(batch->errorString()));
    // Stored once each (the only writer: sequences 1..Puts) and, per key, in the order given.
    QHash<QString, quint64> last;
    QSet<quint64> revisions;
    for (int i = 0; i < Puts; ++i) {
        const quint64 revision = batch->revision(i);
        QVERIFY2(
            revision > last.value(items.at(i).first),
            qPrintable(u"item %1 of key %2 stored as revision %3, before the revision %4 of an earlier item"_s.arg(i)
                           .arg(items.at(i).first)
                           .arg(revision)
                           .arg(last.value(items.at(i).first))));
        last.insert(items.at(i).first, revision);
        revisions.insert(revision);
    }
    QCOMPARE(revisions.size(), Puts);
    QCOMPARE(*std::max_element(revisions.cbegin(), revisions.cend()), quint64(Puts));
    QCOMPARE(KvTest::value(bucket, u"one"_s), items.at(Puts - 3).second);
    QCOMPARE(KvTest::value(bucket, u"other"_s), items.at(Puts - 1).second);
}

void tst_KvPutBatch::verifyEndedWithConnectionGone(KvPutBatch *batch, qsizetype *stored)
{
    *stored = 0;
    QCOMPARE(batch->finishedCount(), batch->size());
    for (qsizetype i = 0; i < batch->size(); ++i) {
        const NatsError error = batch->itemError(i);
        QVERIFY(batch->isItemFinished(i));
        if (!error.isError()) {
            QVERIFY(batch->revision(i) > 0);
            ++*stored;
            continue;
        }
        QVERIFY2(error.code() == NatsError::OutcomeUnknown || error.code() == NatsError::ConnectionClosed,
                 qPrintable(u"item %1: %2"_s.arg(i).arg(error.message())));
    }
    QCOMPARE(batch->failedCount(), batch->size() - *stored);
}

void tst_KvPutBatch::contextDestroyedMidBatch()
{
    // The JetStream context drops the callbacks of the puts in flight when it goes: the batch still
    // ends every item (those in flight may have been stored) and says finished(), once.
    connectClient(true);
    KvBucket *bucket = createBucket(u"ctxgone"_s, 1);
    QVERIFY(bucket);
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 3000; ++i)
        items.append({u"k.%1"_s.arg(i), "v"});
    KvPutBatch *batch = bucket->putMany(items, 200);
    QSignalSpy finished(batch, &KvPutBatch::finished);
    QSignalSpy failed(batch, &KvPutBatch::errorOccurred);
    QTRY_VERIFY(batch->finishedCount() >= 500);
    delete m_js;
    QVERIFY(waitFinished(batch));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(failed.size(), 1);
    qsizetype stored = 0;
    verifyEndedWithConnectionGone(batch, &stored);
    QVERIFY(stored >= 500 && stored < 3000);
    QCOMPARE(batch->itemError(2999).code(), NatsError::ConnectionClosed); // never sent
    QCOMPARE(batch->inFlight(), 0);
}

void tst_KvPutBatch::contextDestroyedWhileRetrying()
{
    // The same while puts are being retried (the server is down): their KvWriteRetry's attempts die
    // with the context.
    connectClient(true);
    KvBucket *bucket = createBucket(u"ctxretry"_s, 1);
    QVERIFY(bucket);
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 2000; ++i)
        items.append({u"k.%1"_s.arg(i), "v"});
    KvPutBatch *batch = bucket->putMany(items, 100);
    QSignalSpy finished(batch, &KvPutBatch::finished);
    QTRY_VERIFY(batch->finishedCount() >= 300);
    QVERIFY(m_server->kill());
    // Each put that was in flight is being retried now; nothing new is sent meanwhile.
    QTRY_COMPARE(batch->inFlight(), 0);
    QVERIFY(batch->finishedCount() < 2000);
    delete m_js;
    QVERIFY(waitFinished(batch));
    QCOMPARE(finished.size(), 1);
    qsizetype stored = 0;
    verifyEndedWithConnectionGone(batch, &stored);
    QVERIFY(stored < 2000);
}

void tst_KvPutBatch::bucketDestroyedMidBatch()
{
    // The batch is the bucket's child and goes with it, but not silently: every item ends and
    // finished() comes once, before the batch is deleted.
    connectClient(true);
    QVERIFY(createBucket(u"bucketgone"_s, 1));
    auto *holder = new QObject(this);
    KvBucket *bucket = m_kv->bucket(u"bucketgone"_s, holder);
    QList<KvPutBatch::Item> items;
    for (int i = 0; i < 3000; ++i)
        items.append({u"k.%1"_s.arg(i), "v"});
    QPointer<KvPutBatch> batch = bucket->putMany(items, 200);
    QSignalSpy finished(batch.data(), &KvPutBatch::finished);
    qsizetype endedCount = -1;
    qsizetype failedCount = -1;
    NatsError::Code lastCode = NatsError::NoError;
    connect(batch, &KvPutBatch::finished, this, [&] {
        endedCount = batch->finishedCount();
        failedCount = batch->failedCount();
        lastCode = batch->itemError(batch->size() - 1).code();
    });
    QTRY_VERIFY(batch->finishedCount() >= 500);
    delete holder;
    QVERIFY(batch.isNull());
    QCOMPARE(finished.size(), 1);
    QCOMPARE(endedCount, 3000);
    QVERIFY(failedCount > 0 && failedCount <= 2500);
    QCOMPARE(lastCode, NatsError::ConnectionClosed);
}

QTEST_GUILESS_MAIN(tst_KvPutBatch)

#include "tst_kvputbatch.moc"
