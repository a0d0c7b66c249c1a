#pragma once

#include "kventry.h"
#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class JetStreamContext;
class KvReply;
struct JsPurgeRequest;

// The work of KvBucket::purgeDeletes (compacting a bucket): given the delete and purge markers found, one
// STREAM.PURGE per marked key, a window of them in flight, each only up to the marker (never what the key
// got since); a marker younger than the threshold stays so watchers that lag behind still learn of the
// delete. Finishes the reply with the number of keys something was removed of (not those already as compact
// as they may be), or with the first error. A child of the reply.
class KvMarkerPurge final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvMarkerPurge)

public:
    // Turns a JetStream error into the bucket's (StreamNotFound names the bucket).
    using ErrorMapper = std::function<NatsError(const NatsError &error)>;

    KvMarkerPurge(KvReply *reply, JetStreamContext *context, const QString &stream, qint64 thresholdMs,
                  ErrorMapper mapError);

    void addMarker(const KvEntry &marker) { m_markers.append(marker); }
    // Purges the markers added; subjectPrefix is the bucket's ("$KV.<bucket>.").
    void start(const QByteArray &subjectPrefix);

private:
    // The purge for marker, or false when there is nothing to purge.
    bool boundedPurge(const KvEntry &marker, JsPurgeRequest *request) const;
    void pump();

    QPointer<KvReply> m_reply;
    QPointer<JetStreamContext> m_context;
    QString m_stream;
    QByteArray m_subjectPrefix;
    qint64 m_thresholdMs = 0;
    ErrorMapper m_mapError;
    QList<KvEntry> m_markers;
    qsizetype m_next = 0;
    int m_inFlight = 0;
    quint64 m_purged = 0;
};
