#pragma once

#include "natserror.h"

#include <QtCore/QCoreApplication>

#include <functional>

class JetStreamContext;
class KvBucket;
struct KvBucketConfig;
class QObject;

// Whether keys of a bucket may be created or purged with a TTL (nats-modern.md §4): the TTL must be at
// least a second (or never), the server must have per-message TTLs (JetStream API level 1, 2.11+), and
// the bucket must allow them (it has a marker TTL). Asks what is not known yet (the API level, the
// bucket's settings; a bucket read before it was given a marker TTL is read again) and answers with the
// reason it cannot, e.g. "per-key TTL needs nats-server 2.11 or newer; nats://… runs 2.9.10". The write
// paths of KvBucket and the window's TTL fields use the same check.
class KvTtlCheck
{
    Q_DECLARE_TR_FUNCTIONS(KvTtlCheck)

public:
    using Handler = std::function<void(const NatsError &problem)>;

    // Calls then with NoError, or the problem (FeatureNotSupported, InvalidArgument, or what reading failed
    // with). ttlNs 0 checks the server and the bucket only. then is dropped when guard is gone.
    static void check(KvBucket *bucket, qint64 ttlNs, QObject *guard, const Handler &then);
    // The same for a bucket that does not exist yet and is to be created with config on the server of
    // context (an import checks its input before it creates the bucket): judged from config, nothing read.
    static void checkToCreate(JetStreamContext *context, const KvBucketConfig &config, qint64 ttlNs, QObject *guard,
                              const Handler &then);

private:
    // The problem with what is known now (API level known), for a bucket with config; toCreate: it does not
    // exist yet.
    static NatsError problemNow(JetStreamContext *context, const KvBucketConfig &config, qint64 ttlNs, bool toCreate);
};
