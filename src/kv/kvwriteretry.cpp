#include "kvwriteretry.h"

#include "jsapireply.h"

#include <QtCore/QTimer>

#include <algorithm>
#include <utility>

namespace {
// Before sending again after an attempt that failed at once (the connection is down or its buffer
// full): long enough not to spin while the client reconnects.
constexpr int kRetryPauseMs = 250;
// How long past the retry limit a write refused for its revision may still be checked against the
// key's newest message (a read, safe to repeat).
constexpr qint64 kConfirmGraceMs = 30000;
// The shortest wait for a retry's acknowledgement, however little of the retry limit is left.
constexpr qint64 kShortestRetryMs = 250;
} // namespace

KvWriteRetry::KvWriteRetry(JetStreamContext *context, const QString &stream, const QByteArray &storedSubject,
                           const NatsMessage &message, const JsPublishOptions &options, qint64 retryForMs,
                           QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_stream(stream)
    , m_storedSubject(storedSubject)
    , m_message(message)
    , m_options(options)
    , m_retryForMs(retryForMs)
{
}

bool KvWriteRetry::isRetriable(NatsError::Code code, bool identified)
{
    switch (code) {
    case NatsError::ReconnectBufferFull: // refused before it was buffered: never sent
    case NatsError::TryAgain:            // not stored; asked for later (a first copy may still be stored)
        return true;
    case NatsError::Timeout:
    case NatsError::ConnectionLost:
    case NatsError::OutcomeUnknown: // written, then the connection failed: stored or not
        return identified;
    default:
        // NoStreamResponse (no stream stores the subject: the bucket is gone), the stream's refusals
        // (wrong revision, too large), a closed connection: sending again cannot change the answer.
        return false;
    }
}

void KvWriteRetry::start()
{
    m_clock.start();
    attempt();
}

void KvWriteRetry::abort()
{
    m_finished = true;
    if (m_current)
        m_current->abort();
}

void KvWriteRetry::attempt()
{
    if (m_finished)
        return;
    if (!m_context) {
        finish(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    ++m_attempts;
    m_pausedMs = 0; // a pause after this attempt is a new one
    JsApiReply *publish = m_context->publish(m_message, attemptOptions());
    await(publish, true);
    connect(publish, &NatsReply::finished, this, [this, publish] { onAttemptFinished(publish); });
}

// The first attempt waits the whole request timeout; a retry only what is left of the retry limit, so the
// write ends when the limit does rather than up to a timeout later (a --timeout of 2s is a write of 2 s).
JsPublishOptions KvWriteRetry::attemptOptions() const
{
    JsPublishOptions options = m_options;
    if (m_attempts > 1) {
        const qint64 timeout = options.timeoutMs < 0 ? m_context->timeout() : options.timeoutMs;
        const qint64 left = m_retryForMs - m_clock.elapsed();
        options.timeoutMs = int(std::clamp(left, std::min(kShortestRetryMs, timeout), timeout));
    }
    return options;
}

void KvWriteRetry::await(JsApiReply *request, bool isAttempt)
{
    m_current = request;
    m_waiting = true;
    m_attemptOut = isAttempt;
    // The context's replies die with it, unanswered. By the time destroyed() comes m_current no longer
    // points to it; a reply deleted after its answer (deleteLater) is not waited for any more.
    connect(request, &QObject::destroyed, this, [this] {
        if (m_finished || !m_waiting || m_current)
            return;
        finish(NatsError(NatsError::ConnectionClosed,
                         tr("the JetStream context was destroyed while the write awaited an answer")));
    });
}

NatsError KvWriteRetry::endedBy(const NatsError &cause) const
{
    switch (cause.code()) {
    case NatsError::ConnectionClosed:
    case NatsError::NotConnected:
    case NatsError::ConnectionDraining:
    case NatsError::ReconnectBufferFull:
    case NatsError::TryAgain: // time up while an earlier copy may still be being stored
        break;
    default:
        return cause; // an answer, or already as unsure as it gets (Timeout, OutcomeUnknown)
    }
    if (!m_unsure && !(m_waiting && m_attemptOut))
        return cause;
    return NatsError(NatsError::OutcomeUnknown,
                     tr("outcome unknown: the write to %1 was sent and not answered, and it cannot be sent again "
                        "(%2); the server may have stored it")
                         .arg(QString::fromUtf8(m_message.subject()), cause.message()));
}

void KvWriteRetry::onAttemptFinished(JsApiReply *publish)
{
    publish->deleteLater();
    if (m_finished)
        return;
    m_waiting = false;
    const NatsError error = publish->errorInfo();

    if (!error.isError()) {
        m_ack = publish->pubAck();
        finish(error);
        return;
    }
    attemptFailed(error);
}

void KvWriteRetry::resume(const NatsError &error, qint64 elapsedMs, qint64 pausedMs)
{
    m_clock.start();
    m_pausedMs = pausedMs;
    m_retryForMs = std::max<qint64>(0, m_retryForMs - elapsedMs);
    m_attempts = 1;
    attemptFailed(error);
}

void KvWriteRetry::attemptFailed(const NatsError &error)
{
    if (isRetriable(error.code(), true) && error.code() != NatsError::ReconnectBufferFull
        && error.code() != NatsError::TryAgain)
        m_unsure = true; // this copy may be stored
    if (error.code() == NatsError::WrongLastSequence && m_attempts > 1 && !m_options.messageId.isEmpty()) {
        confirmOwnWrite(error);
        return;
    }
    if (m_clock.elapsed() >= m_retryForMs) {
        finish(error);
        return;
    }
    if (error.code() == NatsError::NoStreamResponse) {
        retryIfStreamExists(error);
        return;
    }
    if (!isRetriable(error.code(), !m_options.messageId.isEmpty())) {
        finish(error);
        return;
    }
    // A timed-out attempt has already waited its timeout; one refused at once pauses first.
    if (error.code() == NatsError::Timeout)
        attempt();
    else
        retryLater();
}

void KvWriteRetry::retryIfStreamExists(const NatsError &error)
{
    if (!m_context || m_stream.isEmpty()) {
        finish(error);
        return;
    }
    JsApiReply *info = m_context->streamInfo(m_stream);
    await(info, false);
    connect(info, &NatsReply::finished, this, [this, info, error] {
        info->deleteLater();
        if (m_finished)
            return;
        m_waiting = false;
        // Gone for good (the bucket was deleted): say so now. Anything else, even no answer, may be
        // a stream between leaders.
        if (info->error() == NatsError::StreamNotFound)
            finish(error);
        else
            retryLater();
    });
}

void KvWriteRetry::confirmOwnWrite(const NatsError &error)
{
    if (!m_context) {
        finish(error);
        return;
    }
    JsMessageGetRequest request;
    request.lastBySubject = m_storedSubject;
    JsApiReply *newest = m_context->getMessage(m_stream, request);
    await(newest, false);
    connect(newest, &NatsReply::finished, this, [this, newest, error] {
        newest->deleteLater();
        if (m_finished)
            return;
        m_waiting = false;
        const JsStoredMessage stored = newest->storedMessage();
        if (isRetriable(newest->error(), true) && m_clock.elapsed() < m_retryForMs + kConfirmGraceMs) {
            // Another fault while asking: a read is safe to repeat.
            QTimer::singleShot(kRetryPauseMs, this, [this, error] {
                if (!m_finished)
                    confirmOwnWrite(error);
            });
            return;
        }
        if (newest->error() != NatsError::NoError
            || stored.headers.value(QByteArrayLiteral("Nats-Msg-Id")) != m_options.messageId) {
            finish(error); // someone else's write: a real conflict
            return;
        }
        m_ack = JsPubAck();
        m_ack.stream = m_stream;
        m_ack.sequence = stored.sequence;
        m_ack.duplicate = true;
        finish(NatsError());
    });
}

void KvWriteRetry::retryLater()
{
    const qint64 pauseMs = std::max<qint64>(0, kRetryPauseMs - std::exchange(m_pausedMs, 0));
    QTimer::singleShot(int(pauseMs), this, &KvWriteRetry::attempt);
}

void KvWriteRetry::finish(const NatsError &error)
{
    m_error = error.isError() ? endedBy(error) : error;
    m_waiting = false;
    m_finished = true;
    Q_EMIT finished();
}
