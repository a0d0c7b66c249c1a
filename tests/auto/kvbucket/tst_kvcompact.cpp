#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Compacting a bucket (KvBucket::purgeDeletes) while others write to it, against a real nats-server:
// nothing written after the markers were read may be removed. (Compaction alone: tst_kvbucket.)
class tst_KvCompact final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void compactKeepsKeysRecreatedMeanwhile();
    void compactKeepsYoungFirstMarker();

private:
    KvBucket *makeBucket(const QString &name, int history);
    // Waits for every reply, deletes them (emptying the list), and says whether all succeeded.
    bool waitAll(QList<KvReply *> &replies);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvCompact::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvCompact::init()
{
    ++m_counter;
}

KvBucket *tst_KvCompact::makeBucket(const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = history;
    KvTest::createBucket(m_kv, config);
    return m_kv->bucket(config.bucket, this);
}

bool tst_KvCompact::waitAll(QList<KvReply *> &replies)
{
    const QList<KvReply *> waiting = std::exchange(replies, {});
    for (KvReply *reply : waiting) {
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs)) {
            qWarning("a reply did not finish");
            return false;
        }
        if (reply->error() != NatsError::NoError) {
            qWarning().noquote() << reply->errorString();
            return false;
        }
        reply->deleteLater();
    }
    return true;
}

void tst_KvCompact::compactKeepsKeysRecreatedMeanwhile()
{
    // The case: compaction read a key's delete marker, then someone put the key again before
    // compaction purged it. The purge of that key must stop at the marker, or the new value is lost.
    // The new values go out as soon as the server has the first purge request (seen here through a
    // subscription on the API subject), so they race the purges still to come, a window at a time.
    constexpr int kKeys = 200;
    constexpr int kRounds = 3;
    KvBucket *bucket = makeBucket(u"race"_s, 5);
    NatsSubscription *purges = m_connection->subscribe("$JS.API.STREAM.PURGE.KV_" + bucket->name().toUtf8());
    QVERIFY(NatsTest::flushed(m_connection));
    for (int round = 0; round < kRounds; ++round) {
        QList<KvReply *> writes;
        for (int i = 0; i < kKeys; ++i) {
            writes.append(bucket->put(u"k%1"_s.arg(i), "old"));
            writes.append(bucket->remove(u"k%1"_s.arg(i)));
        }
        QVERIFY(waitAll(writes));

        const QByteArray value = "new" + QByteArray::number(round);
        bool started = false;
        const QMetaObject::Connection racing = connect(purges, &NatsSubscription::messageReceived, this, [&] {
            if (std::exchange(started, true))
                return;
            for (int i = 0; i < kKeys; ++i)
                writes.append(bucket->put(u"k%1"_s.arg(i), value));
        });
        KvReply *compact = bucket->purgeDeletes(-1);
        WAIT_OK(compact);
        disconnect(racing);
        QVERIFY(started);
        QVERIFY(waitAll(writes));

        // Every key has its new value; the old value and the marker went (by the purge, whichever came
        // first), so the bucket holds exactly one message per key.
        QList<KvReply *> gets;
        for (int i = 0; i < kKeys; ++i)
            gets.append(bucket->get(u"k%1"_s.arg(i)));
        int lost = 0;
        for (KvReply *get : std::as_const(gets)) {
            QTRY_VERIFY_WITH_TIMEOUT(get->isFinished(), KvTest::ReplyTimeoutMs);
            if (get->error() != NatsError::NoError || get->entry().value != value)
                ++lost;
            get->deleteLater();
        }
        QVERIFY2(lost == 0, qPrintable(u"round %1: %2 of %3 new values lost"_s.arg(round).arg(lost).arg(kKeys)));
        QCOMPARE(KvTest::statusValues(m_kv, bucket->name()), quint64(kKeys));

        // Delete them again for the next round.
        for (int i = 0; i < kKeys; ++i)
            writes.append(bucket->remove(u"k%1"_s.arg(i)));
        QVERIFY(waitAll(writes));
        WAIT_OK(bucket->purgeDeletes(-1));
    }
}

void tst_KvCompact::compactKeepsYoungFirstMarker()
{
    // A young marker stays (watchers behind still learn of the delete) and only what is older goes;
    // a marker that is the stream's first message has nothing older, and must stay too.
    KvBucket *bucket = makeBucket(u"first"_s, 5);
    WAIT_OK(bucket->remove(u"a"_s));
    WAIT_OK(bucket->put(u"b"_s, "1"));
    WAIT_OK(bucket->remove(u"b"_s));
    KvReply *compact = bucket->purgeDeletes(0);
    WAIT_OK(compact);
    QCOMPARE(compact->revision(), 1u); // b's value went; a had nothing to remove
    for (const QString &key : {u"a"_s, u"b"_s}) {
        KvReply *history = bucket->history(key);
        WAIT_OK(history);
        QCOMPARE(history->entries().size(), 1);
        QCOMPARE(history->entries().first().operation, KvEntry::Operation::Delete);
    }
    QCOMPARE(KvTest::statusValues(m_kv, bucket->name()), 2u);
}

QTEST_GUILESS_MAIN(tst_KvCompact)

#include "tst_kvcompact.moc"
