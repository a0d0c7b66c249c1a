// NatsConnection, part two: the running connection. Publishing, subscribing, request/reply, flush and
// drain, and what the server sends once connected (messages, -ERR, PONG). Connecting, the handshake and
// failures are in natsconnection.cpp.
#include "natsconnection.h"

#include "natslogging.h"
#include "natspermissionviolation.h"
#include "natsprotocol.h"
#include "natsreply.h"
#include "natsrequestmux.h"
#include "natssubscription.h"
#include "natsuserinfo.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QTimer>
#include <QtNetwork/QSslSocket>
#include <QtNetwork/QTcpSocket>

#include <cerrno>
#include <cstring>

#include <poll.h>

namespace {

// Errors after which the server keeps the connection open.
bool keepsConnectionOpen(NatsError::Code code)
{
    return code == NatsError::PermissionsViolation || code == NatsError::InvalidSubjectRejected
        || code == NatsError::MaxSubscriptionsExceeded;
}

// Asking what one may do ($SYS.REQ.USER.INFO) may itself be refused: that only leaves the permissions
// unknown, and is the asking request's error, not the connection's.
bool refusesPermissionsQuestion(const QByteArray &text)
{
    NatsPermissionViolation violation;
    return NatsPermissionViolation::parse(text, &violation)
        && violation.operation == NatsPermissionViolation::Operation::Publish
        && violation.subject == NatsUserInfo::Subject;
}

} // namespace

NatsReply *NatsConnection::drain()
{
    auto *reply = new NatsReply(this);
    if (m_state != State::Connected) {
        if (m_state == State::Closed || m_state == State::Disconnected)
            reply->finishWithErrorLater(NatsError(NatsError::ConnectionClosed, tr("the connection is not open")));
        else
            reply->finishWithErrorLater(NatsError(NatsError::NotConnected, tr("cannot drain while not connected")));
        return reply;
    }
    m_drainReply = reply;
    setState(State::Draining);
    writeToSocket(m_subscriptions.unsubscribeCommands(m_responseSid));
    // Messages the server routed before it handled the UNSUBs are still on their way, and draining must
    // not lose them: they all arrive before the PONG of this PING, so the subscriptions end only then
    // (nats.go drains subscriptions the same way). Requests go on using the response subscription.
    m_drainingSubscriptions = true;
    NatsReply *unsubscribed = flush(m_options.drainTimeoutMs);
    connect(unsubscribed, &NatsReply::finished, this, [this, unsubscribed] {
        unsubscribed->deleteLater();
        m_drainingSubscriptions = false;
        // On failure whoever failed the flush (close, lost connection, drain timeout) also closes.
        if (m_state != State::Draining || unsubscribed->error() != NatsError::NoError)
            return;
        m_subscriptions.endAllBut(m_responseSid);
        finishDrainIfIdle();
    });
    m_drainTimer->start(m_options.drainTimeoutMs);
    return reply;
}

void NatsConnection::finishDrainIfIdle()
{
    if (m_state != State::Draining || m_drainingSubscriptions || m_requestMux->hasPending())
        return;
    // Everything answered: one flush so the server has our last publishes, then close.
    if (m_drainFlushing)
        return;
    m_drainFlushing = true;
    NatsReply *flushReply = flush();
    connect(flushReply, &NatsReply::finished, this, [this, flushReply] {
        flushReply->deleteLater();
        m_drainFlushing = false;
        // Failed: closed meanwhile, or the drain timer will close (calling close() here could re-enter it).
        if (m_state != State::Draining || flushReply->error() != NatsError::NoError)
            return;
        const QPointer<NatsReply> drainReply = m_drainReply;
        m_drainReply = nullptr;
        close();
        if (drainReply)
            drainReply->finishWithMessage({});
    });
}

NatsError NatsConnection::checkWritable() const
{
    switch (m_state) {
    case State::Disconnected:
        return NatsError(NatsError::NotConnected, tr("not connected: call connectToServer() first"));
    case State::Closed:
        return NatsError(NatsError::ConnectionClosed, tr("the connection is closed"));
    case State::Draining:
        return NatsError(NatsError::ConnectionDraining, tr("the connection is draining; nothing new can be sent"));
    default:
        return {};
    }
}

NatsError NatsConnection::publish(const QByteArray &subject, const QByteArray &data, const QByteArray &replyTo)
{
    // The usual publish, connected and without headers: checked and encoded onto the batch without a
    // NatsMessage or a header block. Anything else (or a refusal, which then says why) takes the full path.
    // A subject published to again (a loop, a reply subject) is not checked again: the last one that passed
    // is kept (a shared copy, whose bytes cannot change under it) and compared.
    const bool seen = !subject.isEmpty() && subject.size() == m_checkedSubject.size()
        && std::memcmp(subject.constData(), m_checkedSubject.constData(), size_t(subject.size())) == 0;
    if (m_state == State::Connected
        && NatsProtocol::isValidPlainPublish(subject, replyTo, data.size(), m_info.maxPayload, seen)) {
        if (m_writeBacklogged)
            if (const NatsError full = waitForRoomToWrite(); full.isError())
                return full;
        if (!seen)
            m_checkedSubject = subject;
        NatsProtocol::appendPublish(&m_outbox.buffer(), subject, replyTo, {}, data);
        ++m_stats.outMessages;
        batchWritten();
        return {};
    }
    return publish(NatsMessage(subject, data, replyTo));
}

NatsError NatsConnection::publish(const NatsMessage &message)
{
    return publishMessage(message, nullptr);
}

NatsError NatsConnection::publishMessage(const NatsMessage &message, quint64 *outboxTicket)
{
    // The header block is encoded once, for the checks and the frame.
    const QByteArray headerBlock = message.hasHeaders() ? message.headers().toWire() : QByteArray();
    if (const NatsError closed = checkWritable(); closed.isError())
        return closed;
    // Headers are refused only once INFO has said the server does not take them.
    const NatsError problem = NatsProtocol::checkPublish(message, headerBlock, m_info.maxPayload,
                                                         !m_everConnected || m_info.headers);
    if (problem.isError())
        return problem;
    return writePublish(message, message.replyTo(), headerBlock, outboxTicket);
}

NatsError NatsConnection::publishRequest(const NatsMessage &message, const QByteArray &replyTo, quint64 *outboxTicket)
{
    const QByteArray headerBlock = message.hasHeaders() ? message.headers().toWire() : QByteArray();
    if (const NatsError closed = checkWritable(); closed.isError())
        return closed;
    // replyTo is the request mux's own inbox subject: checkRequestPublish() does not validate it again
    // (only the caller's subject and headers), and no copy of the message is made to carry it.
    const NatsError problem = NatsProtocol::checkRequestPublish(message, headerBlock, replyTo, m_info.maxPayload,
                                                                !m_everConnected || m_info.headers);
    if (problem.isError())
        return problem;
    return writePublish(message, replyTo, headerBlock, outboxTicket);
}

NatsError NatsConnection::writePublish(const NatsMessage &message, const QByteArray &replyTo,
                                       const QByteArray &headerBlock, quint64 *outboxTicket)
{
    // Encoded straight onto the end of the batch (or the reconnect buffer): no frame of its own, no copy.
    const bool connected = m_state == State::Connected || m_state == State::Draining;
    if (connected && m_writeBacklogged)
        if (const NatsError full = waitForRoomToWrite(); full.isError())
            return full;
    QByteArray &buffer = m_outbox.buffer();
    const qsizetype begin = buffer.size();
    NatsProtocol::appendPublish(&buffer, message.subject(), replyTo, headerBlock, message.data());
    if (!connected && m_outbox.size() > m_options.reconnectBufferSize) {
        buffer.truncate(begin);
        return NatsError(NatsError::ReconnectBufferFull,
                         tr("not connected and the reconnect buffer (%1 bytes) is full; the message was not sent")
                             .arg(m_options.reconnectBufferSize));
    }
    ++m_stats.outMessages;
    // Only a request's publish can be taken back; a plain one costs no ticket.
    const quint64 ticket = outboxTicket ? m_outbox.appendedFrom(begin) : 0;
    if (outboxTicket)
        *outboxTicket = ticket;
    if (connected)
        batchWritten();
    return {};
}

void NatsConnection::batchWritten()
{
    // One socket write per event-loop turn instead of one per publish (Qt's write is a quarter of a
    // publish's instructions), and at once past a size, so that a caller publishing in a loop without
    // letting the loop run does not pile up the whole burst here.
    if (m_outbox.size() >= BatchPushThreshold) {
        pushBatch();
        return;
    }
    if (m_pushArmed)
        return;
    m_pushArmed = true;
    QMetaObject::invokeMethod(this, &NatsConnection::pushBatch, Qt::QueuedConnection);
}

void NatsConnection::pushBatch()
{
    m_pushArmed = false;
    moveBatchToSocket();
    // To the kernel now rather than on Qt's next write notification: a request's round trip starts here.
    if (m_socket && m_socket->bytesToWrite() > 0)
        m_socket->flush();
}

void NatsConnection::moveBatchToSocket()
{
    // Not connected, m_outbox is the reconnect buffer: it goes out after the next handshake.
    if (!m_socket || (m_state != State::Connected && m_state != State::Draining) || m_outbox.isEmpty())
        return;
    m_outbox.takeAll([this](const char *data, qsizetype size) { writeRaw(data, size); });
}

void NatsConnection::writeToSocket(const QByteArray &bytes)
{
    if (!m_socket)
        return;
    // After the publishes batched before it: a PING must follow them (flush() promises the server has
    // them when its PONG comes), and a SUB or UNSUB keeps its place among them.
    moveBatchToSocket();
    writeRaw(bytes.constData(), bytes.size());
}

void NatsConnection::writeRaw(const char *data, qsizetype size)
{
    if (NatsLogging::wireLogEnabled())
        kvCDebug(lcNatsWire).noquote() << ">>" << NatsLogging::wireText(QByteArray(data, size));
    m_stats.outBytes += quint64(size);
    // Copied into the socket's buffer, which Qt writes out when the event loop runs. A caller
    // publishing in a loop does not let it run: past a bound, what the kernel takes now is handed over at
    // once (flush() does not block), so the buffer does not grow with the whole burst.
    m_socket->write(data, size);
    if (m_socket->bytesToWrite() > WriteFlushThreshold)
        m_socket->flush();
    // The kernel took less than was written: the next publish waits for room (back-pressure), whatever
    // the bound, below the flush threshold too.
    m_writeBacklogged = socketBacklog() > m_options.writeBufferSize;
}

qint64 NatsConnection::socketBacklog() const
{
    if (!m_socket)
        return 0;
    // A QSslSocket encrypts what it holds on flush(); the encrypted bytes then wait in its plain socket.
    const auto *tls = qobject_cast<const QSslSocket *>(m_socket);
    return m_socket->bytesToWrite() + (tls ? tls->encryptedBytesToWrite() : 0);
}

NatsError NatsConnection::waitForRoomToWrite()
{
    // More than writeBufferSize waits for a server that does not read as fast as it is written to (or
    // has stopped). As nats.go's and libnats' blocking writes do, the publish waits for the kernel to
    // take bytes, up to writeTimeoutMs: poll() on the socket alone, so no event is handled (and no
    // handler re-entered) meanwhile. Still full then, it is refused before anything of it is queued.
    moveBatchToSocket();
    QDeadlineTimer deadline(m_options.writeTimeoutMs);
    while (m_socket && socketBacklog() > m_options.writeBufferSize) {
        m_socket->flush();
        if (socketBacklog() <= m_options.writeBufferSize)
            break;
        pollfd writable{int(m_socket->socketDescriptor()), POLLOUT, 0};
        const int ready = ::poll(&writable, 1, int(deadline.remainingTime()));
        if ((ready == 0 || deadline.hasExpired()) && socketBacklog() > m_options.writeBufferSize) {
            return NatsError(NatsError::WriteBufferFull,
                             tr("the server is not taking data: %1 bytes still wait for it after %2 ms; the "
                                "publish was not sent")
                                 .arg(socketBacklog())
                                 .arg(m_options.writeTimeoutMs));
        }
        if (ready < 0 && errno != EINTR)
            break; // the socket failed: its error ends the connection on the next turn
    }
    m_writeBacklogged = false;
    return {};
}

NatsSubscription *NatsConnection::subscribe(const QByteArray &subject, const QByteArray &queueGroup)
{
    const quint64 sid = m_subscriptions.nextSid();
    auto *subscription = new NatsSubscription(this, sid, subject, queueGroup);

    NatsError problem = NatsProtocol::checkSubscribe(subject, queueGroup, sid);
    if (!problem.isError()) {
        if (m_state == State::Closed || m_state == State::Disconnected)
            problem = NatsError(NatsError::ConnectionClosed, tr("cannot subscribe: the connection is not open"));
        else if (m_state == State::Draining)
            problem = NatsError(NatsError::ConnectionDraining, tr("cannot subscribe: the connection is draining"));
    }
    if (problem.isError()) {
        subscription->m_active = false;
        QTimer::singleShot(0, subscription, [subscription, problem] { subscription->fail(problem); });
        return subscription;
    }

    m_subscriptions.insert(subscription);
    // While (re)connecting the SUB goes out with the others once the handshake is done.
    if (m_state == State::Connected)
        writeToSocket(NatsProtocol::sub(subject, queueGroup, sid));
    return subscription;
}

void NatsConnection::removeSubscription(quint64 sid, bool sendUnsub)
{
    if (!m_subscriptions.remove(sid))
        return;
    if (sendUnsub && serverHasSubscription(sid))
        writeToSocket(NatsProtocol::unsub(sid));
}

void NatsConnection::sendAutoUnsubscribe(quint64 sid, quint64 maxMessages)
{
    if (serverHasSubscription(sid))
        writeToSocket(NatsProtocol::unsub(sid, maxMessages));
}

bool NatsConnection::serverHasSubscription(quint64 sid) const
{
    return m_state == State::Connected || (m_handshake == Handshake::WaitingPong && sid <= m_sidsSentWithConnect);
}

void NatsConnection::handleMessage(NatsProtocolParser::Op &op)
{
    ++m_stats.inMessages;
    // The parser's copies are moved into the message: no reference counted once more and dropped.
    NatsMessage message(op.subject, std::move(op.payload), std::move(op.replyTo));
    if (op.hasHeaders) {
        NatsHeaders headers;
        // Handed on with what could be read: another client may have stored the block so.
        if (!NatsHeaders::fromWire(op.headers, &headers))
            kvCDebug(lcNatsProtocol) << "a message on" << op.subject << "has header lines that are no headers";
        message.setHeaders(headers);
    }
    if (op.sid == m_responseSid && m_responseSid != 0) {
        m_requestMux->handleResponse(message);
        return;
    }
    m_subscriptions.deliver(op.sid, message);
}

void NatsConnection::handleServerError(const QByteArray &text)
{
    const NatsError::Code code = NatsError::fromServerText(text);
    // Name the server: with a pool, "Authorization Violation" alone does not say who refused.
    const QString server = currentServer().toDisplayString(QUrl::RemoveUserInfo);
    const NatsError error(code,
                          NatsError::isAuthenticationError(code)
                              ? tr("%1 refused the credentials: %2").arg(server, QString::fromUtf8(text))
                              : tr("server error from %1: %2").arg(server, QString::fromUtf8(text)));
    kvCWarning(lcNatsConnection).noquote() << "-ERR" << text;

    if (m_handshake != Handshake::Done) {
        attemptFailed(error);
        return;
    }
    // A refusal that fails a request or subscription is that one's error: the connection goes on
    // unharmed, and recording it here would later read as the reason of an unrelated disconnect.
    if (code == NatsError::PermissionsViolation
        && (handlePermissionViolation(text) || refusesPermissionsQuestion(text)))
        return;
    setError(error);
    if (keepsConnectionOpen(code)) {
        Q_EMIT errorOccurred(code);
        return;
    }
    // The server closes after the other errors; reconnect (stale connection, max connections) or close.
    // connectionLost() reports the error, once.
    connectionLost(error);
}

bool NatsConnection::handlePermissionViolation(const QByteArray &text)
{
    // The server goes on after it; what it refused fails now rather than timing out later. The error
    // names the subject as it was sent: the server's text quotes it with Go's escapes.
    NatsPermissionViolation violation;
    if (!NatsPermissionViolation::parse(text, &violation))
        return false;
    const QString server = currentServer().toDisplayString(QUrl::RemoveUserInfo);
    const QString subject = QString::fromUtf8(violation.subject);
    const QString serverText = QString::fromUtf8(text);
    switch (violation.operation) {
    case NatsPermissionViolation::Operation::Publish:
        return m_requestMux->failRequestsTo(
                   violation.subject,
                   NatsError(NatsError::PermissionsViolation,
                             tr("%1 does not allow publishing to \"%2\": %3").arg(server, subject, serverText)))
            > 0;
    case NatsPermissionViolation::Operation::Reply:
        return m_requestMux->failRequestWithReply(
                   violation.subject,
                   NatsError(NatsError::PermissionsViolation,
                             tr("%1 does not allow \"%2\" as a reply subject: %3").arg(server, subject, serverText)))
            > 0;
    case NatsPermissionViolation::Operation::Subscription:
        if (m_responseSid != 0 && violation.queueGroup.isEmpty() && violation.subject == m_requestMux->inboxSubject()) {
            inboxRefused(text);
            return false; // no request can be answered: the connection's own problem
        }
        return m_subscriptions.failSubscriptionsTo(
                   violation.subject, violation.queueGroup,
                   NatsError(NatsError::PermissionsViolation,
                             tr("%1 does not allow subscribing to \"%2\": %3").arg(server, subject, serverText)))
            > 0;
    }
    return false;
}

void NatsConnection::inboxRefused(const QByteArray &text)
{
    // Every request's answer comes through that one subscription: none can arrive. Pending requests
    // fail now, and later ones before they are sent, until a new connection (whose permissions may
    // differ) subscribes a new inbox.
    m_inboxRefused = NatsError(NatsError::PermissionsViolation,
                               tr("%1 refused the subscription to the reply inbox \"%2\", so no request can be "
                                  "answered: %3")
                                   .arg(currentServer().toDisplayString(QUrl::RemoveUserInfo),
                                        QString::fromUtf8(m_requestMux->inboxSubject()), QString::fromUtf8(text)));
    if (NatsSubscription *inbox = m_subscriptions.take(m_responseSid))
        inbox->deleteLater(); // no UNSUB: the server holds no such subscription
    m_responseSid = 0;
    m_requestMux->failEveryRequest(m_inboxRefused);
}

void NatsConnection::sendPing()
{
    if (m_state != State::Connected && m_state != State::Draining)
        return;
    if (!m_pings.keepAlive(m_options.maxPingsOutstanding)) {
        connectionLost(
            NatsError(NatsError::StaleConnection,
                      tr("stale connection: %1 pings were not answered").arg(m_options.maxPingsOutstanding)));
        return;
    }
    writeToSocket(NatsProtocol::ping());
}

void NatsConnection::handlePong()
{
    QPointer<NatsReply> reply;
    bool measured = false;
    if (!m_pings.pongReceived(&reply, &measured))
        return;
    if (measured)
        Q_EMIT roundTripTimeChanged(m_pings.roundTripTime());
    else if (m_pings.remeasure())
        sendPing(); // the event loop was held while the PING was out: that sample is no round trip
    if (reply)
        reply->finishWithMessage({});
}

NatsReply *NatsConnection::flush(int timeoutMs)
{
    auto *reply = new NatsReply(this);
    if (m_state != State::Connected && m_state != State::Draining) {
        reply->finishWithErrorLater(
            NatsError(m_state == State::Closed ? NatsError::ConnectionClosed : NatsError::NotConnected,
                      tr("cannot flush: not connected")));
        return reply;
    }
    m_pings.expectPong(reply);
    writeToSocket(NatsProtocol::ping());
    const int timeout = timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs;
    QTimer::singleShot(timeout, reply, [reply] {
        reply->finishWithError(NatsError(NatsError::Timeout, tr("flush timed out: the server did not answer PING")));
    });
    return reply;
}

void NatsConnection::failAllPending(const NatsError &error)
{
    m_pings.failAll(error);
    m_requestMux->failAll(error);
    m_responseSid = 0; // before the subscriptions end: their slots may send requests on a new inbox
    m_subscriptions.endAll();
    if (m_drainReply)
        m_drainReply->finishWithError(error);
}

// ---- request/reply -------------------------------------------------------------------------------

void NatsConnection::ensureResponseSubscription()
{
    if (m_responseSid != 0)
        return;
    // One wildcard inbox for every request on this connection (see NatsRequestMux).
    m_responseSid = subscribe(m_requestMux->newInbox(m_options.inboxPrefixOrDefault()))->sid();
}

NatsReply *NatsConnection::request(const QByteArray &subject, const QByteArray &data, int timeoutMs)
{
    return request(NatsMessage(subject, data), timeoutMs);
}

NatsError NatsConnection::checkRequest(const QByteArray &subject) const
{
    if (m_state == State::Draining)
        return NatsError(NatsError::ConnectionDraining, tr("the connection is draining"));
    if (m_state == State::Closed || m_state == State::Disconnected)
        return NatsError(NatsError::ConnectionClosed, tr("cannot send a request: the connection is not open"));
    if (m_inboxRefused.isError()) {
        return NatsError(
            NatsError::PermissionsViolation,
            tr("request on \"%1\" not sent: %2").arg(QString::fromUtf8(subject), m_inboxRefused.message()));
    }
    return {};
}

NatsReply *NatsConnection::request(const NatsMessage &message, int timeoutMs)
{
    return startRequest(message, timeoutMs, false);
}

NatsReply *NatsConnection::requestWithHandshake(const NatsMessage &message, int timeoutMs)
{
    // CONNECT not written yet, this attempt's INFO known (being handled, or TLS set up after it), and
    // nothing published before it waiting for the handshake, which it must not overtake.
    const bool beforeConnect = (m_state == State::Connecting || m_state == State::Reconnecting)
        && (m_handshake == Handshake::WaitingInfo || m_handshake == Handshake::WaitingTls) && m_attemptHasInfo
        && m_outbox.isEmpty();
    return startRequest(message, timeoutMs, beforeConnect);
}

NatsReply *NatsConnection::startRequest(const NatsMessage &message, int timeoutMs, bool withHandshake)
{
    NatsReply *reply = m_requestMux->createReply();
    if (const NatsError refused = checkRequest(message.subject()); refused.isError()) {
        reply->finishWithErrorLater(refused);
        return reply;
    }
    ensureResponseSubscription();
    const QByteArray replyTo = m_requestMux->nextReplySubject();
    quint64 outboxTicket = 0;
    const NatsError problem = withHandshake ? appendToHandshake(message, replyTo)
                                            : publishRequest(message, replyTo, &outboxTicket);
    if (problem.isError()) {
        reply->finishWithErrorLater(problem);
        return reply;
    }
    m_requestMux->add(replyTo, reply, message.subject(), timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs,
                      outboxTicket);
    return reply;
}

NatsError NatsConnection::request(const NatsMessage &message, int timeoutMs, RequestCallback callback, quint64 *id)
{
    if (const NatsError refused = checkRequest(message.subject()); refused.isError())
        return refused;
    ensureResponseSubscription();
    const QByteArray replyTo = m_requestMux->nextReplySubject();
    quint64 outboxTicket = 0;
    if (const NatsError problem = publishRequest(message, replyTo, &outboxTicket); problem.isError())
        return problem;
    const quint64 requestId = m_requestMux->addCallback(replyTo, std::move(callback), message.subject(),
                                                        timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs,
                                                        outboxTicket);
    if (id)
        *id = requestId;
    return {};
}

NatsError NatsConnection::appendToHandshake(const NatsMessage &message, const QByteArray &replyTo)
{
    const QByteArray headerBlock = message.hasHeaders() ? message.headers().toWire() : QByteArray();
    const NatsError problem = NatsProtocol::checkRequestPublish(message, headerBlock, replyTo, m_info.maxPayload,
                                                                m_info.headers);
    if (problem.isError())
        return problem;
    // Not in the reconnect buffer: sendConnect() writes these after each CONNECT of this session.
    NatsProtocol::appendPublish(&m_handshakeRequests, message.subject(), replyTo, headerBlock, message.data());
    ++m_stats.outMessages;
    return {};
}

void NatsConnection::cancelRequest(quint64 id)
{
    m_requestMux->cancel(id);
}

qsizetype NatsConnection::pendingRequests() const
{
    return m_requestMux->pendingCount();
}

qint64 NatsConnection::bytesToWrite() const
{
    // The batch (or the reconnect buffer) and what the socket holds.
    return m_outbox.size() + socketBacklog();
}

qint64 NatsConnection::bytesToRead() const
{
    return m_parser.bufferedBytes() + (m_socket ? m_socket->bytesAvailable() : 0);
}
