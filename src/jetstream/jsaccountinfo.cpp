#include "jsaccountinfo.h"

using namespace Qt::StringLiterals;

JsAccountInfo JsAccountInfo::fromJson(const QJsonObject &object)
{
    JsAccountInfo info;
    info.raw = object;
    info.memory = quint64(object.value("memory"_L1).toInteger());
    info.storage = quint64(object.value("storage"_L1).toInteger());
    info.streams = quint64(object.value("streams"_L1).toInteger());
    info.consumers = quint64(object.value("consumers"_L1).toInteger());
    info.domain = object.value("domain"_L1).toString();
    const QJsonObject limits = object.value("limits"_L1).toObject();
    info.limits.maxMemory = limits.value("max_memory"_L1).toInteger(-1);
    info.limits.maxStorage = limits.value("max_storage"_L1).toInteger(-1);
    info.limits.maxStreams = limits.value("max_streams"_L1).toInteger(-1);
    info.limits.maxConsumers = limits.value("max_consumers"_L1).toInteger(-1);
    info.limits.maxAckPending = limits.value("max_ack_pending"_L1).toInteger(-1);
    info.limits.memoryMaxStreamBytes = limits.value("memory_max_stream_bytes"_L1).toInteger(-1);
    info.limits.storageMaxStreamBytes = limits.value("storage_max_stream_bytes"_L1).toInteger(-1);
    info.limits.maxBytesRequired = limits.value("max_bytes_required"_L1).toBool();
    const QJsonObject api = object.value("api"_L1).toObject();
    info.apiTotal = quint64(api.value("total"_L1).toInteger());
    info.apiErrors = quint64(api.value("errors"_L1).toInteger());
    info.apiLevel = api.value("level"_L1).toInt(0);
    // 2.10.27 reports -1 limits summed as uint64 (2^64 - 9): JSON doubles above 2^63 mean "unknown".
    const auto reserved = [&object](QLatin1StringView key) {
        const QJsonValue value = object.value(key);
        return value.isDouble() && value.toDouble() >= 0 && value.toDouble() < 9.2e18 ? qint64(value.toDouble()) : -1;
    };
    info.reservedMemory = reserved("reserved_memory"_L1);
    info.reservedStorage = reserved("reserved_storage"_L1);
    return info;
}
