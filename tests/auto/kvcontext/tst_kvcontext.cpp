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
#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Buckets against a real nats-server: create, update, delete, list; the settings (history, TTL, sizes,
// republish, mirrors and sources) as the server applies them; names checked before anything is sent.
class tst_KvContext final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void bucketLifecycle();
    void firstPutAfterCreateAsksNoStreamInfo();
    void bucketUpdateAndCreateOrUpdate();
    void anEditKeepsWhatItDoesNotShow();
    void bucketErrors();
    void bucketNamesAndStatuses();
    void bucketNameValidation_data();
    void bucketNameValidation();
    void historyRange();
    void ttlExpiry();
    void maxBytes();
    void maxValueSize();
    void anOpenBucketFollowsAnEdit();
    void republish();
    void republishIntoAnotherBucket();
    void mirrorBucket();
    void sourcesBucket();

private:
    KvBucket *makeBucket(const QString &name, int history = 1);
    KvBucket *makeBucket(KvBucketConfig config);
    quint64 sentMessages() const { return m_connection->statistics().outMessages; }
    quint64 statusValues(const QString &bucket) { return KvTest::statusValues(m_kv, bucket); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvContext::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvContext::init()
{
    ++m_counter;
}

KvBucket *tst_KvContext::makeBucket(const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = history;
    return makeBucket(config);
}

KvBucket *tst_KvContext::makeBucket(KvBucketConfig config)
{
    config.bucket += QString::number(m_counter);
    KvTest::createBucket(m_kv, config);
    return m_kv->bucket(config.bucket, this);
}

void tst_KvContext::firstPutAfterCreateAsksNoStreamInfo()
{
    // The create reply holds the stream's config: a bucket opened right after it is bound from that,
    // and its first put goes out without a STREAM.INFO round trip first. The connection hears its own
    // API requests (echo is on).
    NatsSubscription *infos = m_connection->subscribe("$JS.API.STREAM.INFO.>");
    QSignalSpy asked(infos, &NatsSubscription::messageReceived);
    WAIT_OK(m_connection->flush());
    KvBucket *bucket = makeBucket(u"created"_s);
    QVERIFY(bucket->isBound());
    KvReply *put = bucket->put(u"k"_s, "v");
    WAIT_OK(put);
    QCOMPARE(put->revision(), 1u);
    WAIT_OK(m_connection->flush());
    QCOMPARE(asked.count(), 0);
    infos->deleteLater();
}

void tst_KvContext::bucketLifecycle()
{
    KvBucketConfig config;
    config.bucket = u"life%1"_s.arg(m_counter);
    config.description = u"settings of the life bucket"_s;
    config.history = 5;
    config.ttlMs = 3600 * 1000;
    config.maxBytes = 1024 * 1024;
    config.maxValueSize = 4096;
    config.storage = KvBucketConfig::Storage::Memory;
    KvReply *create = m_kv->createBucket(config);
    WAIT_OK(create);
    const KvBucketStatus status = create->status();
    QCOMPARE(status.bucket, config.bucket);
    QCOMPARE(status.config.bucket, config.bucket);
    QCOMPARE(status.config.description, config.description);
    QCOMPARE(status.config.history, 5);
    QCOMPARE(status.config.ttlMs, 3600 * 1000);
    QCOMPARE(status.config.maxBytes, 1024 * 1024);
    QCOMPARE(status.config.maxValueSize, 4096);
    QCOMPARE(status.config.storage, KvBucketConfig::Storage::Memory);
    QCOMPARE(status.config.replicas, 1);
    QCOMPARE(status.values, 0u);
    QCOMPARE(status.bytes, 0u);
    QVERIFY(status.created.isValid());
    QVERIFY(qAbs(status.created.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    QVERIFY(!status.lastUpdate.isValid());
    QCOMPARE(status.backingStore, u"JetStream"_s);
    // The backing stream as the official clients make it (docs/nats-protocol.md §5.2).
    const JsStreamConfig stream = status.streamInfo.config;
    QCOMPARE(stream.name, u"KV_"_s + config.bucket);
    QCOMPARE(stream.subjects, QStringList{u"$KV.%1.>"_s.arg(config.bucket)});
    QCOMPARE(stream.maxMsgsPerSubject, 5);
    QCOMPARE(stream.maxAgeNs, qint64(3600) * 1000000000);
    QCOMPARE(stream.duplicateWindowNs, qint64(120) * 1000000000);
    QCOMPARE(stream.discard, u"new"_s);
    QCOMPARE(stream.storage, u"memory"_s);
    QVERIFY(stream.allowDirect);
    QVERIFY(stream.allowRollupHeaders);
    QVERIFY(stream.denyDelete);
    QVERIFY(!stream.denyPurge);

    // The same settings again: fine. Different ones: the bucket is taken.
    WAIT_OK(m_kv->createBucket(config));
    KvBucketConfig other = config;
    other.history = 7;
    WAIT_ERROR(m_kv->createBucket(other), NatsError::StreamNameInUse);

    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"a"_s, "12345"));
    WAIT_OK(bucket->put(u"b"_s, "67890"));
    QVERIFY(bucket->isBound());
    KvReply *after = m_kv->bucketStatus(config.bucket);
    WAIT_OK(after);
    QCOMPARE(after->status().values, 2u);
    QVERIFY(after->status().bytes > 10);
    QVERIFY(after->status().lastUpdate.isValid());
    QVERIFY(after->status().lastUpdate >= after->status().created);
    KvReply *fresh = bucket->status();
    WAIT_OK(fresh);
    QCOMPARE(fresh->status().values, 2u);

    WAIT_OK(m_kv->deleteBucket(config.bucket));
    KvReply *gone = m_kv->bucketStatus(config.bucket);
    WAIT_ERROR(gone, NatsError::BucketNotFound);
    QVERIFY2(gone->errorString().contains(config.bucket), qPrintable(gone->errorString()));
    WAIT_ERROR(m_kv->deleteBucket(config.bucket), NatsError::BucketNotFound);
    // A handle bound before the delete: nothing stores its subjects any more, and it says so.
    WAIT_ERROR(bucket->put(u"a"_s, "x"), NatsError::NoStreamResponse);
}

void tst_KvContext::bucketUpdateAndCreateOrUpdate()
{
    KvBucketConfig config;
    config.bucket = u"upd%1"_s.arg(m_counter);
    config.history = 2;
    config.description = u"one"_s;
    WAIT_OK(m_kv->createBucket(config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"k"_s, "v"));

    config.history = 10;
    config.description = u"two"_s;
    config.ttlMs = 60 * 1000;
    KvReply *update = m_kv->updateBucket(config);
    WAIT_OK(update);
    QCOMPARE(update->status().config.history, 10);
    QCOMPARE(update->status().config.description, u"two"_s);
    QCOMPARE(update->status().config.ttlMs, 60 * 1000);
    QCOMPARE(update->status().streamInfo.config.duplicateWindowNs, qint64(60) * 1000000000);
    QCOMPARE(update->status().values, 1u); // the data stays

    config.description.clear();
    KvReply *cleared = m_kv->updateBucket(config);
    WAIT_OK(cleared);
    QVERIFY(cleared->status().config.description.isEmpty());

    KvBucketConfig missing;
    missing.bucket = u"nosuch%1"_s.arg(m_counter);
    KvReply *notThere = m_kv->updateBucket(missing);
    WAIT_ERROR(notThere, NatsError::BucketNotFound);
    QVERIFY(notThere->errorString().contains(missing.bucket));

    KvBucketConfig either;
    either.bucket = u"cou%1"_s.arg(m_counter);
    either.history = 3;
    KvReply *created = m_kv->createOrUpdateBucket(either);
    WAIT_OK(created);
    QCOMPARE(created->status().config.history, 3);
    either.history = 4;
    KvReply *updated = m_kv->createOrUpdateBucket(either);
    WAIT_OK(updated);
    QCOMPARE(updated->status().config.history, 4);
}

// A bucket made by another tool can carry stream limits a bucket's settings do not name. An edit sent them
// back to what a new bucket gets (max_msgs and max_consumers -1, a 2 min duplicate window) on 2.15.1, and
// 2.9.10 refused it ("can not change MaxConsumers", 10052) though only the description was asked for.
void tst_KvContext::anEditKeepsWhatItDoesNotShow()
{
    KvBucketConfig made;
    made.bucket = u"ext%1"_s.arg(m_counter);
    made.history = 5;
    JsStreamConfig stream = made.toStreamConfig(m_connection->serverInfo());
    stream.maxConsumers = 7;
    stream.maxMsgs = 1000;
    stream.duplicateWindowNs = qint64(30) * 1000000000;
    stream.denyPurge = false;
    WAIT_OK(m_js->createStream(stream));

    KvBucketConfig config = made;
    config.history = 3;
    config.description = u"edited"_s;
    KvReply *edit = m_kv->updateBucket(config);
    WAIT_OK(edit);
    const JsStreamConfig after = edit->status().streamInfo.config;
    QCOMPARE(after.maxMsgsPerSubject, 3);
    QCOMPARE(after.description, u"edited"_s);
    QCOMPARE(after.maxConsumers, 7);
    QCOMPARE(after.maxMsgs, 1000);
    QCOMPARE(after.duplicateWindowNs, qint64(30) * 1000000000);

    // A TTL shorter than the window takes the window down with it (the server wants it within the TTL);
    // a window that followed the TTL follows it up again.
    config.ttlMs = 10 * 1000;
    KvReply *shorter = m_kv->updateBucket(config);
    WAIT_OK(shorter);
    QCOMPARE(shorter->status().streamInfo.config.duplicateWindowNs, qint64(10) * 1000000000);
    QCOMPARE(shorter->status().streamInfo.config.maxConsumers, 7);
    config.ttlMs = 60 * 60 * 1000;
    KvReply *longer = m_kv->updateBucket(config);
    WAIT_OK(longer);
    QCOMPARE(longer->status().streamInfo.config.duplicateWindowNs, qint64(120) * 1000000000);
}

void tst_KvContext::bucketErrors()
{
    // A stream named like a bucket but without a per-subject limit is no bucket.
    JsStreamConfig plain;
    plain.name = u"KV_plain%1"_s.arg(m_counter);
    plain.subjects = {u"plainkv%1.>"_s.arg(m_counter)};
    plain.storage = u"memory"_s;
    WAIT_OK(m_js->createStream(plain));
    const QString name = plain.name.mid(3);
    KvReply *status = m_kv->bucketStatus(name);
    WAIT_ERROR(status, NatsError::NotKeyValueBucket);
    QVERIFY(status->errorString().contains(plain.name));
    WAIT_ERROR(m_kv->bucket(name, this)->put(u"k"_s, "v"), NatsError::NotKeyValueBucket);
}

void tst_KvContext::bucketNamesAndStatuses()
{
    const QString a = u"lista%1"_s.arg(m_counter);
    const QString b = u"listb%1"_s.arg(m_counter);
    const QString mirror = u"listm%1"_s.arg(m_counter);
    KvBucketConfig config;
    config.bucket = a;
    config.history = 2;
    config.description = u"A"_s;
    WAIT_OK(m_kv->createBucket(config));
    config = {};
    config.bucket = b;
    config.storage = KvBucketConfig::Storage::Memory;
    WAIT_OK(m_kv->createBucket(config));
    config = {};
    config.bucket = mirror;
    config.mirror.name = a;
    WAIT_OK(m_kv->createBucket(config));
    JsStreamConfig notKv;
    notKv.name = u"NOTKV%1"_s.arg(m_counter);
    notKv.subjects = {u"notkv%1"_s.arg(m_counter)};
    WAIT_OK(m_js->createStream(notKv));

    KvReply *names = m_kv->bucketNames();
    WAIT_OK(names);
    const QStringList list = names->bucketNames();
    QVERIFY(list.contains(a));
    QVERIFY(list.contains(b));
    QVERIFY2(list.contains(mirror), "a mirror bucket (no subjects of its own) is a bucket too");
    QVERIFY(!list.contains(notKv.name));
    QVERIFY(!list.contains(u"NOTKV%1"_s.arg(m_counter).mid(3)));
    QVERIFY(std::is_sorted(list.cbegin(), list.cend()));

    KvReply *statuses = m_kv->bucketStatuses();
    WAIT_OK(statuses);
    QHash<QString, KvBucketStatus> byName;
    for (const KvBucketStatus &status : statuses->statuses())
        byName.insert(status.bucket, status);
    QVERIFY(byName.contains(a) && byName.contains(b) && byName.contains(mirror));
    QCOMPARE(byName.value(a).config.history, 2);
    QCOMPARE(byName.value(a).config.description, u"A"_s);
    QCOMPARE(byName.value(b).config.storage, KvBucketConfig::Storage::Memory);
    QCOMPARE(byName.value(mirror).config.mirror.name, u"KV_"_s + a);
    QVERIFY(byName.value(b).created.isValid());
}

void tst_KvContext::bucketNameValidation_data()
{
    QTest::addColumn<QString>("bucket");
    QTest::newRow("dot") << u"a.b"_s;
    QTest::newRow("space") << u"a b"_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("wildcard") << u"a*"_s;
    QTest::newRow("non-ascii") << u"é"_s;
}

void tst_KvContext::bucketNameValidation()
{
    QFETCH(QString, bucket);
    const QString named = bucket.isEmpty() ? u"empty"_s : bucket;
    const quint64 before = sentMessages();
    KvBucketConfig config;
    config.bucket = bucket;
    KvReply *create = m_kv->createBucket(config);
    WAIT_ERROR(create, NatsError::InvalidBucketName);
    QVERIFY2(create->errorString().contains(named), qPrintable(create->errorString()));
    KvReply *status = m_kv->bucketStatus(bucket);
    WAIT_ERROR(status, NatsError::InvalidBucketName);
    WAIT_ERROR(m_kv->deleteBucket(bucket), NatsError::InvalidBucketName);
    KvBucket *handle = m_kv->bucket(bucket, this);
    KvReply *put = handle->put(u"k"_s, "v");
    WAIT_ERROR(put, NatsError::InvalidBucketName);
    QVERIFY2(put->errorString().contains(named), qPrintable(put->errorString()));
    KvWatcher *watcher = handle->watchAll();
    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);
    QVERIFY(failed.wait());
    QCOMPARE(watcher->error(), NatsError::InvalidBucketName);
    QCOMPARE(sentMessages(), before); // all refused before anything went out
}

void tst_KvContext::historyRange()
{
    const quint64 before = sentMessages();
    KvBucketConfig config;
    config.bucket = u"h65_%1"_s.arg(m_counter);
    config.history = 65;
    KvReply *tooMany = m_kv->createBucket(config);
    WAIT_ERROR(tooMany, NatsError::HistoryTooLarge);
    QVERIFY2(tooMany->errorString().contains(u"64"_s), qPrintable(tooMany->errorString()));
    config.history = 0;
    WAIT_ERROR(m_kv->createBucket(config), NatsError::InvalidBucketConfig);
    QCOMPARE(sentMessages(), before);

    for (const int history : {1, 64}) {
        config.bucket = u"h%1_%2"_s.arg(history).arg(m_counter);
        config.history = history;
        KvReply *create = m_kv->createBucket(config);
        WAIT_OK(create);
        QCOMPARE(create->status().config.history, history);
        QCOMPARE(create->status().streamInfo.config.maxMsgsPerSubject, history);
    }
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    for (int i = 0; i < 70; ++i)
        WAIT_OK(bucket->put(u"k"_s, QByteArray::number(i)));
    KvReply *history = bucket->history(u"k"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 64);
    QCOMPARE(history->entries().first().value, "6"_ba);
}

void tst_KvContext::ttlExpiry()
{
    KvBucketConfig config;
    config.bucket = u"ttl"_s;
    config.ttlMs = 1000;
    KvBucket *bucket = makeBucket(config);
    KvReply *status = bucket->status();
    WAIT_OK(status);
    QCOMPARE(status->status().config.ttlMs, 1000);
    // The duplicate window may not be longer than the TTL.
    QCOMPARE(status->status().streamInfo.config.duplicateWindowNs, qint64(1000000000));

    WAIT_OK(bucket->put(u"k"_s, "v"));
    QElapsedTimer clock;
    clock.start();
    WAIT_OK(bucket->get(u"k"_s));
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::getError(bucket, u"k"_s), NatsError::KeyNotFound, 10000);
    QVERIFY2(clock.elapsed() >= 500, "expired long before its TTL");
    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    QVERIFY(keys->keys().isEmpty());
}

void tst_KvContext::maxBytes()
{
    KvBucketConfig config;
    config.bucket = u"mb"_s;
    config.maxBytes = 400;
    config.storage = KvBucketConfig::Storage::Memory;
    KvBucket *bucket = makeBucket(config);
    const QByteArray value(100, 'x');
    int stored = 0;
    NatsError refused;
    for (int i = 0; i < 10 && !refused.isError(); ++i) {
        KvReply *put = bucket->put(u"k%1"_s.arg(i), value);
        QTRY_VERIFY(put->isFinished());
        if (put->error() == NatsError::NoError)
            ++stored;
        else
            refused = put->errorInfo();
    }
    QVERIFY2(refused.isError(), "a bucket of 400 bytes took ten values of 100");
    QVERIFY(stored >= 1);
    // The server's 503 (10077) says the bucket is full, naming it and the limit; it used to read as
    // "JetStream not enabled".
    QCOMPARE(refused.code(), NatsError::BucketFull);
    QCOMPARE(refused.jsErrorCode(), 10077);
    const QString expected = u"bucket \"%1\" is full: maximum bytes exceeded"_s.arg(bucket->name());
    QVERIFY2(refused.message().contains(expected), qPrintable(refused.message()));
    QVERIFY2(refused.message().contains(u"\"k%1\""_s.arg(stored)), qPrintable(refused.message()));
    QCOMPARE(KvTest::getError(bucket, u"k%1"_s.arg(stored)), NatsError::KeyNotFound); // the refused one
    QCOMPARE(KvTest::getError(bucket, u"k0"_s), NatsError::NoError);
    KvReply *status = bucket->status();
    WAIT_OK(status);
    QCOMPARE(status->status().config.maxBytes, 400);
    QVERIFY(status->status().bytes <= 400);
}

// Try-out 6 #4: an open bucket kept the settings it was bound with. After Edit Bucket raised its max
// value size (here, or in another client), a value the bucket now takes was refused against the old
// limit, and after one was lowered a value over the new limit went out unchecked; its history and
// marker TTL were stale as well, until the bucket was opened again. The edit's reply, and any status
// read of the bucket (the window's bucket list reads them all every few seconds and on every stream
// advisory), now reach the open handles.
void tst_KvContext::anOpenBucketFollowsAnEdit()
{
    KvBucketConfig config;
    config.bucket = u"followed"_s;
    config.history = 10;
    config.maxValueSize = 1024;
    KvBucket *bucket = makeBucket(config);
    config.bucket = bucket->name();
    WAIT_OK(bucket->put(u"k"_s, "v"));
    QVERIFY(bucket->isBound());
    QVERIFY(!bucket->checkValueSize(u"k"_s, 1500).isEmpty());

    // Edited here: the update's reply brings the new settings.
    QSignalSpy rebound(bucket, &KvBucket::boundChanged);
    config.history = 20;
    config.maxValueSize = 2048;
    WAIT_OK(m_kv->updateBucket(config));
    QCOMPARE(bucket->boundStatus().config.history, 20);
    QVERIFY2(bucket->checkValueSize(u"k"_s, 1500).isEmpty(), qPrintable(bucket->checkValueSize(u"k"_s, 1500)));
    QCOMPARE(rebound.count(), 1);
    WAIT_OK(bucket->put(u"k"_s, QByteArray(1500, 'a')));

    // Edited by another client: the next status read of the bucket brings it.
    KvContext *otherKv = nullptr;
    std::unique_ptr<KvClient> other(
        KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), nullptr, nullptr, nullptr, &otherKv));
    QVERIFY(other);
    config.maxValueSize = 256;
    WAIT_OK(otherKv->updateBucket(config));
    QVERIFY(bucket->checkValueSize(u"k"_s, 600).isEmpty()); // not known yet
    WAIT_OK(m_kv->bucketStatuses());
    QVERIFY(!bucket->checkValueSize(u"k"_s, 600).isEmpty());
    config.history = 5;
    WAIT_OK(otherKv->updateBucket(config));
    WAIT_OK(m_kv->bucketStatus(config.bucket));
    QCOMPARE(bucket->boundStatus().config.history, 5);
    // A read that changes nothing (sizes only) says nothing.
    const int changes = int(rebound.count());
    WAIT_OK(m_kv->bucketStatuses());
    QCOMPARE(rebound.count(), changes);
}

void tst_KvContext::maxValueSize()
{
    KvBucketConfig config;
    config.bucket = u"mv"_s;
    config.maxValueSize = 100;
    KvBucket *bucket = makeBucket(config);
    KvReply *exact = bucket->put(u"k"_s, QByteArray(100, 'a'));
    WAIT_OK(exact);

    // Over the bucket's limit: refused before sending, naming key and limit.
    quint64 before = sentMessages();
    KvReply *tooBig = bucket->put(u"k"_s, QByteArray(101, 'b'));
    WAIT_ERROR(tooBig, NatsError::ValueTooLarge);
    QVERIFY2(tooBig->errorString().contains(u"\"k\""_s) && tooBig->errorString().contains(u"100"_s),
             qPrintable(tooBig->errorString()));
    // Headers count: 60 bytes of value plus the expected-revision header are over 100.
    KvReply *update = bucket->update(u"k"_s, QByteArray(60, 'c'), exact->revision());
    WAIT_ERROR(update, NatsError::ValueTooLarge);
    QCOMPARE(sentMessages(), before);
    // A value the bucket holds can be put but not updated (try-out 4, F2): the refusal names the value's
    // size, the bytes of the headers the guarded write needs (its message id was left out first, never
    // the revision guard), the bucket's limit and the largest value a write with them can carry.
    // "NATS/1.0\r\nNats-Expected-Last-Subject-Sequence: 1\r\n\r\n" is 52 bytes.
    KvReply *guarded = bucket->update(u"k"_s, QByteArray(100, 'c'), exact->revision());
    WAIT_ERROR(guarded, NatsError::ValueTooLarge);
    QCOMPARE(sentMessages(), before);
    for (const QString &part : {u"is 100 bytes"_s, u"with the headers this write carries (52 bytes"_s,
                                u"allows at most 100 bytes per message"_s, u"a value of at most 48 bytes"_s})
        QVERIFY2(guarded->errorString().contains(part), qPrintable(guarded->errorString()));
    KvReply *created = bucket->create(u"fresh"_s, QByteArray(90, 'c'));
    WAIT_ERROR(created, NatsError::ValueTooLarge);
    QVERIFY2(created->errorString().contains(u"a value of at most 48 bytes"_s), qPrintable(created->errorString()));
    QCOMPARE(sentMessages(), before);
    KvReply *get = bucket->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, QByteArray(100, 'a'));
    // The largest that fits is written, guard and all.
    WAIT_OK(bucket->update(u"k"_s, QByteArray(48, 'g'), exact->revision()));

    // The server enforces it too (10054): a handle that still knows the old, larger limit (lowered by
    // another client, and not read here since).
    config.bucket = bucket->name();
    config.maxValueSize = 50;
    KvContext *otherKv = nullptr;
    std::unique_ptr<KvClient> other(
        KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), nullptr, nullptr, nullptr, &otherKv));
    QVERIFY(other);
    WAIT_OK(otherKv->updateBucket(config));
    KvReply *server = bucket->put(u"k"_s, QByteArray(80, 'd'));
    WAIT_ERROR(server, NatsError::ValueTooLarge);
    QCOMPARE(server->errorInfo().jsErrorCode(), 10054);

    // Over the server's max_payload in an unlimited bucket: refused before sending.
    KvBucket *unlimited = makeBucket(u"mp"_s);
    WAIT_OK(unlimited->put(u"small"_s, "x"));
    before = sentMessages();
    KvReply *huge = unlimited->put(u"huge"_s, QByteArray(int(m_connection->maxPayload()) + 1, 'h'));
    WAIT_ERROR(huge, NatsError::ValueTooLarge);
    QVERIFY2(huge->errorString().contains(u"max_payload"_s), qPrintable(huge->errorString()));
    QCOMPARE(sentMessages(), before);
    QVERIFY(m_connection->isConnected());
}

void tst_KvContext::republish()
{
    const QString name = u"rp%1"_s.arg(m_counter);
    KvBucketConfig config;
    config.bucket = name;
    config.republish.source = u"$KV.%1.>"_s.arg(name);
    config.republish.destination = u"repub.%1.>"_s.arg(name);
    KvReply *create = m_kv->createBucket(config);
    WAIT_OK(create);
    QCOMPARE(create->status().config.republish.destination, config.republish.destination);
    NatsSubscription *subscription = m_connection->subscribe("repub." + name.toUtf8() + ".>");
    QSignalSpy republished(subscription, &NatsSubscription::messageReceived);
    WAIT_OK(m_connection->flush());

    KvBucket *bucket = m_kv->bucket(name, this);
    WAIT_OK(bucket->put(u"orders.1"_s, "hello"));
    QTRY_COMPARE(republished.size(), 1);
    const NatsMessage message = republished.first().first().value<NatsMessage>();
    QCOMPARE(message.subject(), "repub." + name.toUtf8() + ".orders.1");
    QCOMPARE(message.data(), "hello"_ba);
    QCOMPARE(message.headers().value("Nats-Sequence"), "1"_ba);
    QCOMPARE(message.headers().value("Nats-Subject"), "$KV." + name.toUtf8() + ".orders.1");
    subscription->unsubscribe();
}

void tst_KvContext::republishIntoAnotherBucket()
{
    // Bucket A republishes its writes into bucket B: B stores them with A's Nats-Stream, -Subject and
    // -Sequence headers, and a direct get of B appends B's own after them. The entry is B's (its
    // revision and subject), and A's headers stay on it as the stored message's own.
    KvBucket *target = makeBucket(u"rb"_s, 5);
    WAIT_OK(target->put(u"x"_s, "1"));
    WAIT_OK(target->put(u"y"_s, "2"));
    KvBucketConfig config;
    config.bucket = u"ra%1"_s.arg(m_counter);
    config.republish.source = u"$KV.%1.>"_s.arg(config.bucket);
    config.republish.destination = u"$KV.%1.>"_s.arg(target->name());
    KvTest::createBucket(m_kv, config);
    KvBucket *origin = m_kv->bucket(config.bucket, this);
    WAIT_OK(origin->put(u"k"_s, "hello"));
    QTRY_COMPARE(KvTest::value(target, u"k"_s), "hello"_ba);

    JsMessageGetRequest request;
    request.lastBySubject = "$KV." + target->name().toUtf8() + ".k";
    JsApiReply *direct = m_js->directGet(u"KV_"_s + target->name(), request);
    WAIT_OK(direct);
    const JsStoredMessage stored = direct->storedMessage();
    QCOMPARE(stored.stream, "KV_" + target->name().toUtf8());
    QCOMPARE(stored.subject, request.lastBySubject);
    QCOMPARE(stored.sequence, 3u);
    QCOMPARE(stored.data, "hello"_ba);
    QCOMPARE(stored.headers.value("Nats-Stream"), "KV_" + origin->name().toUtf8());
    QCOMPARE(stored.headers.value("Nats-Subject"), "$KV." + origin->name().toUtf8() + ".k");
    QCOMPARE(stored.headers.value("Nats-Sequence"), "1"_ba);
    QCOMPARE(stored.headers.values("Nats-Stream").size(), 1);

    KvReply *get = target->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().revision, 3u);
    QCOMPARE(get->entry().key, u"k"_s);
    QCOMPARE(get->entry().bucket, target->name());
}

void tst_KvContext::mirrorBucket()
{
    KvBucket *origin = makeBucket(u"origin"_s, 5);
    WAIT_OK(origin->put(u"a"_s, "1"));
    WAIT_OK(origin->put(u"b"_s, "2"));
    WAIT_OK(origin->put(u"a"_s, "3"));
    WAIT_OK(origin->remove(u"b"_s));

    KvBucketConfig config;
    config.bucket = u"mirror"_s;
    config.history = 5;
    config.mirror.name = origin->name();
    KvBucket *mirror = makeBucket(config);
    // The mirror stores the origin's subjects and catches up by itself: read through the handle.
    QTRY_COMPARE(KvTest::value(mirror, u"a"_s), "3"_ba);
    QVERIFY(mirror->isBound());
    QCOMPARE(mirror->boundStatus().config.mirror.name, u"KV_"_s + origin->name());
    QCOMPARE(KvTest::getError(mirror, u"b"_s), NatsError::KeyNotFound);
    KvReply *history = mirror->history(u"a"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 2);
    QCOMPARE(history->entries().last().value, "3"_ba);
    QCOMPARE(history->entries().last().bucket, mirror->name());
    KvReply *keys = mirror->keys();
    WAIT_OK(keys);
    QCOMPARE(keys->keys(), QStringList{u"a"_s});

    KvWatcher *watcher = mirror->watchAll();
    QSignalSpy entries(watcher, &KvWatcher::entryReceived);
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(initial.wait());
    const int initialCount = int(entries.size());
    QCOMPARE(initialCount, 2); // a, and b's delete marker
    WAIT_OK(origin->put(u"c"_s, "4"));
    QTRY_COMPARE(entries.size(), initialCount + 1);
    QCOMPARE(entries.last().first().value<KvEntry>().key, u"c"_s);

    // Writes through the mirror's handle go to the origin, and come back through the mirror.
    WAIT_OK(mirror->put(u"d"_s, "5"));
    QCOMPARE(KvTest::value(origin, u"d"_s), "5"_ba);
    QTRY_COMPARE(KvTest::value(mirror, u"d"_s), "5"_ba);
}

void tst_KvContext::sourcesBucket()
{
    KvBucket *first = makeBucket(u"srca"_s);
    KvBucket *second = makeBucket(u"srcb"_s);
    WAIT_OK(first->put(u"x"_s, "1"));
    WAIT_OK(second->put(u"y"_s, "2"));
    WAIT_OK(second->put(u"z"_s, "3"));
    KvBucketConfig config;
    config.bucket = u"agg%1"_s.arg(m_counter);
    JsStreamSource a;
    a.name = first->name();
    JsStreamSource b;
    b.name = u"KV_"_s + second->name(); // with or without the prefix
    config.sources = {a, b};
    KvReply *create = m_kv->createBucket(config);
    WAIT_OK(create);
    QCOMPARE(create->status().config.sources.size(), 2);
    QCOMPARE(create->status().config.sources.first().name, u"KV_"_s + first->name());
    QCOMPARE(create->status().config.sources.last().name, u"KV_"_s + second->name());
    QTRY_COMPARE(statusValues(config.bucket), 3u);
}

QTEST_GUILESS_MAIN(tst_KvContext)

#include "tst_kvcontext.moc"
