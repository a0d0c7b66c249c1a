#include "kvttlcheck.h"

#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvttl.h"

#include <QtCore/QPointer>

NatsError KvTtlCheck::problemNow(const KvBucket *bucket, qint64 ttlNs)
{
    if (ttlNs != 0) {
        const QString invalid = KvTtl::validate(ttlNs);
        if (!invalid.isEmpty())
            return NatsError(NatsError::InvalidArgument, invalid);
    }
    JsServerCapabilities *server = bucket->jetStream()->capabilities();
    if (!server->supports(JsServerCapabilities::Feature::MessageTtl))
        return server->refusal(JsServerCapabilities::Feature::MessageTtl);
    if (!bucket->boundStatus().config.allowsKeyTtl())
        return NatsError(NatsError::FeatureNotSupported,
                         tr("per-key TTL needs a bucket that allows it: bucket \"%1\" has no marker TTL (set one "
                            "in its settings, or with kvdesk-cli edit %1 --marker-ttl DURATION)")
                             .arg(bucket->name()));
    return {};
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
        const NatsError problem = problemNow(target, ttlNs);
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
                then(fresh->error() != NatsError::NoError ? fresh->errorInfo() : problemNow(target, ttlNs));
        });
    });
}
