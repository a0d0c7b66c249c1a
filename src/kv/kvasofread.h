#pragma once

#include "kvasofpoint.h"
#include "kventry.h"
#include "natserror.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <functional>
#include <utility>

class JsApiReply;
class JsBatchGet;
class JsDeliveryInfo;
class JsOrderedConsumer;
class KvBucket;
class NatsMessage;
struct JsStoredMessage;
struct JsStreamInfo;

// Reads a bucket (or the keys matching a filter, "config.>") as it stood right after a revision, at a
// time, or now. The point is first pinned to a stream sequence (a time: the last message stamped at or
// before it); then on servers with batch direct get (JsServerCapabilities, 2.11+) the keys the stream
// still holds are read with multi_last and up_to_seq, 1,024 a request (unless replaying is cheaper:
// about as many messages up to the point as keys; a batch a mirror may have answered, mirror_direct, is
// replayed instead); on older ones the stream is replayed with an
// ordered consumer up to that sequence (with progress). A key's kept revisions are always
// its newest ones (history limit, age and purges remove the oldest), so where the stream still holds a
// revision of a key at or before the point, the last of those is the key's entry then. Where the stream
// lost messages up to the point and holds nothing of a key before it, the key is unanswerable: it is
// listed, never given a value (and keys the stream no longer names at all may be missing: isComplete()).
// On a bucket with per-message TTL (2.11+) a key's newest revision can expire before older ones: there a
// key found deleted or purged before a hole up to the point is unanswerable too (a TTL comes only with a
// create after a delete or purge, so a live value found is the key's value then).
// One read per object; starts on the next event-loop turn; finished() follows exactly once.
class KvAsOfRead final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvAsOfRead)

public:
    enum class Path {
        Auto,   // batch where the server has it and keys kept several revisions each, else replay
        Batch,  // batch direct get (2.11+)
        Replay, // an ordered consumer up to the point (what 2.9/2.10 get; for comparisons)
    };
    Q_ENUM(Path)

    KvAsOfRead(KvBucket *bucket, const KvAsOfPoint &point, const QString &keyFilter = {}, Path path = Path::Auto,
               QObject *parent = nullptr);
    ~KvAsOfRead() override;

    bool isFinished() const { return m_finished; }
    NatsError errorInfo() const { return m_error; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }

    KvAsOfPoint point() const { return m_point; }
    // The stream sequence the point stands for (0: before the first message).
    quint64 revision() const { return m_upTo; }
    // The bucket's last revision when the read began: a key with a newer one changed after it (a restore).
    quint64 latestRevision() const { return m_last; }
    // Batch or Replay once decided (Auto until the stream's size up to the point is known).
    Path usedPath() const { return m_path; }
    // The keys' values then, in key order (keys deleted or purged then are not among them).
    QList<KvEntry> entries() const { return m_entries; }
    // The same, handed over (entries() is empty after): no copy of a whole bucket's values.
    QList<KvEntry> takeEntries() { return std::exchange(m_entries, {}); }
    // Keys whose entry then the bucket no longer holds, in key order.
    QStringList unanswerableKeys() const { return m_unanswerable; }
    // False when the stream lost messages up to the point (before its last revision): keys it no longer
    // names may be missing too.
    bool isComplete() const { return !m_gap; }
    // Why the read is incomplete, for people (empty when complete).
    QString incompleteReason() const;

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    void begin();
    void fetchInfo();
    void whenAnswered(JsApiReply *reply, const std::function<void(const JsApiReply *)> &onAnswer);
    void listKeys(void (KvAsOfRead::*next)());
    void onInfo(const JsStreamInfo &info);
    QString timeProblem(const JsStreamInfo &info) const;
    void resolveTime();
    void onTimeProbe(const JsDeliveryInfo &info);
    void countHolesUpTo();
    void onHolesCounted(quint64 messagesAfter);
    void read();
    void startBatches();
    void nextBatch();
    void onBatch(const QList<JsStoredMessage> &messages);
    void onBatchFinished();
    void startReplay();
    void onReplayed(const NatsMessage &message, const JsDeliveryInfo &info);
    void endReplay();
    void recheck();
    void collect();
    bool expiredSince(quint64 revision) const;
    void keep(KvEntry &&entry);
    void fail(const NatsError &error);
    void finish();

    QPointer<KvBucket> m_bucket;
    KvAsOfPoint m_point;
    QString m_filter;
    Path m_path;
    QByteArray m_prefix;    // the subjects the bucket's keys are read under
    QStringList m_keys;     // the keys the stream holds now (sorted; listed only where needed)
    quint64 m_subjects = 0; // how many subjects the stream holds now
    QHash<QString, KvEntry> m_found;
    QList<KvEntry> m_entries;
    QStringList m_unanswerable;
    QPointer<JsBatchGet> m_batch;
    QPointer<JsOrderedConsumer> m_consumer;
    qsizetype m_nextKey = 0;
    quint64 m_first = 0;
    quint64 m_last = 0;
    quint64 m_deleted = 0;
    quint64 m_messages = 0;
    quint64 m_upTo = 0;
    quint64 m_nextSequence = 0; // the replay's next message if none is gone
    NatsError m_error;
    QList<quint64> m_holes; // deleted sequences up to the point (buckets with per-message TTL only)
    bool m_allowTtl = false;
    bool m_canBatch = false;
    bool m_keysListed = false;
    bool m_gap = false;
    bool m_holesCounted = false;    // countHolesUpTo() has answered
    bool m_holesUpTo = false;       // some message up to the point is deleted (or it could not be told)
    bool m_replaySeesHoles = false; // a replay of every key: it finds the holes up to the point
    bool m_finished = false;
};
