#pragma once

#include "kventry.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QList>
#include <QtCore/QPointer>

class KvBucket;
class KvReply;
class KvWatcher;
class QTimer;

// Every kept revision of one key, newest first: revision, operation, when, size, and the value itself
// (a key keeps at most 64 revisions, so values are held). Loaded with a history watch, which first
// delivers what the server keeps — exactly KvBucket::history() — and then stays open, so the rows follow
// the key live without a race between reading the history and watching it: new revisions are added at the
// top (coalesced, one insert per batch), a purge drops the rows it removed on the server, the oldest
// rows go when the bucket's history limit pushes them out, and a row whose own TTL runs out goes then.
class HistoryModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryModel)

public:
    enum Column {
        RevisionColumn,
        OperationColumn,
        CreatedColumn,
        SizeColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // unformatted value of the column
        RevisionRole,
        OperationRole, // KvEntry::Operation as int
        CreatedRole,
        ValueRole, // the value bytes
    };

    explicit HistoryModel(QObject *parent = nullptr);
    ~HistoryModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shows the history of key in bucket and follows it. Replaces what was shown.
    void load(KvBucket *bucket, const QString &key);
    void clear();

    QString key() const { return m_key; }
    bool isLoading() const { return m_loading; }
    bool isLoaded() const { return m_loaded; }
    // Whether new revisions arrive as they are written: false when the history was read one revision at a
    // time because the user may not create consumers (notFollowed()).
    bool isFollowed() const { return m_followed; }
    KvEntry entryAt(int row) const;
    int rowOfRevision(quint64 revision) const;
    // The key's newest revision (a marker's when deleted), 0 when it has none.
    quint64 latestRevision() const;
    KvEntry latestEntry() const;
    // Revisions the bucket keeps per key; rows beyond it are dropped as new ones arrive (0: unknown).
    void setHistoryLimit(int limit);
    int historyLimit() const { return m_historyLimit; }

    // Adds revisions, oldest first (what the watcher feeds; public for tests).
    void applyEntries(const QList<KvEntry> &entries);

Q_SIGNALS:
    void loaded();
    // A revision that arrived after loading (not coalesced).
    void revisionAdded(const KvEntry &entry);
    void errorOccurred(const QString &message);
    // Loaded one revision at a time (KvBucket::historyByGets()), as a user who may not create consumers
    // can: not followed live; reason says why.
    void notFollowed(const QString &reason);
    // The bucket under this name is another one now (deleted and made again, or another server's copy):
    // the key's history is read again from it.
    void bucketReplaced(const QString &message);
    // historyLimit() changed: the bucket was edited (here or by another client) while its key was shown.
    void historyLimitChanged();

private:
    void onEntry(const KvEntry &entry);
    void flushPending();
    void stopWatcher();
    void readByGets(const QString &whyNotWatched);
    void learnHistoryLimit(const KvBucket *bucket);
    void stopReadByGets();
    void removeRows(int first, int last);
    void trimToLimit();
    void dropExpired();
    QVariant displayValue(const KvEntry &entry, int column) const;
    QVariant rawValue(const KvEntry &entry, int column) const;

    QList<KvEntry> m_rows; // newest first
    QList<KvEntry> m_pending;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_expiryTimer = nullptr; // the next row whose own TTL runs out
    QPointer<KvWatcher> m_watcher;
    QPointer<KvReply> m_byGets;
    QPointer<KvBucket> m_bucket;
    QMetaObject::Connection m_followSettings; // m_bucket's boundChanged(), while its key is shown
    QString m_key;
    int m_historyLimit = 0;
    bool m_loading = false;
    bool m_loaded = false;
    bool m_followed = false;
};
