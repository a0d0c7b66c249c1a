#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

#include <functional>

// kvdesk-cli's three streams: data to stdout (buffered, flushed at batch ends so a million-key listing
// streams without piling up), one-line errors and notes to stderr, and confirmations read from stdin.
// Written with write(2) on the descriptors: nothing to set up for a one-shot command, and the reason a
// write failed is known. Once stdout cannot be written, what follows for it is dropped and the command
// must end in failure (see stdoutFailed()).
class CliOutput final
{
public:
    enum class Answer {
        Yes,
        No,
        NoTerminal
    };

    CliOutput();
    ~CliOutput();
    Q_DISABLE_COPY_MOVE(CliOutput)

    void setJson(bool json) { m_json = json; }
    bool json() const { return m_json; }

    // Data on stdout.
    void write(const QByteArray &bytes);
    void print(const QString &text) { write(text.toUtf8()); }
    void printLine(const QString &text) { write(text.toUtf8() + '\n'); }
    // One compact JSON object and a newline (one NDJSON record).
    void printJson(const QJsonObject &object);
    void flush();
    // The bytes buffered for stdout, to append lines to without a temporary each; flushIfFull() after.
    QByteArray *pending() { return &m_buffer; }
    void flushIfFull();

    // "kvdesk-cli: error: <message>" on stderr.
    void error(const QString &message);
    // A plain line on stderr (notes, summaries, declined confirmations).
    void note(const QString &message);
    // A progress line redrawn in place on stderr, only when stderr is a terminal.
    void progress(const QString &text);
    void endProgress();

    // Asks "question [y/N]" on stderr and reads the answer from stdin; NoTerminal when stdin is not a
    // terminal (a script must pass -f instead of piping "y").
    Answer confirm(const QString &question);

    // A write to stdout failed (a full disk, a reader that has gone); the handler, if set, is called once
    // when it happens, so that a command that streams can stop.
    bool stdoutFailed() const { return m_stdoutErrno != 0; }
    // The reader of a pipe went away (`| head`): the command ends, but it is no error to report.
    bool stdoutReaderLeft() const;
    // "cannot write to standard output: <reason>".
    QString stdoutErrorString() const;
    void setStdoutFailedHandler(std::function<void()> handler) { m_stdoutFailed = std::move(handler); }
    // Bytes that reached stdout so far (a reader that reads slowly holds the command up, which is no stall).
    qint64 stdoutWritten() const { return m_stdoutWritten; }

    static bool stdinIsTerminal();
    static bool stderrIsTerminal();

private:
    void writeStdout(const QByteArray &bytes);
    static void writeStderr(const QByteArray &bytes);

    QByteArray m_buffer;
    int m_stdoutErrno = 0;
    qint64 m_stdoutWritten = 0;
    std::function<void()> m_stdoutFailed;
    bool m_json = false;
    bool m_progressShown = false;
};
