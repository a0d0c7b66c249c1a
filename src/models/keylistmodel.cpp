#include "keylistmodel.h"

#include "humanformat.h"
#include "keysorter.h"
#include "kvbucket.h"
#include "kvttl.h"
#include "kvunits.h"
#include "kvwatcher.h"
#include "operationstyle.h"

#include <QtCore/QTimer>
#include <QtGui/QFont>
#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {
// Entries are applied at most this often (about two frames), or sooner once this many are waiting.
constexpr int kFlushIntervalMs = 30;
constexpr qsizetype kFlushBatch = 5000;
// New keys in one batch beyond this go to the end and are sorted again in steps: each key put at its
// place shifts the order (and the proxy's mapping) of a million rows.
constexpr size_t kSortedInsertLimit = 32;
// While the initial keys stream in, rows beyond this many are shown this many at a time: each insert
// costs the views and the proxy a little per row shown, and a little per turn (the panel's list is a
// QTableView, which lays out no structure per row; the tree's folders take them in steps of their own).
// Bounded pieces keep each turn short: held until half the rows shown, the last piece was 330,000 rows.
constexpr size_t kShowAtOnce = 50000;
constexpr size_t kShowStep = 25000;
// A TTL may run for years; the expiry timer looks again at least this often.
constexpr qint64 kLongestExpiryWaitMs = 3600 * 1000;

qint64 expiryMs(qint64 createdMs, qint64 ttlNs)
{
    return ttlNs > 0 && createdMs > 0 ? createdMs + ttlNs / 1000000 : 0; // 0: does not expire (or unknown)
}
} // namespace

KeyListModel::KeyListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_sortTimer(new QTimer(this))
    , m_flushTimer(new QTimer(this))
    , m_expiryTimer(new QTimer(this))
{
    m_expiryTimer->setSingleShot(true);
    connect(m_expiryTimer, &QTimer::timeout, this, &KeyListModel::dropExpired);
    m_sortTimer->setSingleShot(true);
    m_sortTimer->setInterval(0);
    connect(m_sortTimer, &QTimer::timeout, this, &KeyListModel::sortStep);
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
    return parent.isValid() ? 0 : int(m_order.size());
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
    const quint32 id = idAt(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(id, column);
    case Qt::ToolTipRole:
        if (column == UpdatedColumn)
            return HumanFormat::utcTime(QDateTime::fromMSecsSinceEpoch(m_store.createdMs(id), Qt::UTC));
        if (column == KeyColumn)
            return KvNames::displayKey(m_store.keyString(id));
        if (column == ExpiresColumn && m_store.ttlNs(id) > 0)
            return tr("TTL %1, at %2").arg(KvUnits::goDuration(m_store.ttlNs(id)), HumanFormat::utcTime(expiresAt(id)));
        if (column == OperationColumn && m_store.marker(id) != 0)
            return tr("%1: the server removed this key: its TTL or the bucket's maximum age ran out")
                .arg(m_store.entry(id).operationLabel());
        return {};
    case Qt::ForegroundRole:
        if (column == OperationColumn)
            return OperationStyle::color(operationEntry(id), QGuiApplication::palette());
        return {};
    case Qt::DecorationRole:
        if (column == OperationColumn)
            return OperationStyle::glyph(operationEntry(id), QGuiApplication::palette());
        return {};
    case Qt::FontRole:
        if (m_store.isDeleted(id)) {
            QFont font;
            font.setStrikeOut(true);
            return font;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == RevisionColumn || column == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawValue(id, column);
    case KeyRole:
        return m_store.keyString(id);
    case RevisionRole:
        return m_store.revision(id);
    case OperationRole:
        return int(m_store.operation(id));
    case CreatedRole:
        return QDateTime::fromMSecsSinceEpoch(m_store.createdMs(id), Qt::UTC);
    case SizeRole:
        return m_store.valueSize(id);
    case DeletedRole:
        return m_store.isDeleted(id);
    case ExpiresRole:
        return m_store.ttlNs(id) > 0 ? QVariant(expiresAt(id)) : QVariant();
    default:
        return {};
    }
}

QDateTime KeyListModel::expiresAt(quint32 id) const
{
    const qint64 ttl = m_store.ttlNs(id);
    return ttl > 0 ? QDateTime::fromMSecsSinceEpoch(m_store.createdMs(id) + ttl / 1000000, Qt::UTC) : QDateTime();
}

QVariant KeyListModel::displayValue(quint32 id, int column) const
{
    switch (column) {
    case KeyColumn:
        return KvNames::displayKey(m_store.keyString(id)); // "x\xFF": two such keys never look alike
    case RevisionColumn:
        return m_store.revision(id);
    case OperationColumn:
        // EXPIRED for the server's own marker: the reason, (MaxAge), is in the tooltip, where a list of
        // keys has the room for it.
        return m_store.entry(id).operationWord();
    case UpdatedColumn:
        return HumanFormat::localTime(QDateTime::fromMSecsSinceEpoch(m_store.createdMs(id), Qt::UTC));
    case SizeColumn:
        return KvUnits::iBytes(m_store.valueSize(id));
    case ExpiresColumn:
        if (m_store.ttlNs(id) == KvTtl::Never)
            return tr("never");
        return m_store.ttlNs(id) > 0 ? HumanFormat::localTime(expiresAt(id)) : QString();
    default:
        return {};
    }
}

QVariant KeyListModel::rawValue(quint32 id, int column) const
{
    switch (column) {
    case RevisionColumn:
        return m_store.revision(id);
    case UpdatedColumn:
        return m_store.createdMs(id);
    case SizeColumn:
        return m_store.valueSize(id);
    case OperationColumn:
        return int(m_store.operation(id));
    case ExpiresColumn:
        return m_store.ttlNs(id) > 0 ? expiresAt(id).toMSecsSinceEpoch() : std::numeric_limits<qint64>::max();
    default:
        return m_store.keyString(id);
    }
}

QString KeyListModel::keyAt(int row) const
{
    return row >= 0 && size_t(row) < m_order.size() ? m_store.keyString(idAt(row)) : QString();
}

// What the operation's colour and glyph need (OperationStyle): the operation, and whether the server
// wrote it as a limit marker; the whole entry (key and all) only for such a marker, which is rare.
KvEntry KeyListModel::operationEntry(quint32 id) const
{
    if (m_store.marker(id) != 0)
        return m_store.entry(id);
    KvEntry entry;
    entry.operation = m_store.operation(id);
    return entry;
}

KvEntry KeyListModel::entryAt(int row) const
{
    if (row < 0 || size_t(row) >= m_order.size())
        return {};
    return m_store.entry(idAt(row));
}

int KeyListModel::rowOfKey(const QString &key) const
{
    const qint64 id = m_store.find(KvNames::keySubject(key));
    return id < 0 ? -1 : rowOfId(quint32(id));
}

int KeyListModel::rowOfId(quint32 id) const
{
    if (id >= m_store.size())
        return -1;
    if (m_sorted) {
        // In key order a row is found by binary search: no id -> row table (4 bytes a key) to keep.
        const auto at = std::lower_bound(m_order.begin(), m_order.end(), id,
                                         [this](quint32 a, quint32 b) { return less(a, b); });
        return at != m_order.end() && *at == id ? int(at - m_order.begin()) : -1;
    }
    if (m_rowOfStale)
        rebuildRowOf();
    return id < m_rowOf.size() ? m_rowOf[id] : -1;
}

void KeyListModel::rebuildRowOf() const
{
    m_rowOf.assign(m_store.size(), -1);
    for (size_t row = 0; row < m_order.size(); ++row)
        m_rowOf[m_order[row]] = qint32(row);
    m_rowOfStale = false;
}

qsizetype KeyListModel::bytesUsed() const
{
    return m_store.bytesUsed()
        + qsizetype((m_order.capacity() + m_rowOf.capacity() + m_keyOrderKept.capacity()) * sizeof(quint32));
}

int KeyListModel::sortPermille() const
{
    return m_sorter ? m_sorter->permille() : 1000;
}

bool KeyListModel::holdsAllKeys() const
{
    return !isLoading() && !m_failed && m_filters.isEmpty() && m_watcher;
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
    m_keyOrderKept = {};
    stopWatcher();
    m_flushTimer->stop();
    m_sortTimer->stop();
    m_expiryTimer->stop();
    m_sorter.reset();
    m_pending.clear();
    m_held = {};
    const bool wasLoading = isLoading();
    m_stage = Stage::Idle;
    m_initialLoad = false;
    m_failed = false;
    m_refused = false;
    m_waitClock.invalidate();
    m_loaded = m_expected = 0;
    m_deletedRows = 0;
    m_goneRows = 0;
    beginResetModel();
    m_store.clear();
    m_order = {};
    m_rowOf = {};
    m_rowOfStale = false;
    m_sorted = true;
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
    connectWatcher();
    beginInitialLoad();
}

void KeyListModel::connectWatcher()
{
    connect(m_watcher, &KvWatcher::entryReceived, this, &KeyListModel::onEntry);
    connect(m_watcher, &KvWatcher::initialValuesReceived, this, [this] {
        flushPending();
        m_expected = m_loaded;
        Q_EMIT loadingProgress(m_loaded, m_expected);
        endInitialLoad();
    });
    connect(m_watcher, &KvWatcher::recovering, this,
            [this](quint64, const QString &reason) { Q_EMIT watchRecovering(reason); });
    connect(m_watcher, &KvWatcher::resumed, this, &KeyListModel::watchResumed);
    connect(m_watcher, &KvWatcher::errorOccurred, this, [this] {
        const QString message = m_watcher ? m_watcher->errorString() : QString();
        m_failed = true;
        m_refused = m_watcher && m_watcher->error() == NatsError::PermissionsViolation;
        flushPending();
        if (m_initialLoad)
            endInitialLoad(); // what came is sorted all the same
        if (m_watcher && m_watcher->bucketReplaced()) {
            Q_EMIT bucketReplaced(message);
            return;
        }
        const bool deleted = m_watcher && m_watcher->error() == NatsError::BucketNotFound;
        Q_EMIT errorOccurred(message);
        if (deleted)
            Q_EMIT bucketDeleted();
    });
}

void KeyListModel::beginInitialLoad(quint64 expected)
{
    m_expected = expected;
    m_initialLoad = true;
    m_stage = Stage::Waiting;
    m_waitClock.start();
    Q_EMIT loadingStarted();
}

void KeyListModel::endInitialLoad()
{
    flushPending();
    showHeld();
    m_initialLoad = false;
    if (!m_sorted && !m_sorter)
        startSort();
    if (m_sorter) {
        m_stage = Stage::Sorting;
        Q_EMIT loadingProgress(m_loaded, std::max(m_expected, m_loaded));
        return;
    }
    finishLoading(m_failed);
}

void KeyListModel::finishLoading(bool cancelled)
{
    if (m_stage == Stage::Idle)
        return;
    m_stage = Stage::Idle;
    m_waitClock.invalidate();
    Q_EMIT loadingFinished(cancelled);
}

void KeyListModel::cancelLoading()
{
    if (!isLoading())
        return;
    flushPending();
    showHeld();
    stopWatcher();
    m_initialLoad = false;
    // The keys that came are still put in order; the load counts as cancelled now.
    if (!m_sorted && !m_sorter)
        startSort();
    finishLoading(true);
}

void KeyListModel::onEntry(const KvEntry &entry)
{
    KvEntry meta = entry;
    meta.value.clear(); // meta-only anyway; never keep values in the list
    m_pending.append(meta);
    if (m_initialLoad)
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
    if (m_initialLoad)
        Q_EMIT loadingProgress(m_loaded, std::max(m_expected, m_loaded));
}

void KeyListModel::applyEntries(const QList<KvEntry> &entries)
{
    if (m_stage == Stage::Waiting && !entries.isEmpty())
        m_stage = Stage::Receiving;
    if (m_initialLoad && m_store.isEmpty() && !entries.isEmpty() && m_expected > quint64(entries.size())) {
        // The server said how many are coming: no doubling (and its slack) on the way to a million.
        qsizetype bytes = 0;
        for (const KvEntry &entry : entries)
            bytes += entry.key.size();
        m_store.reserve(quint32(m_expected),
                        qsizetype(double(bytes) / double(entries.size()) * 1.1 * double(m_expected)));
        m_order.reserve(size_t(m_expected));
    }
    const quint32 firstNew = m_store.size();
    std::vector<quint32> added;
    std::vector<quint32> moved; // rows whose value in the sort column changed
    QList<quint32> changed;
    qint64 firstExpiry = 0;
    for (const KvEntry &entry : entries) {
        if (entry.ttlNs > 0 && entry.created.isValid()) {
            const qint64 at = expiryMs(entry.created.toMSecsSinceEpoch(), entry.ttlNs);
            firstExpiry = firstExpiry == 0 ? at : std::min(firstExpiry, at);
        }
        const QByteArray key = KvNames::keySubject(entry.key);
        const qint64 existing = m_store.find(key);
        if (existing < 0) {
            const quint32 id = m_store.append(key, entry);
            m_deletedRows += int(m_store.isDeleted(id));
            added.push_back(id);
            continue;
        }
        const auto id = quint32(existing);
        if (entry.revision < m_store.revision(id))
            continue;
        const qint64 before = sortValue(id);
        m_deletedRows -= int(m_store.isDeleted(id));
        m_goneRows -= int(m_store.isGone(id)); // written again: held again
        m_store.update(id, entry);
        m_deletedRows += int(m_store.isDeleted(id));
        if (sortValue(id) != before)
            moved.push_back(id);
        // A key added in this batch has no row yet: its insert shows the latest.
        if (id < firstNew)
            changed.append(id);
    }
    placeMovedRows(moved);
    emitRowChanges(changed);
    insertNewIds(added);
    if (firstExpiry > 0)
        scheduleExpiry(firstExpiry);
}

void KeyListModel::scheduleExpiry(qint64 atMs)
{
    if (m_expiryTimer->isActive() && m_nextExpiryMs <= atMs)
        return;
    m_nextExpiryMs = atMs;
    const qint64 wait = atMs - QDateTime::currentMSecsSinceEpoch() + 1;
    m_expiryTimer->start(int(std::clamp<qint64>(wait, 0, kLongestExpiryWaitMs)));
}

// The server removes an entry whose own TTL ran out and tells no watch: a marker with a TTL (nats-server
// 2.11+), or a value on a bucket without limit markers (with them, the marker comes). Its key is gone then:
// not shown, shown deleted keys or not, until written again.
void KeyListModel::dropExpired()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 next = 0;
    QList<quint32> gone;
    for (auto it = m_store.ttls().cbegin(); it != m_store.ttls().cend(); ++it) {
        const qint64 at = expiryMs(m_store.createdMs(it.key()), it.value());
        if (at == 0 || m_store.isGone(it.key()))
            continue;
        if (at <= now)
            gone.append(it.key());
        else
            next = next == 0 ? at : std::min(next, at);
    }
    for (const quint32 id : std::as_const(gone)) {
        m_deletedRows += int(!m_store.isDeleted(id));
        ++m_goneRows;
        m_store.setGone(id);
    }
    emitRowChanges(gone);
    if (next > 0)
        scheduleExpiry(next);
}

void KeyListModel::insertNewIds(const std::vector<quint32> &ids)
{
    if (ids.empty())
        return;
    m_loaded += ids.size();
    m_keyOrderKept = {}; // no longer every row
    if (m_initialLoad) {
        m_held.insert(m_held.end(), ids.begin(), ids.end());
        if (m_order.size() < kShowAtOnce || m_held.size() >= kShowStep)
            showHeld();
        return;
    }
    if (m_sorted && !m_sorter && ids.size() <= kSortedInsertLimit) {
        for (const quint32 id : ids)
            insertSorted(id);
        return;
    }
    appendRows(ids);
}

void KeyListModel::showHeld()
{
    if (!m_held.empty())
        appendRows(std::exchange(m_held, {}));
}

void KeyListModel::appendRows(const std::vector<quint32> &ids)
{
    // One insert for the whole batch, at the end; sorted afterwards (after the load, or now).
    const int first = int(m_order.size());
    beginInsertRows({}, first, first + int(ids.size()) - 1);
    m_order.insert(m_order.end(), ids.begin(), ids.end());
    // Out of order now: rows are found through an id -> row table until the keys are sorted again.
    if (!m_sorted && !m_rowOfStale) {
        if (m_rowOf.size() < m_store.size())
            m_rowOf.resize(m_store.size(), -1);
        for (size_t i = 0; i < ids.size(); ++i)
            m_rowOf[ids[i]] = first + qint32(i);
    } else {
        m_rowOfStale = true; // sorted until now: no table kept
    }
    m_sorted = false;
    endInsertRows();
    if (!m_initialLoad && !m_sorter)
        startSort();
}

void KeyListModel::insertSorted(quint32 id)
{
    const auto at = std::upper_bound(m_order.begin(), m_order.end(), id,
                                     [this](quint32 a, quint32 b) { return less(a, b); });
    const int row = int(at - m_order.begin());
    beginInsertRows({}, row, row);
    m_order.insert(at, id);
    m_rowOfStale = true;
    endInsertRows();
}

void KeyListModel::emitRowChanges(const QList<quint32> &ids)
{
    if (ids.isEmpty())
        return;
    // qBittorrent's rule: a signal per changed row while few rows change, one for everything otherwise
    // (per-row signals cost more than a full repaint once they are many).
    if (ids.size() * 2 < qsizetype(m_order.size())) {
        for (const quint32 id : ids) {
            const int row = rowOfId(id);
            if (row >= 0) // else held back while loading: shown with its latest state
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    } else {
        Q_EMIT dataChanged(index(0, 0), index(int(m_order.size()) - 1, ColumnCount - 1));
    }
}
