#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvinteropgotest.h"
#include "natsconnection.h"
#include "natssubscription.h"

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Interoperability with the official Go client, nats.go 1.22.1: a bucket made by one client is read with
// the settings it was given by the other, and buckets made with the same options by both have the same
// stream config, and were asked for with the same STREAM.CREATE request. Entries are tst_kvinterop_go's.
class tst_KvInteropGoConfig final : public KvInteropGoTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { start(); }
    void init() { next(); }
    void goBucketSettingsReadByKvdesk_data();
    void goBucketSettingsReadByKvdesk();
    void kvdeskBucketSettingsReadByGo_data();
    void kvdeskBucketSettingsReadByGo();
    void streamConfigsMatch_data();
    void streamConfigsMatch();
    void streamCreateRequestsMatch_data();
    void streamCreateRequestsMatch();

private:
    static void addConfigRows();
    void createOrigins(const InteropBucketOptions &options);
};

// The buckets that mirror and source rows read from (creating an existing one again is a no-op).
void tst_KvInteropGoConfig::createOrigins(const InteropBucketOptions &options)
{
    QStringList origins = options.sources;
    if (!options.mirror.isEmpty())
        origins.append(options.mirror);
    for (const QString &origin : std::as_const(origins))
        QVERIFY(createKvdeskBucket(InteropBucketOptions{}, origin));
}

void tst_KvInteropGoConfig::addConfigRows()
{
    KvInterop::addOptionRows();
    InteropBucketOptions mirror;
    mirror.description = u"a mirror"_s;
    mirror.mirror = u"interop_origin"_s;
    QTest::newRow("mirror") << mirror;
    InteropBucketOptions sources;
    sources.history = 4;
    sources.sources = QStringList{u"interop_source_a"_s, u"interop_source_b"_s};
    QTest::newRow("sources") << sources;
}

void tst_KvInteropGoConfig::goBucketSettingsReadByKvdesk_data()
{
    KvInterop::addOptionRows();
}

// A bucket nats.go created: kvdesk reads the settings it was given.
void tst_KvInteropGoConfig::goBucketSettingsReadByKvdesk()
{
    QFETCH(InteropBucketOptions, options);
    const QString name = bucketName("go_settings");
    QJsonObject created;
    PEER_OK(created, u"create-bucket"_s, KvInteropGo::bucketConfig(options, name));
    QCOMPARE(created.value("bucket"_L1).toString(), name);

    KvReply *status = m_kv->bucketStatus(name);
    WAIT_OK(status);
    const KvBucketConfig config = status->status().config;
    KvInterop::checkConfig(config, options, name);
}

void tst_KvInteropGoConfig::kvdeskBucketSettingsReadByGo_data()
{
    KvInterop::addOptionRows();
}

// A bucket kvdesk created: nats.go binds to it and reports its settings.
void tst_KvInteropGoConfig::kvdeskBucketSettingsReadByGo()
{
    QFETCH(InteropBucketOptions, options);
    const QString name = bucketName("kvdesk_settings");
    KvBucket *bucket = createKvdeskBucket(options, name);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k"_s, "v"));

    QJsonObject status;
    PEER_OK(status, u"status"_s, name);
    QCOMPARE(status.value("bucket"_L1).toString(), name);
    QCOMPARE(status.value("history"_L1).toInteger(), options.effectiveHistory());
    QCOMPARE(status.value("ttl_ms"_L1).toInteger(), options.ttlMs);
    QCOMPARE(status.value("values"_L1).toInteger(), 1);
    QCOMPARE(status.value("backing_store"_L1).toString(), u"JetStream"_s);
}

void tst_KvInteropGoConfig::streamConfigsMatch_data()
{
    addConfigRows();
}

// Buckets made with the same options by nats.go and by kvdesk have the same stream config as the server
// stores it, field for field (the bucket name aside).
void tst_KvInteropGoConfig::streamConfigsMatch()
{
    QFETCH(InteropBucketOptions, options);
    createOrigins(options);
    if (QTest::currentTestFailed())
        return;
    const QString goName = bucketName("cfg_from_go");
    const QString ourName = bucketName("cfg_from_kvdesk");
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s, KvInteropGo::bucketConfig(options, goName));
    QVERIFY(createKvdeskBucket(options, ourName));

    QJsonObject theirs;
    KvInterop::fetchStreamConfig(m_js, u"KV_"_s + goName, &theirs);
    QJsonObject ours;
    KvInterop::fetchStreamConfig(m_js, u"KV_"_s + ourName, &ours);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(theirs.value("name"_L1).toString(), u"KV_"_s + goName);
    QCOMPARE(ours.value("name"_L1).toString(), u"KV_"_s + ourName);
    // nats.go 1.22.1 predates subject transforms: on 2.10+ its bucket of sources has no subjects and stores
    // the sources' keys under their own prefixes, where nobody reads them. kvdesk makes what nats.go 1.53
    // and @nats-io/kv 3.4 make there (tst_kvinterop_js compares that): its own subjects and a transform
    // per source. Everything else must match.
    const bool modernServer = m_connection->serverInfo().versionAtLeast(2, 10, 0);
    const bool transformed = !options.sources.isEmpty() && modernServer;
    if ((transformed || !options.mirror.isEmpty()) && modernServer) {
        // Also as @nats-io/kv 3.4: a mirror or bucket of sources is given no duplicate window (what the
        // server then sets differs by version; streamCreateRequestsMatch checks the request).
        theirs.remove("duplicate_window"_L1);
        ours.remove("duplicate_window"_L1);
    }
    if (transformed) {
        QCOMPARE(ours.value("subjects"_L1).toArray().size(), 1);
        QJsonArray sources = ours.value("sources"_L1).toArray();
        for (qsizetype i = 0; i < sources.size(); ++i) {
            QJsonObject source = sources[i].toObject();
            QCOMPARE(source.value("subject_transforms"_L1).toArray().size(), 1);
            source.remove("subject_transforms"_L1);
            sources[i] = source;
        }
        ours.insert("sources"_L1, sources);
        ours.remove("subjects"_L1);
    }
    const QStringList differences = KvInterop::differences(KvInterop::normalized(theirs, goName),
                                                           KvInterop::normalized(ours, ourName));
    QVERIFY2(differences.isEmpty(),
             qPrintable(u"nats.go vs kvdesk stream config:\n  "_s + differences.join(u"\n  "_s)));
    if ((transformed || !options.mirror.isEmpty()) && modernServer)
        return; // the configs differ on purpose: neither is "already there with these settings" for the other

    // So each client accepts the other's bucket as "already there with these settings".
    WAIT_OK(m_kv->createBucket(options.toKvdesk(goName)));
    PEER_OK(result, u"create-bucket"_s, KvInteropGo::bucketConfig(options, ourName));
}

void tst_KvInteropGoConfig::streamCreateRequestsMatch_data()
{
    addConfigRows();
}

// The STREAM.CREATE requests themselves, as they go over the wire, say the same: what the server fills
// in for a field one client leaves out could change between server versions. Zero values are left out
// before comparing (nats.go omits them, kvdesk writes some).
void tst_KvInteropGoConfig::streamCreateRequestsMatch()
{
    QFETCH(InteropBucketOptions, options);
    createOrigins(options);
    if (QTest::currentTestFailed())
        return;
    const QString goName = bucketName("req_from_go");
    const QString ourName = bucketName("req_from_kvdesk");

    NatsSubscription *requests = m_connection->subscribe("$JS.API.STREAM.CREATE.>"_ba);
    QSignalSpy captured(requests, &NatsSubscription::messageReceived);
    WAIT_OK(m_connection->flush());
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s, KvInteropGo::bucketConfig(options, goName));
    QVERIFY(createKvdeskBucket(options, ourName));
    QTRY_COMPARE_WITH_TIMEOUT(captured.size(), 2, 10000);
    requests->deleteLater();

    const QHash<QByteArray, QJsonObject> bodies = KvInterop::bodiesBySubject(captured);
    const QJsonObject theirs = bodies.value("$JS.API.STREAM.CREATE.KV_"_ba + goName.toUtf8());
    const QJsonObject ours = bodies.value("$JS.API.STREAM.CREATE.KV_"_ba + ourName.toUtf8());
    QVERIFY2(!theirs.isEmpty() && !ours.isEmpty(), QByteArrayList(bodies.keys()).join(' ').constData());
    QJsonObject ourRequest = ours;
    QJsonObject theirRequest = theirs;
    const bool modernServer = m_connection->serverInfo().versionAtLeast(2, 10, 0);
    if ((!options.sources.isEmpty() || !options.mirror.isEmpty()) && modernServer) {
        QVERIFY(!ourRequest.contains("duplicate_window"_L1)); // as @nats-io/kv 3.4 (see streamConfigsMatch)
        theirRequest.remove("duplicate_window"_L1);
    }
    if (!options.sources.isEmpty() && modernServer) {
        // As in streamConfigsMatch: on 2.10+ kvdesk adds its own subjects and a transform per source.
        QVERIFY(ourRequest.contains("subjects"_L1));
        ourRequest.remove("subjects"_L1);
        QJsonArray sources;
        for (const QJsonValue &value : ourRequest.value("sources"_L1).toArray()) {
            QJsonObject source = value.toObject();
            QVERIFY(source.contains("subject_transforms"_L1));
            source.remove("subject_transforms"_L1);
            sources.append(source);
        }
        ourRequest.insert("sources"_L1, sources);
    }
    const QStringList differences = KvInterop::differences(
        KvInterop::withoutZeroValues(KvInterop::normalized(theirRequest, goName)),
        KvInterop::withoutZeroValues(KvInterop::normalized(ourRequest, ourName)));
    QVERIFY2(differences.isEmpty(),
             qPrintable(u"nats.go vs kvdesk STREAM.CREATE request:\n  "_s + differences.join(u"\n  "_s)));
}

QTEST_GUILESS_MAIN(tst_KvInteropGoConfig)

#include "tst_kvinterop_goconfig.moc"
