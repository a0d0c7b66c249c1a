#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvkeylister.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natstestsupport.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// What a watcher hands out, in order, and whether/when its initial values were complete.
struct Watched
{
    QList<KvEntry> entries;
    int entriesBeforeInitialDone = -1; // entries.size() when initialValuesReceived() came
    int initialDoneCount = 0;

    QStringList keys() const
    {
        QStringList list;
        for (const KvEntry &entry : entries)
            list.append(entry.key);
        return list;
    }
    QList<quint64> revisions() const
    {
        QList<quint64> list;
        for (const KvEntry &entry : entries)
            list.append(entry.revision);
        return list;
    }
};

std::shared_ptr<Watched> follow(KvWatcher *watcher)
{
    auto watched = std::make_shared<Watched>();
    QObject::connect(watcher, &KvWatcher::entryReceived, watcher,
                     [watched](const KvEntry &entry) { watched->entries.append(entry); });
    QObject::connect(watcher, &KvWatcher::initialValuesReceived, watcher, [watched] {
        watched->entriesBeforeInitialDone = int(watched->entries.size());
        ++watched->initialDoneCount;
    });
    return watched;
}

NatsConnectOptions quickReconnect(const QString &url)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(url);
    options.reconnectWaitMs = 100;
    options.reconnectJitterMs = 50;
    options.maxReconnectAttempts = -1;
    return options;
}

} // namespace

class tst_KvWatcher final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void watchOneKey();
    void watchWildcard();
    void watchSeveralFilters();
    void watchAllSeesMarkers();
    void includeHistory();
    void ignoreDeletes();
    void metaOnly();
    void updatesOnly();
    void resumeFromRevision();
    void aBucketMadeAgainEndsTheWatch();
    void aBucketDeletedEndsTheWatch();
    void anotherServersCopyEndsTheWatch();
    void initialValuesWhenEmpty();
    void invalidOptions_data();
    void invalidOptions();
    void stopEndsDelivery();
    void flowControlBurst();
    void listHundredThousandKeys();
    void watcherAcrossServerRestartWithWriter();
    void aForeignHeaderLineHidesNothing();
    void aMirrorsWatchGoesOnWhenItsConsumerIsMadeAgain();

private:
    KvBucket *makeBucket(const QString &name, int history = 1, bool memory = false);
    void putAll(KvBucket *bucket, const QList<QPair<QString, QByteArray>> &values);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvWatcher::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvWatcher::init()
{
    ++m_counter;
}

KvBucket *tst_KvWatcher::makeBucket(const QString &name, int history, bool memory)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = history;
    config.storage = memory ? KvBucketConfig::Storage::Memory : KvBucketConfig::Storage::File;
    KvTest::createBucket(m_kv, config);
    return m_kv->bucket(config.bucket, this);
}

void tst_KvWatcher::putAll(KvBucket *bucket, const QList<QPair<QString, QByteArray>> &values)
{
    for (const auto &[key, value] : values)
        WAIT_OK(bucket->put(key, value));
}

void tst_KvWatcher::watchOneKey()
{
    KvBucket *bucket = makeBucket(u"one"_s, 5);
    putAll(bucket, {{u"a"_s, "1"}, {u"b"_s, "2"}, {u"a"_s, "3"}});
    KvWatcher *watcher = bucket->watch({u"a"_s});
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->keys(), QStringList{u"a"_s});
    QCOMPARE(watched->entries.first().value, "3"_ba);
    QCOMPARE(watcher->state(), KvWatcher::State::Watching);

    putAll(bucket, {{u"b"_s, "4"}, {u"a"_s, "5"}});
    QTRY_COMPARE(watched->entries.size(), 2);
    QCOMPARE(watched->entries.last().value, "5"_ba);
    QCOMPARE(watched->entries.last().revision, 5u);
    QCOMPARE(watcher->lastRevision(), 5u);
}

// A bucket deleted and made again while watched starts its revisions over: resuming after the last
// revision seen would skip as many new entries, without a word. The watch ends instead, saying why.
void tst_KvWatcher::aBucketMadeAgainEndsTheWatch()
{
    KvBucket *bucket = makeBucket(u"again"_s, 5);
    putAll(bucket, {{u"a"_s, "1"}, {u"b"_s, "2"}});
    KvWatchOptions options;
    options.idleHeartbeatMs = 250; // missed twice: re-created after half a second
    KvWatcher *watcher = bucket->watchAll(options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->entries.size(), 2);

    WAIT_OK(m_kv->deleteBucket(bucket->name()));
    KvBucketConfig config;
    config.bucket = bucket->name();
    config.history = 5;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *again = m_kv->bucket(bucket->name(), this);
    putAll(again, {{u"new"_s, "first of the new bucket"}, {u"newer"_s, "second"}, {u"newest"_s, "third"}});

    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);
    QVERIFY2(failed.wait(10000), qPrintable(u"entries: %1"_s.arg(watched->keys().join(u' '))));
    QCOMPARE(watcher->error(), NatsError::BucketNotFound);
    QVERIFY2(watcher->errorString().contains(u"made again"_s) && watcher->errorString().contains(bucket->name()),
             qPrintable(watcher->errorString()));
    QCOMPARE(watched->entries.size(), 2); // nothing of the new bucket handed out as if it followed
}

// A deleted bucket's consumer just stops: the watch waited for two heartbeats to be missed, said it was
// interrupted and resuming, and then met "bucket not found". The consumer's info at the first heartbeat
// missed says the stream is gone: the watch ends, saying so, without a recovery first.
void tst_KvWatcher::aBucketDeletedEndsTheWatch()
{
    KvBucket *bucket = makeBucket(u"deleted"_s, 5);
    putAll(bucket, {{u"a"_s, "1"}});
    KvWatchOptions options;
    options.idleHeartbeatMs = 250;
    KvWatcher *watcher = bucket->watchAll(options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QSignalSpy recovering(watcher, &KvWatcher::recovering);
    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);

    WAIT_OK(m_kv->deleteBucket(bucket->name()));
    QVERIFY(failed.wait(10000));
    QCOMPARE(watcher->error(), NatsError::BucketNotFound);
    QCOMPARE(watcher->errorString(), u"bucket \"%1\" was deleted"_s.arg(bucket->name()));
    QCOMPARE(recovering.count(), 0);
    QCOMPARE(watched->entries.size(), 1);
}

// Two servers that are not one cluster, each with a bucket "same": the one the watch fails over to was
// made first and holds more revisions, so neither its creation time nor its last sequence tells. The
// watch resumed after revision 2 and handed out the other bucket's revision 3 as if it followed (a new
// user's tryout: the key list showed keys the server did not have). The message at the last revision
// handed out is not the one that was delivered: the watch ends instead.
void tst_KvWatcher::anotherServersCopyEndsTheWatch()
{
    NatsServerProcess first;
    NatsServerProcess second;
    QVERIFY2(first.start(), qPrintable(first.errorString()));
    QVERIFY2(second.start(), qPrintable(second.errorString()));
    KvBucketConfig config;
    config.bucket = u"same"_s;
    config.history = 5;
    for (NatsServerProcess *server : {&first, &second}) {
        KvClient writer;
        writer.open(KvClientOptions(NatsConnectOptions::fromUrl(server->url())));
        QTRY_VERIFY(writer.isConnected());
        WAIT_OK(writer.kv()->createBucket(config));
        KvBucket *bucket = writer.kv()->bucket(config.bucket);
        const int keys = server == &first ? 3 : 2;
        for (int i = 0; i < keys; ++i)
            WAIT_OK(bucket->put(u"k%1"_s.arg(i), server == &first ? "first" : "second"));
    }

    NatsConnectOptions options = quickReconnect(second.url() + u',' + first.url());
    options.randomizeServers = false;
    KvClient client;
    client.open(KvClientOptions(options));
    QTRY_VERIFY(client.isConnected());
    KvWatchOptions watchOptions;
    watchOptions.idleHeartbeatMs = 1000;
    KvWatcher *watcher = client.kv()->bucket(config.bucket)->watchAll(watchOptions);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->revisions(), (QList<quint64>{1, 2}));

    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);
    QVERIFY(second.kill());
    QVERIFY(failed.wait(20000));
    QCOMPARE(watcher->error(), NatsError::BucketNotFound);
    QVERIFY2(watcher->errorString().contains(u"another server"_s), qPrintable(watcher->errorString()));
    QCOMPARE(watched->revisions(), (QList<quint64>{1, 2}));
    for (const KvEntry &entry : std::as_const(watched->entries))
        QCOMPARE(entry.value, "second"_ba);
}

void tst_KvWatcher::watchWildcard()
{
    KvBucket *bucket = makeBucket(u"wild"_s);
    putAll(bucket, {{u"orders.1"_s, "a"}, {u"orders.2"_s, "b"}, {u"orders.2.items"_s, "c"}, {u"users.x"_s, "d"}});
    KvWatcher *watcher = bucket->watch({u"orders.*"_s});
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->keys(), (QStringList{u"orders.1"_s, u"orders.2"_s}));

    putAll(bucket, {{u"users.y"_s, "e"}, {u"orders.3.x"_s, "f"}, {u"orders.3"_s, "g"}});
    QTRY_COMPARE(watched->entries.size(), 3);
    QCOMPARE(watched->entries.last().key, u"orders.3"_s);

    KvWatcher *deep = bucket->watch({u"orders.>"_s});
    const auto deepWatched = follow(deep);
    QTRY_COMPARE(deepWatched->initialDoneCount, 1);
    QCOMPARE(deepWatched->entries.size(), 5);
}

void tst_KvWatcher::watchSeveralFilters()
{
    KvBucket *bucket = makeBucket(u"several"_s);
    putAll(bucket, {{u"orders.1"_s, "a"}, {u"orders.2"_s, "b"}, {u"users.x"_s, "c"}, {u"other"_s, "d"}});
    // orders.1 matches two of the filters; it must still come once.
    KvWatcher *watcher = bucket->watch({u"orders.*"_s, u"users.x"_s, u"orders.1"_s});
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QStringList keys = watched->keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{u"orders.1"_s, u"orders.2"_s, u"users.x"_s}));

    putAll(bucket, {{u"orders.1"_s, "e"}, {u"other"_s, "f"}, {u"users.x"_s, "g"}});
    QTRY_COMPARE(watched->entries.size(), 5);
    QCOMPARE(watched->entries[3].key, u"orders.1"_s);
    QCOMPARE(watched->entries[3].value, "e"_ba);
    QCOMPARE(watched->entries[4].key, u"users.x"_s);
    // Nothing further arrives: the overlapping feed's copy of orders.1 was dropped.
    WAIT_OK(bucket->put(u"users.x"_s, "h"));
    QTRY_COMPARE(watched->entries.size(), 6);
    QCOMPARE(watched->entries.last().value, "h"_ba);
}

void tst_KvWatcher::watchAllSeesMarkers()
{
    KvBucket *bucket = makeBucket(u"all"_s, 5);
    putAll(bucket, {{u"a"_s, "1"}, {u"b"_s, "2"}, {u"c"_s, "3"}});
    WAIT_OK(bucket->remove(u"b"_s));
    WAIT_OK(bucket->purge(u"c"_s));
    KvWatcher *watcher = bucket->watchAll();
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->entries.size(), 3);
    // Latest per key, in stream order, with the delta counting down to 0 on the last one.
    QCOMPARE(watched->keys(), (QStringList{u"a"_s, u"b"_s, u"c"_s}));
    QCOMPARE(watched->revisions(), (QList<quint64>{1, 4, 5}));
    QCOMPARE(watched->entries[0].operation, KvEntry::Operation::Put);
    QCOMPARE(watched->entries[1].operation, KvEntry::Operation::Delete);
    QCOMPARE(watched->entries[2].operation, KvEntry::Operation::Purge);
    QCOMPARE(watched->entries[0].delta, 2u);
    QCOMPARE(watched->entries[2].delta, 0u);
    for (const KvEntry &entry : std::as_const(watched->entries)) {
        QCOMPARE(entry.bucket, bucket->name());
        QVERIFY(qAbs(entry.created.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }
    QCOMPARE(watched->entries[0].value, "1"_ba);
    QVERIFY(watched->entries[1].value.isEmpty());

    // Live markers too.
    WAIT_OK(bucket->remove(u"a"_s));
    QTRY_COMPARE(watched->entries.size(), 4);
    QCOMPARE(watched->entries.last().operation, KvEntry::Operation::Delete);
    QCOMPARE(watched->entries.last().key, u"a"_s);
    QCOMPARE(watched->entries.last().revision, 6u);
}

void tst_KvWatcher::includeHistory()
{
    KvBucket *bucket = makeBucket(u"hist"_s, 3);
    putAll(bucket, {{u"k"_s, "1"}, {u"k"_s, "2"}, {u"x"_s, "x"}, {u"k"_s, "3"}, {u"k"_s, "4"}});
    KvWatchOptions options;
    options.includeHistory = true;
    KvWatcher *watcher = bucket->watch({u"k"_s}, options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    // History 3: the oldest revision is gone; the rest oldest first.
    QCOMPARE(watched->revisions(), (QList<quint64>{2, 4, 5}));
    QCOMPARE(watched->entries.first().value, "2"_ba);
    WAIT_OK(bucket->put(u"k"_s, "5"));
    QTRY_COMPARE(watched->revisions(), (QList<quint64>{2, 4, 5, 6}));
}

void tst_KvWatcher::ignoreDeletes()
{
    KvBucket *bucket = makeBucket(u"ign"_s);
    putAll(bucket, {{u"a"_s, "1"}, {u"b"_s, "2"}});
    WAIT_OK(bucket->remove(u"a"_s));
    WAIT_OK(bucket->purge(u"b"_s)); // the last initial entry is a marker: the end must still be seen
    KvWatchOptions options;
    options.ignoreDeletes = true;
    KvWatcher *watcher = bucket->watchAll(options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QVERIFY(watched->entries.isEmpty());
    putAll(bucket, {{u"c"_s, "3"}});
    WAIT_OK(bucket->remove(u"c"_s));
    WAIT_OK(bucket->put(u"d"_s, "4"));
    QTRY_COMPARE(watched->keys(), (QStringList{u"c"_s, u"d"_s}));
    QCOMPARE(watcher->receivedCount(), 5u); // markers counted, not handed out
}

void tst_KvWatcher::metaOnly()
{
    KvBucket *bucket = makeBucket(u"meta"_s);
    putAll(bucket, {{u"small"_s, "123"}, {u"big"_s, QByteArray(5000, 'b')}});
    WAIT_OK(bucket->remove(u"small"_s));
    KvWatchOptions options;
    options.metaOnly = true;
    KvWatcher *watcher = bucket->watchAll(options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->keys(), (QStringList{u"big"_s, u"small"_s}));
    QVERIFY(watched->entries[0].value.isEmpty());
    QCOMPARE(watched->entries[0].valueSize, 5000);
    QCOMPARE(watched->entries[0].size(), 5000);
    QCOMPARE(watched->entries[1].operation, KvEntry::Operation::Delete);
    QCOMPARE(watched->entries[1].valueSize, 0);
    WAIT_OK(bucket->put(u"live"_s, "four"));
    QTRY_COMPARE(watched->entries.size(), 3);
    QVERIFY(watched->entries.last().value.isEmpty());
    QCOMPARE(watched->entries.last().valueSize, 4);
}

void tst_KvWatcher::updatesOnly()
{
    KvBucket *bucket = makeBucket(u"upd"_s);
    putAll(bucket, {{u"a"_s, "1"}, {u"b"_s, "2"}});
    KvWatchOptions options;
    options.updatesOnly = true;
    KvWatcher *watcher = bucket->watchAll(options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->entriesBeforeInitialDone, 0); // the marker at once, before any entry
    putAll(bucket, {{u"a"_s, "3"}});
    QTRY_COMPARE(watched->entries.size(), 1);
    QCOMPARE(watched->entries.first().revision, 3u);
    QCOMPARE(watched->entries.first().value, "3"_ba);
}

void tst_KvWatcher::resumeFromRevision()
{
    KvBucket *bucket = makeBucket(u"res"_s, 10);
    putAll(bucket, {{u"a"_s, "1"}, {u"b"_s, "2"}, {u"a"_s, "3"}, {u"c"_s, "4"}, {u"b"_s, "5"}});
    KvWatchOptions options;
    options.resumeFromRevision = 3;
    KvWatcher *watcher = bucket->watchAll(options);
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->revisions(), (QList<quint64>{3, 4, 5}));
    putAll(bucket, {{u"a"_s, "6"}});
    QTRY_COMPARE(watched->revisions(), (QList<quint64>{3, 4, 5, 6}));
}

void tst_KvWatcher::initialValuesWhenEmpty()
{
    KvBucket *bucket = makeBucket(u"empty"_s);
    KvWatcher *all = bucket->watchAll();
    const auto watchedAll = follow(all);
    KvWatchOptions history;
    history.includeHistory = true;
    KvWatcher *none = bucket->watch({u"no.such.*"_s}, history);
    const auto watchedNone = follow(none);
    QTRY_COMPARE(watchedAll->initialDoneCount, 1);
    QTRY_COMPARE(watchedNone->initialDoneCount, 1);
    QCOMPARE(watchedAll->entriesBeforeInitialDone, 0);
    QVERIFY(all->initialValuesDone());
    // Only once, also when values then arrive.
    WAIT_OK(bucket->put(u"first"_s, "1"));
    QTRY_COMPARE(watchedAll->entries.size(), 1);
    QCOMPARE(watchedAll->initialDoneCount, 1);
    QVERIFY(watchedNone->entries.isEmpty());

    KvReply *keys = bucket->keys({u"no.such.*"_s});
    WAIT_OK(keys);
    QVERIFY(keys->keys().isEmpty());
}

void tst_KvWatcher::invalidOptions_data()
{
    QTest::addColumn<QStringList>("filters");
    QTest::addColumn<bool>("includeHistory");
    QTest::addColumn<bool>("updatesOnly");
    QTest::addColumn<quint64>("resumeFrom");
    QTest::addColumn<QString>("named");
    QTest::newRow("history+updates") << QStringList() << true << true << quint64(0) << u"updates only"_s;
    QTest::newRow("resume+history") << QStringList() << true << false << quint64(3) << u"resume"_s;
    QTest::newRow("empty token") << QStringList{u"a..b"_s} << false << false << quint64(0) << u"a..b"_s;
    QTest::newRow("space") << QStringList{u"ok"_s, u"a b"_s} << false << false << quint64(0) << u"a b"_s;
    QTest::newRow("> not last") << QStringList{u"a.>.b"_s} << false << false << quint64(0) << u"a.>.b"_s;
}

void tst_KvWatcher::invalidOptions()
{
    QFETCH(QStringList, filters);
    QFETCH(bool, includeHistory);
    QFETCH(bool, updatesOnly);
    QFETCH(quint64, resumeFrom);
    QFETCH(QString, named);
    KvBucket *bucket = makeBucket(u"inv"_s);
    KvWatchOptions options;
    options.includeHistory = includeHistory;
    options.updatesOnly = updatesOnly;
    options.resumeFromRevision = resumeFrom;
    KvWatcher *watcher = bucket->watch(filters, options);
    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);
    QVERIFY(failed.wait());
    QCOMPARE(watcher->error(), NatsError::InvalidArgument);
    QCOMPARE(watcher->state(), KvWatcher::State::Failed);
    QVERIFY2(watcher->errorString().contains(named), qPrintable(watcher->errorString()));
}

void tst_KvWatcher::stopEndsDelivery()
{
    KvBucket *bucket = makeBucket(u"stop"_s);
    KvWatcher *watcher = bucket->watchAll();
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    QTRY_COMPARE(watched->entries.size(), 1);
    watcher->stop();
    QCOMPARE(watcher->state(), KvWatcher::State::Stopped);
    WAIT_OK(bucket->put(u"a"_s, "2"));
    // A second watcher sees the put; by then the stopped one would have too.
    KvWatchOptions options;
    options.includeHistory = true;
    KvWatcher *witness = bucket->watchAll(options);
    const auto witnessed = follow(witness);
    QTRY_COMPARE(witnessed->initialDoneCount, 1);
    WAIT_OK(m_connection->flush());
    QCOMPARE(watched->entries.size(), 1);
}

void tst_KvWatcher::flowControlBurst()
{
    // 200 x 60 KB written while watching: the watch must answer flow control to get them all.
    constexpr int kValues = 200;
    KvBucket *bucket = makeBucket(u"burst"_s, 1, true);
    KvWatcher *watcher = bucket->watchAll();
    const auto watched = follow(watcher);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QList<KvReply *> puts;
    for (int i = 0; i < kValues; ++i) {
        QByteArray value(60 * 1024, char('a' + i % 26));
        value.replace(0, 8, QByteArray::number(i).rightJustified(8, '0'));
        puts.append(bucket->put(u"blob.%1"_s.arg(i), value));
    }
    QTRY_COMPARE_WITH_TIMEOUT(watched->entries.size(), kValues, 30000);
    for (int i = 0; i < kValues; ++i) {
        QCOMPARE(watched->entries[i].key, u"blob.%1"_s.arg(i));
        QCOMPARE(watched->entries[i].value.size(), 60 * 1024);
        QCOMPARE(watched->entries[i].value.left(8).toInt(), i);
    }
    for (KvReply *put : std::as_const(puts))
        WAIT_OK(put);
    QCOMPARE(watcher->state(), KvWatcher::State::Watching);
}

void tst_KvWatcher::listHundredThousandKeys()
{
    constexpr int kKeys = 100000;
    constexpr int kValueSize = 100;
    KvBucket *bucket = makeBucket(u"big"_s, 1, true);
    // Acks of 100,000 pipelined puts can take longer than the default 5 s to all come back.
    m_js->setTimeout(60000);
    QElapsedTimer clock;
    clock.start();
    QList<KvReply *> puts;
    puts.reserve(kKeys);
    const QByteArray value(kValueSize, 'v');
    for (int i = 0; i < kKeys; ++i)
        puts.append(bucket->put(u"key.%1.%2"_s.arg(i % 100).arg(i), value));
    QTRY_VERIFY_WITH_TIMEOUT(puts.last()->isFinished(), 60000);
    for (KvReply *put : std::as_const(puts)) {
        QTRY_VERIFY(put->isFinished());
        QVERIFY2(put->error() == NatsError::NoError, qPrintable(put->errorString()));
    }
    qDeleteAll(puts);
    m_js->setTimeout(5000);
    qInfo("%d pipelined puts: %lld ms", kKeys, clock.elapsed());

    clock.restart();
    const quint64 bytesBefore = m_connection->statistics().inBytes;
    KvKeyLister *lister = bucket->listKeys();
    QSet<QString> keys;
    qsizetype received = 0;
    quint64 lastProgress = 0;
    connect(lister, &KvKeyLister::keysReceived, this, [&](const QStringList &batch) {
        received += batch.size();
        for (const QString &key : batch)
            keys.insert(key);
    });
    connect(lister, &KvKeyLister::progress, this, [&](quint64 done, quint64) { lastProgress = done; });
    QSignalSpy finished(lister, &KvKeyLister::finished);
    QVERIFY(finished.wait(60000));
    QCOMPARE(lister->error(), NatsError::NoError);
    qInfo("listed %lld keys in %lld ms", qint64(received), clock.elapsed());
    QCOMPARE(received, kKeys);
    QCOMPARE(keys.size(), kKeys);
    QVERIFY(keys.contains(u"key.0.0"_s));
    QVERIFY(keys.contains(u"key.99.%1"_s.arg(kKeys - 1)));
    QCOMPARE(lastProgress, quint64(kKeys));
    QCOMPARE(lister->receivedCount(), quint64(kKeys));
    // Headers only: a headers-only delivery of these keys takes about 140 bytes on the wire, with the
    // 100-byte value it would be over 240.
    const quint64 listedBytes = m_connection->statistics().inBytes - bytesBefore;
    QVERIFY2(listedBytes < quint64(kKeys) * 200, qPrintable(u"%1 bytes received"_s.arg(listedBytes)));
    delete lister;
}

void tst_KvWatcher::watcherAcrossServerRestartWithWriter()
{
    // A file-backed bucket on its own server, a writer and a watcher on separate connections. The
    // server is killed (SIGKILL) and restarted on the same port and store while the writer goes on;
    // afterwards the watcher must have every acknowledged revision exactly once, in order.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    KvClient watchClient;
    watchClient.open(KvClientOptions(quickReconnect(server.url())));
    KvClient writeClient;
    writeClient.open(KvClientOptions(quickReconnect(server.url())));
    QTRY_VERIFY(watchClient.isConnected() && writeClient.isConnected());
    KvBucketConfig config;
    config.bucket = u"restart"_s;
    config.history = 64;
    WAIT_OK(writeClient.kv()->createBucket(config));
    KvBucket *writer = writeClient.kv()->bucket(u"restart"_s);
    KvBucket *reader = watchClient.kv()->bucket(u"restart"_s);

    KvWatchOptions options;
    options.includeHistory = true;
    options.idleHeartbeatMs = 1000;
    KvWatcher *watcher = reader->watchAll(options);
    const auto watched = follow(watcher);
    QSignalSpy recovering(watcher, &KvWatcher::recovering);
    QTRY_COMPARE(watched->initialDoneCount, 1);

    // Writer: one put every 10 ms over five keys (history 64 keeps them all), acks recorded.
    QMap<quint64, QByteArray> acknowledged; // revision -> value
    int written = 0;
    int failed = 0;
    int inFlight = 0;
    QTimer writeTimer;
    writeTimer.setInterval(10);
    connect(&writeTimer, &QTimer::timeout, this, [&] {
        const QByteArray value = QByteArray::number(written);
        KvReply *put = writer->put(u"k%1"_s.arg(written % 5), value);
        ++written;
        ++inFlight;
        connect(put, &NatsReply::finished, this, [&, put, value] {
            --inFlight;
            if (put->error() == NatsError::NoError)
                acknowledged.insert(put->revision(), value);
            else
                ++failed;
            put->deleteLater();
        });
    });
    writeTimer.start();
    QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() >= 50, 10000);

    QSignalSpy watchReconnected(watchClient.connection(), &NatsConnection::reconnected);
    QSignalSpy writeReconnected(writeClient.connection(), &NatsConnection::reconnected);
    const int ackedBeforeKill = int(acknowledged.size());
    QVERIFY(server.kill());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(watchReconnected.size() >= 1 && writeReconnected.size() >= 1, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() >= ackedBeforeKill + 50, 20000);
    writeTimer.stop();
    QTRY_VERIFY_WITH_TIMEOUT(inFlight == 0, 15000);
    qInfo("written %d, acknowledged %lld, failed %d, watcher recoveries %lld", written, qint64(acknowledged.size()),
          failed, qint64(recovering.size()));

    const quint64 lastAcked = acknowledged.lastKey();
    QTRY_VERIFY_WITH_TIMEOUT(watcher->lastRevision() >= lastAcked, 30000);
    QVERIFY(recovering.size() >= 1);
    QCOMPARE(watcher->state(), KvWatcher::State::Watching);

    // In order, nothing twice...
    const QList<quint64> revisions = watched->revisions();
    for (qsizetype i = 1; i < revisions.size(); ++i)
        QVERIFY2(revisions[i] > revisions[i - 1],
                 qPrintable(u"revision %1 after %2"_s.arg(revisions[i]).arg(revisions[i - 1])));
    // ...and every acknowledged revision with its value (unacknowledged writes may have been stored too).
    QHash<quint64, QByteArray> seen;
    for (const KvEntry &entry : std::as_const(watched->entries))
        seen.insert(entry.revision, entry.value);
    for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
        QVERIFY2(seen.contains(it.key()), qPrintable(u"acknowledged revision %1 never arrived"_s.arg(it.key())));
        QCOMPARE(seen.value(it.key()), it.value());
    }
    delete watcher;
}

QTEST_GUILESS_MAIN(tst_KvWatcher)

#include "tst_kvwatcher.moc"

// Another client can store a header block with a line that is no header (no colon): nats-server 2.9.10
// to 2.15.1 store it as sent. kvdesk dropped such a delivery whole: the watch saw a gap, made its consumer
// again at that message, dropped it again (9,931 consumers in 10 s) and showed nothing after it, and a
// get of the key timed out. nats.go hands such a message on; so does kvdesk, with the lines it can read.
void tst_KvWatcher::aForeignHeaderLineHidesNothing()
{
    KvBucket *bucket = makeBucket(u"foreign"_s, 5);
    putAll(bucket, {{u"a"_s, "1"}});
    const QByteArray subject = "$KV." + bucket->name().toUtf8() + ".bad";
    const QByteArray block = "NATS/1.0\r\nX-Line-Without-Colon\r\nX-Good: yes\r\n\r\n";
    QString problem;
    QByteArray ack = NatsTest::publishRaw(m_server.url(), subject, block, "val", &problem);
    QVERIFY2(ack.contains(R"("seq":2)"), qPrintable(problem + QString::fromUtf8(ack)));
    putAll(bucket, {{u"z"_s, "3"}});

    KvWatcher *watcher = bucket->watchAll();
    const auto watched = follow(watcher);
    QSignalSpy recovering(watcher, &KvWatcher::recovering);
    QTRY_COMPARE(watched->initialDoneCount, 1);
    QCOMPARE(watched->keys(), (QStringList{u"a"_s, u"bad"_s, u"z"_s}));
    QCOMPARE(watched->entries.at(1).value, "val"_ba);

    ack = NatsTest::publishRaw(m_server.url(), subject, block, "live", &problem);
    QVERIFY2(ack.contains(R"("seq":4)"), qPrintable(problem + QString::fromUtf8(ack)));
    putAll(bucket, {{u"z"_s, "5"}});
    QTRY_COMPARE(watched->revisions(), (QList<quint64>{1, 2, 3, 4, 5}));
    QCOMPARE(watched->entries.at(3).value, "live"_ba);
    QCOMPARE(recovering.size(), 0);

    KvReply *get = bucket->get(u"bad"_s);
    QTRY_VERIFY_WITH_TIMEOUT(get->isFinished(), 20000);
    QCOMPARE(get->error(), NatsError::NoError);
    QCOMPARE(get->entry().value, "live"_ba);
    QCOMPARE(get->entry().revision, 4u);
}

// A mirror keeps its origin's message times, so a mirror made after its origin's values holds messages
// older than itself. The watch took that for a bucket deleted and made again, and ended at its first
// reset ("bucket "MIR" is not the one watched any more") though the mirror was fine.
void tst_KvWatcher::aMirrorsWatchGoesOnWhenItsConsumerIsMadeAgain()
{
    KvBucket *origin = makeBucket(u"orig"_s, 5);
    putAll(origin, {{u"k"_s, "v1"}});
    const qint64 written = QDateTime::currentMSecsSinceEpoch();
    QTRY_VERIFY(QDateTime::currentMSecsSinceEpoch() > written + 2); // the mirror made later than the value
    KvBucketConfig config;
    config.bucket = u"mir"_s + QString::number(m_counter);
    config.mirror.name = origin->name();
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvWatchOptions options;
    options.idleHeartbeatMs = 250;
    KvWatcher *watcher = m_kv->bucket(config.bucket, this)->watchAll(options);
    const auto watched = follow(watcher);
    QSignalSpy recovering(watcher, &KvWatcher::recovering);
    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);
    QTRY_COMPARE_WITH_TIMEOUT(watched->entries.size(), 1, 10000);

    // The consumer goes (as at a server's restart): the watch makes it again after the last revision.
    JsApiReply *names = m_js->request("CONSUMER.NAMES.KV_" + config.bucket.toUtf8());
    QTRY_VERIFY(names->isFinished());
    const QJsonArray consumers = names->response().value("consumers"_L1).toArray();
    QVERIFY(!consumers.isEmpty());
    for (const QJsonValue &name : consumers)
        WAIT_OK(m_js->request("CONSUMER.DELETE.KV_" + config.bucket.toUtf8() + '.' + name.toString().toUtf8()));
    QTRY_VERIFY_WITH_TIMEOUT(!recovering.isEmpty(), 10000);

    putAll(origin, {{u"k"_s, "v2"}});
    QTRY_COMPARE_WITH_TIMEOUT(watched->entries.size(), 2, 10000);
    QCOMPARE(watched->entries.last().value, "v2"_ba);
    QVERIFY2(failed.isEmpty(), qPrintable(watcher->errorString()));
    QCOMPARE(watcher->state(), KvWatcher::State::Watching);
}
