#pragma once

#include "kvbucketstatus.h"
#include "kventry.h"
#include "natsreply.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QStringList>

// The handle of one Key/Value call. Which accessor holds the result depends on the call (see KvBucket and
// KvContext). On a failed update, currentRevision() holds the revision the key really has, when known.
class KvReply : public NatsReply
{
    Q_OBJECT

public:
    explicit KvReply(QObject *parent = nullptr);

    KvEntry entry() const { return m_entry; }
    QList<KvEntry> entries() const { return m_entries; }
    // Revision written by put/create/update/delete/purge; count of markers removed by purgeDeletes().
    quint64 revision() const { return m_revision; }
    quint64 currentRevision() const { return m_currentRevision; }
    QStringList keys() const { return m_keys; }
    KvBucketStatus status() const { return m_status; }
    QList<KvBucketStatus> statuses() const { return m_statuses; }
    QStringList bucketNames() const { return m_names; }
    QJsonDocument json() const { return m_json; }
    QString text() const { return m_text; }
    // What a call that succeeded still has to say: it did what was asked, but the outcome may not be what
    // the caller expects (createBucket()/updateBucket(): a source whose entries the server will not copy).
    QStringList warnings() const { return m_warnings; }

    // For the KV layer: store a result, then finish.
    void finishWithEntry(const KvEntry &entry);
    void finishWithEntries(const QList<KvEntry> &entries);
    void finishWithRevision(quint64 revision);
    void finishWithKeys(const QStringList &keys);
    void finishWithStatus(const KvBucketStatus &status);
    void finishWithStatuses(const QList<KvBucketStatus> &statuses);
    void finishWithBucketNames(const QStringList &names);
    void finishWithJson(const KvEntry &entry, const QJsonDocument &json);
    void finishWithText(const KvEntry &entry, const QString &text);
    void setCurrentRevision(quint64 revision) { m_currentRevision = revision; }
    void setEntry(const KvEntry &entry) { m_entry = entry; }
    void addWarning(const QString &warning) { m_warnings.append(warning); }
    // For KvBucket, when it or its JetStream context is destroyed: ends each reply of owner (on its
    // shelves) still running with cause, before it goes unanswered; a write that may have been stored
    // ends with OutcomeUnknown instead (KvWriteRetry::endedBy()).
    static void endUnfinished(QObject *owner, const NatsError &cause);

private:
    KvEntry m_entry;
    QList<KvEntry> m_entries;
    quint64 m_revision = 0;
    quint64 m_currentRevision = 0;
    QStringList m_keys;
    KvBucketStatus m_status;
    QList<KvBucketStatus> m_statuses;
    QStringList m_names;
    QJsonDocument m_json;
    QString m_text;
    QStringList m_warnings;
};
