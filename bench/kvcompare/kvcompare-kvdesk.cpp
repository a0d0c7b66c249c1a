// kvcompare-kvdesk: kvdesk's library as one of kvcompare's peers, beside kvcompare-c (libnats) and
// kvcompare-go (nats.go). One case per run against a server kvcompare started; prints "seconds peak_kib"
// of the timed part, as the other peers do.
//
//   kvcompare-kvdesk <case> <url> <count>
//   cases: connect seqput seqputnoid pipeput pipeputnoid pub pubsub livewatch livewatchnoid list watchinit

#include "benchsupport.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvkeylister.h"
#include "kvputbatch.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natssubscription.h"
#include "procmemory.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QTimer>

#include <cstdio>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr int kWindow = 4000;
const QString kBucket = u"BENCH"_s;

std::unique_ptr<KvClient> connectTo(const QString &url)
{
    KvClientOptions options = KvClientOptions::fromUrl(url);
    options.connection.requestTimeoutMs = 60000;
    options.requestTimeoutMs = 60000;
    return Bench::connect(options);
}

KvBucket *openBucket(KvClient *client, bool create)
{
    if (create) {
        KvBucketConfig config;
        config.bucket = kBucket;
        if (!Bench::wait(client->kv()->createBucket(config)))
            std::exit(2);
    }
    return client->kv()->bucket(kBucket, client);
}

void putMany(KvBucket *bucket, qint64 count, int window)
{
    const QByteArray value(128, 'v');
    Bench::pipeline(
        count, window, [&](qint64 i) { return bucket->put(u"k."_s + QString::number(i), value); },
        [](NatsReply *reply) {
            if (reply->error() != NatsError::NoError)
                Bench::fail(reply->errorString());
        });
}

// The pipelined cases: one KvPutBatch (no reply object per put), window puts in flight at once. Its
// puts are made as the batch asks for them, as the peers make theirs in their loops: no list of them all.
void putBatch(KvBucket *bucket, qint64 count, int window)
{
    const QByteArray value(128, 'v');
    KvPutBatch *batch = bucket->putMany(
        [value, count, next = qint64(0)]() mutable -> std::optional<KvPutBatch::Item> {
            if (next == count)
                return std::nullopt;
            return KvPutBatch::Item{u"k."_s + QString::number(next++), value};
        },
        window);
    QEventLoop loop;
    QObject::connect(batch, &KvPutBatch::finished, &loop, &QEventLoop::quit);
    loop.exec();
    if (batch->error() != NatsError::NoError)
        Bench::fail(batch->errorString());
    batch->deleteLater();
}

void publishMany(NatsConnection *connection, qint64 count)
{
    const QByteArray value(128, 'v');
    // A QByteArray literal, as the C peer's string literal: no allocation of the benchmark's own per call.
    const QByteArray subject = "bench.pub"_ba;
    for (qint64 i = 0; i < count; ++i) {
        const NatsError error = connection->publish(subject, value);
        if (error.isError())
            Bench::fail(error.message());
        // Let the socket drain now and then, as an application's event loop would.
        if ((i & 1023) == 1023)
            QCoreApplication::processEvents();
    }
    if (!Bench::wait(connection->flush(120000)))
        Bench::fail(u"flush failed"_s);
}

// Runs the loop until done() holds, failing the program after a minute without it.
void waitFor(const std::function<bool()> &done, QEventLoop &loop, const QString &what)
{
    QTimer limit;
    limit.setSingleShot(true);
    QObject::connect(&limit, &QTimer::timeout, &loop, [&] { Bench::fail(what + u" did not finish"_s); });
    limit.start(120000);
    if (!done())
        loop.exec();
}

double pubsub(KvClient *client, const QString &url, qint64 count)
{
    const auto subscriber = connectTo(url);
    NatsSubscription *subscription = subscriber->connection()->subscribe("bench.pub");
    qint64 received = 0;
    QEventLoop loop;
    QObject::connect(subscription, &NatsSubscription::messageReceived, &loop, [&](const NatsMessage &) {
        if (++received == count)
            loop.quit();
    });
    if (!Bench::wait(subscriber->connection()->flush()))
        Bench::fail(u"cannot subscribe"_s);
    QElapsedTimer clock;
    clock.start();
    publishMany(client->connection(), count);
    waitFor([&] { return received == count; }, loop, u"publish + subscribe"_s);
    return double(clock.nsecsElapsed()) / 1e9;
}

double watch(KvBucket *bucket, qint64 count, bool live)
{
    QElapsedTimer clock;
    clock.start();
    KvWatchOptions options;
    options.updatesOnly = live;
    KvWatcher *watcher = bucket->watchAll(options);
    qint64 received = 0;
    quint64 lastRevision = 0;
    QEventLoop loop;
    QObject::connect(watcher, &KvWatcher::entryReceived, &loop, [&](const KvEntry &entry) {
        if (live && entry.revision != lastRevision + 1)
            Bench::fail(u"revision %1 after %2"_s.arg(entry.revision).arg(lastRevision));
        lastRevision = entry.revision;
        if (++received == count && live)
            loop.quit();
    });
    QObject::connect(watcher, &KvWatcher::errorOccurred, &loop, [&] { Bench::fail(watcher->errorString()); });
    bool initialDone = false;
    QObject::connect(watcher, &KvWatcher::initialValuesReceived, &loop, [&] {
        initialDone = true;
        loop.quit();
    });
    waitFor([&] { return initialDone; }, loop, u"the initial values"_s);
    if (live) {
        clock.restart();
        putBatch(bucket, count, kWindow);
        waitFor([&] { return received == count; }, loop, u"the live watch"_s);
    }
    if (received != count)
        Bench::fail(u"watched %1 of %2"_s.arg(received).arg(count));
    return double(clock.nsecsElapsed()) / 1e9;
}

double listKeys(KvBucket *bucket, qint64 count)
{
    QElapsedTimer clock;
    clock.start();
    KvKeyLister *lister = bucket->listKeys();
    qint64 received = 0;
    QObject::connect(lister, &KvKeyLister::keysReceived, lister,
                     [&](const QStringList &keys) { received += keys.size(); });
    QEventLoop loop;
    QObject::connect(lister, &KvKeyLister::finished, &loop, &QEventLoop::quit);
    loop.exec();
    if (lister->error() != NatsError::NoError || received != count)
        Bench::fail(u"listed %1 of %2 keys: %3"_s.arg(received).arg(count).arg(lister->errorString()));
    return double(clock.nsecsElapsed()) / 1e9;
}

double run(const QString &name, const QString &url, qint64 count)
{
    QElapsedTimer clock;
    clock.start();
    const auto client = connectTo(url);
    if (name == u"connect")
        return double(clock.nsecsElapsed()) / 1e9;
    if (name == u"pub") {
        clock.restart();
        publishMany(client->connection(), count);
        return double(clock.nsecsElapsed()) / 1e9;
    }
    if (name == u"pubsub")
        return pubsub(client.get(), url, count);
    const bool existing = name == u"list" || name == u"watchinit";
    KvBucket *bucket = openBucket(client.get(), !existing);
    if (name == u"list")
        return listKeys(bucket, count);
    // *noid: puts without a Nats-Msg-Id, as the peers send them (no exactly-once retries, and no
    // duplicate tracking for the server to do).
    if (name.endsWith(u"noid"))
        bucket->setWriteRetryLimit(0);
    if (name == u"watchinit" || name == u"livewatch" || name == u"livewatchnoid")
        return watch(bucket, count, name != u"watchinit");
    const bool sequential = name == u"seqput" || name == u"seqputnoid";
    if (!sequential && name != u"pipeput" && name != u"pipeputnoid")
        Bench::fail(u"unknown case "_s + name);
    clock.restart();
    if (!sequential)
        putBatch(bucket, count, kWindow);
    else
        putMany(bucket, count, 1);
    return double(clock.nsecsElapsed()) / 1e9;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kvcompare-kvdesk"_s);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 4) {
        std::fprintf(stderr, "usage: kvcompare-kvdesk <case> <url> <count>\n");
        return 1;
    }
    const double seconds = run(args.at(1), args.at(2), args.at(3).toLongLong());
    std::printf("%.6f %lld\n", seconds, ProcMemory::peakKiB());
    return 0;
}
