#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvputbatch.h"
#include "kvremovejob.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"

#include <QtCore/QScopeGuard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Outcome = KvRemoveJob::Outcome;

// Deleting and purging several keys (KvRemoveJob) against a real nats-server: the markers pipelined, each
// guarded on its own revision, each written once, and a result for every key whatever happens.
class tst_KvRemoveJob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void removesEveryKeyOnceAndRefusesThoseChangedSince_data();
    void removesEveryKeyOnceAndRefusesThoseChangedSince();
    void theBucketHandleGoingEndsEveryKey();

private:
    KvBucket *makeBucket(const QString &name);
    // Puts key0000.. key<count-1>, each once: their revisions, in order (empty when a put failed).
    QList<quint64> fill(KvBucket *bucket, int count);
    QList<KvEntry> history(KvBucket *bucket, const QString &key);

    NatsServerProcess m_server;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvRemoveJob::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
}

void tst_KvRemoveJob::init()
{
    ++m_counter;
}

KvBucket *tst_KvRemoveJob::makeBucket(const QString &name)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = 10;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    return m_kv->bucket(config.bucket, this);
}

QList<quint64> tst_KvRemoveJob::fill(KvBucket *bucket, int count)
{
    QList<std::pair<QString, QByteArray>> items;
    for (int i = 0; i < count; ++i)
        items.append({u"key%1"_s.arg(i, 4, 10, QChar(u'0')), QByteArray::number(i)});
    KvPutBatch *batch = bucket->putMany(items);
    QSignalSpy done(batch, &KvPutBatch::finished);
    if (!done.wait(KvTest::ReplyTimeoutMs) || batch->error() != NatsError::NoError)
        return {};
    QList<quint64> revisions;
    for (int i = 0; i < count; ++i)
        revisions.append(batch->revision(i));
    return revisions;
}

QList<KvEntry> tst_KvRemoveJob::history(KvBucket *bucket, const QString &key)
{
    KvReply *reply = bucket->history(key);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs)
        || reply->error() != NatsError::NoError)
        return {};
    return reply->entries();
}

void tst_KvRemoveJob::removesEveryKeyOnceAndRefusesThoseChangedSince_data()
{
    QTest::addColumn<bool>("purge");
    QTest::newRow("delete") << false;
    QTest::newRow("purge") << true;
}

// More keys than the window holds: as many markers as it allows go out at once, the rest follow as
// answers come, and every key ends with its own result. Keys written again after the revision given are
// refused with the revision they have now; the others get one marker each.
void tst_KvRemoveJob::removesEveryKeyOnceAndRefusesThoseChangedSince()
{
    QFETCH(bool, purge);
    KvBucket *bucket = makeBucket(u"remove"_s);
    QVERIFY(bucket);
    const int count = KvRemoveJob::DefaultWindow + 72;
    const QList<quint64> revisions = fill(bucket, count);
    QCOMPARE(revisions.size(), count);
    QList<KvRemoveItem> items;
    for (int i = 0; i < count; ++i)
        items.append({u"key%1"_s.arg(i, 4, 10, QChar(u'0')), revisions.at(i)});
    const QList<int> changed{3, 150};
    QHash<int, quint64> changedTo;
    for (const int i : changed) {
        KvReply *put = bucket->put(items.at(i).key, "changed");
        QVERIFY(QTest::qWaitFor([put] { return put->isFinished(); }, KvTest::ReplyTimeoutMs));
        changedTo.insert(i, put->revision());
    }

    KvRemoveJob job(bucket, items, purge);
    QSignalSpy finished(&job, &KvRemoveJob::finished);
    QVERIFY(finished.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(job.peakInFlight(), KvRemoveJob::DefaultWindow);
    const QList<KvRemoveJob::Result> results = job.results();
    QCOMPARE(results.size(), count);
    QCOMPARE(job.count(Outcome::Removed), count - int(changed.size()));
    for (int i = 0; i < count; ++i) {
        const KvRemoveJob::Result &result = results.at(i);
        QCOMPARE(result.key, items.at(i).key);
        QCOMPARE(result.expectedRevision, revisions.at(i));
        const QList<KvEntry> kept = history(bucket, result.key);
        if (changed.contains(i)) {
            QCOMPARE(result.outcome, Outcome::ChangedSince);
            QCOMPARE(result.revision, changedTo.value(i));
            QCOMPARE(kept.size(), 2);
            QCOMPARE(kept.last().value, "changed"_ba);
            continue;
        }
        QCOMPARE(result.outcome, Outcome::Removed);
        QCOMPARE(kept.last().revision, result.revision);
        QCOMPARE(kept.last().operation, purge ? KvEntry::Operation::Purge : KvEntry::Operation::Delete);
        QCOMPARE(kept.size(), purge ? 1 : 2); // one marker each, nothing lost or written twice
    }
}

// The bucket handle is deleted with the markers in flight (the window switched buckets): every key still
// ends, failed, with a result saying why, and finished() comes once.
void tst_KvRemoveJob::theBucketHandleGoingEndsEveryKey()
{
    KvBucket *made = makeBucket(u"gone"_s);
    QVERIFY(made);
    const QList<quint64> revisions = fill(made, 40);
    QCOMPARE(revisions.size(), 40);
    auto *bucket = m_kv->bucket(made->name(), this); // a handle of its own, to delete
    QList<KvRemoveItem> items;
    for (int i = 0; i < revisions.size(); ++i)
        items.append({u"key%1"_s.arg(i, 4, 10, QChar(u'0')), revisions.at(i)});
    KvRemoveJob job(bucket, items, false);
    QSignalSpy finished(&job, &KvRemoveJob::finished);
    QSignalSpy progress(&job, &KvRemoveJob::progress);
    QVERIFY(m_server.freeze()); // no answer comes: every marker is in flight when the handle goes
    const auto thaw = qScopeGuard([this] { m_server.thaw(); });
    QVERIFY(QTest::qWaitFor([&job] { return job.peakInFlight() == 40; }, KvTest::ReplyTimeoutMs));
    delete bucket;
    QVERIFY(finished.size() == 1 || finished.wait(KvTest::ReplyTimeoutMs));
    QCoreApplication::processEvents(); // nothing more comes
    QCOMPARE(finished.size(), 1);
    QCOMPARE(progress.size(), items.size());
    const QList<KvRemoveJob::Result> results = job.results();
    QCOMPARE(results.size(), items.size());
    for (const KvRemoveJob::Result &result : results)
        QVERIFY2(result.outcome == Outcome::Failed && result.detail.contains(u"destroyed"_s),
                 qPrintable(result.detail));
}

QTEST_MAIN(tst_KvRemoveJob)

#include "tst_kvremovejob.moc"
