#pragma once

#include "kvbucketstatus.h"

#include <QtCore/QAbstractTableModel>
#include <QtCore/QList>

// The buckets of a connection with the columns `nats kv ls` shows, plus History, TTL, Storage and
// Replicas. setStatuses() merges a fresh list: rows of buckets that went away are removed, new ones
// inserted, the rest updated in place, so selection and scroll position survive a refresh.
class BucketListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BucketListModel)

public:
    enum Column {
        BucketColumn,
        DescriptionColumn,
        CreatedColumn,
        SizeColumn,
        ValuesColumn,
        LastUpdateColumn,
        HistoryColumn,
        TtlColumn,
        StorageColumn,
        ReplicasColumn,
        MarkerTtlColumn, // limit markers and per-key TTLs (nats-server 2.11+)
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        RawValueRole = Qt::UserRole + 1, // the unformatted value, for sorting
        BucketNameRole,
        UsageRole, // bytes / max bytes in [0,1], or -1 without a limit
    };

    explicit BucketListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setStatuses(const QList<KvBucketStatus> &statuses);

    // Past this share of its maximum size a bucket's usage bar turns red and its tooltip says so.
    static constexpr double NearlyFull = 0.9;
    void clear();
    KvBucketStatus statusAt(int row) const;
    int rowOf(const QString &bucket) const;

private:
    QString usageText(const KvBucketStatus &status) const;
    QVariant displayValue(const KvBucketStatus &status, int column) const;
    QVariant rawValue(const KvBucketStatus &status, int column) const;

    QList<KvBucketStatus> m_statuses; // sorted by bucket name
};
