#include "kvremovejob.h"

#include "kvbucket.h"
#include "kvreply.h"

#include <QtCore/QTimer>

#include <algorithm>

KvRemoveJob::KvRemoveJob(KvBucket *bucket, const QList<KvRemoveItem> &items, bool purge, qint64 markerTtlNs,
                         QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_items(items)
    , m_results(items.size())
    , m_purge(purge)
    , m_markerTtlNs(markerTtlNs)
{
    for (qsizetype i = 0; i < items.size(); ++i) {
        m_results[i].key = items.at(i).key;
        m_results[i].expectedRevision = items.at(i).revision;
    }
    // Not at once: the caller has not connected to the job yet.
    QTimer::singleShot(0, this, &KvRemoveJob::pump);
}

int KvRemoveJob::count(Outcome outcome) const
{
    if (!m_finished)
        return 0;
    return int(std::count_if(m_results.cbegin(), m_results.cend(),
                             [outcome](const Result &result) { return result.outcome == outcome; }));
}

void KvRemoveJob::pump()
{
    while (m_inFlight < DefaultWindow && m_next < m_items.size()) {
        const qsizetype index = m_next++;
        if (m_bucket)
            send(index);
        else
            done(index, Outcome::Failed, 0, tr("not sent: the bucket handle was closed"));
    }
    if (!m_finished && m_inFlight == 0 && m_doneCount == m_items.size()) {
        m_finished = true;
        Q_EMIT finished();
    }
}

void KvRemoveJob::send(qsizetype index)
{
    const KvRemoveItem &item = m_items.at(index);
    KvReply *reply = m_purge ? m_bucket->purge(item.key, item.revision, m_markerTtlNs)
                             : m_bucket->remove(item.key, item.revision);
    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
    // A reply dies with its bucket handle, answered or not: the item still ends.
    connect(reply, &QObject::destroyed, this, [this, index] {
        --m_inFlight;
        done(index, Outcome::Failed, 0,
             tr("the bucket handle was closed before the answer came; the key may have been removed"));
        pump();
    });
    connect(reply, &NatsReply::finished, this, [this, index, reply] {
        reply->disconnect(this); // its destruction is no news now
        reply->deleteLater();
        --m_inFlight;
        onAnswer(index, reply);
        pump();
    });
}

void KvRemoveJob::onAnswer(qsizetype index, const KvReply *reply)
{
    const NatsError::Code code = reply->error();
    if (code == NatsError::NoError) {
        done(index, Outcome::Removed, reply->revision());
    } else if (code == NatsError::WrongRevision) {
        // Someone wrote the key after the revision given: the guard refused the marker, as it should.
        const quint64 now = reply->currentRevision();
        done(index, Outcome::ChangedSince, now,
             now > 0 ? tr("changed after revision %1: it is now revision %2").arg(m_items.at(index).revision).arg(now)
                     : tr("changed after revision %1").arg(m_items.at(index).revision));
    } else {
        done(index, Outcome::Failed, 0, reply->errorString());
    }
}

void KvRemoveJob::done(qsizetype index, Outcome outcome, quint64 revision, const QString &detail)
{
    Result &result = m_results[index];
    result.outcome = outcome;
    result.revision = revision;
    result.detail = detail;
    ++m_doneCount;
    Q_EMIT progress(m_doneCount, m_items.size());
}
