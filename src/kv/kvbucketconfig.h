#pragma once

#include "jsstreamconfig.h"

#include <QtCore/QMap>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

class NatsServerInfo;

// A bucket's settings, and their mapping onto the backing stream exactly as nats.go's CreateKeyValue
// builds it (docs/nats-protocol.md §5.2) and, on 2.10+, as nats.go 1.53 and @nats-io/kv 3.4 do
// (nats-modern.md §2), so buckets made here and by the official clients are alike.
struct KvBucketConfig
{
    static constexpr int MaxHistory = 64;
    // The server keeps a stream's max_msg_size in 32 bits: a larger one is refused as invalid JSON.
    static constexpr qint64 LargestMaxValueSize = 2147483647;

    enum class Storage {
        File,
        Memory
    };

    QString bucket;
    QString description;
    int history = 1;          // revisions kept per key, 1..64
    qint64 ttlMs = 0;         // 0: values never expire
    qint64 maxBytes = -1;     // -1: unlimited
    qint64 maxValueSize = -1; // -1: unlimited; counts headers too
    Storage storage = Storage::File;
    int replicas = 1;
    JsPlacement placement;
    JsRepublish republish;
    JsStreamSource mirror;         // the bucket mirrors another one (its name, with or without KV_)
    QList<JsStreamSource> sources; // the bucket collects from others
    // nats-server 2.10+
    bool compressed = false;         // s2 compression of the stored values
    QMap<QString, QString> metadata; // the user's; what the server adds (_nats.*) is in KvBucketStatus
    // nats-server 2.11+ (API level 1)
    qint64 markerTtlMs = 0;       // limit markers: a key emptied by age or a TTL leaves a marker this long
    bool allowMessageTtl = false; // keys may be created or purged with a TTL (set by a marker TTL)

    // Whether keys of this bucket may carry their own TTL (the stream allows per-message TTLs).
    bool allowsKeyTtl() const { return allowMessageTtl || markerTtlMs > 0; }
    // The TTL (ns, or KvTtl::Never) the server keeps for a key created or purged with ns: in a bucket
    // keeping history, no shorter than the marker TTL (ADR-43: the server raises it, nats-modern.md §4.2).
    qint64 keptKeyTtl(qint64 ns) const;

    // Why the config cannot be used (bucket name, history range, negative sizes...), or an empty string.
    QString validate() const;
    // The stream config to create or update; serverInfo decides discard:new (servers >= 2.7.2) and which
    // 2.10 fields may be sent at all (compression, sources' subject transforms).
    JsStreamConfig toStreamConfig(const NatsServerInfo &serverInfo) const;

    static KvBucketConfig fromStreamConfig(const JsStreamConfig &config);

    static QString storageName(Storage storage);
};

Q_DECLARE_METATYPE(KvBucketConfig)
