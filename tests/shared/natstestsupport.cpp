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

} // namespace NatsTest
