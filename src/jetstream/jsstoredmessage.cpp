#include "jsstoredmessage.h"

#include "jstimestamp.h"
#include "natsmessage.h"

#include <algorithm>

using namespace Qt::StringLiterals;

bool JsStoredMessage::fromMessageGet(const QJsonObject &message, JsStoredMessage *out)
{
    if (!message.contains("seq"_L1) || !message.contains("subject"_L1))
        return false;
    JsStoredMessage result;
    result.subject = message.value("subject"_L1).toString().toUtf8();
    result.sequence = quint64(message.value("seq"_L1).toInteger());
    result.time = JsTimestamp::parse(message.value("time"_L1).toString());
    result.data = QByteArray::fromBase64(message.value("data"_L1).toString().toLatin1());
    const QByteArray headerBlock = QByteArray::fromBase64(message.value("hdrs"_L1).toString().toLatin1());
    if (!headerBlock.isEmpty() && !NatsHeaders::fromWire(headerBlock, &result.headers))
        return false;
    *out = result;
    return true;
}

bool JsStoredMessage::fromDirectGet(const NatsMessage &reply, JsStoredMessage *out)
{
    const NatsHeaders &headers = reply.headers();
    // All four are required (as nats.go checks) — without them this is not a stored message.
    static const QByteArray required[] = {"Nats-Stream", "Nats-Subject", "Nats-Sequence", "Nats-Time-Stamp"};
    for (const QByteArray &name : required) {
        if (!headers.contains(name))
            return false;
    }
    JsStoredMessage result;
    result.subject = headers.value("Nats-Subject");
    bool ok = false;
    result.sequence = headers.value("Nats-Sequence").toULongLong(&ok);
    if (!ok)
        return false;
    result.time = JsTimestamp::parse(QString::fromLatin1(headers.value("Nats-Time-Stamp")));
    result.data = reply.data();
    // What DIRECT.GET adds about the get itself (a batch adds pending and last-sequence counts) is not
    // the message's.
    static const QByteArray added[] = {"Nats-Stream",      "Nats-Subject",       "Nats-Sequence",     "Nats-Time-Stamp",
                                       "Nats-Num-Pending", "Nats-Last-Sequence", "Nats-UpTo-Sequence"};
    for (const NatsHeaders::Entry &entry : headers.entries()) {
        if (std::find(std::begin(added), std::end(added), entry.first) == std::end(added))
            result.headers.append(entry.first, entry.second);
    }
    *out = result;
    return true;
}
