#include "clioutput.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>

#include <cerrno>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kFlushThreshold = 64 * 1024;

// All of bytes to fd, through short writes and signals; 0, or the errno of the write that failed.
int writeAll(int fd, const QByteArray &bytes)
{
    const char *data = bytes.constData();
    qsizetype left = bytes.size();
    while (left > 0) {
        const ssize_t written = ::write(fd, data, size_t(left));
        if (written < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        data += written;
        left -= written;
    }
    return 0;
}

} // namespace

CliOutput::CliOutput() = default;

CliOutput::~CliOutput()
{
    flush();
}

void CliOutput::write(const QByteArray &bytes)
{
    if (m_stdoutErrno != 0)
        return;
    m_buffer.append(bytes);
    flushIfFull();
}

void CliOutput::flushIfFull()
{
    if (m_buffer.size() >= kFlushThreshold)
        flush();
}

void CliOutput::printJson(const QJsonObject &object)
{
    write(QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n');
}

void CliOutput::flush()
{
    if (m_buffer.isEmpty())
        return;
    writeStdout(m_buffer);
    m_buffer.resize(0); // keeps its capacity for the next batch
}

void CliOutput::writeStdout(const QByteArray &bytes)
{
    if (m_stdoutErrno != 0)
        return; // the command is ending: nothing more can reach the reader
    m_stdoutErrno = writeAll(STDOUT_FILENO, bytes);
    if (m_stdoutErrno == 0)
        m_stdoutWritten += bytes.size();
    if (m_stdoutErrno != 0 && m_stdoutFailed)
        m_stdoutFailed();
}

void CliOutput::writeStderr(const QByteArray &bytes)
{
    writeAll(STDERR_FILENO, bytes); // where else would its failure be told?
}

bool CliOutput::stdoutReaderLeft() const
{
    return m_stdoutErrno == EPIPE;
}

QString CliOutput::stdoutErrorString() const
{
    return QCoreApplication::translate("CliOutput", "cannot write to standard output: %1")
        .arg(qt_error_string(m_stdoutErrno));
}

void CliOutput::error(const QString &message)
{
    flush();
    endProgress();
    writeStderr("kvdesk-cli: error: " + message.toUtf8() + '\n');
}

void CliOutput::note(const QString &message)
{
    endProgress();
    writeStderr(message.toUtf8() + '\n');
}

void CliOutput::progress(const QString &text)
{
    if (!stderrIsTerminal())
        return;
    writeStderr("\r\x1b[K" + text.toUtf8());
    m_progressShown = true;
}

void CliOutput::endProgress()
{
    if (!m_progressShown)
        return;
    writeStderr("\n");
    m_progressShown = false;
}

CliOutput::Answer CliOutput::confirm(const QString &question)
{
    if (!stdinIsTerminal())
        return Answer::NoTerminal;
    flush();
    writeStderr(question.toUtf8() + " [y/N] ");
    char line[256] = {};
    if (!std::fgets(line, sizeof line, stdin))
        return Answer::No;
    const QString answer = QString::fromLocal8Bit(line).trimmed().toLower();
    return answer == "y"_L1 || answer == "yes"_L1 ? Answer::Yes : Answer::No;
}

bool CliOutput::stdinIsTerminal()
{
    return ::isatty(STDIN_FILENO) == 1;
}

bool CliOutput::stderrIsTerminal()
{
    return ::isatty(STDERR_FILENO) == 1;
}
