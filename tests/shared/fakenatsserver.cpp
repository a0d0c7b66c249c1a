#include "fakenatsserver.h"

#include <QtNetwork/QHostAddress>
#include <QtNetwork/QTcpServer>
#include <QtNetwork/QTcpSocket>

using namespace Qt::StringLiterals;

FakeNatsServer::FakeNatsServer(QObject *parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
{
    connect(m_server, &QTcpServer::newConnection, this, &FakeNatsServer::onNewConnection);
}

FakeNatsServer::~FakeNatsServer()
{
    // The sockets are our children; stop them calling back into a half-destroyed object.
    for (const Client &client : std::as_const(m_clients))
        client.socket->disconnect(this);
}

QByteArray FakeNatsServer::defaultInfo(quint16 port)
{
    return R"(INFO {"server_id":"NFAKE","server_name":"fake","version":"2.9.10","proto":1,"go":"go1.19.8",)"
           R"("host":"127.0.0.1","port":)"_ba
        + QByteArray::number(port)
        + R"(,"headers":true,"max_payload":1048576,"client_id":1,"client_ip":"127.0.0.1"} )"_ba + "\r\n"_ba;
}

void FakeNatsServer::setGreeting(const QByteArray &bytes)
{
    m_greeting = bytes;
    m_greetingSet = true;
}

void FakeNatsServer::setAfterConnect(const QByteArray &bytes)
{
    m_afterConnect = bytes;
}

bool FakeNatsServer::listen()
{
    return m_server->listen(QHostAddress::LocalHost, 0);
}

quint16 FakeNatsServer::port() const
{
    return m_server->serverPort();
}

QString FakeNatsServer::url() const
{
    return u"nats://127.0.0.1:%1"_s.arg(port());
}

QString FakeNatsServer::errorString() const
{
    return m_server->errorString();
}

void FakeNatsServer::sendToClients(const QByteArray &bytes)
{
    for (const Client &client : std::as_const(m_clients))
        client.socket->write(bytes);
}

void FakeNatsServer::disconnectClients()
{
    const QList<Client> clients = m_clients;
    for (const Client &client : clients)
        client.socket->disconnectFromHost();
}

void FakeNatsServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        ++m_accepted;
        m_clients.append(Client{socket, {}, false});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] { onDisconnected(socket); });
        socket->write(m_greetingSet ? m_greeting : defaultInfo(port()));
        Q_EMIT clientConnected();
    }
}

void FakeNatsServer::onReadyRead(QTcpSocket *socket)
{
    const auto it = std::find_if(m_clients.begin(), m_clients.end(),
                                 [socket](const Client &client) { return client.socket == socket; });
    if (it == m_clients.end())
        return;
    const QByteArray data = socket->readAll();
    m_received += data;
    it->pending += data;
    bool firstPingAnswered = false;
    qsizetype lineEnd;
    while ((lineEnd = it->pending.indexOf('\n')) >= 0) {
        const QByteArray line = it->pending.left(lineEnd).trimmed().toUpper();
        it->pending.remove(0, lineEnd + 1);
        if (line != "PING")
            continue;
        socket->write("PONG\r\n"_ba);
        if (!it->answered) {
            it->answered = true;
            socket->write(m_afterConnect);
            firstPingAnswered = true;
        }
    }
    if (firstPingAnswered)
        Q_EMIT handshakeAnswered();
}

void FakeNatsServer::onDisconnected(QTcpSocket *socket)
{
    m_clients.removeIf([socket](const Client &client) { return client.socket == socket; });
    socket->deleteLater();
    Q_EMIT clientDisconnected();
}
