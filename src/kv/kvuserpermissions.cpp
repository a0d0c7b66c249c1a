#include "kvuserpermissions.h"

#include "jetstreamcontext.h"
#include "natsconnection.h"
#include "natsuserinforeply.h"

KvUserPermissions::KvUserPermissions(JetStreamContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    NatsConnection *connection = context->connection();
    connect(connection, &NatsConnection::connected, this, &KvUserPermissions::ask);
    connect(connection, &NatsConnection::reconnected, this, &KvUserPermissions::ask);
    if (connection->isConnected())
        ask();
}

KvUserPermissions::~KvUserPermissions()
{
    if (m_pending)
        m_pending->abort();
}

void KvUserPermissions::ask()
{
    if (m_pending)
        m_pending->abort();
    m_settled = false;
    m_permissions = {};
    m_user.clear();
    m_unknownReason.clear();
    Q_EMIT changed();
    if (!m_context || !m_context->connection())
        return;
    NatsUserInfoReply *reply = NatsUserInfoReply::ask(m_context->connection());
    m_pending = reply;
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply == m_pending && reply->error() != NatsError::Cancelled)
            onAnswer(reply);
    });
}

void KvUserPermissions::onAnswer(NatsUserInfoReply *reply)
{
    m_pending = nullptr;
    m_settled = true;
    if (reply->error() == NatsError::NoError) {
        m_permissions = KvPermissions(reply->userInfo().permissions, m_context->apiPrefix());
        m_user = reply->userInfo().user;
    } else {
        m_unknownReason = reply->errorString();
    }
    Q_EMIT changed();
    const QList<Waiter> waiting = std::exchange(m_waiting, {});
    for (const Waiter &waiter : waiting) {
        if (waiter.guard)
            waiter.then();
    }
}

void KvUserPermissions::whenSettled(QObject *guard, const std::function<void()> &then)
{
    if (m_settled) {
        then();
        return;
    }
    m_waiting.append({guard, then});
}
