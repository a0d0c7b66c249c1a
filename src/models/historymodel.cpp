#include "historymodel.h"

#include "humanformat.h"
#include "kvbucket.h"
#include "kvunits.h"
#include "kvwatcher.h"
#include "operationstyle.h"

#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int kFlushIntervalMs = 30;
// A TTL longer than this is looked at again after it (a QTimer counts in int milliseconds).
constexpr qint64 kLongestWaitMs = 24 * 3600 * 1000;

// When the entry's own TTL runs out (ms since the epoch, the server's clock), 0 when it has none.
qint64 expiryMs(const KvEntry &entry)
{
    return entry.ttlNs > 0 && entry.created.isValid() ? entry.created.toMSecsSinceEpoch() + entry.ttlNs / 1'000'000 : 0;
}
} // namespace

HistoryModel::HistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_flushTimer(new QTimer(this))
    , m_expiryTimer(new QTimer(this))
{
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &HistoryModel::flushPending);
    m_expiryTimer->setSingleShot(true);
    connect(m_expiryTimer, &QTimer::timeout, this, &HistoryModel::dropExpired);
}

HistoryModel::~HistoryModel()
{
    stopWatcher();
}

int HistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int HistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case RevisionColumn:
        return tr("Revision");
    case OperationColumn:
        return tr("Operation");
    case CreatedColumn:
        return tr("Created");
    case SizeColumn:
        return tr("Size");
    default:
        return {};
    }
}

QVariant HistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const KvEntry &entry = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(entry, index.column());
    case Qt::ToolTipRole:
        if (index.column() == CreatedColumn)
            return HumanFormat::utcTime(entry.created);
        if (index.column() == OperationColumn && entry.isLimitMarker())
            return tr("Written by the server: the key's TTL or the bucket's maximum age ran out (%1), so the key "
                      "is gone")
                .arg(QString::fromUtf8(entry.markerReason));
        if (index.column() == OperationColumn)
            return OperationStyle::description(entry.operation);
        return {};
    case Qt::DecorationRole:
        if (index.column() == OperationColumn)
            return OperationStyle::glyph(entry, QGuiApplication::palette());
        return {};
    case Qt::ForegroundRole:
        if (index.column() == OperationColumn)
            return OperationStyle::color(entry, QGuiApplication::palette());
        return {};
    case Qt::BackgroundRole:
        if (entry.isLimitMarker())
            return OperationStyle::rowBackground(entry, QGuiApplication::palette());
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == RevisionColumn || index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawValue(entry, index.column());
    case RevisionRole:
        return entry.revision;
    case OperationRole:
        return int(entry.operation);
    case CreatedRole:
        return entry.created;
    case ValueRole:
        return entry.value;
    default:
        return {};
    }
}

QVariant HistoryModel::displayValue(const KvEntry &entry, int column) const
{
    switch (column) {
    case RevisionColumn:
        return HumanFormat::revision(entry.revision);
    case OperationColumn:
        return entry.operationLabel(); // EXPIRED (MaxAge) for the server's own marker
    case CreatedColumn:
        return HumanFormat::localTime(entry.created);
    case SizeColumn:
        return entry.isDeleted() ? QString() : KvUnits::iBytes(entry.size());
    default:
        return {};
    }
}

QVariant HistoryModel::rawValue(const KvEntry &entry, int column) const
{
    switch (column) {
    case OperationColumn:
        return int(entry.operation);
    case CreatedColumn:
        return entry.created;
    case SizeColumn:
        return entry.size();
    default:
        return entry.revision;
    }
}

void HistoryModel::stopWatcher()
{
    if (!m_watcher)
        return;
    m_watcher->disconnect(this);
    m_watcher->stop();
    m_watcher->deleteLater();
    m_watcher = nullptr;
}

void HistoryModel::stopReadByGets()
{
    if (KvReply *reply = std::exchange(m_byGets, nullptr)) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
}

void HistoryModel::clear()
{
    stopWatcher();
    stopReadByGets();
    m_flushTimer->stop();
    m_expiryTimer->stop();
    m_pending.clear();
    m_key.clear();
    m_loading = false;
    m_loaded = false;
    m_followed = false;
    m_historyLimit = 0;
    disconnect(m_followSettings);
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void HistoryModel::load(KvBucket *bucket, const QString &key)
{
    clear();
    if (!bucket || key.isEmpty())
        return;
    m_key = key;
    m_bucket = bucket;
    m_loading = true;
    KvWatchOptions options;
    options.includeHistory = true;
    m_watcher = bucket->watch({key}, options);
    connect(m_watcher, &KvWatcher::entryReceived, this, &HistoryModel::onEntry);
    // "(the bucket keeps 10)" said on after an edit made it 20.
    m_followSettings = connect(bucket, &KvBucket::boundChanged, this, [this, bucket] {
        if (m_historyLimit == 0 || m_historyLimit == bucket->boundStatus().config.history)
            return;
        m_historyLimit = bucket->boundStatus().config.history;
        Q_EMIT historyLimitChanged();
    });
    const QPointer<KvBucket> guard(bucket);
    connect(m_watcher, &KvWatcher::initialValuesReceived, this, [this, bucket = guard] {
        learnHistoryLimit(bucket);
        flushPending();
        m_loading = false;
        m_loaded = true;
        m_followed = true;
        Q_EMIT loaded();
    });
    connect(m_watcher, &KvWatcher::errorOccurred, this, [this] {
        const QString message = m_watcher ? m_watcher->errorString() : QString();
        if (m_watcher && m_watcher->bucketReplaced() && m_bucket) {
            // Its revisions were another bucket's: none of them is this one's history.
            Q_EMIT bucketReplaced(message);
            const QString again = m_key; // load() clears it first
            load(m_bucket, again);
            return;
        }
        if (m_watcher && m_watcher->error() == NatsError::PermissionsViolation && !m_loaded && m_bucket) {
            // No consumer for this user: the gets of each revision may still be allowed.
            readByGets(message);
            return;
        }
        flushPending();
        m_loading = false;
        Q_EMIT errorOccurred(message);
    });
}

// What the bucket keeps per key, once it is bound (unless set before, setHistoryLimit()).
void HistoryModel::learnHistoryLimit(const KvBucket *bucket)
{
    if (bucket && bucket->isBound() && m_historyLimit == 0)
        m_historyLimit = bucket->boundStatus().config.history;
}

void HistoryModel::readByGets(const QString &whyNotWatched)
{
    stopWatcher();
    m_pending.clear(); // nothing is delivered before a consumer is made
    m_byGets = m_bucket->historyByGets(m_key);
    connect(m_byGets, &NatsReply::finished, this, [this, whyNotWatched] {
        KvReply *reply = std::exchange(m_byGets, nullptr);
        reply->deleteLater();
        m_loading = false;
        if (reply->error() != NatsError::NoError && reply->error() != NatsError::KeyNotFound) {
            // The gets refused too: the consumer's refusal says what the history needs.
            Q_EMIT errorOccurred(reply->error() == NatsError::PermissionsViolation ? whyNotWatched
                                                                                   : reply->errorString());
            return;
        }
        learnHistoryLimit(m_bucket);
        applyEntries(reply->entries()); // none for a key never written (KeyNotFound), as a watch has none
        m_loaded = true;
        Q_EMIT loaded();
        Q_EMIT notFollowed(whyNotWatched);
    });
}

void HistoryModel::onEntry(const KvEntry &entry)
{
    m_pending.append(entry);
    if (m_loaded)
        Q_EMIT revisionAdded(entry);
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void HistoryModel::flushPending()
{
    m_flushTimer->stop();
    if (m_pending.isEmpty())
        return;
    applyEntries(std::exchange(m_pending, {}));
}

void HistoryModel::applyEntries(const QList<KvEntry> &entries)
{
    const quint64 latest = latestRevision();
    QList<KvEntry> fresh;
    for (const KvEntry &entry : entries) {
        if (entry.revision <= latest || (!fresh.isEmpty() && entry.revision <= fresh.last().revision))
            continue; // already shown
        if (entry.operation == KvEntry::Operation::Purge)
            fresh.clear(); // a purge removes every older revision of the key from the server
        fresh.append(entry);
    }
    if (fresh.isEmpty())
        return;
    if (fresh.first().operation == KvEntry::Operation::Purge)
        removeRows(0, int(m_rows.size()) - 1);
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    std::reverse(fresh.begin(), fresh.end());
    m_rows = fresh + m_rows;
    endInsertRows();
    trimToLimit();
    dropExpired();
}

// The server removes an entry whose own TTL ran out (a marker with a TTL, or a revision under newer ones)
// and says nothing to a watch: its row goes at that time.
void HistoryModel::dropExpired()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    qint64 next = 0;
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const qint64 at = expiryMs(m_rows[row]);
        if (at > 0 && at <= now)
            removeRows(row, row);
        else if (at > 0)
            next = next == 0 ? at : std::min(next, at);
    }
    if (next > 0)
        m_expiryTimer->start(int(std::min(next - now + 1, kLongestWaitMs)));
    else
        m_expiryTimer->stop();
}

void HistoryModel::removeRows(int first, int last)
{
    if (first > last)
        return;
    beginRemoveRows({}, first, last);
    m_rows.remove(first, last - first + 1);
    endRemoveRows();
}

void HistoryModel::setHistoryLimit(int limit)
{
    m_historyLimit = std::max(0, limit);
    trimToLimit();
}

void HistoryModel::trimToLimit()
{
    // The server drops a key's oldest revision once it has more than the bucket's history: so do we.
    if (m_historyLimit > 0 && m_rows.size() > m_historyLimit)
        removeRows(m_historyLimit, int(m_rows.size()) - 1);
}

KvEntry HistoryModel::entryAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row] : KvEntry();
}

int HistoryModel::rowOfRevision(quint64 revision) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].revision == revision)
            return int(i);
    }
    return -1;
}

quint64 HistoryModel::latestRevision() const
{
    return m_rows.isEmpty() ? 0 : m_rows.first().revision;
}

KvEntry HistoryModel::latestEntry() const
{
    return m_rows.isEmpty() ? KvEntry() : m_rows.first();
}
