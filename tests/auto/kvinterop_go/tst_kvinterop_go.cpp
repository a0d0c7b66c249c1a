#include "kvbucket.h"
#include "kvcontext.h"
#include "kvinteropgotest.h"
#include "kvwatcher.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Interoperability with the official Go client, nats.go 1.22.1 — the client whose Key/Value mapping
// kvdesk follows (docs/nats-protocol.md §5): entries, markers and revisions written by one client and
// read by the other, compare-and-set across them, and live watches both ways. Bucket settings and stream
// configs are tst_kvinterop_goconfig's.

namespace {

const QByteArray kBinary = KvInterop::binaryValue();

} // namespace

class tst_KvInteropGo final : public KvInteropGoTest
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { start(); }
    void init() { next(); }
    void goEntriesReadByKvdesk();
    void kvdeskEntriesReadByGo();
    void revisionsAcrossClients();
    void watchAcrossClients();
};

// Entries nats.go wrote, markers included, read by kvdesk.
void tst_KvInteropGo::goEntriesReadByKvdesk()
{
    InteropBucketOptions options;
    options.history = 10;
    const QString name = bucketName("go_entries");
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s, KvInteropGo::bucketConfig(options, name));

    const QList<QPair<QString, QByteArray>> values{
        {u"text"_s, "hello from nats.go"_ba},   {u"binary"_s, kBinary},           {u"empty"_s, QByteArray()},
        {u"big"_s, QByteArray(32 * 1024, 'g')}, {u"a.b/c=d-e_f"_s, "odd key"_ba},
    };
    QHash<QString, quint64> revisions;
    for (const auto &[key, value] : values) {
        PEER_OK(result, u"put"_s, name, key, KvInteropGo::base64(value));
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
    PEER_OK(result, u"create"_s, name, u"cas"_s, KvInteropGo::base64("first"));
    const quint64 created = quint64(result.value("revision"_L1).toInteger());
    PEER_OK(result, u"update"_s, name, u"cas"_s, KvInteropGo::base64("second"), QString::number(created));
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
    PEER_OK(result, u"update"_s, name, u"k"_s, KvInteropGo::base64("go 2"), QString::number(r1));
    const quint64 r2 = quint64(result.value("revision"_L1).toInteger());
    QCOMPARE(r2, r1 + 1);

    // kvdesk updates after nats.go; then nats.go's update with the revision it had is stale.
    WAIT_ERROR(bucket->update(u"k"_s, "kvdesk stale", r1), NatsError::WrongRevision);
    KvReply *update = bucket->update(u"k"_s, "kvdesk 3", r2);
    WAIT_OK(update);
    PEER_FAILS(result, u"update"_s, name, u"k"_s, KvInteropGo::base64("go stale"), QString::number(r2));
    QCOMPARE(result.value("err_code"_L1).toInt(), 10071);
    PEER_OK(result, u"get"_s, name, u"k"_s);
    QCOMPARE(GoEntry::fromJson(result).value, "kvdesk 3"_ba);
    QCOMPARE(GoEntry::fromJson(result).revision, update->revision());

    // nats.go cannot create over a live kvdesk key, nor kvdesk over a live nats.go key.
    PEER_FAILS(result, u"create"_s, name, u"k"_s, KvInteropGo::base64("go create"));
    QVERIFY2(result.value("key_exists"_L1).toBool(), qPrintable(result.value("error"_L1).toString()));
    PEER_OK(result, u"put"_s, name, u"g"_s, KvInteropGo::base64("from go"));
    WAIT_ERROR(bucket->create(u"g"_s, "kvdesk create"), NatsError::KeyExists);

    // Across a nats.go delete kvdesk creates; across a kvdesk delete nats.go creates, at marker + 1.
    PEER_OK(result, u"delete"_s, name, u"g"_s);
    WAIT_OK(bucket->create(u"g"_s, "kvdesk create"));
    KvReply *removed = bucket->remove(u"k"_s);
    WAIT_OK(removed);
    PEER_OK(result, u"create"_s, name, u"k"_s, KvInteropGo::base64("go create"));
    const quint64 goCreated = quint64(result.value("revision"_L1).toInteger());
    QCOMPARE(goCreated, removed->revision() + 1);

    // Deletes with an expected revision, both ways.
    PEER_FAILS(result, u"delete"_s, name, u"k"_s, QString::number(removed->revision()));
    QCOMPARE(result.value("err_code"_L1).toInt(), 10071);
    WAIT_ERROR(bucket->remove(u"k"_s, removed->revision()), NatsError::WrongRevision);
    PEER_OK(result, u"delete"_s, name, u"k"_s, QString::number(goCreated));
    WAIT_ERROR(bucket->get(u"k"_s), NatsError::KeyNotFound);
}

// Live watches: kvdesk sees nats.go's writes, nats.go sees kvdesk's.
void tst_KvInteropGo::watchAcrossClients()
{
    InteropBucketOptions options;
    options.history = 5;
    const QString name = bucketName("watch");
    QJsonObject result;
    PEER_OK(result, u"create-bucket"_s, KvInteropGo::bucketConfig(options, name));

    KvBucket *bucket = m_kv->bucket(name, this);
    KvWatcher *watcher = bucket->watchAll();
    QSignalSpy entries(watcher, &KvWatcher::entryReceived);
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QTRY_COMPARE_WITH_TIMEOUT(initial.size(), 1, 10000);

    PEER_OK(result, u"put"_s, name, u"a"_s, KvInteropGo::base64(kBinary));
    const quint64 r1 = quint64(result.value("revision"_L1).toInteger());
    PEER_OK(result, u"delete"_s, name, u"a"_s);
    PEER_OK(result, u"put"_s, name, u"b.c"_s, KvInteropGo::base64("x"));
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
