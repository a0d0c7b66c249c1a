#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
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

// A mirror or source of another stream (possibly in another domain, through external.api).
struct JsStreamSource
{
    QString name;
    quint64 optStartSeq = 0;
    QDateTime optStartTime;
    QString filterSubject;
    QString externalApiPrefix;
    QString externalDeliverPrefix;
    bool isEmpty() const { return name.isEmpty(); }
    QJsonObject toJson() const;
    static JsStreamSource fromJson(const QJsonObject &object);
    bool operator==(const JsStreamSource &) const = default;
};

// StreamConfig as nats-server 2.9 knows it (docs/nats-protocol.md §3.3). Durations are nanoseconds, as
// on the wire. Fields this class does not know are kept from fromJson() and written back by toJson(),
// so updating a stream made by a newer tool does not drop its settings.
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

    QJsonObject toJson() const;
    static JsStreamConfig fromJson(const QJsonObject &object);

private:
    QJsonObject m_unknown;
};

Q_DECLARE_METATYPE(JsStreamConfig)
