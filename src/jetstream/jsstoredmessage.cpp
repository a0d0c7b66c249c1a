#include "jsstoredmessage.h"

#include "jstimestamp.h"
#include "natsmessage.h"

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
    if (!headerBlock.isEmpty())
        (void)NatsHeaders::fromWire(headerBlock, &result.headers); // what can be read, as a delivery's
    *out = result;
    return true;
}

bool JsStoredMessage::fromDirectGet(const NatsMessage &reply, JsStoredMessage *out)
{
    const NatsHeaders &headers = reply.headers();
    // All four are required (as nats.go checks) — without them this is not a stored message.
    static const QByteArray required[] = {"Nats-Stream", "Nats-Subject", "Nats-Sequence", "Nats-Time-Stamp"};
    static const QByteArray &streamKey = required[0];
    static const QByteArray &subjectKey = required[1];
    static const QByteArray &sequenceKey = required[2];
    static const QByteArray &timeKey = required[3];
    for (const QByteArray &name : required) {
        if (!headers.contains(name))
            return false;
    }
    JsStoredMessage result;
    result.stream = headers.value(streamKey);
    result.subject = headers.value(subjectKey);
    bool ok = false;
    result.sequence = headers.value(sequenceKey).toULongLong(&ok);
    if (!ok)
        return false;
    result.time = JsTimestamp::parse(QString::fromLatin1(headers.value(timeKey)));
    result.data = reply.data();
    // What DIRECT.GET adds about the get itself (a batch adds pending and last-sequence counts) is not
    // the message's. The block is shared and filtered in one pass: no entry appended one by one.
    result.headers = headers;
    result.headers.setStatus(0);
    result.headers.removeKeys({"Nats-Stream", "Nats-Subject", "Nats-Sequence", "Nats-Time-Stamp", "Nats-Num-Pending",
                               "Nats-Last-Sequence", "Nats-UpTo-Sequence"});
    *out = std::move(result);
    return true;
}

bool JsStoredMessage::isFromStream(QStringView streamName) const
{
    return QAnyStringView::equal(QUtf8StringView(stream), streamName);
}
