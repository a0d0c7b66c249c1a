#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvexportjob.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {
constexpr qint64 kSecondNs = 1000000000;
} // namespace

// Runs one peer command and stores its JSON answer in result; fails the test on an error.
#define PEER_OK(result, command, arguments)                                                                            \
    QJsonObject result;                                                                                                \
    do {                                                                                                               \
        QString problem_;                                                                                              \
        result = peer(command, arguments, &problem_);                                                                  \
        QVERIFY2(problem_.isEmpty(), qPrintable(problem_));                                                            \
    } while (false)

// The bucket options both clients are given, as @nats-io/kv names them (milliseconds), and as kvdesk's.
struct JsBucketRow
{
    QJsonObject js;
    KvBucketConfig kvdesk;
};
Q_DECLARE_METATYPE(JsBucketRow)

// Interoperability with @nats-io/kv 3.4 on the newest server: buckets made with the same options have the
// same stream config field for field (deny_delete may differ: JS leaves it out); per-key TTLs and the
// server's limit markers written through one client read identically through the other, both ways.
class tst_KvInteropJs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init() { ++m_counter; }
    void bucketConfigsMatch_data();
    void bucketConfigsMatch();
    void jsTtlKeyReadByKvdesk();
    void kvdeskTtlKeyReadByJs();
    void purgeWithTtlBothWays();

private:
    // One request to the running peer (a Node process with @nats-io/kv connected to the server) and its
    // answer; *problem says what went wrong.
    QJsonObject peer(const QString &command, const QJsonObject &arguments, QString *problem);
    QJsonObject streamConfig(const QString &bucket);
    // The config with what names the bucket made neutral, and deny_delete left out.
    static QJsonObject normalized(QJsonObject config, const QString &bucket);
    static KvEntry newest(KvBucket *bucket, const QString &key);

    NatsServerProcess m_server;
    QProcess m_peer;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvInteropJs::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(KVINTEROP_JS_PEER)), KVINTEROP_JS_PEER);
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
    // The peer's TTLs and markers need 2.11+; this test is registered for the newest server only.
    QVERIFY2(m_connection->serverInfo().versionAtLeast(2, 11, 0), qPrintable(m_connection->serverInfo().version));
    // One peer for the whole test: Node starts once, and reads right after a write see a TTL of 1 s.
    m_peer.start(QStringLiteral(KVINTEROP_JS_NODE), {QStringLiteral(KVINTEROP_JS_PEER), m_server.url()});
    QVERIFY2(m_peer.waitForStarted(10000), qPrintable(m_peer.errorString()));
    QString problem;
    peer(u"keys"_s, QJsonObject{{u"bucket"_s, u"nosuchbucket"_s}}, &problem); // answers once connected
    QVERIFY2(problem.contains(u"stream not found"_s) || problem.contains(u"not found"_s), qPrintable(problem));
}

void tst_KvInteropJs::cleanupTestCase()
{
    m_peer.closeWriteChannel();
    if (!m_peer.waitForFinished(10000))
        m_peer.kill();
}

QJsonObject tst_KvInteropJs::peer(const QString &command, const QJsonObject &arguments, QString *problem)
{
    const QJsonObject request{{u"command"_s, command}, {u"args"_s, arguments}};
    m_peer.write(QJsonDocument(request).toJson(QJsonDocument::Compact) + '\n');
    const bool answered = QTest::qWaitFor([this] { return m_peer.canReadLine(); }, 30000);
    const QByteArray line = answered ? m_peer.readLine().trimmed() : QByteArray();
    const QJsonObject result = QJsonDocument::fromJson(line).object();
    if (!answered || result.isEmpty() || result.contains("error"_L1))
        *problem = u"peer %1 %2: %3 (stderr: %4)"_s.arg(
            command, QString::fromUtf8(QJsonDocument(arguments).toJson(QJsonDocument::Compact)),
            answered ? QString::fromUtf8(line) : u"no answer"_s, QString::fromUtf8(m_peer.readAllStandardError()));
    return result;
}

QJsonObject tst_KvInteropJs::streamConfig(const QString &bucket)
{
    JsApiReply *info = m_js->streamInfo(u"KV_"_s + bucket);
    const bool ok = QTest::qWaitFor([info] { return info->isFinished(); }, KvTest::ReplyTimeoutMs);
    const QJsonObject config = ok ? info->response().value("config"_L1).toObject() : QJsonObject();
    info->deleteLater();
    return config;
}

QJsonObject tst_KvInteropJs::normalized(QJsonObject config, const QString &bucket)
{
    const auto neutral = [&bucket](QString text) {
        return text.replace(u"KV_"_s + bucket, u"KV_<bucket>"_s).replace(u"$KV."_s + bucket + u'.', u"$KV.<bucket>."_s);
    };
    config.remove("deny_delete"_L1);
    config.insert("name"_L1, neutral(config.value("name"_L1).toString()));
    QJsonArray subjects;
    for (const QJsonValue &subject : config.value("subjects"_L1).toArray())
        subjects.append(neutral(subject.toString()));
    if (config.contains("subjects"_L1))
        config.insert("subjects"_L1, subjects);
    QJsonArray sources;
    for (const QJsonValue &value : config.value("sources"_L1).toArray()) {
        QJsonObject source = value.toObject();
        QJsonArray transforms;
        for (const QJsonValue &transform : source.value("subject_transforms"_L1).toArray()) {
            QJsonObject t = transform.toObject();
            t.insert("dest"_L1, neutral(t.value("dest"_L1).toString()));
            transforms.append(t);
        }
        if (source.contains("subject_transforms"_L1))
            source.insert("subject_transforms"_L1, transforms);
        sources.append(source);
    }
    if (config.contains("sources"_L1))
        config.insert("sources"_L1, sources);
    return config;
}

KvEntry tst_KvInteropJs::newest(KvBucket *bucket, const QString &key)
{
    KvReply *get = bucket->get(key);
    const bool done = QTest::qWaitFor([get] { return get->isFinished(); }, KvTest::ReplyTimeoutMs);
    const KvEntry entry = done ? get->entry() : KvEntry();
    get->deleteLater();
    return entry;
}

void tst_KvInteropJs::bucketConfigsMatch_data()
{
    QTest::addColumn<JsBucketRow>("row");
    QTest::newRow("defaults") << JsBucketRow{};

    JsBucketRow ttl;
    ttl.js = {{u"history"_s, 5}, {u"ttl"_s, 60000}, {u"markerTTL"_s, 2000}};
    ttl.kvdesk.history = 5;
    ttl.kvdesk.ttlMs = 60000;
    ttl.kvdesk.markerTtlMs = 2000;
    QTest::newRow("history 5, TTL 60 s, marker TTL 2 s") << ttl;

    JsBucketRow compressed;
    compressed.js = {{u"compression"_s, true}, {u"metadata"_s, QJsonObject{{u"owner"_s, u"qt"_s}}}};
    compressed.kvdesk.compressed = true;
    compressed.kvdesk.metadata = {{u"owner"_s, u"qt"_s}};
    QTest::newRow("compression and metadata") << compressed;

    JsBucketRow limits;
    limits.js = {{u"description"_s, u"limits"_s},
                 {u"max_bytes"_s, 1048576},
                 {u"maxValueSize"_s, 1024},
                 {u"storage"_s, u"memory"_s}};
    limits.kvdesk.description = u"limits"_s;
    limits.kvdesk.maxBytes = 1048576;
    limits.kvdesk.maxValueSize = 1024;
    limits.kvdesk.storage = KvBucketConfig::Storage::Memory;
    QTest::newRow("description, sizes, memory") << limits;

    JsBucketRow sources;
    sources.js = {{u"sources"_s, QJsonArray{u"jsorigin_a"_s, u"jsorigin_b"_s}}};
    for (const QString &name : {u"jsorigin_a"_s, u"jsorigin_b"_s}) {
        JsStreamSource source;
        source.name = name;
        sources.kvdesk.sources.append(source);
    }
    QTest::newRow("sources") << sources;

    JsBucketRow mirror;
    mirror.js = {{u"mirror"_s, u"jsorigin_a"_s}};
    mirror.kvdesk.mirror.name = u"jsorigin_a"_s;
    QTest::newRow("mirror") << mirror;
}

void tst_KvInteropJs::bucketConfigsMatch()
{
    QFETCH(JsBucketRow, row);
    for (const QString &origin : {u"jsorigin_a"_s, u"jsorigin_b"_s}) {
        KvBucketConfig config;
        config.bucket = origin;
        QVERIFY(KvTest::createBucket(m_kv, config));
    }
    const QString jsBucket = u"jsmade%1"_s.arg(m_counter);
    const QString ourBucket = u"kdmade%1"_s.arg(m_counter);
    QJsonObject arguments = row.js;
    arguments.insert(u"bucket"_s, jsBucket);
    PEER_OK(created, u"create-bucket"_s, arguments);
    KvBucketConfig ours = row.kvdesk;
    ours.bucket = ourBucket;
    QVERIFY(KvTest::createBucket(m_kv, ours));

    const QJsonObject theirs = normalized(streamConfig(jsBucket), jsBucket);
    const QJsonObject mine = normalized(streamConfig(ourBucket), ourBucket);
    QVERIFY(!theirs.isEmpty());
    for (const QString &key : theirs.keys() + mine.keys()) {
        QVERIFY2(
            theirs.value(key) == mine.value(key),
            qPrintable(u"%1: @nats-io/kv %2, kvdesk %3"_s.arg(
                key,
                QString::fromUtf8(QJsonDocument(QJsonObject{{key, theirs.value(key)}}).toJson(QJsonDocument::Compact)),
                QString::fromUtf8(QJsonDocument(QJsonObject{{key, mine.value(key)}}).toJson(QJsonDocument::Compact)))));
    }
    // And each reads the other's settings back as they were given.
    KvReply *status = m_kv->bucketStatus(jsBucket);
    WAIT_OK(status);
    QCOMPARE(status->status().config.markerTtlMs, row.kvdesk.markerTtlMs);
    QCOMPARE(status->status().config.compressed, row.kvdesk.compressed);
    QCOMPARE(status->status().config.metadata, row.kvdesk.metadata);
}

void tst_KvInteropJs::jsTtlKeyReadByKvdesk()
{
    // The scenario: @nats-io/kv creates bucket ttlb with a marker TTL and key temp with a 1 s TTL.
    const QString name = u"ttlb%1"_s.arg(m_counter);
    PEER_OK(created, u"create-bucket"_s, QJsonObject({{u"bucket"_s, name}, {u"markerTTL"_s, 10000}}));
    PEER_OK(stays, u"put"_s, QJsonObject({{u"bucket"_s, name}, {u"key"_s, u"stays"_s}, {u"value"_s, u"v"_s}}));
    KvBucket *bucket = m_kv->bucket(name, this);
    KvWatcher *watcher = bucket->watchAll();
    QList<KvEntry> seen;
    connect(watcher, &KvWatcher::entryReceived, this, [&seen](const KvEntry &entry) { seen.append(entry); });
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(initial.wait());

    PEER_OK(temp, u"create"_s,
            QJsonObject({{u"bucket"_s, name}, {u"key"_s, u"temp"_s}, {u"value"_s, u"short"_s}, {u"ttl"_s, u"1s"_s}}));
    QTRY_VERIFY(!seen.isEmpty() && seen.last().key == u"temp"_s);
    QCOMPARE(seen.last().value, "short"_ba);
    QCOMPARE(seen.last().ttlNs, kSecondNs); // the TTL the JS client gave is part of the entry
    QCOMPARE(seen.last().revision, quint64(temp.value("revision"_L1).toInteger()));

    // Expired: the server's marker arrives live, and the key is gone for every read.
    QTRY_VERIFY_WITH_TIMEOUT(seen.last().key == u"temp"_s && seen.last().isLimitMarker(), 10000);
    QCOMPARE(seen.last().operationLabel(), u"EXPIRED (MaxAge)"_s);
    const KvEntry marker = newest(bucket, u"temp"_s);
    QVERIFY(marker.isLimitMarker());
    WAIT_ERROR(bucket->get(u"temp"_s), NatsError::KeyNotFound);
    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    QCOMPARE(keys->keys(), QStringList{u"stays"_s});
    // @nats-io/kv 3.4's own keys() still lists it (a client quirk, nats-modern.md §4.4); its get maps
    // the marker to a PURGE, at the revision kvdesk reads.
    PEER_OK(jsKeys, u"keys"_s, QJsonObject({{u"bucket"_s, name}}));
    QVERIFY(jsKeys.value("keys"_L1).toArray().contains(u"stays"_s));
    PEER_OK(jsGet, u"get"_s, QJsonObject({{u"bucket"_s, name}, {u"key"_s, u"temp"_s}}));
    QCOMPARE(jsGet.value("entry"_L1).toObject().value("operation"_L1).toString(), u"PURGE"_s);
    QCOMPARE(quint64(jsGet.value("entry"_L1).toObject().value("revision"_L1).toInteger()), marker.revision);

    QBuffer file;
    QVERIFY(file.open(QIODevice::WriteOnly));
    KvExportJob exportJob(bucket, &file);
    QSignalSpy exported(&exportJob, &KvExportJob::finished);
    exportJob.exportBucket();
    QVERIFY(exported.wait());
    QCOMPARE(exportJob.writtenCount(), 1);
    QVERIFY2(!file.data().contains("temp"), file.data().constData());
}

void tst_KvInteropJs::kvdeskTtlKeyReadByJs()
{
    KvBucketConfig config;
    config.bucket = u"kdttl%1"_s.arg(m_counter);
    config.markerTtlMs = 10000;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    KvReply *create = bucket->create(u"temp"_s, "short", kSecondNs);
    WAIT_OK(create);
    PEER_OK(before, u"get"_s, QJsonObject({{u"bucket"_s, config.bucket}, {u"key"_s, u"temp"_s}}));
    QCOMPARE(before.value("entry"_L1).toObject().value("value"_L1).toString(), u"short"_s);
    QCOMPARE(quint64(before.value("entry"_L1).toObject().value("revision"_L1).toInteger()), create->revision());

    QTRY_VERIFY_WITH_TIMEOUT(newest(bucket, u"temp"_s).isLimitMarker(), 10000);
    PEER_OK(history, u"history"_s, QJsonObject({{u"bucket"_s, config.bucket}, {u"key"_s, u"temp"_s}}));
    const QJsonArray entries = history.value("entries"_L1).toArray();
    QCOMPARE(entries.size(), 1); // only the marker: the value itself is gone
    QCOMPARE(entries.first().toObject().value("operation"_L1).toString(), u"PURGE"_s);
    QCOMPARE(quint64(entries.first().toObject().value("revision"_L1).toInteger()), newest(bucket, u"temp"_s).revision);

    // Each creates over the other's marker.
    PEER_OK(again, u"create"_s,
            QJsonObject({{u"bucket"_s, config.bucket}, {u"key"_s, u"temp"_s}, {u"value"_s, u"js"_s}}));
    QCOMPARE(KvTest::value(bucket, u"temp"_s), "js"_ba);
}

void tst_KvInteropJs::purgeWithTtlBothWays()
{
    KvBucketConfig config;
    config.bucket = u"purgettl%1"_s.arg(m_counter);
    config.markerTtlMs = 10000;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"mine"_s, "1"));
    WAIT_OK(bucket->put(u"theirs"_s, "2"));

    // kvdesk's purge with a TTL, read by JS; JS's read by kvdesk: the same marker, the same TTL.
    WAIT_OK(bucket->purge(u"mine"_s, 0, 2 * kSecondNs));
    PEER_OK(jsPurge, u"purge"_s,
            QJsonObject({{u"bucket"_s, config.bucket}, {u"key"_s, u"theirs"_s}, {u"ttl"_s, u"2s"_s}}));
    PEER_OK(jsSees, u"get"_s, QJsonObject({{u"bucket"_s, config.bucket}, {u"key"_s, u"mine"_s}}));
    QCOMPARE(jsSees.value("entry"_L1).toObject().value("operation"_L1).toString(), u"PURGE"_s);
    const KvEntry theirs = newest(bucket, u"theirs"_s);
    QCOMPARE(theirs.operation, KvEntry::Operation::Purge);
    QVERIFY(!theirs.isLimitMarker());
    QCOMPARE(theirs.ttlNs, 2 * kSecondNs);
    QCOMPARE(newest(bucket, u"mine"_s).ttlNs, 2 * kSecondNs);

    // Both markers go by themselves (no marker is written for a marker): nothing left for either client.
    QTRY_VERIFY_WITH_TIMEOUT(newest(bucket, u"mine"_s).key.isEmpty() && newest(bucket, u"theirs"_s).key.isEmpty(),
                             15000);
    PEER_OK(gone, u"get"_s, QJsonObject({{u"bucket"_s, config.bucket}, {u"key"_s, u"theirs"_s}}));
    QVERIFY(gone.value("entry"_L1).isNull());
}

QTEST_GUILESS_MAIN(tst_KvInteropJs)

#include "tst_kvinterop_js.moc"
