#include "kvtestsupport.h"

#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "jsstreamconfig.h"
#include "jsstreaminfo.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;

namespace KvTest {

KvClient *connectClient(const KvClientOptions &options, QObject *parent, NatsConnection **connection,
                        JetStreamContext **js, KvContext **kv)
{
    auto *client = new KvClient(parent);
    client->open(options);
    const bool connected = QTest::qWaitFor([client] { return client->isConnected(); }, 5000);
    if (!QTest::qVerify(
            connected, "connectClient",
            qPrintable(u"connecting to %1 failed: %2"_s.arg(options.connection.serversText, client->errorString())),
            __FILE__, __LINE__))
        return nullptr;
    if (connection)
        *connection = client->connection();
    if (js)
        *js = client->jetStream();
    if (kv)
        *kv = client->kv();
    return client;
}

KvClient *connectClient(const NatsConnectOptions &options, QObject *parent, NatsConnection **connection,
                        JetStreamContext **js, KvContext **kv)
{
    return connectClient(KvClientOptions(options), parent, connection, js, kv);
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

namespace {

// Waits for reply; records a failure naming what was done and the error when it does not succeed.
bool succeeded(NatsReply *reply, const char *what)
{
    const bool finished = QTest::qWaitFor([reply] { return reply->isFinished(); }, ReplyTimeoutMs);
    const QString problem = finished ? reply->errorString() : u"no answer"_s;
    const bool ok = finished && reply->error() == NatsError::NoError;
    reply->deleteLater();
    return QTest::qVerify(ok, what, qPrintable(u"%1 failed: %2"_s.arg(QLatin1StringView(what), problem)), __FILE__,
                          __LINE__);
}

} // namespace

bool createLaggingMirror(JetStreamContext *js, KvBucket *origin, const QString &mirrorStream, const QString &key,
                         const QByteArray &value)
{
    JsStreamConfig lagging;
    lagging.name = mirrorStream;
    lagging.mirror.name = u"KV_"_s + origin->name();
    lagging.mirror.optStartSeq = 2;
    lagging.mirrorDirect = true;
    lagging.allowDirect = true;
    lagging.maxMsgsPerSubject = 5;
    lagging.storage = u"memory"_s;
    if (!succeeded(js->createStream(lagging), "creating the mirror") || !succeeded(origin->put(key, value), "put"))
        return false;
    const auto mirrored = [&] {
        JsApiReply *info = js->streamInfo(mirrorStream);
        QSignalSpy done(info, &NatsReply::finished);
        const bool answered = done.wait(5000) && info->error() == NatsError::NoError;
        info->deleteLater();
        return answered && info->streamInfo().state.lastSequence == 3;
    };
    if (!QTest::qWaitFor(mirrored, ReplyTimeoutMs))
        return QTest::qVerify(false, "mirrored", "the mirror did not get revision 3", __FILE__, __LINE__);
    JsApiReply *dropped = js->request("STREAM.MSG.DELETE." + mirrorStream.toUtf8(),
                                      QJsonObject{{u"seq"_s, 3}, {u"no_erase"_s, true}});
    return succeeded(dropped, "deleting the mirror's revision 3");
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

NatsError::Code getError(KvBucket *bucket, const QString &key)
{
    KvReply *get = bucket->get(key);
    const NatsError::Code code = QTest::qWaitFor([get] { return get->isFinished(); }, 10000) ? get->error()
                                                                                             : NatsError::Timeout;
    get->deleteLater();
    return code;
}

quint64 statusValues(KvContext *kv, const QString &bucket)
{
    KvReply *status = kv->bucketStatus(bucket);
    const bool ok = QTest::qWaitFor([status] { return status->isFinished(); }, 10000)
        && status->error() == NatsError::NoError;
    status->deleteLater();
    return ok ? status->status().values : 0;
}

QString missingWatchedRevision(const QMap<quint64, QString> &keyOfRevision, const QSet<quint64> &watched, int history,
                               bool consumerRecreated)
{
    QHash<QString, int> newerOfKey; // walking from the newest revision down
    for (auto it = keyOfRevision.cend(); it != keyOfRevision.cbegin();) {
        --it;
        const int newer = newerOfKey.value(it.value());
        newerOfKey.insert(it.value(), newer + 1);
        if (watched.contains(it.key()))
            continue;
        if (consumerRecreated && newer >= history)
            continue; // trimmed from the stream before the re-created consumer could read it
        return u"acknowledged revision %1 of %2 never arrived (%3 newer revisions of the key, history %4, "
               "consumer %5)"_s.arg(it.key())
                   .arg(it.value())
                   .arg(newer)
                   .arg(history)
                   .arg(consumerRecreated ? u"re-created"_s : u"never re-created"_s);
    }
    return {};
}

} // namespace KvTest
