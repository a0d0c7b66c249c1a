#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

class QTcpServer;
class QTcpSocket;

// A scripted stand-in for nats-server, only for what a real server never does: malformed, oversized or
// otherwise broken protocol. It listens on 127.0.0.1 (a free port), greets every client with a scripted
// INFO (or any bytes at all), answers each PING line with PONG, and after answering a client's first PING
// (the end of its CONNECT handshake) sends the scripted afterConnect bytes. It records what clients sent.
// Lines are read as text: client payloads are not parsed, so the tests should not publish to it.
class FakeNatsServer final : public QObject
{
    Q_OBJECT

public:
    explicit FakeNatsServer(QObject *parent = nullptr);
    ~FakeNatsServer() override;

    // An INFO line as nats-server 2.9.10 sends it (with the space before CRLF), for the given port.
    static QByteArray defaultInfo(quint16 port);

    // Sent as soon as a client connects; defaultInfo() unless set. An empty greeting sends nothing.
    void setGreeting(const QByteArray &bytes);
    // Sent right after the PONG that answers a client's first PING.
    void setAfterConnect(const QByteArray &bytes);

    bool listen();
    quint16 port() const;
    QString url() const; // nats://127.0.0.1:<port>
    QString errorString() const;

    // Clients accepted so far, and those still connected.
    int connectionCount() const { return m_accepted; }
    int openConnections() const { return int(m_clients.size()); }
    // Every byte clients sent, all connections together.
    QByteArray received() const { return m_received; }
    // Writes bytes to every connected client.
    void sendToClients(const QByteArray &bytes);
    // Closes every client connection from the server side.
    void disconnectClients();

Q_SIGNALS:
    void clientConnected();
    void clientDisconnected();
    // A client's first PING was answered (and afterConnect sent).
    void handshakeAnswered();

private:
    struct Client
    {
        QTcpSocket *socket = nullptr;
        QByteArray pending; // bytes of an incomplete line
        bool answered = false;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void onDisconnected(QTcpSocket *socket);

    QTcpServer *m_server = nullptr;
    QList<Client> m_clients;
    QByteArray m_greeting;
    bool m_greetingSet = false;
    QByteArray m_afterConnect;
    QByteArray m_received;
    int m_accepted = 0;
};
