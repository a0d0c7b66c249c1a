#pragma once

#include "kventry.h"
#include "kvmergeresult.h"
#include "natserror.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

class KvBucket;

// An edit made from one revision of a key, merged with what the key holds now (KvMerge) and written as
// an update on the revision it was merged with, so a writer who comes in meanwhile is detected
// (WrongRevision) and never overwritten. Conflicting changes write nothing (outcome() Conflicts, listed
// in result()). Failures name the key and revision: the base revision no longer kept (history limit),
// the key deleted, the values not text. finished() once, after errorOccurred() on failure.
class KvMergeUpdate final : public QObject
{
    Q_OBJECT

public:
    enum class Outcome {
        Pending,
        Written,       // revision() is the merged value's
        AlreadyMerged, // the key holds the merged value already: nothing written
        Conflicts,     // nothing written: result().conflicts
        Failed         // error(), errorString()
    };
    Q_ENUM(Outcome)

    // oursLabel names the edit in conflict markers ("yours", a file name).
    KvMergeUpdate(KvBucket *bucket, const QString &key, quint64 baseRevision, const QByteArray &ours,
                  const QString &oursLabel, QObject *parent = nullptr);

    bool isFinished() const { return m_outcome != Outcome::Pending; }
    Outcome outcome() const { return m_outcome; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    // The error, with the server's JetStream err_code when a reply of the server decided it.
    NatsError errorInfo() const { return m_error; }
    KvMergeResult result() const { return m_result; }
    KvEntry base() const { return m_base; }
    KvEntry current() const { return m_current; } // the revision merged with
    quint64 revision() const { return m_revision; }

Q_SIGNALS:
    // The merge is done and its result is about to be written on current().revision: until the write
    // arrives another writer can still come in (the guard's whole point; tests write here).
    void merged();
    void errorOccurred(NatsError::Code error);
    void finished();

private:
    void readBase();
    void readCurrent();
    void mergeAndWrite();
    void baseMissing();
    void baseBeforeTheKeys(const QList<KvEntry> &kept, int history);
    QString whyNoBase(const QList<KvEntry> &kept, int history) const;
    void fail(const NatsError &error);
    void done(Outcome outcome);

    QPointer<KvBucket> m_bucket;
    QString m_key;
    quint64 m_baseRevision = 0;
    QByteArray m_ours;
    QString m_oursLabel;
    KvEntry m_base;
    KvEntry m_current;
    KvMergeResult m_result;
    Outcome m_outcome = Outcome::Pending;
    NatsError m_error;
    quint64 m_revision = 0;
};
