#pragma once

#include "kventry.h"
#include "ratehistory.h"

#include <QtCore/QAbstractTableModel>
#include <QtGui/QFont>

#include <deque>

class QTimer;

// The rows of a live watch feed: what arrived when, for which key, with which operation, revision,
// delta, size and a value preview. Built for a firehose: appendEntry() only queues (no model signal), and
// a coalescing timer applies the queue about once a frame as ONE beginInsertRows, trimming the oldest rows
// beyond the cap in ONE beginRemoveRows. Paused, the feed keeps queueing and counts what is waiting.
//
// Memory: a row keeps its value for export and double-click only up to MaxValueBytes, and the feed keeps
// at most ValueBudgetBytes of values in all (the oldest rows give theirs up first); a row without its full
// value keeps the first PreviewBytes for the preview, and its entry says so (see entryAt()).
class WatchFeedModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WatchFeedModel)

public:
    enum Column {
        TimeColumn,
        KeyColumn,
        OperationColumn,
        RevisionColumn,
        DeltaColumn,
        SizeColumn,
        PreviewColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // unformatted value of the column
        KeyRole,
        RevisionRole,
        OperationRole, // KvEntry::Operation as int
        KindRole,      // RowKind as int
        ReceivedRole,  // QDateTime (UTC)
    };

    enum class RowKind {
        Entry,
        Gap
    };
    Q_ENUM(RowKind)

    static constexpr int DefaultRowCap = 10000;
    static constexpr int MinRowCap = 100;
    static constexpr int MaxRowCap = 1000000;
    static constexpr qsizetype MaxValueBytes = 64 * 1024;
    static constexpr qint64 ValueBudgetBytes = 64LL * 1024 * 1024;
    static constexpr qsizetype PreviewBytes = 200;
    static constexpr int FlushIntervalMs = 20;

    explicit WatchFeedModel(QObject *parent = nullptr);
    ~WatchFeedModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Queues an entry (KvWatcher::entryReceived goes here); it shows with the next batch.
    void appendEntry(const KvEntry &entry);
    void appendEntry(const KvEntry &entry, qint64 receivedMs);
    // Queues a marker row: revisions from..to were never delivered and are no longer on the server.
    void appendGap(quint64 from, quint64 to);
    // From now on every revision after lastRevision() is expected: an entry further on marks the ones in
    // between as a gap (removed by the history limit, a purge or a TTL before the feed got them, e.g. while
    // it was reconnecting). Only for feeds that get every revision: an all-keys watch that keeps markers,
    // once its initial values (which skip older revisions by design) are in.
    void setGapDetection(bool detect);
    bool gapDetection() const { return m_gapDetection; }
    // Revisions up to this one are not expected (e.g. the bucket's last revision when a watch began with no
    // initial values): with gap detection on, the first entry after it must be the next one.
    void setExpectedAfter(quint64 revision);
    // Applies the queue now (the timer does it otherwise); does nothing while paused.
    void flush();
    void clear();

    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // Entries received while paused that are not shown yet.
    qsizetype waitingCount() const { return m_paused ? m_waiting : 0; }
    void setRowCap(int cap);
    int rowCap() const { return m_rowCap; }

    RowKind kindAt(int row) const;
    // The row as an entry. When the row no longer holds its whole value, value has the first bytes only
    // and valueSize the real size, so value.size() != valueSize; otherwise valueSize is -1 (or, for a
    // meta-only watch, the size of a value never received).
    KvEntry entryAt(int row) const;
    bool hasCompleteValue(int row) const;
    // Gap rows: the missing revision range.
    QPair<quint64, quint64> gapAt(int row) const;

    quint64 receivedCount() const { return m_received; } // entries queued since construction
    quint64 droppedCount() const { return m_dropped; }   // entries trimmed by the cap since clear()
    quint64 lastRevision() const { return m_lastRevision; }
    int gapCount() const { return m_gaps; }
    qint64 keptValueBytes() const { return m_valueBytes; }
    const RateHistory &rate() const { return m_rate; }

Q_SIGNALS:
    // After each batch: rows added at the end and removed from the top (either may be 0).
    void batchApplied(int inserted, int removed);
    void waitingCountChanged(qsizetype waiting);
    void gapDetected(quint64 from, quint64 to);

private:
    struct Row
    {
        qint64 receivedMs = 0;
        qint64 createdMs = 0;
        QString key;
        QByteArray value;     // whole, or the first PreviewBytes when complete is false
        quint64 revision = 0; // Gap: the first missing revision
        quint64 delta = 0;    // Gap: the last missing revision
        qint64 size = 0;
        KvEntry::Operation operation = KvEntry::Operation::Put;
        QByteArray markerReason; // a limit marker the server wrote (2.11+); else empty
        qint64 ttlNs = 0;        // the entry's own TTL
        RowKind kind = RowKind::Entry;
        bool complete = true;
        bool metaOnly = false;
    };

    void enqueue(Row &&row);
    void scheduleFlush();
    void boundQueue();
    void dropQueued(size_t count);
    void removeOldest(qsizetype count);
    void releaseValues();
    QVariant displayValue(const Row &row, int column) const;
    QVariant rawValue(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;
    QVariant background(const Row &row) const;
    static KvEntry asEntry(const Row &row);
    QString preview(const Row &row) const;

    std::deque<Row> m_rows;
    std::deque<Row> m_queue;
    QTimer *m_flushTimer = nullptr;
    RateHistory m_rate;
    QFont m_monoFont;
    QFont m_italicFont;
    qint64 m_valueBytes = 0;       // values held by shown rows
    qint64 m_queuedValueBytes = 0; // values held by queued rows
    size_t m_valueCursor = 0;      // rows before this one hold no value any more
    qsizetype m_waiting = 0;
    quint64 m_received = 0;
    quint64 m_dropped = 0;
    quint64 m_lastRevision = 0;
    quint64 m_expectedAfter = 0;
    int m_rowCap = DefaultRowCap;
    int m_gaps = 0;
    bool m_paused = false;
    bool m_gapDetection = false;
    bool m_expectedAfterKnown = false;
};
