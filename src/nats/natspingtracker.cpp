#include "natspingtracker.h"

#include "natserror.h"
#include "natsreply.h"

namespace {
// Dropped samples measured again in a row: enough to get past one held stretch, not a ping storm in a
// loop that is held all the time.
constexpr int MaxRemeasures = 3;
} // namespace

NatsPingTracker::NatsPingTracker(Clock clock)
    : m_now(std::move(clock))
{
    m_clock.start();
    m_loopCheck.setTimerType(Qt::PreciseTimer);
    m_loopCheck.setInterval(LoopCheckMs);
    m_loopCheck.callOnTimeout([this] { loopTurned(); });
}

bool NatsPingTracker::keepAlive(int maxOutstanding)
{
    if (++m_outstanding > maxOutstanding)
        return false;
    enqueue(nullptr);
    return true;
}

void NatsPingTracker::expectPong(NatsReply *reply)
{
    enqueue(reply);
}

void NatsPingTracker::enqueue(NatsReply *reply)
{
    const qint64 now = nowUs();
    if (m_waiters.isEmpty()) {
        // The loop is watched from this PING's sending on; it is not a loop turn itself (a held stretch
        // may send PINGs), so the watch of PINGs already out goes on unchanged.
        m_lastTurnUs = now;
        m_loopCheck.start();
    }
    m_waiters.enqueue(Waiter{reply, now, false});
}

void NatsPingTracker::loopTurned()
{
    const qint64 now = nowUs();
    if (now - m_lastTurnUs > LoopCheckMs * 1000 + HeldLoopUs) {
        for (Waiter &waiter : m_waiters)
            waiter.loopHeld = true;
    }
    m_lastTurnUs = now;
}

bool NatsPingTracker::pongReceived(QPointer<NatsReply> *reply, bool *measured)
{
    m_outstanding = 0;
    if (measured)
        *measured = false;
    if (m_waiters.isEmpty())
        return false;
    loopTurned(); // a PONG is read in a loop turn: one late shows the loop was held
    const Waiter waiter = m_waiters.dequeue();
    if (m_waiters.isEmpty())
        m_loopCheck.stop();
    *reply = waiter.reply;
    if (waiter.loopHeld) {
        m_remeasureDue = m_waiters.isEmpty() && m_remeasures < MaxRemeasures;
        return true;
    }
    m_rttUs = nowUs() - waiter.sentAtUs;
    m_remeasures = 0;
    m_remeasureDue = false;
    if (measured)
        *measured = true;
    return true;
}

bool NatsPingTracker::remeasure()
{
    if (!m_remeasureDue)
        return false;
    m_remeasureDue = false;
    ++m_remeasures;
    return true;
}

void NatsPingTracker::failAll(const NatsError &error)
{
    // From a copy: a failed reply's slot may flush again.
    const QQueue<Waiter> waiters = m_waiters;
    m_waiters.clear();
    m_loopCheck.stop();
    m_outstanding = 0;
    m_remeasureDue = false;
    for (const Waiter &waiter : waiters) {
        if (waiter.reply)
            waiter.reply->finishWithError(error);
    }
}
