#include "kvtestsupport.h"

#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "natsconnection.h"

using namespace Qt::StringLiterals;

namespace KvTest {

bool connectClient(const NatsConnectOptions &options, QObject *parent, NatsConnection **connection,
                   JetStreamContext **js, KvContext **kv)
{
    auto *client = new NatsConnection(parent);
    *connection = client;
    client->connectToServer(options);
    const bool connected = QTest::qWaitFor([client] { return client->isConnected(); }, 5000);
    if (!QTest::qVerify(connected, "connectClient",
                        qPrintable(u"connecting to %1 failed: %2"_s.arg(options.serversText, client->errorString())),
                        __FILE__, __LINE__))
        return false;
    auto *jetStream = new JetStreamContext(client, parent);
    if (js)
        *js = jetStream;
    if (kv)
        *kv = new KvContext(jetStream, parent);
    return true;
}

bool createBucket(KvContext *kv, const KvBucketConfig &config)
{
    KvReply *reply = kv->createBucket(config);
    const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, ReplyTimeoutMs);
    const bool created = finished && reply->error() == NatsError::NoError;
    const QString problem = finished ? reply->errorString() : u"no answer"_s;
    reply->deleteLater();
    return QTest::qVerify(created, "createBucket",
                          qPrintable(u"creating bucket %1 failed: %2"_s.arg(config.bucket, problem)), __FILE__,
                          __LINE__);
}

QByteArray value(KvBucket *bucket, const QString &key, int timeoutMs)
{
    KvReply *get = bucket->get(key);
    const bool found = QTest::qWaitFor([get] { return get->isFinished(); }, timeoutMs)
        && get->error() == NatsError::NoError;
    const QByteArray result = found ? get->entry().value : QByteArray("<not found>");
    get->deleteLater();
    return result;
}

} // namespace KvTest
