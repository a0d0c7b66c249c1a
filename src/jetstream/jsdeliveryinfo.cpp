#include "jsdeliveryinfo.h"

#include "jstimestamp.h"
#include "natsprotocolparser.h"

#include <QtCore/QByteArrayView>

#include <limits>

namespace {

// Every delivery of a watch or a listing is parsed: views into the subject, digits read in place,
// nothing allocated but the stream and consumer names.
constexpr int MaxTokens = 12;

bool parseSigned(QByteArrayView token, qint64 *out)
{
    const bool negative = !token.isEmpty() && token.front() == '-';
    quint64 magnitude = 0;
    if (!NatsProtocolParser::parseUnsigned(negative ? token.sliced(1) : token, &magnitude))
        return false;
    if (magnitude > quint64(std::numeric_limits<qint64>::max()) + (negative ? 1 : 0))
        return false;
    *out = negative ? qint64(0 - magnitude) : qint64(magnitude);
    return true;
}

} // namespace

bool JsDeliveryInfo::parse(const QByteArray &replySubject, JsDeliveryInfo *out)
{
    QByteArrayView tokens[MaxTokens];
    qsizetype count = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= replySubject.size(); ++i) {
        if (i < replySubject.size() && replySubject[i] != '.')
            continue;
        if (count < MaxTokens) // later tokens (a future format's) are not read
            tokens[count] = QByteArrayView(replySubject).sliced(start, i - start);
        ++count;
        start = i + 1;
    }
    if (count < 9 || tokens[0] != "$JS" || tokens[1] != "ACK")
        return false;
    JsDeliveryInfo info;
    qsizetype first = 2;
    if (count >= 11) {
        if (tokens[2] != "_")
            info.domain = QByteArrayView(out->domain) == tokens[2] ? out->domain : tokens[2].toByteArray();
        first = 4; // skip domain and account hash
    } else if (count != 9) {
        return false;
    }
    if (!NatsProtocolParser::parseUnsigned(tokens[first + 2], &info.delivered)
        || !NatsProtocolParser::parseUnsigned(tokens[first + 3], &info.streamSequence)
        || !NatsProtocolParser::parseUnsigned(tokens[first + 4], &info.consumerSequence)
        || !parseSigned(tokens[first + 5], &info.timestampNs)
        || !NatsProtocolParser::parseUnsigned(tokens[first + 6], &info.pending))
        return false;
    // The names of the delivery before (*out, reused by the caller) are kept when they are the same: no
    // allocation for them per message of one consumer.
    info.stream = QByteArrayView(out->stream) == tokens[first] ? out->stream : tokens[first].toByteArray();
    info.consumer = QByteArrayView(out->consumer) == tokens[first + 1] ? out->consumer
                                                                       : tokens[first + 1].toByteArray();
    *out = std::move(info);
    return true;
}

QDateTime JsDeliveryInfo::timestamp() const
{
    return JsTimestamp::fromNanoseconds(timestampNs);
}
