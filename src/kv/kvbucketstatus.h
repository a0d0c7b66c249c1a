#pragma once

#include "jsstreaminfo.h"
#include "kvbucketconfig.h"

#include <QtCore/QDateTime>
#include <QtCore/QMetaType>

// What `nats kv ls` / `nats kv info` show about a bucket, read from its stream's info.
struct KvBucketStatus
{
    QString bucket;
    KvBucketConfig config;
    quint64 values = 0; // stream messages: every kept revision and marker
    quint64 bytes = 0;
    QDateTime created;
    QDateTime lastUpdate; // invalid when never written
    QString backingStore = QStringLiteral("JetStream");
    QMap<QString, QString> serverMetadata; // what the server wrote into the metadata itself (_nats.*, 2.11+)
    JsStreamInfo streamInfo;

    static KvBucketStatus fromStreamInfo(const JsStreamInfo &info);
};

Q_DECLARE_METATYPE(KvBucketStatus)
