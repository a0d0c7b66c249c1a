#pragma once

#include "natsconnectoptions.h"
#include "natserror.h"

#include <QtCore/QObject>
#include <QtCore/QStringList>

class JetStreamContext;
class KvContext;
class NatsConnection;
class QCommandLineParser;

// Where and as whom kvdesk-cli connects, decided as natscli decides it: a flag wins, then its
// environment variable (NATS_URL, NATS_USER, ...), then the natscli context (--context, NATS_CONTEXT,
// or the one selected in context.txt), then the default nats://127.0.0.1:4222. Then it connects and
// hands out the JetStream and Key/Value contexts.
class CliConnection : public QObject
{
    Q_OBJECT

public:
    explicit CliConnection(QObject *parent = nullptr);
    ~CliConnection() override;

    static void addOptions(QCommandLineParser *parser);
    // Names of the global options that take a value (to find the subcommand among the arguments).
    static QStringList valueOptionNames();

    // Builds the options from flags, environment and context. On failure returns false and *error says
    // why; *usageError tells whether it was the command line (exit 2) or a context file (exit 1).
    bool configure(const QCommandLineParser &parser, QString *error, bool *usageError);
    const NatsConnectOptions &options() const { return m_options; }
    int timeoutMs() const { return m_timeoutMs; }
    // Whether --timeout (or NATS_TIMEOUT) was given.
    bool timeoutGiven() const { return m_timeoutGiven; }
    // A longer timeout for JetStream requests only (the connect timeout stays), set before open().
    void setRequestTimeout(int milliseconds);

    // Connects; ready() or failed() follows.
    void open();
    NatsConnection *connection() const { return m_connection; }
    KvContext *kv() const { return m_kv; }

Q_SIGNALS:
    void ready();
    void failed(const NatsError &error);

private:
    bool loadContext(const QCommandLineParser &parser, QString *error);
    QString setting(const QCommandLineParser &parser, const QString &option, const char *environment) const;

    NatsConnectOptions m_options;
    QString m_domain;
    QString m_apiPrefix;
    int m_timeoutMs = 5000;
    int m_requestTimeoutMs = 5000;
    bool m_timeoutGiven = false;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_jetStream = nullptr;
    KvContext *m_kv = nullptr;
};
