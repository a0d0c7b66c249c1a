#include "kvtestsupport.h"

#include "kvbucket.h"
#include "kvcontext.h"

using namespace Qt::StringLiterals;

namespace KvTest {

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
    const bool found = QTest::qWaitFor([get] { return get->isFinished(); }, timeoutMs) && get->error() == NatsError::NoError;
    const QByteArray result = found ? get->entry().value : QByteArray("<not found>");
    get->deleteLater();
    return result;
}

} // namespace KvTest
