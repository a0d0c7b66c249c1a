#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>

class NatsHeaders;
struct JsStoredMessage;

// One revision of a key: a value (Put), or a delete or purge marker. A marker is either written by a
// client (KV-Operation: DEL or PURGE) or, on nats-server 2.11+, by the server itself when a key's last
// value expired or was removed by a limit: a limit marker (Nats-Marker-Reason, no KV-Operation), which
// means the key is gone exactly as a purge does.
class KvEntry
{
    Q_GADGET

public:
    enum class Operation {
        Put,
        Delete,
        Purge
    };
    Q_ENUM(Operation)

    QString bucket;
    QString key;
    QByteArray value;     // empty for markers and for meta-only watches
    quint64 revision = 0; // the stream sequence
    quint64 delta = 0;    // in a watch: how many newer entries are pending after this one
    QDateTime created;
    Operation operation = Operation::Put;
    qint64 valueSize = -1;   // for meta-only watches, from Nats-Msg-Size; else -1 (use value.size())
    QByteArray markerReason; // a limit marker's Nats-Marker-Reason (MaxAge, Purge, Remove); else empty
    qint64 ttlNs = 0;        // the entry's own TTL (Nats-TTL) in ns; 0 none; KvTtl::Never (-1) never expires

    // Operation, limit marker and TTL from a stored message's headers (ADR-8/48 as nats.go maps them:
    // KV-Operation first; without it a Nats-Marker-Reason MaxAge or Purge is a Purge, Remove a Delete).
    void readHeaders(const NatsHeaders &headers);
    bool isLimitMarker() const { return !markerReason.isEmpty(); }
    // When the server removes this entry by its own TTL (created + TTL); invalid without one.
    QDateTime expires() const;
    // What the entry is, for people: "PUT", "DEL", "PURGE", or for a limit marker its meaning and reason,
    // "EXPIRED (MaxAge)", "PURGED (Purge)", "REMOVED (Remove)".
    QString operationLabel() const;
    // The label without the reason ("EXPIRED"), for a column with no room for it: PUT, DEL and PURGE as they are.
    QString operationWord() const;

    bool isDeleted() const { return operation != Operation::Put; }
    qint64 size() const { return valueSize >= 0 ? valueSize : value.size(); }

    // "PUT", "DEL", "PURGE" as on the wire and in natscli.
    static QString operationName(Operation operation);
    // From the KV-Operation header value; anything else is a Put.
    static Operation operationFromHeader(const QByteArray &value);
    // The entry a stored stream message (a direct or STREAM.MSG get) holds for key of bucket.
    static KvEntry fromStoredMessage(const QString &bucket, const QString &key, const JsStoredMessage &stored);

    // The value as UTF-8 text; false (and *errorMessage says why, naming key and revision) when it is not.
    bool toText(QString *text, QString *errorMessage = nullptr) const;
    // The value as JSON; false (and *errorMessage names key, revision, and the parse error) when it is not.
    bool toJson(QJsonDocument *document, QString *errorMessage = nullptr) const;

    bool operator==(const KvEntry &other) const = default;
};

Q_DECLARE_METATYPE(KvEntry)
