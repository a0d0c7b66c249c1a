#pragma once

#include <QtCore/QAbstractItemModel>
#include <QtCore/QHash>
#include <QtCore/QPointer>
#include <QtCore/QSet>

#include <memory>
#include <unordered_map>
#include <vector>

class KeyListModel;

// The keys of a KeyListModel as a tree split on ".": "orders.17.status" sits in folder "orders", then
// "17". A folder shows how many live keys it holds. It follows the list model: rows inserted there are
// added here with one insert per affected folder, changes update the key and the counts above it.
// A key can also be a folder ("a" and "a.b" both exist): it then has a value and children.
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

private:
    struct Node
    {
        QString name;
        Node *parent = nullptr;
        std::vector<std::unique_ptr<Node>> children;
        // Children by name, pending inserts included: a short list for the many small folders and
        // leaves, a hash only for folders with many children (a hash per node cost ~1 KiB per key).
        std::vector<Node *> few;
        std::unique_ptr<QHash<QString, Node *>> many;
        Node *findChild(const QString &childName) const;
        void indexChild(Node *child);
        int row = 0;        // position among the parent's children
        int sourceRow = -1; // the key's row in the list model, -1 for pure folders
        int liveCount = 0;  // live (not deleted) keys at and below
    };

    void rebuild();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    using PendingInserts = std::unordered_map<Node *, std::vector<std::unique_ptr<Node>>>;
    Node *childFor(Node *parent, const QString &name, PendingInserts *pending, QSet<const Node *> *fresh);
    bool isLive(int sourceRow) const;
    void adjustCounts(Node *node, int delta, QList<Node *> *touched);
    QModelIndex indexOf(const Node *node, int column = 0) const;
    Node *nodeOf(const QModelIndex &index) const;
    QString pathOf(const Node *node) const;

    QPointer<KeyListModel> m_source;
    QSet<QString> m_names; // one shared copy of each token ("status" under 100,000 orders)
    Node m_root;
    std::vector<Node *> m_leafBySourceRow;
    std::vector<bool> m_liveBySourceRow;
};
