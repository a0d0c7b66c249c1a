#include "kvbucketstatus.h"

#include "kvnames.h"

KvBucketStatus KvBucketStatus::fromStreamInfo(const JsStreamInfo &info)
{
    KvBucketStatus status;
    status.bucket = KvNames::bucketFromStream(info.config.name);
    status.config = KvBucketConfig::fromStreamConfig(info.config);
    status.values = info.state.messages;
    status.bytes = info.state.bytes;
    status.created = info.created;
    status.lastUpdate = info.state.lastTime;
    status.streamInfo = info;
    for (auto it = info.config.metadata.cbegin(); it != info.config.metadata.cend(); ++it) {
        if (JsStreamConfig::isServerMetadata(it.key()))
            status.serverMetadata.insert(it.key(), it.value());
    }
    return status;
}
