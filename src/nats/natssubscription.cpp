#include "natssubscription.h"

#include "natsconnection.h"

NatsSubscription::NatsSubscription(NatsConnection *connection, quint64 sid, const QByteArray &subject,
                                   const QByteArray &queue)
    : QObject(connection)
    , m_connection(connection)
    , m_subject(subject)
    , m_queueGroup(queue)
    , m_sid(sid)
{
}

NatsSubscription::~NatsSubscription()
{
    if (m_active && m_connection)
        m_connection->removeSubscription(m_sid, true);
}

void NatsSubscription::unsubscribe()
{
    if (!m_active)
        return;
    if (m_connection)
        m_connection->removeSubscription(m_sid, true);
    deactivate();
}

void NatsSubscription::autoUnsubscribe(quint64 maxMessages)
{
    if (!m_active || maxMessages == 0)
        return;
    m_maxMessages = maxMessages;
    if (m_received >= maxMessages) {
        unsubscribe();
        return;
    }
    if (m_connection)
        m_connection->sendAutoUnsubscribe(m_sid, maxMessages);
}

void NatsSubscription::deliver(const NatsMessage &message)
{
    if (!m_active)
        return;
    ++m_received;
    const bool last = m_maxMessages > 0 && m_received >= m_maxMessages;
    if (!last) {
        Q_EMIT messageReceived(message);
        return;
    }
    if (m_connection)
        m_connection->removeSubscription(m_sid, false); // the server already dropped it
    const QPointer<NatsSubscription> guard(this);       // only here: a QPointer is two atomic counts a message
    Q_EMIT messageReceived(message);
    if (guard)
        deactivate();
}

void NatsSubscription::deactivate()
{
    if (!m_active)
        return;
    m_active = false;
    Q_EMIT unsubscribed();
}

void NatsSubscription::fail(const NatsError &error)
{
    m_error = error;
    Q_EMIT errorOccurred(error.code());
}
