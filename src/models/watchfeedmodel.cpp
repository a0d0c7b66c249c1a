#include "watchfeedmodel.h"

#include "humanformat.h"
#include "kvunits.h"
#include "operationstyle.h"

#include <QtCore/QDateTime>
#include <QtCore/QStringDecoder>
#include <QtCore/QTimer>
#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kTooltipPreviewBytes = 2000;

// The first bytes of a value as one line of text, or as hex when they are not printable UTF-8.
QString previewText(const QByteArray &value, qsizetype limit, bool more)
{
    const QByteArray head = value.left(limit);
    const bool cut = more || value.size() > limit;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    QString text = decoder.decode(head);
    // A cut may split a multi-byte character: retry without the last few bytes before giving up.
    for (qsizetype drop = 1; decoder.hasError() && cut && drop <= 3 && drop < head.size(); ++drop) {
        decoder.resetState();
        text = decoder.decode(head.left(head.size() - drop));
    }
    bool printable = !decoder.hasError();
    for (QChar &c : text) {
        if (c == u'\n' || c == u'\r' || c == u'\t')
            c = u' ';
        else if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            printable = false;
    }
    if (!printable)
        text = QString::fromLatin1(head.toHex(' '));
    return cut ? text + u'…' : text;
}

QString timeOfDay(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(u"HH:mm:ss.zzz"_s);
}

} // namespace

WatchFeedModel::WatchFeedModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_flushTimer(new QTimer(this))
    , m_monoFont(u"monospace"_s)
{
    m_monoFont.setStyleHint(QFont::Monospace);
    m_italicFont.setItalic(true);
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(FlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &WatchFeedModel::flush);
}

WatchFeedModel::~WatchFeedModel() = default;

int WatchFeedModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WatchFeedModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WatchFeedModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Received");
    case KeyColumn:
        return tr("Key");
    case OperationColumn:
        return tr("Op");
    case RevisionColumn:
        return tr("Revision");
    case DeltaColumn:
        return tr("Delta");
    case SizeColumn:
        return tr("Size");
    case PreviewColumn:
        return tr("Value");
    default:
        return {};
    }
}

QVariant WatchFeedModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[size_t(index.row())];
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, column);
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::DecorationRole:
        if (column != OperationColumn)
            return {};
        return row.kind == RowKind::Gap ? OperationStyle::gapGlyph(QGuiApplication::palette())
                                        : OperationStyle::glyph(asEntry(row), QGuiApplication::palette());
    case Qt::ForegroundRole:
        if (column == OperationColumn && row.kind == RowKind::Entry)
            return OperationStyle::color(asEntry(row), QGuiApplication::palette());
        return {};
    case Qt::BackgroundRole:
        return background(row);
    case Qt::FontRole:
        if (row.kind == RowKind::Gap)
            return m_italicFont;
        return column == PreviewColumn ? QVariant(m_monoFont) : QVariant();
    case Qt::TextAlignmentRole:
        if (column == RevisionColumn || column == DeltaColumn || column == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RawValueRole:
        return rawValue(row, column);
    case KeyRole:
        return row.key;
    case RevisionRole:
        return row.revision;
    case OperationRole:
        return int(row.operation);
    case KindRole:
        return int(row.kind);
    case ReceivedRole:
        return QDateTime::fromMSecsSinceEpoch(row.receivedMs, Qt::UTC);
    default:
        return {};
    }
}

QVariant WatchFeedModel::displayValue(const Row &row, int column) const
{
    if (row.kind == RowKind::Gap) {
        switch (column) {
        case TimeColumn:
            return timeOfDay(row.receivedMs);
        case OperationColumn:
            return tr("GAP");
        case RevisionColumn:
            return row.revision == row.delta ? QString::number(row.revision)
                                             : u"%1–%2"_s.arg(row.revision).arg(row.delta);
        case PreviewColumn:
            return row.revision == row.delta
                ? tr("revision %1 never reached this feed: it is no longer on the server").arg(row.revision)
                : tr("revisions %1–%2 never reached this feed: they are no longer on the server")
                      .arg(row.revision)
                      .arg(row.delta);
        default:
            return {};
        }
    }
    switch (column) {
    case TimeColumn:
        return timeOfDay(row.receivedMs);
    case KeyColumn:
        return row.key;
    case OperationColumn:
        return asEntry(row).operationLabel(); // EXPIRED (MaxAge) for the server's own marker
    case RevisionColumn:
        return row.revision;
    case DeltaColumn:
        return row.delta;
    case SizeColumn:
        return KvUnits::iBytes(row.size);
    case PreviewColumn:
        return preview(row);
    default:
        return {};
    }
}

QVariant WatchFeedModel::rawValue(const Row &row, int column) const
{
    switch (column) {
    case TimeColumn:
        return row.receivedMs;
    case OperationColumn:
        return int(row.operation);
    case RevisionColumn:
        return row.revision;
    case DeltaColumn:
        return row.delta;
    case SizeColumn:
        return row.size;
    case PreviewColumn:
        return row.value.left(PreviewBytes);
    default:
        return row.key;
    }
}

QVariant WatchFeedModel::toolTip(const Row &row, int column) const
{
    switch (column) {
    case TimeColumn:
        return tr("received %1; written %2")
            .arg(HumanFormat::utcTime(QDateTime::fromMSecsSinceEpoch(row.receivedMs, Qt::UTC)),
                 HumanFormat::utcTime(QDateTime::fromMSecsSinceEpoch(row.createdMs, Qt::UTC)));
    case KeyColumn:
        return row.key;
    case DeltaColumn:
        return tr("entries still pending on the server after this one");
    case OperationColumn:
        if (row.kind == RowKind::Gap)
            return tr("Removed from the server (history limit, purge or TTL) before this feed received them, for "
                      "example while it was reconnecting or falling behind");
        if (!row.markerReason.isEmpty())
            return tr("Written by the server: the key's TTL or the bucket's maximum age ran out (%1), so the key "
                      "is gone")
                .arg(QString::fromUtf8(row.markerReason));
        return OperationStyle::description(row.operation);
    case PreviewColumn:
        if (row.kind == RowKind::Gap)
            return displayValue(row, column);
        if (row.metaOnly)
            return tr("a meta-only watch: values are not received");
        return previewText(row.value, kTooltipPreviewBytes, !row.complete);
    default:
        return {};
    }
}

QVariant WatchFeedModel::background(const Row &row) const
{
    const QPalette palette = QGuiApplication::palette();
    const QColor color = row.kind == RowKind::Gap ? OperationStyle::gapBackground(palette)
                                                  : OperationStyle::rowBackground(asEntry(row), palette);
    return color.isValid() ? QVariant(color) : QVariant();
}

QString WatchFeedModel::preview(const Row &row) const
{
    if (row.metaOnly || (row.value.isEmpty() && row.operation != KvEntry::Operation::Put))
        return {};
    return previewText(row.value, PreviewBytes, !row.complete);
}

void WatchFeedModel::appendEntry(const KvEntry &entry)
{
    appendEntry(entry, QDateTime::currentMSecsSinceEpoch());
}

void WatchFeedModel::appendEntry(const KvEntry &entry, qint64 receivedMs)
{
    const quint64 seen = std::max(m_lastRevision, m_expectedAfter);
    if (m_gapDetection && (m_lastRevision > 0 || m_expectedAfterKnown) && entry.revision > seen + 1)
        appendGap(seen + 1, entry.revision - 1);
    Row row;
    row.receivedMs = receivedMs;
    row.createdMs = entry.created.isValid() ? entry.created.toMSecsSinceEpoch() : 0;
    row.key = entry.key;
    row.revision = entry.revision;
    row.delta = entry.delta;
    row.size = entry.size();
    row.operation = entry.operation;
    row.markerReason = entry.markerReason;
    row.ttlNs = entry.ttlNs;
    row.metaOnly = entry.valueSize >= 0 && entry.value.isEmpty() && entry.valueSize > 0;
    row.complete = !row.metaOnly;
    if (entry.value.size() > MaxValueBytes) {
        row.value = entry.value.left(PreviewBytes);
        row.complete = false;
    } else {
        row.value = entry.value;
    }
    m_rate.record(receivedMs);
    ++m_received;
    m_lastRevision = std::max(m_lastRevision, entry.revision);
    enqueue(std::move(row));
}

void WatchFeedModel::appendGap(quint64 from, quint64 to)
{
    Row row;
    row.receivedMs = QDateTime::currentMSecsSinceEpoch();
    row.kind = RowKind::Gap;
    row.revision = from;
    row.delta = std::max(from, to);
    ++m_gaps;
    Q_EMIT gapDetected(row.revision, row.delta);
    enqueue(std::move(row));
}

void WatchFeedModel::setGapDetection(bool detect)
{
    m_gapDetection = detect;
}

void WatchFeedModel::setExpectedAfter(quint64 revision)
{
    m_expectedAfter = revision;
    m_expectedAfterKnown = true;
}

void WatchFeedModel::enqueue(Row &&row)
{
    if (m_paused) {
        // Paused for long, the queue holds at most the budget in values; later ones keep a preview.
        if (m_queuedValueBytes + row.value.size() > ValueBudgetBytes && row.value.size() > PreviewBytes) {
            row.value = row.value.left(PreviewBytes);
            row.complete = false;
        }
        m_queuedValueBytes += row.value.size();
        m_queue.push_back(std::move(row));
        ++m_waiting;
        boundQueue();
        // Not per message: the count is shown with each frame at most.
        scheduleFlush();
        return;
    }
    m_queue.push_back(std::move(row));
    if (m_queue.size() >= size_t(m_rowCap))
        flush(); // more than a screenful of screenfuls: no point waiting for the timer
    else
        scheduleFlush();
}

void WatchFeedModel::scheduleFlush()
{
    if (!m_flushTimer->isActive())
        m_flushTimer->start();
}

void WatchFeedModel::boundQueue()
{
    // While paused the queue would grow without end; entries beyond the cap would be trimmed as soon as
    // they are shown anyway, so they are dropped now (in halves, so this is not done per message).
    if (m_queue.size() < 2 * size_t(m_rowCap))
        return;
    dropQueued(m_queue.size() - size_t(m_rowCap));
}

void WatchFeedModel::dropQueued(size_t count)
{
    for (size_t i = 0; i < count; ++i)
        m_queuedValueBytes -= m_queue[i].value.size();
    m_queue.erase(m_queue.begin(), m_queue.begin() + qsizetype(count));
    m_dropped += count;
}

void WatchFeedModel::flush()
{
    if (m_paused) {
        Q_EMIT waitingCountChanged(m_waiting);
        return;
    }
    if (m_queue.empty())
        return;
    const size_t cap = size_t(m_rowCap);
    if (m_queue.size() > cap) // older than anything that will be shown: never inserted at all
        dropQueued(m_queue.size() - cap);
    const size_t incoming = m_queue.size();
    const size_t overflow = m_rows.size() + incoming > cap ? m_rows.size() + incoming - cap : 0;
    removeOldest(qsizetype(overflow));

    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(incoming) - 1);
    for (Row &row : m_queue) {
        m_valueBytes += row.value.size();
        m_rows.push_back(std::move(row));
    }
    m_queue.clear();
    m_queuedValueBytes = 0;
    endInsertRows();
    releaseValues();
    Q_EMIT batchApplied(int(incoming), int(overflow));
}

void WatchFeedModel::removeOldest(qsizetype count)
{
    if (count <= 0)
        return;
    count = std::min<qsizetype>(count, qsizetype(m_rows.size()));
    beginRemoveRows({}, 0, int(count) - 1);
    for (qsizetype i = 0; i < count; ++i)
        m_valueBytes -= m_rows[size_t(i)].value.size();
    m_rows.erase(m_rows.begin(), m_rows.begin() + count);
    m_valueCursor = m_valueCursor > size_t(count) ? m_valueCursor - size_t(count) : 0;
    m_dropped += quint64(count);
    endRemoveRows();
}

void WatchFeedModel::releaseValues()
{
    // Over budget: the oldest rows give up their values (keeping a preview); no model signal is needed,
    // the preview column shows the same text.
    while (m_valueBytes > ValueBudgetBytes && m_valueCursor < m_rows.size()) {
        Row &row = m_rows[m_valueCursor++];
        if (row.value.size() <= PreviewBytes)
            continue;
        m_valueBytes -= row.value.size();
        row.value = row.value.left(PreviewBytes);
        m_valueBytes += row.value.size();
        row.complete = false;
    }
}

void WatchFeedModel::clear()
{
    m_flushTimer->stop();
    beginResetModel();
    m_rows.clear();
    m_queue.clear();
    m_queuedValueBytes = 0;
    m_valueBytes = 0;
    m_valueCursor = 0;
    m_dropped = 0;
    m_gaps = 0;
    endResetModel();
    if (m_waiting != 0) {
        m_waiting = 0;
        Q_EMIT waitingCountChanged(0);
    }
}

void WatchFeedModel::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    if (!paused) {
        m_waiting = 0;
        flush();
        Q_EMIT waitingCountChanged(0);
    }
}

void WatchFeedModel::setRowCap(int cap)
{
    cap = std::clamp(cap, MinRowCap, MaxRowCap);
    if (cap == m_rowCap)
        return;
    m_rowCap = cap;
    if (m_rows.size() > size_t(cap))
        removeOldest(qsizetype(m_rows.size() - size_t(cap)));
}

WatchFeedModel::RowKind WatchFeedModel::kindAt(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() ? m_rows[size_t(row)].kind : RowKind::Entry;
}

KvEntry WatchFeedModel::entryAt(int row) const
{
    KvEntry entry;
    if (row < 0 || size_t(row) >= m_rows.size() || m_rows[size_t(row)].kind != RowKind::Entry)
        return entry;
    const Row &r = m_rows[size_t(row)];
    entry.key = r.key;
    entry.value = r.value;
    entry.revision = r.revision;
    entry.delta = r.delta;
    entry.created = QDateTime::fromMSecsSinceEpoch(r.createdMs, Qt::UTC);
    entry.operation = r.operation;
    entry.markerReason = r.markerReason;
    entry.ttlNs = r.ttlNs;
    entry.valueSize = r.complete ? -1 : r.size;
    return entry;
}

KvEntry WatchFeedModel::asEntry(const Row &row)
{
    // What the operation's text and colours need, without the value.
    KvEntry entry;
    entry.operation = row.operation;
    entry.markerReason = row.markerReason;
    return entry;
}

bool WatchFeedModel::hasCompleteValue(int row) const
{
    return row >= 0 && size_t(row) < m_rows.size() && m_rows[size_t(row)].complete;
}

QPair<quint64, quint64> WatchFeedModel::gapAt(int row) const
{
    if (kindAt(row) != RowKind::Gap)
        return {0, 0};
    const Row &r = m_rows[size_t(row)];
    return {r.revision, r.delta};
}
