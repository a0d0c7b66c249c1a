#include "clijson.h"

#include "clibucketfeatures.h"
#include "kvbucketstatus.h"
#include "kvformat.h"
#include "kvndjson.h"
#include "kvunits.h"

using namespace Qt::StringLiterals;

QJsonObject CliJson::status(const KvBucketStatus &status)
{
    const KvBucketConfig &config = status.config;
    QJsonObject object{
        {u"bucket"_s, status.bucket},
        {u"description"_s, config.description},
        {u"created"_s, KvFormat::isoTime(status.created)},
        {u"bytes"_s, qint64(status.bytes)},
        {u"values"_s, qint64(status.values)},
        {u"last_update"_s,
         status.lastUpdate.isValid() && status.lastUpdate.toMSecsSinceEpoch() > 0
             ? QJsonValue(KvFormat::isoTime(status.lastUpdate))
             : QJsonValue(QJsonValue::Null)},
        {u"history"_s, config.history},
        {u"ttl"_s, config.ttlMs * KvUnits::NsPerMs},
        {u"max_value_size"_s, config.maxValueSize},
        {u"max_bucket_size"_s, config.maxBytes},
        {u"storage"_s, KvBucketConfig::storageName(config.storage)},
        {u"replicas"_s, config.replicas},
        {u"stream"_s, status.streamInfo.config.name},
    };
    if (!config.republish.isEmpty()) {
        object.insert(u"republish"_s,
                      QJsonObject{
                          {u"source"_s, config.republish.source},
                          {u"destination"_s, config.republish.destination},
                          {u"headers_only"_s, config.republish.headersOnly},
                      });
    }
    CliBucketFeatures::addJson(&object, status);
    return object;
}

QJsonObject CliJson::entry(const KvEntry &entry, bool withDelta)
{
    QJsonObject object = KvNdjson::toJson(entry);
    object.insert(u"bucket"_s, entry.bucket);
    if (withDelta)
        object.insert(u"delta"_s, qint64(entry.delta));
    return object;
}

QJsonObject CliJson::write(const QString &bucket, const QString &key, quint64 revision, KvEntry::Operation operation)
{
    return {
        {u"bucket"_s, bucket},
        {u"key"_s, key},
        {u"revision"_s, qint64(revision)},
        {u"operation"_s, KvEntry::operationName(operation)},
    };
}
