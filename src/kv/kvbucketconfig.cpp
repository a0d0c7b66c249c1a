#include "kvbucketconfig.h"

#include "kvnames.h"
#include "natsserverinfo.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kNsPerMs = 1000000;
constexpr qint64 kDefaultDuplicateWindowMs = 2 * 60 * 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("KvBucketConfig", text);
}

JsStreamSource withStreamPrefix(JsStreamSource source)
{
    if (!source.name.startsWith("KV_"_L1))
        source.name.prepend("KV_"_L1);
    return source;
}

} // namespace

QString KvBucketConfig::storageName(Storage storage)
{
    return storage == Storage::Memory ? u"memory"_s : u"file"_s;
}

qint64 KvBucketConfig::keptKeyTtl(qint64 ns) const
{
    // The marker of a key that expired must outlive the older revisions it hides, or they come back.
    const qint64 floor = markerTtlMs * 1000 * 1000;
    if (history > 1 && ns > 0 && ns < floor)
        return floor;
    return ns;
}

QString KvBucketConfig::validate() const
{
    const QString nameProblem = KvNames::validateBucketName(bucket);
    if (!nameProblem.isEmpty())
        return nameProblem;
    if (history < 1 || history > MaxHistory)
        return tr("history must be between 1 and %1, not %2 (history limited to a max of 64)")
            .arg(MaxHistory)
            .arg(history);
    if (ttlMs < 0)
        return tr("TTL cannot be negative");
    if (maxBytes < -1 || maxBytes == 0)
        return tr("maximum bucket size must be positive or -1 for unlimited, not %1").arg(maxBytes);
    if (maxValueSize < -1 || maxValueSize == 0)
        return tr("maximum value size must be positive or -1 for unlimited, not %1").arg(maxValueSize);
    if (maxValueSize > LargestMaxValueSize)
        return tr("maximum value size must be at most %1 bytes, not %2").arg(LargestMaxValueSize).arg(maxValueSize);
    if (replicas < 1 || replicas > 5)
        return tr("replicas must be between 1 and 5, not %1").arg(replicas);
    if (!republish.isEmpty() && republish.destination.isEmpty())
        return tr("republish needs a destination subject");
    if (!mirror.isEmpty() && !sources.isEmpty())
        return tr("a bucket cannot have both a mirror and sources");
    if (markerTtlMs < 0)
        return tr("the marker TTL cannot be negative");
    if (markerTtlMs > 0 && markerTtlMs < 1000)
        return tr("the marker TTL must be at least 1 second (the server's minimum), not %1 ms").arg(markerTtlMs);
    if (markerTtlMs > 0 && !mirror.isEmpty())
        return tr("a mirror cannot have a marker TTL");
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it) {
        if (it.key().isEmpty())
            return tr("a metadata key cannot be empty");
        if (JsStreamConfig::isServerMetadata(it.key()))
            return tr("metadata key \"%1\" is reserved for the server (_nats.)").arg(it.key());
    }
    return {};
}

JsStreamConfig KvBucketConfig::toStreamConfig(const NatsServerInfo &serverInfo) const
{
    JsStreamConfig config;
    config.name = KvNames::streamName(bucket);
    config.description = description;
    config.retention = u"limits"_s;
    config.maxConsumers = -1;
    config.maxMsgs = -1;
    config.maxBytes = maxBytes <= 0 ? -1 : maxBytes;
    config.maxAgeNs = ttlMs * kNsPerMs;
    config.maxMsgsPerSubject = history <= 0 ? 1 : history;
    config.maxMsgSize = maxValueSize <= 0 ? -1 : maxValueSize;
    config.storage = storageName(storage);
    config.numReplicas = replicas <= 0 ? 1 : replicas;
    // The duplicate window may not exceed max_age (10052): 2 min, or the TTL when that is shorter.
    const qint64 windowMs = ttlMs > 0 && ttlMs < kDefaultDuplicateWindowMs ? ttlMs : kDefaultDuplicateWindowMs;
    config.duplicateWindowNs = windowMs * kNsPerMs;
    // On 2.10+ a mirror or a bucket of sources gets no window of its own, as @nats-io/kv 3.4 makes them
    // (the server then leaves it unset); nats.go 1.22.1 on 2.9 sends the 2 min default.
    if ((!mirror.isEmpty() || !sources.isEmpty()) && serverInfo.versionAtLeast(2, 10, 0))
        config.duplicateWindowNs = 0;
    config.placement = placement;
    config.republish = republish;
    config.allowRollupHeaders = true;
    config.denyDelete = true;
    config.denyPurge = false;
    config.allowDirect = true;
    config.mirrorDirect = false;
    if (serverInfo.versionAtLeast(2, 7, 2))
        config.discard = u"new"_s;
    const bool modern = serverInfo.versionAtLeast(2, 10, 0);
    const QString ownSubjects = QString::fromUtf8(KvNames::subjectPrefix(bucket)) + u'>';
    if (!mirror.isEmpty()) {
        // A mirror has no subjects of its own; reads go through the origin's subjects.
        config.mirror = withStreamPrefix(mirror);
        config.mirrorDirect = true;
    } else if (!sources.isEmpty() && modern) {
        // 2.10+ (nats.go 1.53, @nats-io/kv 3.4, ADR-57): the bucket keeps its own subjects and each
        // source's keys are moved under them; transforms given by the caller pass through untouched.
        config.subjects = QStringList{ownSubjects};
        for (const JsStreamSource &source : sources) {
            JsStreamSource named = withStreamPrefix(source);
            const QString origin = KvNames::bucketFromStream(named.name);
            const bool sameBucket = origin == bucket && !source.externalApiPrefix.isEmpty();
            if (named.subjectTransforms.isEmpty() && !sameBucket)
                named.subjectTransforms.append(
                    JsSubjectTransform{QString::fromUtf8(KvNames::subjectPrefix(origin)) + u'>', ownSubjects});
            config.sources.append(named);
        }
    } else if (!sources.isEmpty()) {
        // 2.9 has no subject transforms: like a mirror, a bucket made of sources gets no subjects of its
        // own (nats.go 1.22.1, doc §5.2) and only collects what its sources store.
        for (const JsStreamSource &source : sources)
            config.sources.append(withStreamPrefix(source));
    } else {
        config.subjects = QStringList{ownSubjects};
    }
    // Only when asked for, as @nats-io/kv, nats.go 1.22 and libnats send it: the server's default is
    // "none" (an edit that turns it off says so itself, KvContext).
    if (compressed)
        config.compression = u"s2"_s;
    config.metadata = metadata;
    if (markerTtlMs > 0) {
        config.allowMsgTtl = true;
        config.subjectDeleteMarkerTtlNs = markerTtlMs * kNsPerMs;
    } else if (allowMessageTtl) {
        config.allowMsgTtl = true;
    }
    return config;
}

KvBucketConfig KvBucketConfig::fromStreamConfig(const JsStreamConfig &config)
{
    KvBucketConfig kv;
    kv.bucket = KvNames::bucketFromStream(config.name);
    kv.description = config.description;
    kv.history = int(config.maxMsgsPerSubject);
    kv.ttlMs = config.maxAgeNs / kNsPerMs;
    kv.maxBytes = config.maxBytes;
    kv.maxValueSize = config.maxMsgSize;
    kv.storage = config.storage == "memory"_L1 ? Storage::Memory : Storage::File;
    kv.replicas = config.numReplicas;
    kv.placement = config.placement;
    kv.republish = config.republish;
    kv.mirror = config.mirror;
    kv.sources = config.sources;
    kv.compressed = config.compression == "s2"_L1;
    for (auto it = config.metadata.cbegin(); it != config.metadata.cend(); ++it) {
        if (!JsStreamConfig::isServerMetadata(it.key()))
            kv.metadata.insert(it.key(), it.value());
    }
    kv.markerTtlMs = config.subjectDeleteMarkerTtlNs / kNsPerMs;
    kv.allowMessageTtl = config.allowMsgTtl;
    return kv;
}
