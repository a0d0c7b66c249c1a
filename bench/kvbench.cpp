// Key/Value throughput of kvdesk's library against a local nats-server -js of its own: sequential and
// pipelined puts, gets, listing and watching big buckets, live watch updates (checked for loss), and the
// client's peak memory per case. Each line names the case, count and value size, so the same cases can
// be run with the official clients and compared. Not a test.

#include "benchsupport.h"
#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvexportjob.h"
#include "kvimportjob.h"
#include "kvkeylister.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "procmemory.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QLocale>
#include <QtCore/QTemporaryFile>
#include <QtCore/QTextStream>

#include <functional>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

// Peak resident memory: VmHWM, reset per case through /proc/self/clear_refs ("5", Linux >= 4.0).
void resetPeakMemory()
{
    QFile file(u"/proc/self/clear_refs"_s);
    if (file.open(QIODevice::WriteOnly))
        file.write("5");
}

struct Settings
{
    qint64 count = 20000; // puts and gets
    qint64 keys = 100000; // list and watch cases
    qsizetype size = 128; // value bytes
    int window = 256;     // requests in flight when pipelined
};

class KvBench
{
public:
    KvBench(const QString &url, const Settings &settings)
        : m_settings(settings)
        , m_value(settings.size, 'v')
    {
        m_writer = connectTo(url);
        m_reader = connectTo(url);
        m_writerKv = m_writer->kv();
        m_readerKv = m_reader->kv();
    }

    QString serverVersion() const { return m_writer->connection()->serverInfo().version; }

    void run()
    {
        KvBucket *bucket = makeBucket(u"BENCH_PUT"_s);
        measure(u"put (sequential)"_s, m_settings.count, [&] { putMany(bucket, u"seq"_s, m_settings.count, 1); });
        measure(u"put (pipelined)"_s, m_settings.count,
                [&] { putMany(bucket, u"pipe"_s, m_settings.count, m_settings.window); });
        KvBucket *readBucket = m_readerKv->bucket(u"BENCH_PUT"_s, m_reader.get());
        measure(u"get (sequential)"_s, m_settings.count, [&] { getMany(readBucket, m_settings.count, 1); });
        measure(u"get (pipelined)"_s, m_settings.count,
                [&] { getMany(readBucket, m_settings.count, m_settings.window); });

        KvBucket *big = makeBucket(u"BENCH_BIG"_s);
        putMany(big, u"key"_s, m_settings.keys, m_settings.window); // fill, not timed
        KvBucket *bigReader = m_readerKv->bucket(u"BENCH_BIG"_s, m_reader.get());
        measure(u"list keys"_s, m_settings.keys, [&] { listKeys(bigReader); });
        measure(u"watch initial values"_s, m_settings.keys, [&] { watchInitial(bigReader); });
        // Reading many keys' values: batch direct get (multi_last, 1,024 keys a request; nats-server
        // 2.11+) against one direct get each (all older servers get).
        bool batched = false;
        measure(
            u"export (batch get)"_s, m_settings.keys, [&] { batched = exportKeys(bigReader, KvBulkRead::Mode::Auto); },
            [&] { return batched ? u"batch direct get"_s : u"one direct get each: the server has no batch get"_s; });
        measure(u"export (get each)"_s, m_settings.keys, [&] { exportKeys(bigReader, KvBulkRead::Mode::OneByOne); });
        // The bucket as of a revision (issue 16) beside a plain whole-bucket export (kvdesk-cli export):
        // the point is the last revision, so both write every key.
        measure(u"export (whole bucket)"_s, m_settings.keys, [&] { exportBucket(bigReader); });
        // `kvdesk-cli import` of that export (NDJSON from a file) into an empty bucket.
        QTemporaryFile exported;
        if (!exported.open())
            Bench::fail(u"cannot make a temporary file"_s);
        exportBucket(bigReader, &exported);
        KvBucket *imported = makeBucket(u"BENCH_IMPORT"_s);
        measure(u"import (whole bucket)"_s, m_settings.keys, [&] { importFile(imported, &exported); });
        KvAsOfRead::Path path = KvAsOfRead::Path::Auto;
        measure(
            u"export as-of (auto)"_s, m_settings.keys, [&] { path = exportAsOf(bigReader, KvAsOfRead::Path::Auto); },
            [&] { return path == KvAsOfRead::Path::Batch ? u"batch direct get"_s : u"replay"_s; });
        measure(u"export as-of (replay)"_s, m_settings.keys, [&] { exportAsOf(bigReader, KvAsOfRead::Path::Replay); });
        if (bigReader->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::BatchGet))
            measure(u"export as-of (batch)"_s, m_settings.keys,
                    [&] { exportAsOf(bigReader, KvAsOfRead::Path::Batch); });
        measure(u"read values (batch)"_s, m_settings.keys, [&] { readValues(bigReader, KvBulkRead::Mode::Auto); });
        measure(u"read values (each)"_s, m_settings.keys, [&] { readValues(bigReader, KvBulkRead::Mode::OneByOne); });
        measureLiveWatch();
    }

private:
    static std::unique_ptr<KvClient> connectTo(const QString &url)
    {
        KvClientOptions options = KvClientOptions::fromUrl(url);
        options.connection.name = u"kvbench"_s;
        options.connection.requestTimeoutMs = 30000;
        options.requestTimeoutMs = 30000;
        return Bench::connect(options);
    }

    KvBucket *makeBucket(const QString &name)
    {
        KvBucketConfig config;
        config.bucket = name;
        if (!Bench::wait(m_writerKv->createBucket(config)))
            std::exit(1);
        return m_writerKv->bucket(name, m_writer.get());
    }

    // Keeps `window` calls outstanding until `count` have finished; any failure ends the program.
    static void pipeline(qint64 count, int window, const std::function<KvReply *(qint64 index)> &call)
    {
        Bench::pipeline(count, window, call, [](NatsReply *reply) {
            if (reply->error() != NatsError::NoError)
                Bench::fail(reply->errorString());
        });
    }

    void putMany(KvBucket *bucket, const QString &prefix, qint64 count, int window)
    {
        pipeline(count, window, [&](qint64 i) { return bucket->put(prefix + u'.' + QString::number(i), m_value); });
    }

    void getMany(KvBucket *bucket, qint64 count, int window)
    {
        pipeline(count, window,
                 [&](qint64 i) { return bucket->get(u"pipe."_s + QString::number(i % m_settings.count)); });
    }

    void listKeys(KvBucket *bucket)
    {
        KvKeyLister *lister = bucket->listKeys();
        qint64 received = 0;
        QObject::connect(lister, &KvKeyLister::keysReceived, lister,
                         [&](const QStringList &keys) { received += keys.size(); });
        QEventLoop loop;
        QObject::connect(lister, &KvKeyLister::finished, &loop, &QEventLoop::quit);
        loop.exec();
        if (lister->error() != NatsError::NoError || received != m_settings.keys)
            Bench::fail(
                u"listing gave %1 of %2 keys: %3"_s.arg(received).arg(m_settings.keys).arg(lister->errorString()));
        lister->deleteLater();
    }

    void watchInitial(KvBucket *bucket)
    {
        KvWatcher *watcher = bucket->watchAll();
        qint64 received = 0;
        QObject::connect(watcher, &KvWatcher::entryReceived, watcher, [&](const KvEntry &) { ++received; });
        QEventLoop loop;
        QObject::connect(watcher, &KvWatcher::initialValuesReceived, &loop, &QEventLoop::quit);
        QObject::connect(watcher, &KvWatcher::errorOccurred, &loop, &QEventLoop::quit);
        loop.exec();
        if (watcher->error() != NatsError::NoError || received != m_settings.keys)
            Bench::fail(u"watch delivered %1 of %2 initial values: %3"_s.arg(received)
                            .arg(m_settings.keys)
                            .arg(watcher->errorString()));
        watcher->stop();
        watcher->deleteLater();
    }

    // Exports every key of the big bucket by name (KvExportJob::exportKeys) to /dev/null; true when the
    // values were read with batch direct gets.
    bool exportKeys(KvBucket *bucket, KvBulkRead::Mode mode)
    {
        QStringList keys;
        keys.reserve(m_settings.keys);
        for (qint64 i = 0; i < m_settings.keys; ++i)
            keys.append(u"key."_s + QString::number(i));
        QFile sink(u"/dev/null"_s);
        if (!sink.open(QIODevice::WriteOnly))
            Bench::fail(u"cannot open /dev/null"_s);
        KvExportJob job(bucket, &sink);
        job.setReadMode(mode);
        QEventLoop loop;
        QObject::connect(&job, &KvExportJob::finished, &loop, &QEventLoop::quit);
        job.exportKeys(keys);
        loop.exec();
        if (job.state() != KvExportJob::State::Finished || job.writtenCount() != m_settings.keys)
            Bench::fail(u"export wrote %1 of %2 values: %3"_s.arg(job.writtenCount())
                            .arg(m_settings.keys)
                            .arg(job.errorString()));
        return mode == KvBulkRead::Mode::Auto
            && bucket->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::BatchGet);
    }

    // Every key's latest value, as `kvdesk-cli export BUCKET` writes them, to /dev/null or to file.
    void exportBucket(KvBucket *bucket, QIODevice *file = nullptr)
    {
        QFile sink(u"/dev/null"_s);
        if (!file && !sink.open(QIODevice::WriteOnly))
            Bench::fail(u"cannot open /dev/null"_s);
        KvExportJob job(bucket, file ? file : &sink);
        QEventLoop loop;
        QObject::connect(&job, &KvExportJob::finished, &loop, &QEventLoop::quit);
        job.exportBucket();
        loop.exec();
        if (job.state() != KvExportJob::State::Finished || job.writtenCount() != m_settings.keys)
            Bench::fail(u"export wrote %1 of %2 values: %3"_s.arg(job.writtenCount())
                            .arg(m_settings.keys)
                            .arg(job.errorString()));
    }

    // The NDJSON of file, from its start, into bucket as `kvdesk-cli import BUCKET FILE` writes it.
    void importFile(KvBucket *bucket, QIODevice *file)
    {
        file->seek(0);
        KvImportJob job(bucket, file);
        QEventLoop loop;
        QObject::connect(&job, &KvImportJob::finished, &loop, &QEventLoop::quit);
        job.start(KvImportJob::ExistingKeys::Overwrite);
        loop.exec();
        if (job.state() != KvImportJob::State::Finished || job.writtenCount() != m_settings.keys)
            Bench::fail(u"import wrote %1 of %2 values: %3"_s.arg(job.writtenCount())
                            .arg(m_settings.keys)
                            .arg(job.errorString()));
    }

    // The same as of the bucket's last revision (`kvdesk-cli export BUCKET --as-of REVISION`); the path taken.
    KvAsOfRead::Path exportAsOf(KvBucket *bucket, KvAsOfRead::Path path)
    {
        QFile sink(u"/dev/null"_s);
        if (!sink.open(QIODevice::WriteOnly))
            Bench::fail(u"cannot open /dev/null"_s);
        KvAsOfRead read(bucket, KvAsOfPoint::atRevision(std::numeric_limits<quint64>::max()), {}, path);
        KvExportJob job(bucket, &sink);
        QEventLoop loop;
        QObject::connect(&read, &KvAsOfRead::finished, &loop, [&] {
            if (read.error() != NatsError::NoError)
                Bench::fail(u"as-of read failed: %1"_s.arg(read.errorString()));
            job.exportEntries(read.entries());
        });
        QObject::connect(&job, &KvExportJob::finished, &loop, &QEventLoop::quit);
        loop.exec();
        if (job.state() != KvExportJob::State::Finished || job.writtenCount() != m_settings.keys)
            Bench::fail(u"as-of export wrote %1 of %2 values: %3"_s.arg(job.writtenCount())
                            .arg(m_settings.keys)
                            .arg(job.errorString()));
        return read.usedPath();
    }

    // The same values read by KvBulkRead alone (no export bookkeeping, no NDJSON), in one go.
    void readValues(KvBucket *bucket, KvBulkRead::Mode mode)
    {
        QList<KvBulkRead::Want> wants;
        wants.reserve(m_settings.keys);
        for (qint64 i = 0; i < m_settings.keys; ++i)
            wants.append({u"key."_s + QString::number(i), 0});
        KvBulkRead read(bucket, wants, mode);
        QEventLoop loop;
        QObject::connect(&read, &KvBulkRead::finished, &loop, &QEventLoop::quit);
        loop.exec();
        const auto results = read.results();
        const qint64 found = std::count_if(results.cbegin(), results.cend(), [](const auto &r) { return bool(r); });
        if (read.error() != NatsError::NoError || found != m_settings.keys)
            Bench::fail(u"read %1 of %2 values: %3"_s.arg(found).arg(m_settings.keys).arg(read.errorInfo().message()));
    }

    // Updates published (pipelined) on one connection and received by a watch on another; every
    // revision must arrive once, in order.
    void measureLiveWatch()
    {
        makeBucket(u"BENCH_LIVE"_s);
        KvBucket *target = m_writerKv->bucket(u"BENCH_LIVE"_s, m_writer.get());
        KvWatchOptions options;
        options.updatesOnly = true;
        KvWatcher *watcher = m_readerKv->bucket(u"BENCH_LIVE"_s, m_reader.get())->watchAll(options);
        QEventLoop ready;
        QObject::connect(watcher, &KvWatcher::initialValuesReceived, &ready, &QEventLoop::quit);
        ready.exec();

        qint64 received = 0;
        quint64 lastRevision = 0;
        qint64 outOfOrder = 0;
        QEventLoop allIn;
        QObject::connect(watcher, &KvWatcher::entryReceived, watcher, [&](const KvEntry &entry) {
            outOfOrder += entry.revision != lastRevision + 1 ? 1 : 0;
            lastRevision = entry.revision;
            if (++received == m_settings.count)
                allIn.quit();
        });
        measure(
            u"watch live updates"_s, m_settings.count,
            [&] {
                putMany(target, u"live"_s, m_settings.count, m_settings.window);
                if (received < m_settings.count)
                    allIn.exec();
            },
            [&] { return u"lost=%1 out-of-order=%2"_s.arg(m_settings.count - received).arg(outOfOrder); });
        watcher->deleteLater();
    }

    void measure(const QString &name, qint64 count, const std::function<void()> &body,
                 const std::function<QString()> &extra = {})
    {
        resetPeakMemory();
        QElapsedTimer clock;
        clock.start();
        body();
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        QTextStream out(stdout);
        out << name.leftJustified(22) << u"count=%1"_s.arg(count).leftJustified(14)
            << u"size=%1 B"_s.arg(m_settings.size).leftJustified(12)
            << u"time=%1 s"_s.arg(seconds, 0, 'f', 3).leftJustified(14)
            << QLocale::c().toString(double(count) / seconds, 'f', 0).rightJustified(10) << " ops/s  "
            << u"peak=%1 MiB"_s.arg(double(ProcMemory::peakKiB()) / 1024.0, 0, 'f', 1);
        if (extra)
            out << "  " << extra();
        out << Qt::endl;
    }

    Settings m_settings;
    QByteArray m_value;
    std::unique_ptr<KvClient> m_writer;
    std::unique_ptr<KvClient> m_reader;
    KvContext *m_writerKv = nullptr;
    KvContext *m_readerKv = nullptr;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kvbench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Key/Value throughput and memory of kvdesk's client library."_s);
    parser.addHelpOption();
    const QCommandLineOption countOption(u"count"_s, u"Puts, gets and live watch updates per case (default 20000)."_s,
                                         u"N"_s, u"20000"_s);
    const QCommandLineOption keysOption(
        u"keys"_s, u"Keys in the list, initial-watch and export cases (default 100000)."_s, u"N"_s, u"100000"_s);
    const QCommandLineOption sizeOption(u"size"_s, u"Value size in bytes (default 128)."_s, u"BYTES"_s, u"128"_s);
    const QCommandLineOption windowOption(u"window"_s, u"Requests in flight when pipelined (default 256)."_s, u"N"_s,
                                          u"256"_s);
    const QCommandLineOption serverOption(u"server"_s, u"Use this server (with JetStream) instead of starting one."_s,
                                          u"URL"_s);
    parser.addOptions({countOption, keysOption, sizeOption, windowOption, serverOption});
    parser.process(app);

    Settings settings;
    settings.count = std::max<qint64>(1, parser.value(countOption).toLongLong());
    settings.keys = std::max<qint64>(1, parser.value(keysOption).toLongLong());
    settings.size = std::max<qsizetype>(0, parser.value(sizeOption).toLongLong());
    settings.window = std::max(1, parser.value(windowOption).toInt());

    std::unique_ptr<BenchServer> server;
    QString url = parser.value(serverOption);
    if (url.isEmpty()) {
        server = std::make_unique<BenchServer>();
        url = server->start();
    }
    KvBench bench(url, settings);
    QTextStream(stdout) << "kvbench: kvdesk " << KVDESK_VERSION << " against nats-server " << bench.serverVersion()
                        << " at " << url << Qt::endl;
    bench.run();
    return 0;
}
