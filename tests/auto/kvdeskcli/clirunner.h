#pragma once

#include <functional>

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QProcessEnvironment>
#include <QtCore/QStringList>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

// Runs a CLI call (a CliRunner::Result expression) into result, and fails the test naming its output
// when the exit code is not the expected one.
#define CLI_EXPECT(result, expression, code)                                                                           \
    const CliRunner::Result result = (expression);                                                                     \
    QVERIFY2(result.exitCode == (code), qPrintable(result.describe()))

// Runs the kvdesk-cli binary the way a user's shell would, with a clean environment: no NATS_* variables
// and an empty XDG_CONFIG_HOME of its own, so no natscli context of the machine leaks in.
class CliRunner
{
public:
    struct Result
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
        QString describe() const; // for failure messages
    };

    CliRunner();

    static QString program();
    QString configHome() const { return m_config.path(); }
    QProcessEnvironment environment() const { return m_environment; }
    void setEnvironment(const QString &name, const QString &value) { m_environment.insert(name, value); }
    // Writes a natscli context file (and selects it when select is true).
    void writeContext(const QString &name, const QByteArray &json, bool select = false) const;

    // Runs kvdesk-cli with arguments; stdinData is written and stdin closed (so stdin is a pipe, not a
    // terminal). Waits up to 30 s.
    Result run(const QStringList &arguments, const QByteArray &stdinData = {}) const;
    // The same with stdout written to the file at path (e.g. /dev/full); out stays empty.
    Result runWithStdoutTo(const QStringList &arguments, const QString &path, const QByteArray &stdinData = {}) const;
    // The same with stdin on a pseudo terminal that has already received input (for confirmations).
    // With stderrToo, stderr goes to the terminal as well and err holds what the terminal showed.
    Result runOnTerminal(const QStringList &arguments, const QByteArray &typed, bool stderrToo = false) const;
    // With stdin and stderr on a pseudo terminal, answers each prompt in turn as a user would: waits
    // until the terminal shows it, then types its answer and Enter. err holds what the terminal showed
    // (the answers only if they were echoed).
    // atPrompt(i), if given, runs once prompt i is shown, before it is answered (another writer, say).
    Result runAnsweringPrompts(const QStringList &arguments, const QList<QPair<QByteArray, QByteArray>> &prompts,
                               const std::function<void(qsizetype)> &atPrompt = {}) const;

private:
    QTemporaryDir m_config;
    QProcessEnvironment m_environment;
};
