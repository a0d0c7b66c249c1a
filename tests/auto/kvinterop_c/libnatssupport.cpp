#include "libnatssupport.h"

QSet<QString> CKeysList::toSet() const
{
    QSet<QString> keys;
    for (int i = 0; i < list.Count; ++i)
        keys.insert(QString::fromUtf8(list.Keys[i]));
    return keys;
}

CBucketConfig::CBucketConfig(const InteropBucketOptions &options, const QString &name)
    : bucket(name.toUtf8())
    , description(options.description.toUtf8())
    , republishSource(InteropBucketOptions::republishSource(name).toUtf8())
    , republishDestination(InteropBucketOptions::republishDestination(name).toUtf8())
{
    // Zero leaves a setting to libnats' own default, as the options intend. libnats writes the
    // description into its JSON request unescaped, so the rows keep quotes and backslashes out of it.
    kvConfig_Init(&config);
    config.Bucket = bucket.constData();
    config.Description = description.isEmpty() ? nullptr : description.constData();
    config.History = uint8_t(options.history);
    config.TTL = options.ttlMs * 1000 * 1000; // nanoseconds, like jsStreamConfig.MaxAge
    config.MaxBytes = options.maxBytes;
    config.MaxValueSize = options.maxValueSize;
    config.StorageType = options.memory ? js_MemoryStorage : js_FileStorage;
    config.Replicas = options.replicas;
    if (options.republish) {
        jsRePublish_Init(&republish);
        republish.Source = republishSource.constData();
        republish.Destination = republishDestination.constData();
        republish.HeadersOnly = true;
        config.RePublish = &republish;
    }
}

QByteArray cError(natsStatus status)
{
    const char *text = nats_GetLastError(nullptr);
    return QByteArray(natsStatus_GetText(status)) + ": " + QByteArray(text ? text : "");
}

QByteArray entryValue(kvEntry *entry)
{
    return QByteArray(static_cast<const char *>(kvEntry_Value(entry)), kvEntry_ValueLen(entry));
}
