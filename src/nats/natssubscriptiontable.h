#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QHash>
#include <QtCore/QPointer>

class NatsError;
class NatsMessage;
class NatsSubscription;

// A connection's live subscriptions by sid, and what the connection does to all of them at once: send
// them again after a reconnect, end them on drain or close, fail those the server refused.
class NatsSubscriptionTable final
{
public:
    quint64 nextSid() { return m_nextSid++; }
    // The sid given last (0: none yet).
    quint64 lastSid() const { return m_nextSid - 1; }
    void insert(NatsSubscription *subscription);
    // False when sid is not (or no longer) in the table.
    bool remove(quint64 sid);
    // Removes sid from the table and returns its subscription (null when gone), for the caller to end.
    NatsSubscription *take(quint64 sid);
    // Hands message to subscription sid, if it is still there.
    void deliver(quint64 sid, const NatsMessage &message) const;

    // SUB for each subscription with a sid above afterSid, and the UNSUB that restores what is left of its
    // auto-unsubscribe count.
    QByteArray resubscribeCommands(quint64 afterSid = 0) const;
    // UNSUB for each subscription but keepSid.
    QByteArray unsubscribeCommands(quint64 keepSid) const;
    // Ends each subscription but keepSid: it leaves the table, then emits unsubscribed().
    void endAllBut(quint64 keepSid);
    // Empties the table, then ends each subscription that was in it.
    void endAll();
    // Reports error on each subscription to subject in queueGroup (empty: none), the ones a permissions
    // violation names; the server refused them but the sids stay taken. Returns how many.
    qsizetype failSubscriptionsTo(const QByteArray &subject, const QByteArray &queueGroup, const NatsError &error);

private:
    QHash<quint64, QPointer<NatsSubscription>> m_subscriptions;
    quint64 m_nextSid = 1;
};
