#pragma once

#include "kvpermissions.h"
#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class JetStreamContext;
class NatsUserInfoReply;

// The connected user's Key/Value permissions, asked of the server ($SYS.REQ.USER.INFO, nats-server 2.10+)
// when the connection is made and again after each reconnect (another server, maybe other permissions).
// Until the answer, and where there is none (2.9 answers no responders; a user may not be allowed to
// ask), permissions() is unknown and allows everything: the server's -ERR then decides.
class KvUserPermissions final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvUserPermissions)

public:
    // Asks at once when context's connection is up, else with its first CONNECT (or when it connects).
    explicit KvUserPermissions(JetStreamContext *context, QObject *parent = nullptr);
    ~KvUserPermissions() override;

    KvPermissions permissions() const { return m_permissions; }
    // The user name the server reported (empty while unknown).
    QString user() const { return m_user; }
    // Whether the question was answered (or failed) for the current connection.
    bool isSettled() const { return m_settled; }
    // Why the permissions are unknown, once settled (empty when known).
    QString unknownReason() const { return m_unknownReason; }

    // Runs then once settled for the current connection (at once when it is); dropped when guard is gone.
    void whenSettled(QObject *guard, const std::function<void()> &then);

Q_SIGNALS:
    // The permissions were read, or became unknown (a new connection).
    void changed();

private:
    struct Waiter
    {
        QPointer<QObject> guard;
        std::function<void()> then;
    };

    void ask();
    void askWithHandshake();
    void onAnswer(NatsUserInfoReply *reply);

    QPointer<JetStreamContext> m_context;
    QPointer<NatsUserInfoReply> m_pending;
    KvPermissions m_permissions;
    QString m_user;
    QString m_unknownReason;
    QList<Waiter> m_waiting;
    bool m_settled = false;
    bool m_askedWithHandshake = false; // by askWithHandshake() since the connection last connected or closed
};
