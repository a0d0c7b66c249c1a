#include "jetstreamcontext.h"
#include "jsstreaminfo.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsserverprocess.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QMap>
#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Puts "k<n % 20>" = n every 10 ms with up to 20 in flight, and alongside keeps a CAS counter, each
// update expecting the revision the one before produced. Records what was acknowledged and what failed.
class Load final : public QObject
{
public:
    explicit Load(KvBucket *bucket)
        : m_bucket(bucket)
    {
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, &Load::put);
    }

    void start()
    {
        m_timer.start();
        count();
    }
    void stop()
    {
        m_timer.stop();
        m_stopping = true;
    }
    bool idle() const { return m_inFlight == 0 && !m_counting; }
    qsizetype acknowledgedCount() const { return m_acknowledged.size(); }
    const QHash<quint64, QByteArray> &acknowledged() const { return m_acknowledged; }
    const QMap<quint64, QString> &keyOfRevision() const { return m_keyOfRevision; }
    quint64 lastAcknowledged() const { return m_last; }
    int counted() const { return m_counted; }
    const QStringList &problems() const { return m_problems; }

private:
    void put()
    {
        if (m_inFlight >= 20)
            return;
        const QByteArray value = QByteArray::number(m_written);
        const QString key = u"k%1"_s.arg(m_written % 20);
        KvReply *reply = m_bucket->put(key, value);
        ++m_written;
        ++m_inFlight;
        connect(reply, &NatsReply::finished, this, [this, reply, key, value] {
            reply->deleteLater();
            --m_inFlight;
            if (reply->error() == NatsError::NoError)
                acknowledge(reply->revision(), key, value);
            else
                m_problems << u"put %1: %2"_s.arg(QString::fromUtf8(value), reply->errorString());
        });
    }

    void count()
    {
        if (m_stopping || !m_problems.isEmpty())
            return;
        m_counting = true;
        const QByteArray value = QByteArray::number(m_counted);
        KvReply *reply = m_casRevision == 0 ? m_bucket->create(u"counter"_s, value)
                                            : m_bucket->update(u"counter"_s, value, m_casRevision);
        connect(reply, &NatsReply::finished, this, [this, reply, value] {
            reply->deleteLater();
            m_counting = false;
            if (reply->error() != NatsError::NoError) {
                m_problems << u"CAS update to %1: %2"_s.arg(QString::fromUtf8(value), reply->errorString());
                return;
            }
            acknowledge(reply->revision(), u"counter"_s, value);
            m_casRevision = reply->revision();
            ++m_counted;
            count();
        });
    }

    void acknowledge(quint64 revision, const QString &key, const QByteArray &value)
    {
        if (m_acknowledged.contains(revision))
            m_problems << u"revision %1 acknowledged twice"_s.arg(revision);
        m_acknowledged.insert(revision, value);
        m_keyOfRevision.insert(revision, key);
        m_last = qMax(m_last, revision);
    }

    KvBucket *m_bucket;
    QTimer m_timer;
    QHash<quint64, QByteArray> m_acknowledged; // revision -> value
    QMap<quint64, QString> m_keyOfRevision;
    QStringList m_problems;
    quint64 m_last = 0;
    quint64 m_casRevision = 0;
    int m_written = 0;
    int m_inFlight = 0;
    int m_counted = 0;
    bool m_counting = false;
    bool m_stopping = false;
};

} // namespace

// The fault campaign's cluster part: an R3 bucket whose stream leader is killed, then asked to step
// down, under a pipelined writer, a CAS counter and a history watcher. Nothing acknowledged is lost,
// nothing is stored twice, no CAS update lands over a newer revision, and the watcher sees each
// revision once, in order.
class tst_KvFaultsCluster final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void leaderKilledAndSteppedDown();

private:
    QString streamLeader(const QString &stream);
    int nodeIndex(const QString &serverName) const;
    bool acknowledgedGrowsBy(const Load &load, qsizetype count);

    NatsClusterProcess m_cluster;
    KvClient *m_client = nullptr;
    KvContext *m_kv = nullptr;
    JetStreamContext *m_js = nullptr;
};

void tst_KvFaultsCluster::initTestCase()
{
    QVERIFY2(m_cluster.start(3), qPrintable(m_cluster.errorString()));
    KvClientOptions options = KvClientOptions::fromUrl(m_cluster.urls());
    options.connection.reconnectWaitMs = 100;
    options.connection.reconnectJitterMs = 50;
    options.connection.maxReconnectAttempts = -1;
    options.requestTimeoutMs = 2000; // during an election: give up on an ack early, and send again
    m_client = KvTest::connectClient(options, this, nullptr, &m_js, &m_kv);
    QVERIFY(m_client);
}

QString tst_KvFaultsCluster::streamLeader(const QString &stream)
{
    JsApiReply *info = m_js->streamInfo(stream);
    const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 10000);
    const QString leader = answered ? info->streamInfo().cluster.leader : QString();
    info->deleteLater();
    return leader;
}

int tst_KvFaultsCluster::nodeIndex(const QString &serverName) const
{
    for (int i = 0; i < m_cluster.size(); ++i) {
        if (serverName == u"n%1"_s.arg(i + 1))
            return i;
    }
    return -1;
}

bool tst_KvFaultsCluster::acknowledgedGrowsBy(const Load &load, qsizetype count)
{
    const qsizetype target = load.acknowledgedCount() + count;
    return QTest::qWaitFor([&] { return load.acknowledgedCount() >= target || !load.problems().isEmpty(); }, 40000)
        && load.problems().isEmpty();
}

void tst_KvFaultsCluster::leaderKilledAndSteppedDown()
{
    KvBucketConfig config;
    config.bucket = u"campaign"_s;
    config.replicas = 3;
    config.history = 64;
    QElapsedTimer clock;
    clock.start();
    KvReply *create = nullptr;
    do { // R3 creation right after the cluster forms can time out while leaders settle
        create = m_kv->createBucket(config);
        QTRY_VERIFY_WITH_TIMEOUT(create->isFinished(), 20000);
    } while (create->error() == NatsError::Timeout && clock.elapsed() < 20000);
    QVERIFY2(create->error() == NatsError::NoError, qPrintable(create->errorString()));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);

    KvWatchOptions watchOptions;
    watchOptions.includeHistory = true;
    watchOptions.idleHeartbeatMs = 1000;
    KvWatcher *watcher = bucket->watchAll(watchOptions);
    QList<quint64> watched;
    QHash<quint64, QByteArray> watchedValues;
    connect(watcher, &KvWatcher::entryReceived, this, [&](const KvEntry &entry) {
        watched.append(entry.revision);
        watchedValues.insert(entry.revision, entry.value);
    });
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QSignalSpy recovering(watcher, &KvWatcher::recovering);
    QVERIFY(initial.wait(10000));

    Load load(bucket);
    load.start();
    QVERIFY2(acknowledgedGrowsBy(load, 50), qPrintable(load.problems().join(u'\n')));

    // The stream leader killed: writes resume on a new leader; the node comes back.
    const int leader = nodeIndex(streamLeader(u"KV_campaign"_s));
    QVERIFY(leader >= 0);
    QVERIFY(m_cluster.node(leader)->kill());
    QVERIFY2(acknowledgedGrowsBy(load, 100), qPrintable(load.problems().join(u'\n')));
    QVERIFY2(m_cluster.node(leader)->restart(), qPrintable(m_cluster.node(leader)->errorString()));
    QVERIFY2(m_cluster.waitForAllPeers(30000), qPrintable(m_cluster.errorString()));
    QVERIFY2(acknowledgedGrowsBy(load, 50), qPrintable(load.problems().join(u'\n')));

    // The new leader steps down: another election under the same load.
    JsApiReply *stepDown = m_js->request("STREAM.LEADER.STEPDOWN.KV_campaign");
    QTRY_VERIFY_WITH_TIMEOUT(stepDown->isFinished(), 10000);
    QVERIFY2(stepDown->error() == NatsError::NoError, qPrintable(stepDown->errorString()));
    QVERIFY2(acknowledgedGrowsBy(load, 100), qPrintable(load.problems().join(u'\n')));

    load.stop();
    QTRY_VERIFY_WITH_TIMEOUT(load.idle(), 70000);
    QVERIFY2(load.problems().isEmpty(), qPrintable(load.problems().join(u'\n')));
    qInfo("acknowledged %lld writes (%d CAS updates) through a leader kill and a step-down",
          qint64(load.acknowledgedCount()), load.counted());

    // Stored once each: every write was acknowledged with a sequence of its own, and the stream holds
    // no sequence more (the counter's oldest revisions are trimmed by the history of 64, so count
    // sequences, not messages).
    KvReply *status = m_kv->bucketStatus(config.bucket);
    WAIT_OK(status);
    QCOMPARE(status->status().streamInfo.state.lastSequence, quint64(load.acknowledgedCount()));
    QCOMPARE(load.lastAcknowledged(), quint64(load.acknowledgedCount()));
    QCOMPARE(KvTest::value(bucket, u"counter"_s), QByteArray::number(load.counted() - 1));

    // The watcher saw each acknowledged revision once, in order, with its value; after re-creating its
    // consumer it cannot see what the history limit trimmed meanwhile (the counter's oldest revisions).
    QTRY_VERIFY_WITH_TIMEOUT(watcher->lastRevision() >= load.lastAcknowledged(), 45000);
    for (qsizetype i = 1; i < watched.size(); ++i)
        QVERIFY2(watched[i] > watched[i - 1],
                 qPrintable(u"revision %1 after %2"_s.arg(watched[i]).arg(watched[i - 1])));
    const QSet<quint64> watchedSet(watched.cbegin(), watched.cend());
    const QString missing = KvTest::missingWatchedRevision(load.keyOfRevision(), watchedSet, config.history,
                                                           !recovering.isEmpty());
    QVERIFY2(missing.isEmpty(), qPrintable(missing));
    for (auto it = watchedValues.cbegin(); it != watchedValues.cend(); ++it) {
        QVERIFY2(load.acknowledged().contains(it.key()), qPrintable(u"revision %1 was never written"_s.arg(it.key())));
        QCOMPARE(it.value(), load.acknowledged().value(it.key()));
    }
}

QTEST_GUILESS_MAIN(tst_KvFaultsCluster)
#include "tst_kvfaultscluster.moc"
