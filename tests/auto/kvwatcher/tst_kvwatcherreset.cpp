#include "jetstreamcontext.h"
#include "jsorderedconsumer.h"
#include "jstestsupport.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvexportjob.h"
#include "kvkeylister.h"
#include "kvndjson.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QBuffer>
#include <QtCore/QMap>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>

using namespace Qt::StringLiterals;

// A watch's ordered consumer reset while the initial values (latest per key) are still coming — a
// sequence gap, a reconnect after a server restart — against a real nats-server: key listings, exports
// and watchers must not bring back keys deleted since, nor hand out a key twice or an old value of it.

namespace {

// The bucket the tests reset in: groups of "live.<i>" = old, "gone.<i>" = x, "live.<i>" = new (padded
// with padding bytes), then every "gone.<i>" deleted. Whatever point the latest-per-key view is reset
// at, older values of live keys and the gone keys' values come after it in the stream.
bool fill(KvBucket *bucket, int groups, int padding, QMap<QString, QByteArray> *live)
{
    QList<KvReply *> writes;
    for (int i = 0; i < groups; ++i) {
        const QByteArray value = "new" + QByteArray::number(i) + QByteArray(padding, 'x');
        writes.append(bucket->put(u"live.%1"_s.arg(i), "old"));
        writes.append(bucket->put(u"gone.%1"_s.arg(i), "x"));
        writes.append(bucket->put(u"live.%1"_s.arg(i), value));
        live->insert(u"live.%1"_s.arg(i), value);
    }
    for (int i = 0; i < groups; ++i)
        writes.append(bucket->remove(u"gone.%1"_s.arg(i)));
    bool ok = true;
    for (KvReply *write : std::as_const(writes)) {
        ok = ok && QTest::qWaitFor([write] { return write->isFinished(); }, KvTest::ReplyTimeoutMs)
            && write->error() == NatsError::NoError;
        write->deleteLater();
    }
    return ok;
}

// Why keys (in the order handed out) are not exactly the live keys, each once, or an empty string.
QString compareKeys(const QStringList &keys, const QMap<QString, QByteArray> &live)
{
    QMap<QString, int> counts;
    for (const QString &key : keys)
        ++counts[key];
    for (auto it = counts.cbegin(); it != counts.cend(); ++it) {
        if (!live.contains(it.key()))
            return u"deleted key %1 came back"_s.arg(it.key());
        if (it.value() != 1)
            return u"key %1 handed out %2 times"_s.arg(it.key()).arg(it.value());
    }
    if (counts.size() != live.size())
        return u"%1 of %2 live keys handed out"_s.arg(counts.size()).arg(live.size());
    return {};
}

// An output that runs a callback (once) when the export first writes to it.
class TripwireBuffer final : public QBuffer
{
public:
    std::function<void()> onFirstWrite;

protected:
    qint64 writeData(const char *data, qint64 size) override
    {
        const qint64 written = QBuffer::writeData(data, size);
        if (onFirstWrite)
            std::exchange(onFirstWrite, nullptr)();
        return written;
    }
};

} // namespace

class tst_KvWatcherReset final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void listingResetMidway();
    void watcherResetDuringInitialValues_data();
    void watcherResetDuringInitialValues();
    void exportAcrossServerRestart();

private:
    KvBucket *makeBucket(const QString &name);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvWatcherReset::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

void tst_KvWatcherReset::init()
{
    ++m_counter;
}

KvBucket *tst_KvWatcherReset::makeBucket(const QString &name)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = 5;
    config.storage = KvBucketConfig::Storage::Memory;
    KvTest::createBucket(m_kv, config);
    return m_kv->bucket(config.bucket, this);
}

void tst_KvWatcherReset::listingResetMidway()
{
    KvBucket *bucket = makeBucket(u"list"_s);
    QMap<QString, QByteArray> live;
    QVERIFY(fill(bucket, 50, 0, &live));

    KvKeyLister *lister = bucket->listKeys();
    lister->setBatchSize(1);
    QStringList keys;
    connect(lister, &KvKeyLister::keysReceived, this, [&](const QStringList &batch) {
        keys.append(batch);
        if (keys.size() == 1)
            QVERIFY(JsTest::forceGap(m_connection, lister->findChild<JsOrderedConsumer *>()));
    });
    QSignalSpy finished(lister, &KvKeyLister::finished);
    QVERIFY(finished.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(lister->error(), NatsError::NoError);
    QCOMPARE(lister->findChild<JsOrderedConsumer *>()->resetCount(), 1);
    const QString problem = compareKeys(keys, live);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    delete lister;
}

void tst_KvWatcherReset::watcherResetDuringInitialValues_data()
{
    QTest::addColumn<bool>("ignoreDeletes");
    QTest::newRow("markers too") << false;
    QTest::newRow("ignoring deletes") << true;
}

void tst_KvWatcherReset::watcherResetDuringInitialValues()
{
    // The initial values are the latest entry of each key, once: after the reset no old value of a live
    // key and no value of a deleted one (only its marker, unless deletes are ignored).
    QFETCH(bool, ignoreDeletes);
    KvBucket *bucket = makeBucket(u"watch"_s);
    QMap<QString, QByteArray> live;
    QVERIFY(fill(bucket, 50, 0, &live));

    KvWatchOptions options;
    options.ignoreDeletes = ignoreDeletes;
    KvWatcher *watcher = bucket->watchAll(options);
    QList<KvEntry> initial;
    connect(watcher, &KvWatcher::entryReceived, this, [&](const KvEntry &entry) {
        if (watcher->initialValuesDone())
            return;
        initial.append(entry);
        if (initial.size() == 1)
            QVERIFY(JsTest::forceGap(m_connection, watcher->findChild<JsOrderedConsumer *>()));
    });
    QSignalSpy done(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(done.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(watcher->findChild<JsOrderedConsumer *>()->resetCount(), 1);

    QStringList liveKeys;
    int markers = 0;
    for (const KvEntry &entry : std::as_const(initial)) {
        if (entry.isDeleted()) {
            QVERIFY2(entry.key.startsWith(u"gone."_s), qPrintable(entry.key));
            ++markers;
            continue;
        }
        liveKeys.append(entry.key);
        QVERIFY2(entry.value == live.value(entry.key),
                 qPrintable(u"%1 = %2"_s.arg(entry.key, QString::fromUtf8(entry.value))));
    }
    const QString problem = compareKeys(liveKeys, live);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(markers, ignoreDeletes ? 0 : 50);
    delete watcher;
}

void tst_KvWatcherReset::exportAcrossServerRestart()
{
    // A whole-bucket export on its own server, killed when the export writes its first entry and
    // restarted on the same store: the watch under the export resumes after the reconnect. The values
    // are big enough (4 MB in all) that the server cannot have sent everything before it died.
    constexpr int kGroups = 1000;
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.reconnectWaitMs = 100;
    options.maxReconnectAttempts = -1;
    NatsConnection *connection = nullptr;
    KvContext *kv = nullptr;
    QVERIFY(KvTest::connectClient(options, this, &connection, nullptr, &kv));
    KvBucketConfig config;
    config.bucket = u"export"_s;
    config.history = 5;
    QVERIFY(KvTest::createBucket(kv, config));
    KvBucket *bucket = kv->bucket(config.bucket, this);
    QMap<QString, QByteArray> live;
    QVERIFY(fill(bucket, kGroups, 4000, &live));

    TripwireBuffer output;
    QVERIFY(output.open(QIODevice::WriteOnly));
    bool killed = false;
    output.onFirstWrite = [&] { killed = server.kill(); };
    KvExportJob job(bucket, &output);
    job.exportBucket();
    const auto *consumer = bucket->findChild<JsOrderedConsumer *>();
    QVERIFY(consumer);
    qint64 writtenAtReset = -1;
    connect(consumer, &JsOrderedConsumer::recovering, this, [&] {
        if (writtenAtReset < 0)
            writtenAtReset = job.writtenCount();
    });
    QTRY_VERIFY(killed);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(job.isFinished(), 30000);
    QVERIFY2(job.state() == KvExportJob::State::Finished, qPrintable(job.errorString()));
    QVERIFY2(consumer->resetCount() >= 1, "the export finished before the server went away");

    QStringList keys;
    QMap<QString, QByteArray> values;
    for (const QByteArray &line : output.data().split('\n')) {
        if (line.isEmpty())
            continue;
        KvEntry entry;
        QString error;
        QVERIFY2(KvNdjson::decode(line, &entry, &error), qPrintable(error));
        keys.append(entry.key);
        values.insert(entry.key, entry.value);
    }
    qInfo("%lld entries exported, %lld of them before the reset, %d resets", qint64(keys.size()), writtenAtReset,
          consumer->resetCount());
    const QString problem = compareKeys(keys, live);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QVERIFY(values == live);
}

QTEST_GUILESS_MAIN(tst_KvWatcherReset)

#include "tst_kvwatcherreset.moc"
