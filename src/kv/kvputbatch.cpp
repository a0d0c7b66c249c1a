#include "kvputbatch.h"

#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvnames.h"
#include "kvwriteretry.h"
#include "natsnuid.h"

#include <QtCore/QMetaObject>

KvPutBatch::KvPutBatch(KvBucket *bucket, const QList<Item> &items, int maxInFlight)
    : QObject(bucket)
    , m_bucket(bucket)
    , m_context(bucket->jetStream())
    , m_maxInFlight(std::max(1, maxInFlight))
{
    m_items.reserve(items.size());
    for (const Item &item : items) {
        Entry entry;
        entry.key = item.first;
        entry.value = item.second;
        m_items.append(std::move(entry));
    }
    m_clock.start();
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
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        if (m_items.at(i).state != State::Done)
            complete(i, error, 0);
    }
    m_next = m_items.size();
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
    while (m_retrying == 0 && m_inFlight < m_maxInFlight && m_next < m_items.size())
        send(m_next++);
    m_pumping = false;
}

void KvPutBatch::send(qsizetype index)
{
    Entry &item = m_items[index];
    if (!m_bucket || !m_context) {
        complete(index, NatsError(NatsError::ConnectionClosed, tr("the connection is gone")), 0);
        return;
    }
    if (const QString problem = KvNames::validateKey(item.key); !problem.isEmpty()) {
        complete(index, NatsError(NatsError::InvalidKey, problem), 0);
        return;
    }
    // As put(): an id, so that a copy sent again is stored once, unless its header would make the
    // value too large.
    JsPublishOptions options;
    if (m_retryForMs > 0)
        options.messageId = NatsNuid::generate();
    QString sizeProblem = m_bucket->checkValueSize(item.key, item.value.size(),
                                                   options.messageId.isEmpty() ? 0 : m_idHeaderSize);
    if (!sizeProblem.isEmpty() && !options.messageId.isEmpty()) {
        options.messageId.clear();
        sizeProblem = m_bucket->checkValueSize(item.key, item.value.size(), 0);
    }
    if (!sizeProblem.isEmpty()) {
        complete(index, NatsError(NatsError::ValueTooLarge, sizeProblem), 0);
        return;
    }
    item.messageId = options.messageId;
    item.state = State::InFlight;
    item.sentAtMs = m_clock.elapsed();
    ++m_inFlight;
    m_peakInFlight = std::max(m_peakInFlight, m_inFlight);
    const QPointer<KvPutBatch> self(this);
    const NatsError refused = m_context->publish(NatsMessage(m_bucket->writeSubject(item.key), item.value), options,
                                                 [self, index](const NatsError &error, const JsPubAck &ack) {
                                                     if (self)
                                                         self->onAnswer(index, error, ack);
                                                 });
    if (refused.isError())
        onAnswer(index, refused, JsPubAck());
}

void KvPutBatch::onAnswer(qsizetype index, const NatsError &error, const JsPubAck &ack)
{
    if (m_items.at(index).state != State::InFlight)
        return; // aborted meanwhile
    --m_inFlight;
    if (error.isError())
        retry(index, error);
    else
        complete(index, {}, ack.sequence);
    pump();
    finishIfDone();
}

void KvPutBatch::retry(qsizetype index, const NatsError &error)
{
    Entry &item = m_items[index];
    if (!m_bucket) {
        complete(index, error, 0);
        return;
    }
    item.state = State::Retrying;
    ++m_retrying;
    JsPublishOptions options;
    options.messageId = item.messageId;
    auto *writer = new KvWriteRetry(m_context, m_bucket->streamName(), m_bucket->readSubject(item.key),
                                    NatsMessage(m_bucket->writeSubject(item.key), item.value), options, m_retryForMs,
                                    this);
    connect(writer, &KvWriteRetry::finished, this, [this, index, writer] {
        writer->deleteLater();
        if (m_items.at(index).state != State::Retrying)
            return; // aborted meanwhile
        --m_retrying;
        const NatsError outcome = writer->errorInfo();
        complete(index, outcome, outcome.isError() ? 0 : writer->pubAck().sequence);
        pump();
        finishIfDone();
    });
    writer->resume(error, m_clock.elapsed() - item.sentAtMs);
}

void KvPutBatch::complete(qsizetype index, const NatsError &error, quint64 revision)
{
    Entry &item = m_items[index];
    item.state = State::Done;
    item.revision = revision;
    item.value = QByteArray(); // not needed any more: a large batch's memory goes down as it is stored
    ++m_done;
    if (!error.isError())
        return;
    quint64 current = 0;
    item.error = m_bucket ? m_bucket->writeError(error, item.key, &current) : error;
    if (++m_failed == 1)
        m_error = item.error;
}

void KvPutBatch::finishIfDone()
{
    if (m_finished || !m_started || m_done < m_items.size())
        return;
    m_finished = true;
    if (m_failed > 0) {
        const QString bucket = m_bucket ? m_bucket->name() : QString();
        m_error = NatsError(m_error.code(),
                            tr("%1 of %2 puts to bucket \"%3\" failed; the first: %4")
                                .arg(m_failed)
                                .arg(m_items.size())
                                .arg(bucket, m_error.message()),
                            m_error.jsErrorCode());
        Q_EMIT errorOccurred(m_error.code());
    }
    Q_EMIT finished();
}

void KvPutBatch::abort()
{
    if (m_finished)
        return;
    const auto writers = findChildren<KvWriteRetry *>(Qt::FindDirectChildrenOnly);
    for (KvWriteRetry *writer : writers)
        writer->abort();
    for (qsizetype i = 0; i < m_items.size(); ++i) {
        const State state = m_items.at(i).state;
        if (state == State::Done)
            continue;
        const QString key = m_items.at(i).key;
        complete(i,
                 NatsError(NatsError::Cancelled,
                           state == State::Waiting
                               ? tr("put of key \"%1\" cancelled before it was sent").arg(key)
                               : tr("put of key \"%1\" cancelled while waiting for its acknowledgement; it may have "
                                    "been stored")
                                     .arg(key)),
                 0);
    }
    m_next = m_items.size();
    m_inFlight = 0;
    m_retrying = 0;
    m_started = true;
    finishIfDone();
}
