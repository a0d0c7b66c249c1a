#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QQueue>

class NatsError;
class NatsReply;

// The PINGs a connection has sent, and who waits for each PONG. A server answers PINGs in order, so a
// queue matches each PONG to its PING: a keep-alive, or a flush() waiting for its reply. Keep-alives
// left unanswered are counted, which is how a stale connection shows; each PONG gives the round trip.
class NatsPingTracker final
{
public:
    NatsPingTracker();

    // Records a keep-alive PING about to be sent. False, recording nothing, when that would make more
    // than maxOutstanding unanswered: the connection is stale.
    bool keepAlive(int maxOutstanding);
    // Records a PING about to be sent for reply, which its PONG finishes.
    void expectPong(NatsReply *reply);
    // A PONG arrived: false when no PING was waiting for one. Otherwise sets *reply to the reply that
    // waited for it (null for a keep-alive) and updates roundTripTime(). Any PONG shows the server alive.
    bool pongReceived(QPointer<NatsReply> *reply);
    // Round trip of the last answered PING in microseconds, -1 before the first.
    qint64 roundTripTime() const { return m_rttUs; }
    // Forgets unanswered keep-alives (the PINGs of a new connection).
    void resetOutstanding() { m_outstanding = 0; }
    // Forgets every PING, failing the replies that waited for one.
    void failAll(const NatsError &error);

private:
    struct Waiter
    {
        QPointer<NatsReply> reply; // null for keep-alive pings
        qint64 sentAtUs = 0;
    };

    QQueue<Waiter> m_waiters;
    QElapsedTimer m_clock;
    int m_outstanding = 0;
    qint64 m_rttUs = -1;
};
