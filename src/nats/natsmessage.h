#pragma once

#include "natsheaders.h"

#include <QtCore/QByteArray>
#include <QtCore/QMetaType>

// A message as published or received: subject, optional reply subject, optional headers, payload.
// A plain value type; its members are implicitly shared, so passing it in signals is cheap.
class NatsMessage
{
public:
    NatsMessage() = default;
    // By value: a received message's parts are moved in, not counted once more.
    NatsMessage(QByteArray subject, QByteArray data, QByteArray replyTo = {});

    QByteArray subject() const { return m_subject; }
    void setSubject(const QByteArray &subject) { m_subject = subject; }
    QByteArray replyTo() const { return m_replyTo; }
    void setReplyTo(const QByteArray &replyTo) { m_replyTo = replyTo; }
    QByteArray data() const { return m_data; }
    void setData(const QByteArray &data) { m_data = data; }
    const NatsHeaders &headers() const { return m_headers; }
    NatsHeaders &headers() { return m_headers; }
    void setHeaders(const NatsHeaders &headers) { m_headers = headers; }
    bool hasHeaders() const { return !m_headers.isEmpty(); }

    // Status of a server-generated message (503 no responders, 100 heartbeat...), 0 when none.
    int status() const { return m_headers.status(); }

    bool operator==(const NatsMessage &other) const = default;

private:
    QByteArray m_subject;
    QByteArray m_replyTo;
    QByteArray m_data;
    NatsHeaders m_headers;
};

Q_DECLARE_METATYPE(NatsMessage)
