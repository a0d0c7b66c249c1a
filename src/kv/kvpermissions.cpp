#include "kvpermissions.h"

#include "jsstreamconfig.h"
#include "kvnames.h"

namespace {

// The inboxes of NatsConnection (NatsNuid::newInbox: the inbox prefix, "_INBOX" by default, a dot and 22
// characters): the shared request inbox takes one token more. Literal tokens, so a pattern such as
// "_INBOX.*.*" is judged as the server does.
const QByteArray kInboxNuid = ".0000000000000000000000";

// The first non-empty refusal.
QString firstOf(std::initializer_list<QString> refusals)
{
    for (const QString &refusal : refusals) {
        if (!refusal.isEmpty())
            return refusal;
    }
    return {};
}

} // namespace

KvPermissions::KvPermissions(const NatsPermissions &permissions, const QByteArray &apiPrefix,
                             const QByteArray &inboxPrefix)
    : m_permissions(permissions)
    , m_apiPrefix(apiPrefix.isEmpty() ? QByteArray("$JS.API.") : apiPrefix)
    , m_inboxPrefix(inboxPrefix.isEmpty() ? QByteArray("_INBOX") : inboxPrefix)
{
}

QString KvPermissions::publishRefusal(const QByteArray &subject)
{
    return tr("you may not publish to %1").arg(QString::fromUtf8(subject));
}

QString KvPermissions::subscribeRefusal(const QByteArray &subject)
{
    return tr("you may not subscribe to %1").arg(QString::fromUtf8(subject));
}

QString KvPermissions::publish(const QByteArray &subject) const
{
    return m_permissions.mayPublish(subject) ? QString() : publishRefusal(subject);
}

QString KvPermissions::publishSome(const QByteArray &pattern) const
{
    return m_permissions.mayPublishSome(pattern) ? QString() : publishRefusal(pattern);
}

QByteArray KvPermissions::streamOf(const QString &bucket) const
{
    return KvNames::streamName(bucket).toUtf8();
}

QByteArray KvPermissions::readPrefix(const QString &bucket) const
{
    const auto known = m_subjects.constFind(bucket);
    return known != m_subjects.cend() ? known->read : KvNames::subjectPrefix(bucket);
}

QByteArray KvPermissions::writePrefix(const QString &bucket) const
{
    const auto known = m_subjects.constFind(bucket);
    if (known != m_subjects.cend())
        return known->write;
    // As KvBucket: with a JetStream domain or API prefix, writes go through it too.
    const QByteArray prefix = KvNames::subjectPrefix(bucket);
    return m_apiPrefix == "$JS.API." ? prefix : m_apiPrefix + prefix;
}

void KvPermissions::setStreamConfig(const QString &bucket, const JsStreamConfig &config)
{
    setReadPath(bucket, readPathOf(config));
    m_subjects.remove(bucket);
    Subjects subjects{readPrefix(bucket), writePrefix(bucket)};
    if (!config.mirror.isEmpty()) {
        // The subjects KvBucket sends on: the origin's; the domain's API prefix does not apply.
        const KvNames::MirrorPrefixes prefixes = KvNames::mirrorPrefixes(config.mirror.name,
                                                                         config.mirror.externalApiPrefix);
        subjects.read = prefixes.read;
        subjects.write = prefixes.write;
    }
    m_subjects.insert(bucket, subjects);
}

QString KvPermissions::requestRefusal() const
{
    return m_permissions.maySubscribe(m_inboxPrefix + kInboxNuid + ".*") ? QString()
                                                                         : subscribeRefusal(m_inboxPrefix + ".>");
}

QString KvPermissions::listBucketsRefusal(bool withStatus) const
{
    return firstOf({requestRefusal(), api(withStatus ? "STREAM.LIST" : "STREAM.NAMES")});
}

QString KvPermissions::statusRefusal(const QString &bucket) const
{
    return firstOf({requestRefusal(), api("STREAM.INFO." + streamOf(bucket))});
}

KvPermissions::ReadPath KvPermissions::readPathOf(const JsStreamConfig &config)
{
    return config.allowDirect ? ReadPath::DirectGet : ReadPath::MessageGet;
}

void KvPermissions::setReadPath(const QString &bucket, ReadPath path)
{
    if (path == ReadPath::Unknown)
        m_readPaths.remove(bucket);
    else
        m_readPaths.insert(bucket, path);
}

QString KvPermissions::getRefusal(const QString &bucket, const QString &key) const
{
    return getRefusal(bucket, key, readPath(bucket));
}

QString KvPermissions::getRefusal(const QString &bucket, const QString &key, ReadPath path) const
{
    // A STREAM.MSG.GET names no key in its subject.
    const QString messageGet = firstOf({statusRefusal(bucket), api("STREAM.MSG.GET." + streamOf(bucket))});
    if (path == ReadPath::MessageGet)
        return messageGet;
    const QByteArray prefix = m_apiPrefix + "DIRECT.GET." + streamOf(bucket) + '.' + readPrefix(bucket);
    const QString direct = firstOf(
        {statusRefusal(bucket),
         key.isEmpty() ? publishSome(prefix + '>') : publish(prefix + KvNames::keySubject(key))});
    // Unknown: either way may be the bucket's, and refusing the one it does not use would refuse a read
    // the server allows. The server's -ERR decides the rest, at once.
    return path == ReadPath::DirectGet || !messageGet.isEmpty() ? direct : QString();
}

bool KvPermissions::readsRevisionsByMessageGet(const QString &bucket) const
{
    return isKnown() && !api("DIRECT.GET." + streamOf(bucket)).isEmpty()
        && api("STREAM.MSG.GET." + streamOf(bucket)).isEmpty();
}

QString KvPermissions::watchRefusal(const QString &bucket) const
{
    // 2.10+ names the consumer in the subject (CONSUMER.CREATE.<stream>.<name>[.<filter>]).
    return firstOf({statusRefusal(bucket), publishSome(m_apiPrefix + "CONSUMER.CREATE." + streamOf(bucket) + ".>"),
                    deliverRefusal()});
}

QString KvPermissions::historyRefusal(const QString &bucket) const
{
    const QString watch = watchRefusal(bucket);
    if (watch.isEmpty() || !statusRefusal(bucket).isEmpty())
        return watch;
    // A given sequence goes to the unsuffixed DIRECT.GET.<stream> where the bucket reads directly, else
    // (or when that is refused) to STREAM.MSG.GET.<stream>.
    const bool byDirectGet = readPath(bucket) != ReadPath::MessageGet
        && api("DIRECT.GET." + streamOf(bucket)).isEmpty();
    const bool byMessageGet = api("STREAM.MSG.GET." + streamOf(bucket)).isEmpty();
    return byDirectGet || byMessageGet ? QString() : watch;
}

QString KvPermissions::watchSomeRefusal() const
{
    return firstOf({requestRefusal(), publishSome(m_apiPrefix + "CONSUMER.CREATE.>"), deliverRefusal()});
}

QString KvPermissions::deliverRefusal() const
{
    return m_permissions.maySubscribe(m_inboxPrefix + kInboxNuid) ? QString() : subscribeRefusal(m_inboxPrefix + ".*");
}

QString KvPermissions::readRefusal(const QString &bucket) const
{
    return firstOf({watchRefusal(bucket), getRefusal(bucket)});
}

QString KvPermissions::writeRefusal(const QString &bucket, const QString &key) const
{
    const QByteArray prefix = writePrefix(bucket);
    return firstOf({statusRefusal(bucket),
                    key.isEmpty() ? publishSome(prefix + '>') : publish(prefix + KvNames::keySubject(key))});
}

QString KvPermissions::revertRefusal(const QString &bucket, const QString &key) const
{
    return firstOf({getRefusal(bucket), writeRefusal(bucket, key)});
}

QString KvPermissions::compactRefusal(const QString &bucket) const
{
    return firstOf({watchRefusal(bucket), api("STREAM.PURGE." + streamOf(bucket))});
}

QString KvPermissions::createBucketRefusal(const QString &bucket) const
{
    // KvContext asks $JS.API.INFO first.
    const QString create = bucket.isEmpty() ? publishSome(m_apiPrefix + "STREAM.CREATE.*")
                                            : api("STREAM.CREATE." + streamOf(bucket));
    return firstOf({requestRefusal(), api("INFO"), create});
}

QString KvPermissions::editBucketRefusal(const QString &bucket) const
{
    return firstOf({statusRefusal(bucket), api("STREAM.UPDATE." + streamOf(bucket))});
}

QString KvPermissions::deleteBucketRefusal(const QString &bucket) const
{
    return firstOf({requestRefusal(), api("STREAM.DELETE." + streamOf(bucket))});
}
