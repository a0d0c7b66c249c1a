#include "keytreemodel.h"

#include "keylistmodel.h"

#include <QtCore/QSet>

using namespace Qt::StringLiterals;

namespace {
constexpr size_t kFewChildren = 8;
}

KeyTreeModel::Node *KeyTreeModel::Node::findChild(const QString &childName) const
{
    if (many)
        return many->value(childName);
    for (Node *child : few) {
        if (child->name == childName)
            return child;
    }
    return nullptr;
}

void KeyTreeModel::Node::indexChild(Node *child)
{
    if (!many && few.size() < kFewChildren) {
        few.push_back(child);
        return;
    }
    if (!many) {
        many = std::make_unique<QHash<QString, Node *>>();
        for (Node *known : few)
            many->insert(known->name, known);
        few.clear();
        few.shrink_to_fit();
    }
    many->insert(child->name, child);
}

KeyTreeModel::KeyTreeModel(KeyListModel *source, QObject *parent)
    : QAbstractItemModel(parent)
    , m_source(source)
{
    connect(source, &QAbstractItemModel::modelReset, this, &KeyTreeModel::rebuild);
    connect(source, &QAbstractItemModel::rowsInserted, this, &KeyTreeModel::onRowsInserted);
    connect(source, &QAbstractItemModel::dataChanged, this, &KeyTreeModel::onDataChanged);
    rebuild();
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
    return int(nodeOf(parent)->children.size());
}

KeyTreeModel::Node *KeyTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return const_cast<Node *>(&m_root);
    return static_cast<Node *>(index.internalPointer());
}

QModelIndex KeyTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *node = nodeOf(parent)->children[size_t(row)].get();
    return createIndex(row, column, node);
}

QModelIndex KeyTreeModel::indexOf(const Node *node, int column) const
{
    if (!node || node == &m_root)
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QModelIndex KeyTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

QVariant KeyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_source ? m_source->headerData(section, orientation, role) : QVariant();
}

QString KeyTreeModel::pathOf(const Node *node) const
{
    QStringList parts;
    for (const Node *n = node; n && n != &m_root; n = n->parent)
        parts.prepend(n->name);
    return parts.join(u'.');
}

QVariant KeyTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || !m_source)
        return {};
    const Node *node = nodeOf(index);
    const bool folder = !node->children.empty();
    switch (role) {
    case IsFolderRole:
        return node->sourceRow < 0;
    case PathRole:
        return pathOf(node);
    case LiveCountRole:
        return node->liveCount;
    case SourceRowRole:
        return node->sourceRow;
    default:
        break;
    }
    if (index.column() == KeyListModel::KeyColumn && role == Qt::DisplayRole) {
        if (folder)
            return u"%1 (%2)"_s.arg(node->name).arg(node->liveCount);
        return node->name;
    }
    if (node->sourceRow >= 0)
        return m_source->data(m_source->index(node->sourceRow, index.column()), role);
    if (role == KeyListModel::KeyRole || (role == KeyListModel::RawValueRole && index.column() == 0))
        return pathOf(node);
    if (role == KeyListModel::DeletedRole)
        return false;
    return {};
}

QModelIndex KeyTreeModel::indexForPath(const QString &path) const
{
    const Node *node = &m_root;
    for (const QString &token : path.split(u'.')) {
        node = node->findChild(token);
        if (!node)
            return {};
    }
    return indexOf(node);
}

bool KeyTreeModel::isLive(int sourceRow) const
{
    return !m_source->data(m_source->index(sourceRow, 0), KeyListModel::DeletedRole).toBool();
}

void KeyTreeModel::rebuild()
{
    beginResetModel();
    m_root.children.clear();
    m_root.few.clear();
    m_root.many.reset();
    m_names.clear();
    m_root.liveCount = 0;
    m_leafBySourceRow.clear();
    m_liveBySourceRow.clear();
    endResetModel();
    if (m_source && m_source->rowCount() > 0)
        onRowsInserted({}, 0, m_source->rowCount() - 1);
}

KeyTreeModel::Node *KeyTreeModel::childFor(Node *parent, const QString &name, PendingInserts *pending,
                                           QSet<const Node *> *fresh)
{
    if (Node *existing = parent->findChild(name))
        return existing;
    auto node = std::make_unique<Node>();
    node->name = *m_names.insert(name);
    node->parent = parent;
    Node *raw = node.get();
    parent->indexChild(raw);
    fresh->insert(raw);
    // Under a node already in the model the new child waits for one grouped insert; under a node that
    // is itself new in this batch it simply comes along when that node is inserted.
    if (fresh->contains(parent)) {
        raw->row = int(parent->children.size());
        parent->children.push_back(std::move(node));
    } else {
        (*pending)[parent].push_back(std::move(node));
    }
    return raw;
}

void KeyTreeModel::adjustCounts(Node *node, int delta, QList<Node *> *touched)
{
    for (Node *n = node; n; n = n->parent) {
        n->liveCount += delta;
        if (n != &m_root)
            touched->append(n);
    }
}

void KeyTreeModel::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid() || !m_source)
        return;
    PendingInserts pending;
    QSet<const Node *> fresh;
    QList<Node *> touched;
    m_leafBySourceRow.resize(size_t(last) + 1, nullptr);
    m_liveBySourceRow.resize(size_t(last) + 1, false);
    for (int row = first; row <= last; ++row) {
        Node *node = &m_root;
        for (const QString &token : m_source->keyAt(row).split(u'.'))
            node = childFor(node, token, &pending, &fresh);
        node->sourceRow = row;
        m_leafBySourceRow[size_t(row)] = node;
        const bool live = isLive(row);
        m_liveBySourceRow[size_t(row)] = live;
        if (live)
            adjustCounts(node, 1, &touched);
    }
    // One insert per folder that was already shown.
    for (auto &[folder, nodes] : pending) {
        const int start = int(folder->children.size());
        beginInsertRows(indexOf(folder), start, start + int(nodes.size()) - 1);
        for (std::unique_ptr<Node> &node : nodes) {
            node->row = int(folder->children.size());
            folder->children.push_back(std::move(node));
        }
        endInsertRows();
    }
    // Counts shown by folders that existed before changed.
    QSet<Node *> done;
    for (Node *node : std::as_const(touched)) {
        if (!done.contains(node) && !fresh.contains(node)) {
            done.insert(node);
            const QModelIndex idx = indexOf(node);
            Q_EMIT dataChanged(idx, idx, {Qt::DisplayRole, LiveCountRole});
        }
    }
}

void KeyTreeModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    if (!m_source)
        return;
    QList<Node *> touched;
    for (int row = topLeft.row(); row <= bottomRight.row() && size_t(row) < m_leafBySourceRow.size(); ++row) {
        Node *node = m_leafBySourceRow[size_t(row)];
        if (!node)
            continue;
        const bool live = isLive(row);
        if (live != m_liveBySourceRow[size_t(row)]) {
            m_liveBySourceRow[size_t(row)] = live;
            adjustCounts(node, live ? 1 : -1, &touched);
        }
        Q_EMIT dataChanged(indexOf(node, 0), indexOf(node, KeyListModel::ColumnCount - 1));
    }
    QSet<Node *> done;
    for (Node *node : std::as_const(touched)) {
        if (!done.contains(node)) {
            done.insert(node);
            const QModelIndex idx = indexOf(node);
            Q_EMIT dataChanged(idx, idx, {Qt::DisplayRole, LiveCountRole});
        }
    }
}
