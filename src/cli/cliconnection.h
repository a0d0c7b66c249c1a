#pragma once

#include "kvclientoptions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

class QCommandLineParser;

// Where and as whom kvdesk-cli connects, decided as natscli decides it: a flag wins, then its
// environment variable (NATS_URL, NATS_USER, ...), then the natscli context (--context, NATS_CONTEXT,
// or the one selected in context.txt), then the default nats://127.0.0.1:4222. Secrets can stay off the
// command line (which ps shows): files (--password-file, --tlskey-password-file), the environment, or a
// prompt on the terminal. The result is the KvClientOptions the command's KvClient connects with.
class CliConnection
{
    Q_DECLARE_TR_FUNCTIONS(CliConnection)

public:
    static void addOptions(QCommandLineParser *parser);
    // Names of the global options that take a value (to find the subcommand among the arguments).
    static QStringList valueOptionNames();

    // Whether connection carries anything to authenticate with (a user, token, NKEY, credentials, a
    // client certificate): a server's refusal without any means it wants some, not other ones.
    static bool givesCredentials(const NatsConnectOptions &connection);

    // Builds the options from flags, environment and context. On failure returns false and *error says
    // why; *usageError tells whether it was the command line (exit 2) or a context file (exit 1).
    bool configure(const QCommandLineParser &parser, QString *error, bool *usageError);
    const KvClientOptions &options() const { return m_options; }
    int timeoutMs() const { return m_timeoutMs; }
    // Whether --timeout (or NATS_TIMEOUT) was given.
    bool timeoutGiven() const { return m_timeoutGiven; }
    // A longer timeout for requests only (the connect timeout stays).
    void setRequestTimeout(int milliseconds);

private:
    bool loadContext(const QCommandLineParser &parser, QString *error);
    bool configureCredentials(const QCommandLineParser &parser, QString *error);
    bool configurePassword(const QCommandLineParser &parser, QString *error);
    bool checkPasswordHasUser(const QCommandLineParser &parser, bool urlCredentials, QString *error) const;
    bool configureTls(const QCommandLineParser &parser, QString *error);
    bool checkReadable(const QCommandLineParser &parser, const QString &option, const char *environment,
                       QString *error) const;
    bool configureTimeout(const QCommandLineParser &parser, QString *error);
    QString setting(const QCommandLineParser &parser, const QString &option, const char *environment) const;
    // "--option" or the environment variable's name: where setting() found its value (else inContext).
    static QString source(const QCommandLineParser &parser, const QString &option, const char *environment,
                          const QString &inContext = {});

    KvClientOptions m_options;
    int m_timeoutMs = 5000;
    bool m_timeoutGiven = false;
};
