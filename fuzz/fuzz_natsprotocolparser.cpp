#include "fuzzsupport.h"

#include "jsdeliveryinfo.h"
#include "jsstoredmessage.h"
#include "kventry.h"
#include "natserror.h"
#include "natsheaders.h"
#include "natsmessage.h"
#include "natsprotocolparser.h"
#include "natsserverinfo.h"

#include <QtCore/QList>

#include <algorithm>

// NatsProtocolParser on what a server sends, split at arbitrary points, then each operation through what
// NatsConnection does with it next (INFO JSON, -ERR text, HMSG header blocks, DIRECT.GET replies, KV
// entries' headers, JetStream ack subjects).
//
// Input: byte 0 picks the parser's limits (bit 7: a control line of 8..128 bytes, bit 6: payloads of
// 0..96 bytes, so both caps are reached with short inputs; "0" keeps the defaults), byte 1 seeds the
// chunk sizes (0: all at once), the rest is the server's bytes. The seeds start "0a", "07"...
//
// Properties: the operations and the final error are the same however the bytes are split (compared with
// feeding them all at once), and between reads the parser never holds more than one control line or one
// message (its memory is bounded by the limits, whatever the server sends).

namespace {

using Op = NatsProtocolParser::Op;

struct Limits
{
    qsizetype controlLine = NatsProtocolParser::DefaultMaxControlLine;
    qsizetype payload = NatsProtocolParser::DefaultMaxPayload;
};

struct Result
{
    QList<Op> ops;
    bool error = false;
    QString errorString;
};

bool sameOp(const Op &a, const Op &b)
{
    return a.type == b.type && a.subject == b.subject && a.replyTo == b.replyTo && a.sid == b.sid
        && a.hasHeaders == b.hasHeaders && a.headers == b.headers && a.payload == b.payload && a.text == b.text;
}

// Sizes from 1 to 2^(seed % 8), from a xorshift generator seeded by the input.
class ChunkSizes
{
public:
    explicit ChunkSizes(quint8 seed)
        : m_state(seed * 2654435761u | 1)
        , m_max(quint32(1) << (seed % 8))
    {
    }
    qsizetype next()
    {
        m_state ^= m_state << 13;
        m_state ^= m_state >> 17;
        m_state ^= m_state << 5;
        return 1 + qsizetype(m_state % m_max);
    }

private:
    quint32 m_state;
    quint32 m_max;
};

Result parse(const QByteArray &stream, const Limits &limits, quint8 chunkSeed)
{
    NatsProtocolParser parser;
    parser.setMaxControlLine(limits.controlLine);
    parser.setMaxPayload(limits.payload);
    ChunkSizes sizes(chunkSeed);
    Result result;
    qsizetype pos = 0;
    while (pos < stream.size()) {
        const qsizetype chunk = chunkSeed == 0 ? stream.size() : sizes.next();
        parser.feed(stream.mid(pos, chunk));
        pos += chunk;
        Op op;
        while (parser.next(&op))
            result.ops.append(op);
        // What is left is at most an unfinished control line, or the rest of one message and its CRLF.
        FUZZ_CHECK(parser.bufferedBytes() <= std::max(limits.controlLine, limits.payload + 1));
        FUZZ_CHECK(!parser.hasError() || parser.bufferedBytes() == 0);
    }
    result.error = parser.hasError();
    result.errorString = parser.errorString();
    return result;
}

// What the connection and the layers above do with an operation.
void handle(const Op &op)
{
    switch (op.type) {
    case NatsProtocolParser::OpType::Info: {
        bool ok = false;
        const NatsServerInfo info = NatsServerInfo::fromJson(op.text, &ok);
        Q_UNUSED(info);
        break;
    }
    case NatsProtocolParser::OpType::Err:
        NatsError::fromServerText(op.text);
        break;
    case NatsProtocolParser::OpType::Msg: {
        NatsMessage message(op.subject, op.payload, op.replyTo);
        if (op.hasHeaders) {
            NatsHeaders headers;
            if (!NatsHeaders::fromWire(op.headers, &headers))
                break;
            message.setHeaders(headers);
        }
        JsStoredMessage stored;
        if (JsStoredMessage::fromDirectGet(message, &stored)) {
            const KvEntry entry = KvEntry::fromStoredMessage(QStringLiteral("B"), QString::fromUtf8(stored.subject),
                                                             stored);
            FUZZ_CHECK(entry.revision == stored.sequence);
        }
        KvEntry entry;
        entry.readHeaders(message.headers());
        entry.expires();
        JsDeliveryInfo delivery;
        if (JsDeliveryInfo::parse(op.replyTo, &delivery))
            delivery.timestamp();
        break;
    }
    case NatsProtocolParser::OpType::Ping:
    case NatsProtocolParser::OpType::Pong:
    case NatsProtocolParser::OpType::Ok:
        break;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    Limits limits;
    if (data[0] & 0x80)
        limits.controlLine = 8 + (data[0] & 0x0f) * 8;
    if (data[0] & 0x40)
        limits.payload = (data[0] & 0x30) * 2;
    const QByteArray stream = fuzzInput(data + 2, size - 2);

    const Result whole = parse(stream, limits, 0);
    const Result chunked = parse(stream, limits, data[1]);
    FUZZ_CHECK(whole.ops.size() == chunked.ops.size());
    for (qsizetype i = 0; i < whole.ops.size(); ++i)
        FUZZ_CHECK(sameOp(whole.ops[i], chunked.ops[i]));
    FUZZ_CHECK(whole.error == chunked.error);
    FUZZ_CHECK(whole.errorString == chunked.errorString);

    for (const Op &op : whole.ops)
        handle(op);
    return 0;
}
