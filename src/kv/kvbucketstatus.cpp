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
    return status;
}
