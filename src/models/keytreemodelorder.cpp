#include "keylistmodel.h"
#include "keytreemodel.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

// KeyTreeModel's order: each folder's children in key order (a new child placed by binary search, many
// new ones inserted at once where they follow the last), or by another column than the key (revision,
// size, time, ...): the list sorts itself by it, in steps (KeySorter), and each folder's children follow
// the list's order: walking the list's rows, a key puts its node, and each folder above it not placed
// yet, after the children placed before. A folder so comes where the first key under it is in that
// order (by the newest key under it, sorted by time descending). Worked out in steps of a few ms and kept
// apart from the key order the tree is built and searched in (8 bytes a node while sorted so); the proxy
// sorts nothing.

namespace {
constexpr int kOrderStepMs = 8;
// Nodes or rows between two looks at the clock.
constexpr quint32 kOrderChunk = 8192;
// Up to this many nodes the order is worked out at once (a few ms).
constexpr quint32 kOrderAtOnce = 20000;
} // namespace

void KeyTreeModel::setSortOrder(int column, Qt::SortOrder order)
{
    column = column < 0 || column >= KeyListModel::ColumnCount ? int(KeyListModel::KeyColumn) : column;
    const bool descending = order == Qt::DescendingOrder;
    if (column == KeyListModel::KeyColumn) {
        m_sortColumn = column;
        m_sortDescending = descending;
        m_orderTimer->stop();
        m_ordering.reset();
        if (descending != m_descending || inColumnOrder()) {
            changeOrder([&] {
                m_descending = descending;
                m_viewLists = {};
                m_viewRow = {};
            });
        }
        return;
    }
    if (column == m_sortColumn && descending == m_sortDescending)
        return;
    m_sortColumn = column;
    m_sortDescending = descending;
    if (!m_source)
        return;
    if (listInColumnOrder())
        startColumnOrder(); // no sort to wait for
    else
        m_source->setSortOrder(column, order); // in steps; sorted() then starts the tree's order
}

bool KeyTreeModel::isOrdering() const
{
    return m_ordering
        || (m_sortColumn != KeyListModel::KeyColumn && m_source && m_source->sortColumn() == m_sortColumn
            && !m_source->isSorted());
}

bool KeyTreeModel::listInColumnOrder() const
{
    return m_source && m_source->isSorted() && m_source->sortColumn() == m_sortColumn
        && (m_source->keyOrder() == Qt::DescendingOrder) == m_sortDescending;
}

void KeyTreeModel::changeOrder(const std::function<void()> &change)
{
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    change();
    QModelIndexList after;
    after.reserve(before.size());
    for (const QModelIndex &index : before)
        after.append(indexOf(nodeOf(index), index.column()));
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

void KeyTreeModel::startColumnOrder()
{
    m_orderTimer->stop();
    m_ordering.reset();
    m_orderAgain = false;
    if (m_sortColumn == KeyListModel::KeyColumn || m_building || !listInColumnOrder())
        return;
    // Its tables (12 bytes a node) are filled in the steps: touching 20 MB at once costs tens of ms.
    auto ordering = std::make_unique<ColumnOrdering>();
    ordering->nodes = m_nodes.size();
    ordering->nodeOfId.reserve(m_source->store().size());
    ordering->placed.assign(ordering->nodes, false);
    ordering->lists.resize(m_lists.size());
    ordering->rows.reserve(ordering->nodes);
    m_ordering = std::move(ordering);
    if (m_nodes.size() <= kOrderAtOnce) {
        while (!orderingStep(-1)) {}
        applyColumnOrder();
        return;
    }
    m_orderTimer->start();
}

void KeyTreeModel::columnOrderStep()
{
    if (!m_ordering)
        return;
    if (!orderingStep(kOrderStepMs)) {
        m_orderTimer->start();
        return;
    }
    applyColumnOrder();
}

bool KeyTreeModel::orderingStep(int budgetMs)
{
    ColumnOrdering &o = *m_ordering;
    QElapsedTimer clock;
    clock.start();
    const auto late = [&] { return budgetMs >= 0 && clock.elapsed() >= budgetMs; };
    const size_t keys = m_source->store().size();
    while (!o.mapped && (o.nodeOfId.size() < keys || o.rows.size() < o.nodes)) {
        o.nodeOfId.resize(std::min(keys, o.nodeOfId.size() + 32 * kOrderChunk), 0);
        o.rows.resize(std::min<size_t>(o.nodes, o.rows.size() + 32 * kOrderChunk), 0);
        o.cursor = 1; // the root has no key
        if (late())
            return false;
    }
    while (!o.mapped) { // each key's node, nodes read one after the other
        const auto end = quint32(std::min<size_t>(o.nodes, o.cursor + kOrderChunk));
        for (auto node = quint32(o.cursor); node < end; ++node) {
            if (m_nodes[node].keyId >= 0)
                o.nodeOfId[size_t(m_nodes[node].keyId)] = node;
        }
        o.cursor = end;
        if (end >= o.nodes) {
            o.mapped = true;
            o.cursor = 0;
        } else if (late()) {
            return false;
        }
    }
    // The keys in the list's order (keys that come meanwhile have the tree work it out again).
    const auto rows = size_t(m_source->rowCount());
    while (o.cursor < rows) {
        const size_t end = std::min(rows, o.cursor + kOrderChunk);
        for (; o.cursor < end; ++o.cursor) {
            const quint32 id = m_source->idAt(int(o.cursor));
            for (quint32 node = id < o.nodeOfId.size() ? o.nodeOfId[id] : 0;
                 node != 0 && node < o.nodes && !o.placed[node]; node = m_nodes[node].parent) {
                o.placed[node] = true;
                const Node &parent = m_nodes[m_nodes[node].parent];
                if (parent.childCount >= 2 && parent.children < o.lists.size()) {
                    std::vector<quint32> &list = o.lists[parent.children];
                    if (list.empty())
                        list.reserve(parent.childCount);
                    o.rows[node] = quint32(list.size());
                    list.push_back(node);
                }
            }
        }
        if (o.cursor < rows && late())
            return false;
    }
    return true;
}

void KeyTreeModel::applyColumnOrder()
{
    const std::unique_ptr<ColumnOrdering> o = std::move(m_ordering);
    // What came meanwhile (new nodes, a folder's second child) goes after the rest, in key order.
    const size_t oldSlots = o->lists.size();
    o->rows.resize(m_nodes.size(), 0);
    o->placed.resize(m_nodes.size(), false);
    o->lists.resize(m_lists.size());
    for (size_t slot = 0; slot < m_lists.size(); ++slot) {
        std::vector<quint32> &list = o->lists[slot];
        if (list.size() == m_lists[slot].size())
            continue;
        if (slot >= oldSlots)
            list.clear();
        for (const quint32 child : m_lists[slot]) {
            if (slot >= oldSlots || !o->placed[child]) {
                o->rows[child] = quint32(list.size());
                list.push_back(child);
            }
        }
    }
    changeOrder([&] {
        m_viewLists = std::move(o->lists);
        m_viewRow = std::move(o->rows);
    });
    if (std::exchange(m_orderAgain, false))
        startColumnOrder();
}

void KeyTreeModel::placeInView(quint32 parent, quint32 child)
{
    // A node that came while sorted by another column: after its siblings, until the list is sorted again.
    if (m_viewRow.size() < m_nodes.size())
        m_viewRow.resize(m_nodes.size(), 0);
    const Node &p = m_nodes[parent];
    if (p.childCount < 2) {
        m_viewRow[child] = 0;
        return;
    }
    if (m_viewLists.size() < m_lists.size())
        m_viewLists.resize(m_lists.size());
    std::vector<quint32> &list = m_viewLists[p.children];
    if (list.empty()) { // the second child: the first was the only row
        for (const quint32 other : m_lists[p.children]) {
            if (other != child)
                list.push_back(other);
        }
    }
    m_viewRow[child] = quint32(list.size());
    list.push_back(child);
}

quint32 KeyTreeModel::sortedPosition(quint32 parent, quint32 child) const
{
    const Node &p = m_nodes[parent];
    if (!m_ordered || p.childCount == 0)
        return p.childCount;
    const QByteArrayView name = nameOf(child);
    const auto before = [&](quint32 other) { return KeyCollation::compareToken(name, nameOf(other), m_collation) < 0; };
    // Keys built in order come last: one comparison.
    if (!before(childAt(parent, p.childCount - 1)))
        return p.childCount;
    quint32 lo = 0;
    quint32 hi = p.childCount;
    while (lo < hi) {
        const quint32 mid = (lo + hi) / 2;
        if (before(childAt(parent, mid)))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void KeyTreeModel::placeChild(quint32 parent, quint32 child)
{
    const quint32 pos = sortedPosition(parent, child);
    Node &p = m_nodes[parent];
    if (p.childCount == 0) {
        p.children = child;
    } else if (p.childCount == 1) {
        const quint32 only = p.children;
        p.children = quint32(m_lists.size());
        m_lists.push_back(pos == 0 ? std::vector<quint32>{child, only} : std::vector<quint32>{only, child});
    } else {
        std::vector<quint32> &list = m_lists[p.children];
        list.insert(list.begin() + pos, child);
    }
    ++p.childCount;
    for (quint32 row = pos; row < p.childCount; ++row)
        m_nodes[childAt(parent, row)].row = row;
    if (inColumnOrder())
        placeInView(parent, child);
}

void KeyTreeModel::insertPending(Pending *pending)
{
    // Grouped by parent, each parent's new children in the order they came.
    std::stable_sort(pending->begin(), pending->end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    for (size_t i = 0; i < pending->size();) {
        const quint32 parent = (*pending)[i].first;
        size_t end = i;
        while (end < pending->size() && (*pending)[end].first == parent)
            ++end;
        // All after the last child and in order: one insert at the end (the usual case).
        // (In another column's order new children come last, until the list is sorted again.)
        bool append = inColumnOrder() || sortedPosition(parent, (*pending)[i].second) == m_nodes[parent].childCount;
        for (size_t k = i + 1; append && k < end; ++k)
            append = !m_ordered || inColumnOrder()
                || KeyCollation::compareToken(nameOf((*pending)[k - 1].second), nameOf((*pending)[k].second),
                                              m_collation)
                    < 0;
        if (append) {
            const auto count = int(m_nodes[parent].childCount);
            const int n = int(end - i);
            const bool first = m_descending && !inColumnOrder();
            beginInsertRows(indexOf(parent), first ? 0 : count, first ? n - 1 : count + n - 1);
            for (size_t k = i; k < end; ++k)
                placeChild(parent, (*pending)[k].second);
            endInsertRows();
        } else {
            for (size_t k = i; k < end; ++k) {
                const quint32 child = (*pending)[k].second;
                const auto pos = int(sortedPosition(parent, child));
                const int row = m_descending ? int(m_nodes[parent].childCount) - pos : pos;
                beginInsertRows(indexOf(parent), row, row);
                placeChild(parent, child);
                endInsertRows();
            }
        }
        i = end;
    }
}
