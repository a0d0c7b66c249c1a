#include "natsmessage.h"

NatsMessage::NatsMessage(QByteArray subject, QByteArray data, QByteArray replyTo)
    : m_subject(std::move(subject))
    , m_replyTo(std::move(replyTo))
    , m_data(std::move(data))
{
}
