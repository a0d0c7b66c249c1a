#include "jstestsupport.h"

#include "jetstreamcontext.h"
#include "jsorderedconsumer.h"
#include "natsconnection.h"
#include "natssubscription.h"

#include <QtCore/QDebug>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace JsTest {

JsStreamConfig memoryStream(const QString &name, const QStringList &subjects)
{
    JsStreamConfig config;
    config.name = name;
    config.subjects = subjects;
    config.storage = u"memory"_s;
    return config;
}

bool createStream(JetStreamContext *js, const JsStreamConfig &config)
{
    JsApiReply *reply = js->createStream(config);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return false;
    if (reply->error() != NatsError::NoError)
        qWarning() << "creating" << config.name << "failed:" << reply->errorString();
    return reply->error() == NatsError::NoError;
}

quint64 publish(JetStreamContext *js, const QByteArray &subject, const QByteArray &data)
{
    JsApiReply *reply = js->publish(NatsMessage(subject, data));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000) || reply->error() != NatsError::NoError)
        return 0;
    return reply->pubAck().sequence;
}

bool forceGap(NatsConnection *connection, JsOrderedConsumer *consumer)
{
    if (!connection || !consumer)
        return false;
    for (NatsSubscription *subscription : connection->findChildren<NatsSubscription *>()) {
        if (!subscription->isActive() || subscription->subject() != consumer->deliverSubject())
            continue;
        // Consumer sequence 1000000: far ahead of anything a test delivers.
        const QByteArray replyTo = "$JS.ACK." + consumer->config().stream.toUtf8() + '.'
            + consumer->consumerName().toUtf8() + ".1.1000000.1000000.1700000000000000000.0";
        Q_EMIT subscription->messageReceived(NatsMessage("forged", "forged", replyTo));
        return true;
    }
    return false;
}

} // namespace JsTest
