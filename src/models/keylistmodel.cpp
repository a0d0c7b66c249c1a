#include "keylistmodel.h"

#include "humanformat.h"
#include "kvbucket.h"
#include "kvttl.h"
#include "kvunits.h"
#include "kvwatcher.h"

#include <QtCore/QTimer>
#include <QtGui/QFont>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
// Entries are applied at most this often (about two frames), or sooner once this many are waiting.
constexpr int kFlushIntervalMs = 30;
constexpr qsizetype kFlushBatch = 5000;
} // namespace

KeyListModel::KeyListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_flushTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &KeyListModel::flushPending);
}

KeyListModel::~KeyListModel()
{
    stopWatcher();
}

KvWatcher *KeyListModel::watcher() const
{
    return m_watcher;
}

int KeyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int KeyListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant KeyListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn:
        return tr("Key");
    case RevisionColumn:
        return tr("Revision");
    case OperationColumn:
        return tr("Operation");
    case UpdatedColumn:
        return tr("Last Update");
    case SizeColumn:
        return tr("Size");
    case ExpiresColumn:
        return tr("Expires");
    default:
        return {};
    }
}

QVariant KeyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, index.column());
    case Qt::ToolTipRole:
        if (index.column() == UpdatedColumn)
            return HumanFormat::utcTime(QDateTime::fromMSecsSinceEpoch(row.createdMs, Qt::UTC));
        if (index.column() == KeyColumn)
            return row.key;
        if (index.column() == ExpiresColumn && row.ttlNs > 0)
            return tr("TTL %1, at %2").arg(KvUnits::goDuration(row.ttlNs), HumanFormat::utcTime(expiresAt(row)));
        if (index.column() == OperationColumn && row.marker != 0)
            return tr("The server removed this key: its TTL or the bucket's maximum age ran out");
        return {};
    case Qt::FontRole:
        if (row.operation != KvEntry::Operation::Put) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RevisionColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawValue(row, index.column());
    case KeyRole:
        return row.key;
    case RevisionRole:
        return row.revision;
    case OperationRole:
        return int(row.operation);
    case CreatedRole:
        return QDateTime::fromMSecsSinceEpoch(row.createdMs, Qt::UTC);
    case SizeRole:
        return row.size;
    case DeletedRole:
        return row.operation != KvEntry::Operation::Put;
    case ExpiresRole:
        return row.ttlNs > 0 ? QVariant(expiresAt(row)) : QVariant();
    default:
        return {};
    }
}

QDateTime KeyListModel::expiresAt(const Row &row)
{
    return row.ttlNs > 0 ? QDateTime::fromMSecsSinceEpoch(row.createdMs + row.ttlNs / 1000000, Qt::UTC) : QDateTime();
}

QByteArray KeyListModel::markerReason(quint8 marker)
{
    static const QByteArray reasons[] = {{}, "MaxAge", "Purge", "Remove"};
    return marker < 4 ? reasons[marker] : QByteArray();
}

KeyListModel::Row KeyListModel::rowOf(const KvEntry &entry)
{
    Row row{entry.key, entry.revision, entry.created.toMSecsSinceEpoch(), entry.size(), entry.operation};
    if (entry.isLimitMarker())
        row.marker = entry.markerReason == "MaxAge" ? 1 : (entry.markerReason == "Remove" ? 3 : 2);
    row.ttlNs = entry.ttlNs;
    return row;
}

QVariant KeyListModel::displayValue(const Row &row, int column) const
{
    switch (column) {
    case KeyColumn:
        return row.key;
    case RevisionColumn:
        return row.revision;
    case OperationColumn:
        return entryAt(row).operationLabel(); // EXPIRED (MaxAge) for the server's own marker
    case UpdatedColumn:
        return HumanFormat::localTime(QDateTime::fromMSecsSinceEpoch(row.createdMs, Qt::UTC));
    case SizeColumn:
        return KvUnits::iBytes(row.size);
    case ExpiresColumn:
        if (row.ttlNs == KvTtl::Never)
            return tr("never");
        return row.ttlNs > 0 ? HumanFormat::localTime(expiresAt(row)) : QString();
    default:
        return {};
    }
}

QVariant KeyListModel::rawValue(const Row &row, int column) const
{
    switch (column) {
    case RevisionColumn:
        return row.revision;
    case UpdatedColumn:
        return row.createdMs;
    case SizeColumn:
        return row.size;
    case OperationColumn:
        return int(row.operation);
    case ExpiresColumn:
        return row.ttlNs > 0 ? expiresAt(row).toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    default:
        return row.key;
    }
}

QString KeyListModel::keyAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)].key : QString();
}

KvEntry KeyListModel::entryAt(int row) const
{
    if (row < 0 || size_t(row) >= m_rows.size())
        return {};
    return entryAt(m_rows[size_t(row)]);
}

KvEntry KeyListModel::entryAt(const Row &r)
{
    KvEntry entry;
    entry.key = r.key;
    entry.revision = r.revision;
    entry.created = QDateTime::fromMSecsSinceEpoch(r.createdMs, Qt::UTC);
    entry.operation = r.operation;
    entry.valueSize = r.size;
    entry.markerReason = markerReason(r.marker);
    entry.ttlNs = r.ttlNs;
    return entry;
}

void KeyListModel::stopWatcher()
{
    if (!m_watcher)
        return;
    m_watcher->disconnect(this);
    m_watcher->stop();
    m_watcher->deleteLater();
    m_watcher = nullptr;
}

void KeyListModel::clear()
{
    stopWatcher();
    m_flushTimer->stop();
    m_pending.clear();
    const bool wasLoading = m_loading;
    m_loading = false;
    m_loaded = m_expected = 0;
    m_deletedRows = 0;
    beginResetModel();
    m_rows.clear();
    m_rowByKey.clear();
    endResetModel();
    if (wasLoading)
        Q_EMIT loadingFinished(true);
}

void KeyListModel::load(KvBucket *bucket, const QStringList &filters)
{
    clear();
    m_filters = filters;
    if (!bucket)
        return;
    KvWatchOptions options;
    options.metaOnly = true; // keys, revisions and sizes only: never the values
    m_watcher = bucket->watch(filters, options);
    m_loading = true;
    connect(m_watcher, &KvWatcher::entryReceived, this, &KeyListModel::onEntry);
    connect(m_watcher, &KvWatcher::initialValuesReceived, this, [this] {
        flushPending();
        m_loading = false;
        m_expected = m_loaded;
        Q_EMIT loadingProgress(m_loaded, m_expected);
        Q_EMIT loadingFinished(false);
    });
    connect(m_watcher, &KvWatcher::recovering, this,
            [this](quint64, const QString &reason) { Q_EMIT watchRecovering(reason); });
    connect(m_watcher, &KvWatcher::resumed, this, &KeyListModel::watchResumed);
    connect(m_watcher, &KvWatcher::errorOccurred, this, [this] {
        const QString message = m_watcher ? m_watcher->errorString() : QString();
        flushPending();
        if (m_loading) {
            m_loading = false;
            Q_EMIT loadingFinished(true);
        }
        Q_EMIT errorOccurred(message);
    });
    Q_EMIT loadingStarted();
}

void KeyListModel::cancelLoading()
{
    if (!m_loading)
        return;
    flushPending();
    stopWatcher();
    m_loading = false;
    Q_EMIT loadingFinished(true);
}

void KeyListModel::onEntry(const KvEntry &entry)
{
    KvEntry meta = entry;
    meta.value.clear(); // meta-only anyway; never keep values in the list
    m_pending.append(meta);
    if (m_loading)
        m_expected = m_loaded + quint64(m_pending.size()) + (m_watcher ? m_watcher->pendingCount() : 0);
    Q_EMIT entryChanged(meta);
    if (m_pending.size() >= kFlushBatch)
        flushPending();
    else if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void KeyListModel::flushPending()
{
    m_flushTimer->stop();
    if (m_pending.isEmpty())
        return;
    const QList<KvEntry> batch = std::exchange(m_pending, {});
    applyEntries(batch);
    if (m_loading)
        Q_EMIT loadingProgress(m_loaded, std::max(m_expected, m_loaded));
}

void KeyListModel::applyEntries(const QList<KvEntry> &entries)
{
    std::vector<Row> added;
    QHash<QString, int> addedIndex;
    QList<int> changed;
    for (const KvEntry &entry : entries) {
        Row row = rowOf(entry);
        const auto existing = m_rowByKey.constFind(entry.key);
        if (existing != m_rowByKey.constEnd()) {
            Row &current = m_rows[size_t(*existing)];
            if (entry.revision >= current.revision) {
                m_deletedRows += int(row.operation != KvEntry::Operation::Put)
                    - int(current.operation != KvEntry::Operation::Put);
                current = row;
                changed.append(*existing);
            }
            continue;
        }
        const auto pendingAdd = addedIndex.constFind(entry.key);
        if (pendingAdd != addedIndex.constEnd()) {
            if (entry.revision >= added[size_t(*pendingAdd)].revision)
                added[size_t(*pendingAdd)] = row;
            continue;
        }
        addedIndex.insert(entry.key, int(added.size()));
        added.push_back(row);
    }

    if (!added.empty()) {
        // One insert for the whole batch.
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.reserve(m_rows.size() + added.size());
        for (Row &row : added) {
            m_deletedRows += int(row.operation != KvEntry::Operation::Put);
            m_rowByKey.insert(row.key, int(m_rows.size()));
            m_rows.push_back(std::move(row));
        }
        endInsertRows();
        m_loaded += added.size();
    }
    emitRowChanges(changed);
}

void KeyListModel::emitRowChanges(const QList<int> &rows)
{
    if (rows.isEmpty())
        return;
    // qBittorrent's rule: a signal per changed row while few rows change, one for everything otherwise
    // (per-row signals cost more than a full repaint once they are many).
    if (rows.size() * 2 < qsizetype(m_rows.size())) {
        for (const int row : rows)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    } else {
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
    }
}
