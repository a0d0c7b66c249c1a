#include "kvputbatch.h"

#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvwriteretry.h"
#include "natsnuid.h"

#include <QtCore/QMetaObject>
#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace {

// A list drawn one item at a time, shared with the caller rather than copied, so that its keys and values
// are not held twice. Once the caller has let it go, each item is moved out as it is drawn (changing a
// list still shared would copy all of it).
KvPutBatch::Source listSource(const QList<KvPutBatch::Item> &items)
{
    return [list = items, next = qsizetype(0)]() mutable -> std::optional<KvPutBatch::Item> {
        if (next == list.size())
            return std::nullopt;
        if (list.isDetached())
            return std::move(list[next++]);
        return list.at(next++);
    };
}

} // namespace

KvPutBatch::KvPutBatch(KvBucket *bucket, const QList<Item> &items, int maxInFlight)
    : KvPutBatch(bucket, listSource(items), maxInFlight)
{
    // Every item of a list is an item of the batch from the start: size() and the results of each.
    m_revisions.resize(items.size());
    m_fromList = true;
}

KvPutBatch::KvPutBatch(KvBucket *bucket, Source source, int maxInFlight)
    : QObject(bucket)
    , m_bucket(bucket)
    , m_context(bucket->jetStream())
    , m_bucketName(bucket->name())
    , m_source(std::move(source))
    , m_maxInFlight(std::max(1, maxInFlight))
{
    m_clock.start();
    // The context drops the callbacks of puts in flight when it goes, and the batch goes with its
    // bucket: either way every item still ends, and finished() comes (while the batch is still alive).
    const auto gone = [this](const QString &what) {
        leaveSource(NatsError(NatsError::ConnectionClosed, tr("%1 was destroyed").arg(what)));
        endUnfinished(
            NatsError::ConnectionClosed, tr("not sent: %1 was destroyed").arg(what), NatsError::OutcomeUnknown,
            tr("%1 was destroyed while the put awaited its acknowledgement; it may have been stored").arg(what));
    };
    if (m_context)
        connect(m_context, &QObject::destroyed, this, [gone] { gone(tr("the JetStream context")); });
    connect(bucket, &QObject::destroyed, this, [gone] { gone(tr("the bucket handle")); });
    // Not at once: the caller of putMany() has not connected to the batch yet, and a bound bucket
    // would run the batch inside that call.
    QMetaObject::invokeMethod(
        this,
        [this] {
            if (!m_bucket) {
                failAll(NatsError(NatsError::ConnectionClosed, tr("the bucket is gone")));
                return;
            }
            m_bucket->whenBound(
                this, [this] { start(); }, [this](const NatsError &error) { failAll(error); });
        },
        Qt::QueuedConnection);
}

void KvPutBatch::start()
{
    if (m_finished || !m_bucket)
        return;
    m_started = true;
    m_retryForMs = m_bucket->writeRetryMs();
    // Every id is a NUID of the same length: what its header adds is the same for every put.
    NatsMessage sized;
    JsPublishOptions options;
    options.messageId = NatsNuid::generate();
    JetStreamContext::applyPublishOptions(&sized, options);
    m_idHeaderSize = sized.headers().toWire().size();
    pump();
    finishIfDone();
}

void KvPutBatch::failAll(const NatsError &error)
{
    m_started = true;
    leaveSource(error);
    for (qsizetype i = m_firstOpen; i < drawn(); ++i) {
        if (stateOf(i) != State::Done)
            complete(i, error, 0);
    }
    m_next = drawn();
    m_inFlight = 0;
    m_retrying = 0;
    finishIfDone();
}

void KvPutBatch::pump()
{
    if (m_pumping || !m_started || m_finished)
        return;
    m_pumping = true;
    // While a put is being sent again, later ones wait: a later put of the same key must not overtake it.
    while (m_retrying == 0 && m_inFlight < m_maxInFlight && draw())
        send(m_next++);
    m_pumping = false;
}

bool KvPutBatch::draw()
{
    if (!m_source)
        return false;
    std::optional<Item> item = m_source();
    if (!item) {
        m_source = nullptr; // lets a list go
        return false;
    }
    m_window.push_back(Slot{std::move(*item), {}, {}, 0, 0, State::Waiting});
    if (drawn() > m_revisions.size())
        m_revisions.append(0);
    return true;
}

void KvPutBatch::leaveSource(const NatsError &reason)
{
    if (m_fromList) {
        while (draw()) {}
        return;
    }
    if (!m_source)
        return;
    m_source = nullptr;
    m_sourceLeft = true;
    m_leftBecause = reason;
}

void KvPutBatch::send(qsizetype index)
{
    const auto &[key, value] = slot(index).item;
    if (!m_bucket || !m_context) {
        complete(index, NatsError(NatsError::ConnectionClosed, tr("the connection is gone")), 0);
        return;
    }
    if (const QString problem = m_bucket->checkKey(key); !problem.isEmpty()) {
        complete(index, NatsError(NatsError::InvalidKey, problem), 0);
        return;
    }
    // As put(): an id, so that a copy sent again is stored once, unless its header would make the
    // value too large.
    JsPublishOptions options;
    if (m_retryForMs > 0)
        options.messageId = NatsNuid::generate();
    QString sizeProblem = m_bucket->checkValueSize(key, value.size(), options.messageId.isEmpty() ? 0 : m_idHeaderSize);
    if (!sizeProblem.isEmpty() && !options.messageId.isEmpty()) {
        options.messageId.clear();
        sizeProblem = m_bucket->checkValueSize(key, value.size(), 0);
    }
    if (!sizeProblem.isEmpty()) {
        complete(index, NatsError(NatsError::ValueTooLarge, sizeProblem), 0);
        return;
    }
    Slot &open = slot(index);
    open.messageId = options.messageId;
    open.sentAtMs = m_clock.elapsed();
    open.state = State::InFlight;
    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
    const QPointer<KvPutBatch> self(this);
    const NatsError refused = m_context->publish(NatsMessage(m_bucket->writeSubject(key), value), options,
                                                 [self, index](const NatsError &error, const JsPubAck &ack) {
                                                     if (self)
                                                         self->onAnswer(index, error, ack);
                                                 });
    if (refused.isError())
        onAnswer(index, refused, JsPubAck());
}

void KvPutBatch::onAnswer(qsizetype index, const NatsError &error, const JsPubAck &ack)
{
    if (stateOf(index) != State::InFlight)
        return; // aborted meanwhile
    --m_inFlight;
    if (error.isError())
        retry(index, error);
    else
        complete(index, {}, ack.sequence);
    if (m_retrying > 0)
        scheduleRetries(); // this answer may be what a queued retry of its key waited for
    pump();
    finishIfDone();
}

void KvPutBatch::retry(qsizetype index, const NatsError &error)
{
    if (!m_bucket) {
        complete(index, error, 0);
        return;
    }
    Slot &open = slot(index);
    open.state = State::RetryQueued;
    open.error = error;
    open.failedAtMs = m_clock.elapsed();
    ++m_retrying;
    scheduleRetries();
}

void KvPutBatch::scheduleRetries()
{
    if (m_retriesScheduled)
        return;
    m_retriesScheduled = true;
    // Later: a dropped connection fails every put in flight in one go, and the turn of each retry is
    // decided once all of them are known.
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_retriesScheduled = false;
            startRetries();
        },
        Qt::QueuedConnection);
}

void KvPutBatch::startRetries()
{
    if (m_finished)
        return;
    // Keys with a put awaiting its answer or being retried, and keys with a retry queued before.
    QSet<QString> busy;
    QSet<QString> queued;
    for (qsizetype i = m_firstOpen; i < m_next; ++i) {
        const State state = stateOf(i);
        if (state == State::InFlight || state == State::Retrying)
            busy.insert(slot(i).item.first);
    }
    for (qsizetype i = m_firstOpen; i < m_next; ++i) {
        if (stateOf(i) != State::RetryQueued)
            continue;
        const QString key = slot(i).item.first; // a copy: startRetry() may end the item, and its slot go
        // Its turn: no other put of its key awaits an answer (one sent later but still unanswered
        // could be stored before this copy) and no earlier retry of its key is queued.
        if (!busy.contains(key) && !queued.contains(key)) {
            busy.insert(key);
            startRetry(i);
        }
        queued.insert(key);
    }
    pump();
    finishIfDone();
}

void KvPutBatch::startRetry(qsizetype index)
{
    // From here its KvWriteRetry holds what the retries need.
    Slot &open = slot(index);
    const QString key = open.item.first;
    const QByteArray value = open.item.second;
    const NatsError error = std::exchange(open.error, NatsError());
    const QByteArray messageId = std::exchange(open.messageId, QByteArray());
    const qint64 sentAtMs = open.sentAtMs;
    const qint64 failedAtMs = open.failedAtMs;
    if (!m_bucket) {
        --m_retrying;
        complete(index, error, 0);
        return;
    }
    // A later put of this key stored meanwhile (its copy went out first): sent now, this older value
    // would become the key's newest. Whether the first copy was stored is not known.
    for (qsizetype i = index + 1; i < m_next; ++i) {
        if (stateOf(i) == State::Done && m_revisions.at(i) > 0 && slot(i).item.first == key) {
            --m_retrying;
            complete(index,
                     NatsError(NatsError::OutcomeUnknown,
                               tr("put of key \"%1\" not sent again: its outcome is unknown and a later put of the "
                                  "key was stored meanwhile (revision %2)")
                                   .arg(key)
                                   .arg(m_revisions.at(i))),
                     0);
            return;
        }
    }
    open.state = State::Retrying;
    JsPublishOptions options;
    options.messageId = messageId;
    auto *writer = new KvWriteRetry(m_context, m_bucket->streamName(), m_bucket->readSubject(key),
                                    NatsMessage(m_bucket->writeSubject(key), value), options, m_retryForMs, this);
    connect(writer, &KvWriteRetry::finished, this, [this, index, writer] {
        writer->deleteLater();
        if (stateOf(index) != State::Retrying)
            return; // aborted meanwhile
        --m_retrying;
        const NatsError outcome = writer->errorInfo();
        complete(index, outcome, outcome.isError() ? 0 : writer->pubAck().sequence);
        if (m_retrying > 0)
            scheduleRetries(); // the next retry of this key
        pump();
        finishIfDone();
    });
    // The pause before a retry (against spinning while the client reconnects) counts from the failure:
    // a retry that waited for the earlier ones of its key has paused already, and the retries of one
    // key must not add a pause each.
    writer->resume(error, m_clock.elapsed() - sentAtMs, m_clock.elapsed() - failedAtMs);
}

void KvPutBatch::complete(qsizetype index, const NatsError &error, quint64 revision)
{
    Slot &item = slot(index);
    item.state = State::Done;
    m_revisions[index] = revision;
    ++m_done;
    if (error.isError()) {
        quint64 current = 0;
        const NatsError failure = m_bucket ? m_bucket->writeError(error, item.item.first, &current) : error;
        m_errors.insert(index, failure);
        if (++m_failed == 1)
            m_error = failure;
    }
    release(index);
}

KvPutBatch::State KvPutBatch::stateOf(qsizetype index) const
{
    if (index < m_firstOpen)
        return State::Done;
    if (index >= drawn())
        return State::Waiting;
    return m_window.at(std::size_t(index - m_firstOpen)).state;
}

void KvPutBatch::release(qsizetype done)
{
    Slot &item = slot(done);
    item.item.second = QByteArray();
    item.messageId = QByteArray();
    item.error = NatsError();
    // The keys before the first unfinished item are not compared any more (startRetry() looks at later
    // ones).
    while (!m_window.empty() && m_window.front().state == State::Done) {
        m_window.pop_front();
        ++m_firstOpen;
    }
}

void KvPutBatch::finishIfDone()
{
    if (m_finished || !m_started || m_source || m_done < size())
        return;
    m_finished = true;
    if (m_failed > 0 || m_sourceLeft) {
        m_error = summary();
        Q_EMIT errorOccurred(m_error.code());
    }
    Q_EMIT finished();
}

NatsError KvPutBatch::summary() const
{
    const QString &bucket = m_bucketName;
    QString text;
    if (m_failed > 0) {
        text = tr("%1 of %2 puts to bucket \"%3\" failed; the first: %4")
                   .arg(m_failed)
                   .arg(size())
                   .arg(bucket, m_error.message());
    }
    if (!m_sourceLeft)
        return NatsError(m_error.code(), text, m_error.jsErrorCode());
    const QString left = tr("the source's other puts were not taken: %1").arg(m_leftBecause.message());
    if (m_failed > 0)
        return NatsError(m_error.code(), text + u"; "_s + left, m_error.jsErrorCode());
    if (m_revisions.isEmpty())
        return NatsError(m_leftBecause.code(), tr("no put to bucket \"%1\" was sent; %2").arg(bucket, left),
                         m_leftBecause.jsErrorCode());
    return NatsError(m_leftBecause.code(),
                     tr("stopped after %1 puts to bucket \"%2\", all stored; %3").arg(size()).arg(bucket, left),
                     m_leftBecause.jsErrorCode());
}

void KvPutBatch::abort()
{
    if (!m_finished)
        leaveSource(NatsError(NatsError::Cancelled, tr("cancelled")));
    endUnfinished(NatsError::Cancelled, tr("cancelled before it was sent"), NatsError::Cancelled,
                  tr("cancelled while waiting for its acknowledgement; it may have been stored"));
}

void KvPutBatch::endUnfinished(NatsError::Code waitingCode, const QString &waitingText, NatsError::Code sentCode,
                               const QString &sentText)
{
    if (m_finished)
        return;
    const auto writers = findChildren<KvWriteRetry *>(Qt::FindDirectChildrenOnly);
    for (KvWriteRetry *writer : writers)
        writer->abort();
    leaveSource(NatsError(waitingCode, waitingText));
    for (qsizetype i = m_firstOpen; i < drawn(); ++i) {
        const State state = stateOf(i);
        if (state == State::Done)
            continue;
        const QString key = slot(i).item.first;
        const bool waiting = state == State::Waiting;
        complete(
            i,
            NatsError(
                waiting ? waitingCode : sentCode,
                tr("put of key \"%1\" to bucket \"%2\": %3").arg(key, m_bucketName, waiting ? waitingText : sentText)),
            0);
    }
    m_next = drawn();
    m_inFlight = 0;
    m_retrying = 0;
    m_started = true;
    finishIfDone();
}
