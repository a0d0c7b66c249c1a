#include "kvpermissions.h"

#include "kvnames.h"

namespace {

// The inboxes of NatsConnection (NatsNuid::newInbox: "_INBOX." and 22 characters): the shared request
// inbox takes one token more. Literal tokens, so a pattern such as "_INBOX.*.*" is judged as the server does.
const QByteArray kDeliverInbox = "_INBOX.0000000000000000000000";
const QByteArray kRequestInbox = kDeliverInbox + ".*";

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

KvPermissions::KvPermissions(const NatsPermissions &permissions, const QByteArray &apiPrefix)
    : m_permissions(permissions)
    , m_apiPrefix(apiPrefix.isEmpty() ? QByteArray("$JS.API.") : apiPrefix)
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

QByteArray KvPermissions::writePrefix(const QString &bucket) const
{
    // As KvBucket: with a JetStream domain or API prefix, writes go through it too.
    const QByteArray prefix = KvNames::subjectPrefix(bucket);
    return m_apiPrefix == "$JS.API." ? prefix : m_apiPrefix + prefix;
}

QString KvPermissions::requestRefusal() const
{
    return m_permissions.maySubscribe(kRequestInbox) ? QString() : subscribeRefusal("_INBOX.>");
}

QString KvPermissions::listBucketsRefusal(bool withStatus) const
{
    return firstOf({requestRefusal(), api(withStatus ? "STREAM.LIST" : "STREAM.NAMES")});
}

QString KvPermissions::statusRefusal(const QString &bucket) const
{
    return firstOf({requestRefusal(), api("STREAM.INFO." + streamOf(bucket))});
}

QString KvPermissions::getRefusal(const QString &bucket, const QString &key) const
{
    const QByteArray direct = m_apiPrefix + "DIRECT.GET." + streamOf(bucket) + '.' + KvNames::subjectPrefix(bucket);
    return firstOf({statusRefusal(bucket), key.isEmpty() ? publishSome(direct + '>') : publish(direct + key.toUtf8())});
}

QString KvPermissions::watchRefusal(const QString &bucket) const
{
    // 2.10+ names the consumer in the subject (CONSUMER.CREATE.<stream>.<name>[.<filter>]).
    const QString deliver = m_permissions.maySubscribe(kDeliverInbox) ? QString() : subscribeRefusal("_INBOX.*");
    return firstOf(
        {statusRefusal(bucket), publishSome(m_apiPrefix + "CONSUMER.CREATE." + streamOf(bucket) + ".>"), deliver});
}

QString KvPermissions::readRefusal(const QString &bucket) const
{
    return firstOf({watchRefusal(bucket), getRefusal(bucket)});
}

QString KvPermissions::writeRefusal(const QString &bucket, const QString &key) const
{
    const QByteArray prefix = writePrefix(bucket);
    return firstOf({statusRefusal(bucket), key.isEmpty() ? publishSome(prefix + '>') : publish(prefix + key.toUtf8())});
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
