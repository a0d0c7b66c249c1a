#pragma once

#include "kvclientoptions.h"
#include "natserror.h"

#include <QtCore/QObject>

class JetStreamContext;
class KvContext;
class NatsConnection;

// One client of a NATS server for Key/Value work: the NatsConnection, the JetStreamContext on it and the
// KvContext on that, built once from KvClientOptions. The app's session, kvdesk-cli, the benchmarks and
// the tests all connect through it. The three objects exist from construction (so signals can be wired
// before open()) and are children of the client.
class KvClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvClient)

public:
    explicit KvClient(QObject *parent = nullptr);
    ~KvClient() override;

    // Applies the JetStream settings and starts connecting; ready() or failed() follows.
    void open(const KvClientOptions &options);
    // Closes the connection at once (pending replies fail with ConnectionClosed).
    void close();
    const KvClientOptions &options() const { return m_options; }

    NatsConnection *connection() const { return m_connection; }
    JetStreamContext *jetStream() const { return m_jetStream; }
    KvContext *kv() const { return m_kv; }
    bool isConnected() const;

    // The connection's last error (NoError while all is well).
    NatsError::Code error() const;
    QString errorString() const;
    NatsError errorInfo() const;

Q_SIGNALS:
    // The first connect succeeded (reconnects are NatsConnection::reconnected()).
    void ready();
    // The connection closed because of an error: the first connect failed, or reconnecting gave up.
    void failed(const NatsError &error);

private:
    KvClientOptions m_options;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_jetStream = nullptr;
    KvContext *m_kv = nullptr;
};
