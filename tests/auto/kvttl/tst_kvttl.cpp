#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvexportjob.h"
#include "kvimportjob.h"
#include "kvtestsupport.h"
#include "kvttl.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QBuffer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kSecondNs = 1000000000;
} // namespace

// Per-key TTLs and limit markers through KvContext/KvBucket. What is expected is decided from what the
// server says (its JetStream API level), never from the test's label: on 2.9/2.10 every TTL request is
// refused before anything is sent; on 2.11+ keys expire and the server's markers read as gone everywhere.
class tst_KvTtl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void markerTtlBucket();
    void createWithTtlRefusedWithoutServerSupport();
    void ttlBelowOneSecondRefused();
    void ttlNeedsABucketWithMarkers();
    void expiredKeyIsGoneEverywhere();
    void purgeWithTtl();
    void maxAgeLeavesMarker();
    void bulkReadSeesMarkers();
    void markerTtlIsAFloorWhereHistoryIsKept();
    void anImportsTtlLineGoesOnlyOverItsOwnMarker();

private:
    bool hasTtl() const { return m_js->capabilities()->supports(JsServerCapabilities::Feature::MessageTtl); }
    // A bucket with limit markers; on a server without them, checks that asking for one is refused
    // before anything is created, and returns null: the scenario cannot start there, and says why.
    KvBucket *makeBucket(const QString &name, qint64 markerTtlMs, qint64 maxAgeMs = 0);
    quint64 storedMessages(const QString &bucket);
    // The key's newest entry, markers included (read synchronously, for QTRY_* conditions).
    static KvEntry newest(KvBucket *bucket, const QString &key);
    NatsError::Code bucketError(const QString &bucket);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvTtl::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
    bool known = false;
    m_js->capabilities()->whenKnown(this, [&known](const NatsError &) { known = true; });
    QTRY_VERIFY(known);
    // The level the server says: 0 before 2.11 (no api.level), 1 or more from 2.11 on.
    QCOMPARE(m_js->capabilities()->apiLevel() >= 1, m_connection->serverInfo().versionAtLeast(2, 11, 0));
    qInfo("nats-server %s, JetStream API level %d", qPrintable(m_connection->serverInfo().version),
          m_js->capabilities()->apiLevel());
}

KvBucket *tst_KvTtl::makeBucket(const QString &name, qint64 markerTtlMs, qint64 maxAgeMs)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.markerTtlMs = markerTtlMs;
    config.ttlMs = maxAgeMs;
    if (markerTtlMs > 0 && !hasTtl()) {
        KvReply *create = m_kv->createBucket(config);
        const bool refused = QTest::qWaitFor([create] { return create->isFinished(); }, KvTest::ReplyTimeoutMs)
            && create->error() == NatsError::FeatureNotSupported
            && create->errorString().contains(u"needs nats-server 2.11 or newer"_s);
        QTest::qVerify(refused, "refused", qPrintable(create->errorString()), __FILE__, __LINE__);
        QTest::qVerify(bucketError(config.bucket) == NatsError::BucketNotFound, "nothing created", "", __FILE__,
                       __LINE__);
        return nullptr;
    }
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    return m_kv->bucket(config.bucket, this);
}

quint64 tst_KvTtl::storedMessages(const QString &bucket)
{
    KvReply *status = m_kv->bucketStatus(bucket);
    const bool ok = QTest::qWaitFor([status] { return status->isFinished(); }, KvTest::ReplyTimeoutMs)
        && status->error() == NatsError::NoError;
    const quint64 values = ok ? status->status().values : quint64(-1);
    status->deleteLater();
    return values;
}

KvEntry tst_KvTtl::newest(KvBucket *bucket, const QString &key)
{
    KvReply *get = bucket->get(key);
    const bool done = QTest::qWaitFor([get] { return get->isFinished(); }, KvTest::ReplyTimeoutMs);
    const KvEntry entry = done ? get->entry() : KvEntry();
    get->deleteLater();
    return entry;
}

NatsError::Code tst_KvTtl::bucketError(const QString &bucket)
{
    KvReply *status = m_kv->bucketStatus(bucket);
    const bool done = QTest::qWaitFor([status] { return status->isFinished(); }, KvTest::ReplyTimeoutMs);
    const NatsError::Code code = done ? status->error() : NatsError::Timeout;
    status->deleteLater();
    return code;
}

void tst_KvTtl::markerTtlBucket()
{
    KvBucketConfig config;
    config.bucket = u"markers%1"_s.arg(m_counter);
    config.markerTtlMs = 2000;
    KvReply *create = m_kv->createBucket(config);
    if (!hasTtl()) {
        WAIT_ERROR(create, NatsError::FeatureNotSupported);
        const QString expected = u"limit markers (marker TTL) needs nats-server 2.11 or newer; %1 runs %2"_s.arg(
            m_server.url(), m_connection->serverInfo().version);
        QCOMPARE(create->errorString(), expected);
        QCOMPARE(bucketError(config.bucket), NatsError::BucketNotFound); // nothing was created
        return;
    }
    WAIT_OK(create);
    const KvBucketConfig echoed = create->status().config;
    QCOMPARE(echoed.markerTtlMs, 2000);
    QVERIFY(echoed.allowsKeyTtl());
    QCOMPARE(create->status().streamInfo.config.subjectDeleteMarkerTtlNs, 2 * kSecondNs);
    QVERIFY(create->status().streamInfo.config.allowMsgTtl);
    // The server's own metadata is kept apart from the user's.
    QVERIFY(echoed.metadata.isEmpty());
    QCOMPARE(create->status().serverMetadata.value(u"_nats.req.level"_s), u"1"_s);

    // The same again is no conflict; a shorter marker TTL than the server's minimum is refused here.
    WAIT_OK(m_kv->createBucket(config));
    config.markerTtlMs = 500;
    KvReply *tooShort = m_kv->createBucket(config);
    WAIT_ERROR(tooShort, NatsError::InvalidBucketConfig);
    // Worded as kvdesk-cli's --marker-ttl says it.
    QCOMPARE(tooShort->errorString(), u"the marker TTL must be at least 1 second (the server's minimum), not 500 ms"_s);
}

void tst_KvTtl::createWithTtlRefusedWithoutServerSupport()
{
    // Refused before sending: by the server's level where it has none, by the bucket where it has.
    KvBucket *bucket = makeBucket(u"plain"_s, 0);
    QVERIFY(bucket);
    KvReply *create = bucket->create(u"temp"_s, "v", kSecondNs);
    WAIT_ERROR(create, NatsError::FeatureNotSupported);
    KvReply *purge = bucket->purge(u"temp"_s, 0, kSecondNs);
    WAIT_ERROR(purge, NatsError::FeatureNotSupported);
    if (!hasTtl()) {
        const QString expected = u"per-key TTL needs nats-server 2.11 or newer; %1 runs %2"_s.arg(
            m_server.url(), m_connection->serverInfo().version);
        QCOMPARE(create->errorString(), expected);
        QCOMPARE(purge->errorString(), expected);
    } else {
        QVERIFY2(create->errorString().contains(u"has no marker TTL"_s), qPrintable(create->errorString()));
    }
    QCOMPARE(storedMessages(bucket->name()), 0u); // nothing was written
}

void tst_KvTtl::ttlBelowOneSecondRefused()
{
    KvBucket *bucket = makeBucket(u"short"_s, 0);
    QVERIFY(bucket);
    KvReply *create = bucket->create(u"temp"_s, "v", 500 * 1000000);
    WAIT_ERROR(create, NatsError::InvalidArgument);
    QVERIFY2(create->errorString().contains(u"at least 1 second"_s), qPrintable(create->errorString()));
    QCOMPARE(storedMessages(bucket->name()), 0u);

    // Bound, and the server's level known: the refusal still comes on a later turn, once the caller has
    // connected to the reply (an import waited forever for one that had come inside create()).
    QVERIFY(bucket->isBound());
    for (const qint64 ttl : {qint64(500) * 1000000, 5 * kSecondNs}) {
        KvReply *again = bucket->create(u"temp"_s, "v", ttl);
        QVERIFY(!again->isFinished());
        QSignalSpy finished(again, &NatsReply::finished);
        QVERIFY(finished.wait(KvTest::ReplyTimeoutMs));
        QVERIFY(again->error() != NatsError::NoError);
    }
}

void tst_KvTtl::ttlNeedsABucketWithMarkers()
{
    KvBucket *bucket = makeBucket(u"nomarkers"_s, 0);
    QVERIFY(bucket);
    WAIT_ERROR(bucket->create(u"temp"_s, "v", kSecondNs), NatsError::FeatureNotSupported);
    // Given a marker TTL later (an edit), the same handle takes TTLs: it reads the bucket again. An
    // older server refuses the edit, and the bucket stays as it was.
    KvBucketConfig config;
    config.bucket = bucket->name();
    config.markerTtlMs = 5000;
    KvReply *edit = m_kv->updateBucket(config);
    if (!hasTtl()) {
        WAIT_ERROR(edit, NatsError::FeatureNotSupported);
        KvReply *status = m_kv->bucketStatus(bucket->name());
        WAIT_OK(status);
        QCOMPARE(status->status().config.markerTtlMs, 0);
        return;
    }
    WAIT_OK(edit);
    QCOMPARE(edit->status().config.markerTtlMs, 5000);
    KvReply *create = bucket->create(u"temp"_s, "v", kSecondNs);
    WAIT_OK(create);
    QCOMPARE(storedMessages(bucket->name()), 1u);
}

void tst_KvTtl::expiredKeyIsGoneEverywhere()
{
    // History 1 keeps the 1 s TTL as asked (with history > 1 the server raises it to the marker TTL).
    KvBucket *bucket = makeBucket(u"ttlb"_s, 10000);
    if (!bucket)
        return; // makeBucket() checked that this server refuses it
    KvWatchOptions options;
    options.includeHistory = true;
    KvWatcher *watcher = bucket->watchAll(options);
    QList<KvEntry> seen;
    connect(watcher, &KvWatcher::entryReceived, this, [&seen](const KvEntry &entry) { seen.append(entry); });
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(initial.wait());

    WAIT_OK(bucket->put(u"stays"_s, "here"));
    KvReply *create = bucket->create(u"temp"_s, "short-lived", kSecondNs);
    WAIT_OK(create);
    KvReply *fresh = bucket->get(u"temp"_s);
    WAIT_OK(fresh);
    QCOMPARE(fresh->entry().ttlNs, kSecondNs);
    QCOMPARE(fresh->entry().expires(), fresh->entry().created.addSecs(1));

    // The server's marker arrives as a purge of its own kind, live.
    QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty() && seen.last().key == u"temp"_s && seen.last().isLimitMarker(), 10000);
    const KvEntry marker = seen.last();
    QVERIFY(marker.isDeleted());
    QCOMPARE(marker.operationLabel(), u"EXPIRED (MaxAge)"_s);
    QCOMPARE(marker.ttlNs, 10 * kSecondNs);

    KvReply *get = bucket->get(u"temp"_s);
    WAIT_ERROR(get, NatsError::KeyNotFound);
    QVERIFY2(get->errorString().contains(u"expired"_s), qPrintable(get->errorString()));
    QCOMPARE(get->entry().revision, marker.revision);

    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    QCOMPARE(keys->keys(), QStringList{u"stays"_s});

    KvReply *history = bucket->history(u"temp"_s);
    WAIT_OK(history);
    QVERIFY(history->entries().last().isLimitMarker());

    QBuffer file;
    QVERIFY(file.open(QIODevice::WriteOnly));
    KvExportJob exportJob(bucket, &file);
    QSignalSpy exported(&exportJob, &KvExportJob::finished);
    exportJob.exportBucket();
    QVERIFY(exported.wait());
    QCOMPARE(exportJob.state(), KvExportJob::State::Finished);
    QVERIFY2(!file.data().contains("temp") && file.data().contains("stays"), file.data().constData());

    // Created again over the marker, as over a delete.
    KvReply *again = bucket->create(u"temp"_s, "back");
    WAIT_OK(again);
    QVERIFY(again->revision() > marker.revision);
}

void tst_KvTtl::purgeWithTtl()
{
    KvBucket *bucket = makeBucket(u"purgettl"_s, 5000);
    if (!bucket)
        return; // makeBucket() checked that this server refuses it
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k"_s, "v1"));
    WAIT_OK(bucket->put(u"k"_s, "v2"));
    WAIT_OK(bucket->purge(u"k"_s, 0, kSecondNs));
    KvReply *get = bucket->get(u"k"_s);
    WAIT_ERROR(get, NatsError::KeyNotFound);
    QCOMPARE(get->entry().operation, KvEntry::Operation::Purge);
    QCOMPARE(get->entry().ttlNs, kSecondNs);
    QVERIFY(!get->entry().isLimitMarker());
    // Then the purge marker itself goes, leaving nothing (and no marker for a marker).
    QTRY_COMPARE_WITH_TIMEOUT(storedMessages(bucket->name()), 0u, 10000);
}

void tst_KvTtl::maxAgeLeavesMarker()
{
    // The bucket's own max age also ends in a marker when it empties a key.
    KvBucket *bucket = makeBucket(u"maxage"_s, 1000, 1000);
    if (!bucket)
        return; // makeBucket() checked that this server refuses it
    QVERIFY(bucket);
    KvWatcher *watcher = bucket->watchAll();
    QList<KvEntry> seen;
    connect(watcher, &KvWatcher::entryReceived, this, [&seen](const KvEntry &entry) { seen.append(entry); });
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(initial.wait());
    WAIT_OK(bucket->put(u"old"_s, "v"));
    QTRY_VERIFY_WITH_TIMEOUT(!seen.isEmpty() && seen.last().isLimitMarker(), 10000);
    QCOMPARE(seen.last().key, u"old"_s);
    QCOMPARE(seen.last().markerReason, "MaxAge"_ba);
}

void tst_KvTtl::bulkReadSeesMarkers()
{
    KvBucket *bucket = makeBucket(u"bulk"_s, 10000);
    if (!bucket)
        return; // makeBucket() checked that this server refuses it
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->create(u"b"_s, "2", kSecondNs));
    QTRY_VERIFY_WITH_TIMEOUT(newest(bucket, u"b"_s).isLimitMarker(), 10000);
    for (const KvBulkRead::Mode mode : {KvBulkRead::Mode::Auto, KvBulkRead::Mode::OneByOne}) {
        KvBulkRead read(bucket, {{u"a"_s, 0}, {u"b"_s, 0}, {u"c"_s, 0}}, mode);
        QSignalSpy done(&read, &KvBulkRead::finished);
        QVERIFY(done.wait());
        QCOMPARE(read.error(), NatsError::NoError);
        QCOMPARE(read.usedBatches(), mode == KvBulkRead::Mode::Auto);
        const auto results = read.results();
        QCOMPARE(results.size(), 3);
        QVERIFY(results[0] && results[0]->value == "1");
        QVERIFY(results[1] && results[1]->isLimitMarker());
        QVERIFY(!results[2]);
    }
    // Exporting these keys by name skips the expired one: it is gone.
    QBuffer file;
    QVERIFY(file.open(QIODevice::WriteOnly));
    KvExportJob exportJob(bucket, &file);
    QSignalSpy exported(&exportJob, &KvExportJob::finished);
    exportJob.exportKeys({u"a"_s, u"b"_s});
    QVERIFY(exported.wait());
    QCOMPARE(exportJob.writtenCount(), 1);
    QCOMPARE(exportJob.skippedCount(), 1);
    QVERIFY2(exportJob.problems().first().contains(u"EXPIRED"_s), qPrintable(exportJob.problems().first()));
}

// nats-modern.md §4.2 (ADR-43): in a bucket keeping history, the server raises a shorter key TTL to the
// marker TTL (it stores "Nats-TTL: 3"); with history 1 it keeps the TTL asked for. keptKeyTtl() says
// which in advance, for the window and the CLI to tell the user; here the server stored what it said.
void tst_KvTtl::markerTtlIsAFloorWhereHistoryIsKept()
{
    for (const int history : {1, 5}) {
        KvBucketConfig config;
        config.bucket = u"floor%1h%2"_s.arg(m_counter).arg(history);
        config.history = history;
        config.markerTtlMs = 3000;
        QCOMPARE(config.keptKeyTtl(kSecondNs), history > 1 ? 3 * kSecondNs : kSecondNs);
        QCOMPARE(config.keptKeyTtl(5 * kSecondNs), 5 * kSecondNs);
        QCOMPARE(config.keptKeyTtl(KvTtl::Never), KvTtl::Never);
        if (!hasTtl())
            continue; // what the server keeps is only seen from 2.11 on
        QVERIFY(KvTest::createBucket(m_kv, config));
        KvBucket *bucket = m_kv->bucket(config.bucket, this);
        for (const qint64 asked : {kSecondNs, 5 * kSecondNs}) {
            const QString key = u"k%1"_s.arg(asked / kSecondNs);
            WAIT_OK(bucket->create(key, "v", asked));
            const KvEntry stored = newest(bucket, key);
            QVERIFY(stored.revision > 0);
            QCOMPARE(stored.ttlNs, config.keptKeyTtl(asked));
        }
    }
}

// An import that keeps existing keys writes a key's later lines on top of what it wrote, each guarded by
// its own revision before, so a key someone else changed meanwhile fails. A later line with a TTL went
// out as a plain create(), which goes over any marker: the import wrote a delete, another client deleted
// the key too, and the import's value with a TTL went over that delete, "2 written, 0 failed" (review 5).
// The other client's delete is published on the import's own connection as soon as the import's marker
// is seen there: it reaches the server before the import's next line, which waits for its marker's ack.
void tst_KvTtl::anImportsTtlLineGoesOnlyOverItsOwnMarker()
{
    KvBucket *bucket = makeBucket(u"importttl"_s, 1000);
    if (!bucket)
        return; // makeBucket() checked that this server refuses it
    QVERIFY(bucket);
    const QByteArray subject = "$KV." + bucket->name().toUtf8() + ".x";
    NatsSubscription *writes = m_connection->subscribe(subject);
    bool deletedMeanwhile = false;
    connect(writes, &NatsSubscription::messageReceived, this, [&] {
        if (std::exchange(deletedMeanwhile, true))
            return;
        NatsMessage remove(subject, {});
        remove.headers().append("KV-Operation", "DEL");
        QVERIFY(!m_connection->publish(remove).isError());
    });
    NatsReply *subscribed = m_connection->flush();
    WAIT_OK(subscribed);

    QBuffer file;
    file.setData("{\"key\":\"x\",\"operation\":\"DEL\",\"value\":\"\"}\n"
                 "{\"key\":\"x\",\"value\":\"resurrected\",\"ttl\":3600000000000}\n");
    QVERIFY(file.open(QIODevice::ReadOnly));
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Skip);
    QVERIFY(finished.wait(20000));
    QVERIFY(deletedMeanwhile);
    QCOMPARE(importer.writtenCount(), 1);
    QCOMPARE(importer.failedCount(), 1);
    const QString problem = importer.problems().value(0);
    QVERIFY2(problem.startsWith(u"line 2:"_s) && problem.contains(u"changed by someone else"_s), qPrintable(problem));
    const KvEntry kept = newest(bucket, u"x"_s); // the other client's delete, not the import's value over it
    QCOMPARE(kept.operation, KvEntry::Operation::Delete);
    QCOMPARE(kept.revision, 2u);
}

QTEST_GUILESS_MAIN(tst_KvTtl)

#include "tst_kvttl.moc"
