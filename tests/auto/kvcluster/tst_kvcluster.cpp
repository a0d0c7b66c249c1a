#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QMap>
#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

NatsConnectOptions clusterOptions(const QString &urls)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(urls);
    options.reconnectWaitMs = 100;
    options.reconnectJitterMs = 50;
    options.maxReconnectAttempts = -1;
    return options;
}

// Keeps putting "k<n % keys>" = n every intervalMs and records which revisions were acknowledged.
class Writer final : public QObject
{
public:
    Writer(KvBucket *bucket, int keys, int intervalMs)
        : m_bucket(bucket)
        , m_keys(keys)
    {
        m_timer.setInterval(intervalMs);
        connect(&m_timer, &QTimer::timeout, this, &Writer::write);
    }

    void start() { m_timer.start(); }
    void stop() { m_timer.stop(); }
    int inFlight() const { return m_inFlight; }
    qsizetype acknowledgedCount() const { return m_acknowledged.size(); }
    const QMap<quint64, QByteArray> &acknowledged() const { return m_acknowledged; }
    int failed() const { return m_failed; }
    int written() const { return m_written; }
    QString keyOf(const QByteArray &value) const { return u"k%1"_s.arg(value.toInt() % m_keys); }

private:
    void write()
    {
        const QByteArray value = QByteArray::number(m_written);
        KvReply *put = m_bucket->put(keyOf(value), value);
        ++m_written;
        ++m_inFlight;
        connect(put, &NatsReply::finished, this, [this, put, value] {
            --m_inFlight;
            if (put->error() == NatsError::NoError)
                m_acknowledged.insert(put->revision(), value);
            else
                ++m_failed;
            put->deleteLater();
        });
    }

    KvBucket *m_bucket;
    QTimer m_timer;
    QMap<quint64, QByteArray> m_acknowledged; // revision -> value
    int m_keys;
    int m_written = 0;
    int m_failed = 0;
    int m_inFlight = 0;
};

} // namespace

class tst_KvCluster final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void replicatedBucket();
    void placement();
    void streamLeaderKilled();
    void watchConsumerNodeKilled();
    void aCopyRefusedWhileTheFirstIsStoredIsSentAgain();

private:
    // R3 creation right after the cluster forms can time out while leaders settle: retry for a while.
    KvReply *createBucket(const KvBucketConfig &config);
    // Index of the node named "n<i+1>", or -1.
    int nodeIndex(const QString &serverName) const;
    QString streamLeader(const QString &stream);
    // Kills node index with a writer running, restarts it, and checks the watcher saw every
    // acknowledged revision exactly once, in order.
    void killWhileWriting(const QString &bucketName, const std::function<int()> &pickNode);

    NatsClusterProcess m_cluster;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvCluster::initTestCase()
{
    QVERIFY2(m_cluster.start(3), qPrintable(m_cluster.errorString()));
    QVERIFY(KvTest::connectClient(clusterOptions(m_cluster.urls()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvCluster::init()
{
    ++m_counter;
}

void tst_KvCluster::cleanup()
{
    // Every test starts with all three nodes up and JetStream answering.
    for (int i = 0; i < m_cluster.size(); ++i) {
        if (!m_cluster.node(i)->isRunning())
            QVERIFY2(m_cluster.node(i)->restart(), qPrintable(m_cluster.node(i)->errorString()));
    }
    QString problem;
    QVERIFY2(NatsClusterProcess::waitForJetStream(m_cluster.urls(), 30000, &problem), qPrintable(problem));
    // A restarted node answers before the meta leader counts it as current again: R3 buckets could
    // not be placed yet (10005 "peer offline" on 2.10+).
    QVERIFY2(m_cluster.waitForAllPeers(30000), qPrintable(m_cluster.errorString()));
}

KvReply *tst_KvCluster::createBucket(const KvBucketConfig &config)
{
    QElapsedTimer clock;
    clock.start();
    for (;;) {
        KvReply *reply = m_kv->createBucket(config);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
            return reply;
        const bool transient = reply->error() == NatsError::Timeout
            || reply->error() == NatsError::JetStreamUnavailable;
        if (!transient || clock.elapsed() > 20000)
            return reply;
        reply->deleteLater();
    }
}

int tst_KvCluster::nodeIndex(const QString &serverName) const
{
    for (int i = 0; i < m_cluster.size(); ++i) {
        if (serverName == u"n%1"_s.arg(i + 1))
            return i;
    }
    return -1;
}

QString tst_KvCluster::streamLeader(const QString &stream)
{
    JsApiReply *info = m_js->streamInfo(stream);
    const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 10000);
    const QString leader = answered ? info->streamInfo().cluster.leader : QString();
    info->deleteLater();
    return leader;
}

void tst_KvCluster::replicatedBucket()
{
    KvBucketConfig config;
    config.bucket = u"r3_%1"_s.arg(m_counter);
    config.replicas = 3;
    config.history = 5;
    KvReply *create = createBucket(config);
    QTRY_VERIFY_WITH_TIMEOUT(create->isFinished(), 20000);
    QVERIFY2(create->error() == NatsError::NoError, qPrintable(create->errorString()));
    QCOMPARE(create->status().config.replicas, 3);
    QCOMPARE(create->status().streamInfo.config.numReplicas, 3);
    QCOMPARE(create->status().streamInfo.cluster.name, m_cluster.name());

    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    KvReply *put = bucket->put(u"k"_s, "replicated");
    WAIT_OK(put);

    // Every node serves it: read through a connection to each one alone.
    for (int i = 0; i < m_cluster.size(); ++i) {
        KvClient single;
        single.open(KvClientOptions::fromUrl(m_cluster.node(i)->url()));
        QTRY_VERIFY(single.isConnected());
        KvBucket *remote = single.kv()->bucket(config.bucket);
        KvReply *get = remote->get(u"k"_s);
        WAIT_OK(get);
        QCOMPARE(get->entry().value, "replicated"_ba);
        QCOMPARE(get->entry().revision, put->revision());
    }

    KvReply *status = m_kv->bucketStatus(config.bucket);
    WAIT_OK(status);
    QCOMPARE(status->status().streamInfo.cluster.replicas.size(), 2); // the leader is not listed
    QVERIFY(nodeIndex(status->status().streamInfo.cluster.leader) >= 0);
    QCOMPARE(status->status().values, 1u);
}

void tst_KvCluster::placement()
{
    KvBucketConfig config;
    config.bucket = u"placed%1"_s.arg(m_counter);
    config.replicas = 3;
    config.placement.cluster = m_cluster.name();
    KvReply *create = createBucket(config);
    QTRY_VERIFY_WITH_TIMEOUT(create->isFinished(), 20000);
    QVERIFY2(create->error() == NatsError::NoError, qPrintable(create->errorString()));
    QCOMPARE(create->status().config.placement.cluster, m_cluster.name());

    config.bucket = u"nowhere%1"_s.arg(m_counter);
    config.placement.cluster = u"C9"_s;
    KvReply *nowhere = createBucket(config);
    QTRY_VERIFY_WITH_TIMEOUT(nowhere->isFinished(), 20000);
    QVERIFY2(nowhere->error() != NatsError::NoError, "a bucket placed in a cluster that does not exist");
    QVERIFY2(nowhere->errorInfo().jsErrorCode() != 0, qPrintable(nowhere->errorString()));
}

void tst_KvCluster::killWhileWriting(const QString &bucketName, const std::function<int()> &pickNode)
{
    KvBucketConfig config;
    config.bucket = bucketName;
    config.replicas = 3;
    config.history = 64; // 20 keys x 64: what this test writes is rarely trimmed
    KvReply *create = createBucket(config);
    QTRY_VERIFY_WITH_TIMEOUT(create->isFinished(), 20000);
    QVERIFY2(create->error() == NatsError::NoError, qPrintable(create->errorString()));

    // Writer and watcher on connections of their own, each given every node.
    KvClient writeClient;
    KvClientOptions writeOptions(clusterOptions(m_cluster.urls()));
    writeOptions.requestTimeoutMs = 2000; // during an election, fail fast and go on writing
    writeClient.open(writeOptions);
    KvClient watchClient;
    watchClient.open(KvClientOptions(clusterOptions(m_cluster.urls())));
    QTRY_VERIFY(writeClient.isConnected() && watchClient.isConnected());
    KvContext &writeKv = *writeClient.kv();
    KvContext &watchKv = *watchClient.kv();

    KvWatchOptions options;
    options.includeHistory = true;
    options.idleHeartbeatMs = 1000; // a lost consumer is noticed after ~2 s
    KvWatcher *watcher = watchKv.bucket(bucketName)->watchAll(options);
    QList<KvEntry> entries;
    connect(watcher, &KvWatcher::entryReceived, this, [&entries](const KvEntry &entry) { entries.append(entry); });
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QSignalSpy recovering(watcher, &KvWatcher::recovering);
    QVERIFY(initial.wait(10000));

    Writer writer(writeKv.bucket(bucketName), 20, 20);
    writer.start();
    QTRY_VERIFY_WITH_TIMEOUT(writer.acknowledgedCount() >= 30, 10000);
    QTRY_VERIFY(!entries.isEmpty());

    const int victim = pickNode();
    QVERIFY(victim >= 0);
    QElapsedTimer clock;
    clock.start();
    const qsizetype ackedBeforeKill = writer.acknowledgedCount();
    QVERIFY(m_cluster.node(victim)->kill());

    // Puts resume once a new leader is elected (doc §8.2: ~5-8 s).
    QTRY_VERIFY_WITH_TIMEOUT(writer.acknowledgedCount() >= ackedBeforeKill + 30, 40000);
    const qint64 resumedAfter = clock.elapsed();
    writer.stop();
    QTRY_VERIFY_WITH_TIMEOUT(writer.inFlight() == 0, 15000);
    const quint64 lastAcked = writer.acknowledged().lastKey();
    // Not a speed check: what counts is that every acknowledged revision arrives once. On 2.9 a re-created
    // R1 consumer is now and then placed on the dead peer until the cluster marks it offline, and each
    // such create waits out its timeout (5 s) before the next try: seen up to 28 s here, over 45 s in CI.
    QTRY_VERIFY_WITH_TIMEOUT(watcher->lastRevision() >= lastAcked, 90000);
    qInfo("node n%d killed: puts resumed after %lld ms, watcher caught up after %lld ms; written %d, "
          "acknowledged %lld, failed %d, watcher recoveries %lld",
          victim + 1, resumedAfter, clock.elapsed(), writer.written(), qint64(writer.acknowledgedCount()),
          writer.failed(), qint64(recovering.size()));

    QList<quint64> revisions;
    QHash<quint64, QByteArray> seen;
    for (const KvEntry &entry : std::as_const(entries)) {
        revisions.append(entry.revision);
        seen.insert(entry.revision, entry.value);
    }
    for (qsizetype i = 1; i < revisions.size(); ++i)
        QVERIFY2(revisions[i] > revisions[i - 1],
                 qPrintable(u"revision %1 after %2"_s.arg(revisions[i]).arg(revisions[i - 1])));
    QSet<quint64> watched;
    for (const KvEntry &entry : std::as_const(entries))
        watched.insert(entry.revision);
    QMap<quint64, QString> keyOfRevision;
    for (auto it = writer.acknowledged().cbegin(); it != writer.acknowledged().cend(); ++it) {
        keyOfRevision.insert(it.key(), writer.keyOf(it.value()));
        if (seen.contains(it.key()))
            QCOMPARE(seen.value(it.key()), it.value());
    }
    const QString missing = KvTest::missingWatchedRevision(keyOfRevision, watched, config.history,
                                                           !recovering.isEmpty());
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    delete watcher;
}

// A put whose ack timed out is sent again with its message id. nats-server 2.11+ answers a copy that
// comes while the first one is still being stored (proposed, not yet committed) with 10158 "duplicate
// message id is in process" (so do its 10163 and 10167: asked again later, they are not refusals). That
// ended the write with an error, and then the first copy was stored: a write reported failed that
// happened. Here the stream's followers are frozen, so that the leader can commit nothing: every copy
// waits, the later ones are answered 10158 on 2.15, and the write must go on until the followers are
// back, then end as stored, once.
void tst_KvCluster::aCopyRefusedWhileTheFirstIsStoredIsSentAgain()
{
    KvBucketConfig config;
    config.bucket = u"inflight%1"_s.arg(m_counter);
    config.replicas = 3;
    config.history = 10;
    KvReply *create = createBucket(config);
    QTRY_VERIFY_WITH_TIMEOUT(create->isFinished(), 20000);
    QVERIFY2(create->error() == NatsError::NoError, qPrintable(create->errorString()));
    const int leader = nodeIndex(streamLeader(u"KV_"_s + config.bucket));
    QVERIFY(leader >= 0);

    // The writer and a watcher of the copies it sends, both on the stream leader alone.
    KvClientOptions writeOptions(clusterOptions(m_cluster.node(leader)->url()));
    writeOptions.requestTimeoutMs = 1000; // a copy unanswered for 1 s is sent again
    KvClient writeClient;
    writeClient.open(writeOptions);
    KvClient copyClient;
    copyClient.open(KvClientOptions(clusterOptions(m_cluster.node(leader)->url())));
    QTRY_VERIFY(writeClient.isConnected() && copyClient.isConnected());
    KvBucket *bucket = writeClient.kv()->bucket(config.bucket, this);
    KvReply *first = bucket->put(u"k"_s, "before");
    WAIT_OK(first);
    int copies = 0;
    NatsSubscription *copiesSeen = copyClient.connection()->subscribe("$KV." + config.bucket.toUtf8() + ".k");
    connect(copiesSeen, &NatsSubscription::messageReceived, this, [&copies] { ++copies; });
    NatsReply *subscribed = copyClient.connection()->flush(); // the server has the SUB
    WAIT_OK(subscribed);

    QList<NatsServerProcess *> followers;
    for (int i = 0; i < m_cluster.size(); ++i) {
        if (i != leader)
            followers.append(m_cluster.node(i));
    }
    for (NatsServerProcess *follower : std::as_const(followers))
        QVERIFY2(follower->freeze(), qPrintable(follower->errorString()));
    KvReply *put = bucket->put(u"k"_s, "after");
    // The first copy and two more: on 2.15 the second was answered 10158 and ended the write.
    QTRY_VERIFY_WITH_TIMEOUT(copies >= 3 || put->isFinished(), 8000);
    const bool endedFrozen = put->isFinished();
    const QString endedWith = put->errorString()
        + u" (code %3, revision %1 after %2 copies)"_s.arg(put->revision()).arg(copies).arg(int(put->error()));
    for (NatsServerProcess *follower : std::as_const(followers))
        QVERIFY2(follower->thaw(), qPrintable(follower->errorString()));
    QVERIFY2(!endedFrozen, qPrintable(u"the write ended before anything could be stored: "_s + endedWith));

    QTRY_VERIFY_WITH_TIMEOUT(put->isFinished(), 30000);
    QVERIFY2(put->error() == NatsError::NoError, qPrintable(put->errorString()));
    KvReply *history = bucket->history(u"k"_s);
    WAIT_OK(history);
    QList<QByteArray> values;
    for (const KvEntry &entry : history->entries())
        values.append(entry.value);
    QCOMPARE(values, (QList<QByteArray>{"before", "after"})); // stored once
    QCOMPARE(history->entries().constLast().revision, put->revision());
    qInfo("%d copies sent while the followers were frozen", copies);
}

void tst_KvCluster::streamLeaderKilled()
{
    const QString bucket = u"leader%1"_s.arg(m_counter);
    killWhileWriting(bucket, [this, bucket] { return nodeIndex(streamLeader(u"KV_"_s + bucket)); });
}

void tst_KvCluster::watchConsumerNodeKilled()
{
    // The watch's consumer is R1 on one peer of the stream; when that peer dies and the watcher's own
    // connection survives, only missing heartbeats tell.
    const QString bucket = u"consumer%1"_s.arg(m_counter);
    killWhileWriting(bucket, [this, bucket] {
        JsApiReply *list = m_js->request("CONSUMER.LIST.KV_" + bucket.toUtf8());
        if (!QTest::qWaitFor([list] { return list->isFinished(); }, 10000) || list->error() != NatsError::NoError)
            return -1;
        const QJsonArray consumers = list->response().value("consumers"_L1).toArray();
        list->deleteLater();
        if (consumers.size() != 1)
            return -1;
        return nodeIndex(consumers.first().toObject().value("cluster"_L1).toObject().value("leader"_L1).toString());
    });
}

QTEST_GUILESS_MAIN(tst_KvCluster)

#include "tst_kvcluster.moc"
