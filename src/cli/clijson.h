#pragma once

#include "kventry.h"

#include <QtCore/QJsonObject>

struct KvBucketStatus;

// The JSON records kvdesk-cli prints with --json. Field names are part of the interface (README,
// "kvdesk-cli" section): add fields, never rename them.
class CliJson
{
public:
    // bucket, description, created, bytes, values, last_update, history, ttl (ns), max_value_size,
    // max_bucket_size, storage, replicas, stream, republish {source, destination, headers_only}.
    static QJsonObject status(const KvBucketStatus &status);
    // The NDJSON export record plus "bucket" (and "delta" when withDelta).
    static QJsonObject entry(const KvEntry &entry, bool withDelta = false);
    // The result of a write: bucket, key, revision, operation.
    static QJsonObject write(const QString &bucket, const QString &key, quint64 revision, KvEntry::Operation operation);
};
