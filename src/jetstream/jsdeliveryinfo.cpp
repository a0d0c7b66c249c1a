#include "jsdeliveryinfo.h"

#include "jstimestamp.h"

#include <QtCore/QList>

bool JsDeliveryInfo::parse(const QByteArray &replySubject, JsDeliveryInfo *out)
{
    const QList<QByteArray> tokens = replySubject.split('.');
    if (tokens.size() < 9 || tokens[0] != "$JS" || tokens[1] != "ACK")
        return false;
    JsDeliveryInfo info;
    qsizetype first = 2;
    if (tokens.size() >= 11) {
        info.domain = tokens[2] == "_" ? QByteArray() : tokens[2];
        first = 4; // skip domain and account hash
    } else if (tokens.size() != 9) {
        return false;
    }
    bool ok[5] = {};
    info.stream = tokens[first];
    info.consumer = tokens[first + 1];
    info.delivered = tokens[first + 2].toULongLong(&ok[0]);
    info.streamSequence = tokens[first + 3].toULongLong(&ok[1]);
    info.consumerSequence = tokens[first + 4].toULongLong(&ok[2]);
    info.timestampNs = tokens[first + 5].toLongLong(&ok[3]);
    info.pending = tokens[first + 6].toULongLong(&ok[4]);
    for (const bool valid : ok) {
        if (!valid)
            return false;
    }
    *out = info;
    return true;
}

QDateTime JsDeliveryInfo::timestamp() const
{
    return JsTimestamp::fromNanoseconds(timestampNs);
}
