// kvfaultbench: the long fault campaign. One nats-server (its own, on a fixed port and store) is
// SIGKILLed and restarted --kills times under a pipelined writer, a CAS counter and a watcher of the
// whole history; then everything the server holds is read back and compared with what was
// acknowledged. Prints acknowledged writes lost, writes stored twice or without an acknowledgement,
// CAS updates applied over a newer revision, watch entries lost or repeated, and timings.
// With --cluster: a 3-node cluster and an R3 bucket instead, whose stream leader is SIGKILLed and
// restarted --kills times, and once (half way) asked to step down, under the same load.
#include "benchsupport.h"
#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvwatcher.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

#include <csignal>

#ifdef KVFAULTBENCH_CLUSTER
#include "natsserverprocess.h"
#endif

using namespace Qt::StringLiterals;

namespace {

// A nats-server -js that can be killed and restarted on the same port and store.
class RestartableServer final
{
public:
    RestartableServer()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            Bench::fail(u"no free port"_s);
        m_port = probe.serverPort();
    }
    ~RestartableServer() { kill(); }
    Q_DISABLE_COPY_MOVE(RestartableServer)

    QString url() const { return u"nats://127.0.0.1:%1"_s.arg(m_port); }

    void start()
    {
        const QString program = qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s);
        m_process.setProgram(program);
        m_process.setArguments(
            {u"-a"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"-js"_s, u"-sd"_s, m_dir.path()});
        m_process.setStandardOutputFile(QProcess::nullDevice()); // its log would bury the figures
        m_process.setStandardErrorFile(QProcess::nullDevice());
        m_process.start();
        if (!m_process.waitForStarted())
            Bench::fail(u"cannot start %1"_s.arg(program));
        QElapsedTimer clock;
        clock.start();
        for (;;) { // until it listens
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_port);
            if (socket.waitForConnected(200))
                return;
            if (clock.elapsed() > 10000)
                Bench::fail(u"nats-server does not listen on %1"_s.arg(m_port));
            QEventLoop loop;
            QTimer::singleShot(20, &loop, &QEventLoop::quit);
            loop.exec();
        }
    }

    void kill()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        ::kill(pid_t(m_process.processId()), SIGKILL);
        m_process.waitForFinished();
    }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    quint16 m_port = 0;
};

// What the campaign breaks: trigger() starts a fault and calls done() once the servers are back.
class FaultInjector
{
public:
    virtual ~FaultInjector() = default;
    virtual QString urls() const = 0;
    virtual int replicas() const = 0;
    virtual QString describe(int kills, int downMs) const = 0;
    virtual void trigger(int round, int kills, int downMs, KvClient *client, const std::function<void()> &done) = 0;
};

class SingleServerFaults final : public FaultInjector
{
public:
    SingleServerFaults() { m_server.start(); }
    QString urls() const override { return m_server.url(); }
    int replicas() const override { return 1; }
    QString describe(int kills, int downMs) const override
    {
        return u"%1 SIGKILL restarts of nats-server (%2 ms down each)"_s.arg(kills).arg(downMs);
    }
    void trigger(int, int, int downMs, KvClient *, const std::function<void()> &done) override
    {
        m_server.kill();
        QTimer::singleShot(downMs, [this, done] {
            m_server.start();
            done();
        });
    }

private:
    RestartableServer m_server;
};

#ifdef KVFAULTBENCH_CLUSTER
// Three nodes; each round the bucket stream's leader is SIGKILLed and restarted, except the middle
// round, which asks the leader to step down (a clean election while writes go on).
class ClusterFaults final : public FaultInjector
{
public:
    ClusterFaults()
    {
        if (!m_cluster.start(3) || !m_cluster.waitForAllPeers(30000))
            Bench::fail(u"cannot start a 3-node cluster: %1"_s.arg(m_cluster.errorString()));
    }
    QString urls() const override { return m_cluster.urls(); }
    int replicas() const override { return 3; }
    QString describe(int kills, int downMs) const override
    {
        return u"3-node cluster, R3 bucket: %1 SIGKILL restarts of the stream leader (%2 ms down each), "
               "one leader step-down"_s.arg(kills - 1)
                   .arg(downMs);
    }
    void trigger(int round, int kills, int downMs, KvClient *client, const std::function<void()> &done) override
    {
        JetStreamContext *js = client->jetStream();
        if (round == kills / 2) {
            JsApiReply *stepDown = js->request("STREAM.LEADER.STEPDOWN.KV_campaign");
            QObject::connect(stepDown, &NatsReply::finished, stepDown, [stepDown, done] {
                stepDown->deleteLater();
                if (stepDown->error() != NatsError::NoError)
                    QTextStream(stderr) << "step-down failed: " << stepDown->errorString() << Qt::endl;
                done();
            });
            return;
        }
        JsApiReply *info = js->request("STREAM.INFO.KV_campaign");
        QObject::connect(info, &NatsReply::finished, info, [this, info, downMs, done] {
            info->deleteLater();
            const QString leader
                = info->response().value("cluster"_L1).toObject().value("leader"_L1).toString(); // "n1".."n3"
            NatsServerProcess *node = m_cluster.node(leader.mid(1).toInt() - 1);
            if (!node) {
                QTextStream(stderr) << "no stream leader to kill: " << info->errorString() << Qt::endl;
                done();
                return;
            }
            node->kill();
            QTimer::singleShot(downMs, [node, done] {
                if (!node->restart())
                    Bench::fail(u"cannot restart %1: %2"_s.arg(node->url(), node->errorString()));
                done();
            });
        });
    }

private:
    NatsClusterProcess m_cluster;
};
#endif

struct Figures
{
    qint64 sent = 0;
    qint64 acknowledged = 0;
    qint64 failed = 0;
    qint64 casDone = 0;
    qint64 casFailed = 0;
    qint64 slowestWriteMs = 0;
    qint64 watchRepeated = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"kvfaultbench"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Writes, CAS updates and a watcher through SIGKILL restarts of nats-server."_s);
    parser.addHelpOption();
    const QCommandLineOption killsOption(u"kills"_s, u"Server kills (default 20)."_s, u"N"_s, u"20"_s);
    const QCommandLineOption downOption(u"down-ms"_s, u"How long the server stays down (default 1500)."_s, u"MS"_s,
                                        u"1500"_s);
    const QCommandLineOption everyOption(u"every"_s, u"Acknowledged writes between kills (default 2000)."_s, u"N"_s,
                                         u"2000"_s);
    const QCommandLineOption clusterOption(u"cluster"_s, u"A 3-node cluster and an R3 bucket, leader killed."_s);
    parser.addOptions({killsOption, downOption, everyOption, clusterOption});
    parser.process(app);
    const int kills = parser.value(killsOption).toInt();
    const int downMs = parser.value(downOption).toInt();
    const qint64 every = parser.value(everyOption).toLongLong();
    const qint64 puts = every * (kills + 1);

    std::unique_ptr<FaultInjector> faults;
    if (parser.isSet(clusterOption)) {
#ifdef KVFAULTBENCH_CLUSTER
        faults = std::make_unique<ClusterFaults>();
#else
        Bench::fail(u"--cluster needs the test support library (configure with -DBUILD_TESTING=ON)"_s);
#endif
    } else {
        faults = std::make_unique<SingleServerFaults>();
    }
    KvClientOptions options = KvClientOptions::fromUrl(faults->urls());
    options.connection.reconnectWaitMs = 100;
    options.connection.maxReconnectAttempts = -1;
    std::unique_ptr<KvClient> client = Bench::connect(options);
    KvBucketConfig config;
    config.bucket = u"campaign"_s;
    config.history = 64;
    config.replicas = faults->replicas();
    if (!Bench::wait(client->kv()->createBucket(config)))
        return 1;
    KvBucket *bucket = client->kv()->bucket(config.bucket);

    // The watcher of everything, from the start.
    KvWatchOptions watchOptions;
    watchOptions.includeHistory = true;
    KvWatcher *watcher = bucket->watchAll(watchOptions);
    QHash<quint64, QByteArray> watched;
    Figures figures;
    QObject::connect(watcher, &KvWatcher::entryReceived, &app, [&](const KvEntry &entry) {
        if (watched.contains(entry.revision))
            ++figures.watchRepeated;
        watched.insert(entry.revision, entry.value);
    });

    QHash<quint64, QByteArray> acknowledged; // revision -> value, puts and CAS updates
    QEventLoop loop;
    QElapsedTimer wall;
    wall.start();
    qint64 inFlight = 0;
    bool down = false;
    int killed = 0;
    std::function<void()> pump = [&] {
        while (figures.sent < puts && inFlight < 256) {
            const QByteArray value = "value-" + QByteArray::number(figures.sent);
            KvReply *put = bucket->put(u"k%1"_s.arg(figures.sent), value);
            ++figures.sent;
            ++inFlight;
            QElapsedTimer took;
            took.start();
            QObject::connect(put, &NatsReply::finished, &app, [&, put, value, took] {
                put->deleteLater();
                --inFlight;
                figures.slowestWriteMs = qMax(figures.slowestWriteMs, took.elapsed());
                if (put->error() == NatsError::NoError) {
                    ++figures.acknowledged;
                    acknowledged.insert(put->revision(), value);
                } else {
                    ++figures.failed;
                    QTextStream(stderr) << "write failed: " << put->errorString() << Qt::endl;
                }
                if (!down && killed < kills && figures.acknowledged >= every * (killed + 1)) {
                    down = true;
                    faults->trigger(killed++, kills, downMs, client.get(), [&down] { down = false; });
                }
                if (figures.sent == puts && inFlight == 0)
                    loop.quit();
                pump();
            });
        }
    };
    quint64 casRevision = 0;
    bool casStopped = false;
    std::function<void()> count = [&] {
        if (casStopped)
            return;
        const QByteArray value = QByteArray::number(figures.casDone);
        KvReply *update = casRevision == 0 ? bucket->create(u"counter"_s, value)
                                           : bucket->update(u"counter"_s, value, casRevision);
        QObject::connect(update, &NatsReply::finished, &app, [&, update, value] {
            update->deleteLater();
            if (update->error() != NatsError::NoError) {
                ++figures.casFailed;
                QTextStream(stderr) << "CAS update failed: " << update->errorString() << Qt::endl;
                return;
            }
            casRevision = update->revision();
            acknowledged.insert(update->revision(), value);
            ++figures.casDone;
            count();
        });
    };
    pump();
    count();
    // A campaign that stops moving says where it stands instead of waiting for ever.
    QTimer watchdog;
    qint64 lastProgress = -1;
    QObject::connect(&watchdog, &QTimer::timeout, &app, [&] {
        const qint64 progress = figures.acknowledged + figures.failed + figures.casDone;
        if (progress == lastProgress)
            QTextStream(stderr) << "no progress for 30 s: " << figures.sent << " sent, " << inFlight << " in flight, "
                                << figures.acknowledged << " acknowledged, faults " << killed
                                << (down ? " (servers down)" : "") << Qt::endl;
        lastProgress = progress;
    });
    watchdog.start(30000);
    loop.exec();
    watchdog.stop();
    casStopped = true;
    const qint64 writeSeconds = wall.elapsed();

    // Let the last CAS update and the watcher catch up, then read back the whole stream.
    QEventLoop settle;
    QTimer poll;
    const quint64 lastRevision = acknowledged.isEmpty()
        ? 0
        : *std::max_element(acknowledged.keyBegin(), acknowledged.keyEnd());
    QObject::connect(&poll, &QTimer::timeout, &settle, [&] {
        if (watcher->lastRevision() >= lastRevision)
            settle.quit();
    });
    poll.start(50);
    QTimer::singleShot(60000, &settle, &QEventLoop::quit);
    settle.exec();

    // What the stream holds now, through a fresh watcher of the whole history.
    QHash<quint64, KvEntry> stored;
    KvWatcher *reader = bucket->watchAll(watchOptions);
    QEventLoop readBack;
    QObject::connect(reader, &KvWatcher::entryReceived, &app,
                     [&](const KvEntry &entry) { stored.insert(entry.revision, entry); });
    QObject::connect(reader, &KvWatcher::initialValuesReceived, &readBack, &QEventLoop::quit);
    QObject::connect(reader, &KvWatcher::errorOccurred, &app,
                     [reader] { Bench::fail(u"reading the stream back failed: %1"_s.arg(reader->errorString())); });
    QTimer::singleShot(120000, &app, [] { Bench::fail(u"reading the stream back took over 120 s"_s); });
    readBack.exec();

    qint64 lost = 0;
    qint64 changed = 0;
    qint64 watchLost = 0;
    for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it) {
        const bool isCounter = stored.contains(it.key()) && stored.value(it.key()).key == u"counter"_s;
        if (!stored.contains(it.key())) {
            // The counter's oldest revisions are trimmed by the history limit; a put key is written once.
            if (!it.value().startsWith("value-"))
                continue;
            ++lost;
        } else if (stored.value(it.key()).value != it.value() && !isCounter) {
            ++changed;
        }
        if (watched.value(it.key()) != it.value())
            ++watchLost;
    }
    qint64 unacknowledged = 0; // stored but never acknowledged: a second copy, or a write reported failed
    QList<qint64> counterValues;
    for (auto it = stored.cbegin(); it != stored.cend(); ++it) {
        if (!acknowledged.contains(it.key()))
            ++unacknowledged;
        if (it.value().key == u"counter"_s)
            counterValues.append(it.value().value.toLongLong());
    }
    std::sort(counterValues.begin(), counterValues.end());
    qint64 casOverNewer = 0; // kept counter revisions must count up by one: a gap or repeat is a lost update
    for (qsizetype i = 1; i < counterValues.size(); ++i) {
        if (counterValues[i] != counterValues[i - 1] + 1)
            ++casOverNewer;
    }

    QTextStream out(stdout);
    out << "kvfaultbench: " << faults->describe(kills, downMs) << ", "
        << qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s) << "\n";
    out << "  writes: sent " << figures.sent << ", acknowledged " << figures.acknowledged << ", failed "
        << figures.failed << ", acknowledged then lost " << lost << ", changed " << changed
        << ", stored without an acknowledgement (twice or reported failed) " << unacknowledged << "\n";
    out << "  CAS updates: " << figures.casDone << " done, " << figures.casFailed << " failed, " << casOverNewer
        << " applied over a newer revision\n";
    out << "  watch: " << watched.size() << " entries, " << watchLost << " acknowledged writes missing, "
        << figures.watchRepeated << " repeated\n";
    out << "  time: " << writeSeconds / 1000.0 << " s for the writes, slowest write " << figures.slowestWriteMs
        << " ms\n";
    out.flush();
    const bool clean = lost == 0 && changed == 0 && unacknowledged == 0 && figures.failed == 0 && figures.casFailed == 0
        && casOverNewer == 0 && watchLost == 0 && figures.watchRepeated == 0;
    return clean ? 0 : 1;
}
