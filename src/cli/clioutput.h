#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

// kvdesk-cli's three streams: data to stdout (buffered, flushed at batch ends so a million-key listing
// streams without piling up), one-line errors and notes to stderr, and confirmations read from stdin.
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

    static bool stdinIsTerminal();
    static bool stderrIsTerminal();

private:
    QFile m_stdout;
    QFile m_stderr;
    QByteArray m_buffer;
    bool m_json = false;
    bool m_progressShown = false;
};
