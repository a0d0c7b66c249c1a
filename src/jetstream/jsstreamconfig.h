#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QMap>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

// Where a stream's replicas go.
struct JsPlacement
{
    QString cluster;
    QStringList tags;
    bool isEmpty() const { return cluster.isEmpty() && tags.isEmpty(); }
    bool operator==(const JsPlacement &) const = default;
};

// Republish: every stored message whose subject matches source is also published to destination.
struct JsRepublish
{
    QString source;
    QString destination;
    bool headersOnly = false;
    bool isEmpty() const { return source.isEmpty() && destination.isEmpty(); }
    bool operator==(const JsRepublish &) const = default;
};

// Subjects of a source rewritten on the way in (2.10+): src pattern to dest.
struct JsSubjectTransform
{
    QString source;
    QString destination;
    bool operator==(const JsSubjectTransform &) const = default;
};

// A mirror or source of another stream (possibly in another domain, through external.api).
struct JsStreamSource
{
    QString name;
    quint64 optStartSeq = 0;
    QDateTime optStartTime;
    QString filterSubject;
    QString externalApiPrefix;
    QString externalDeliverPrefix;
    QList<JsSubjectTransform> subjectTransforms; // 2.10+; 2.9 drops them
    bool isEmpty() const { return name.isEmpty(); }
    QJsonObject toJson() const;
    static JsStreamSource fromJson(const QJsonObject &object);
    bool operator==(const JsStreamSource &) const = default;
};

// StreamConfig as nats-server 2.9 knows it (docs/nats-protocol.md §3.3), plus the fields of 2.10
// (compression, metadata, first_seq, source subject transforms) and 2.11 (per-message TTL, subject delete
// markers), which toJson() writes only when set: 2.12+ refuses fields it does not know, and an unset
// optional field is never sent (nats-modern.md §1.5). Durations are nanoseconds, as on the wire. Fields
// this class does not know are kept from fromJson() and written back by toJson(), so updating a stream
// made by a newer tool does not drop its settings; never template_owner (gone in 2.14) nor the metadata
// the server writes itself (_nats.*).
struct JsStreamConfig
{
    QString name;
    QString description;
    QStringList subjects;
    QString retention = QStringLiteral("limits"); // limits | interest | workqueue
    qint64 maxConsumers = -1;
    qint64 maxMsgs = -1;
    qint64 maxBytes = -1;
    QString discard = QStringLiteral("old"); // old | new
    qint64 maxAgeNs = 0;
    qint64 maxMsgsPerSubject = -1;
    qint64 maxMsgSize = -1;
    QString storage = QStringLiteral("file"); // file | memory
    int numReplicas = 1;
    bool noAck = false;
    qint64 duplicateWindowNs = 0;
    JsPlacement placement;
    JsStreamSource mirror;
    QList<JsStreamSource> sources;
    bool sealed = false;
    bool denyDelete = false;
    bool denyPurge = false;
    bool allowRollupHeaders = false;
    bool allowDirect = false;
    bool mirrorDirect = false;
    JsRepublish republish;
    QString compression;                 // "none" | "s2" (2.10+); empty: not sent
    QMap<QString, QString> metadata;     // 2.10+; the server adds _nats.* keys (2.11+)
    quint64 firstSequence = 0;           // 2.10+
    bool allowMsgTtl = false;            // 2.11+: messages may carry Nats-TTL
    qint64 subjectDeleteMarkerTtlNs = 0; // 2.11+: limit markers, kept this long

    // Metadata keys the server writes itself (_nats.ver, _nats.level, _nats.req.level).
    static bool isServerMetadata(const QString &key) { return key.startsWith(QLatin1StringView("_nats.")); }

    QJsonObject toJson() const;
    // The fields of this (sent) config that the config a server echoed lacks: what an older server
    // dropped silently (nats-modern.md §2.4), by wire name ("compression", "allow_msg_ttl"...).
    QStringList droppedFields(const JsStreamConfig &echoed) const;
    static JsStreamConfig fromJson(const QJsonObject &object);

private:
    QJsonObject m_unknown;
};

Q_DECLARE_METATYPE(JsStreamConfig)
