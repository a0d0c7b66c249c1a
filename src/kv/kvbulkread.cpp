#include "kvbulkread.h"

#include "jetstreamcontext.h"
#include "jsbatchget.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvnames.h"

#include <QtCore/QHash>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr int kSingleWindow = 32;    // direct gets in flight, one-by-one
constexpr quint64 kRevisionGap = 64; // revisions further apart than this go into separate batches

} // namespace

KvBulkRead::KvBulkRead(KvBucket *bucket, const QList<Want> &wants, Mode mode, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_wants(wants)
    , m_mode(mode)
    , m_results(wants.size())
    , m_problems(wants.size())
{
    QTimer::singleShot(0, this, &KvBulkRead::begin);
}

KvBulkRead::~KvBulkRead() = default;

void KvBulkRead::begin()
{
    if (m_finished)
        return;
    if (!m_bucket || !m_bucket->jetStream()) {
        finish(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    if (m_wants.isEmpty()) {
        finish();
        return;
    }
    m_bucket->whenBound(
        this,
        [this] {
            if (m_mode == Mode::OneByOne || !m_bucket->m_directGet) {
                readSingly(wantsWithoutResult());
                return;
            }
            m_bucket->jetStream()->capabilities()->whenKnown(this, [this](const NatsError &) {
                // An unknown level (the INFO request failed) reads one by one: that works everywhere.
                if (m_bucket
                    && m_bucket->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::BatchGet))
                    startBatches();
                else
                    readSingly(wantsWithoutResult());
            });
        },
        [this](const NatsError &error) { finish(error); });
}

// ---- batch direct get (2.11+) ----------------------------------------------------------------------

void KvBulkRead::startBatches()
{
    m_batched = true;
    QList<qsizetype> latest;
    QList<qsizetype> byRevision;
    for (qsizetype i = 0; i < m_wants.size(); ++i)
        (m_wants[i].revision == 0 ? latest : byRevision).append(i);
    // multi_last: at most 1,024 subjects a request.
    for (qsizetype at = 0; at < latest.size(); at += JsBatchGetRequest::MaxMultiLastSubjects)
        m_groups.append(latest.mid(at, JsBatchGetRequest::MaxMultiLastSubjects));
    // By revision: runs of nearby revisions, each read as one batch from its first revision on.
    std::sort(byRevision.begin(), byRevision.end(),
              [this](qsizetype a, qsizetype b) { return m_wants[a].revision < m_wants[b].revision; });
    QList<qsizetype> run;
    for (const qsizetype index : std::as_const(byRevision)) {
        const quint64 revision = m_wants[index].revision;
        if (!run.isEmpty()
            && (revision - m_wants[run.last()].revision > kRevisionGap
                || revision - m_wants[run.first()].revision >= JsBatchGetRequest::MaxMultiLastSubjects)) {
            m_groups.append(std::exchange(run, {}));
        }
        run.append(index);
    }
    if (!run.isEmpty())
        m_groups.append(run);
    nextBatch();
}

void KvBulkRead::nextBatch()
{
    if (m_finished)
        return;
    if (m_groups.isEmpty()) {
        readSingly({});
        return;
    }
    m_current = m_groups.takeFirst();
    JsBatchGetRequest request;
    const Want &first = m_wants[m_current.first()];
    if (first.revision == 0) {
        for (const qsizetype index : std::as_const(m_current))
            request.multiLast.append(m_bucket->readSubject(m_wants[index].key));
    } else {
        const quint64 span = m_wants[m_current.last()].revision - first.revision + 1;
        request.nextBySubject = m_bucket->readSubject(u">"_s);
        request.startSequence = first.revision;
        request.maxMessages = span;
        request.batch = int(span);
    }
    m_batch = new JsBatchGet(m_bucket->jetStream(), KvNames::streamName(m_bucket->name()), request, this);
    connect(m_batch, &JsBatchGet::messagesReceived, this, &KvBulkRead::onBatch);
    connect(m_batch, &JsBatchGet::finished, this, &KvBulkRead::onBatchFinished);
}

void KvBulkRead::onBatch(const QList<JsStoredMessage> &messages)
{
    const bool latest = m_wants[m_current.first()].revision == 0;
    QMultiHash<QByteArray, qsizetype> bySubject;
    QMultiHash<quint64, qsizetype> byRevision;
    for (const qsizetype index : std::as_const(m_current)) {
        if (latest)
            bySubject.insert(m_bucket->readSubject(m_wants[index].key), index);
        else
            byRevision.insert(m_wants[index].revision, index);
    }
    for (const JsStoredMessage &message : messages) {
        const QList<qsizetype> indexes = latest ? bySubject.values(message.subject)
                                                : byRevision.values(message.sequence);
        for (const qsizetype index : indexes) {
            if (message.subject != m_bucket->readSubject(m_wants[index].key))
                continue; // that revision is another key's
            KvEntry entry;
            entry.bucket = m_bucket->name();
            entry.key = m_wants[index].key;
            entry.value = message.data;
            entry.revision = message.sequence;
            entry.created = message.time;
            entry.readHeaders(message.headers);
            m_results[index] = entry;
        }
    }
}

void KvBulkRead::onBatchFinished()
{
    JsBatchGet *batch = m_batch;
    m_batch = nullptr;
    batch->deleteLater();
    if (m_finished)
        return;
    if (batch->error() == NatsError::FeatureNotSupported) {
        // The level said 2.11, the answer says otherwise (a mixed cluster): read the rest one by one.
        m_batched = false;
        m_groups.clear();
        m_singles.clear(); // no single read has started yet: the wants queued so far are among these
        readSingly(wantsWithoutResult());
        return;
    }
    if (batch->error() != NatsError::NoError) {
        finish(batch->errorInfo());
        return;
    }
    if (!batch->isAnsweredByStream()) {
        // A mirror may have answered (mirror_direct), with what it holds: a single get checks its
        // answers with the stream's leader.
        for (const qsizetype index : std::as_const(m_current))
            m_results[index].reset();
        m_singles.append(m_current);
        nextBatch();
        return;
    }
    for (const qsizetype index : std::as_const(m_current)) {
        if (!m_results[index])
            m_problems[index] = m_wants[index].revision == 0
                ? tr("key \"%1\" not found").arg(m_wants[index].key)
                : tr("key \"%1\" has no revision %2").arg(m_wants[index].key).arg(m_wants[index].revision);
    }
    nextBatch();
}

// ---- one direct get each ----------------------------------------------------------------------------

QList<qsizetype> KvBulkRead::wantsWithoutResult() const
{
    QList<qsizetype> indexes;
    for (qsizetype i = 0; i < m_wants.size(); ++i) {
        if (!m_results[i])
            indexes.append(i);
    }
    return indexes;
}

// Reads these wants (and any queued before) one by one; finishes once every single read is in.
void KvBulkRead::readSingly(const QList<qsizetype> &indexes)
{
    m_singles.append(indexes);
    pumpSingles();
}

void KvBulkRead::pumpSingles()
{
    while (!m_finished && m_inFlight < kSingleWindow && m_next < m_singles.size())
        readSingle(m_singles[m_next++]);
    if (!m_finished && m_inFlight == 0 && m_next >= m_singles.size())
        finish();
}

void KvBulkRead::readSingle(qsizetype index)
{
    const Want &want = m_wants[index];
    KvReply *reply = want.revision > 0 ? m_bucket->get(want.key, want.revision) : m_bucket->get(want.key);
    ++m_inFlight;
    connect(reply, &NatsReply::finished, this, [this, reply, index] {
        reply->deleteLater();
        --m_inFlight;
        if (m_finished)
            return;
        if (reply->error() == NatsError::NoError) {
            m_results[index] = reply->entry();
        } else if (reply->error() == NatsError::KeyNotFound) {
            if (!reply->entry().key.isEmpty())
                m_results[index] = reply->entry(); // a marker: the caller decides what it means
            else
                m_problems[index] = reply->errorString();
        } else {
            finish(reply->errorInfo());
            return;
        }
        pumpSingles();
    });
}

void KvBulkRead::cancel()
{
    finish(NatsError(NatsError::Cancelled, tr("cancelled")));
}

void KvBulkRead::finish(const NatsError &error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = error;
    if (m_batch)
        m_batch->cancel();
    if (m_error.isError()) {
        const QPointer<KvBulkRead> guard(this); // a slot may delete the read: no finished() then
        Q_EMIT errorOccurred(m_error.code());
        if (!guard)
            return;
    }
    Q_EMIT finished();
}
