#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QMetaType>
#include <QtCore/QString>

class NatsError;

// The acknowledgement of a publish to a stream: {"stream":"KV_TEST","seq":1[,"duplicate":true][,"domain":"hub"]}.
struct JsPubAck
{
    QString stream;
    quint64 sequence = 0;
    bool duplicate = false;
    QString domain;

    // Reads an acknowledgement as nats-server writes it, without a JSON document: one per pipelined
    // publish. False (ack untouched) for anything else, an error included: parse that in full.
    static bool scan(const QByteArray &json, JsPubAck *ack);
    // Reads the stream's answer to a publish: the acknowledgement (scanned, or parsed in full when it is
    // not in the usual shape) or the error it reports (the stream's refusal, InvalidResponse). NoError
    // with *ack set on success.
    static NatsError decode(const QByteArray &json, JsPubAck *ack);
    // An acknowledgement with sequence 0 stores nothing: nats-server 2.10 answers so (as a duplicate) to a
    // copy of a message whose first copy, same Nats-Msg-Id, a cluster is still storing; 2.11+ answers
    // 10158 instead. TryAgain for it, else NoError.
    NatsError check() const;
};

Q_DECLARE_METATYPE(JsPubAck)
