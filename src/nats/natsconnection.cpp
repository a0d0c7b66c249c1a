#include "natsconnection.h"

#include "natsconnectrequest.h"
#include "natslogging.h"
#include "natsnuid.h"
#include "natspermissionviolation.h"
#include "natsprotocol.h"
#include "natsreply.h"
#include "natsrequestmux.h"
#include "natssocketerror.h"
#include "natssocketfactory.h"
#include "natssubscription.h"
#include "natstlsconfig.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>
#include <QtNetwork/QSslSocket>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// Errors after which the server keeps the connection open.
bool keepsConnectionOpen(NatsError::Code code)
{
    return code == NatsError::PermissionsViolation || code == NatsError::InvalidSubjectRejected
        || code == NatsError::MaxSubscriptionsExceeded;
}

} // namespace

QString NatsConnection::handshakeStall() const
{
    // Where the handshake stopped: a silent server, a line that never ends, TLS, or no PONG.
    switch (m_handshake) {
    case Handshake::WaitingInfo:
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            return tr("no TCP connection");
        if (m_parser.bufferedBytes() > 0)
            return tr("the server sent %1 bytes but no complete protocol line (no CRLF)").arg(m_parser.bufferedBytes());
        // What a server set to the TLS handshake first does to a client that waits for INFO.
        return m_tls ? tr("the server sent no INFO")
                     : tr("the server sent no INFO (one that wants the TLS handshake first needs tls_first)");
    case Handshake::WaitingTls:
        return tr("the TLS handshake did not complete");
    case Handshake::WaitingPong:
        return tr("the server did not answer CONNECT");
    case Handshake::None:
    case Handshake::Done:
        break;
    }
    return tr("no TCP connection");
}

NatsConnection::NatsConnection(QObject *parent)
    : QObject(parent)
    , m_connectTimer(new QTimer(this))
    , m_reconnectTimer(new QTimer(this))
    , m_pingTimer(new QTimer(this))
    , m_requestMux(new NatsRequestMux(this, &m_outbox))
    , m_drainTimer(new QTimer(this))
{
    m_connectTimer->setSingleShot(true);
    m_reconnectTimer->setSingleShot(true);
    m_drainTimer->setSingleShot(true);
    connect(m_connectTimer, &QTimer::timeout, this, [this] {
        attemptFailed(NatsError(NatsError::ConnectionTimeout,
                                tr("connecting to %1 timed out: %2")
                                    .arg(currentServer().toDisplayString(QUrl::RemoveUserInfo), handshakeStall())));
    });
    connect(m_reconnectTimer, &QTimer::timeout, this, &NatsConnection::connectToCurrentServer);
    connect(m_pingTimer, &QTimer::timeout, this, &NatsConnection::sendPing);
    connect(m_requestMux, &NatsRequestMux::idle, this, &NatsConnection::finishDrainIfIdle);
    connect(m_drainTimer, &QTimer::timeout, this, [this] {
        const NatsError error(
            NatsError::Timeout,
            tr("drain timed out after %1 ms; closing with requests still pending").arg(m_options.drainTimeoutMs));
        setError(error);
        // The drain reply reports the timeout; close() would finish it with a plain ConnectionClosed.
        const QPointer<NatsReply> drainReply = m_drainReply;
        m_drainReply = nullptr;
        close();
        if (drainReply)
            drainReply->finishWithError(error);
    });
}

NatsConnection::~NatsConnection()
{
    // Handles are our children and die with us; finish them first so nobody waits forever.
    const bool blocked = blockSignals(true);
    m_state = State::Closed;
    dropSocket();
    failAllPending(NatsError(NatsError::ConnectionClosed, tr("the connection was destroyed")));
    blockSignals(blocked);
}

void NatsConnection::setOptions(const NatsConnectOptions &options)
{
    m_options = options;
}

QUrl NatsConnection::currentServer() const
{
    return m_pool.currentUrl();
}

QList<QUrl> NatsConnection::serverPool() const
{
    return m_pool.urls();
}

QByteArray NatsConnection::newInbox()
{
    return NatsNuid::newInbox();
}

void NatsConnection::connectToServer(const NatsConnectOptions &options)
{
    setOptions(options);
    connectToServer();
}

void NatsConnection::connectToServer()
{
    if (m_state == State::Connecting || m_state == State::Connected || m_state == State::Reconnecting)
        return;

    QString parseError;
    if (!m_pool.reset(m_options, &parseError)) {
        setError(NatsError(NatsError::InvalidUrl, parseError));
        setState(State::Closed);
        Q_EMIT closed();
        return;
    }
    m_everConnected = false;
    m_initialAttempts = 0;
    m_error = {};
    m_inboxRefused = {};
    // A new session: publishes buffered by one that ended while reconnecting are not replayed into it.
    m_outbox.clear();
    setState(State::Connecting);
    startAttempt();
}

void NatsConnection::startAttempt()
{
    if (m_state != State::Connecting && m_state != State::Reconnecting)
        return;
    if (m_pool.isEmpty()) {
        if (!m_error.isError())
            setError(NatsError(NatsError::NoServers, tr("no servers left to connect to")));
        giveUp(m_error);
        return;
    }

    const qint64 delay = m_pool.advance(m_options);
    if (delay > 0)
        m_reconnectTimer->start(int(delay));
    else
        connectToCurrentServer();
}

void NatsConnection::connectToCurrentServer()
{
    if ((m_state != State::Connecting && m_state != State::Reconnecting) || !m_pool.hasCurrent())
        return;
    m_pool.attemptStarted();
    const QUrl url = m_pool.currentUrl();
    dropSocket();
    m_parser.reset();
    m_handshake = Handshake::WaitingInfo;
    m_tls = false;

    const bool tlsFromTheStart = url.scheme() == "tls"_L1 || m_options.tlsRequired || m_options.tlsFirst;
    wireSocket(NatsSocketFactory::create(tlsFromTheStart, this));

    qCDebug(lcNatsConnection) << "connecting to" << url.toDisplayString(QUrl::RemoveUserInfo);
    m_connectTimer->start(m_options.connectTimeoutMs);
    m_socket->connectToHost(url.host(), quint16(url.port(NatsConnectOptions::DefaultPort)));
}

void NatsConnection::wireSocket(QTcpSocket *socket)
{
    m_socket = socket;
    connect(m_socket, &QTcpSocket::connected, this, &NatsConnection::onSocketConnected);
    connect(m_socket, &QTcpSocket::disconnected, this, &NatsConnection::onSocketDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &NatsConnection::onSocketError);
    connect(m_socket, &QTcpSocket::readyRead, this, &NatsConnection::onSocketReadyRead);
    if (auto *tlsSocket = qobject_cast<QSslSocket *>(m_socket)) {
        connect(tlsSocket, &QSslSocket::encrypted, this, &NatsConnection::onSocketEncrypted);
        connect(tlsSocket, &QSslSocket::sslErrors, this, &NatsConnection::onSocketError);
    }
}

void NatsConnection::dropSocket()
{
    m_connectTimer->stop();
    m_pingTimer->stop();
    if (!m_socket)
        return;
    QTcpSocket *socket = m_socket;
    m_socket = nullptr;
    socket->disconnect(this);
    socket->abort();
    socket->deleteLater();
}

void NatsConnection::onSocketConnected()
{
    // No Nagle, as nats.go (Go's default) and libnats: a request written while an earlier one's answer
    // is still arriving would otherwise wait for the server's delayed ACK (40 ms).
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    qCDebug(lcNatsConnection) << "TCP connected, waiting for INFO";
    if (m_options.tlsFirst)
        startTls(); // tls_first: the handshake before INFO (nats-server 2.10+, handshake_first)
}

void NatsConnection::onSocketError()
{
    if (!m_socket)
        return;
    NatsError error = NatsSocketError::describe(*m_socket, currentServer(), m_info.tlsVerify, m_options.tlsCertFile);
    if (auto *tlsSocket = qobject_cast<QSslSocket *>(m_socket);
        tlsSocket && m_options.tlsFirst && m_handshake == Handshake::WaitingTls)
        error = NatsTlsConfig::explainTlsFirst(error, *tlsSocket, currentServer());
    connectionFailed(error);
}

void NatsConnection::onSocketDisconnected()
{
    if (!m_socket)
        return;
    NatsError error(NatsError::ConnectionLost,
                    tr("connection to %1 lost").arg(currentServer().toDisplayString(QUrl::RemoveUserInfo)));
    if (auto *tlsSocket = qobject_cast<QSslSocket *>(m_socket);
        tlsSocket && m_options.tlsFirst && m_handshake == Handshake::WaitingTls)
        error = NatsTlsConfig::explainTlsFirst(error, *tlsSocket, currentServer());
    connectionFailed(error);
}

void NatsConnection::onSocketReadyRead()
{
    if (!m_socket)
        return;
    // Straight into the parser's buffer, which keeps its capacity from read to read.
    const qint64 available = m_socket->bytesAvailable();
    if (char *into = available > 0 ? m_parser.reserveFeed(available) : nullptr) {
        const qint64 read = m_socket->read(into, available);
        if (read > 0) {
            m_stats.inBytes += quint64(read);
            if (lcNatsWire().isDebugEnabled())
                qCDebug(lcNatsWire).noquote() << "<<" << NatsLogging::wireText(QByteArray(into, read));
        }
        m_parser.commitFeed(read);
    }

    // A handler may close the connection or start another attempt; stop once the socket changes.
    const QTcpSocket *socket = m_socket;
    NatsProtocolParser::Op op;
    while (m_socket == socket && m_parser.next(&op))
        processOperation(op);
    if (m_socket == socket && m_parser.hasError()) {
        const NatsError error(NatsError::ProtocolError,
                              tr("protocol error from %1: %2")
                                  .arg(currentServer().toDisplayString(QUrl::RemoveUserInfo), m_parser.errorString()));
        qCWarning(lcNatsProtocol).noquote() << error.message();
        connectionFailed(error);
    }
}

void NatsConnection::processOperation(const NatsProtocolParser::Op &op)
{
    using OpType = NatsProtocolParser::OpType;
    switch (op.type) {
    case OpType::Msg:
        if (m_handshake == Handshake::Done)
            handleMessage(op);
        break;
    case OpType::Ping:
        writeToSocket(NatsProtocol::pong());
        break;
    case OpType::Pong:
        if (m_handshake == Handshake::WaitingPong)
            handshakeCompleted();
        else
            handlePong();
        break;
    case OpType::Info:
        handleInfo(op.text);
        break;
    case OpType::Err:
        handleServerError(op.text);
        break;
    case OpType::Ok:
        break;
    }
}

void NatsConnection::handleInfo(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        const NatsError error(NatsError::ProtocolError,
                              tr("protocol error from %1: the server sent an INFO that is not valid JSON")
                                  .arg(currentServer().toDisplayString(QUrl::RemoveUserInfo)));
        // INFO also comes at any time once connected (cluster changes, lame duck mode). attemptFailed()
        // there dropped the socket but left the state Connected, with nothing left to ever change it.
        connectionFailed(error);
        return;
    }
    // A later INFO on the same connection (cluster changes, lame duck mode, and 2.12+'s second INFO
    // right after the first PONG) updates what it names; what it leaves out (the nonce, which only the
    // first INFO carries) stays as the handshake saw it.
    QJsonObject merged = m_handshake == Handshake::WaitingInfo ? QJsonObject() : m_infoJson;
    const QJsonObject received = document.object();
    for (auto it = received.begin(); it != received.end(); ++it)
        merged.insert(it.key(), it.value());
    m_infoJson = merged;
    const NatsServerInfo info = NatsServerInfo::fromJsonObject(merged);
    const bool wasLameDuck = m_info.lameDuckMode;
    m_info = info;
    // max_payload binds clients, not the server (its own replies exceed it); the client's own bound
    // follows it only so far: see messageLimitFor().
    m_parser.setMaxPayload(NatsProtocolParser::messageLimitFor(info.maxPayload));
    m_pool.addImplicitServers(info.connectUrls);
    Q_EMIT serverInfoChanged();
    if (info.lameDuckMode && !wasLameDuck)
        Q_EMIT lameDuckModeEntered();

    if (m_handshake != Handshake::WaitingInfo)
        return;
    if (m_tls) { // tls_first: encrypted before INFO came
        sendConnect();
        return;
    }

    const bool wantTls = currentServer().scheme() == "tls"_L1 || m_options.tlsRequired;
    if (info.tlsRequired || wantTls) {
        if (!info.tlsRequired && !info.tlsAvailable) {
            attemptFailed(NatsError(NatsError::TlsNotAvailable,
                                    tr("%1 does not offer TLS (secure connection not available)")
                                        .arg(currentServer().toDisplayString(QUrl::RemoveUserInfo))));
            return;
        }
        startTls();
        return;
    }
    sendConnect();
}

void NatsConnection::startTls()
{
    NatsError error;
    const QSslConfiguration config = NatsTlsConfig::build(m_options, &error);
    if (error.isError()) {
        attemptFailed(error);
        return;
    }
    auto *tlsSocket = qobject_cast<QSslSocket *>(m_socket);
    if (!tlsSocket) {
        // Plain so far (a nats:// URL to a server whose INFO asks for TLS): the connection moves into a
        // QSslSocket. onSocketReadyRead() stops reading from the old one, which had nothing after INFO.
        QTcpSocket *plain = m_socket;
        plain->disconnect(this);
        tlsSocket = NatsSocketFactory::takeOver(plain, this);
        plain->deleteLater();
        m_socket = nullptr;
        if (!tlsSocket) {
            attemptFailed(
                NatsError(NatsError::TlsError,
                          tr("cannot start TLS with %1").arg(currentServer().toDisplayString(QUrl::RemoveUserInfo))));
            return;
        }
        wireSocket(tlsSocket);
    }
    tlsSocket->setSslConfiguration(config);
    tlsSocket->setPeerVerifyName(m_pool.tlsPeerName());
    m_handshake = Handshake::WaitingTls;
    tlsSocket->startClientEncryption();
}

void NatsConnection::onSocketEncrypted()
{
    if (m_handshake != Handshake::WaitingTls)
        return;
    m_tls = true;
    if (m_options.tlsFirst) {
        m_handshake = Handshake::WaitingInfo; // the server sends INFO once the handshake is done
        return;
    }
    sendConnect();
}

void NatsConnection::sendConnect()
{
    NatsError error;
    const QByteArray json = NatsConnectRequest::build(m_options, m_info, currentServer(), m_tls, &error);
    if (error.isError()) {
        // Wrong credentials on our side will not get better by retrying: close with the reason.
        setError(error);
        Q_EMIT errorOccurred(error.code());
        dropSocket();
        failAllPending(error);
        setState(State::Closed);
        Q_EMIT closed();
        return;
    }
    m_handshake = Handshake::WaitingPong;
    writeToSocket(NatsProtocol::connect(json) + NatsProtocol::ping());
}

void NatsConnection::handshakeCompleted()
{
    m_connectTimer->stop();
    m_handshake = Handshake::Done;
    m_pool.attemptSucceeded();
    m_pings.resetOutstanding();
    if (m_options.pingIntervalMs > 0)
        m_pingTimer->start(m_options.pingIntervalMs);

    const bool reconnect = m_everConnected;
    qCDebug(lcNatsConnection) << (reconnect ? "reconnected to" : "connected to")
                              << currentServer().toDisplayString(QUrl::RemoveUserInfo) << "server" << m_info.version;
    // Order as the official clients: subscriptions first, then what was published meanwhile.
    if (const QByteArray subscribe = m_subscriptions.resubscribeCommands(); !subscribe.isEmpty())
        writeToSocket(subscribe);
    if (!m_outbox.isEmpty())
        writeToSocket(m_outbox.takeAll());
    m_everConnected = true;
    m_error = {};
    setState(State::Connected);
    if (reconnect) {
        ++m_stats.reconnects;
        Q_EMIT reconnected();
    } else {
        Q_EMIT connected();
    }
}

void NatsConnection::attemptFailed(const NatsError &error)
{
    if (!m_socket && m_handshake == Handshake::None)
        return;
    qCDebug(lcNatsConnection).noquote() << "attempt failed:" << error.message();
    dropSocket();
    m_handshake = Handshake::None;

    // Counted even on the first connect, which gives up below before dropping anything.
    const bool dropServer = m_pool.attemptFailed(error, m_options);
    setError(error);

    if (m_state == State::Connecting && !m_options.retryOnFailedConnect) {
        // The first connect tries each server once, then gives up with the last error.
        if (++m_initialAttempts >= m_pool.size()) {
            giveUp(error);
            return;
        }
        scheduleNextAttempt();
        return;
    }
    if (NatsError::isAuthenticationError(error.code()))
        Q_EMIT errorOccurred(error.code());
    if (dropServer) {
        m_pool.removeCurrent();
    }
    if (m_state == State::Closed)
        return;
    scheduleNextAttempt();
}

void NatsConnection::connectionFailed(const NatsError &error)
{
    // Until the handshake is done a failure ends the attempt on this server; after it, the connection.
    if (m_handshake == Handshake::Done)
        connectionLost(error);
    else
        attemptFailed(error);
}

void NatsConnection::giveUp(const NatsError &error)
{
    Q_EMIT errorOccurred(error.code());
    failAllPending(error);
    setState(State::Closed);
    Q_EMIT closed();
}

void NatsConnection::scheduleNextAttempt()
{
    // Let the event loop breathe between attempts; startAttempt() applies the per-server wait.
    QTimer::singleShot(0, this, &NatsConnection::startAttempt);
}

void NatsConnection::connectionLost(const NatsError &error)
{
    if (m_state != State::Connected && m_state != State::Draining)
        return;
    qCDebug(lcNatsConnection).noquote() << "connection lost:" << error.message();
    dropSocket();
    m_handshake = Handshake::None;
    m_inboxRefused = {}; // the next connection subscribes a new inbox; its permissions may differ
    setError(error);
    m_pings.failAll(NatsError(NatsError::ConnectionLost, tr("the connection was lost before the server answered")));
    if (m_state == State::Draining || !m_options.allowReconnect) {
        Q_EMIT errorOccurred(error.code());
        m_requestMux->failSent(error);
        failAllPending(error);
        setState(State::Closed);
        Q_EMIT disconnected();
        Q_EMIT closed();
        return;
    }
    // Reported even though a reconnect follows: a protocol error or a stale connection is worth knowing
    // about, and errorOccurred() is documented to cover lost connections.
    Q_EMIT errorOccurred(error.code());
    setState(State::Reconnecting);
    // Their answers are lost with the connection, and "timed out" later would say nothing was sent.
    // After setState(): a request made again from a slot waits in the outbox for the reconnect.
    m_requestMux->failSent(error);
    Q_EMIT disconnected();
    scheduleNextAttempt();
}

void NatsConnection::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void NatsConnection::setError(const NatsError &error)
{
    m_error = error;
}

void NatsConnection::close()
{
    if (m_state == State::Closed || m_state == State::Disconnected)
        return;
    m_reconnectTimer->stop();
    m_drainTimer->stop();
    if (m_socket) {
        // Let bytes already written reach the server before the socket goes.
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        socket->disconnect(this);
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        if (socket->state() == QAbstractSocket::UnconnectedState)
            socket->deleteLater();
    }
    m_connectTimer->stop();
    m_pingTimer->stop();
    m_handshake = Handshake::None;
    m_outbox.clear();
    failAllPending(NatsError(NatsError::ConnectionClosed, tr("the connection was closed")));
    setState(State::Closed);
    Q_EMIT closed();
}

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

NatsError NatsConnection::checkPublish(const NatsMessage &message, const QByteArray &headerBlock) const
{
    switch (m_state) {
    case State::Disconnected:
        return NatsError(NatsError::NotConnected, tr("not connected: call connectToServer() first"));
    case State::Closed:
        return NatsError(NatsError::ConnectionClosed, tr("the connection is closed"));
    case State::Draining:
        return NatsError(NatsError::ConnectionDraining, tr("the connection is draining; nothing new can be sent"));
    default:
        break;
    }
    // Headers are refused only once INFO has said the server does not take them.
    return NatsProtocol::checkPublish(message, headerBlock, m_info.maxPayload, !m_everConnected || m_info.headers);
}

NatsError NatsConnection::publish(const QByteArray &subject, const QByteArray &data, const QByteArray &replyTo)
{
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
    const NatsError problem = checkPublish(message, headerBlock);
    if (problem.isError())
        return problem;
    // Encoded into one buffer kept from publish to publish: no allocation per message. Whoever keeps
    // the bytes (the outbox) shares them, and the next resize detaches.
    m_frame.resize(0);
    NatsProtocol::appendPublish(&m_frame, message.subject(), message.replyTo(), headerBlock, message.data());
    if (m_state != State::Connected && m_outbox.size() + m_frame.size() > m_options.reconnectBufferSize) {
        return NatsError(NatsError::ReconnectBufferFull,
                         tr("not connected and the reconnect buffer (%1 bytes) is full; the message was not sent")
                             .arg(m_options.reconnectBufferSize));
    }
    ++m_stats.outMessages;
    const quint64 ticket = write(m_frame);
    if (outboxTicket)
        *outboxTicket = ticket;
    return {};
}

quint64 NatsConnection::write(const QByteArray &bytes)
{
    if (m_state == State::Connected || m_state == State::Draining) {
        writeToSocket(bytes);
        return 0;
    }
    return m_outbox.append(bytes);
}

void NatsConnection::writeToSocket(const QByteArray &bytes)
{
    if (!m_socket)
        return;
    qCDebug(lcNatsWire).noquote() << ">>" << NatsLogging::wireText(bytes);
    m_stats.outBytes += quint64(bytes.size());
    // Copied into the socket's buffer (a frame is reused; see publishMessage()), which Qt writes out
    // when the event loop runs, many frames in one write. A caller publishing in a loop does not let it
    // run: past a bound, what the kernel takes now is handed over at once (flush() does not block), so
    // the buffer does not grow with the whole burst.
    m_socket->write(bytes.constData(), bytes.size());
    if (m_socket->bytesToWrite() > WriteFlushThreshold)
        m_socket->flush();
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
    if (sendUnsub && m_state == State::Connected)
        writeToSocket(NatsProtocol::unsub(sid));
}

void NatsConnection::sendAutoUnsubscribe(quint64 sid, quint64 maxMessages)
{
    if (m_state == State::Connected)
        writeToSocket(NatsProtocol::unsub(sid, maxMessages));
}

void NatsConnection::handleMessage(const NatsProtocolParser::Op &op)
{
    ++m_stats.inMessages;
    NatsMessage message(op.subject, op.payload, op.replyTo);
    if (op.hasHeaders) {
        NatsHeaders headers;
        if (!NatsHeaders::fromWire(op.headers, &headers)) {
            qCWarning(lcNatsProtocol) << "dropping a message on" << op.subject << "with a malformed header block";
            return;
        }
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
    qCWarning(lcNatsConnection).noquote() << "-ERR" << text;

    if (m_handshake != Handshake::Done) {
        attemptFailed(error);
        return;
    }
    setError(error);
    if (code == NatsError::PermissionsViolation)
        handlePermissionViolation(text);
    if (keepsConnectionOpen(code)) {
        Q_EMIT errorOccurred(code);
        return;
    }
    // The server closes after the other errors; reconnect (stale connection, max connections) or close.
    // connectionLost() reports the error, once.
    connectionLost(error);
}

void NatsConnection::handlePermissionViolation(const QByteArray &text)
{
    // The server goes on after it; what it refused fails now rather than timing out later. The error
    // names the subject as it was sent: the server's text quotes it with Go's escapes.
    NatsPermissionViolation violation;
    if (!NatsPermissionViolation::parse(text, &violation))
        return;
    const QString server = currentServer().toDisplayString(QUrl::RemoveUserInfo);
    const QString subject = QString::fromUtf8(violation.subject);
    const QString serverText = QString::fromUtf8(text);
    switch (violation.operation) {
    case NatsPermissionViolation::Operation::Publish:
        m_requestMux->failRequestsTo(
            violation.subject,
            NatsError(NatsError::PermissionsViolation,
                      tr("%1 does not allow publishing to \"%2\": %3").arg(server, subject, serverText)));
        break;
    case NatsPermissionViolation::Operation::Reply:
        m_requestMux->failRequestWithReply(
            violation.subject,
            NatsError(NatsError::PermissionsViolation,
                      tr("%1 does not allow \"%2\" as a reply subject: %3").arg(server, subject, serverText)));
        break;
    case NatsPermissionViolation::Operation::Subscription:
        if (m_responseSid != 0 && violation.queueGroup.isEmpty() && violation.subject == m_requestMux->inboxSubject()) {
            inboxRefused(text);
            break;
        }
        m_subscriptions.failSubscriptionsTo(
            violation.subject, violation.queueGroup,
            NatsError(NatsError::PermissionsViolation,
                      tr("%1 does not allow subscribing to \"%2\": %3").arg(server, subject, serverText)));
        break;
    }
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
    if (!m_pings.pongReceived(&reply))
        return;
    Q_EMIT roundTripTimeChanged(m_pings.roundTripTime());
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
    m_responseSid = subscribe(m_requestMux->newInbox())->sid();
}

NatsReply *NatsConnection::request(const QByteArray &subject, const QByteArray &data, int timeoutMs)
{
    return request(NatsMessage(subject, data), timeoutMs);
}

NatsReply *NatsConnection::request(const NatsMessage &message, int timeoutMs)
{
    NatsReply *reply = m_requestMux->createReply();
    if (m_state == State::Draining) {
        reply->finishWithErrorLater(NatsError(NatsError::ConnectionDraining, tr("the connection is draining")));
        return reply;
    }
    if (m_state == State::Closed || m_state == State::Disconnected) {
        reply->finishWithErrorLater(
            NatsError(NatsError::ConnectionClosed, tr("cannot send a request: the connection is not open")));
        return reply;
    }
    if (m_inboxRefused.isError()) {
        reply->finishWithErrorLater(NatsError(
            NatsError::PermissionsViolation,
            tr("request on \"%1\" not sent: %2").arg(QString::fromUtf8(message.subject()), m_inboxRefused.message())));
        return reply;
    }
    ensureResponseSubscription();
    NatsMessage outgoing = message;
    outgoing.setReplyTo(m_requestMux->nextReplySubject());
    quint64 outboxTicket = 0;
    const NatsError problem = publishMessage(outgoing, &outboxTicket);
    if (problem.isError()) {
        reply->finishWithErrorLater(problem);
        return reply;
    }
    m_requestMux->add(outgoing.replyTo(), reply, message.subject(),
                      timeoutMs < 0 ? m_options.requestTimeoutMs : timeoutMs, outboxTicket);
    return reply;
}
