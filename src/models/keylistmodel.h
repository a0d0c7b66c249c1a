#pragma once

#include "kventry.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <vector>

class KvBucket;
class KvWatcher;
class QTimer;

// The keys of a bucket, live: fed by a headers-only watcher, so new keys appear, changed keys update
// their revision, time and size, and deleted keys turn into DEL/PURGE rows (hidden by the proxy unless
// "show deleted" is on; a key the server expired, its limit marker, likewise). No value is ever held: a row
// is a key and a few numbers. Entries arriving from
// the network are coalesced and applied as one insert (and one change signal) per batch, so 100,000 keys
// load without stalling the event loop. Rows are only ever appended; only load() and clear() reset.
class KeyListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyListModel)

public:
    enum Column {
        KeyColumn,
        RevisionColumn,
        OperationColumn,
        UpdatedColumn,
        SizeColumn,
        ExpiresColumn, // when the key's own TTL (nats-server 2.11+) runs out; hidden by default
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // unformatted value of the column, for sorting
        KeyRole,
        RevisionRole,
        OperationRole, // KvEntry::Operation as int
        CreatedRole,
        SizeRole,
        DeletedRole,
        ExpiresRole, // QDateTime (UTC) the key's TTL runs out; no value without one
    };

    explicit KeyListModel(QObject *parent = nullptr);
    ~KeyListModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Shows the keys of bucket (matching filters, wildcards allowed, sent to the server) and keeps them
    // live. Replaces what was shown.
    void load(KvBucket *bucket, const QStringList &filters = {});
    void clear();
    // Stops the initial load (and the live updates with it); the keys loaded so far stay.
    void cancelLoading();

    bool isLoading() const { return m_loading; }
    quint64 loadedCount() const { return m_loaded; }
    quint64 expectedCount() const { return m_expected; }
    // Rows whose key exists (a put): what "n keys" counts, deleted and expired keys left out.
    int liveCount() const { return int(m_rows.size()) - m_deletedRows; }
    QStringList filters() const { return m_filters; }
    KvWatcher *watcher() const;

    int rowOfKey(const QString &key) const { return m_rowByKey.value(key, -1); }
    QString keyAt(int row) const;
    // Fast paths for the proxy's filter and sort, valid for 0 <= row < rowCount().
    const QString &keyRef(int row) const { return m_rows[size_t(row)].key; }
    bool isDeletedAt(int row) const { return m_rows[size_t(row)].operation != KvEntry::Operation::Put; }
    // The row's metadata as an entry (no value).
    KvEntry entryAt(int row) const;

    // Adds or updates rows from entries (what the watcher feeds; public for tests and for callers that
    // know of a change first, e.g. after their own write).
    void applyEntries(const QList<KvEntry> &entries);

Q_SIGNALS:
    void loadingStarted();
    void loadingProgress(quint64 loaded, quint64 expected);
    void loadingFinished(bool cancelled);
    // Every change the watcher reports, as it arrives (not coalesced): for an open editor's conflict banner.
    void entryChanged(const KvEntry &entry);
    void watchRecovering(const QString &reason);
    void watchResumed();
    void errorOccurred(const QString &message);

private:
    struct Row
    {
        QString key;
        quint64 revision = 0;
        qint64 createdMs = 0;
        qint64 size = 0;
        KvEntry::Operation operation = KvEntry::Operation::Put;
        quint8 marker = 0; // a limit marker the server wrote: 1 MaxAge, 2 Purge, 3 Remove
        qint64 ttlNs = 0;  // the key's own TTL (KvTtl::Never: never)
    };
    static Row rowOf(const KvEntry &entry);
    static KvEntry entryAt(const Row &row);
    static QDateTime expiresAt(const Row &row);
    static QByteArray markerReason(quint8 marker);

    void onEntry(const KvEntry &entry);
    void flushPending();
    void stopWatcher();
    void emitRowChanges(const QList<int> &rows);
    QVariant displayValue(const Row &row, int column) const;
    QVariant rawValue(const Row &row, int column) const;

    std::vector<Row> m_rows;
    QHash<QString, int> m_rowByKey;
    QList<KvEntry> m_pending;
    QTimer *m_flushTimer = nullptr;
    QPointer<KvWatcher> m_watcher;
    QStringList m_filters;
    quint64 m_loaded = 0;
    quint64 m_expected = 0;
    int m_deletedRows = 0;
    bool m_loading = false;
};
