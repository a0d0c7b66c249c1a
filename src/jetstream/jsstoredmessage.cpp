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
    if (!headerBlock.isEmpty())
        (void)NatsHeaders::fromWire(headerBlock, &result.headers); // what can be read, as a delivery's
    *out = result;
    return true;
}

namespace {
const QByteArray kStreamKey = "Nats-Stream"_ba;
const QByteArray kSubjectKey = "Nats-Subject"_ba;
const QByteArray kSequenceKey = "Nats-Sequence"_ba;
const QByteArray kTimeKey = "Nats-Time-Stamp"_ba;

// Whether key is one of the headers DIRECT.GET adds about the get (a batch adds the last three).
bool isAddedByGet(const QByteArray &key)
{
    return key == kStreamKey || key == kSubjectKey || key == kSequenceKey || key == kTimeKey
        || key == "Nats-Num-Pending"_ba || key == "Nats-Last-Sequence"_ba || key == "Nats-UpTo-Sequence"_ba;
}

// The stored message's own headers: the reply's without those the get added, which begin at added.
NatsHeaders messageHeaders(const NatsHeaders &headers, qsizetype added)
{
    const QList<NatsHeaders::Entry> entries = headers.entries();
    const bool republished = std::any_of(entries.cbegin(), entries.cbegin() + added,
                                         [](const NatsHeaders::Entry &entry) { return isAddedByGet(entry.first); });
    if (!republished) {
        // The usual case: the block is shared and filtered in one pass, no entry appended one by one.
        NatsHeaders own = headers;
        own.setStatus(0);
        own.removeKeys({kStreamKey, kSubjectKey, kSequenceKey, kTimeKey, "Nats-Num-Pending", "Nats-Last-Sequence",
                        "Nats-UpTo-Sequence"});
        return own;
    }
    NatsHeaders own;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        if (i < added || !isAddedByGet(entries.at(i).first))
            own.append(entries.at(i).first, entries.at(i).second);
    }
    return own;
}
} // namespace

bool JsStoredMessage::fromDirectGet(const NatsMessage &reply, JsStoredMessage *out)
{
    const QList<NatsHeaders::Entry> entries = reply.headers().entries();
    // The server appends what it says about the get after the stored message's own headers, Nats-Stream
    // first (then -Subject, -Sequence, -Time-Stamp, and in a batch -Num-Pending, -Last-Sequence...). A
    // message republished into this stream from another one has that stream's Nats-Stream, -Subject,
    // -Sequence (2.10+: -Time-Stamp) and -Last-Sequence as headers of its own, before them: the get's
    // are the ones from the last Nats-Stream on, and the earlier ones stay the message's.
    qsizetype added = entries.size() - 1;
    while (added >= 0 && entries.at(added).first != kStreamKey)
        --added;
    if (added < 0)
        return false;
    const QByteArray *subject = nullptr;
    const QByteArray *sequence = nullptr;
    const QByteArray *time = nullptr;
    for (qsizetype i = added + 1; i < entries.size(); ++i) {
        const NatsHeaders::Entry &entry = entries.at(i);
        if (entry.first == kSubjectKey)
            subject = &entry.second;
        else if (entry.first == kSequenceKey)
            sequence = &entry.second;
        else if (entry.first == kTimeKey)
            time = &entry.second;
    }
    // All four are required (as nats.go checks) — without them this is not a stored message.
    if (!subject || !sequence || !time)
        return false;
    JsStoredMessage result;
    result.stream = entries.at(added).second;
    result.subject = *subject;
    bool ok = false;
    result.sequence = sequence->toULongLong(&ok);
    if (!ok)
        return false;
    result.time = JsTimestamp::parse(QString::fromLatin1(*time));
    result.data = reply.data();
    result.headers = messageHeaders(reply.headers(), added);
    *out = std::move(result);
    return true;
}

bool JsStoredMessage::isFromStream(QStringView streamName) const
{
    return QAnyStringView::equal(QUtf8StringView(stream), streamName);
}
