#pragma once

#include "natsheaders.h"

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QStringView>

class NatsMessage;

// A message as stored in a stream, read back with STREAM.MSG.GET or DIRECT.GET.
struct JsStoredMessage
{
    QByteArray stream; // which stream answered a DIRECT.GET (a mirror may answer its origin's); else empty
    QByteArray subject;
    quint64 sequence = 0;
    NatsHeaders headers; // the message's own headers (KV-Operation...), not the Nats-* ones DIRECT.GET adds
    QByteArray data;
    QDateTime time;

    // From STREAM.MSG.GET's {"message":{subject,seq,hdrs(b64),data(b64),time}}. False when malformed.
    static bool fromMessageGet(const QJsonObject &message, JsStoredMessage *out);
    // From a DIRECT.GET reply: the Nats-Stream, Nats-Subject, Nats-Sequence, Nats-Time-Stamp headers the
    // server appends (the last ones: a republished message has its origin's before them).
    static bool fromDirectGet(const NatsMessage &reply, JsStoredMessage *out);

    // Whether the stream that answered is streamName: a mirror answering its origin's direct gets
    // (mirror_direct) names itself. False for a STREAM.MSG.GET answer, which names no stream.
    bool isFromStream(QStringView streamName) const;
};

Q_DECLARE_METATYPE(JsStoredMessage)
