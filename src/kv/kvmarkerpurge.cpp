#include "kvmarkerpurge.h"

#include "jetstreamcontext.h"
#include "kvnames.h"
#include "kvreply.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace {
constexpr int kWindow = 32;
}

KvMarkerPurge::KvMarkerPurge(KvReply *reply, JetStreamContext *context, const QString &stream, qint64 thresholdMs,
                             ErrorMapper mapError)
    : QObject(reply)
    , m_reply(reply)
    , m_context(context)
    , m_stream(stream)
    , m_thresholdMs(thresholdMs)
    , m_mapError(std::move(mapError))
{
}

void KvMarkerPurge::start(const QByteArray &subjectPrefix)
{
    m_subjectPrefix = subjectPrefix;
    pump();
}

bool KvMarkerPurge::boundedPurge(const KvEntry &marker, JsPurgeRequest *request) const
{
    // Bounded by the marker's sequence ("seq": purge below it), never just the key's subject: the key
    // may have been written again since the marker was read, and that newer value must survive. A young
    // marker stays itself (watchers behind still learn of the delete), so the bound is the marker; an
    // old one goes too. ("seq" or "keep", not both: nats-protocol.md §3.2. nats.go's PurgeDeletes sends
    // the filter with at most "keep" 1, and has this race.)
    request->filter = m_subjectPrefix + KvNames::keySubject(marker.key);
    const bool young = m_thresholdMs > 0 && marker.created.isValid()
        && marker.created.msecsTo(QDateTime::currentDateTimeUtc()) < m_thresholdMs;
    request->upToSequence = young ? marker.revision : marker.revision + 1;
    // The server takes "seq" 0 and 1 as no bound at all (the whole subject): nothing is older than 1.
    return request->upToSequence > 1;
}

void KvMarkerPurge::pump()
{
    if (!m_reply || m_reply->isFinished())
        return;
    while (m_context && m_inFlight < kWindow && m_next < m_markers.size()) {
        const KvEntry &marker = m_markers.at(m_next++);
        // A purge names its subject in JSON, which has no bytes that are not UTF-8: the server would read
        // U+FFFD for them and purge another key's history ("x\xFF" as "x\uFFFD"). Such a marker stays.
        if (KvNames::keyHasRawBytes(marker.key))
            continue;
        JsPurgeRequest request;
        if (!boundedPurge(marker, &request))
            continue; // a young marker with nothing older: already as compact as it may get, nothing removed
        JsApiReply *purge = m_context->purgeStream(m_stream, request);
        ++m_inFlight;
        connect(purge, &NatsReply::finished, this, [this, purge] {
            purge->deleteLater();
            --m_inFlight;
            if (purge->error() != NatsError::NoError) {
                m_reply->finishWithError(m_mapError(purge->errorInfo()));
                return;
            }
            // Counted only where something went: a young marker left alone by an earlier compaction is
            // purged below itself again each time, removing nothing ("1 deleted key removed" on every run).
            if (purge->response().value("purged"_L1).toInteger() > 0)
                ++m_purged;
            pump();
        });
    }
    if (!m_context && m_inFlight == 0 && m_next < m_markers.size()) {
        m_reply->finishWithError(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    if (m_inFlight == 0 && m_next >= m_markers.size())
        m_reply->finishWithRevision(m_purged);
}
