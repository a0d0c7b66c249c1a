#include "kvmarkerpurge.h"

#include "jetstreamcontext.h"
#include "kvreply.h"

#include <QtCore/QDateTime>

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

void KvMarkerPurge::pump()
{
    if (!m_reply || m_reply->isFinished())
        return;
    while (m_context && m_inFlight < kWindow && m_next < m_markers.size()) {
        const KvEntry &marker = m_markers.at(m_next++);
        JsPurgeRequest request;
        request.filter = m_subjectPrefix + marker.key.toUtf8();
        if (m_thresholdMs > 0 && marker.created.isValid()
            && marker.created.msecsTo(QDateTime::currentDateTimeUtc()) < m_thresholdMs)
            request.keep = 1;
        JsApiReply *purge = m_context->purgeStream(m_stream, request);
        ++m_inFlight;
        connect(purge, &NatsReply::finished, this, [this, purge] {
            purge->deleteLater();
            --m_inFlight;
            if (purge->error() != NatsError::NoError) {
                m_reply->finishWithError(m_mapError(purge->errorInfo()));
                return;
            }
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
