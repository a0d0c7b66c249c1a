#pragma once

#include "natserror.h"
#include "natsmessage.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

class NatsConnection;

// A live subscription (SUB). Created by NatsConnection::subscribe() and parented to the connection;
// messages arrive through messageReceived() in the order the server sent them. Survives reconnects: the
// connection subscribes again with the same sid. Deleting it unsubscribes.
class NatsSubscription : public QObject
{
    Q_OBJECT

public:
    ~NatsSubscription() override;

    quint64 sid() const { return m_sid; }
    QByteArray subject() const { return m_subject; }
    QByteArray queueGroup() const { return m_queueGroup; }
    bool isActive() const { return m_active; }
    quint64 receivedCount() const { return m_received; }
    // 0 when unlimited.
    quint64 maxMessages() const { return m_maxMessages; }

    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }

public Q_SLOTS:
    void unsubscribe();
    // Unsubscribes automatically once maxMessages messages in all have been received (UNSUB <sid> <max>).
    void autoUnsubscribe(quint64 maxMessages);

Q_SIGNALS:
    void messageReceived(const NatsMessage &message);
    // No more messages will come: unsubscribed, the auto-unsubscribe count reached, or the connection closed.
    void unsubscribed();
    // The server refused the subscription (permissions violation, invalid subject).
    void errorOccurred(NatsError::Code code);

private:
    friend class NatsConnection;
    friend class NatsSubscriptionTable;
    NatsSubscription(NatsConnection *connection, quint64 sid, const QByteArray &subject, const QByteArray &queue);

    // Called by the connection.
    void deliver(const NatsMessage &message);
    void deactivate();
    void fail(const NatsError &error);

    QPointer<NatsConnection> m_connection;
    QByteArray m_subject;
    QByteArray m_queueGroup;
    NatsError m_error;
    quint64 m_sid = 0;
    quint64 m_received = 0;
    quint64 m_maxMessages = 0;
    bool m_active = true;
};
