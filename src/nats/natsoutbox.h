#pragma once

#include <QtCore/QByteArray>

#include <map>

// Publishes made while the connection is down, waiting for the next one (the reconnect buffer). Each is
// kept apart until it is written, so that a request that gives up first (timed out, aborted) can take
// its publish back: the caller was told it failed, and it must not reach the server later, perhaps after
// the caller has tried again.
class NatsOutbox final
{
public:
    // Queues bytes; returns the ticket that withdraws them, never 0.
    quint64 append(const QByteArray &bytes);
    // Takes back the bytes queued under ticket. False when they are gone: written, cleared, or never there.
    bool withdraw(quint64 ticket);
    bool contains(quint64 ticket) const { return m_entries.count(ticket) != 0; }
    // Bytes waiting.
    qsizetype size() const { return m_bytes; }
    bool isEmpty() const { return m_entries.empty(); }
    // Everything waiting, in the order it was queued; the outbox is empty afterwards.
    QByteArray takeAll();
    void clear();

private:
    std::map<quint64, QByteArray> m_entries; // by ticket, which grows: the order of the publishes
    qsizetype m_bytes = 0;
    quint64 m_nextTicket = 1;
};
