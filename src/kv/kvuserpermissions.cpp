#include "kvuserpermissions.h"

#include "jetstreamcontext.h"
#include "natsconnection.h"
#include "natsuserinforeply.h"

KvUserPermissions::KvUserPermissions(JetStreamContext *context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
    NatsConnection *connection = context->connection();
    connect(connection, &NatsConnection::serverInfoChanged, this, &KvUserPermissions::askWithHandshake);
    connect(connection, &NatsConnection::connected, this, [this] {
        // Asked with the handshake, the answer follows its PONG (or came already); asked now when it was
        // not, or that question ended without an answer.
        if (std::exchange(m_askedWithHandshake, false) && (m_pending || m_settled))
            return;
        ask();
    });
    connect(connection, &NatsConnection::reconnected, this, &KvUserPermissions::ask);
    connect(connection, &NatsConnection::closed, this, [this] { m_askedWithHandshake = false; });
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
        if (reply != m_pending || reply->error() == NatsError::Cancelled)
            return;
        // Asked with the handshake, ended before it completed (timed out through slow attempts): no
        // answer of this connection's; asked again once connected.
        if (m_askedWithHandshake && m_context
            && m_context->connection()->state() == NatsConnection::State::Connecting) {
            m_pending = nullptr;
            return;
        }
        onAnswer(reply);
    });
}

void KvUserPermissions::askWithHandshake()
{
    // The first connect's INFO, before CONNECT is written: a question asked now goes in the same write
    // (NatsConnection::requestWithHandshake()), so kvdesk-cli's commands, which wait for the answer,
    // start one round trip sooner. Once asked, later attempts send the same question again themselves.
    const NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    if (!connection || connection->state() != NatsConnection::State::Connecting || m_pending || m_askedWithHandshake)
        return;
    if (connection->serverInfo().isKnownBefore(2, 10))
        return; // nothing to send: asked once connected, it is answered at once (NatsUserInfoReply::ask())
    // Once per connect: a question that timed out through slow attempts is still sent with each CONNECT.
    m_askedWithHandshake = true;
    ask();
}

void KvUserPermissions::onAnswer(NatsUserInfoReply *reply)
{
    m_pending = nullptr;
    m_settled = true;
    if (reply->error() == NatsError::NoError) {
        const NatsConnection *connection = m_context->connection();
        m_permissions = KvPermissions(reply->userInfo().permissions, m_context->apiPrefix(),
                                      connection ? connection->options().inboxPrefixOrDefault() : QByteArray());
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
