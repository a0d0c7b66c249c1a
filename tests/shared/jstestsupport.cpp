#include "jstestsupport.h"

#include "jetstreamcontext.h"

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

} // namespace JsTest
