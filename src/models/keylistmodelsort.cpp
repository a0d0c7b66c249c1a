#include "keylistmodel.h"

#include "keysorter.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

#include <algorithm>
#include <limits>

// KeyListModel's row order: by key (KeyCollation), or by another column with ties in key order, sorted
// in steps of a few ms (KeySorter) so that a million rows never hold the event loop.

namespace {
// A sort step: well under the 50 ms a user notices as a stall, also when a busy machine stretches it.
constexpr int kSortStepMs = 8;
// A sort the user asked for on up to this many rows is done at once (a few ms): no "Sorting…" flicker.
constexpr size_t kSortAtOnce = 20000;
} // namespace

qint64 KeyListModel::sortValue(quint32 id) const
{
    switch (m_sortColumn) {
    case RevisionColumn:
        return qint64(m_store.revision(id));
    case OperationColumn:
        return int(m_store.operation(id));
    case UpdatedColumn:
        return m_store.createdMs(id);
    case SizeColumn:
        return m_store.valueSize(id);
    case ExpiresColumn:
        return m_store.ttlNs(id) > 0 ? m_store.createdMs(id) + m_store.ttlNs(id) / 1000000
                                     : std::numeric_limits<qint64>::max();
    default:
        return 0; // by key
    }
}

int KeyListModel::compareRows(quint32 a, quint32 b, qint64 valueA, qint64 valueB) const
{
    // Descending reverses the column's values; equal values stay in ascending key order (as the proxy's
    // stable sort kept them).
    if (m_sortColumn != KeyColumn && valueA != valueB)
        return (valueA < valueB) != m_descending ? -1 : 1;
    const int c = KeyCollation::compare(m_store.key(a), m_store.key(b), m_collation);
    return m_sortColumn == KeyColumn && m_descending ? -c : c;
}

bool KeyListModel::less(quint32 a, quint32 b) const
{
    return compareRows(a, b, sortValue(a), sortValue(b)) < 0;
}

bool KeyListModel::sortedLess(quint32 a, quint32 b) const
{
    // The values as they were when the sort began: a row written meanwhile must not leave the merge sort
    // with an order it contradicts (it is put at its place afterwards).
    if (m_sortColumn == KeyColumn)
        return less(a, b);
    return compareRows(a, b, m_sortValues[a], m_sortValues[b]) < 0;
}

void KeyListModel::startSort()
{
    if (m_sorted) {
        m_sorted = false;
        m_rowOfStale = true; // rows are found through an id -> row table until sorted again
    }
    m_movedWhileSorting.clear();
    m_sortValues = {};
    if (m_sortColumn != KeyColumn)
        m_sortValues.reserve(m_store.size()); // filled by the first steps
    m_sorter = std::make_unique<KeySorter>(m_order, [this](quint32 a, quint32 b) { return sortedLess(a, b); });
    m_sortTimer->start();
}

void KeyListModel::sortStep()
{
    if (!m_sorter)
        return;
    if (m_sortColumn != KeyColumn && m_sortValues.size() < m_store.size()) {
        // The column's values first, by id (the store's arrays read one after the other), a few ms at a
        // time: 8 MB for a million keys filled in one go took ~100 ms on a busy machine.
        QElapsedTimer clock;
        clock.start();
        while (m_sortValues.size() < m_store.size() && clock.elapsed() < kSortStepMs) {
            const size_t end = std::min<size_t>(m_store.size(), m_sortValues.size() + 65536);
            for (auto id = quint32(m_sortValues.size()); id < end; ++id)
                m_sortValues.push_back(sortValue(id));
        }
        m_sortTimer->start();
        return;
    }
    if (!m_sorter->isDone()) {
        // The sorter's last step and the new order's layout change (the proxies re-map a million rows)
        // are each a turn of their own: together they passed 40 ms.
        m_sorter->step(kSortStepMs);
        m_sortTimer->start();
        if (m_stage == Stage::Sorting)
            Q_EMIT loadingProgress(m_loaded, std::max(m_expected, m_loaded));
        return;
    }
    std::vector<quint32> order = m_sorter->take();
    m_sorter.reset();
    m_sortTimer->stop();
    // Keys that came while sorting (a sorted snapshot holds the rest) and rows whose value changed: to
    // their place.
    std::vector<quint32> late(m_order.begin() + qsizetype(order.size()), m_order.end());
    applyOrder(mergeInOrder(std::move(order), std::move(late), std::exchange(m_movedWhileSorting, {})));
    m_sortValues = {};
    if (m_stage == Stage::Sorting && !m_initialLoad)
        finishLoading(m_failed);
}

std::vector<quint32> KeyListModel::mergeInOrder(std::vector<quint32> sorted, std::vector<quint32> extra,
                                                const std::vector<quint32> &moved) const
{
    // sorted without the moved rows is in order by today's values; the rest go in by one merge: O(n), no
    // shift of a million rows per row.
    if (!moved.empty()) {
        std::vector<bool> isMoved(m_store.size(), false);
        for (const quint32 id : moved)
            isMoved[id] = true;
        const auto movedOut = [&](quint32 id) { return bool(isMoved[id]); };
        sorted.erase(std::remove_if(sorted.begin(), sorted.end(), movedOut), sorted.end());
        extra.erase(std::remove_if(extra.begin(), extra.end(), movedOut), extra.end());
        for (const quint32 id : moved) {
            if (isMoved[id]) { // once, however often it was written
                isMoved[id] = false;
                extra.push_back(id);
            }
        }
    }
    const auto byOrder = [this](quint32 a, quint32 b) { return less(a, b); };
    std::sort(extra.begin(), extra.end(), byOrder);
    std::vector<quint32> merged(sorted.size() + extra.size());
    std::merge(sorted.begin(), sorted.end(), extra.begin(), extra.end(), merged.begin(), byOrder);
    return merged;
}

void KeyListModel::placeMovedRows(const std::vector<quint32> &ids)
{
    if (ids.empty() || m_sortColumn == KeyColumn)
        return;
    if (m_sorter) {
        m_movedWhileSorting.insert(m_movedWhileSorting.end(), ids.begin(), ids.end());
        return;
    }
    if (!m_sorted)
        return; // streaming in unsorted: the sort after the load sees the values as they are then
    applyOrder(mergeInOrder(m_order, {}, ids));
}

void KeyListModel::applyOrder(std::vector<quint32> order)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::vector<quint32> ids;
    ids.reserve(size_t(before.size()));
    for (const QModelIndex &index : before)
        ids.push_back(idAt(index.row()));
    m_order = std::move(order);
    m_sorted = true;
    m_rowOf = {}; // found by binary search from now on
    m_rowOfStale = false;
    QModelIndexList after;
    after.reserve(before.size());
    for (qsizetype i = 0; i < before.size(); ++i)
        after.append(index(rowOfId(ids[size_t(i)]), before[i].column()));
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
    Q_EMIT sorted();
}

void KeyListModel::setCollation(KeyCollation::Order order)
{
    if (m_collation == order)
        return;
    m_collation = order;
    m_keyOrderKept = {};
    startSort();
}

void KeyListModel::setKeyOrder(Qt::SortOrder order)
{
    setSortOrder(KeyColumn, order);
}

void KeyListModel::setSortOrder(int column, Qt::SortOrder order)
{
    column = column < 0 || column >= ColumnCount ? int(KeyColumn) : column;
    const bool descending = order == Qt::DescendingOrder;
    if (m_sortColumn == column && m_descending == descending)
        return;
    const bool settled = m_sorted && !m_sorter;
    if (settled && m_sortColumn == KeyColumn && column != KeyColumn) {
        m_keyOrderKept = m_order;
        m_keptDescending = m_descending;
    }
    std::vector<quint32> keyOrder;
    if (settled && m_sortColumn == KeyColumn && column == KeyColumn) {
        keyOrder = m_order;
        m_keptDescending = m_descending;
    } else if (column == KeyColumn && m_keyOrderKept.size() == m_order.size()) {
        keyOrder = std::exchange(m_keyOrderKept, {});
    }
    m_sortColumn = column;
    m_descending = descending;
    if (!keyOrder.empty()) {
        // The key order at hand, or its reverse (of a total order: no comparisons needed); a sort by
        // another column under way is not needed any more.
        m_sorter.reset();
        m_sortTimer->stop();
        m_movedWhileSorting.clear();
        m_sortValues = {};
        if (m_keptDescending != descending)
            std::reverse(keyOrder.begin(), keyOrder.end());
        applyOrder(std::move(keyOrder));
        if (m_stage == Stage::Sorting && !m_initialLoad)
            finishLoading(m_failed);
        return;
    }
    if (m_initialLoad)
        return;  // sorted at the end of the load, in this order
    startSort(); // a sort under way was for the other order
    if (m_order.size() <= kSortAtOnce) {
        while (m_sorter)
            sortStep();
        return;
    }
    // The status line says "Sorting n keys…" with its progress, as after a load.
    if (m_stage == Stage::Idle) {
        m_stage = Stage::Sorting;
        Q_EMIT loadingProgress(m_loaded, std::max(m_expected, m_loaded));
    }
}
