#include "kvttlcheck.h"

#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvttl.h"

#include <QtCore/QPointer>

namespace {

// The bound bucket's settings, named as the bucket (the status read may leave the name empty).
KvBucketConfig bucketConfig(const KvBucket *bucket)
{
    KvBucketConfig config = bucket->boundStatus().config;
    config.bucket = bucket->name();
    return config;
}

} // namespace

NatsError KvTtlCheck::problemNow(JetStreamContext *context, const KvBucketConfig &config, qint64 ttlNs, bool toCreate)
{
    if (ttlNs != 0) {
        const QString invalid = KvTtl::validate(ttlNs);
        if (!invalid.isEmpty())
            return NatsError(NatsError::InvalidArgument, invalid);
    }
    JsServerCapabilities *server = context->capabilities();
    if (!server->supports(JsServerCapabilities::Feature::MessageTtl))
        return server->refusal(JsServerCapabilities::Feature::MessageTtl);
    if (config.allowsKeyTtl())
        return {};
    if (toCreate) {
        return NatsError(NatsError::FeatureNotSupported,
                         tr("per-key TTL needs a bucket that allows it: bucket \"%1\" would be created without a "
                            "marker TTL (create it with one first, e.g. kvdesk-cli add %1 --marker-ttl DURATION)")
                             .arg(config.bucket));
    }
    return NatsError(NatsError::FeatureNotSupported,
                     tr("per-key TTL needs a bucket that allows it: bucket \"%1\" has no marker TTL (set one "
                        "in its settings, or with kvdesk-cli edit %1 --marker-ttl DURATION)")
                         .arg(config.bucket));
}

void KvTtlCheck::check(KvBucket *bucket, qint64 ttlNs, QObject *guard, const Handler &then)
{
    const QPointer<KvBucket> target(bucket);
    const QPointer<QObject> alive(guard);
    if (!bucket || !bucket->jetStream()) {
        then(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    bucket->jetStream()->capabilities()->whenKnown(guard, [target, ttlNs, alive, then](const NatsError &error) {
        if (!target || !alive)
            return;
        if (error.isError()) {
            then(error);
            return;
        }
        const NatsError problem = problemNow(target->jetStream(), bucketConfig(target), ttlNs, false);
        const bool onlyTheBucket = problem.code() == NatsError::FeatureNotSupported
            && target->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::MessageTtl);
        if (!onlyTheBucket) {
            then(problem);
            return;
        }
        // Not read yet, or read before it was given a marker TTL: read its settings (again) first.
        KvReply *fresh = target->status();
        QObject::connect(fresh, &NatsReply::finished, alive, [target, fresh, ttlNs, then] {
            fresh->deleteLater();
            if (target)
                then(fresh->error() != NatsError::NoError
                         ? fresh->errorInfo()
                         : problemNow(target->jetStream(), bucketConfig(target), ttlNs, false));
        });
    });
}

void KvTtlCheck::checkToCreate(JetStreamContext *context, const KvBucketConfig &config, qint64 ttlNs, QObject *guard,
                               const Handler &then)
{
    const QPointer<JetStreamContext> server(context);
    if (!context) {
        then(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    context->capabilities()->whenKnown(guard, [server, config, ttlNs, then](const NatsError &error) {
        if (!server)
            return;
        then(error.isError() ? error : problemNow(server, config, ttlNs, true));
    });
}
