#include "keytreemodel.h"

#include "humanformat.h"
#include "keyfilterpass.h"
#include "keylistmodel.h"
#include "keysorter.h"
#include "kvnames.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
// A build step: well under the 50 ms a user notices as a stall, also when a busy machine stretches it.
constexpr int kBuildStepMs = 8;
constexpr int kBuildChunk = 512;
// Up to this many keys the tree is built at once (a few ms): a caller can select a key right away.
constexpr int kBuildAtOnce = 20000;
} // namespace

quint32 KeyTreeModel::NodeArray::push_back(const Node &node)
{
    if ((m_size & kMask) == 0)
        m_blocks.push_back(std::make_unique<Node[]>(size_t(1) << kShift));
    (*this)[m_size] = node;
    return m_size++;
}

void KeyTreeModel::NodeArray::reset()
{
    m_blocks.clear();
    m_size = 0;
    push_back(Node{}); // the root
}

KeyTreeModel::KeyTreeModel(KeyListModel *source, QObject *parent)
    : QAbstractItemModel(parent)
    , m_source(source)
    , m_buildTimer(new QTimer(this))
{
    m_matchTimer = new QTimer(this);
    m_orderTimer = new QTimer(this);
    for (QTimer *timer : {m_buildTimer, m_matchTimer, m_orderTimer}) {
        timer->setSingleShot(true);
        timer->setInterval(0);
    }
    connect(m_buildTimer, &QTimer::timeout, this, &KeyTreeModel::buildStep);
    connect(m_matchTimer, &QTimer::timeout, this, &KeyTreeModel::matchStep);
    connect(m_orderTimer, &QTimer::timeout, this, &KeyTreeModel::columnOrderStep);
    connect(source, &QAbstractItemModel::modelReset, this, &KeyTreeModel::reset);
    connect(source, &QAbstractItemModel::rowsInserted, this, &KeyTreeModel::onRowsInserted);
    connect(source, &QAbstractItemModel::dataChanged, this, &KeyTreeModel::onDataChanged);
    connect(source, &KeyListModel::sorted, this, &KeyTreeModel::onListSorted);
    connect(source, &KeyListModel::loadingStarted, this, [this] {
        // Keys come unsorted now: follow them as they come (a child found through the index, not by
        // binary search, and appended), and build again in order once the list is sorted.
        if (m_nodes.size() == 1 && m_ordered) {
            m_ordered = false;
            m_index.assign(64, 0);
        }
    });
    reset();
}

KeyTreeModel::~KeyTreeModel() = default;

int KeyTreeModel::columnCount(const QModelIndex &) const
{
    return KeyListModel::ColumnCount;
}

int KeyTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(m_nodes[nodeOf(parent)].childCount);
}

quint32 KeyTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? quint32(index.internalId()) : 0;
}

quint32 KeyTreeModel::childAt(quint32 node, quint32 storedRow) const
{
    const Node &n = m_nodes[node];
    return n.childCount == 1 ? n.children : m_lists[n.children][storedRow];
}

int KeyTreeModel::visibleRow(quint32 node) const
{
    if (inColumnOrder())
        return int(m_viewRow[node]);
    const Node &n = m_nodes[node];
    return m_descending ? int(m_nodes[n.parent].childCount - 1 - n.row) : int(n.row);
}

QModelIndex KeyTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    const quint32 p = nodeOf(parent);
    const quint32 count = m_nodes[p].childCount;
    if (inColumnOrder()) {
        const Node &n = m_nodes[p];
        return createIndex(row, column, quintptr(count == 1 ? n.children : m_viewLists[n.children][size_t(row)]));
    }
    const quint32 stored = m_descending ? count - 1 - quint32(row) : quint32(row);
    return createIndex(row, column, quintptr(childAt(p, stored)));
}

QModelIndex KeyTreeModel::indexOf(quint32 node, int column) const
{
    if (node == 0)
        return {};
    return createIndex(visibleRow(node), column, quintptr(node));
}

QModelIndex KeyTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(m_nodes[nodeOf(child)].parent);
}

QVariant KeyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source ? m_source->headerData(section, orientation, role) : QVariant();
}

QByteArrayView KeyTreeModel::nameOf(quint32 node) const
{
    const Node &n = m_nodes[node];
    return m_source->store().key(n.nameKey).sliced(n.nameEnd - n.nameLen, n.nameLen);
}

QByteArrayView KeyTreeModel::pathOf(quint32 node) const
{
    const Node &n = m_nodes[node];
    return m_source->store().key(n.nameKey).first(n.nameEnd);
}

QVariant KeyTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_source)
        return {};
    const quint32 id = nodeOf(index);
    const Node &node = m_nodes[id];
    switch (role) {
    case IsFolderRole:
        return node.keyId < 0;
    case PathRole:
        return KvNames::keyFromSubject(pathOf(id));
    case LiveCountRole:
        return node.liveCount;
    case MatchCountRole:
        return shownCount(id);
    case SourceRowRole:
        return node.keyId < 0 ? -1 : m_source->rowOfId(quint32(node.keyId));
    default:
        break;
    }
    if (index.column() == KeyListModel::KeyColumn && role == Qt::DisplayRole) {
        const QString name = KvNames::displayKey(KvNames::keyFromSubject(nameOf(id)));
        return node.childCount > 0 ? u"%1 (%2)"_s.arg(name, HumanFormat::count(qint64(shownCount(id)))) : name;
    }
    if (node.keyId >= 0) {
        const int row = m_source->rowOfId(quint32(node.keyId));
        return m_source->data(m_source->index(row, index.column()), role);
    }
    if (role == KeyListModel::KeyRole || (role == KeyListModel::RawValueRole && index.column() == 0))
        return KvNames::keyFromSubject(pathOf(id));
    if (role == KeyListModel::DeletedRole)
        return false;
    return {};
}

QModelIndex KeyTreeModel::indexForPath(const QString &path) const
{
    const QByteArray utf8 = KvNames::keySubject(path);
    quint32 node = 0;
    qsizetype start = 0;
    for (;;) {
        const qsizetype dot = utf8.indexOf('.', start);
        const qsizetype end = dot < 0 ? utf8.size() : dot;
        node = findChild(node, QByteArrayView(utf8).sliced(start, end - start));
        if (node == 0)
            return {};
        if (dot < 0)
            return indexOf(node);
        start = dot + 1;
    }
}

int KeyTreeModel::buildPermille() const
{
    if (!m_building || !m_source || m_source->rowCount() == 0)
        return 1000;
    if (m_buildSorter)
        return 0; // the keys are being put in order
    return m_buildOrder.empty() ? 1000 : int(qint64(m_buildCursor) * 1000 / qint64(m_buildOrder.size()));
}

qsizetype KeyTreeModel::bytesUsed() const
{
    qsizetype bytes = m_nodes.bytesUsed() + qsizetype(m_lists.capacity() * sizeof(m_lists[0]));
    for (const std::vector<quint32> &list : m_lists)
        bytes += qsizetype(list.capacity() * sizeof(quint32));
    bytes += qsizetype(m_index.capacity() * sizeof(quint32) + (m_inTree.capacity() + m_liveOf.capacity()) / 8);
    bytes += qsizetype(m_matchCount.capacity() * sizeof(quint32) + m_matched.capacity() / 8);
    return bytes;
}

qint64 KeyTreeModel::keyIdOf(const QModelIndex &index) const
{
    return index.isValid() ? m_nodes[nodeOf(index)].keyId : -1;
}

const KeyStore &KeyTreeModel::store() const
{
    return m_source->store();
}

bool KeyTreeModel::isLive(quint32 keyId) const
{
    return !m_source->store().isDeleted(keyId);
}

void KeyTreeModel::reset()
{
    beginResetModel();
    m_buildTimer->stop();
    m_orderTimer->stop();
    m_ordering.reset();
    m_viewLists = {};
    m_viewRow = {};
    if (m_matchPass) // other nodes (and maybe other keys): matched again
        startMatchPass(std::exchange(m_nextFilter, {}));
    m_nodes.reset();
    m_lists = {};
    m_inTree = {};
    m_liveOf = {};
    m_matched = {};
    m_matchCount = m_matchFilter ? std::vector<quint32>(1, 0) : std::vector<quint32>();
    m_buildOrder = {};
    m_buildSorter.reset();
    m_building = false;
    m_ordered = !m_source || !m_source->isReceivingInitialKeys();
    m_index = m_ordered ? std::vector<quint32>() : std::vector<quint32>(64, 0);
    m_collation = m_source ? m_source->collation() : KeyCollation::Order::Natural;
    endResetModel();
    if (m_source && m_source->rowCount() > 0)
        startBuild();
}

void KeyTreeModel::startBuild()
{
    // A snapshot of the ids, ascending: rows move as the list sorts or takes keys, ids do not.
    const int rows = m_source->rowCount();
    m_buildOrder.resize(size_t(rows));
    const bool reversed = m_source->keyOrder() == Qt::DescendingOrder && m_source->isKeyOrdered();
    for (int row = 0; row < rows; ++row)
        m_buildOrder[size_t(reversed ? rows - 1 - row : row)] = m_source->idAt(row);
    m_buildCursor = 0;
    m_building = true;
    if (m_ordered && !m_source->isKeyOrdered()) {
        // The list is in another order (another column, or being sorted): put the ids in key order first,
        // in steps too, so that each key is added after its folder's other children (no insert in the middle).
        const KeyStore *store = &m_source->store();
        m_buildSorter = std::make_unique<KeySorter>(
            std::exchange(m_buildOrder, {}), [this, store](quint32 a, quint32 b) {
                return KeyCollation::compare(store->key(a), store->key(b), m_collation) < 0;
            });
    }
    if (rows <= kBuildAtOnce) {
        while (m_building)
            buildStep();
        m_buildTimer->stop();
        return;
    }
    m_buildTimer->start();
    Q_EMIT buildProgress();
}

void KeyTreeModel::buildStep()
{
    if (m_buildSorter) {
        if (!m_buildSorter->step(kBuildStepMs)) {
            m_buildTimer->start();
            Q_EMIT buildProgress();
            return;
        }
        m_buildOrder = m_buildSorter->take();
        m_buildSorter.reset();
    }
    QElapsedTimer clock;
    clock.start();
    while (m_buildCursor < int(m_buildOrder.size()) && clock.elapsed() < kBuildStepMs) {
        const int end = std::min(int(m_buildOrder.size()), m_buildCursor + kBuildChunk);
        std::vector<quint32> ids;
        ids.reserve(size_t(end - m_buildCursor));
        for (int i = m_buildCursor; i < end; ++i) {
            const quint32 id = m_buildOrder[size_t(i)];
            if (id >= m_inTree.size() || !m_inTree[id])
                ids.push_back(id);
        }
        m_buildCursor = end;
        addKeys(ids);
    }
    if (m_buildCursor < int(m_buildOrder.size())) {
        m_buildTimer->start();
    } else {
        m_building = false;
        m_buildOrder = {};
        if (m_sortColumn != KeyListModel::KeyColumn)
            startColumnOrder(); // built in key order: now in the other column's
    }
    Q_EMIT buildProgress();
}

void KeyTreeModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || !m_source)
        return;
    std::vector<quint32> ids;
    ids.reserve(size_t(last - first + 1));
    for (int row = first; row <= last; ++row)
        ids.push_back(m_source->idAt(row));
    addKeys(ids);
}

void KeyTreeModel::onListSorted()
{
    // Built from keys in the order they came (or for another collation): build again, in order.
    if (!m_ordered || m_collation != m_source->collation())
        reset();
    else if (m_sortColumn != KeyListModel::KeyColumn && !m_building)
        startColumnOrder(); // the list's order of that column changed (keys came, values changed)
}

void KeyTreeModel::addKeys(const std::vector<quint32> &unsortedIds)
{
    if (unsortedIds.empty())
        return;
    std::vector<quint32> ids = unsortedIds;
    if (m_ordered) {
        // In key order, a folder's new children come after each other: one insert, not one each.
        const KeyStore &store = m_source->store();
        std::sort(ids.begin(), ids.end(), [&](quint32 a, quint32 b) {
            return KeyCollation::compare(store.key(a), store.key(b), m_collation) < 0;
        });
    }
    const auto firstNew = quint32(m_nodes.size());
    if (m_inTree.size() < m_source->store().size()) {
        m_inTree.resize(m_source->store().size(), false);
        m_liveOf.resize(m_source->store().size(), false);
        if (m_matchFilter)
            m_matched.resize(m_source->store().size(), false);
    }
    Pending pending;
    QSet<quint32> touched;
    for (const quint32 id : ids) {
        if (!m_inTree[id])
            addKey(id, firstNew, &pending, &touched);
    }
    m_pendingIndex.clear();
    insertPending(&pending);
    announceCounts(touched);
    if (m_sortColumn != KeyListModel::KeyColumn && !m_building) {
        // New keys came last among their siblings: in their place once worked out again.
        if (m_ordering)
            m_orderAgain = true;
        else
            startColumnOrder();
    }
}

quint32 KeyTreeModel::addKey(quint32 id, quint32 firstNew, Pending *pending, QSet<quint32> *touched)
{
    const QByteArrayView key = m_source->store().key(id);
    quint32 node = 0;
    qsizetype start = 0;
    for (;;) {
        const qsizetype dot = key.indexOf('.', start);
        const qsizetype end = dot < 0 ? key.size() : dot;
        quint32 child = findChild(node, key.sliced(start, end - start));
        if (child == 0) {
            child = createNode(node, id, end, end - start);
            // Under a node new in this batch the child comes along when that node is inserted; under
            // one already shown it waits for a grouped insert.
            if (node >= firstNew) {
                placeChild(node, child);
            } else {
                pending->emplace_back(node, child);
                if (m_ordered)
                    m_pendingIndex.emplace(slotHash(node, nameOf(child)), child);
            }
        }
        node = child;
        if (dot < 0)
            break;
        start = dot + 1;
    }
    m_nodes[node].keyId = qint32(id);
    m_inTree[id] = true;
    m_liveOf[id] = isLive(id);
    if (m_liveOf[id])
        adjustCounts(node, 1, firstNew, touched);
    if (m_matchFilter || m_matchPass)
        matchKey(id, node, firstNew, touched);
    return node;
}

quint32 KeyTreeModel::nodeOfKey(quint32 id) const
{
    // The path walked again (no key -> node table: 4 bytes a key); for changes, which are few.
    const QByteArrayView key = m_source->store().key(id);
    quint32 node = 0;
    qsizetype start = 0;
    for (;;) {
        const qsizetype dot = key.indexOf('.', start);
        const qsizetype end = dot < 0 ? key.size() : dot;
        node = findChild(node, key.sliced(start, end - start));
        if (node == 0 || dot < 0)
            return node;
        start = dot + 1;
    }
}

quint32 KeyTreeModel::createNode(quint32 parent, quint32 keyId, qsizetype end, qsizetype len)
{
    Node node;
    node.parent = parent;
    node.nameKey = keyId;
    node.nameEnd = quint16(std::min<qsizetype>(end, 0xffff));
    node.nameLen = quint16(std::min<qsizetype>(len, node.nameEnd));
    const quint32 id = m_nodes.push_back(node);
    if (m_matchFilter)
        m_matchCount.push_back(0);
    if (!m_ordered)
        indexNode(id);
    return id;
}

void KeyTreeModel::adjustCounts(quint32 node, int delta, quint32 firstNew, QSet<quint32> *touched)
{
    for (quint32 n = node;; n = m_nodes[n].parent) {
        m_nodes[n].liveCount = quint32(int(m_nodes[n].liveCount) + delta);
        if (n == 0)
            return;
        if (n < firstNew)
            touched->insert(n);
    }
}

void KeyTreeModel::announceCounts(const QSet<quint32> &touched)
{
    for (const quint32 node : touched) {
        const QModelIndex idx = indexOf(node);
        Q_EMIT dataChanged(idx, idx, {Qt::DisplayRole, LiveCountRole, MatchCountRole});
    }
}

void KeyTreeModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    if (!m_source)
        return;
    QSet<quint32> touched;
    const auto noneNew = quint32(m_nodes.size());
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const quint32 id = m_source->idAt(row);
        const quint32 node = id < m_inTree.size() && m_inTree[id] ? nodeOfKey(id) : 0;
        if (node == 0)
            continue;
        const bool live = isLive(id);
        if (live != m_liveOf[id]) {
            m_liveOf[id] = live;
            adjustCounts(node, live ? 1 : -1, noneNew, &touched);
        }
        if (m_matchFilter || m_matchPass)
            matchKey(id, node, noneNew, &touched);
        Q_EMIT dataChanged(indexOf(node, 0), indexOf(node, KeyListModel::ColumnCount - 1));
    }
    announceCounts(touched);
}

size_t KeyTreeModel::slotHash(quint32 parent, QByteArrayView name) const
{
    return qHash(name, size_t(parent) * 0x9E3779B97F4A7C15ull);
}

quint32 KeyTreeModel::findChild(quint32 parent, QByteArrayView name) const
{
    if (m_ordered) {
        // Children in order: the last one first (keys added in order look there), then a binary search.
        const quint32 count = m_nodes[parent].childCount;
        if (!m_pendingIndex.empty()) {
            const auto [first, end] = m_pendingIndex.equal_range(slotHash(parent, name));
            for (auto it = first; it != end; ++it) {
                if (m_nodes[it->second].parent == parent && nameOf(it->second) == name)
                    return it->second;
            }
        }
        if (count == 0)
            return 0;
        const quint32 last = childAt(parent, count - 1);
        const int c = KeyCollation::compareToken(name, nameOf(last), m_collation);
        if (c >= 0)
            return c == 0 ? last : 0;
        quint32 lo = 0;
        quint32 hi = count - 1;
        while (lo < hi) {
            const quint32 mid = (lo + hi) / 2;
            const quint32 child = childAt(parent, mid);
            const int d = KeyCollation::compareToken(name, nameOf(child), m_collation);
            if (d == 0)
                return child;
            if (d < 0)
                hi = mid;
            else
                lo = mid + 1;
        }
        return 0;
    }
    const size_t mask = m_index.size() - 1;
    for (size_t slot = slotHash(parent, name) & mask;; slot = (slot + 1) & mask) {
        const quint32 node = m_index[slot];
        if (node == 0)
            return 0;
        if (m_nodes[node].parent == parent && nameOf(node) == name)
            return node;
    }
}

void KeyTreeModel::indexNode(quint32 node)
{
    if (2 * m_nodes.size() > m_index.size()) {
        growIndex();
        return; // growIndex() indexed every node, this one too
    }
    const size_t mask = m_index.size() - 1;
    size_t slot = slotHash(m_nodes[node].parent, nameOf(node)) & mask;
    while (m_index[slot] != 0)
        slot = (slot + 1) & mask;
    m_index[slot] = node;
}

void KeyTreeModel::growIndex()
{
    size_t capacity = m_index.size();
    while (2 * m_nodes.size() > capacity)
        capacity *= 2;
    m_index.assign(capacity, 0);
    const size_t mask = capacity - 1;
    for (quint32 node = 1; node < m_nodes.size(); ++node) {
        size_t slot = slotHash(m_nodes[node].parent, nameOf(node)) & mask;
        while (m_index[slot] != 0)
            slot = (slot + 1) & mask;
        m_index[slot] = node;
    }
}
