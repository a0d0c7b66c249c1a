#include "natsmessage.h"

NatsMessage::NatsMessage(const QByteArray &subject, const QByteArray &data, const QByteArray &replyTo)
    : m_subject(subject)
    , m_replyTo(replyTo)
    , m_data(data)
{
}
