#include "benchsupport.h"

#include "kvclient.h"
#include "natsreply.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDeadlineTimer>
#include <QtCore/QEventLoop>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QStandardPaths>
#include <QtCore/QTextStream>
#include <QtCore/QThread>

#include <csignal>

#ifdef Q_OS_LINUX
#include <sys/prctl.h>
#endif

using namespace Qt::StringLiterals;

namespace Bench {

namespace {

void complain(const QString &message)
{
    QTextStream(stderr) << QCoreApplication::applicationName() << ": " << message << Qt::endl;
}

} // namespace

void fail(const QString &message)
{
    complain(message);
    std::exit(1);
}

std::unique_ptr<KvClient> connect(const KvClientOptions &options)
{
    auto client = std::make_unique<KvClient>();
    QEventLoop loop;
    QObject::connect(client.get(), &KvClient::ready, &loop, &QEventLoop::quit);
    QObject::connect(client.get(), &KvClient::failed, &loop, &QEventLoop::quit);
    client->open(options);
    loop.exec();
    if (!client->isConnected())
        fail(u"cannot connect to %1: %2"_s.arg(options.connection.serversText, client->errorString()));
    return client;
}

bool wait(NatsReply *reply)
{
    if (!reply->isFinished()) {
        QEventLoop loop;
        QObject::connect(reply, &NatsReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const bool ok = reply->error() == NatsError::NoError;
    if (!ok)
        complain(reply->errorString());
    reply->deleteLater();
    return ok;
}

void pipeline(qint64 count, int window, const std::function<NatsReply *(qint64 index)> &call,
              const std::function<void(NatsReply *reply)> &finished)
{
    qint64 started = 0;
    qint64 done = 0;
    QEventLoop loop;
    std::function<void()> startOne = [&] {
        NatsReply *reply = call(started++);
        QObject::connect(reply, &NatsReply::finished, &loop, [&, reply] {
            finished(reply);
            reply->deleteLater();
            if (++done == count)
                loop.quit();
            else if (started < count)
                startOne();
        });
    };
    for (int i = 0; i < window && started < count; ++i)
        startOne();
    if (count > 0)
        loop.exec();
}

} // namespace Bench

BenchServer::~BenchServer()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString BenchServer::start(const QByteArray &config)
{
    const QString name = qEnvironmentVariable("KVDESK_NATS_SERVER", u"nats-server"_s);
    QString program = QStandardPaths::findExecutable(name);
    if (program.isEmpty()) // Debian puts it in /usr/sbin, off a normal user's PATH
        program = QStandardPaths::findExecutable(name, {u"/usr/sbin"_s, u"/usr/local/sbin"_s});
    if (program.isEmpty())
        Bench::fail(u"nats-server not found on PATH (or set KVDESK_NATS_SERVER, or pass --server)"_s);
    if (!m_dir.isValid())
        Bench::fail(u"cannot create a temporary directory"_s);
    m_process.setProgram(program);
    m_process.setArguments({u"-a"_s, u"127.0.0.1"_s, u"-p"_s, u"-1"_s, u"-js"_s, u"-sd"_s, m_dir.filePath(u"store"_s),
                            u"--ports_file_dir"_s, m_dir.path()});
    if (!config.isEmpty()) {
        QFile file(m_dir.filePath(u"server.conf"_s));
        if (!file.open(QIODevice::WriteOnly) || file.write(config) != config.size())
            Bench::fail(u"cannot write %1"_s.arg(file.fileName()));
        m_process.setArguments(m_process.arguments() << u"-c"_s << file.fileName());
    }
    m_process.setStandardOutputFile(m_dir.filePath(u"server.log"_s));
    m_process.setStandardErrorFile(m_dir.filePath(u"server.log"_s));
#ifdef Q_OS_LINUX
    // fail() exits without unwinding: the server must not outlive us.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
#endif
    m_process.start();
    if (!m_process.waitForStarted(10000))
        Bench::fail(u"cannot start %1: %2"_s.arg(program, m_process.errorString()));

    // The server writes nats-server_<pid>.ports once it listens (within tens of ms).
    const QString portsFile = m_dir.filePath(u"nats-server_%1.ports"_s.arg(m_process.processId()));
    const QDeadlineTimer deadline(10000);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        QFile file(portsFile);
        if (file.open(QIODevice::ReadOnly)) {
            const QJsonArray urls = QJsonDocument::fromJson(file.readAll()).object().value("nats"_L1).toArray();
            if (!urls.isEmpty())
                return urls.first().toString();
        }
        QThread::msleep(5); // a benchmark's set-up, not a test: polling a file is fine here
    }
    Bench::fail(u"nats-server did not report its port"_s);
}
