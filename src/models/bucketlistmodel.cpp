#include "bucketlistmodel.h"

#include "humanformat.h"
#include "kvunits.h"

#include <algorithm>

using namespace Qt::StringLiterals;

BucketListModel::BucketListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int BucketListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_statuses.size());
}

int BucketListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BucketListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole && section == ValuesColumn) {
        // The server's message count (as natscli's "Values"), which the key list's count of live keys
        // would otherwise seem to contradict.
        return tr("Revisions the bucket keeps, older ones and delete and purge markers included; the key list "
                  "counts live keys");
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case BucketColumn:
        return tr("Bucket");
    case DescriptionColumn:
        return tr("Description");
    case CreatedColumn:
        return tr("Created");
    case SizeColumn:
        return tr("Size");
    case ValuesColumn:
        return tr("Values");
    case LastUpdateColumn:
        return tr("Last Update");
    case HistoryColumn:
        return tr("History");
    case TtlColumn:
        return tr("TTL");
    case StorageColumn:
        return tr("Storage");
    case ReplicasColumn:
        return tr("Replicas");
    case MarkerTtlColumn:
        return tr("Marker TTL");
    default:
        return {};
    }
}

QVariant BucketListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KvBucketStatus &status = m_statuses[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(status, index.column());
    case Qt::ToolTipRole:
        if (index.column() == BucketColumn)
            return status.bucket; // the whole name, where the column shows it elided
        if (index.column() == DescriptionColumn)
            return status.config.description; // the whole text, elided in a column sized to a few words
        if (index.column() == CreatedColumn)
            return HumanFormat::fullTime(status.created);
        if (index.column() == LastUpdateColumn)
            return HumanFormat::fullTime(status.lastUpdate);
        if (index.column() == SizeColumn && status.config.maxBytes > 0)
            return usageText(status);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == ValuesColumn || index.column() == HistoryColumn
            || index.column() == ReplicasColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawValue(status, index.column());
    case BucketNameRole:
        return status.bucket;
    case UsageRole:
        return status.config.maxBytes > 0 ? double(status.bytes) / double(status.config.maxBytes) : -1.0;
    default:
        return {};
    }
}

// The usage bar's words: its colour alone would not say the bucket is nearly full (issue 14).
QString BucketListModel::usageText(const KvBucketStatus &status) const
{
    const double usage = double(status.bytes) / double(status.config.maxBytes);
    const QString text = tr("%1 of %2 (%3 %)")
                             .arg(KvUnits::iBytes(qint64(status.bytes)), KvUnits::iBytes(status.config.maxBytes))
                             .arg(qRound(usage * 100));
    return usage > NearlyFull ? tr("%1: nearly full").arg(text) : text;
}

QVariant BucketListModel::displayValue(const KvBucketStatus &status, int column) const
{
    switch (column) {
    case BucketColumn:
        return status.bucket;
    case DescriptionColumn:
        return status.config.description;
    case CreatedColumn: // short, so that natscli's columns fit beside the keys (the tooltip has it whole)
        return HumanFormat::shortLocalTime(status.created);
    case SizeColumn:
        return KvUnits::iBytes(qint64(status.bytes));
    case ValuesColumn:
        return HumanFormat::count(qint64(status.values));
    case LastUpdateColumn:
        return HumanFormat::shortLocalTime(status.lastUpdate);
    case HistoryColumn:
        return status.config.history;
    case TtlColumn:
        // As kvdesk-cli ls prints it: "1h30m0s", "30d0h0m0s".
        return status.config.ttlMs > 0 ? KvUnits::humanizeDuration(status.config.ttlMs * KvUnits::NsPerMs) : tr("none");
    case StorageColumn:
        return KvBucketConfig::storageName(status.config.storage);
    case ReplicasColumn:
        return status.config.replicas;
    case MarkerTtlColumn:
        return status.config.markerTtlMs > 0 ? KvUnits::humanizeDuration(status.config.markerTtlMs * KvUnits::NsPerMs)
                                             : (status.config.allowsKeyTtl() ? tr("none (per-key TTLs)") : QString());
    default:
        return {};
    }
}

QVariant BucketListModel::rawValue(const KvBucketStatus &status, int column) const
{
    switch (column) {
    case CreatedColumn:
        return status.created;
    case SizeColumn:
        return qint64(status.bytes);
    case ValuesColumn:
        return qint64(status.values);
    case LastUpdateColumn:
        return status.lastUpdate;
    case TtlColumn:
        return status.config.ttlMs;
    case MarkerTtlColumn:
        return status.config.markerTtlMs;
    default:
        return displayValue(status, column);
    }
}

void BucketListModel::setStatuses(const QList<KvBucketStatus> &statuses)
{
    QList<KvBucketStatus> incoming = statuses;
    std::sort(incoming.begin(), incoming.end(),
              [](const KvBucketStatus &a, const KvBucketStatus &b) { return a.bucket < b.bucket; });

    // Walk both sorted lists once: remove, update in place or insert.
    int row = 0;
    qsizetype next = 0;
    while (row < m_statuses.size() || next < incoming.size()) {
        const bool haveOld = row < m_statuses.size();
        const bool haveNew = next < incoming.size();
        if (haveOld && (!haveNew || m_statuses[row].bucket < incoming[next].bucket)) {
            beginRemoveRows({}, row, row);
            m_statuses.removeAt(row);
            endRemoveRows();
        } else if (haveNew && (!haveOld || incoming[next].bucket < m_statuses[row].bucket)) {
            beginInsertRows({}, row, row);
            m_statuses.insert(row, incoming[next]);
            endInsertRows();
            ++row;
            ++next;
        } else {
            m_statuses[row] = incoming[next];
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            ++row;
            ++next;
        }
    }
}

void BucketListModel::clear()
{
    if (m_statuses.isEmpty())
        return;
    beginResetModel();
    m_statuses.clear();
    endResetModel();
}

KvBucketStatus BucketListModel::statusAt(int row) const
{
    return row >= 0 && row < m_statuses.size() ? m_statuses[row] : KvBucketStatus();
}

int BucketListModel::rowOf(const QString &bucket) const
{
    for (qsizetype i = 0; i < m_statuses.size(); ++i) {
        if (m_statuses[i].bucket == bucket)
            return int(i);
    }
    return -1;
}
