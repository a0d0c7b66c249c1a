// watchpanelbench: the window's watch panel under a stream of updates from another client, end to end:
// its own nats-server, a publishing thread (its own client, pipelined puts paced to --rate per second,
// 0 for as fast as the server acks), and a WatchPanel with one all-keys watch, painted (offscreen unless
// QT_QPA_PLATFORM says otherwise). Prints the updates per second painted (revisions that reached the
// screen over the time between the first and the last paint), the worst event-loop stall (the longest
// wait of a 5 ms timer beyond its interval), model inserts and paints, and checks nothing was lost:
// every revision a row, in order (or, with --cap, the rows dropped from view counted).
//
// With --replay the updates are published first and the watch then starts at revision 1 (its history):
// the feed receives them as fast as the library delivers, which is what it must keep up with.
//
//   watchpanelbench [--updates 100000] [--rate 20000] [--keys 1000] [--cap 1000000] [--replay]

#include "benchsupport.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "watchfeedmodel.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QThread>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTableView>

#include <atomic>
#include <cstdio>
#include <ctime>

using namespace Qt::StringLiterals;

namespace {

constexpr int kWindow = 4000; // puts in flight at most
constexpr int kTickMs = 5;
constexpr int kPaceMs = 10;

struct Published
{
    std::atomic<int> acked{0};
    std::atomic<int> failed{0};
    std::atomic<qint64> elapsedMs{0};
    std::atomic<bool> done{false};
};

// Another client on its own thread: --rate puts per second in slices every 10 ms, at most kWindow unacked.
class Publisher final : public QObject
{
public:
    Publisher(QString url, int updates, int rate, int keys, Published *published)
        : m_url(std::move(url))
        , m_published(published)
        , m_updates(updates)
        , m_rate(rate)
        , m_keys(keys)
    {
    }

    void run()
    {
        m_client = Bench::connect(KvClientOptions::fromUrl(m_url));
        m_bucket = m_client->kv()->bucket(u"WATCH"_s, this);
        m_clock.start();
        auto *pace = new QTimer(this);
        pace->setTimerType(Qt::PreciseTimer);
        connect(pace, &QTimer::timeout, this, &Publisher::pump);
        pace->start(kPaceMs);
        pump();
    }

private:
    void pump()
    {
        const qint64 due = m_rate > 0 ? std::min<qint64>(m_updates, m_clock.elapsed() * m_rate / 1000 + 1) : m_updates;
        while (m_sent < due && m_inFlight < kWindow) {
            const int i = m_sent++;
            const QByteArray value = R"({"seq":)" + QByteArray::number(i) + R"(,"status":"paid"})";
            KvReply *reply = m_bucket->put(u"orders.%1"_s.arg(i % m_keys), value);
            ++m_inFlight;
            connect(reply, &NatsReply::finished, this, [this, reply] {
                --m_inFlight;
                ++(reply->error() == NatsError::NoError ? m_published->acked : m_published->failed);
                reply->deleteLater();
                if (m_published->acked + m_published->failed == m_updates) {
                    m_published->elapsedMs = m_clock.elapsed();
                    m_published->done = true;
                } else if (m_rate == 0)
                    pump();
            });
        }
    }

    QString m_url;
    std::unique_ptr<KvClient> m_client;
    KvBucket *m_bucket = nullptr;
    Published *m_published;
    QElapsedTimer m_clock;
    int m_updates;
    int m_rate;
    int m_keys;
    int m_sent = 0;
    int m_inFlight = 0;
};

// What was on screen: at each paint of the feed, the newest revision the model held.
class PaintLog final : public QObject
{
public:
    explicit PaintLog(const WatchFeedModel *model)
        : m_model(model)
    {
        m_clock.start();
    }
    int paints = 0;
    qint64 firstMs = -1;
    qint64 lastMs = -1;
    quint64 firstRevision = 0;
    quint64 lastRevision = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Paint && m_model->rowCount() > 0) {
            ++paints;
            const quint64 revision = m_model->lastRevision();
            if (firstMs < 0) {
                firstMs = m_clock.elapsed();
                firstRevision = revision;
            }
            if (revision != lastRevision) {
                lastMs = m_clock.elapsed();
                lastRevision = revision;
            }
        }
        return QObject::eventFilter(watched, event);
    }

private:
    const WatchFeedModel *m_model;
    QElapsedTimer m_clock;
};

// Every revision 1..updates once and in order among the rows (the older ones dropped from view count
// for themselves); returns how many are missing or out of place.
qint64 lostRevisions(const WatchFeedModel *model, int updates)
{
    quint64 next = model->droppedCount() + 1;
    qint64 lost = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const quint64 revision = model->entryAt(row).revision;
        if (revision != next)
            ++lost;
        next = revision + 1;
    }
    return lost + qint64(quint64(updates) + 1 - next);
}

qint64 threadCpuNs()
{
    timespec now = {};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// The GUI thread's event loop under watch: the longest wait of a 5 ms timer beyond its interval, and the
// thread's own CPU time between two ticks (its longest busy stretch, whatever the scheduler of a loaded
// machine adds to the wall-clock stall).
class LoopClock final
{
public:
    LoopClock()
    {
        m_ticker.setTimerType(Qt::PreciseTimer);
        QObject::connect(&m_ticker, &QTimer::timeout, &m_ticker, [this] { tick(); });
    }
    void start()
    {
        m_clock.start();
        m_sinceTick.start();
        m_lastCpuNs = threadCpuNs();
        m_ticker.start(kTickMs);
    }
    void stop() { m_ticker.stop(); }
    qint64 elapsed() const { return m_clock.elapsed(); }
    void print() const
    {
        std::printf("  worst event-loop stall %lld ms at %.2f s (a %d ms timer's longest wait beyond its interval); "
                    "%d stalls over 16 ms, %d over 50 ms\n",
                    m_worstStall, m_worstStallAt / 1000.0, kTickMs, m_over16, m_over50);
        std::printf("  longest busy stretch of the GUI thread: %.1f ms of its own CPU time between two ticks\n",
                    m_worstBusyNs / 1e6);
    }

private:
    void tick()
    {
        const qint64 stall = m_sinceTick.restart() - kTickMs;
        const qint64 cpuNs = threadCpuNs();
        m_worstBusyNs = std::max(m_worstBusyNs, cpuNs - m_lastCpuNs);
        m_lastCpuNs = cpuNs;
        m_over16 += stall > 16;
        m_over50 += stall > 50;
        if (stall > m_worstStall) {
            m_worstStall = stall;
            m_worstStallAt = m_clock.elapsed();
        }
    }

    QTimer m_ticker;
    QElapsedTimer m_clock;
    QElapsedTimer m_sinceTick;
    qint64 m_lastCpuNs = 0;
    qint64 m_worstBusyNs = 0;
    qint64 m_worstStall = 0;
    qint64 m_worstStallAt = 0;
    int m_over16 = 0;
    int m_over50 = 0;
};

struct Settings
{
    int updates = 0;
    int rate = 0;
    int keys = 0;
    int cap = 0;
    bool replay = false;
};

Settings readSettings(const QApplication &app)
{
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption updates(u"updates"_s, u"updates to publish"_s, u"n"_s, u"100000"_s);
    const QCommandLineOption rate(u"rate"_s, u"updates per second (0: as fast as acked)"_s, u"n"_s, u"20000"_s);
    const QCommandLineOption keys(u"keys"_s, u"keys written in turn"_s, u"n"_s, u"2000"_s);
    const QCommandLineOption cap(u"cap"_s, u"the feed's row cap"_s, u"n"_s, QString::number(WatchFeedModel::MaxRowCap));
    const QCommandLineOption replay(u"replay"_s,
                                    u"publish first, then watch the whole history: the feed gets the updates as "
                                    "fast as the library delivers them"_s);
    parser.addOptions({updates, rate, keys, cap, replay});
    parser.process(app);
    return {parser.value(updates).toInt(), parser.value(rate).toInt(), parser.value(keys).toInt(),
            parser.value(cap).toInt(), parser.isSet(replay)};
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const Settings settings = readSettings(app);
    BenchServer server;
    const QString url = server.start();
    const std::unique_ptr<KvClient> client = Bench::connect(KvClientOptions::fromUrl(url));
    KvBucketConfig config;
    config.bucket = u"WATCH"_s;
    config.history = KvBucketConfig::MaxHistory; // every revision stays: every one must become a row
    if (!Bench::wait(client->kv()->createBucket(config)))
        Bench::fail(u"cannot create the bucket"_s);

    Published published;
    QThread thread;
    auto *publisher = new Publisher(url, settings.updates, settings.rate, settings.keys, &published);
    publisher->moveToThread(&thread);
    QObject::connect(&thread, &QThread::started, publisher, &Publisher::run);
    QObject::connect(&thread, &QThread::finished, publisher, &QObject::deleteLater);
    QElapsedTimer publishing;
    publishing.start();
    if (settings.replay) {
        thread.start();
        while (!published.done)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    }

    WatchPanel panel;
    panel.resize(1200, 500);
    panel.setContext(client->kv(), true);
    panel.show();
    // The window's first paint (fonts, styles) is not part of the stream.
    QApplication::processEvents();
    KvWatchOptions options;
    options.includeHistory = settings.replay;
    WatchView *view = panel.addWatch(u"WATCH"_s, {}, options);
    view->setRowCap(settings.cap);
    const WatchFeedModel *model = view->model();
    int inserts = 0;
    QObject::connect(model, &QAbstractItemModel::rowsInserted, &app, [&inserts] { ++inserts; });
    PaintLog paints(model);
    view->feedView()->viewport()->installEventFilter(&paints);

    LoopClock loop;
    QTimer::singleShot(0, &app, [&] {
        loop.start();
        if (!settings.replay) {
            publishing.start();
            thread.start();
        }
    });
    // Done when the last revision has been painted.
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &app, [&] {
        if ((published.done && paints.lastRevision >= quint64(published.acked)) || loop.elapsed() > 120000)
            app.quit();
    });
    check.start(20);
    app.exec();
    loop.stop();
    thread.quit();
    thread.wait();

    const double paintedSeconds = std::max<qint64>(1, paints.lastMs - paints.firstMs) / 1000.0;
    const qint64 lost = lostRevisions(model, settings.updates);
    std::printf("watchpanelbench: %d updates over %d keys, %s; published %d (%d failed) at %.0f/s\n", settings.updates,
                settings.keys,
                settings.replay ? "replayed from the history"
                                : (settings.rate > 0 ? qPrintable(u"live at %1/s"_s.arg(settings.rate)) : "live"),
                published.acked.load(), published.failed.load(),
                published.acked * 1000.0 / std::max<qint64>(1, published.elapsedMs));
    std::printf("  painted %.0f updates/s (revisions %llu..%llu reached the screen in %.2f s)\n",
                double(paints.lastRevision - paints.firstRevision) / paintedSeconds,
                static_cast<unsigned long long>(paints.firstRevision),
                static_cast<unsigned long long>(paints.lastRevision), paintedSeconds);
    loop.print();
    std::printf("  %d model inserts (%.0f rows each), %d paints; %d rows, %llu older entries dropped from view, "
                "%lld revisions lost\n",
                inserts, double(model->rowCount() + model->droppedCount()) / std::max(1, inserts), paints.paints,
                model->rowCount(), static_cast<unsigned long long>(model->droppedCount()), lost);
    return lost == 0 && published.failed == 0 && paints.lastRevision == quint64(settings.updates) ? 0 : 1;
}
