#include "natssocketfactory.h"

#include <QtNetwork/QSslSocket>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

namespace {

// Bounds what Qt pulls off the kernel per read: a fast server (a million-key listing) otherwise lands
// in one huge readAll() while the previous chunk is still being handled.
constexpr qint64 ReadBufferSize = 1024 * 1024;

} // namespace

QTcpSocket *NatsSocketFactory::create(bool tls, QObject *parent)
{
    QTcpSocket *socket = tls || !canTakeOver() ? new QSslSocket(parent) : new QTcpSocket(parent);
    socket->setReadBufferSize(ReadBufferSize);
    return socket;
}

bool NatsSocketFactory::canTakeOver()
{
#ifdef Q_OS_UNIX
    return true;
#else
    return false;
#endif
}

QSslSocket *NatsSocketFactory::takeOver(QTcpSocket *plain, QObject *parent)
{
#ifdef Q_OS_UNIX
    // A second descriptor on the same connection: closing plain's (abort() closes, it does not shut the
    // connection down) leaves the connection to the QSslSocket.
    const int descriptor = ::dup(int(plain->socketDescriptor()));
    if (descriptor < 0)
        return nullptr;
    plain->abort();
    auto *socket = new QSslSocket(parent);
    socket->setReadBufferSize(ReadBufferSize);
    if (!socket->setSocketDescriptor(descriptor, QAbstractSocket::ConnectedState)) {
        ::close(descriptor);
        delete socket;
        return nullptr;
    }
    return socket;
#else
    Q_UNUSED(plain);
    Q_UNUSED(parent);
    return nullptr;
#endif
}
