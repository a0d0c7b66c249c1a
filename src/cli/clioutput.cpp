#include "clioutput.h"

#include <QtCore/QJsonDocument>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kFlushThreshold = 64 * 1024;

} // namespace

CliOutput::CliOutput()
{
    // Unbuffered: this class buffers stdout itself and decides when it goes out.
    m_stdout.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered);
    m_stderr.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered);
}

CliOutput::~CliOutput()
{
    flush();
}

void CliOutput::write(const QByteArray &bytes)
{
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
    m_stdout.write(m_buffer);
    m_buffer.resize(0); // keeps its capacity for the next batch
}

void CliOutput::error(const QString &message)
{
    flush();
    endProgress();
    m_stderr.write("kvdesk-cli: error: " + message.toUtf8() + '\n');
}

void CliOutput::note(const QString &message)
{
    endProgress();
    m_stderr.write(message.toUtf8() + '\n');
}

void CliOutput::progress(const QString &text)
{
    if (!stderrIsTerminal())
        return;
    m_stderr.write("\r\x1b[K" + text.toUtf8());
    m_progressShown = true;
}

void CliOutput::endProgress()
{
    if (!m_progressShown)
        return;
    m_stderr.write("\n");
    m_progressShown = false;
}

CliOutput::Answer CliOutput::confirm(const QString &question)
{
    if (!stdinIsTerminal())
        return Answer::NoTerminal;
    flush();
    m_stderr.write(question.toUtf8() + " [y/N] ");
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
