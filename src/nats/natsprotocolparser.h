#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QString>

// Turns the bytes a server sends into protocol operations. A plain class: it is fed bytes in chunks of
// any size (one byte at a time is fine) and knows nothing about sockets. Control lines and payloads are
// capped, so a hostile or broken server cannot make it allocate without bound; any malformed input puts
// it into a sticky error state that only reset() clears.
class NatsProtocolParser
{
public:
    enum class OpType {
        Info,
        Msg,
        Ping,
        Pong,
        Ok,
        Err
    };

    struct Op
    {
        OpType type = OpType::Ping;
        QByteArray subject; // MSG/HMSG
        QByteArray replyTo; // MSG/HMSG, empty when absent
        quint64 sid = 0;    // MSG/HMSG
        bool hasHeaders = false;
        QByteArray headers; // HMSG: the raw header block, "NATS/1.0...\r\n\r\n"
        QByteArray payload; // MSG/HMSG: the message body
        QByteArray text;    // INFO: the JSON; -ERR: the text without quotes
    };

    static constexpr qsizetype DefaultMaxControlLine = 64 * 1024;
    static constexpr qsizetype DefaultMaxPayload = 64 * 1024 * 1024;
    // The largest max_payload a nats-server can have (it may not exceed max_pending, 64 MiB): no message
    // a client publishes, so no value a bucket stores, can be larger.
    static constexpr qsizetype LargestServerMaxPayload = 64 * 1024 * 1024;

    NatsProtocolParser() = default;

    // The largest MSG/HMSG (headers and payload) the client accepts from a server that announced
    // advertisedMaxPayload in INFO: never less than DefaultMaxPayload, never much more than 64 MiB.
    static qsizetype messageLimitFor(qint64 advertisedMaxPayload);
    // A protocol number (sid, size, a JetStream ack-subject token): digits only, no sign or blanks, no
    // overflow. False, with *out untouched, otherwise.
    static bool parseUnsigned(QByteArrayView digits, quint64 *out);

    void setMaxControlLine(qsizetype bytes) { m_maxControlLine = bytes; }
    qsizetype maxControlLine() const { return m_maxControlLine; }
    // Largest header+payload accepted in one MSG/HMSG.
    void setMaxPayload(qsizetype bytes) { m_maxPayload = bytes; }
    qsizetype maxPayload() const { return m_maxPayload; }

    void feed(const QByteArray &data);
    // feed() without a QByteArray of its own: the caller writes up to size bytes at the pointer this
    // returns (nullptr after an error), then says how many with commitFeed(). Reading a socket this way
    // allocates nothing per read; readAll() allocated a block as large as the read each time, and on
    // top of thousands of small freed objects glibc consolidates its free lists on every such block.
    char *reserveFeed(qsizetype size);
    void commitFeed(qsizetype written);
    // Takes the next complete operation. Returns false when more bytes are needed or after an error.
    bool next(Op *op);

    bool hasError() const { return !m_error.isEmpty(); }
    QString errorString() const { return m_error; }
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset; }
    void reset();

private:
    struct PendingMessage
    {
        bool active = false;
        Op op;
        qsizetype headerSize = 0;
        qsizetype totalSize = 0;
    };

    // line and args point into m_buffer: what an Op keeps is copied out of them.
    bool parseControlLine(QByteArrayView line, Op *op);
    bool parseMessageArgs(QByteArrayView args, bool withHeaders);
    bool takePayload(Op *op);
    QByteArray sharedSubject(QByteArrayView subject);
    void fail(const QString &message);
    void compact();

    QByteArray m_buffer;
    qsizetype m_reservedFrom = -1; // where reserveFeed() began, -1 when none is open
    qsizetype m_offset = 0;
    PendingMessage m_pending;
    QByteArray m_lastSubject; // the last MSG/HMSG subject, shared with the next one on the same subject
    QString m_error;
    qsizetype m_maxControlLine = DefaultMaxControlLine;
    qsizetype m_maxPayload = DefaultMaxPayload;
};
