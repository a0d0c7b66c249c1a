#include "jsstreaminfo.h"

#include "jstimestamp.h"

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

namespace {

JsSourceInfo sourceInfoFromJson(const QJsonObject &object)
{
    JsSourceInfo info;
    info.name = object.value("name"_L1).toString();
    info.lag = quint64(object.value("lag"_L1).toInteger());
    info.activeNs = object.value("active"_L1).toInteger(-1);
    return info;
}

} // namespace

JsStreamInfo JsStreamInfo::fromJson(const QJsonObject &object)
{
    JsStreamInfo info;
    info.raw = object;
    info.config = JsStreamConfig::fromJson(object.value("config"_L1).toObject());
    info.created = JsTimestamp::parse(object.value("created"_L1).toString());

    const QJsonObject state = object.value("state"_L1).toObject();
    info.state.messages = quint64(state.value("messages"_L1).toInteger());
    info.state.bytes = quint64(state.value("bytes"_L1).toInteger());
    info.state.firstSequence = quint64(state.value("first_seq"_L1).toInteger());
    info.state.firstTime = JsTimestamp::parse(state.value("first_ts"_L1).toString());
    info.state.lastSequence = quint64(state.value("last_seq"_L1).toInteger());
    info.state.lastTime = JsTimestamp::parse(state.value("last_ts"_L1).toString());
    info.state.numSubjects = quint64(state.value("num_subjects"_L1).toInteger());
    info.state.consumerCount = state.value("consumer_count"_L1).toInt();
    const QJsonObject subjects = state.value("subjects"_L1).toObject();
    for (auto it = subjects.begin(); it != subjects.end(); ++it)
        info.state.subjects.insert(it.key(), quint64(it.value().toInteger()));

    const QJsonObject cluster = object.value("cluster"_L1).toObject();
    info.cluster.name = cluster.value("name"_L1).toString();
    info.cluster.leader = cluster.value("leader"_L1).toString();
    for (const QJsonValue &value : cluster.value("replicas"_L1).toArray()) {
        const QJsonObject replica = value.toObject();
        info.cluster.replicas.append(
            JsPeerInfo{replica.value("name"_L1).toString(), replica.value("current"_L1).toBool(),
                       replica.value("offline"_L1).toBool(), quint64(replica.value("lag"_L1).toInteger())});
    }
    info.mirror = sourceInfoFromJson(object.value("mirror"_L1).toObject());
    for (const QJsonValue &value : object.value("sources"_L1).toArray())
        info.sources.append(sourceInfoFromJson(value.toObject()));
    return info;
}
