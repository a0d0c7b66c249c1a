#pragma once

#include <QtCore/QByteArray>

#include <functional>
#include <vector>

// Bytes of publishes not yet handed to the socket, in the order they were made. While connected it is the
// write batch, which the connection hands to the socket once per event-loop turn or when it grows past a
// bound (as nats.go's buffered writer); while not connected it is the reconnect buffer, sent after the
// next handshake. A frame queued with a ticket (a request's publish) can be taken back until it goes out,
// so that a request that gives up first (timed out, aborted) is never sent: the caller was told it
// failed, and it must not reach the server later, perhaps after the caller has tried again. Frames
// without a ticket cost nothing but their bytes.
class NatsOutbox final
{
public:
    // Where frames are encoded, straight onto the end; appendedFrom() then gives one a ticket.
    QByteArray &buffer() { return m_bytes; }
    // The bytes from begin to the end of the buffer are one frame that can be withdrawn; returns its
    // ticket, never 0.
    quint64 appendedFrom(qsizetype begin);
    // Queues bytes that can be withdrawn; returns their ticket, never 0.
    quint64 append(const QByteArray &bytes);
    // Takes back the bytes queued under ticket. False when they are gone: written, cleared, or never there.
    bool withdraw(quint64 ticket);
    bool contains(quint64 ticket) const;
    // Bytes waiting.
    qsizetype size() const { return m_bytes.size() - m_withdrawnBytes; }
    bool isEmpty() const { return size() == 0; }
    // Everything waiting, in the order it was queued; the outbox is empty afterwards.
    QByteArray takeAll();
    // The same, handed to sink in pieces (the runs between withdrawn frames), without a copy.
    void takeAll(const std::function<void(const char *data, qsizetype size)> &sink);
    void clear();

private:
    struct Frame
    {
        quint64 ticket;
        qsizetype begin;
        qsizetype end;
        bool withdrawn;
    };
    const Frame *find(quint64 ticket) const;
    void reset();

    // A buffer larger than this is released once it is taken, not kept for the next batch (a reconnect
    // buffer may have grown to megabytes).
    static constexpr qsizetype KeptCapacity = 1024 * 1024;

    QByteArray m_bytes;
    std::vector<Frame> m_frames; // frames with a ticket, by ticket, which grows with the position
    qsizetype m_withdrawnBytes = 0;
    quint64 m_nextTicket = 1; // never reused: a stale ticket matches nothing later
};
