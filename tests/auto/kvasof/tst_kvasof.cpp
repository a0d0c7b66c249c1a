#include "clirunner.h"
#include "jetstreamcontext.h"
#include "kvasofdiff.h"
#include "kvasofpoint.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvputbatch.h"
#include "kvtestsupport.h"
#include "kvunits.h"
#include "natsconnection.h"
#include "natsserverinfo.h"
#include "natsserverprocess.h"
#include "natstestsupport.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMap>
#include <QtCore/QMetaEnum>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// A bucket as of a revision or a time (KvAsOfRead) and the differences between two points (KvAsOfDiff),
// against a real nats-server: whatever is answered is what the bucket held then (recorded while writing),
// and what the bucket no longer holds is reported, never guessed. Batch get on 2.11+, replay before.
class tst_KvAsOf final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void parsesPoints();
    void asOfRevisionReproducesEveryPoint();
    void asOfTimeMatchesRevision();
    void overwrittenHistoryOneIsUnanswerable();
    void holesOnlyAfterThePointLeaveItWhole();
    void keyFilterLimitsTheRead();
    void aRevisionNotYetWrittenIsRefused();
    void diffListsAddedRemovedChanged();
    void batchPathBeyond1024Keys();
    void cancelEndsWithCancelled();
    void expiredKeyTtlIsUnanswerable();
    void aLiveValueBeforeAHoleIsAnsweredWithTtls();
    void revisionsLostWhileReadingMakeItIncomplete();
    void aMirrorThatLacksRevisionsIsNotRead();

private:
    using Snapshot = QMap<QString, QByteArray>;
    struct Step
    {
        quint64 revision = 0;
        Snapshot state;
    };

    KvBucket *makeBucket(const QString &name, int history);
    // Runs one write, records the bucket as it then stands.
    bool apply(KvBucket *bucket, KvReply *reply, Snapshot state, QList<Step> *steps);
    KvAsOfRead *read(KvBucket *bucket, const KvAsOfPoint &point, KvAsOfRead::Path path = KvAsOfRead::Path::Auto,
                     const QString &filter = {});
    static Snapshot snapshot(const KvAsOfRead *read);
    bool batchServer() const { return m_connection->serverInfo().versionAtLeast(2, 11, 0); }
    // Auto, replay, and batch where the server has it: every path must give the same answer.
    QList<KvAsOfRead::Path> paths() const
    {
        QList<KvAsOfRead::Path> result{KvAsOfRead::Path::Auto, KvAsOfRead::Path::Replay};
        if (batchServer())
            result.append(KvAsOfRead::Path::Batch);
        return result;
    }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvAsOf::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvAsOf::init()
{
    ++m_counter;
}

KvBucket *tst_KvAsOf::makeBucket(const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = history;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    return m_kv->bucket(config.bucket, this);
}

bool tst_KvAsOf::apply(KvBucket *, KvReply *reply, Snapshot state, QList<Step> *steps)
{
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return false;
    if (reply->error() != NatsError::NoError) {
        qWarning().noquote() << reply->errorString();
        return false;
    }
    steps->append({reply->revision(), state});
    reply->deleteLater();
    return true;
}

KvAsOfRead *tst_KvAsOf::read(KvBucket *bucket, const KvAsOfPoint &point, KvAsOfRead::Path path, const QString &filter)
{
    auto *read = new KvAsOfRead(bucket, point, filter, path, this);
    QSignalSpy finished(read, &KvAsOfRead::finished); // it starts on the next event-loop turn
    if (!finished.wait(KvTest::ReplyTimeoutMs))
        qWarning("the as-of read did not finish");
    if (read->error() != NatsError::NoError)
        qWarning().noquote() << read->errorString();
    return read;
}

tst_KvAsOf::Snapshot tst_KvAsOf::snapshot(const KvAsOfRead *read)
{
    Snapshot result;
    for (const KvEntry &entry : read->entries())
        result.insert(entry.key, entry.value);
    return result;
}

void tst_KvAsOf::parsesPoints()
{
    const QDateTime now = QDateTime::fromString(u"2026-11-30T10:42:00Z"_s, Qt::ISODate);
    KvAsOfPoint point;
    QString error;
    QVERIFY(KvAsOfPoint::parse(u"1234"_s, &point, &error, now));
    QCOMPARE(point.kind, KvAsOfPoint::Kind::Revision);
    QCOMPARE(point.revision, 1234u);
    QVERIFY(KvAsOfPoint::parse(u"1h"_s, &point, &error, now));
    QCOMPARE(point.kind, KvAsOfPoint::Kind::Time);
    QCOMPARE(point.time, now.addSecs(-3600));
    // As the window's field suggests it ("1h ago"), and as people say it.
    QVERIFY2(KvAsOfPoint::parse(u"90m ago"_s, &point, &error, now), qPrintable(error));
    QCOMPARE(point.time, now.addSecs(-5400));
    QVERIFY2(KvAsOfPoint::parse(u" 1h30m  AGO "_s, &point, &error, now), qPrintable(error));
    QCOMPARE(point.time, now.addSecs(-5400));
    QVERIFY(!KvAsOfPoint::parse(u"3 ago"_s, &point, &error, now)); // a revision is not "ago"
    QVERIFY(!KvAsOfPoint::parse(u"ago"_s, &point, &error, now));
    QVERIFY(KvAsOfPoint::parse(u"2026-11-30T09:00:00+01:00"_s, &point, &error, now));
    QCOMPARE(point.time, QDateTime::fromString(u"2026-11-30T08:00:00Z"_s, Qt::ISODate));
    // With a space for the T, as the window's field describes a time and as people write one; without an
    // offset, local time.
    QVERIFY2(KvAsOfPoint::parse(u"2026-11-30 09:00:00+01:00"_s, &point, &error, now), qPrintable(error));
    QCOMPARE(point.time, QDateTime::fromString(u"2026-11-30T08:00:00Z"_s, Qt::ISODate));
    QVERIFY2(KvAsOfPoint::parse(u"2026-11-30 10:42"_s, &point, &error, now), qPrintable(error));
    QCOMPARE(point.time, QDateTime(QDate(2026, 11, 30), QTime(10, 42)));
    QVERIFY(!KvAsOfPoint::parse(u"2026-11-30  10:42"_s, &point, &error, now));
    QVERIFY(!KvAsOfPoint::parse(u"yesterday"_s, &point, &error, now));
    QVERIFY(error.contains(u"yesterday"_s));
    QVERIFY(!KvAsOfPoint::parse(u"0"_s, &point, &error, now));
}

void tst_KvAsOf::asOfRevisionReproducesEveryPoint()
{
    KvBucket *bucket = makeBucket(u"asof"_s, 10);
    QVERIFY(bucket);
    QList<Step> steps;
    Snapshot state;
    const auto put = [&](const QString &key, const QByteArray &value) {
        state[key] = value;
        return apply(bucket, bucket->put(key, value), state, &steps);
    };
    const auto remove = [&](const QString &key, bool purge) {
        state.remove(key);
        return apply(bucket, purge ? bucket->purge(key) : bucket->remove(key), state, &steps);
    };
    QVERIFY(put(u"a"_s, "a1"));
    QVERIFY(put(u"b"_s, "b1"));
    QVERIFY(put(u"a"_s, "a2"));
    QVERIFY(remove(u"b"_s, false));
    QVERIFY(put(u"c.x"_s, "c1"));
    QVERIFY(put(u"b"_s, "b2"));
    QVERIFY(put(u"d"_s, "d1"));
    QVERIFY(remove(u"d"_s, true)); // the purge removes d's earlier revision: d is unknown before it
    QVERIFY(put(u"a"_s, "a3"));

    for (const Step &step : std::as_const(steps)) {
        for (const auto path : paths()) {
            KvAsOfRead *asOf = read(bucket, KvAsOfPoint::atRevision(step.revision), path);
            QCOMPARE(asOf->error(), NatsError::NoError);
            QCOMPARE(asOf->revision(), step.revision);
            if (path == KvAsOfRead::Path::Auto && !batchServer())
                QCOMPARE(asOf->usedPath(), KvAsOfRead::Path::Replay); // decided by capability, not label
            else if (path != KvAsOfRead::Path::Auto)
                QCOMPARE(asOf->usedPath(), path);
            // The purge removed d1 (a hole in the stream). As of d1's revision, d's value then is gone: it
            // is listed, not answered. Before it, the hole is after the point and takes nothing from the
            // bucket then: keys not written yet are absent, not unanswerable (holesOnlyAfterThePoint...).
            QStringList unanswerable;
            if (step.revision >= steps[6].revision && step.revision < steps[7].revision)
                unanswerable.append(u"d"_s);
            QVERIFY2(asOf->unanswerableKeys() == unanswerable,
                     qPrintable(u"as of %1: %2"_s.arg(step.revision).arg(asOf->unanswerableKeys().join(u' '))));
            QCOMPARE(asOf->isComplete(),
                     step.revision < steps[6].revision || step.revision == steps.constLast().revision);
            Snapshot expected = step.state;
            for (const QString &key : std::as_const(unanswerable))
                expected.remove(key);
            QCOMPARE(snapshot(asOf), expected);
            delete asOf;
        }
    }
    // Now: the bucket as it is (a revision beyond the last is refused: aRevisionNotYetWrittenIsRefused).
    KvAsOfRead *now = read(bucket, KvAsOfPoint::latest());
    QCOMPARE(now->revision(), steps.constLast().revision);
    QCOMPARE(snapshot(now), state);
}

void tst_KvAsOf::asOfTimeMatchesRevision()
{
    KvBucket *bucket = makeBucket(u"asoftime"_s, 5);
    QVERIFY(bucket);
    QList<Step> steps;
    Snapshot state;
    for (int i = 0; i < 6; ++i) {
        const QString key = u"k%1"_s.arg(i % 3);
        state[key] = QByteArray::number(i);
        QVERIFY(apply(bucket, bucket->put(key, state[key]), state, &steps));
    }
    for (const Step &step : std::as_const(steps)) {
        // The time the server stamped on the revision: that revision is in, the next one is out.
        KvAsOfRead *atRevision = read(bucket, KvAsOfPoint::atRevision(step.revision));
        QDateTime stamped;
        for (const KvEntry &entry : atRevision->entries()) {
            if (entry.revision == step.revision)
                stamped = entry.created;
        }
        QVERIFY(stamped.isValid());
        KvAsOfRead *atTime = read(bucket, KvAsOfPoint::atTime(stamped));
        QCOMPARE(atTime->error(), NatsError::NoError);
        QCOMPARE(atTime->revision(), step.revision);
        QCOMPARE(snapshot(atTime), step.state);
        for (const auto path : paths()) {
            KvAsOfRead *other = read(bucket, KvAsOfPoint::atTime(stamped), path);
            QCOMPARE(snapshot(other), step.state);
        }
    }
    // A time before the bucket's first entry is refused, as revision 0 is: read as the empty bucket, a
    // restore to it deleted every key. A time to come is refused, as a revision not written yet is; the
    // present (give or take a clock's skew) is the bucket now.
    for (const auto path : paths()) {
        KvAsOfRead *before = read(bucket, KvAsOfPoint::atTime(QDateTime::currentDateTimeUtc().addDays(-1)), path);
        QCOMPARE(before->error(), NatsError::InvalidArgument);
        QVERIFY2(before->errorString().contains(u"had no entries yet"_s), qPrintable(before->errorString()));
        QVERIFY(before->entries().isEmpty());
        KvAsOfRead *ahead = read(bucket, KvAsOfPoint::atTime(QDateTime::currentDateTimeUtc().addSecs(3600)), path);
        QCOMPARE(ahead->error(), NatsError::InvalidArgument);
        QVERIFY2(ahead->errorString().contains(u"is in the future"_s), qPrintable(ahead->errorString()));
        KvAsOfRead *now = read(bucket, KvAsOfPoint::atTime(QDateTime::currentDateTimeUtc().addSecs(5)), path);
        QCOMPARE(now->error(), NatsError::NoError);
        QCOMPARE(snapshot(now), state);
    }
    KvAsOfDiff diff(bucket, KvAsOfPoint::atTime(QDateTime::currentDateTimeUtc().addDays(-1)));
    QTRY_VERIFY_WITH_TIMEOUT(diff.isFinished(), KvTest::ReplyTimeoutMs);
    QCOMPARE(diff.error(), NatsError::InvalidArgument);
}

void tst_KvAsOf::overwrittenHistoryOneIsUnanswerable()
{
    KvBucket *bucket = makeBucket(u"asofone"_s, 1);
    QVERIFY(bucket);
    QList<Step> steps;
    Snapshot state;
    for (const auto &[key, value] : {std::pair{u"a"_s, "a1"_ba}, {u"b"_s, "b1"_ba}, {u"a"_s, "a2"_ba}}) {
        state[key] = value;
        QVERIFY(apply(bucket, bucket->put(key, value), state, &steps));
    }
    for (const auto path : paths()) {
        KvAsOfRead *two = read(bucket, KvAsOfPoint::atRevision(steps[1].revision), path);
        QCOMPARE(two->error(), NatsError::NoError);
        QCOMPARE(snapshot(two), (Snapshot{{u"b"_s, "b1"_ba}}));
        QCOMPARE(two->unanswerableKeys(), QStringList{u"a"_s}); // a1 was overwritten: never shown as a2
        QVERIFY(!two->isComplete());
        QVERIFY2(two->incompleteReason().contains(bucket->name()), qPrintable(two->incompleteReason()));
        KvAsOfRead *three = read(bucket, KvAsOfPoint::atRevision(steps[2].revision), path);
        QCOMPARE(snapshot(three), state);
        QVERIFY(three->unanswerableKeys().isEmpty());
        // As of the last revision nothing is missing: a key the stream no longer names has no value now.
        QVERIFY2(three->isComplete(), qPrintable(three->incompleteReason()));
    }
}

// Revisions removed after the point (a key overwritten past its history, a key written later and purged)
// take nothing from the bucket as it was: keys written since are absent then, not unanswerable. Only a
// hole up to the point makes the read incomplete.
void tst_KvAsOf::holesOnlyAfterThePointLeaveItWhole()
{
    KvBucket *bucket = makeBucket(u"asofholes"_s, 1);
    QVERIFY(bucket);
    QList<Step> steps;
    Snapshot state;
    for (const auto &[key, value] :
         {std::pair{u"a"_s, "a1"_ba}, {u"b"_s, "b1"_ba}, {u"c"_s, "c1"_ba}, {u"c"_s, "c2"_ba}, {u"e"_s, "e1"_ba}}) {
        state[key] = value;
        QVERIFY(apply(bucket, bucket->put(key, value), state, &steps));
    }
    state.remove(u"e"_s);
    QVERIFY(apply(bucket, bucket->purge(u"e"_s), state, &steps)); // e1 goes: another hole after the point
    const QString filters[] = {QString(), u">"_s, u"b"_s};
    for (const auto path : paths()) {
        for (const QString &filter : filters) {
            KvAsOfRead *two = read(bucket, KvAsOfPoint::atRevision(steps[1].revision), path, filter);
            QCOMPARE(two->error(), NatsError::NoError);
            const Snapshot expected = filter == u"b"_s ? Snapshot{{u"b"_s, "b1"_ba}} : steps[1].state;
            QCOMPARE(snapshot(two), expected);
            QCOMPARE(two->unanswerableKeys(), QStringList());
            QVERIFY2(two->isComplete(), qPrintable(two->incompleteReason()));
        }
        // As of c1's revision the hole is c1's own place, up to the point: c's value then is gone, and
        // so may e's be (which key a hole held, the stream does not say; e's purge removed what it had).
        KvAsOfRead *three = read(bucket, KvAsOfPoint::atRevision(steps[2].revision), path);
        QCOMPARE(three->error(), NatsError::NoError);
        QVERIFY(!three->isComplete());
        QCOMPARE(three->unanswerableKeys(), (QStringList{u"c"_s, u"e"_s}));
        QCOMPARE(snapshot(three), (Snapshot{{u"a"_s, "a1"_ba}, {u"b"_s, "b1"_ba}}));
    }
}

void tst_KvAsOf::keyFilterLimitsTheRead()
{
    KvBucket *bucket = makeBucket(u"asoffilter"_s, 5);
    QVERIFY(bucket);
    QList<Step> steps;
    Snapshot state;
    for (const QString &key : {u"cfg.a"_s, u"cfg.b"_s, u"other"_s, u"cfg.a"_s}) {
        state[key] = key.toUtf8() + QByteArray::number(steps.size());
        QVERIFY(apply(bucket, bucket->put(key, state[key]), state, &steps));
    }
    for (const auto path : paths()) {
        KvAsOfRead *asOf = read(bucket, KvAsOfPoint::atRevision(steps[2].revision), path, u"cfg.>"_s);
        QCOMPARE(snapshot(asOf), (Snapshot{{u"cfg.a"_s, "cfg.a0"_ba}, {u"cfg.b"_s, "cfg.b1"_ba}}));
    }
}

// A revision past the bucket's last is a mistyped number, not the bucket as it is now: read as now, a
// diff from it said "no changes" and a restore to it did nothing, without a word.
void tst_KvAsOf::aRevisionNotYetWrittenIsRefused()
{
    KvBucket *bucket = makeBucket(u"asofahead"_s, 5);
    QVERIFY(bucket);
    QList<Step> steps;
    QVERIFY(apply(bucket, bucket->put(u"k"_s, "1"), {{u"k"_s, "1"_ba}}, &steps));
    QVERIFY(apply(bucket, bucket->put(u"k"_s, "2"), {{u"k"_s, "2"_ba}}, &steps));
    const quint64 last = steps.constLast().revision;
    const quint64 ahead = last + 1000;
    for (const auto path : paths()) {
        KvAsOfRead *asOf = read(bucket, KvAsOfPoint::atRevision(ahead), path);
        QCOMPARE(asOf->error(), NatsError::InvalidArgument);
        QVERIFY2(asOf->errorString().contains(QString::number(ahead))
                     && asOf->errorString().contains(QString::number(last)),
                 qPrintable(asOf->errorString()));
        QVERIFY(asOf->entries().isEmpty());
        QCOMPARE(snapshot(read(bucket, KvAsOfPoint::atRevision(last), path)), (Snapshot{{u"k"_s, "2"_ba}}));
    }
    KvAsOfDiff diff(bucket, KvAsOfPoint::atRevision(ahead));
    QTRY_VERIFY_WITH_TIMEOUT(diff.isFinished(), KvTest::ReplyTimeoutMs);
    QCOMPARE(diff.error(), NatsError::InvalidArgument);
}

void tst_KvAsOf::diffListsAddedRemovedChanged()
{
    KvBucket *bucket = makeBucket(u"asofdiff"_s, 5);
    QVERIFY(bucket);
    QList<Step> steps;
    Snapshot state;
    const auto put = [&](const QString &key, const QByteArray &value) {
        state[key] = value;
        return apply(bucket, bucket->put(key, value), state, &steps);
    };
    QVERIFY(put(u"same"_s, "s"));
    QVERIFY(put(u"changed"_s, "old"));
    QVERIFY(put(u"removed"_s, "r"));
    QVERIFY(put(u"rewritten"_s, "w"));
    const quint64 from = steps.constLast().revision;
    QVERIFY(put(u"changed"_s, "new"));
    QVERIFY(put(u"added"_s, "a"));
    QVERIFY(put(u"rewritten"_s, "w")); // the same bytes again: no change
    state.remove(u"removed"_s);
    QVERIFY(apply(bucket, bucket->remove(u"removed"_s), state, &steps));

    KvAsOfDiff diff(bucket, KvAsOfPoint::atRevision(from));
    QTRY_VERIFY_WITH_TIMEOUT(diff.isFinished(), KvTest::ReplyTimeoutMs);
    QCOMPARE(diff.error(), NatsError::NoError);
    QCOMPARE(diff.fromRevision(), from);
    QCOMPARE(diff.toRevision(), steps.constLast().revision);
    const QList<KvAsOfChange> changes = diff.changes();
    QCOMPARE(changes.size(), 3);
    QCOMPARE(changes[0].key, u"added"_s);
    QCOMPARE(changes[0].kind, KvAsOfChange::Kind::Added);
    QVERIFY(!changes[0].from);
    QCOMPARE(changes[0].to->value, "a"_ba);
    QCOMPARE(changes[1].key, u"changed"_s);
    QCOMPARE(changes[1].kind, KvAsOfChange::Kind::Changed);
    QCOMPARE(changes[1].from->value, "old"_ba);
    QCOMPARE(changes[1].to->value, "new"_ba);
    QCOMPARE(changes[1].to->revision, steps[4].revision);
    QCOMPARE(changes[2].key, u"removed"_s);
    QCOMPARE(changes[2].kind, KvAsOfChange::Kind::Removed);
    QCOMPARE(changes[2].from->value, "r"_ba);
    QVERIFY(!changes[2].to);
    QVERIFY(diff.unanswerableKeys().isEmpty());

    // Two past points, the other way round: the same rows mirrored.
    KvAsOfDiff back(bucket, KvAsOfPoint::atRevision(steps[5].revision), KvAsOfPoint::atRevision(from));
    QTRY_VERIFY_WITH_TIMEOUT(back.isFinished(), KvTest::ReplyTimeoutMs);
    QCOMPARE(back.changes().size(), 2);
    QCOMPARE(back.changes()[0].kind, KvAsOfChange::Kind::Removed); // "added" did not exist at from
    QCOMPARE(back.changes()[1].from->value, "new"_ba);
}

void tst_KvAsOf::batchPathBeyond1024Keys()
{
    // multi_last takes at most 1,024 subjects a request: a bigger bucket is read in several.
    KvBucket *bucket = makeBucket(u"asofbig"_s, 2);
    QVERIFY(bucket);
    QList<KvReply *> replies;
    for (int i = 0; i < 1100; ++i)
        replies.append(bucket->put(u"k%1"_s.arg(i, 4, 10, QChar(u'0')), QByteArray::number(i)));
    for (KvReply *reply : std::as_const(replies))
        WAIT_OK(reply);
    const quint64 middle = replies.constLast()->revision();
    replies.clear();
    for (int i = 0; i < 1100; i += 2)
        replies.append(bucket->put(u"k%1"_s.arg(i, 4, 10, QChar(u'0')), "new"));
    for (KvReply *reply : std::as_const(replies))
        WAIT_OK(reply);
    KvAsOfRead *batch = read(bucket, KvAsOfPoint::atRevision(middle),
                             batchServer() ? KvAsOfRead::Path::Batch : KvAsOfRead::Path::Auto);
    KvAsOfRead *replay = read(bucket, KvAsOfPoint::atRevision(middle), KvAsOfRead::Path::Replay);
    QCOMPARE(batch->error(), NatsError::NoError);
    QCOMPARE(batch->entries().size(), 1100);
    QCOMPARE(snapshot(batch), snapshot(replay));
    QCOMPARE(batch->entries().constLast().value, "1099"_ba);
}

void tst_KvAsOf::cancelEndsWithCancelled()
{
    KvBucket *bucket = makeBucket(u"asofcancel"_s, 5);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    for (const auto path : {KvAsOfRead::Path::Batch, KvAsOfRead::Path::Replay}) {
        KvAsOfRead read(bucket, KvAsOfPoint::atRevision(1), {}, path);
        int finished = 0;
        connect(&read, &KvAsOfRead::finished, this, [&finished] { ++finished; });
        read.cancel(); // before its first turn: begin() must then do nothing
        QVERIFY(read.isFinished());
        QCOMPARE(read.error(), NatsError::Cancelled);
        QVERIFY2(read.errorString().contains(u"revision 1"_s), qPrintable(read.errorString()));
        QVERIFY(read.entries().isEmpty());
        QCoreApplication::processEvents(); // nothing may follow on later event-loop turns
        QCoreApplication::processEvents();
        QCOMPARE(finished, 1);
    }
}

void tst_KvAsOf::expiredKeyTtlIsUnanswerable()
{
    // A key's own TTL (2.11+) removes its newest revision and leaves the older ones: as of the moment
    // the value lived, the older delete marker must not be taken for the answer.
    if (!batchServer())
        QSKIP("per-key TTL needs nats-server 2.11+");
    KvBucketConfig config;
    config.bucket = u"asofttl"_s + QString::number(m_counter);
    config.history = 5;
    config.allowMessageTtl = true;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"other"_s, "o"));
    WAIT_OK(bucket->put(u"k"_s, "v1"));
    WAIT_OK(bucket->remove(u"k"_s));
    KvReply *created = bucket->create(u"k"_s, "v2", KvUnits::NsPerSecond);
    WAIT_OK(created);
    const quint64 lived = created->revision();
    WAIT_OK(bucket->put(u"other"_s, "o2"));
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(bucket, u"k"_s), "<not found>"_ba, 10000); // expired
    for (const auto path : paths()) {
        KvAsOfRead *asOf = read(bucket, KvAsOfPoint::atRevision(lived), path);
        QCOMPARE(asOf->error(), NatsError::NoError);
        QVERIFY2(asOf->unanswerableKeys().contains(u"k"_s), qPrintable(asOf->unanswerableKeys().join(u' ')));
        QVERIFY(!snapshot(asOf).contains(u"k"_s)); // never "absent" as an answer, never v1
        // Which key the hole belonged to the stream no longer says: "other" may be listed too, but
        // when it is answered, it is answered right.
        QVERIFY(asOf->unanswerableKeys().contains(u"other"_s) || snapshot(asOf).value(u"other"_s) == "o"_ba);
        QCOMPARE(asOf->unanswerableKeys().size() + snapshot(asOf).size(), 2);
    }
}

// In a bucket that allows per-key TTLs, a hole after a key's live value was taken for that key's newer
// revision expired, so a bucket whose history limit had dropped any revision called its unchanged keys
// "cannot be answered", as of now too. A TTL comes only with a create, which needs the key deleted or
// purged first: a live value still kept has no expired newer revision behind it without a marker between.
void tst_KvAsOf::aLiveValueBeforeAHoleIsAnsweredWithTtls()
{
    if (!batchServer())
        QSKIP("per-key TTL needs nats-server 2.11+");
    KvBucketConfig config;
    config.bucket = u"asofholes"_s + QString::number(m_counter);
    config.history = 3;
    config.allowMessageTtl = true;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"a"_s, "0"));             // 1, dropped by the history limit
    WAIT_OK(bucket->put(u"b"_s, "1"));             // 2
    for (const char *value : {"1", "2", "3", "4"}) // 3 (dropped), 4, 5, 6
        WAIT_OK(bucket->put(u"a"_s, value));
    for (const auto path : paths()) {
        KvAsOfRead *asOf = read(bucket, KvAsOfPoint::atRevision(6), path);
        QCOMPARE(asOf->error(), NatsError::NoError);
        QVERIFY2(asOf->unanswerableKeys().isEmpty(), qPrintable(asOf->unanswerableKeys().join(u' ')));
        QCOMPARE(snapshot(asOf), (Snapshot{{u"a"_s, "4"_ba}, {u"b"_s, "1"_ba}}));
        KvAsOfRead *before = read(bucket, KvAsOfPoint::atRevision(5), path);
        QVERIFY2(before->unanswerableKeys().isEmpty(), qPrintable(before->unanswerableKeys().join(u' ')));
        QCOMPARE(snapshot(before), (Snapshot{{u"a"_s, "3"_ba}, {u"b"_s, "1"_ba}}));
    }
}

// A revision up to the point removed while the read runs (a write pushing it out of a history of 1): the
// read finds out when it asks for the stream's state again at its end, and says it is incomplete. What it
// answers is still what the bucket held at the point, and what it cannot know it names, never guesses.
// The write is made by kvdesk-cli, a process of its own, while the read's event loop waits for it in the
// read's first progress(): it is stored before the read goes on, whatever the read had received by then.
void tst_KvAsOf::revisionsLostWhileReadingMakeItIncomplete()
{
    const CliRunner cli;
    for (const auto path : paths()) {
        ++m_counter;
        KvBucket *bucket = makeBucket(u"asoflost"_s, 1);
        QVERIFY(bucket);
        QList<KvPutBatch::Item> puts;
        for (int i = 0; i < 100; ++i)
            puts.append({u"k%1"_s.arg(i), "v" + QByteArray::number(i)});
        KvPutBatch *fill = bucket->putMany(puts);
        QVERIFY(QTest::qWaitFor([fill] { return fill->isFinished(); }, KvTest::ReplyTimeoutMs));
        QCOMPARE(fill->error(), NatsError::NoError);
        QCOMPARE(fill->revision(99), quint64(100));

        auto *reading = new KvAsOfRead(bucket, KvAsOfPoint::atRevision(50), {}, path, this);
        CliRunner::Result overwrite;
        connect(reading, &KvAsOfRead::progress, this, [&] {
            if (overwrite.exitCode < 0) // k10's revision 11 goes: the point still needs it
                overwrite = cli.run({u"-s"_s, m_server.url(), u"put"_s, bucket->name(), u"k10"_s, u"new"_s});
        });
        QVERIFY(QTest::qWaitFor([reading] { return reading->isFinished(); }, KvTest::ReplyTimeoutMs));
        QVERIFY2(overwrite.exitCode == 0, qPrintable(overwrite.describe()));
        QVERIFY2(reading->error() == NatsError::NoError, qPrintable(reading->errorString()));
        QVERIFY2(!reading->isComplete(), QMetaEnum::fromType<KvAsOfRead::Path>().valueToKey(int(path)));
        QVERIFY(!reading->incompleteReason().isEmpty());

        const Snapshot answered = snapshot(reading);
        const QStringList unknown = reading->unanswerableKeys();
        for (int i = 0; i < 50; ++i) {
            const QString key = u"k%1"_s.arg(i);
            QVERIFY2(answered.value(key) == "v" + QByteArray::number(i) || unknown.contains(key),
                     qPrintable(u"%1: %2"_s.arg(key, QString::fromUtf8(answered.value(key)))));
        }
        for (int i = 50; i < 100; ++i)
            QVERIFY(!answered.contains(u"k%1"_s.arg(i))); // written after the point
        delete reading;
    }
}

// A mirror answers its origin's direct gets, batches too (mirror_direct): one that lacks revisions (it
// started at 2, and lost its copy of 3) would answer for a bucket that never was. At revision 1 it has
// nothing at all ("404 No Results", which names no stream); at 2 it lacks "early"; at 3 "late" is old.
void tst_KvAsOf::aMirrorThatLacksRevisionsIsNotRead()
{
    KvBucket *origin = makeBucket(u"asofOrigin"_s, 5);
    QVERIFY(origin);
    WAIT_OK(origin->put(u"early"_s, "x"));
    WAIT_OK(origin->put(u"late"_s, "one"));
    const QString lagging = u"KV_asofLagging%1"_s.arg(m_counter);
    QVERIFY(KvTest::createLaggingMirror(m_js, origin, lagging, u"late"_s, "two"));
    const Snapshot first{{u"early"_s, "x"_ba}};
    const Snapshot then{{u"early"_s, "x"_ba}, {u"late"_s, "one"_ba}};
    const Snapshot now{{u"early"_s, "x"_ba}, {u"late"_s, "two"_ba}};
    for (const KvAsOfRead::Path path : paths()) {
        for (int i = 0; i < 10; ++i) {
            QCOMPARE(snapshot(read(origin, KvAsOfPoint::atRevision(1), path)), first);
            QCOMPARE(snapshot(read(origin, KvAsOfPoint::atRevision(2), path)), then);
            QCOMPARE(snapshot(read(origin, KvAsOfPoint::atRevision(3), path)), now);
        }
    }
}

QTEST_GUILESS_MAIN(tst_KvAsOf)

#include "tst_kvasof.moc"
