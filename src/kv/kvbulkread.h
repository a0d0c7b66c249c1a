#pragma once

#include "kventry.h"
#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <optional>

class JsBatchGet;
class KvBucket;
struct JsStoredMessage;

// Reads many entries of one bucket at once: the latest entry of each of a list of keys (revision 0),
// or the entries at given revisions. On nats-server 2.11+ through batch direct get (nats-modern.md §5):
// multi_last for up to 1,024 keys a request, and batches by subject over runs of revisions; on older
// servers (or with OneByOne) one direct get each, a window of them in flight, as the official clients do.
// A batch a mirror may have answered (mirror_direct: JsBatchGet::isAnsweredByStream()) is read one by one
// again, each get checked with the stream's leader.
// Results keep the order asked for. The engine of exports and of the watch panel's re-reads.
class KvBulkRead : public QObject
{
    Q_OBJECT

public:
    enum class Mode {
        Auto,     // batch direct get where the server has it
        OneByOne, // one direct get per entry (what 2.9/2.10 get; for comparisons)
    };
    Q_ENUM(Mode)

    struct Want
    {
        QString key;
        quint64 revision = 0; // 0: the latest
    };

    // Starts on the next event-loop turn; finished() follows.
    KvBulkRead(KvBucket *bucket, const QList<Want> &wants, Mode mode = Mode::Auto, QObject *parent = nullptr);
    ~KvBulkRead() override;

    bool isFinished() const { return m_finished; }
    // A failure of the whole read (bucket gone, connection lost); missing entries are no failure.
    NatsError errorInfo() const { return m_error; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    // One result per want, in order: the entry (a marker as it is, so callers decide), or none when the
    // key or revision does not exist; problem(i) then says why.
    QList<std::optional<KvEntry>> results() const { return m_results; }
    QString problem(qsizetype index) const { return m_problems.value(index); }
    // Whether batch direct get was used (false on older servers or OneByOne).
    bool usedBatches() const { return m_batched; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    // The whole read failed (see errorString()); finished() follows.
    void errorOccurred(NatsError::Code code);
    // Once, after the last result or the failure.
    void finished();

private:
    void begin();
    void startBatches();
    void nextBatch();
    void onBatch(const QList<JsStoredMessage> &messages);
    void onBatchFinished();
    QList<qsizetype> wantsWithoutResult() const;
    void readSingly(const QList<qsizetype> &indexes);
    void pumpSingles();
    void readSingle(qsizetype index);
    void finish(const NatsError &error = {});

    QPointer<KvBucket> m_bucket;
    QList<Want> m_wants;
    Mode m_mode;
    QList<std::optional<KvEntry>> m_results;
    QList<QString> m_problems;
    // batch mode: the requests still to send (indexes into m_wants), and the one in flight
    QList<QList<qsizetype>> m_groups;
    QList<qsizetype> m_current;
    QPointer<JsBatchGet> m_batch;
    // one by one: the wants to read so (indexes into m_wants), and the next to send
    QList<qsizetype> m_singles;
    qsizetype m_next = 0;
    int m_inFlight = 0;
    NatsError m_error;
    bool m_batched = false;
    bool m_finished = false;
};
