#include "clirunner.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

QString CliRunner::Result::describe() const
{
    return u"exit %1\n--- stdout:\n%2\n--- stderr:\n%3"_s.arg(exitCode).arg(QString::fromUtf8(out),
                                                                            QString::fromUtf8(err));
}

CliRunner::CliRunner()
{
    m_environment = QProcessEnvironment::systemEnvironment();
    const QStringList names = m_environment.keys();
    for (const QString &name : names) {
        if (name.startsWith("NATS_"_L1))
            m_environment.remove(name);
    }
    m_environment.insert(u"XDG_CONFIG_HOME"_s, m_config.path());
    m_environment.remove(u"QT_LOGGING_RULES"_s);
    m_environment.remove(u"QT_LOGGING_CONF"_s);
}

QString CliRunner::program()
{
    return QStringLiteral(KVDESK_CLI_PATH);
}

void CliRunner::writeContext(const QString &name, const QByteArray &json, bool select) const
{
    QDir().mkpath(m_config.filePath(u"nats/context"_s));
    QFile file(m_config.filePath(u"nats/context/"_s + name + u".json"_s));
    if (file.open(QIODevice::WriteOnly))
        file.write(json);
    if (select) {
        QFile selected(m_config.filePath(u"nats/context.txt"_s));
        if (selected.open(QIODevice::WriteOnly))
            selected.write(name.toUtf8() + '\n');
    }
}

CliRunner::Result CliRunner::run(const QStringList &arguments, const QByteArray &stdinData) const
{
    return runWithStdoutTo(arguments, {}, stdinData);
}

CliRunner::Result CliRunner::runWithStdoutTo(const QStringList &arguments, const QString &path,
                                             const QByteArray &stdinData) const
{
    QProcess process;
    process.setProcessEnvironment(m_environment);
    if (!path.isEmpty())
        process.setStandardOutputFile(path);
    process.start(program(), arguments);
    Result result;
    if (!process.waitForStarted(10000))
        return result;
    process.write(stdinData);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    return result;
}

CliRunner::Result CliRunner::runOnTerminal(const QStringList &arguments, const QByteArray &typed, bool stderrToo) const
{
    Result result;
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
        return result;
    const QByteArray slavePath = ::ptsname(master);
    // Held open here too, so what the child wrote stays readable after it exits.
    const int keepSlave = ::open(slavePath.constData(), O_RDWR | O_NOCTTY);
    // Typed ahead: the line discipline keeps it until the child reads its stdin.
    if (keepSlave < 0 || ::write(master, typed.constData(), size_t(typed.size())) != typed.size()) {
        ::close(master);
        return result;
    }
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.setChildProcessModifier([slavePath, stderrToo] {
        const int slave = ::open(slavePath.constData(), O_RDWR);
        if (slave >= 0) {
            ::dup2(slave, STDIN_FILENO);
            if (stderrToo)
                ::dup2(slave, STDERR_FILENO);
        }
    });
    process.start(program(), arguments);
    QByteArray terminal;
    const auto drain = [&terminal, master] {
        char buffer[4096];
        for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;)
            terminal.append(buffer, n);
    };
    for (int waited = 0; process.state() != QProcess::NotRunning && waited < 30000; waited += 20) {
        process.waitForFinished(20);
        drain();
    }
    drain();
    ::close(keepSlave);
    ::close(master);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = stderrToo ? terminal : process.readAllStandardError();
    return result;
}

CliRunner::Result CliRunner::runAnsweringPrompts(const QStringList &arguments,
                                                 const QList<QPair<QByteArray, QByteArray>> &prompts,
                                                 const std::function<void(qsizetype)> &atPrompt) const
{
    Result result;
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_NONBLOCK);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0)
        return result;
    const QByteArray slavePath = ::ptsname(master);
    const int keepSlave = ::open(slavePath.constData(), O_RDWR | O_NOCTTY);
    QProcess process;
    process.setProcessEnvironment(m_environment);
    process.setChildProcessModifier([slavePath] {
        const int slave = ::open(slavePath.constData(), O_RDWR);
        if (slave >= 0) {
            ::dup2(slave, STDIN_FILENO);
            ::dup2(slave, STDERR_FILENO);
        }
    });
    process.start(program(), arguments);
    QByteArray terminal;
    qsizetype answered = 0;   // prompts answered so far
    qsizetype searchFrom = 0; // where in terminal the next prompt may start
    for (int waited = 0; process.state() != QProcess::NotRunning && waited < 30000; waited += 20) {
        process.waitForFinished(20);
        char buffer[4096];
        for (ssize_t n; (n = ::read(master, buffer, sizeof buffer)) > 0;)
            terminal.append(buffer, n);
        if (answered >= prompts.size())
            continue;
        const qsizetype at = terminal.indexOf(prompts[answered].first, searchFrom);
        if (at < 0)
            continue;
        if (atPrompt)
            atPrompt(answered);
        const QByteArray typed = prompts[answered].second + '\n';
        if (::write(master, typed.constData(), size_t(typed.size())) != typed.size())
            break;
        searchFrom = at + prompts[answered].first.size();
        ++answered;
    }
    if (keepSlave >= 0)
        ::close(keepSlave);
    ::close(master);
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = process.readAllStandardOutput();
    result.err = terminal;
    return result;
}
