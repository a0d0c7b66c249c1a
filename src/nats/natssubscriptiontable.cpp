#include "natssubscriptiontable.h"

#include "natsmessage.h"
#include "natsprotocol.h"
#include "natssubscription.h"

#include <QtCore/QList>

// Loops over copies: a subscription's signals may unsubscribe or subscribe, changing the table.
// Subscriptions are used through plain pointers: GCC's -Wnull-dereference misreads QPointer checks at -O2.

void NatsSubscriptionTable::insert(NatsSubscription *subscription)
{
    m_subscriptions.insert(subscription->sid(), subscription);
}

bool NatsSubscriptionTable::remove(quint64 sid)
{
    return m_subscriptions.remove(sid);
}

NatsSubscription *NatsSubscriptionTable::take(quint64 sid)
{
    return m_subscriptions.take(sid).data();
}

void NatsSubscriptionTable::deliver(quint64 sid, const NatsMessage &message) const
{
    // Looked up in place: a QPointer copy per message is two atomic reference counts.
    const auto it = m_subscriptions.constFind(sid);
    if (it == m_subscriptions.cend())
        return;
    if (NatsSubscription *subscription = it->data())
        subscription->deliver(message);
}

QByteArray NatsSubscriptionTable::resubscribeCommands(quint64 afterSid) const
{
    QByteArray bytes;
    for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it) {
        const NatsSubscription *subscription = it.value();
        if (!subscription || it.key() <= afterSid)
            continue;
        bytes += NatsProtocol::sub(subscription->subject(), subscription->queueGroup(), it.key());
        if (subscription->maxMessages() > 0)
            bytes += NatsProtocol::unsub(it.key(), subscription->maxMessages() - subscription->receivedCount());
    }
    return bytes;
}

QByteArray NatsSubscriptionTable::unsubscribeCommands(quint64 keepSid) const
{
    QByteArray bytes;
    for (auto it = m_subscriptions.cbegin(); it != m_subscriptions.cend(); ++it) {
        if (it.key() != keepSid)
            bytes += NatsProtocol::unsub(it.key());
    }
    return bytes;
}

void NatsSubscriptionTable::endAllBut(quint64 keepSid)
{
    const QList<QPointer<NatsSubscription>> subscriptions = m_subscriptions.values();
    for (const QPointer<NatsSubscription> &guarded : subscriptions) {
        NatsSubscription *subscription = guarded.data();
        if (subscription && subscription->sid() != keepSid) {
            m_subscriptions.remove(subscription->sid());
            subscription->deactivate();
        }
    }
}

void NatsSubscriptionTable::endAll()
{
    const QList<QPointer<NatsSubscription>> subscriptions = m_subscriptions.values();
    m_subscriptions.clear();
    for (const QPointer<NatsSubscription> &subscription : subscriptions) {
        if (subscription)
            subscription->deactivate();
    }
}

qsizetype NatsSubscriptionTable::failSubscriptionsTo(const QByteArray &subject, const QByteArray &queueGroup,
                                                     const NatsError &error)
{
    qsizetype failed = 0;
    const QList<QPointer<NatsSubscription>> subscriptions = m_subscriptions.values();
    for (const QPointer<NatsSubscription> &guarded : subscriptions) {
        NatsSubscription *subscription = guarded.data();
        if (subscription && subscription->subject() == subject && subscription->queueGroup() == queueGroup) {
            subscription->fail(error);
            ++failed;
        }
    }
    return failed;
}
