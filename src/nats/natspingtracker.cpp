#include "natspingtracker.h"

#include "natserror.h"
#include "natsreply.h"

NatsPingTracker::NatsPingTracker()
{
    m_clock.start();
}

bool NatsPingTracker::keepAlive(int maxOutstanding)
{
    if (++m_outstanding > maxOutstanding)
        return false;
    m_waiters.enqueue(Waiter{nullptr, m_clock.nsecsElapsed() / 1000});
    return true;
}

void NatsPingTracker::expectPong(NatsReply *reply)
{
    m_waiters.enqueue(Waiter{reply, m_clock.nsecsElapsed() / 1000});
}

bool NatsPingTracker::pongReceived(QPointer<NatsReply> *reply)
{
    m_outstanding = 0;
    if (m_waiters.isEmpty())
        return false;
    const Waiter waiter = m_waiters.dequeue();
    m_rttUs = m_clock.nsecsElapsed() / 1000 - waiter.sentAtUs;
    *reply = waiter.reply;
    return true;
}

void NatsPingTracker::failAll(const NatsError &error)
{
    // From a copy: a failed reply's slot may flush again.
    const QQueue<Waiter> waiters = m_waiters;
    m_waiters.clear();
    m_outstanding = 0;
    for (const Waiter &waiter : waiters) {
        if (waiter.reply)
            waiter.reply->finishWithError(error);
    }
}
