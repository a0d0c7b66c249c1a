#pragma once

#include "kventry.h"
#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <optional>

class KvBucket;
class KvReply;

// One key to put back as it was at a point: its entry then (none: it had no value then), or unanswerable
// (the bucket no longer holds what it was then: nothing is written).
struct KvRestoreItem
{
    QString key;
    std::optional<KvEntry> then;
    bool unanswerable = false;
};

// Puts keys back to their values at a point of the past (from a KvAsOfRead): the engine of the app's
// Restore and of `kvdesk-cli restore`. Every write is guarded on the key's current revision, read just
// before: a key with a value then and now gets an update on that revision, one with none now is created
// (create-only, or an update on its delete marker), one absent then is deleted on that revision. A key
// whose revision is newer than listedAt (the bucket's last revision when the point was read: someone
// changed it since the user looked), or that changes between the read and the write, is reported, never
// overwritten. A key whose value now is the value then is left alone. Starts on the next event-loop turn;
// finished() follows exactly once; what each key came to is in results().
class KvRestoreJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvRestoreJob)

public:
    enum class Outcome {
        Restored,     // an update back to the value then
        Created,      // absent now, created with the value then
        Deleted,      // absent then, deleted (guarded)
        Unchanged,    // already as it was: nothing written
        ChangedSince, // changed since the point was listed (or during the restore): not overwritten
        Unanswerable, // the value then is unknown: nothing written
        NotFound,     // no such key then, and none now (no message at all): a name mistyped, most likely
        Failed,       // the read or the write failed (detail says why)
    };
    Q_ENUM(Outcome)

    struct Result
    {
        QString key;
        Outcome outcome = Outcome::Failed;
        quint64 revision = 0; // the revision written, or the key's current one when it changed since
        QString detail;       // for people: why (ChangedSince, Failed, Unanswerable, NotFound, Unchanged when absent)
    };

    static constexpr int DefaultWindow = 16;

    // listedAt 0: no key counts as changed since the listing (the writes are still guarded).
    KvRestoreJob(KvBucket *bucket, const QList<KvRestoreItem> &items, quint64 listedAt, QObject *parent = nullptr);
    ~KvRestoreJob() override;

    // The items for keys from what a point held (entries, unanswerable keys as KvAsOfRead gives them).
    static QList<KvRestoreItem> itemsFor(const QStringList &keys, const QList<KvEntry> &then,
                                         const QStringList &unanswerable);
    // "restored", "created", "deleted", "unchanged", "changed since", "unanswerable", "not found", "failed".
    static QString outcomeName(Outcome outcome);

    bool isFinished() const { return m_finished; }
    // Cancelled or ConnectionClosed when the job ended early; keys that failed are results, not errors.
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }
    // In the items' order, one per key done (all of them unless the job ended early).
    QList<Result> results() const { return m_results; }
    int count(Outcome outcome) const;
    // "2 restored, 1 deleted, 1 changed since (not overwritten)".
    QString summary() const;

public Q_SLOTS:
    // Writes already sent complete; keys not yet read are left as they are.
    void cancel();

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    void pump();
    void restore(qsizetype index);
    void onCurrent(qsizetype index, KvReply *reply);
    void write(qsizetype index, KvReply *reply, Outcome outcome);
    void done(qsizetype index, Outcome outcome, quint64 revision, const QString &detail = {});
    void fail(const NatsError &error);
    void maybeFinish();

    QPointer<KvBucket> m_bucket;
    QList<KvRestoreItem> m_items;
    QList<std::optional<Result>> m_done;
    QList<Result> m_results;
    quint64 m_listedAt = 0;
    qsizetype m_next = 0;
    qsizetype m_doneCount = 0;
    int m_inFlight = 0;
    NatsError m_error;
    bool m_stopped = false;
    bool m_finished = false;
};
