#include "kvclient.h"

#include "jetstreamcontext.h"
#include "kvcontext.h"
#include "natsconnection.h"

KvClient::KvClient(QObject *parent)
    : QObject(parent)
    , m_connection(new NatsConnection(this))
    , m_jetStream(new JetStreamContext(m_connection, this))
    , m_kv(new KvContext(m_jetStream, this))
{
    connect(m_connection, &NatsConnection::connected, this, &KvClient::ready);
    connect(m_connection, &NatsConnection::closed, this, [this] {
        // close() by the owner is no failure; a connection that gave up is.
        if (m_connection->lastError().isError())
            Q_EMIT failed(m_connection->lastError());
    });
}

KvClient::~KvClient() = default;

void KvClient::open(const KvClientOptions &options)
{
    m_options = options;
    m_jetStream->setTimeout(options.requestTimeoutMs);
    if (!options.jetStreamApiPrefix.isEmpty())
        m_jetStream->setApiPrefix(options.jetStreamApiPrefix);
    else
        m_jetStream->setDomain(options.jetStreamDomain); // an empty domain is the default prefix
    m_connection->connectToServer(options.connection);
}

void KvClient::close()
{
    m_connection->close();
}

bool KvClient::isConnected() const
{
    return m_connection->isConnected();
}

NatsError::Code KvClient::error() const
{
    return m_connection->error();
}

QString KvClient::errorString() const
{
    return m_connection->errorString();
}

NatsError KvClient::errorInfo() const
{
    return m_connection->lastError();
}
