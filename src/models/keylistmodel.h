#pragma once

#include "keycollation.h"
#include "keystore.h"
#include "kventry.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <memory>
#include <vector>

class KeySorter;
class KvBucket;
class KvWatcher;
class QTimer;

// The keys of a bucket, live: fed by a headers-only watcher, so new keys appear, changed keys update
// their revision, time and size, and deleted keys turn into DEL/PURGE rows (hidden by the proxy unless
// "show deleted" is on; a key the server expired, its limit marker, likewise). No value is ever held: a row
// is a key and a few numbers, packed in a KeyStore. Entries arriving from the network are coalesced and
// applied as one insert (and one change signal) per batch, so a million keys load without stalling the
// event loop.
//
// Rows are in key order (KeyCollation, ascending or descending) so that the proxy need not sort by key:
// while the initial keys stream in they are appended as they come, then sorted in steps of a few ms
// (KeySorter) and put in order with one layout change; later keys go to their place, or, many at once,
// at the end and sorted again in steps. Sorted by another column (revision, size, ...) the rows are in
// that column's order, ties in key order, sorted the same way in steps (keylistmodelsort.cpp): the proxy
// keeps the list's order instead of sorting a million rows in one go.
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

    // Where a load is: what the status line says.
    enum class Stage {
        Idle,      // nothing loading
        Waiting,   // the watch is asked for, no key has come yet: the server prepares the consumer
        Receiving, // keys are coming in
        Sorting,   // all keys are in, being put in order
    };
    Q_ENUM(Stage)

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

    bool isLoading() const { return m_stage != Stage::Idle; }
    // The last load was refused: the user may not create the consumer a listing needs (they may still
    // read the keys they name).
    bool isListingRefused() const { return m_refused; }
    Stage stage() const { return m_stage; }
    // How long the current load has been waiting for its first key.
    qint64 waitingMs() const { return m_waitClock.isValid() ? m_waitClock.elapsed() : 0; }
    // 0..1000 of the sort after a load.
    int sortPermille() const;
    // Every key of the bucket is here and kept live (a load without server filters that finished): a
    // server filter can then be applied to what is loaded instead of listing the keys again.
    bool holdsAllKeys() const;
    quint64 loadedCount() const { return m_loaded; }
    quint64 expectedCount() const { return m_expected; }
    // Rows whose key exists (a put): what "n keys" counts, deleted and expired keys left out.
    int liveCount() const { return int(m_order.size()) - m_deletedRows; }
    // Rows whose key the bucket holds: the live keys and the delete, purge and limit markers, what "show
    // deleted" counts. A key whose last entry's own TTL ran out is not held: the server removed it without a
    // word to any watch, so its row stays (hidden) until the key is written again.
    int heldCount() const { return int(m_order.size()) - m_goneRows; }
    QStringList filters() const { return m_filters; }
    KvWatcher *watcher() const;

    // The key order; a change sorts again (in steps).
    void setCollation(KeyCollation::Order order);
    KeyCollation::Order collation() const { return m_collation; }
    void setKeyOrder(Qt::SortOrder order);
    Qt::SortOrder keyOrder() const { return m_descending ? Qt::DescendingOrder : Qt::AscendingOrder; }
    // Sorts the rows by column (ties in ascending key order), in steps: a list of more than a few thousand
    // rows is in the Sorting stage (isLoading()) until loadingFinished().
    void setSortOrder(int column, Qt::SortOrder order);
    int sortColumn() const { return m_sortColumn; }
    // Rows are in the sort order (false while keys stream in and are being sorted).
    bool isSorted() const { return m_sorted; }
    // Rows are in key order (sorted, and by the key column).
    bool isKeyOrdered() const { return m_sorted && m_sortColumn == KeyColumn; }
    // The initial keys are streaming in, appended as they come.
    bool isReceivingInitialKeys() const { return m_initialLoad; }

    int rowOfKey(const QString &key) const;
    QString keyAt(int row) const;
    // Fast paths for the proxy and the tree, valid for 0 <= row < rowCount().
    const KeyStore &store() const { return m_store; }
    quint32 idAt(int row) const { return m_order[size_t(row)]; }
    int rowOfId(quint32 id) const;
    bool isDeletedAt(int row) const { return m_store.isDeleted(idAt(row)); }
    // The row's metadata as an entry (no value).
    KvEntry entryAt(int row) const;
    // Bytes the model holds for its keys (store, order): what a million keys cost, without Qt's share.
    qsizetype bytesUsed() const;

    // Adds or updates rows from entries (what the watcher feeds; public for tests and for callers that
    // know of a change first, e.g. after their own write).
    void applyEntries(const QList<KvEntry> &entries);
    // What load() does around the initial keys, for tests and benchmarks that feed applyEntries():
    // keys are appended unsorted in between, and sorted in steps after the end. expected: how many
    // keys are coming, if known (the store is sized for them).
    void beginInitialLoad(quint64 expected = 0);
    void endInitialLoad();

Q_SIGNALS:
    void loadingStarted();
    void loadingProgress(quint64 loaded, quint64 expected);
    void loadingFinished(bool cancelled);
    // The rows were put in key order (after a load, a change of order, many new keys).
    void sorted();
    // Every change the watcher reports, as it arrives (not coalesced): for an open editor's conflict banner.
    void entryChanged(const KvEntry &entry);
    void watchRecovering(const QString &reason);
    void watchResumed();
    void errorOccurred(const QString &message);
    // The bucket is not the one listed any more (deleted and made again, or another server's copy after
    // a failover): the list stopped following it, and loading it again lists the one there is.
    void bucketReplaced(const QString &message);
    // The bucket was deleted (after errorOccurred()): a bucket made again under its name numbers its
    // revisions from 1 again, so none seen here is its.
    void bucketDeleted();

private:
    void onEntry(const KvEntry &entry);
    void flushPending();
    void stopWatcher();
    void connectWatcher();
    void finishLoading(bool cancelled);
    void emitRowChanges(const QList<quint32> &ids);
    void scheduleExpiry(qint64 atMs);
    void dropExpired();
    void insertNewIds(const std::vector<quint32> &ids);
    void showHeld();
    void appendRows(const std::vector<quint32> &ids);
    void insertSorted(quint32 id);
    void startSort();
    void sortStep();
    void applyOrder(std::vector<quint32> order);
    void rebuildRowOf() const;
    bool less(quint32 a, quint32 b) const;
    bool sortedLess(quint32 a, quint32 b) const;
    int compareRows(quint32 a, quint32 b, qint64 valueA, qint64 valueB) const;
    qint64 sortValue(quint32 id) const;
    void placeMovedRows(const std::vector<quint32> &ids);
    std::vector<quint32> mergeInOrder(std::vector<quint32> sorted, std::vector<quint32> extra,
                                      const std::vector<quint32> &moved) const;
    QVariant displayValue(quint32 id, int column) const;
    QVariant rawValue(quint32 id, int column) const;
    QDateTime expiresAt(quint32 id) const;
    KvEntry operationEntry(quint32 id) const;

    KeyStore m_store;
    std::vector<quint32> m_order;        // row -> id
    std::vector<quint32> m_held;         // ids stored but not shown yet (initial load)
    mutable std::vector<qint32> m_rowOf; // id -> row, rebuilt when stale
    mutable bool m_rowOfStale = false;
    std::unique_ptr<KeySorter> m_sorter;
    std::vector<qint64> m_sortValues;         // id -> sort column value when the sort under way began
    std::vector<quint32> m_movedWhileSorting; // rows whose sort value changed since
    // The rows in key order, kept while sorted by another column (4 bytes a key): back to the key order at
    // once instead of seconds of sorting. Dropped when keys are added or the collation changes.
    std::vector<quint32> m_keyOrderKept;
    bool m_keptDescending = false;
    QTimer *m_sortTimer = nullptr;
    QList<KvEntry> m_pending;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_expiryTimer = nullptr; // the next key whose own TTL runs out
    qint64 m_nextExpiryMs = 0;
    QPointer<KvWatcher> m_watcher;
    QStringList m_filters;
    QElapsedTimer m_waitClock;
    quint64 m_loaded = 0;
    quint64 m_expected = 0;
    int m_deletedRows = 0; // gone ones too
    int m_goneRows = 0;
    Stage m_stage = Stage::Idle;
    KeyCollation::Order m_collation = KeyCollation::Order::Natural;
    int m_sortColumn = KeyColumn;
    bool m_descending = false;
    bool m_sorted = true;
    bool m_initialLoad = false; // keys are appended unsorted until endInitialLoad()
    bool m_failed = false;
    bool m_refused = false;
};
