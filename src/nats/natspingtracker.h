#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QQueue>
#include <QtCore/QTimer>

#include <functional>

class NatsError;
class NatsReply;

// The PINGs a connection has sent, and who waits for each PONG. A server answers PINGs in order, so a
// queue matches each PONG to its PING: a keep-alive, or a flush() waiting for its reply. Keep-alives
// left unanswered are counted, which is how a stale connection shows; each PONG gives the round trip.
//
// A PONG is only seen when the event loop runs: one held meanwhile (a modal dialog, a long slot) would
// count the hold as round trip (issue 14: 2,677 ms for a local server). So while a PING is out a timer
// ticks; a tick or a PONG that comes late shows the loop was held, and the samples of every PING out
// then are dropped. The connection measures again (remeasure()).
class NatsPingTracker final
{
public:
    // Microseconds on a steady clock. The connection uses the default, a QElapsedTimer; a test passes a
    // clock it moves itself, to hold the event loop without waiting for the time to pass.
    using Clock = std::function<qint64()>;
    explicit NatsPingTracker(Clock clock = {});
    Q_DISABLE_COPY_MOVE(NatsPingTracker)

    // Records a keep-alive PING about to be sent. False, recording nothing, when that would make more
    // than maxOutstanding unanswered: the connection is stale.
    bool keepAlive(int maxOutstanding);
    // Records a PING about to be sent for reply, which its PONG finishes.
    void expectPong(NatsReply *reply);
    // A PONG arrived: false when no PING was waiting for one. Otherwise sets *reply to the reply that
    // waited for it (null for a keep-alive) and, unless the event loop was held while it was out,
    // updates roundTripTime() and sets *measured. Any PONG shows the server alive.
    bool pongReceived(QPointer<NatsReply> *reply, bool *measured = nullptr);
    // True once after a dropped sample when no PING is left out to measure with and the connection
    // should send one; a few times in a row at most, so a loop held again and again does not ping on.
    bool remeasure();
    // Round trip of the last answered PING in microseconds, -1 before the first.
    qint64 roundTripTime() const { return m_rttUs; }
    // Forgets unanswered keep-alives (the PINGs of a new connection).
    void resetOutstanding() { m_outstanding = 0; }
    // Forgets every PING, failing the replies that waited for one.
    void failAll(const NatsError &error);

    // How often the loop is checked while a PING is out, and how late a tick may be before the samples
    // out then are dropped (a busy but working loop is late by a few ms).
    static constexpr int LoopCheckMs = 20;
    static constexpr qint64 HeldLoopUs = 60 * 1000;

private:
    struct Waiter
    {
        QPointer<NatsReply> reply; // null for keep-alive pings
        qint64 sentAtUs = 0;
        bool loopHeld = false;
    };

    void enqueue(NatsReply *reply);
    void loopTurned();
    qint64 nowUs() const { return m_now ? m_now() : m_clock.nsecsElapsed() / 1000; }

    QQueue<Waiter> m_waiters;
    QElapsedTimer m_clock;
    Clock m_now;
    QTimer m_loopCheck;
    qint64 m_lastTurnUs = 0;
    int m_outstanding = 0;
    int m_remeasures = 0;
    bool m_remeasureDue = false;
    qint64 m_rttUs = -1;
};
