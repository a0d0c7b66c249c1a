#pragma once

#include "clioutput.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

#include <memory>

class CliCommand;
class KvClient;
class NatsConnection;
class QCommandLineParser;
struct KvClientOptions;

// kvdesk-cli's dispatcher: finds the subcommand among the arguments (global options may come before or
// after it, and natscli's "kv" word in front is accepted), parses its options with a QCommandLineParser
// of its own, asks for confirmation where needed, connects, runs the command in the event loop, and
// returns the exit status: 0 success, 1 the operation failed, 2 the command line was wrong.
class CliApplication : public QObject
{
    Q_OBJECT

public:
    explicit CliApplication(QObject *parent = nullptr);
    ~CliApplication() override;

    // arguments as QCoreApplication has them; given: the same as the bytes of argv, to refuse what is not
    // UTF-8 (empty: not checked).
    int run(const QStringList &arguments, const QList<QByteArray> &given = {});

    // Every subcommand, in help order (parented to parent).
    static QList<CliCommand *> commands(QObject *parent);

private:
    int runCommand(const QStringList &arguments);
    bool refusedArgumentNotUtf8(const QList<QByteArray> &given);
    int usageError(const QString &message);
    void reportConnectionChanges(NatsConnection *connection, QObject *context);
    QString generalHelp() const;
    QString commandHelp(const CliCommand *command, QCommandLineParser &parser) const;
    CliCommand *findCommand(const QString &name);
    static qsizetype commandIndex(const QStringList &arguments);
    static QString parseErrorText(const QCommandLineParser &parser, const QStringList &args, const QString &command);
    int execute(CliCommand *command, QCommandLineParser &parser);
    // Connects, checks the user's permissions for the command (2.10+), runs it; its exit code.
    int connectAndRun(CliCommand *command, const KvClientOptions &options, const QStringList &positional);
    void closeSettled(KvClient &client);

    CliOutput m_out;
};
