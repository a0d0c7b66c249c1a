#pragma once

#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>

class KvBucket;
class KvReply;

// One key to delete or purge, only if its latest revision is still this one (the one the user was
// shown); 0 removes whatever it holds.
struct KvRemoveItem
{
    QString key;
    quint64 revision = 0;
};

// Deletes or purges several keys of a bucket, the markers pipelined (a window of them awaiting their
// acknowledgement at once), each guarded on its own revision: a key someone changed since is refused
// (ChangedSince, with the revision it has now), never removed. Every marker is one KvBucket::remove() or
// purge(), so one whose answer is lost is sent again with its message id and stored once. A key that
// fails does not stop the others. Starts on the next event-loop turn; finished() follows exactly once,
// with a result for every item, also when the bucket handle goes meanwhile.
class KvRemoveJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvRemoveJob)

public:
    enum class Outcome {
        Removed,      // the marker was written (revision: its revision)
        ChangedSince, // the key has a newer revision than the one given (revision: that one): not removed
        Failed,       // not removed, or not known to be (detail says why)
    };
    Q_ENUM(Outcome)

    struct Result
    {
        QString key;
        Outcome outcome = Outcome::Failed;
        quint64 revision = 0;
        quint64 expectedRevision = 0; // the item's: the revision the marker was guarded on
        QString detail;               // for people, when not removed
    };

    static constexpr int DefaultWindow = 128;

    // purge: purge markers (the keys' history goes too), with a TTL of their own when markerTtlNs is set
    // (see KvBucket::purge()); else delete markers.
    KvRemoveJob(KvBucket *bucket, const QList<KvRemoveItem> &items, bool purge, qint64 markerTtlNs = 0,
                QObject *parent = nullptr);

    bool isPurge() const { return m_purge; }
    bool isFinished() const { return m_finished; }
    qsizetype size() const { return m_items.size(); }
    // In the items' order, one per item, once finished.
    QList<Result> results() const { return m_results; }
    int count(Outcome outcome) const;
    // The most markers awaiting their answer at once so far.
    int peakInFlight() const { return m_peakInFlight; }

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void finished();

private:
    void pump();
    void send(qsizetype index);
    void onAnswer(qsizetype index, const KvReply *reply);
    void done(qsizetype index, Outcome outcome, quint64 revision, const QString &detail = {});

    QPointer<KvBucket> m_bucket;
    QList<KvRemoveItem> m_items;
    QList<Result> m_results;
    bool m_purge = false;
    qint64 m_markerTtlNs = 0;
    qsizetype m_next = 0;
    qsizetype m_doneCount = 0;
    int m_inFlight = 0;
    int m_peakInFlight = 0;
    bool m_finished = false;
};
