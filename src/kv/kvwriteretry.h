#pragma once

#include "jetstreamcontext.h"
#include "jspuback.h"
#include "natserror.h"
#include "natsmessage.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class JsApiReply;

// One Key/Value write, published until its outcome is known. A write whose acknowledgement never came
// (the ack timed out, the connection dropped while it was out) may or may not be stored. Sent again with
// the same Nats-Msg-Id, the stream stores it at most once within its duplicate window and acknowledges a
// second copy with the first one's sequence ("duplicate": true), so an identified write is retried until
// it is acknowledged or retryForMs has passed; a write without an id (one that would not fit the size
// limit with the header) is only retried when it was certainly not sent. The caller keeps the limit
// inside the stream's duplicate window. When no stream answers at all (no responders: nothing was
// stored), the stream is asked whether it still exists: a deleted bucket ends the write at once, while a
// stream between leaders (a cluster electing one) is waited for. A copy refused because the key moved on
// is checked against the key's newest message: a server that lost its duplicate record in a restart
// refuses the copy of an update whose first copy it stored, and that write succeeded.
// A write that cannot go on (the connection closed, the JetStream context destroyed, time up) after a
// copy went unanswered ends with OutcomeUnknown, not with the reason it stopped: that copy may be stored.
class KvWriteRetry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvWriteRetry)

public:
    // stream: the stream that should store message (asked whether it exists when nothing answers);
    // storedSubject: the subject it is stored under (the message's own, unless sent through a domain).
    KvWriteRetry(JetStreamContext *context, const QString &stream, const QByteArray &storedSubject,
                 const NatsMessage &message, const JsPublishOptions &options, qint64 retryForMs,
                 QObject *parent = nullptr);

    void start();
    // Goes on from a first attempt made elsewhere (KvPutBatch's pipelined send) that failed with error
    // after elapsedMs: as if start() had made it, retrying within what is left of retryForMs. The
    // failure came pausedMs ago (a retry that waited its turn): that much of the pause before sending
    // again has passed already.
    void resume(const NatsError &error, qint64 elapsedMs, qint64 pausedMs = 0);
    // Stops retrying and withdraws the attempt under way; finished() is not emitted.
    void abort();

    bool isFinished() const { return m_finished; }
    NatsError errorInfo() const { return m_error; }
    JsPubAck pubAck() const { return m_ack; }
    int attempts() const { return m_attempts; }
    // What the write ends with when it cannot go on because of cause (a transport's end: closed,
    // destroyed): OutcomeUnknown naming the subject when a copy was sent and not answered, else cause.
    NatsError endedBy(const NatsError &cause) const;

    // Whether an attempt that ended with code may be sent again: one that may have been stored only
    // when it carries a message id.
    static bool isRetriable(NatsError::Code code, bool identified);

Q_SIGNALS:
    void finished();

private:
    void attempt();
    JsPublishOptions attemptOptions() const;
    // Waits for request: its answer comes to the slot the caller connects; its destruction unanswered
    // (its JetStream context went) ends the write.
    void await(JsApiReply *request, bool isAttempt);
    void onAttemptFinished(JsApiReply *publish);
    // After a failed attempt: retry, ask about the stream, confirm an own write, or finish with error.
    void attemptFailed(const NatsError &error);
    // No stream answered: retry while the stream exists (an election), else give up with error.
    void retryIfStreamExists(const NatsError &error);
    void retryLater();
    // A copy refused for its expected revision: the first copy may be what moved the key on. It was
    // if the key's newest message carries this write's id.
    void confirmOwnWrite(const NatsError &error);
    void finish(const NatsError &error);

    QPointer<JetStreamContext> m_context;
    QString m_stream;
    QByteArray m_storedSubject;
    NatsMessage m_message;
    JsPublishOptions m_options;
    qint64 m_retryForMs;
    QElapsedTimer m_clock;
    QPointer<JsApiReply> m_current;
    NatsError m_error;
    JsPubAck m_ack;
    int m_attempts = 0;
    qint64 m_pausedMs = 0;     // of the next pause before sending again, what has passed already
    bool m_waiting = false;    // for m_current's answer
    bool m_attemptOut = false; // m_current is a copy of the write, sent and not answered yet
    bool m_unsure = false;     // a copy went unanswered (timeout, lost connection): it may be stored
    bool m_finished = false;
};
