#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>

// What a JetStream delivery's reply subject says about it (docs/nats-protocol.md §4.2):
//   v1: $JS.ACK.<stream>.<consumer>.<delivered>.<stream_seq>.<consumer_seq>.<timestamp_ns>.<pending>
//   v2: $JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>.<token>
struct JsDeliveryInfo
{
    QByteArray domain;
    QByteArray stream;
    QByteArray consumer;
    quint64 delivered = 0;
    quint64 streamSequence = 0;
    quint64 consumerSequence = 0;
    qint64 timestampNs = 0;
    quint64 pending = 0;

    // False when replySubject is not a JetStream ack subject (*out untouched). Names that equal those
    // already in *out (the previous delivery's, for a caller that reuses one) are shared, not copied.
    static bool parse(const QByteArray &replySubject, JsDeliveryInfo *out);
    QDateTime timestamp() const;
};
