#pragma once

#include "natserror.h"

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>

#include <deque>
#include <functional>
#include <optional>
#include <utility>

class JetStreamContext;
struct JsPubAck;
class KvBucket;

// Many puts to one bucket, pipelined (KvBucket::putMany()): the handle of the whole batch, with a result
// per item, instead of a reply object per put. At most maxInFlight puts wait for their acknowledgement
// at once; the others wait here, in order, so memory and socket buffers stay bounded whatever the size
// of the batch. Every acknowledgement is checked. A put whose outcome is unknown (its ack timed out,
// the connection dropped) is sent again with its Nats-Msg-Id through KvWriteRetry, as put() does, so it
// is stored once. Puts of one key are stored in the order given: while one is being retried no later
// item is sent, and the retries of one key go one at a time, in item order, each once no other put of
// that key is awaiting its answer (a retry racing an earlier one could store the older value last).
// An item ends stored (revision()) or with its own error (an invalid key, a value too large, ...),
// never silently, also when the bucket or its JetStream context goes mid-batch (then the items sent
// end OutcomeUnknown, the others ConnectionClosed). Then finished(), once, after errorOccurred() when
// any item failed.
// The items come from a list or from a Source, which the batch asks for one item at a time, only when
// it can send it: a source that makes or reads its items as asked (a generator, a file) has no more of
// them in memory than maxInFlight. When a batch with a source stops early (abort(), no bucket, the
// connection gone), the items drawn end as above and the source is not drawn further: the error says
// its other items were not taken, and isSourceDrained() stays false.
class KvPutBatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvPutBatch)

public:
    using Item = std::pair<QString, QByteArray>; // key, value
    // The next item, or std::nullopt after the last (it is not called again then). Called from the
    // batch's event-loop turns; it must not call back into the batch.
    using Source = std::function<std::optional<Item>()>;

    // The items: of a list, all of them; of a source, those drawn from it so far.
    qsizetype size() const { return m_revisions.size(); }
    // Every item was taken: a list's always, a source's once it said it had no more.
    bool isSourceDrained() const { return !m_source && !m_sourceLeft; }
    bool isFinished() const { return m_finished; }
    // Items with a result, stored or failed.
    qsizetype finishedCount() const { return m_done; }
    qsizetype failedCount() const { return m_failed; }
    // Puts sent and not yet answered (never more than maxInFlight()).
    qsizetype inFlight() const { return m_inFlight; }
    int maxInFlight() const { return m_maxInFlight; }
    // The most that were in flight at once so far.
    qsizetype peakInFlight() const { return m_peakInFlight; }

    // The batch: NoError when every item was stored, else the first failed item's error, with the count.
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }

    // One item (in the order given): its error, and its revision once stored (0 before and on failure).
    NatsError itemError(qsizetype index) const { return m_errors.value(index); }
    quint64 revision(qsizetype index) const { return m_revisions.at(index); }
    bool isItemFinished(qsizetype index) const { return stateOf(index) == State::Done; }

public Q_SLOTS:
    // Stops: items not yet sent end with Cancelled, and so do those awaiting an answer (they may still
    // be stored). finished() follows at once.
    void abort();

Q_SIGNALS:
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    friend class KvBucket;

    enum class State : quint8 {
        Waiting,
        InFlight,
        RetryQueued, // outcome unknown, waiting for its turn to be sent again (Open::error: why)
        Retrying,
        Done
    };
    // An item drawn and not yet behind m_firstOpen: all that a put needs from its drawing to its end.
    struct Slot
    {
        Item item; // the value goes when the item ends, the key when the slot does
        QByteArray messageId;
        NatsError error; // why a retry was queued
        qint64 sentAtMs = 0;
        qint64 failedAtMs = 0; // when a retry was queued
        State state = State::Waiting;
    };
    KvPutBatch(KvBucket *bucket, const QList<Item> &items, int maxInFlight);
    KvPutBatch(KvBucket *bucket, Source source, int maxInFlight);
    void start();
    // Takes the next item from the source into the window: false when there is none.
    bool draw();
    qsizetype drawn() const { return m_firstOpen + qsizetype(m_window.size()); }
    // The batch ends early: a list's remaining items are taken (each ends with its own error), a
    // source is not asked again, and the batch's error will say why (the reason given).
    void leaveSource(const NatsError &reason);
    // The batch's error once every item has ended.
    NatsError summary() const;
    Slot &slot(qsizetype index) { return m_window.at(std::size_t(index - m_firstOpen)); }
    // Done before the window, Waiting after it (a list's items not drawn yet).
    State stateOf(qsizetype index) const;
    void failAll(const NatsError &error);
    // Ends every unfinished item: waitingCode for those never sent, sentCode (they may have been
    // stored) for the others.
    void endUnfinished(NatsError::Code waitingCode, const QString &waitingText, NatsError::Code sentCode,
                       const QString &sentText);
    // Sends waiting items while fewer than maxInFlight are out and none is being retried.
    void pump();
    void send(qsizetype index);
    void onAnswer(qsizetype index, const NatsError &error, const JsPubAck &ack);
    // The first attempt failed: KvWriteRetry goes on with it (or says at once that it cannot).
    void retry(qsizetype index, const NatsError &error);
    // Starts the queued retries whose turn it is (once per event-loop turn, however many queued).
    void scheduleRetries();
    void startRetries();
    void startRetry(qsizetype index);
    void complete(qsizetype index, const NatsError &error, quint64 revision);
    // Lets go of what the items done no longer need.
    void release(qsizetype done);
    void finishIfDone();

    QPointer<KvBucket> m_bucket;
    QPointer<JetStreamContext> m_context;
    QString m_bucketName;
    // Where items come from; a list is drawn through a source sharing it (see KvBucket::putMany()).
    Source m_source;
    // The items drawn from m_firstOpen on, in order: a slot goes once no item before it is open, so a
    // long batch holds about what is in flight.
    std::deque<Slot> m_window;
    // All that is kept of every item (8 bytes): a batch of a million puts costs little beyond its source.
    QList<quint64> m_revisions;
    QHash<qsizetype, NatsError> m_errors; // of the items that failed
    int m_maxInFlight;
    qsizetype m_next = 0;
    qsizetype m_firstOpen = 0; // no item before it is unfinished; the first of m_window
    qsizetype m_inFlight = 0;
    qsizetype m_peakInFlight = 0;
    qsizetype m_retrying = 0;
    qsizetype m_done = 0;
    qsizetype m_failed = 0;
    qint64 m_retryForMs = 0;
    qint64 m_idHeaderSize = 0; // what the Nats-Msg-Id header adds to each put's size
    QElapsedTimer m_clock;
    NatsError m_error;
    bool m_started = false;
    bool m_pumping = false;
    bool m_retriesScheduled = false;
    bool m_finished = false;
    bool m_fromList = false;
    bool m_sourceLeft = false;
    NatsError m_leftBecause;
};
