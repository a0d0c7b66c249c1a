#include "natstestsupport.h"

#include "natsconnection.h"
#include "natsreply.h"

#include <QtCore/QUrl>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace NatsTest {

QList<NatsError::Code> codesOf(const QSignalSpy &spy)
{
    QList<NatsError::Code> codes;
    for (const QList<QVariant> &arguments : spy)
        codes.append(arguments.first().value<NatsError::Code>());
    return codes;
}

bool flushed(NatsConnection *connection)
{
    NatsReply *reply = connection->flush(5000);
    const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000);
    const bool ok = finished && reply->error() == NatsError::NoError;
    reply->deleteLater();
    return ok;
}

QByteArray publishRaw(const QString &url, const QByteArray &subject, const QByteArray &headerBlock,
                      const QByteArray &payload, QString *problem)
{
    const QUrl server(url);
    QTcpSocket socket;
    socket.connectToHost(server.host(), quint16(server.port(4222)));
    QByteArray received;
    const auto readUntil = [&socket, &received](const QByteArray &marker) {
        return QTest::qWaitFor(
                   [&] {
                       received += socket.readAll();
                       return received.contains(marker) || socket.state() == QAbstractSocket::UnconnectedState;
                   },
                   10000)
            && received.contains(marker);
    };
    if (!readUntil("INFO ")) {
        *problem = u"no INFO from "_s + url + u": "_s + socket.errorString();
        return {};
    }
    const QByteArray sizes = QByteArray::number(headerBlock.size()) + ' '
        + QByteArray::number(headerBlock.size() + payload.size());
    socket.write("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB _RAW.reply 1\r\n"
                 + QByteArray(headerBlock.isEmpty() ? "PUB " : "HPUB ") + subject + " _RAW.reply "
                 + (headerBlock.isEmpty() ? QByteArray::number(payload.size()) : sizes) + "\r\n" + headerBlock + payload
                 + "\r\n");
    received.clear();
    if (!readUntil("MSG _RAW.reply 1 ")) {
        *problem = u"no reply to the raw publish: "_s + QString::fromUtf8(received);
        return {};
    }
    const qsizetype start = received.indexOf("MSG _RAW.reply 1 ");
    const qsizetype lineEnd = received.indexOf("\r\n", start);
    const qsizetype size = received.mid(start, lineEnd - start).split(' ').last().toLongLong();
    const bool whole = QTest::qWaitFor(
        [&] {
            received += socket.readAll();
            return received.size() >= lineEnd + 2 + size;
        },
        10000);
    return whole ? received.mid(lineEnd + 2, size) : QByteArray();
}

NatsConnection *connectTo(const QString &url, QObject *parent, NatsConnectOptions options)
{
    auto *connection = new NatsConnection(parent);
    options.serversText = url;
    QString problem;
    if (!NatsConnectOptions::parseServers(url, &options.servers, &problem))
        qWarning("%s", qPrintable(problem));
    connection->connectToServer(options);
    return connection;
}

bool waitForConnected(NatsConnection *connection)
{
    return QTest::qWaitFor([connection] {
               return connection->state() == NatsConnection::State::Connected
                   || connection->state() == NatsConnection::State::Closed;
           })
        && connection->isConnected();
}

QList<NatsMessage> messagesOf(const QSignalSpy &spy)
{
    QList<NatsMessage> messages;
    for (const QList<QVariant> &arguments : spy)
        messages.append(arguments.first().value<NatsMessage>());
    return messages;
}

} // namespace NatsTest
