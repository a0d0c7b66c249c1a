#include "jsstreamconfig.h"

#include "jstimestamp.h"

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

namespace {

// Keys toJson() writes itself; everything else in a parsed config is carried through untouched.
const QStringList &knownKeys()
{
    static const QStringList keys{u"name"_s,
                                  u"description"_s,
                                  u"subjects"_s,
                                  u"retention"_s,
                                  u"max_consumers"_s,
                                  u"max_msgs"_s,
                                  u"max_bytes"_s,
                                  u"discard"_s,
                                  u"max_age"_s,
                                  u"max_msgs_per_subject"_s,
                                  u"max_msg_size"_s,
                                  u"storage"_s,
                                  u"num_replicas"_s,
                                  u"no_ack"_s,
                                  u"duplicate_window"_s,
                                  u"placement"_s,
                                  u"mirror"_s,
                                  u"sources"_s,
                                  u"sealed"_s,
                                  u"deny_delete"_s,
                                  u"deny_purge"_s,
                                  u"allow_rollup_hdrs"_s,
                                  u"allow_direct"_s,
                                  u"mirror_direct"_s,
                                  u"republish"_s,
                                  u"compression"_s,
                                  u"metadata"_s,
                                  u"first_seq"_s,
                                  u"allow_msg_ttl"_s,
                                  u"subject_delete_marker_ttl"_s,
                                  u"template_owner"_s};
    return keys;
}

QStringList toStringList(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        list.append(item.toString());
    return list;
}

} // namespace

QJsonObject JsStreamSource::toJson() const
{
    QJsonObject object{{"name"_L1, name}};
    if (optStartSeq > 0)
        object.insert("opt_start_seq"_L1, qint64(optStartSeq));
    if (optStartTime.isValid())
        object.insert("opt_start_time"_L1, optStartTime.toUTC().toString(Qt::ISODateWithMs));
    if (!filterSubject.isEmpty())
        object.insert("filter_subject"_L1, filterSubject);
    if (!externalApiPrefix.isEmpty()) {
        QJsonObject external{{"api"_L1, externalApiPrefix}};
        if (!externalDeliverPrefix.isEmpty())
            external.insert("deliver"_L1, externalDeliverPrefix);
        object.insert("external"_L1, external);
    }
    if (!subjectTransforms.isEmpty()) {
        QJsonArray transforms;
        for (const JsSubjectTransform &transform : subjectTransforms)
            transforms.append(QJsonObject{{"src"_L1, transform.source}, {"dest"_L1, transform.destination}});
        object.insert("subject_transforms"_L1, transforms);
    }
    return object;
}

JsStreamSource JsStreamSource::fromJson(const QJsonObject &object)
{
    JsStreamSource source;
    source.name = object.value("name"_L1).toString();
    source.optStartSeq = quint64(object.value("opt_start_seq"_L1).toInteger());
    if (object.contains("opt_start_time"_L1))
        source.optStartTime = JsTimestamp::parse(object.value("opt_start_time"_L1).toString()); // nanoseconds
    source.filterSubject = object.value("filter_subject"_L1).toString();
    const QJsonObject external = object.value("external"_L1).toObject();
    source.externalApiPrefix = external.value("api"_L1).toString();
    source.externalDeliverPrefix = external.value("deliver"_L1).toString();
    for (const QJsonValue &value : object.value("subject_transforms"_L1).toArray()) {
        const QJsonObject transform = value.toObject();
        source.subjectTransforms.append(
            JsSubjectTransform{transform.value("src"_L1).toString(), transform.value("dest"_L1).toString()});
    }
    return source;
}

QJsonObject JsStreamConfig::toJson() const
{
    QJsonObject object = m_unknown;
    object.insert("name"_L1, name);
    if (!description.isEmpty())
        object.insert("description"_L1, description);
    if (!subjects.isEmpty())
        object.insert("subjects"_L1, QJsonArray::fromStringList(subjects));
    object.insert("retention"_L1, retention);
    object.insert("max_consumers"_L1, maxConsumers);
    object.insert("max_msgs"_L1, maxMsgs);
    object.insert("max_bytes"_L1, maxBytes);
    object.insert("discard"_L1, discard);
    object.insert("max_age"_L1, maxAgeNs);
    object.insert("max_msgs_per_subject"_L1, maxMsgsPerSubject);
    object.insert("max_msg_size"_L1, maxMsgSize);
    object.insert("storage"_L1, storage);
    object.insert("num_replicas"_L1, numReplicas);
    if (noAck)
        object.insert("no_ack"_L1, true);
    if (duplicateWindowNs > 0) // else the server's default (2 min, or max_age when shorter; none for a mirror)
        object.insert("duplicate_window"_L1, duplicateWindowNs);
    if (!placement.isEmpty()) {
        QJsonObject p;
        if (!placement.cluster.isEmpty())
            p.insert("cluster"_L1, placement.cluster);
        if (!placement.tags.isEmpty())
            p.insert("tags"_L1, QJsonArray::fromStringList(placement.tags));
        object.insert("placement"_L1, p);
    }
    if (!mirror.isEmpty())
        object.insert("mirror"_L1, mirror.toJson());
    if (!sources.isEmpty()) {
        QJsonArray list;
        for (const JsStreamSource &source : sources)
            list.append(source.toJson());
        object.insert("sources"_L1, list);
    }
    if (sealed)
        object.insert("sealed"_L1, true);
    object.insert("deny_delete"_L1, denyDelete);
    object.insert("deny_purge"_L1, denyPurge);
    object.insert("allow_rollup_hdrs"_L1, allowRollupHeaders);
    object.insert("allow_direct"_L1, allowDirect);
    object.insert("mirror_direct"_L1, mirrorDirect);
    if (!republish.isEmpty()) {
        QJsonObject r{{"src"_L1, republish.source}, {"dest"_L1, republish.destination}};
        if (republish.headersOnly)
            r.insert("headers_only"_L1, true);
        object.insert("republish"_L1, r);
    }
    if (!compression.isEmpty())
        object.insert("compression"_L1, compression);
    QJsonObject userMetadata;
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it) {
        if (!isServerMetadata(it.key()))
            userMetadata.insert(it.key(), it.value());
    }
    if (!userMetadata.isEmpty())
        object.insert("metadata"_L1, userMetadata);
    if (firstSequence > 0)
        object.insert("first_seq"_L1, qint64(firstSequence));
    if (allowMsgTtl)
        object.insert("allow_msg_ttl"_L1, true);
    if (subjectDeleteMarkerTtlNs > 0)
        object.insert("subject_delete_marker_ttl"_L1, subjectDeleteMarkerTtlNs);
    return object;
}

JsStreamConfig JsStreamConfig::fromJson(const QJsonObject &object)
{
    JsStreamConfig c;
    c.name = object.value("name"_L1).toString();
    c.description = object.value("description"_L1).toString();
    c.subjects = toStringList(object.value("subjects"_L1));
    c.retention = object.value("retention"_L1).toString(u"limits"_s);
    c.maxConsumers = object.value("max_consumers"_L1).toInteger(-1);
    c.maxMsgs = object.value("max_msgs"_L1).toInteger(-1);
    c.maxBytes = object.value("max_bytes"_L1).toInteger(-1);
    c.discard = object.value("discard"_L1).toString(u"old"_s);
    c.maxAgeNs = object.value("max_age"_L1).toInteger();
    c.maxMsgsPerSubject = object.value("max_msgs_per_subject"_L1).toInteger(-1);
    c.maxMsgSize = object.value("max_msg_size"_L1).toInteger(-1);
    c.storage = object.value("storage"_L1).toString(u"file"_s);
    c.numReplicas = object.value("num_replicas"_L1).toInt(1);
    c.noAck = object.value("no_ack"_L1).toBool();
    c.duplicateWindowNs = object.value("duplicate_window"_L1).toInteger();
    const QJsonObject placement = object.value("placement"_L1).toObject();
    c.placement.cluster = placement.value("cluster"_L1).toString();
    c.placement.tags = toStringList(placement.value("tags"_L1));
    c.mirror = JsStreamSource::fromJson(object.value("mirror"_L1).toObject());
    for (const QJsonValue &source : object.value("sources"_L1).toArray())
        c.sources.append(JsStreamSource::fromJson(source.toObject()));
    c.sealed = object.value("sealed"_L1).toBool();
    c.denyDelete = object.value("deny_delete"_L1).toBool();
    c.denyPurge = object.value("deny_purge"_L1).toBool();
    c.allowRollupHeaders = object.value("allow_rollup_hdrs"_L1).toBool();
    c.allowDirect = object.value("allow_direct"_L1).toBool();
    c.mirrorDirect = object.value("mirror_direct"_L1).toBool();
    const QJsonObject republish = object.value("republish"_L1).toObject();
    c.republish.source = republish.value("src"_L1).toString();
    c.republish.destination = republish.value("dest"_L1).toString();
    c.republish.headersOnly = republish.value("headers_only"_L1).toBool();
    c.compression = object.value("compression"_L1).toString();
    const QJsonObject metadata = object.value("metadata"_L1).toObject();
    for (auto it = metadata.begin(); it != metadata.end(); ++it)
        c.metadata.insert(it.key(), it.value().toString());
    c.firstSequence = quint64(object.value("first_seq"_L1).toInteger());
    c.allowMsgTtl = object.value("allow_msg_ttl"_L1).toBool();
    c.subjectDeleteMarkerTtlNs = object.value("subject_delete_marker_ttl"_L1).toInteger();
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!knownKeys().contains(it.key()))
            c.m_unknown.insert(it.key(), it.value());
    }
    return c;
}

QStringList JsStreamConfig::droppedFields(const JsStreamConfig &echoed) const
{
    QStringList dropped;
    if (compression == "s2"_L1 && echoed.compression != compression)
        dropped.append(u"compression"_s);
    for (auto it = metadata.cbegin(); it != metadata.cend(); ++it) {
        if (!isServerMetadata(it.key()) && echoed.metadata.value(it.key()) != it.value()) {
            dropped.append(u"metadata"_s);
            break;
        }
    }
    if (firstSequence > 0 && echoed.firstSequence != firstSequence)
        dropped.append(u"first_seq"_s);
    if (allowMsgTtl && !echoed.allowMsgTtl)
        dropped.append(u"allow_msg_ttl"_s);
    if (subjectDeleteMarkerTtlNs > 0 && echoed.subjectDeleteMarkerTtlNs != subjectDeleteMarkerTtlNs)
        dropped.append(u"subject_delete_marker_ttl"_s);
    const auto transforms = [](const QList<JsStreamSource> &list) {
        qsizetype count = 0;
        for (const JsStreamSource &source : list)
            count += source.subjectTransforms.size();
        return count;
    };
    if (echoed.sources.size() != sources.size())
        dropped.append(u"sources"_s);
    else if (transforms(echoed.sources) < transforms(sources))
        dropped.append(u"subject_transforms"_s);
    return dropped;
}
