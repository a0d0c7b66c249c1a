#pragma once

#include "keycollation.h"

#include <QtCore/QAbstractItemModel>
#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

class KeyFilterPass;
class KeyListModel;
class KeySorter;
class KeyStore;
class QTimer;

// The keys of a KeyListModel as a tree split on ".": "orders.17.status" sits in folder "orders", then
// "17". A folder shows how many live keys it holds. A key can also be a folder ("a" and "a.b" both exist):
// it then has a value and children.
//
// Built for a million keys: a node is 32 bytes in one array, named by a slice of a key in the list's
// KeyStore (no string of its own), children found through one open-addressing index for the whole tree.
// It is built from the list in steps of a few ms (never holding the event loop), in the list's key order
// once the list is sorted, so that a folder's children are in order without sorting them (KeyCollation
// makes the list's order the tree's); keys added later go to their place. While the list's initial keys
// stream in unsorted, the tree follows them as they come and is built again in order when the list is.
class KeyTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyTreeModel)

public:
    enum Role {
        IsFolderRole = Qt::UserRole + 100, // a node without a key of its own
        PathRole,                          // "orders.17": the node's full path
        LiveCountRole,                     // live keys at and below the node
        SourceRowRole,                     // row in the list model, -1 for pure folders
        MatchCountRole,                    // keys at and below the node that the match filter shows
    };

    explicit KeyTreeModel(KeyListModel *source, QObject *parent = nullptr);
    ~KeyTreeModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The index of a key (or folder path), or an invalid index.
    QModelIndex indexForPath(const QString &path) const;
    // Keys of the list not in the tree yet (it is being built in steps).
    bool isBuilding() const { return m_building; }
    // 0..1000 of the build.
    int buildPermille() const;
    // Children in key order, ascending or descending (the proxy asks, instead of sorting), or in the order
    // of another column (KeyListModel::Column): the list is sorted by it (in steps) and each folder's
    // children follow the list's order, a folder where the first key under it is in that order; worked
    // out in steps too, taking effect with one layout change (isOrdering() until then).
    void setSortOrder(int column, Qt::SortOrder order);
    bool isOrdering() const;
    // Bytes the tree holds (nodes, child lists, index): its share of a million keys.
    qsizetype bytesUsed() const;
    // The key id (in store()) of a node of this model, -1 for a pure folder.
    qint64 keyIdOf(const QModelIndex &index) const;
    const KeyStore &store() const;
    // The number of nodes, root included.
    qsizetype nodeCount() const { return qsizetype(m_nodes.size()); }

    // Whether a key is shown (the filter proxy's test). While one is set, every node also counts the keys
    // at and below it that it accepts, kept up to date as keys come and change, and a folder names that
    // count instead of its live keys: "orders (3)" for the three orders a filter shows. Setting one counts
    // again and signals nothing when the tree is small: the caller re-lays out (the proxy invalidates);
    // on a large tree the keys are matched in steps (isMatching()), the counts of the filter before stay
    // until matchFilterApplied(). An empty filter takes effect at once.
    using MatchFilter = std::function<bool(quint32 keyId)>;
    void setMatchFilter(MatchFilter filter);
    bool hasMatchFilter() const { return bool(m_matchFilter); }
    bool isMatching() const { return bool(m_matchPass); }
    // The keys at and below index the match filter accepts (without one: the live keys).
    quint32 matchCountOf(const QModelIndex &index) const;

Q_SIGNALS:
    // The build advanced or ended (isBuilding()).
    void buildProgress();
    // A match filter set in steps took effect: the counts are its own now (the caller re-lays out).
    void matchFilterApplied();

private:
    struct Node
    {
        quint32 parent = 0;
        quint32 row = 0;   // position among the parent's children, ascending
        qint32 keyId = -1; // the key's id in the list's store, -1 for pure folders
        quint32 liveCount = 0;
        quint32 nameKey = 0; // the name is key(nameKey)[nameEnd - nameLen, nameEnd), the path [0, nameEnd)
        quint16 nameEnd = 0; // keys fit in nats-server's 4 KiB control line (and so in 16 bits)
        quint16 nameLen = 0;
        quint32 childCount = 0;
        quint32 children = 0; // the only child's id, or (with two or more) a slot in m_lists
    };
    using Pending = std::vector<std::pair<quint32, quint32>>; // (existing parent, new child)
    // Nodes in blocks of 16,384: growing never copies the nodes or leaves half a vector unused.
    class NodeArray
    {
    public:
        Node &operator[](quint32 i) { return m_blocks[i >> kShift][i & kMask]; }
        const Node &operator[](quint32 i) const { return m_blocks[i >> kShift][i & kMask]; }
        quint32 size() const { return m_size; }
        quint32 push_back(const Node &node);
        void reset();
        qsizetype bytesUsed() const { return qsizetype(m_blocks.size()) * (qsizetype(sizeof(Node)) << kShift); }

    private:
        static constexpr int kShift = 14;
        static constexpr quint32 kMask = (1u << kShift) - 1;
        std::vector<std::unique_ptr<Node[]>> m_blocks;
        quint32 m_size = 0;
    };

    void reset();
    void startBuild();
    void buildStep();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    void onListSorted();
    void addKeys(const std::vector<quint32> &unsortedIds);
    quint32 addKey(quint32 id, quint32 firstNew, Pending *pending, QSet<quint32> *touched);
    quint32 findChild(quint32 parent, QByteArrayView name) const;
    quint32 nodeOfKey(quint32 id) const;
    quint32 createNode(quint32 parent, quint32 keyId, qsizetype end, qsizetype len);
    void placeChild(quint32 parent, quint32 child);
    void insertPending(Pending *pending);
    quint32 childAt(quint32 node, quint32 storedRow) const;
    quint32 sortedPosition(quint32 parent, quint32 child) const;
    void indexNode(quint32 node);
    void growIndex();
    size_t slotHash(quint32 parent, QByteArrayView name) const;
    QByteArrayView nameOf(quint32 node) const;
    QByteArrayView pathOf(quint32 node) const;
    int visibleRow(quint32 node) const;
    QModelIndex indexOf(quint32 node, int column = 0) const;
    quint32 nodeOf(const QModelIndex &index) const;
    void adjustCounts(quint32 node, int delta, quint32 firstNew, QSet<quint32> *touched);
    void announceCounts(const QSet<quint32> &touched);
    quint32 shownCount(quint32 node) const;
    void matchKey(quint32 id, quint32 node, quint32 firstNew, QSet<quint32> *touched);
    void adjustMatches(quint32 node, int delta, quint32 firstNew, QSet<quint32> *touched);
    void startMatchPass(MatchFilter filter);
    void matchStep();
    bool countStep(int budgetMs);
    void countMatches();
    bool isLive(quint32 keyId) const;
    // The order of another column (keytreemodelorder.cpp).
    bool inColumnOrder() const { return !m_viewRow.empty(); }
    bool listInColumnOrder() const;
    void changeOrder(const std::function<void()> &change);
    void startColumnOrder();
    void columnOrderStep();
    bool orderingStep(int budgetMs);
    void applyColumnOrder();
    void placeInView(quint32 parent, quint32 child);

    QPointer<KeyListModel> m_source;
    NodeArray m_nodes;                         // [0] is the root
    std::vector<std::vector<quint32>> m_lists; // children of nodes with two or more, ascending
    // Node ids by (parent, name), 0: free; at most half full. Only while the children are not in order
    // (following an unsorted list): in order, a child is found by binary search.
    std::vector<quint32> m_index;
    // In order: children created in this batch, not yet placed under a parent already shown.
    std::unordered_multimap<size_t, quint32> m_pendingIndex;
    std::vector<bool> m_inTree; // key id -> in the tree already
    std::vector<bool> m_liveOf; // key id -> live when last seen
    MatchFilter m_matchFilter;
    std::vector<quint32> m_matchCount; // node -> accepted keys at and below, while a match filter is set
    std::vector<bool> m_matched;       // key id -> accepted when last seen, while a match filter is set
    // A match filter set in steps: its keys matched (m_matchPass), then the nodes counted from the last
    // up (m_countCursor, into m_nextCount), then both take effect at once.
    std::unique_ptr<KeyFilterPass> m_matchPass;
    MatchFilter m_nextFilter;
    std::vector<quint32> m_nextCount;
    quint32 m_countCursor = 0; // nodes below this are not counted yet; 0: not counting
    bool m_recount = false;    // a key changed while counting
    QTimer *m_matchTimer = nullptr;
    // Sorted by another column: each folder's children in the list's order (rows as seen), kept apart
    // from the key order the tree is built and searched in. Empty in key order.
    int m_sortColumn = 0;
    bool m_sortDescending = false;
    std::vector<std::vector<quint32>> m_viewLists; // per slot of m_lists
    std::vector<quint32> m_viewRow;                // node -> row among its parent's children
    struct ColumnOrdering
    {
        std::vector<quint32> nodeOfId;           // key id -> its node
        std::vector<bool> placed;                // node -> in its parent's list already
        std::vector<std::vector<quint32>> lists; // per slot of m_lists
        std::vector<quint32> rows;               // node -> row
        quint32 nodes = 0;                       // nodes when it began
        size_t cursor = 0;
        bool mapped = false; // nodeOfId is complete
    };
    std::unique_ptr<ColumnOrdering> m_ordering;
    bool m_orderAgain = false; // keys came while the order was being worked out // the column order being worked out
    QTimer *m_orderTimer = nullptr;
    QTimer *m_buildTimer = nullptr;
    std::vector<quint32> m_buildOrder;        // the ids to add while building, ascending when the list is sorted
    std::unique_ptr<KeySorter> m_buildSorter; // puts m_buildOrder in key order (the list is sorted by another column)
    int m_buildCursor = 0;
    KeyCollation::Order m_collation = KeyCollation::Order::Natural;
    bool m_building = false;
    bool m_ordered = true; // children are in key order (built from a sorted list)
    bool m_descending = false;
};
