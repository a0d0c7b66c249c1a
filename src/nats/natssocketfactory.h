#pragma once

class QObject;
class QSslSocket;
class QTcpSocket;

// The connection's sockets. A plain nats:// connection gets a QTcpSocket: creating a QSslSocket loads
// Qt's TLS backend and initialises OpenSSL, most of what a connect costs. A QSslSocket is made only when
// TLS is wanted from the start (tls://, TLS required by the options, tls_first), or when a server's INFO
// asks for TLS on a plain socket: the TCP connection then moves into a QSslSocket, as the official
// clients upgrade theirs in place.
class NatsSocketFactory final
{
public:
    // A socket for a connection that starts with TLS (tls) or in plain text.
    static QTcpSocket *create(bool tls, QObject *parent);
    // Whether a plain socket's connection can move into a QSslSocket (takeOver()); where it cannot,
    // every connection starts with a QSslSocket.
    static bool canTakeOver();
    // A QSslSocket on plain's TCP connection, which plain no longer uses (the caller deletes it), or
    // nullptr when that failed. Nothing may be unread on plain: a server asking for TLS waits for the
    // handshake after its INFO.
    static QSslSocket *takeOver(QTcpSocket *plain, QObject *parent);

    NatsSocketFactory() = delete;
};
