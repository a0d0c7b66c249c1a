#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvinteropsupport.h"
#include "kvwatcher.h"
#include "libnatssupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Interoperability with the official C client, libnats (nats.c 3.4.1 on Debian 12). libnats runs its own
// threads; every call into it is made synchronously from the test thread, while the kvdesk side keeps
// the Qt event loop turning (QTRY_*). Both talk to the same real nats-server.

namespace {

const QByteArray kBinary = KvInterop::binaryValue();

} // namespace

class tst_KvInteropC final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cBucketSettingsReadByKvdesk_data();
    void cBucketSettingsReadByKvdesk();
    void cEntriesReadByKvdesk();
    void kvdeskBucketSettingsReadByC_data();
    void kvdeskBucketSettingsReadByC();
    void kvdeskEntriesReadByC();
    void revisionsAcrossClients();
    void streamConfigsMatch_data();
    void streamConfigsMatch();
    void streamCreateRequests_data();
    void streamCreateRequests();
    void watchAcrossClients();

private:
    QString bucketName(const char *prefix) const;
    void createCBucket(const InteropBucketOptions &options, const QString &name, CKvStore *store);
    void bindC(const QString &name, CKvStore *store);
    KvBucket *createKvdeskBucket(const InteropBucketOptions &options, const QString &name);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    CConnection m_cConnection;
    CJetStream m_cJs;
    int m_counter = 0;
};

void tst_KvInteropC::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));

    natsConnection *connection = nullptr;
    C_OK(natsConnection_ConnectTo(&connection, m_server.url().toUtf8().constData()));
    m_cConnection.reset(connection);
    jsCtx *js = nullptr;
    C_OK(natsConnection_JetStream(&js, connection, nullptr));
    m_cJs.reset(js);
}

void tst_KvInteropC::cleanupTestCase()
{
    m_cJs.reset();
    if (m_cConnection)
        natsConnection_Close(m_cConnection.get());
    m_cConnection.reset();
    // Let libnats stop its threads before the process exits.
    nats_CloseAndWait(5000);
}

void tst_KvInteropC::init()
{
    ++m_counter;
}

QString tst_KvInteropC::bucketName(const char *prefix) const
{
    return QString::fromLatin1(prefix) + u'_' + QString::number(m_counter);
}

void tst_KvInteropC::createCBucket(const InteropBucketOptions &options, const QString &name, CKvStore *store)
{
    CBucketConfig config(options, name);
    kvStore *created = nullptr;
    C_OK(js_CreateKeyValue(&created, m_cJs.get(), &config.config));
    store->reset(created);
}

void tst_KvInteropC::bindC(const QString &name, CKvStore *store)
{
    kvStore *bound = nullptr;
    C_OK(js_KeyValue(&bound, m_cJs.get(), name.toUtf8().constData()));
    store->reset(bound);
}

KvBucket *tst_KvInteropC::createKvdeskBucket(const InteropBucketOptions &options, const QString &name)
{
    return KvTest::createBucket(m_kv, options.toKvdesk(name)) ? m_kv->bucket(name, this) : nullptr;
}

void tst_KvInteropC::cBucketSettingsReadByKvdesk_data()
{
    KvInterop::addOptionRows();
}

// (a) A bucket libnats created: kvdesk reads the settings it was given.
void tst_KvInteropC::cBucketSettingsReadByKvdesk()
{
    QFETCH(InteropBucketOptions, options);
    const QString name = bucketName("c_settings");
    CKvStore store;
    createCBucket(options, name, &store);
    if (QTest::currentTestFailed())
        return;

    KvReply *status = m_kv->bucketStatus(name);
    WAIT_OK(status);
    const KvBucketConfig config = status->status().config;
    QCOMPARE(status->status().bucket, name);
    KvInterop::checkConfig(config, options, name);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(status->status().values, 0u);

    // kvdesk lists it as a bucket as well.
    KvReply *names = m_kv->bucketNames();
    WAIT_OK(names);
    QVERIFY2(names->bucketNames().contains(name), qPrintable(names->bucketNames().join(u' ')));
}

// (a) Entries libnats wrote, markers included, read by kvdesk.
void tst_KvInteropC::cEntriesReadByKvdesk()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("c_entries");
    CKvStore store;
    createCBucket(options, name, &store);
    if (QTest::currentTestFailed())
        return;
    kvStore *kv = store.get();

    const QByteArray big(64 * 1024, 'z');
    const QList<QPair<QString, QByteArray>> values{
        {u"text"_s, "hello from libnats"_ba}, {u"binary"_s, kBinary}, {u"empty"_s, QByteArray()}, {u"big"_s, big},
        {u"a.b/c=d-e_f"_s, "odd key"_ba},
    };
    QHash<QString, quint64> revisions;
    for (const auto &[key, value] : values) {
        uint64_t revision = 0;
        C_OK(kvStore_Put(&revision, kv, key.toUtf8().constData(), value.constData(), int(value.size())));
        revisions.insert(key, revision);
    }

    KvBucket *bucket = m_kv->bucket(name, this);
    for (const auto &[key, value] : values) {
        KvReply *get = bucket->get(key);
        WAIT_OK(get);
        QCOMPARE(get->entry().key, key);
        QCOMPARE(get->entry().value, value);
        QCOMPARE(get->entry().revision, revisions.value(key));
        QCOMPARE(get->entry().operation, KvEntry::Operation::Put);
    }

    // Both agree on the creation time (ms precision on our side).
    kvEntry *cText = nullptr;
    C_OK(kvStore_Get(&cText, kv, "text"));
    const CKvEntry textEntry(cText);
    KvReply *text = bucket->get(u"text"_s);
    WAIT_OK(text);
    QCOMPARE(text->entry().created.toMSecsSinceEpoch(), kvEntry_Created(cText) / 1000000);

    // Create / update made by libnats.
    uint64_t created = 0;
    C_OK(kvStore_CreateString(&created, kv, "cas", "first"));
    uint64_t updated = 0;
    C_OK(kvStore_UpdateString(&updated, kv, "cas", "second", created));
    KvReply *cas = bucket->get(u"cas"_s);
    WAIT_OK(cas);
    QCOMPARE(cas->entry().value, "second"_ba);
    QCOMPARE(cas->entry().revision, quint64(updated));
    KvReply *first = bucket->get(u"cas"_s, created);
    WAIT_OK(first);
    QCOMPARE(first->entry().value, "first"_ba);

    // A delete made by libnats: a DEL marker in kvdesk's history, and get says KeyNotFound.
    C_OK(kvStore_Delete(kv, "text"));
    KvReply *deleted = bucket->get(u"text"_s);
    WAIT_ERROR(deleted, NatsError::KeyNotFound);
    KvReply *history = bucket->history(u"text"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 2);
    QCOMPARE(history->entries().at(0).value, "hello from libnats"_ba);
    QCOMPARE(history->entries().at(1).operation, KvEntry::Operation::Delete);
    QVERIFY(history->entries().at(1).value.isEmpty());
    QVERIFY(history->entries().at(1).revision > revisions.value(u"text"_s));

    // A purge made by libnats: only the PURGE marker is left.
    C_OK(kvStore_Purge(kv, "binary", nullptr));
    KvReply *purged = bucket->get(u"binary"_s);
    WAIT_ERROR(purged, NatsError::KeyNotFound);
    KvReply *purgeHistory = bucket->history(u"binary"_s);
    WAIT_OK(purgeHistory);
    QCOMPARE(purgeHistory->entries().size(), 1);
    QCOMPARE(purgeHistory->entries().at(0).operation, KvEntry::Operation::Purge);

    // kvdesk's key list matches libnats' own.
    CKeysList cKeys;
    C_OK(kvStore_Keys(&cKeys.list, kv, nullptr));
    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    const QStringList ours = keys->keys();
    QCOMPARE(QSet<QString>(ours.begin(), ours.end()), cKeys.toSet());
    QCOMPARE(cKeys.toSet(), (QSet<QString>{u"empty"_s, u"big"_s, u"a.b/c=d-e_f"_s, u"cas"_s}));

    // kvdesk creates over libnats' markers at marker + 1.
    const quint64 marker = history->entries().at(1).revision;
    KvReply *recreate = bucket->create(u"text"_s, "back");
    WAIT_OK(recreate);
    QVERIFY(recreate->revision() > marker);

    // Status agrees on the message count.
    kvStatus *cStatus = nullptr;
    C_OK(kvStore_Status(&cStatus, kv));
    const CKvStatus statusGuard(cStatus);
    KvReply *status = m_kv->bucketStatus(name);
    WAIT_OK(status);
    QCOMPARE(status->status().values, quint64(kvStatus_Values(cStatus)));
}

void tst_KvInteropC::kvdeskBucketSettingsReadByC_data()
{
    KvInterop::addOptionRows();
}

// (b) A bucket kvdesk created: libnats binds to it and reports its settings.
void tst_KvInteropC::kvdeskBucketSettingsReadByC()
{
    QFETCH(InteropBucketOptions, options);
    const QString name = bucketName("k_settings");
    KvBucket *bucket = createKvdeskBucket(options, name);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k"_s, "v"));

    CKvStore store;
    bindC(name, &store);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(QString::fromUtf8(kvStore_Bucket(store.get())), name);
    kvStatus *cStatus = nullptr;
    C_OK(kvStore_Status(&cStatus, store.get()));
    const CKvStatus statusGuard(cStatus);
    QCOMPARE(QString::fromUtf8(kvStatus_Bucket(cStatus)), name);
    QCOMPARE(kvStatus_History(cStatus), options.effectiveHistory());
    QCOMPARE(kvStatus_TTL(cStatus), options.ttlMs * 1000 * 1000);
    QCOMPARE(kvStatus_Replicas(cStatus), options.effectiveReplicas());
    QCOMPARE(kvStatus_Values(cStatus), 1u);

    kvEntry *entry = nullptr;
    C_OK(kvStore_Get(&entry, store.get(), "k"));
    const CKvEntry entryGuard(entry);
    QCOMPARE(entryValue(entry), "v"_ba);
}

// (b) Entries kvdesk wrote, markers included, read by libnats.
void tst_KvInteropC::kvdeskEntriesReadByC()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("k_entries");
    KvBucket *bucket = createKvdeskBucket(options, name);
    QVERIFY(bucket);

    const QList<QPair<QString, QByteArray>> values{
        {u"text"_s, "hello from kvdesk"_ba},    {u"binary"_s, kBinary},           {u"empty"_s, QByteArray()},
        {u"big"_s, QByteArray(64 * 1024, 'q')}, {u"a.b/c=d-e_f"_s, "odd key"_ba},
    };
    QHash<QString, quint64> revisions;
    for (const auto &[key, value] : values) {
        KvReply *put = bucket->put(key, value);
        WAIT_OK(put);
        revisions.insert(key, put->revision());
    }

    CKvStore store;
    bindC(name, &store);
    if (QTest::currentTestFailed())
        return;
    kvStore *kv = store.get();
    for (const auto &[key, value] : values) {
        kvEntry *entry = nullptr;
        C_OK(kvStore_Get(&entry, kv, key.toUtf8().constData()));
        const CKvEntry guard(entry);
        QCOMPARE(QString::fromUtf8(kvEntry_Key(entry)), key);
        QCOMPARE(QString::fromUtf8(kvEntry_Bucket(entry)), name);
        QCOMPARE(entryValue(entry), value);
        QCOMPARE(kvEntry_Revision(entry), revisions.value(key));
        QCOMPARE(kvEntry_Operation(entry), kvOp_Put);
    }

    // kvdesk's delete: libnats gets NOT_FOUND, and its history ends in a DEL marker at our revision.
    KvReply *removed = bucket->remove(u"text"_s);
    WAIT_OK(removed);
    kvEntry *missing = nullptr;
    C_STATUS(kvStore_Get(&missing, kv, "text"), NATS_NOT_FOUND);
    QVERIFY(!missing);
    {
        CEntryList history;
        C_OK(kvStore_History(&history.list, kv, "text", nullptr));
        QCOMPARE(history.list.Count, 2);
        QCOMPARE(entryValue(history.list.Entries[0]), "hello from kvdesk"_ba);
        QCOMPARE(kvEntry_Operation(history.list.Entries[1]), kvOp_Delete);
        QCOMPARE(kvEntry_Revision(history.list.Entries[1]), removed->revision());
        // The value kvdesk wrote before the marker is still there by revision.
        kvEntry *old = nullptr;
        C_OK(kvStore_GetRevision(&old, kv, "text", revisions.value(u"text"_s)));
        const CKvEntry guard(old);
        QCOMPARE(entryValue(old), "hello from kvdesk"_ba);
    }

    // kvdesk's purge: one PURGE marker left.
    KvReply *purged = bucket->purge(u"binary"_s);
    WAIT_OK(purged);
    C_STATUS(kvStore_Get(&missing, kv, "binary"), NATS_NOT_FOUND);
    {
        CEntryList history;
        C_OK(kvStore_History(&history.list, kv, "binary", nullptr));
        QCOMPARE(history.list.Count, 1);
        QCOMPARE(kvEntry_Operation(history.list.Entries[0]), kvOp_Purge);
        QCOMPARE(kvEntry_Revision(history.list.Entries[0]), purged->revision());
    }

    CKeysList cKeys;
    C_OK(kvStore_Keys(&cKeys.list, kv, nullptr));
    QCOMPARE(cKeys.toSet(), (QSet<QString>{u"empty"_s, u"big"_s, u"a.b/c=d-e_f"_s}));

    // libnats creates over kvdesk's markers.
    uint64_t recreated = 0;
    C_OK(kvStore_CreateString(&recreated, kv, "text", "back"));
    QVERIFY(recreated > removed->revision());
    C_OK(kvStore_CreateString(&recreated, kv, "binary", "back"));
    QVERIFY(recreated > purged->revision());
}

// (b) Compare-and-set with revisions handed from one client to the other.
void tst_KvInteropC::revisionsAcrossClients()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("cas");
    KvBucket *bucket = createKvdeskBucket(options, name);
    QVERIFY(bucket);
    CKvStore store;
    bindC(name, &store);
    if (QTest::currentTestFailed())
        return;
    kvStore *kv = store.get();

    KvReply *put = bucket->put(u"k"_s, "kvdesk 1");
    WAIT_OK(put);
    const quint64 r1 = put->revision();

    // libnats updates with kvdesk's revision.
    uint64_t r2 = 0;
    C_OK(kvStore_UpdateString(&r2, kv, "k", "libnats 2", r1));
    QCOMPARE(r2, r1 + 1);
    KvReply *get = bucket->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "libnats 2"_ba);
    QCOMPARE(get->entry().revision, quint64(r2));

    // kvdesk's stale update fails and learns libnats' revision; the current one works.
    KvReply *stale = bucket->update(u"k"_s, "kvdesk stale", r1);
    WAIT_ERROR(stale, NatsError::WrongRevision);
    QCOMPARE(stale->currentRevision(), quint64(r2));
    KvReply *update = bucket->update(u"k"_s, "kvdesk 3", r2);
    WAIT_OK(update);
    const quint64 r3 = update->revision();

    // libnats' stale update fails and leaves kvdesk's value alone.
    uint64_t ignored = 0;
    const natsStatus staleC = kvStore_UpdateString(&ignored, kv, "k", "libnats stale", r2);
    QVERIFY(staleC != NATS_OK);
    QVERIFY2(cError(staleC).contains("wrong last sequence"), cError(staleC).constData());
    kvEntry *entry = nullptr;
    C_OK(kvStore_Get(&entry, kv, "k"));
    {
        const CKvEntry guard(entry);
        QCOMPARE(entryValue(entry), "kvdesk 3"_ba);
        QCOMPARE(kvEntry_Revision(entry), r3);
    }

    // libnats cannot create over a live kvdesk key, nor kvdesk over a live libnats key.
    QVERIFY(kvStore_CreateString(&ignored, kv, "k", "libnats create") != NATS_OK);
    C_OK(kvStore_PutString(&ignored, kv, "c", "from libnats"));
    WAIT_ERROR(bucket->create(u"c"_s, "kvdesk create"), NatsError::KeyExists);

    // Across a libnats delete kvdesk creates; across a kvdesk delete libnats creates.
    C_OK(kvStore_Delete(kv, "c"));
    KvReply *created = bucket->create(u"c"_s, "kvdesk create");
    WAIT_OK(created);
    KvReply *removed = bucket->remove(u"k"_s);
    WAIT_OK(removed);
    uint64_t cCreated = 0;
    C_OK(kvStore_CreateString(&cCreated, kv, "k", "libnats create"));
    QCOMPARE(cCreated, removed->revision() + 1);

    // kvdesk's delete with an expected revision respects libnats' writes.
    WAIT_ERROR(bucket->remove(u"k"_s, removed->revision()), NatsError::WrongRevision);
    WAIT_OK(bucket->remove(u"k"_s, cCreated));
}

void tst_KvInteropC::streamConfigsMatch_data()
{
    KvInterop::addOptionRows();
}

// (c) Buckets made with the same options by libnats and by kvdesk have the same stream config, field for
// field (the bucket name aside).
//
// libnats 3.4.1 sends a smaller request than nats.go 1.22.1 (the mapping kvdesk follows, doc §5.2): it
// leaves out duplicate_window, deny_purge, allow_direct:false... and lets the server fill them in. The
// server's defaults give the same duplicate_window as nats.go's explicit rule (2 min, or the TTL when
// shorter), so what the server stores must still be identical.
void tst_KvInteropC::streamConfigsMatch()
{
    QFETCH(InteropBucketOptions, options);
    const QString cName = bucketName("cfg_from_c");
    const QString ourName = bucketName("cfg_from_kvdesk");
    CKvStore store;
    createCBucket(options, cName, &store);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(createKvdeskBucket(options, ourName));

    QJsonObject theirs;
    KvInterop::fetchStreamConfig(m_js, u"KV_"_s + cName, &theirs);
    QJsonObject ours;
    KvInterop::fetchStreamConfig(m_js, u"KV_"_s + ourName, &ours);
    if (QTest::currentTestFailed())
        return;

    // The bucket-specific fields first, before their names are normalised away.
    QCOMPARE(theirs.value("name"_L1).toString(), u"KV_"_s + cName);
    QCOMPARE(ours.value("name"_L1).toString(), u"KV_"_s + ourName);
    QCOMPARE(theirs.value("subjects"_L1).toArray(), QJsonArray{QString(u"$KV."_s + cName + u".>"_s)});
    QCOMPARE(ours.value("subjects"_L1).toArray(), QJsonArray{QString(u"$KV."_s + ourName + u".>"_s)});

    // Spelled out so a silent server default change cannot hide a difference in the request.
    QCOMPARE(ours.value("duplicate_window"_L1).toInteger(),
             (options.ttlMs > 0 && options.ttlMs < 120000 ? options.ttlMs : 120000) * 1000 * 1000);
    QCOMPARE(theirs.value("duplicate_window"_L1), ours.value("duplicate_window"_L1));
    QCOMPARE(theirs.value("discard"_L1).toString(), u"new"_s);

    const QStringList differences = KvInterop::differences(KvInterop::normalized(theirs, cName),
                                                           KvInterop::normalized(ours, ourName));
    QVERIFY2(differences.isEmpty(),
             qPrintable(u"libnats vs kvdesk stream config:\n  "_s + differences.join(u"\n  "_s)));

    // So each client accepts the other's bucket as "already there with these settings".
    WAIT_OK(m_kv->createBucket(options.toKvdesk(cName)));
    CKvStore again;
    createCBucket(options, ourName, &again);
}

void tst_KvInteropC::streamCreateRequests_data()
{
    KvInterop::addOptionRows();
}

// (c) The STREAM.CREATE requests as they go over the wire. libnats 3.4.1 sends what nats.go 1.22.1 sends
// (zero values aside: see KvInterop::withoutZeroValues) except duplicate_window, which it leaves to the
// server. kvdesk follows nats.go (doc §5.2) and sends it: that one field is the known difference, and
// streamConfigsMatch() shows the server fills in the same value. Any other difference fails.
void tst_KvInteropC::streamCreateRequests()
{
    QFETCH(InteropBucketOptions, options);
    const QString cName = bucketName("req_from_c");
    const QString ourName = bucketName("req_from_kvdesk");
    NatsSubscription *requests = m_connection->subscribe("$JS.API.STREAM.CREATE.>"_ba);
    QSignalSpy captured(requests, &NatsSubscription::messageReceived);
    WAIT_OK(m_connection->flush());
    CKvStore store;
    createCBucket(options, cName, &store);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(createKvdeskBucket(options, ourName));
    QTRY_COMPARE_WITH_TIMEOUT(captured.size(), 2, 10000);
    requests->deleteLater();

    const QHash<QByteArray, QJsonObject> bodies = KvInterop::bodiesBySubject(captured);
    const QJsonObject theirs = bodies.value("$JS.API.STREAM.CREATE.KV_"_ba + cName.toUtf8());
    const QJsonObject ours = bodies.value("$JS.API.STREAM.CREATE.KV_"_ba + ourName.toUtf8());
    QVERIFY2(!theirs.isEmpty() && !ours.isEmpty(), QByteArrayList(bodies.keys()).join(' ').constData());

    QVERIFY(!theirs.contains("duplicate_window"_L1));
    QCOMPARE(ours.value("duplicate_window"_L1).toInteger(),
             (options.ttlMs > 0 && options.ttlMs < 120000 ? options.ttlMs : 120000) * 1000 * 1000);
    const QStringList differences = KvInterop::differences(
        KvInterop::withoutZeroValues(KvInterop::normalized(theirs, cName)),
        KvInterop::withoutZeroValues(KvInterop::normalized(ours, ourName)), {u"duplicate_window"_s});
    QVERIFY2(differences.isEmpty(),
             qPrintable(u"libnats vs kvdesk STREAM.CREATE request:\n  "_s + differences.join(u"\n  "_s)));
}

// (d) Live watches: kvdesk sees libnats' writes, libnats sees kvdesk's.
void tst_KvInteropC::watchAcrossClients()
{
    InteropBucketOptions options;
    options.history = 5;
    const QString name = bucketName("watch");
    CKvStore store;
    createCBucket(options, name, &store);
    if (QTest::currentTestFailed())
        return;
    kvStore *kv = store.get();

    KvBucket *bucket = m_kv->bucket(name, this);
    KvWatcher *watcher = bucket->watchAll();
    QSignalSpy entries(watcher, &KvWatcher::entryReceived);
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QTRY_COMPARE_WITH_TIMEOUT(initial.size(), 1, 10000);
    QCOMPARE(entries.size(), 0);

    uint64_t r1 = 0;
    C_OK(kvStore_Put(&r1, kv, "a", kBinary.constData(), int(kBinary.size())));
    C_OK(kvStore_Delete(kv, "a"));
    uint64_t r3 = 0;
    C_OK(kvStore_PutString(&r3, kv, "b.c", "x"));
    QTRY_COMPARE_WITH_TIMEOUT(entries.size(), 3, 10000);
    const KvEntry put = entries.at(0).at(0).value<KvEntry>();
    QCOMPARE(put.key, u"a"_s);
    QCOMPARE(put.value, kBinary);
    QCOMPARE(put.revision, quint64(r1));
    QCOMPARE(put.operation, KvEntry::Operation::Put);
    const KvEntry marker = entries.at(1).at(0).value<KvEntry>();
    QCOMPARE(marker.key, u"a"_s);
    QCOMPARE(marker.operation, KvEntry::Operation::Delete);
    QCOMPARE(marker.revision, quint64(r1 + 1));
    QCOMPARE(entries.at(2).at(0).value<KvEntry>().key, u"b.c"_s);
    QCOMPARE(entries.at(2).at(0).value<KvEntry>().revision, quint64(r3));

    // libnats' watcher: the latest entry per key, a NULL entry for "initial values done", then live.
    kvWatcher *cWatcher = nullptr;
    C_OK(kvStore_WatchAll(&cWatcher, kv, nullptr));
    const CKvWatcher watcherGuard(cWatcher);
    CKvEntry e;
    C_NEXT(cWatcher, e);
    QVERIFY(e);
    QCOMPARE(QByteArray(kvEntry_Key(e.get())), "a"_ba);
    QCOMPARE(kvEntry_Operation(e.get()), kvOp_Delete);
    C_NEXT(cWatcher, e);
    QVERIFY(e);
    QCOMPARE(QByteArray(kvEntry_Key(e.get())), "b.c"_ba);
    C_NEXT(cWatcher, e);
    QVERIFY2(!e, "expected the end-of-initial-values marker");

    KvReply *kvPut = bucket->put(u"c"_s, kBinary);
    WAIT_OK(kvPut);
    KvReply *kvPurge = bucket->purge(u"b.c"_s);
    WAIT_OK(kvPurge);
    C_NEXT(cWatcher, e);
    QVERIFY(e);
    QCOMPARE(QByteArray(kvEntry_Key(e.get())), "c"_ba);
    QCOMPARE(entryValue(e.get()), kBinary);
    QCOMPARE(kvEntry_Revision(e.get()), kvPut->revision());
    QCOMPARE(kvEntry_Operation(e.get()), kvOp_Put);
    C_NEXT(cWatcher, e);
    QVERIFY(e);
    QCOMPARE(QByteArray(kvEntry_Key(e.get())), "b.c"_ba);
    QCOMPARE(kvEntry_Operation(e.get()), kvOp_Purge);
    QCOMPARE(kvEntry_Revision(e.get()), kvPurge->revision());
    C_OK(kvWatcher_Stop(cWatcher));

    // Our own watcher saw kvdesk's writes too, after libnats'.
    QTRY_COMPARE_WITH_TIMEOUT(entries.size(), 5, 10000);
    QCOMPARE(entries.at(4).at(0).value<KvEntry>().operation, KvEntry::Operation::Purge);
}

QTEST_GUILESS_MAIN(tst_KvInteropC)

#include "tst_kvinterop_c.moc"
