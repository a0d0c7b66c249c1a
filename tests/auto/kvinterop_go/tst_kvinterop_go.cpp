#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvinteropsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Interoperability with the official Go client, nats.go 1.22.1 — the client whose Key/Value mapping
// kvdesk follows (docs/nats-protocol.md §5). The Go side is peer/main.go, built by CMake and run here
// once per operation; it prints JSON. Both sides talk to the same real nats-server.

namespace {

const QByteArray kBinary = KvInterop::binaryValue();

// One entry as the peer prints it.
struct GoEntry
{
    QString key;
    QByteArray value;
    quint64 revision = 0;
    qint64 createdMs = 0;
    QString operation; // PUT, DEL, PURGE

    static GoEntry fromJson(const QJsonObject &object)
    {
        GoEntry entry;
        entry.key = object.value("key"_L1).toString();
        entry.value = QByteArray::fromBase64(object.value("value"_L1).toString().toLatin1());
        entry.revision = quint64(object.value("revision"_L1).toInteger());
        entry.createdMs = object.value("created_unix_ms"_L1).toInteger();
        entry.operation = object.value("operation"_L1).toString();
        return entry;
    }
};

QString base64(const QByteArray &value)
{
    return QString::fromLatin1(value.toBase64());
}

QJsonObject goBucketConfig(const InteropBucketOptions &options, const QString &name)
{
    QJsonObject config{
        {"bucket"_L1, name},
        {"description"_L1, options.description},
        {"history"_L1, options.history},
        {"ttl_ms"_L1, options.ttlMs},
        {"max_bytes"_L1, options.maxBytes},
        {"max_value_size"_L1, options.maxValueSize},
        {"storage"_L1, options.memory ? u"memory"_s : u"file"_s},
        {"replicas"_L1, options.replicas},
        {"mirror"_L1, options.mirror},
        {"sources"_L1, QJsonArray::fromStringList(options.sources)},
    };
    if (options.republish) {
        config.insert("republish"_L1,
                      QJsonObject{{"src"_L1, InteropBucketOptions::republishSource(name)},
                                  {"dest"_L1, InteropBucketOptions::republishDestination(name)},
                                  {"headers_only"_L1, true}});
    }
    return config;
}

} // namespace

// Runs one peer command (the server URL goes in after the command) and stores its JSON answer in result;
// returns from the test when the peer did not succeed.
#define PEER_OK(result, ...)                                                                                           \
    do {                                                                                                               \
        runPeer({__VA_ARGS__}, &(result), true);                                                                       \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

// The same, for a command that must fail (exit status 2 and an "error" member).
#define PEER_FAILS(result, ...)                                                                                        \
    do {                                                                                                               \
        runPeer({__VA_ARGS__}, &(result), false);                                                                      \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

class tst_KvInteropGo final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void goBucketSettingsReadByKvdesk_data();
    void goBucketSettingsReadByKvdesk();
    void goEntriesReadByKvdesk();
    void kvdeskBucketSettingsReadByGo_data();
    void kvdeskBucketSettingsReadByGo();
    void kvdeskEntriesReadByGo();
    void revisionsAcrossClients();
    void streamConfigsMatch_data();
    void streamConfigsMatch();
    void streamCreateRequestsMatch_data();
    void streamCreateRequestsMatch();
    void watchAcrossClients();

private:
    static void addConfigRows();
    QString bucketName(const char *prefix) const;
    void runPeer(const QStringList &arguments, QJsonObject *result, bool expectSuccess);
    KvBucket *createKvdeskBucket(const InteropBucketOptions &options, const QString &name);
    void createOrigins(const InteropBucketOptions &options);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvInteropGo::initTestCase()
{
    const QFileInfo peer(QStringLiteral(KVINTEROP_GO_PEER));
    QVERIFY2(peer.isExecutable(),
             qPrintable(u"The nats.go peer %1 is missing: build the kvinterop_go_peer target (needs golang-go "
                        "and golang-github-nats-io-go-nats-dev)"_s.arg(peer.filePath())));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvInteropGo::init()
{
    ++m_counter;
}

QString tst_KvInteropGo::bucketName(const char *prefix) const
{
    return QString::fromLatin1(prefix) + u'_' + QString::number(m_counter);
}

void tst_KvInteropGo::runPeer(const QStringList &arguments, QJsonObject *result, bool expectSuccess)
{
    QProcess process;
    process.setProgram(QStringLiteral(KVINTEROP_GO_PEER));
    process.setArguments(QStringList{arguments.first(), m_server.url()} + arguments.mid(1));
    process.start();
    QVERIFY2(process.waitForStarted(5000), qPrintable(process.errorString()));
    QVERIFY2(process.waitForFinished(20000), qPrintable(u"peer %1 did not finish"_s.arg(arguments.join(u' '))));
    const QByteArray output = process.readAllStandardOutput().trimmed();
    const QString report = u"peer "_s + arguments.first() + u": exit "_s + QString::number(process.exitCode())
        + u", stdout: "_s + QString::fromUtf8(output) + u", stderr: "_s
        + QString::fromUtf8(process.readAllStandardError());
    const QJsonDocument document = QJsonDocument::fromJson(output.mid(output.lastIndexOf('\n') + 1));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && document.isObject(), qPrintable(report));
    *result = document.object();
    if (expectSuccess) {
        QVERIFY2(process.exitCode() == 0, qPrintable(report));
    } else {
        QVERIFY2(process.exitCode() == 2 && result->contains("error"_L1), qPrintable(report));
    }
}

KvBucket *tst_KvInteropGo::createKvdeskBucket(const InteropBucketOptions &options, const QString &name)
{
    return KvTest::createBucket(m_kv, options.toKvdesk(name)) ? m_kv->bucket(name, this) : nullptr;
}

// The buckets that mirror and source rows read from (creating an existing one again is a no-op).
void tst_KvInteropGo::createOrigins(const InteropBucketOptions &options)
{
    QStringList origins = options.sources;
    if (!options.mirror.isEmpty())
        origins.append(options.mirror);
    for (const QString &origin : std::as_const(origins))
        QVERIFY(createKvdeskBucket(InteropBucketOptions{}, origin));
}

void tst_KvInteropGo::addConfigRows()
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

void tst_KvInteropGo::goBucketSettingsReadByKvdesk_data()
{
    KvInterop::addOptionRows();
}

// A bucket nats.go created: kvdesk reads the settings it was given.
void tst_KvInteropGo::goBucketSettingsReadByKvdesk()
{
    QFETCH(InteropBucketOptions, options);
    const QString name = bucketName("go_settings");
    QJsonObject created;
    PEER_OK(created, u"create-bucket"_s,
            QString::fromUtf8(QJsonDocument(goBucketConfig(options, name)).toJson(QJsonDocument::Compact)));
    QCOMPARE(created.value("bucket"_L1).toString(), name);

    KvReply *status = m_kv->bucketStatus(name);
    WAIT_OK(status);
    const KvBucketConfig config = status->status().config;
    KvInterop::checkConfig(config, options, name);
}

// Entries nats.go wrote, markers included, read by kvdesk.
void tst_KvInteropGo::goEntriesReadByKvdesk()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("go_entries");
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s,
            QString::fromUtf8(QJsonDocument(goBucketConfig(options, name)).toJson(QJsonDocument::Compact)));

    const QList<QPair<QString, QByteArray>> values{
        {u"text"_s, "hello from nats.go"_ba},   {u"binary"_s, kBinary},           {u"empty"_s, QByteArray()},
        {u"big"_s, QByteArray(32 * 1024, 'g')}, {u"a.b/c=d-e_f"_s, "odd key"_ba},
    };
    QHash<QString, quint64> revisions;
    for (const auto &[key, value] : values) {
        PEER_OK(result, u"put"_s, name, key, base64(value));
        revisions.insert(key, quint64(result.value("revision"_L1).toInteger()));
    }

    KvBucket *bucket = m_kv->bucket(name, this);
    for (const auto &[key, value] : values) {
        KvReply *get = bucket->get(key);
        WAIT_OK(get);
        QCOMPARE(get->entry().value, value);
        QCOMPARE(get->entry().revision, revisions.value(key));
        QCOMPARE(get->entry().operation, KvEntry::Operation::Put);
    }

    // nats.go's Create and Update.
    PEER_OK(result, u"create"_s, name, u"cas"_s, base64("first"));
    const quint64 created = quint64(result.value("revision"_L1).toInteger());
    PEER_OK(result, u"update"_s, name, u"cas"_s, base64("second"), QString::number(created));
    KvReply *cas = bucket->get(u"cas"_s);
    WAIT_OK(cas);
    QCOMPARE(cas->entry().value, "second"_ba);
    QCOMPARE(cas->entry().revision, quint64(result.value("revision"_L1).toInteger()));

    // nats.go's delete and purge: markers in kvdesk's history, and get says KeyNotFound.
    PEER_OK(result, u"delete"_s, name, u"text"_s);
    WAIT_ERROR(bucket->get(u"text"_s), NatsError::KeyNotFound);
    KvReply *history = bucket->history(u"text"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 2);
    QCOMPARE(history->entries().at(0).value, "hello from nats.go"_ba);
    QCOMPARE(history->entries().at(1).operation, KvEntry::Operation::Delete);
    PEER_OK(result, u"purge"_s, name, u"binary"_s);
    WAIT_ERROR(bucket->get(u"binary"_s), NatsError::KeyNotFound);
    KvReply *purgeHistory = bucket->history(u"binary"_s);
    WAIT_OK(purgeHistory);
    QCOMPARE(purgeHistory->entries().size(), 1);
    QCOMPARE(purgeHistory->entries().at(0).operation, KvEntry::Operation::Purge);

    // Key lists agree.
    PEER_OK(result, u"keys"_s, name);
    const QStringList goKeys = result.value("keys"_L1).toVariant().toStringList();
    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    const QStringList ours = keys->keys();
    QCOMPARE(QSet<QString>(ours.begin(), ours.end()), QSet<QString>(goKeys.begin(), goKeys.end()));
    QCOMPARE(QSet<QString>(ours.begin(), ours.end()),
             (QSet<QString>{u"empty"_s, u"big"_s, u"a.b/c=d-e_f"_s, u"cas"_s}));
}

void tst_KvInteropGo::kvdeskBucketSettingsReadByGo_data()
{
    KvInterop::addOptionRows();
}

// A bucket kvdesk created: nats.go binds to it and reports its settings.
void tst_KvInteropGo::kvdeskBucketSettingsReadByGo()
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

// Entries kvdesk wrote, markers included, read by nats.go.
void tst_KvInteropGo::kvdeskEntriesReadByGo()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("kvdesk_entries");
    KvBucket *bucket = createKvdeskBucket(options, name);
    QVERIFY(bucket);

    const QList<QPair<QString, QByteArray>> values{
        {u"text"_s, "hello from kvdesk"_ba},    {u"binary"_s, kBinary},           {u"empty"_s, QByteArray()},
        {u"big"_s, QByteArray(32 * 1024, 'q')}, {u"a.b/c=d-e_f"_s, "odd key"_ba},
    };
    QHash<QString, KvEntry> written;
    for (const auto &[key, value] : values) {
        WAIT_OK(bucket->put(key, value));
        KvReply *get = bucket->get(key);
        WAIT_OK(get);
        written.insert(key, get->entry());
    }

    QJsonObject result;
    for (const auto &[key, value] : values) {
        PEER_OK(result, u"get"_s, name, key);
        const GoEntry entry = GoEntry::fromJson(result);
        QCOMPARE(entry.key, key);
        QCOMPARE(entry.value, value);
        QCOMPARE(entry.revision, written.value(key).revision);
        QCOMPARE(entry.operation, u"PUT"_s);
        QCOMPARE(entry.createdMs, written.value(key).created.toMSecsSinceEpoch());
    }

    // kvdesk's delete: nats.go says "key not found", its history ends in a DEL marker at our revision,
    // and the value before it is still there by revision.
    KvReply *removed = bucket->remove(u"text"_s);
    WAIT_OK(removed);
    PEER_FAILS(result, u"get"_s, name, u"text"_s);
    QVERIFY2(result.value("not_found"_L1).toBool(), qPrintable(result.value("error"_L1).toString()));
    PEER_OK(result, u"history"_s, name, u"text"_s);
    QJsonArray history = result.value("entries"_L1).toArray();
    QCOMPARE(history.size(), 2);
    QCOMPARE(GoEntry::fromJson(history.at(0).toObject()).value, "hello from kvdesk"_ba);
    QCOMPARE(GoEntry::fromJson(history.at(1).toObject()).operation, u"DEL"_s);
    QCOMPARE(GoEntry::fromJson(history.at(1).toObject()).revision, removed->revision());
    PEER_OK(result, u"get"_s, name, u"text"_s, QString::number(written.value(u"text"_s).revision));
    QCOMPARE(GoEntry::fromJson(result).value, "hello from kvdesk"_ba);
    PEER_FAILS(result, u"get"_s, name, u"text"_s, QString::number(removed->revision()));
    QVERIFY(result.value("not_found"_L1).toBool());

    // kvdesk's purge: one PURGE marker left.
    KvReply *purged = bucket->purge(u"binary"_s);
    WAIT_OK(purged);
    PEER_FAILS(result, u"get"_s, name, u"binary"_s);
    QVERIFY(result.value("not_found"_L1).toBool());
    PEER_OK(result, u"history"_s, name, u"binary"_s);
    history = result.value("entries"_L1).toArray();
    QCOMPARE(history.size(), 1);
    QCOMPARE(GoEntry::fromJson(history.at(0).toObject()).operation, u"PURGE"_s);
    QCOMPARE(GoEntry::fromJson(history.at(0).toObject()).revision, purged->revision());

    PEER_OK(result, u"keys"_s, name);
    const QStringList goKeys = result.value("keys"_L1).toVariant().toStringList();
    QCOMPARE(QSet<QString>(goKeys.begin(), goKeys.end()), (QSet<QString>{u"empty"_s, u"big"_s, u"a.b/c=d-e_f"_s}));
}

// Compare-and-set with revisions handed from one client to the other.
void tst_KvInteropGo::revisionsAcrossClients()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("cas");
    KvBucket *bucket = createKvdeskBucket(options, name);
    QVERIFY(bucket);

    KvReply *put = bucket->put(u"k"_s, "kvdesk 1");
    WAIT_OK(put);
    const quint64 r1 = put->revision();

    // nats.go updates with kvdesk's revision.
    QJsonObject result;
    PEER_OK(result, u"update"_s, name, u"k"_s, base64("go 2"), QString::number(r1));
    const quint64 r2 = quint64(result.value("revision"_L1).toInteger());
    QCOMPARE(r2, r1 + 1);

    // kvdesk updates after nats.go; then nats.go's update with the revision it had is stale.
    WAIT_ERROR(bucket->update(u"k"_s, "kvdesk stale", r1), NatsError::WrongRevision);
    KvReply *update = bucket->update(u"k"_s, "kvdesk 3", r2);
    WAIT_OK(update);
    PEER_FAILS(result, u"update"_s, name, u"k"_s, base64("go stale"), QString::number(r2));
    QCOMPARE(result.value("err_code"_L1).toInt(), 10071);
    PEER_OK(result, u"get"_s, name, u"k"_s);
    QCOMPARE(GoEntry::fromJson(result).value, "kvdesk 3"_ba);
    QCOMPARE(GoEntry::fromJson(result).revision, update->revision());

    // nats.go cannot create over a live kvdesk key, nor kvdesk over a live nats.go key.
    PEER_FAILS(result, u"create"_s, name, u"k"_s, base64("go create"));
    QVERIFY2(result.value("key_exists"_L1).toBool(), qPrintable(result.value("error"_L1).toString()));
    PEER_OK(result, u"put"_s, name, u"g"_s, base64("from go"));
    WAIT_ERROR(bucket->create(u"g"_s, "kvdesk create"), NatsError::KeyExists);

    // Across a nats.go delete kvdesk creates; across a kvdesk delete nats.go creates, at marker + 1.
    PEER_OK(result, u"delete"_s, name, u"g"_s);
    WAIT_OK(bucket->create(u"g"_s, "kvdesk create"));
    KvReply *removed = bucket->remove(u"k"_s);
    WAIT_OK(removed);
    PEER_OK(result, u"create"_s, name, u"k"_s, base64("go create"));
    const quint64 goCreated = quint64(result.value("revision"_L1).toInteger());
    QCOMPARE(goCreated, removed->revision() + 1);

    // Deletes with an expected revision, both ways.
    PEER_FAILS(result, u"delete"_s, name, u"k"_s, QString::number(removed->revision()));
    QCOMPARE(result.value("err_code"_L1).toInt(), 10071);
    WAIT_ERROR(bucket->remove(u"k"_s, removed->revision()), NatsError::WrongRevision);
    PEER_OK(result, u"delete"_s, name, u"k"_s, QString::number(goCreated));
    WAIT_ERROR(bucket->get(u"k"_s), NatsError::KeyNotFound);
}

void tst_KvInteropGo::streamConfigsMatch_data()
{
    addConfigRows();
}

// Buckets made with the same options by nats.go and by kvdesk have the same stream config as the server
// stores it, field for field (the bucket name aside).
void tst_KvInteropGo::streamConfigsMatch()
{
    QFETCH(InteropBucketOptions, options);
    createOrigins(options);
    if (QTest::currentTestFailed())
        return;
    const QString goName = bucketName("cfg_from_go");
    const QString ourName = bucketName("cfg_from_kvdesk");
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s,
            QString::fromUtf8(QJsonDocument(goBucketConfig(options, goName)).toJson(QJsonDocument::Compact)));
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
    PEER_OK(result, u"create-bucket"_s,
            QString::fromUtf8(QJsonDocument(goBucketConfig(options, ourName)).toJson(QJsonDocument::Compact)));
}

void tst_KvInteropGo::streamCreateRequestsMatch_data()
{
    addConfigRows();
}

// The STREAM.CREATE requests themselves, as they go over the wire, say the same: what the server fills
// in for a field one client leaves out could change between server versions. Zero values are left out
// before comparing (nats.go omits them, kvdesk writes some).
void tst_KvInteropGo::streamCreateRequestsMatch()
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
    PEER_OK(result, u"create-bucket"_s,
            QString::fromUtf8(QJsonDocument(goBucketConfig(options, goName)).toJson(QJsonDocument::Compact)));
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

// Live watches: kvdesk sees nats.go's writes, nats.go sees kvdesk's.
void tst_KvInteropGo::watchAcrossClients()
{
    InteropBucketOptions options;
    options.history = 5;
    const QString name = bucketName("watch");
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s,
            QString::fromUtf8(QJsonDocument(goBucketConfig(options, name)).toJson(QJsonDocument::Compact)));

    KvBucket *bucket = m_kv->bucket(name, this);
    KvWatcher *watcher = bucket->watchAll();
    QSignalSpy entries(watcher, &KvWatcher::entryReceived);
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QTRY_COMPARE_WITH_TIMEOUT(initial.size(), 1, 10000);

    PEER_OK(result, u"put"_s, name, u"a"_s, base64(kBinary));
    const quint64 r1 = quint64(result.value("revision"_L1).toInteger());
    PEER_OK(result, u"delete"_s, name, u"a"_s);
    PEER_OK(result, u"put"_s, name, u"b.c"_s, base64("x"));
    QTRY_COMPARE_WITH_TIMEOUT(entries.size(), 3, 10000);
    QCOMPARE(entries.at(0).at(0).value<KvEntry>().value, kBinary);
    QCOMPARE(entries.at(0).at(0).value<KvEntry>().revision, r1);
    QCOMPARE(entries.at(1).at(0).value<KvEntry>().operation, KvEntry::Operation::Delete);
    QCOMPARE(entries.at(1).at(0).value<KvEntry>().key, u"a"_s);
    QCOMPARE(entries.at(2).at(0).value<KvEntry>().key, u"b.c"_s);

    // nats.go's watcher: initial latest values (a's DEL marker, b.c), its end marker, then two live entries.
    QProcess goWatch;
    QByteArray lines;
    connect(&goWatch, &QProcess::readyReadStandardOutput, this, [&] { lines += goWatch.readAllStandardOutput(); });
    goWatch.start(QStringLiteral(KVINTEROP_GO_PEER), {u"watch"_s, m_server.url(), name, u">"_s, u"4"_s});
    QTRY_VERIFY2_WITH_TIMEOUT(lines.contains("initial_done"), qPrintable(QString::fromUtf8(lines)), 10000);
    KvReply *kvPut = bucket->put(u"c"_s, kBinary);
    WAIT_OK(kvPut);
    KvReply *kvPurge = bucket->purge(u"b.c"_s);
    WAIT_OK(kvPurge);
    QTRY_COMPARE_WITH_TIMEOUT(goWatch.state(), QProcess::NotRunning, 10000);
    lines += goWatch.readAllStandardOutput();
    QCOMPARE(goWatch.exitCode(), 0);

    QList<GoEntry> seen;
    for (const QByteArray &line : lines.trimmed().split('\n')) {
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        if (!object.contains("initial_done"_L1))
            seen.append(GoEntry::fromJson(object));
    }
    QCOMPARE(seen.size(), 4);
    QCOMPARE(seen.at(0).key, u"a"_s);
    QCOMPARE(seen.at(0).operation, u"DEL"_s);
    QCOMPARE(seen.at(1).key, u"b.c"_s);
    QCOMPARE(seen.at(2).key, u"c"_s);
    QCOMPARE(seen.at(2).value, kBinary);
    QCOMPARE(seen.at(2).revision, kvPut->revision());
    QCOMPARE(seen.at(3).key, u"b.c"_s);
    QCOMPARE(seen.at(3).operation, u"PURGE"_s);
    QCOMPARE(seen.at(3).revision, kvPurge->revision());
    QTRY_COMPARE_WITH_TIMEOUT(entries.size(), 5, 10000);
}

QTEST_GUILESS_MAIN(tst_KvInteropGo)

#include "tst_kvinterop_go.moc"
