#include "natstestsupport.h"

#include "natsconnection.h"
#include "natsreply.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

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
