#include "kvasofpoint.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvrestorejob.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Outcome = KvRestoreJob::Outcome;

// Putting keys back as they were (KvRestoreJob) against a real nats-server: every write guarded on the
// key's current revision, and a key changed since the point was listed reported, never overwritten.
class tst_KvRestoreJob final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void restoresEveryKindOfKey();
    void keyChangedSinceListingIsReportedNotOverwritten();
    void unanswerableKeyIsNotWritten();
    void cancelBeforeStartWritesNothing();

private:
    KvBucket *makeBucket(const QString &name);
    quint64 put(KvBucket *bucket, const QString &key, const QByteArray &value);
    KvAsOfRead *read(KvBucket *bucket, quint64 revision);
    KvRestoreJob *restore(KvBucket *bucket, const KvAsOfRead *asOf, const QStringList &keys);
    static QHash<QString, Outcome> outcomes(const KvRestoreJob *job);

    NatsServerProcess m_server;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvRestoreJob::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
}

void tst_KvRestoreJob::init()
{
    ++m_counter;
}

KvBucket *tst_KvRestoreJob::makeBucket(const QString &name)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = 10;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    return m_kv->bucket(config.bucket, this);
}

quint64 tst_KvRestoreJob::put(KvBucket *bucket, const QString &key, const QByteArray &value)
{
    KvReply *reply = bucket->put(key, value);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs)
        || reply->error() != NatsError::NoError)
        return 0;
    reply->deleteLater();
    return reply->revision();
}

KvAsOfRead *tst_KvRestoreJob::read(KvBucket *bucket, quint64 revision)
{
    auto *asOf = new KvAsOfRead(bucket, KvAsOfPoint::atRevision(revision), {}, KvAsOfRead::Path::Auto, this);
    if (!QTest::qWaitFor([asOf] { return asOf->isFinished(); }, KvTest::ReplyTimeoutMs))
        qWarning("the as-of read did not finish");
    return asOf;
}

KvRestoreJob *tst_KvRestoreJob::restore(KvBucket *bucket, const KvAsOfRead *asOf, const QStringList &keys)
{
    auto *job = new KvRestoreJob(bucket, KvRestoreJob::itemsFor(keys, asOf->entries(), asOf->unanswerableKeys()),
                                 asOf->latestRevision(), this);
    if (!QTest::qWaitFor([job] { return job->isFinished(); }, KvTest::ReplyTimeoutMs))
        qWarning("the restore did not finish");
    return job;
}

QHash<QString, Outcome> tst_KvRestoreJob::outcomes(const KvRestoreJob *job)
{
    QHash<QString, Outcome> result;
    for (const KvRestoreJob::Result &one : job->results())
        result.insert(one.key, one.outcome);
    return result;
}

void tst_KvRestoreJob::restoresEveryKindOfKey()
{
    KvBucket *bucket = makeBucket(u"restore"_s);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"a"_s, "a1"));
    QVERIFY(put(bucket, u"b"_s, "b1"));
    const quint64 point = put(bucket, u"c"_s, "c1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"a"_s, "a2"));
    WAIT_OK(bucket->remove(u"b"_s));
    QVERIFY(put(bucket, u"d"_s, "d1"));

    KvAsOfRead *asOf = read(bucket, point);
    QCOMPARE(asOf->error(), NatsError::NoError);
    KvRestoreJob *job = restore(bucket, asOf, {u"a"_s, u"b"_s, u"c"_s, u"d"_s});
    QCOMPARE(job->error(), NatsError::NoError);
    QCOMPARE(job->results().size(), 4);
    const QHash<QString, Outcome> expected{{u"a"_s, Outcome::Restored},
                                           {u"b"_s, Outcome::Created},
                                           {u"c"_s, Outcome::Unchanged},
                                           {u"d"_s, Outcome::Deleted}};
    QCOMPARE(outcomes(job), expected);
    QCOMPARE(KvTest::value(bucket, u"a"_s), "a1"_ba);
    QCOMPARE(KvTest::value(bucket, u"b"_s), "b1"_ba);
    QCOMPARE(KvTest::value(bucket, u"c"_s), "c1"_ba);
    QCOMPARE(KvTest::getError(bucket, u"d"_s), NatsError::KeyNotFound);
    QCOMPARE(job->count(Outcome::Restored), 1);
    QVERIFY2(job->summary().contains(u"1 restored"_s), qPrintable(job->summary()));
    QVERIFY2(job->summary().contains(u"1 deleted"_s), qPrintable(job->summary()));
    // What was written is the newest revision now: the restore moved the bucket forward, not back.
    for (const KvRestoreJob::Result &one : job->results()) {
        if (one.outcome != Outcome::Unchanged)
            QVERIFY(one.revision > asOf->latestRevision());
    }
}

void tst_KvRestoreJob::keyChangedSinceListingIsReportedNotOverwritten()
{
    KvBucket *bucket = makeBucket(u"restoreraced"_s);
    QVERIFY(bucket);
    const quint64 point = put(bucket, u"a"_s, "a1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"a"_s, "a2"));
    QVERIFY(put(bucket, u"keep"_s, "k1"));
    KvAsOfRead *asOf = read(bucket, point);
    QCOMPARE(asOf->error(), NatsError::NoError);
    // Someone writes after the user looked: a changed again, b created.
    const quint64 theirs = put(bucket, u"a"_s, "a3");
    QVERIFY(theirs);
    QVERIFY(put(bucket, u"b"_s, "b9"));

    KvRestoreJob *job = restore(bucket, asOf, {u"a"_s, u"b"_s, u"keep"_s});
    QCOMPARE(job->error(), NatsError::NoError);
    const QHash<QString, Outcome> expected{
        {u"a"_s, Outcome::ChangedSince}, {u"b"_s, Outcome::ChangedSince}, {u"keep"_s, Outcome::Deleted}};
    QCOMPARE(outcomes(job), expected);
    QCOMPARE(job->results().constFirst().revision, theirs);
    QVERIFY2(job->results().constFirst().detail.contains(QString::number(theirs)),
             qPrintable(job->results().constFirst().detail));
    QCOMPARE(KvTest::value(bucket, u"a"_s), "a3"_ba);
    QCOMPARE(KvTest::value(bucket, u"b"_s), "b9"_ba);
    QCOMPARE(KvTest::getError(bucket, u"keep"_s), NatsError::KeyNotFound);
}

void tst_KvRestoreJob::unanswerableKeyIsNotWritten()
{
    KvBucket *bucket = makeBucket(u"restoreunknown"_s);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"a"_s, "a1"));
    KvEntry then;
    then.key = u"a"_s;
    then.value = "old";
    const QList<KvRestoreItem> items = KvRestoreJob::itemsFor({u"a"_s, u"z"_s}, {then}, {u"a"_s});
    QCOMPARE(items.size(), 2);
    QVERIFY(items[0].unanswerable);
    QVERIFY(!items[1].unanswerable);
    QVERIFY(!items[1].then);
    KvRestoreJob job(bucket, items, 0);
    QSignalSpy finished(&job, &KvRestoreJob::finished);
    QVERIFY(finished.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(outcomes(&job).value(u"a"_s), Outcome::Unanswerable);
    QCOMPARE(outcomes(&job).value(u"z"_s), Outcome::NotFound); // absent then and now: "unchanged" passed a typo
    // Said so: an "unchanged" key with no revision read as if it were there.
    const QList<KvRestoreJob::Result> results = job.results();
    const auto z = std::find_if(results.cbegin(), results.cend(),
                                [](const KvRestoreJob::Result &one) { return one.key == u"z"_s; });
    QCOMPARE(z->detail, u"no such key, then or now"_s);
    QCOMPARE(KvTest::value(bucket, u"a"_s), "a1"_ba);
}

void tst_KvRestoreJob::cancelBeforeStartWritesNothing()
{
    KvBucket *bucket = makeBucket(u"restorecancel"_s);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"a"_s, "a1"));
    KvRestoreJob job(bucket, KvRestoreJob::itemsFor({u"a"_s}, {}, {}), 0);
    QSignalSpy failed(&job, &KvRestoreJob::errorOccurred);
    QSignalSpy finished(&job, &KvRestoreJob::finished);
    job.cancel();
    QTRY_COMPARE(finished.size(), 1);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(job.error(), NatsError::Cancelled);
    QVERIFY(job.results().isEmpty());
    QCOMPARE(KvTest::value(bucket, u"a"_s), "a1"_ba);
}

QTEST_GUILESS_MAIN(tst_KvRestoreJob)
#include "tst_kvrestorejob.moc"
