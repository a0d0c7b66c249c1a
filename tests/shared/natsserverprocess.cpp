#include "natsserverprocess.h"

#include "natsconnection.h"
#include "natsreply.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QUrl>
#include <QtNetwork/QTcpServer>
#include <QtTest/QTest>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int kStartTimeoutMs = 10000;
constexpr int kStopTimeoutMs = 10000;
} // namespace

NatsServerProcess::NatsServerProcess(QObject *parent)
    : QObject(parent)
{
}

NatsServerProcess::~NatsServerProcess()
{
    if (isRunning())
        kill();
}

QString NatsServerProcess::executable()
{
    const QString configured = qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s);
    if (QFileInfo(configured).isAbsolute())
        return configured;
    // Debian installs it in /usr/sbin, which is not on a normal user's PATH.
    const QString onPath = QStandardPaths::findExecutable(configured);
    return onPath.isEmpty() ? QStandardPaths::findExecutable(configured, {u"/usr/sbin"_s, u"/usr/local/sbin"_s})
                            : onPath;
}

QString NatsServerProcess::programVersion()
{
    static QHash<QString, QString> versions; // one run per program and test process
    const QString program = executable();
    if (versions.contains(program))
        return versions.value(program);
    QProcess process;
    process.start(program, {u"--version"_s});
    QString version;
    if (process.waitForFinished(10000)) {
        const QString output = QString::fromUtf8(process.readAllStandardOutput()).trimmed();
        const qsizetype v = output.lastIndexOf(u" v"_s);
        version = v >= 0 ? output.mid(v + 2) : QString();
    }
    versions.insert(program, version);
    return version;
}

int NatsServerProcess::freePort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return -1;
    return server.serverPort();
}

bool NatsServerProcess::start()
{
    return start(Options());
}

bool NatsServerProcess::start(const Options &options)
{
    m_options = options;
    m_dir = std::make_unique<QTemporaryDir>(QDir::tempPath() + "/kvdesk-nats-XXXXXX"_L1);
    if (!m_dir->isValid()) {
        m_error = u"cannot create a temporary directory: "_s + m_dir->errorString();
        return false;
    }
    QDir(m_dir->path()).mkpath(u"store"_s);
    if (!options.config.isEmpty()) {
        QFile file(m_dir->filePath(u"server.conf"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(options.config) != options.config.size()) {
            m_error = u"cannot write the server config: "_s + file.errorString();
            return false;
        }
    }
    m_port = options.port;
    return launch();
}

bool NatsServerProcess::launch()
{
    const QString program = executable();
    if (program.isEmpty()) {
        m_error = u"nats-server is not installed (looked for \"%1\" on PATH); run the README's test command, "
                  "which installs it"_s.arg(qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s));
        return false;
    }
    QStringList args{u"-a"_s, u"127.0.0.1"_s, u"-p"_s, QString::number(m_port), u"--ports_file_dir"_s, m_dir->path()};
    if (m_options.jetStream)
        args << u"-js"_s << u"-sd"_s << storeDir();
    if (!m_options.config.isEmpty())
        args << u"-c"_s << m_dir->filePath(u"server.conf"_s);
    args << m_options.extraArgs;

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(args);
    m_process->setStandardOutputFile(m_dir->filePath(u"server.log"_s), QIODevice::Append);
    m_process->setStandardErrorFile(m_dir->filePath(u"server.log"_s), QIODevice::Append);
    // Dies with the test process, whatever way that ends.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process->start();
    if (!m_process->waitForStarted(kStartTimeoutMs)) {
        m_error = u"cannot start %1: %2"_s.arg(program, m_process->errorString());
        return false;
    }
    return waitForPortsFile(m_process->processId());
}

bool NatsServerProcess::waitForPortsFile(qint64 pid)
{
    // With --ports_file_dir the server writes nats-server_<pid>.ports once it listens.
    const QString path = m_dir->filePath(u"nats-server_%1.ports"_s.arg(pid));
    int port = -1;
    const bool ready = QTest::qWaitFor(
        [&] {
            if (m_process->state() != QProcess::Running)
                return true;
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                return false;
            const QJsonArray urls = QJsonDocument::fromJson(file.readAll()).object().value("nats"_L1).toArray();
            if (urls.isEmpty())
                return false; // written only partly so far
            port = QUrl(urls.first().toString()).port();
            return port > 0;
        },
        kStartTimeoutMs);
    if (m_process->state() != QProcess::Running) {
        // The end of its log says why; QTest cuts a message at about 1 KiB, so only the end goes in.
        m_error = u"nats-server exited at start (code %1): …%2"_s.arg(m_process->exitCode()).arg(log().right(700));
        return false;
    }
    if (!ready || port <= 0) {
        m_error = u"nats-server did not report its port within %1 ms: %2"_s.arg(kStartTimeoutMs).arg(log().right(2000));
        return false;
    }
    m_port = port;
    return true;
}

bool NatsServerProcess::stop()
{
    if (!isRunning())
        return true;
    m_process->terminate();
    if (!m_process->waitForFinished(kStopTimeoutMs)) {
        m_process->kill();
        m_process->waitForFinished(kStopTimeoutMs);
    }
    return !isRunning();
}

bool NatsServerProcess::kill()
{
    if (!isRunning())
        return true;
    m_process->kill();
    m_process->waitForFinished(kStopTimeoutMs);
    return !isRunning();
}

bool NatsServerProcess::restart()
{
    if (!m_dir)
        return false;
    stop();
    return launch();
}

bool NatsServerProcess::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

QString NatsServerProcess::url() const
{
    return u"nats://127.0.0.1:%1"_s.arg(m_port);
}

QString NatsServerProcess::tlsUrl() const
{
    return u"tls://localhost:%1"_s.arg(m_port);
}

qint64 NatsServerProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

QString NatsServerProcess::storeDir() const
{
    return m_dir ? m_dir->filePath(u"store"_s) : QString();
}

QString NatsServerProcess::dir() const
{
    return m_dir ? m_dir->path() : QString();
}

QString NatsServerProcess::log() const
{
    if (!m_dir)
        return {};
    QFile file(m_dir->filePath(u"server.log"_s));
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

// ---- cluster -------------------------------------------------------------------------------------

NatsClusterProcess::NatsClusterProcess(QObject *parent)
    : QObject(parent)
{
}

NatsClusterProcess::~NatsClusterProcess() = default;

bool NatsClusterProcess::start(int nodes)
{
    // Now and then a cluster has not counted all its peers in time: on 2 cores, beside another cluster
    // starting, 2.10's took over a minute once. It is started again once, afresh (new ports, a new name);
    // what went wrong the first time is said, and kept in the error if the second attempt fails too.
    if (launch(nodes))
        return true;
    QString first = m_error;
    for (const NatsServerProcess *node : std::as_const(m_nodes))
        first += u"\n  %1: %2"_s.arg(node->url(), node->log().right(600));
    qWarning("cluster %s did not form, starting it again: %s", qPrintable(m_name), qPrintable(first));
    qDeleteAll(m_nodes); // each stops its nats-server
    m_nodes.clear();
    if (launch(nodes))
        return true;
    m_error += u" (and before, the first attempt: %1)"_s.arg(first);
    return false;
}

bool NatsClusterProcess::launch(int nodes)
{
    m_error.clear();
    QList<int> clientPorts;
    QList<int> routePorts;
    for (int i = 0; i < nodes; ++i) {
        clientPorts.append(NatsServerProcess::freePort());
        routePorts.append(NatsServerProcess::freePort());
    }
    QStringList routes;
    for (const int port : std::as_const(routePorts))
        routes.append(u"nats-route://127.0.0.1:%1"_s.arg(port));
    static int started = 0;
    m_name = u"C%1x%2"_s.arg(QCoreApplication::applicationPid()).arg(++started);

    for (int i = 0; i < nodes; ++i) {
        auto *node = new NatsServerProcess(this);
        NatsServerProcess::Options options;
        options.port = clientPorts[i];
        options.name = u"n%1"_s.arg(i + 1);
        // Every node shares one route list that includes its own port; the resulting
        // "Duplicate Route" lines at start are harmless.
        options.config = u"server_name: n%1\n"
                         "cluster {\n  name: %4\n  listen: 127.0.0.1:%2\n  routes: [%3]\n}\n"_s.arg(i + 1)
                             .arg(routePorts[i])
                             .arg(routes.join(u", "_s), m_name)
                             .toUtf8();
        m_nodes.append(node);
        if (!node->start(options)) {
            m_error = u"node n%1: %2"_s.arg(i + 1).arg(node->errorString());
            return false;
        }
    }
    // Until a meta leader is elected, JetStream requests get no answer at all. On a loaded machine (two
    // clusters starting side by side on 2 cores) all three peers took longer than 30 s now and then.
    return waitForJetStream(urls(), 20000, &m_error) && waitForAllPeers(60000);
}

bool NatsClusterProcess::waitForAllPeers(int timeoutMs)
{
    NatsConnection connection;
    NatsConnectOptions options = NatsConnectOptions::fromUrl(urls());
    options.retryOnFailedConnect = true;
    connection.connectToServer(options);
    const QByteArray stream = "KVDESK_PEER_PROBE";
    const QJsonObject config{{"name"_L1, QString::fromLatin1(stream)},
                             {"subjects"_L1, QJsonArray{u"_kvdesk.peer.probe"_s}},
                             {"storage"_L1, "memory"_L1},
                             {"num_replicas"_L1, int(m_nodes.size())}};
    const QByteArray body = QJsonDocument(config).toJson(QJsonDocument::Compact);
    QString lastProblem = u"not connected"_s;
    // Polled like QTRY_VERIFY: each poll is one create attempt.
    const auto placed = [&] {
        if (!connection.isConnected())
            return false;
        NatsReply *reply = connection.request("$JS.API.STREAM.CREATE." + stream, body, 2000);
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 3000);
        const QJsonObject answer = QJsonDocument::fromJson(reply->message().data()).object();
        const bool ok = reply->error() == NatsError::NoError && !answer.contains("error"_L1);
        lastProblem = reply->error() != NatsError::NoError ? reply->errorString()
                                                           : QString::fromUtf8(reply->message().data());
        delete reply;
        return ok;
    };
    if (!QTest::qWaitFor(placed, timeoutMs)) {
        m_error = u"not every node became a current JetStream peer within %1 ms: %2"_s.arg(timeoutMs).arg(lastProblem);
        return false;
    }
    NatsReply *remove = connection.request("$JS.API.STREAM.DELETE." + stream, {}, 5000);
    (void)QTest::qWaitFor([remove] { return remove->isFinished(); }, 6000);
    delete remove;
    return true;
}

QString NatsClusterProcess::urls() const
{
    QStringList list;
    for (const NatsServerProcess *node : m_nodes) {
        if (node->isRunning())
            list.append(node->url());
    }
    return list.join(u',');
}

bool NatsClusterProcess::waitForJetStream(const QString &url, int timeoutMs, QString *errorMessage)
{
    NatsConnection connection;
    NatsConnectOptions options = NatsConnectOptions::fromUrl(url);
    options.retryOnFailedConnect = true;
    options.reconnectWaitMs = 100;
    connection.connectToServer(options);
    QString lastProblem = u"not connected"_s;
    bool answered = false;
    QElapsedTimer clock;
    clock.start();
    while (!answered && clock.elapsed() < timeoutMs) {
        if (!QTest::qWaitFor([&] { return connection.isConnected(); }, timeoutMs - int(clock.elapsed())))
            break;
        NatsReply *reply = connection.request("$JS.API.INFO", {}, 500);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 2000))
            reply->abort();
        if (reply->error() != NatsError::NoError) {
            lastProblem = reply->errorString();
        } else {
            const QJsonObject answer = QJsonDocument::fromJson(reply->message().data()).object();
            answered = !answer.contains("error"_L1);
            if (!answered)
                lastProblem = QString::fromUtf8(reply->message().data());
        }
        reply->deleteLater();
    }
    if (!answered && errorMessage)
        *errorMessage = u"JetStream did not become ready within %1 ms: %2"_s.arg(timeoutMs).arg(lastProblem);
    return answered;
}

bool NatsServerProcess::freeze()
{
    const pid_t pid = pid_t(this->pid());
    if (pid <= 0 || ::kill(pid, SIGSTOP) != 0)
        return false;
    // Every thread stops, though not at once: what the test sends next must not reach a server still
    // running. Polled without an event loop, since a test may freeze from inside the client's write.
    const auto allStopped = [pid] {
        const QStringList tasks = QDir(u"/proc/%1/task"_s.arg(pid)).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        return !tasks.isEmpty() && std::all_of(tasks.cbegin(), tasks.cend(), [pid](const QString &task) {
            QFile stat(u"/proc/%1/task/%2/stat"_s.arg(pid).arg(task));
            return stat.open(QIODevice::ReadOnly) && stat.readAll().split(' ').value(2) == "T";
        });
    };
    QElapsedTimer clock;
    clock.start();
    while (!allStopped()) {
        if (clock.elapsed() > 5000)
            return false;
    }
    return true;
}

bool NatsServerProcess::thaw()
{
    const pid_t pid = pid_t(this->pid());
    return pid > 0 && ::kill(pid, SIGCONT) == 0;
}

bool NatsServerProcess::reload(const QByteArray &config)
{
    const pid_t pid = pid_t(this->pid());
    if (pid <= 0 || m_options.config.isEmpty()) { // without -c the server has no file to read again
        m_error = u"reload: the server is not running with a config file"_s;
        return false;
    }
    QFile file(m_dir->filePath(u"server.conf"_s));
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(config) != config.size()) {
        m_error = u"cannot write the server config: "_s + file.errorString();
        return false;
    }
    file.close();
    m_options.config = config; // what a restart() uses too
    const QString done = u"Reloaded server configuration"_s;
    const qsizetype before = log().count(done);
    if (::kill(pid, SIGHUP) != 0) {
        m_error = u"cannot send SIGHUP to the server"_s;
        return false;
    }
    if (!QTest::qWaitFor([&] { return log().count(done) > before; }, kStartTimeoutMs)) {
        m_error = u"the server did not say it reloaded its config: "_s + log().right(500);
        return false;
    }
    return true;
}
