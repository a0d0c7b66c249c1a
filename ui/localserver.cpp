#include "localserver.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTimer>

#include <csignal>
#include <sys/prctl.h>

using namespace Qt::StringLiterals;

namespace {
constexpr int kPollMs = 50;
constexpr int kStartTimeoutMs = 10000;
} // namespace

LocalServer::LocalServer(QObject *parent)
    : QObject(parent)
    , m_pollTimer(new QTimer(this))
{
    // The server writes its port to a file once it listens; look for it until then.
    m_pollTimer->setInterval(kPollMs);
    connect(m_pollTimer, &QTimer::timeout, this, &LocalServer::checkPortsFile);
}

LocalServer::~LocalServer()
{
    stop();
}

QString LocalServer::executable()
{
    QString path = QStandardPaths::findExecutable(u"nats-server"_s);
    if (path.isEmpty())
        path = QStandardPaths::findExecutable(u"nats-server"_s, {u"/usr/sbin"_s, u"/usr/local/bin"_s});
    return path;
}

QString LocalServer::dataDir() const
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/local-server"_s;
}

QString LocalServer::storeDir() const
{
    return dataDir() + u"/store"_s;
}

QString LocalServer::logFile() const
{
    return dataDir() + u"/nats-server.log"_s;
}

bool LocalServer::isRunning() const
{
    return m_process && m_process->state() == QProcess::Running && !m_url.isEmpty();
}

QString LocalServer::log() const
{
    QFile file(logFile());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // The tail is what matters; a long-running server's log can be large.
    if (file.size() > 256 * 1024)
        file.seek(file.size() - 256 * 1024);
    return QString::fromUtf8(file.readAll());
}

void LocalServer::start()
{
    if (isRunning()) {
        Q_EMIT started(m_url);
        return;
    }
    if (m_process && m_process->state() != QProcess::NotRunning)
        return; // starting
    const QString program = executable();
    if (program.isEmpty()) {
        fail(tr("nats-server is not installed, so the local server cannot start. Install it with "
                "\"apt-get install nats-server\" (or put nats-server on PATH) and try again."));
        return;
    }
    QDir().mkpath(storeDir());
    // Old port files of earlier runs would point at dead servers.
    const QStringList oldPorts = QDir(dataDir()).entryList({u"nats-server_*.ports"_s}, QDir::Files);
    for (const QString &name : oldPorts)
        QFile::remove(dataDir() + u'/' + name);

    delete m_process;
    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments({u"-a"_s, u"127.0.0.1"_s, u"-p"_s, u"-1"_s, u"-js"_s, u"-sd"_s, storeDir(),
                             u"--ports_file_dir"_s, dataDir(), u"-l"_s, logFile()});
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        if (m_url.isEmpty())
            fail(tr("nats-server could not start: %1").arg(m_process->errorString()));
    });
    connect(m_process, &QProcess::finished, this, [this](int code) {
        m_pollTimer->stop();
        if (m_url.isEmpty()) {
            fail(tr("nats-server exited at start (code %1). Its log: %2").arg(code).arg(log().right(1500)));
            return;
        }
        m_url.clear();
        Q_EMIT stopped();
    });
    m_url.clear();
    m_error.clear();
    m_polls = 0;
    m_process->start();
    m_pollTimer->start();
}

void LocalServer::checkPortsFile()
{
    if (!m_process)
        return;
    QFile file(dataDir() + u"/nats-server_%1.ports"_s.arg(m_process->processId()));
    if (file.open(QIODevice::ReadOnly)) {
        const QJsonArray urls = QJsonDocument::fromJson(file.readAll()).object().value("nats"_L1).toArray();
        if (!urls.isEmpty()) {
            m_pollTimer->stop();
            m_url = urls.first().toString();
            Q_EMIT started(m_url);
            return;
        }
    }
    if (++m_polls * kPollMs > kStartTimeoutMs) {
        m_pollTimer->stop();
        fail(tr("nats-server did not start listening within %1 s. Its log: %2")
                 .arg(kStartTimeoutMs / 1000)
                 .arg(log().right(1500)));
    }
}

void LocalServer::fail(const QString &message)
{
    m_error = message;
    Q_EMIT failed(message);
}

void LocalServer::stop()
{
    m_pollTimer->stop();
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->disconnect(this);
    m_process->terminate(); // SIGTERM: the server shuts JetStream down cleanly
    if (!m_process->waitForFinished(5000))
        m_process->kill();
    m_url.clear();
    Q_EMIT stopped();
}
