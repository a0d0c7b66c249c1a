#include "kvtwocopies.h"

#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

bool started(NatsServerProcess *server)
{
    return QTest::qVerify(server->start(), "start", qPrintable(server->errorString()), __FILE__, __LINE__);
}

// The bucket made on the server at url by a client of its own, with puts written into it in order.
bool fill(const QString &url, const QString &name, const KvTwoCopies::Puts &puts)
{
    KvClient writer;
    writer.open(KvClientOptions(NatsConnectOptions::fromUrl(url)));
    if (!QTest::qVerify(QTest::qWaitFor([&writer] { return writer.isConnected(); }), "fill",
                        qPrintable(u"connecting to %1 failed: %2"_s.arg(url, writer.errorString())), __FILE__,
                        __LINE__))
        return false;
    KvBucketConfig config;
    config.bucket = name;
    config.history = 10;
    if (!KvTest::createBucket(writer.kv(), config))
        return false;
    KvBucket *bucket = writer.kv()->bucket(name, &writer);
    for (const auto &[key, value] : puts) {
        NatsReply *reply = bucket->put(key, value);
        const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs);
        if (!QTest::qVerify(finished && reply->error() == NatsError::NoError, "put",
                            qPrintable(u"put of %1 failed: %2"_s.arg(key, reply->errorString())), __FILE__, __LINE__))
            return false;
    }
    return true;
}

} // namespace

bool KvTwoCopies::start(const QString &bucket, const Puts &onFirst, const Puts &onSecond)
{
    m_bucket = bucket;
    if (!started(&m_first) || !started(&m_second) || !fill(m_first.url(), bucket, onFirst)
        || !fill(m_second.url(), bucket, onSecond))
        return false;
    NatsConnectOptions options = NatsConnectOptions::fromUrl(m_second.url() + u',' + m_first.url());
    options.randomizeServers = false;
    options.reconnectWaitMs = 100;
    m_client.open(KvClientOptions(options));
    return QTest::qVerify(QTest::qWaitFor([this] { return m_client.isConnected(); }), "connect",
                          qPrintable(m_client.errorString()), __FILE__, __LINE__);
}

KvBucket *KvTwoCopies::bucket()
{
    return m_client.kv()->bucket(m_bucket, &m_client);
}
