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

QString NatsConnection::handshakeStall() const
{
    // Where the handshake stopped: a silent server, a line that never ends, TLS, or no PONG.
    switch (m_handshake) {
    case Handshake::WaitingInfo:
        if (!m_socket || m_socket->state() != QAbstractSocket::ConnectedState)
            return tr("no TCP connection");
        if (m_parser.bufferedBytes() > 0)
            return tr("the server sent %1 bytes but no complete protocol line (no CRLF)").arg(m_parser.bufferedBytes());
        // A server set to the TLS handshake first says nothing to a client that waits for INFO; so does a
        // stopped or hung one. Only a client set up for TLS (not first) makes the first the likely one.
        return m_tls || !wantsTls() ? tr("the server sent no INFO")
                                    : tr("the server sent no INFO (one that wants the TLS handshake first needs "
                                         "tls_first)");
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

bool NatsConnection::wantsTls() const
{
    return currentServer().scheme() == "tls"_L1 || m_options.tlsRequired;
}

// A server that closes before its INFO, having sent nothing. At once: not a NATS server, or not one
// that takes us. After a while: most likely one set to tls { handshake_first: true }, which waits for a
// TLS hello and closes after its TLS timeout (nats-server's default 2 s; the connect timeout's is 5 s).
NatsError NatsConnection::explainClosedBeforeInfo(const NatsError &error) const
{
    if (m_handshake != Handshake::WaitingInfo || m_tls || m_attemptHasInfo || !m_openFor.isValid()
        || m_stats.inBytes != m_inBytesWhenOpened)
        return error;
    const QString where = currentServer().toDisplayString(QUrl::RemoveUserInfo);
    if (m_openFor.elapsed() < ClosedAtOnceMs)
        return NatsError(error.code(), tr("%1 closed the connection without sending INFO").arg(where));
    return NatsError(error.code(),
                     tr("%1 closed the connection without sending INFO (a server set to tls { "
                        "handshake_first: true } does so to a client that does not start with the "
                        "TLS handshake: it needs tls_first)")
                         .arg(where));
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

QByteArray NatsConnection::newInbox() const
{
    return NatsNuid::newInbox(m_options.inboxPrefixOrDefault());
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
    m_initialErrors.clear();
    m_error = {};
    m_inboxRefused = {};
    // A new session: publishes buffered by one that ended while reconnecting are not replayed into it.
    m_outbox.clear();
    m_handshakeRequests.clear();
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
    m_sidsSentWithConnect = 0;
    m_attemptHasInfo = false;
    m_openFor.invalidate();

    const bool tlsFromTheStart = url.scheme() == "tls"_L1 || m_options.tlsRequired || m_options.tlsFirst;
    wireSocket(NatsSocketFactory::create(tlsFromTheStart, this));

    kvCDebug(lcNatsConnection) << "connecting to" << url.toDisplayString(QUrl::RemoveUserInfo);
    m_connectTimer->start(m_options.connectTimeoutMs);
    m_socket->connectToHost(url.host(), quint16(url.port(NatsConnectOptions::DefaultPort)));
}

void NatsConnection::wireSocket(QTcpSocket *socket)
{
    m_socket = socket;
    m_socket->setReadBufferSize(ReadBufferSize);
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
    m_openFor.start();
    m_inBytesWhenOpened = m_stats.inBytes;
    kvCDebug(lcNatsConnection) << "TCP connected, waiting for INFO";
    if (m_options.tlsFirst)
        startTls(); // tls_first: the handshake before INFO (nats-server 2.10+, handshake_first)
}

void NatsConnection::onSocketError()
{
    if (!m_socket)
        return;
    NatsError error = NatsSocketError::describe(*m_socket, currentServer(), m_info.tlsVerify, m_options.tlsCertFile,
                                                m_options.tlsCaFile);
    if (auto *tlsSocket = qobject_cast<QSslSocket *>(m_socket);
        tlsSocket && m_options.tlsFirst && m_handshake == Handshake::WaitingTls)
        error = NatsTlsConfig::explainTlsFirst(error, *tlsSocket, currentServer());
    if (m_socket->error() == QAbstractSocket::RemoteHostClosedError)
        error = explainClosedBeforeInfo(error);
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
    connectionFailed(explainClosedBeforeInfo(error));
}

void NatsConnection::onSocketReadyRead()
{
    if (!m_socket)
        return;
    // A handler may close the connection or start another attempt; stop once the socket changes.
    const QTcpSocket *socket = m_socket;
    NatsProtocolParser::Op op;
    int sinceFlush = 0;
    // Piece by piece, each handled before the next is read, so that the parser holds one piece (and a
    // message spanning pieces), not all the socket has; and on until the socket is empty: a handler that
    // runs a nested event loop lets the socket read more without emitting readyRead again.
    while (m_socket == socket && feedParser()) {
        while (m_socket == socket && m_parser.next(&op)) {
            processOperation(op);
            // What the handlers wrote (a pipeline's next puts, sent as acks come in) goes to the kernel
            // every so many messages, not after the whole read: the server works on it while we read on,
            // instead of the two taking turns on a read's worth of messages each.
            if (++sinceFlush == FlushEveryMessages && m_socket == socket) {
                sinceFlush = 0;
                pushBatch();
            }
        }
    }
    if (m_socket == socket && m_parser.hasError()) {
        const NatsError error(NatsError::ProtocolError,
                              tr("protocol error from %1: %2")
                                  .arg(currentServer().toDisplayString(QUrl::RemoveUserInfo), m_parser.errorString()));
        kvCWarning(lcNatsProtocol).noquote() << error.message();
        connectionFailed(error);
    }
}

bool NatsConnection::feedParser()
{
    // Straight into the parser's buffer, which keeps its capacity from read to read.
    const qint64 available = std::min(m_socket->bytesAvailable(), ParseChunkSize);
    char *into = available > 0 ? m_parser.reserveFeed(available) : nullptr;
    if (!into)
        return false;
    const qint64 read = m_socket->read(into, available);
    if (read > 0) {
        m_stats.inBytes += quint64(read);
        if (NatsLogging::wireLogEnabled())
            kvCDebug(lcNatsWire).noquote() << "<<" << NatsLogging::wireText(QByteArray(into, read));
    }
    m_parser.commitFeed(read);
    return read > 0;
}

void NatsConnection::processOperation(NatsProtocolParser::Op &op)
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
    // first INFO carries) stays as the handshake saw it. The first is taken whole, not key by key.
    const QJsonObject received = document.object();
    if (m_handshake == Handshake::WaitingInfo) {
        m_infoJson = received;
    } else {
        for (auto it = received.begin(); it != received.end(); ++it)
            m_infoJson.insert(it.key(), it.value());
    }
    const NatsServerInfo info = NatsServerInfo::fromJsonObject(m_infoJson);
    const bool wasLameDuck = m_info.lameDuckMode;
    m_info = info;
    // max_payload binds clients, not the server (its own replies exceed it); the client's own bound
    // follows it only so far: see messageLimitFor().
    m_parser.setMaxPayload(NatsProtocolParser::messageLimitFor(info.maxPayload));
    m_pool.addImplicitServers(info.connectUrls);
    if (m_handshake == Handshake::WaitingInfo)
        m_attemptHasInfo = true; // requestWithHandshake() from the signal knows what it talks to
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
    QByteArray handshake = NatsProtocol::connect(json) + NatsProtocol::ping();
    if (!m_handshakeRequests.isEmpty()) {
        // requestWithHandshake()'s questions, with the subscriptions so far (their inbox among them):
        // read by the server after it has accepted the CONNECT, answered right after the PONG.
        handshake += m_subscriptions.resubscribeCommands();
        m_sidsSentWithConnect = m_subscriptions.lastSid();
        handshake += m_handshakeRequests;
    }
    writeToSocket(handshake);
    // To the kernel now, not on Qt's next write notification: the handshake's round trip starts here.
    m_socket->flush();
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
    kvCDebug(lcNatsConnection) << (reconnect ? "reconnected to" : "connected to")
                               << currentServer().toDisplayString(QUrl::RemoveUserInfo) << "server" << m_info.version;
    // Order as the official clients: subscriptions first, then what was published meanwhile.
    // (Those that went with the CONNECT are there already.)
    const quint64 sentWithConnect = std::exchange(m_sidsSentWithConnect, 0);
    m_handshakeRequests.clear();
    if (const QByteArray subscribe = m_subscriptions.resubscribeCommands(sentWithConnect); !subscribe.isEmpty())
        writeToSocket(subscribe);
    // Straight to the socket (the state is not Connected yet, so writeToSocket() would keep it back).
    m_outbox.takeAll([this](const char *data, qsizetype size) { writeRaw(data, size); });
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
    kvCDebug(lcNatsConnection).noquote() << "attempt failed:" << error.message();
    dropSocket();
    m_handshake = Handshake::None;

    // Counted even on the first connect, which gives up below before dropping anything.
    const bool dropServer = m_pool.attemptFailed(error, m_options);
    setError(error);

    if (m_state == State::Connecting && !m_options.retryOnFailedConnect) {
        // The first connect tries each server once, then gives up: with what each said, when there were
        // several (the last one's alone named one server of the list given).
        m_initialErrors.append(error.message());
        if (m_initialErrors.size() >= m_pool.size()) {
            const NatsError all = m_initialErrors.size() > 1 ? NatsError(error.code(),
                                                                         tr("each of the %1 servers failed: %2")
                                                                             .arg(m_initialErrors.size())
                                                                             .arg(m_initialErrors.join(u"; "_s)))
                                                             : error;
            setError(all);
            giveUp(all);
            return;
        }
        Q_EMIT connectAttemptFailed();
        scheduleNextAttempt();
        return;
    }
    if (NatsError::isAuthenticationError(error.code()))
        Q_EMIT errorOccurred(error.code());
    Q_EMIT connectAttemptFailed();
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
    kvCDebug(lcNatsConnection).noquote() << "connection lost:" << error.message();
    dropSocket();
    m_handshake = Handshake::None;
    m_inboxRefused = {}; // the next connection subscribes a new inbox; its permissions may differ
    setError(error);
    m_pings.failAll(NatsError(NatsError::ConnectionLost, tr("the connection was lost before the server answered")));
    // The batch never reached the socket: its publishes wait for the next connection as the reconnect
    // buffer (and a request among them is not "sent", failSent() leaves it waiting), unless that buffer is
    // off or smaller; then they count as lost with the socket's, and those requests' outcome as unknown.
    if (m_outbox.size() > m_options.reconnectBufferSize)
        m_outbox.clear();
    if (m_state == State::Draining || !m_options.allowReconnect) {
        Q_EMIT errorOccurred(error.code());
        // Closed before the pending requests fail: one made again from their slots or callbacks is
        // refused, not written to the socket just dropped and left to time out.
        setState(State::Closed);
        m_requestMux->failSent(error);
        failAllPending(error);
        m_outbox.clear();
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
    // The batch is not on the socket yet: it goes first, to leave with the rest. Not connected, m_outbox is
    // the reconnect buffer, dropped below.
    moveBatchToSocket();
    if (m_socket) {
        // Let bytes already written reach the server before the socket goes. Handed to the kernel now
        // (flush() does not block): a program that closes and exits runs no event loop to write them
        // later, and kvdesk-cli's last UNSUB and CONSUMER.DELETE were lost so, leaving its consumer behind.
        QTcpSocket *socket = m_socket;
        m_socket = nullptr;
        socket->flush();
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
    setState(State::Closed); // first, as in connectionLost(): nothing new is sent from the failures' slots
    failAllPending(NatsError(NatsError::ConnectionClosed, tr("the connection was closed")));
    Q_EMIT closed();
}
