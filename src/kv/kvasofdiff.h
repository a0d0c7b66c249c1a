#pragma once

#include "kvasofpoint.h"
#include "kventry.h"
#include "natserror.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <optional>

class KvAsOfRead;
class KvBucket;

// One key that differs between two points of a bucket.
struct KvAsOfChange
{
    enum class Kind {
        Added,   // no value at the first point, one at the second
        Removed, // a value at the first point, none (deleted, purged, never written) at the second
        Changed, // a different value at each (a key written again with the same bytes is no change)
    };

    QString key;
    Kind kind = Kind::Changed;
    std::optional<KvEntry> from;
    std::optional<KvEntry> to;

    // "added", "removed", "changed".
    static QString kindName(Kind kind);
};

// The differences of a bucket (or the keys matching a filter) between two points: two KvAsOfReads, then
// the keys added, removed and changed, in key order. A key either read cannot answer is not compared
// (it would be a guess) but listed in unanswerableKeys(). finished() follows exactly once.
class KvAsOfDiff final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvAsOfDiff)

public:
    KvAsOfDiff(KvBucket *bucket, const KvAsOfPoint &from, const KvAsOfPoint &to = KvAsOfPoint::latest(),
               const QString &keyFilter = {}, QObject *parent = nullptr);
    ~KvAsOfDiff() override;

    bool isFinished() const { return m_finished; }
    NatsError errorInfo() const { return m_error; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }

    QList<KvAsOfChange> changes() const { return m_changes; }
    QStringList unanswerableKeys() const { return m_unanswerable; }
    // The same for each point: the keys the first (from) or the second (to) point cannot answer for.
    QStringList unanswerableFrom() const { return m_unanswerableFrom; }
    QStringList unanswerableTo() const { return m_unanswerableTo; }
    // Both reads complete (see KvAsOfRead::isComplete); else incompleteReason() says why not.
    bool isComplete() const { return m_incomplete.isEmpty(); }
    QString incompleteReason() const { return m_incomplete; }
    // The stream sequences the two points stand for.
    quint64 fromRevision() const { return m_fromRevision; }
    quint64 toRevision() const { return m_toRevision; }

    // The rows between two sets of values (each in any order); keys in skip are left out.
    static QList<KvAsOfChange> compare(const QList<KvEntry> &from, const QList<KvEntry> &to,
                                       const QStringList &skip = {});

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    void progress(qint64 done, qint64 total);
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    void onReadFinished();

    QPointer<KvAsOfRead> m_from;
    QPointer<KvAsOfRead> m_to;
    QList<KvAsOfChange> m_changes;
    QStringList m_unanswerable;
    QStringList m_unanswerableFrom;
    QStringList m_unanswerableTo;
    QString m_incomplete;
    quint64 m_fromRevision = 0;
    quint64 m_toRevision = 0;
    NatsError m_error;
    bool m_finished = false;
};
