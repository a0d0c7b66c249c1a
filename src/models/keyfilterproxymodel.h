#pragma once

#include "keyglob.h"

#include <QtCore/QPointer>
#include <QtCore/QSortFilterProxyModel>

class KeyListModel;
class KeyStore;
class KeyTreeModel;

// Filters and sorts the key list or tree: hides deleted keys unless asked to show them, keeps keys whose
// full name contains the filter text (case-insensitive), matches a glob, and NATS subject filters applied
// to keys already loaded (a server filter set while every key is at hand: no second download). Sorting is
// left to the list, which keeps its rows in the order asked for and sorts in steps (sorting a million keys
// here would hold the event loop for seconds); on the tree the order is the tree's (KeyTreeModel::
// setSortOrder). On the tree a folder stays while any key below it is shown: the tree counts the keys each
// folder holds that this shows (KeyTreeModel::setMatchFilter), and a folder says that count; on a large
// tree the count is made in steps and the rows follow when it is done (filterApplied()).
class KeyFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyFilterProxyModel)

public:
    explicit KeyFilterProxyModel(QObject *parent = nullptr);
    ~KeyFilterProxyModel() override;

    void setSourceModel(QAbstractItemModel *source) override;
    // A text, glob or subject filter is set (not just the deleted keys hidden).
    bool hasKeyFilter() const;

    void setShowDeleted(bool show);
    bool showDeleted() const { return m_showDeleted; }
    void setTextFilter(const QString &text);
    QString textFilter() const { return m_text; }
    // Keys must match the glob too (the part of a glob filter the server cannot apply).
    void setKeyGlob(const KeyGlob &glob);
    KeyGlob keyGlob() const { return m_glob; }
    // Keys must match one of these NATS filters ("orders.*", "orders.>"); empty: no such filter.
    void setSubjectFilters(const QStringList &filters);
    QStringList subjectFilters() const { return m_subjects; }

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // The column sorted by (the key column too, although the source does that sorting).
    int sortedColumn() const { return m_sortedColumn; }

    // On a large tree a filter is matched in steps: the rows are those of the filter before until
    // filterApplied().
    bool isFiltering() const;

    // Natural order: digit runs compare as numbers, case-insensitive (KeyCollation).
    static int naturalCompare(const QString &a, const QString &b);
    // Whether the rules show this key (the flat list's model asks this way, without a source here).
    bool acceptsKey(const KeyStore &store, quint32 id) const;

Q_SIGNALS:
    void filterApplied();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();
    void updateMatchFilter();

    QPointer<KeyListModel> m_list; // the source, when it is the key list
    QPointer<KeyTreeModel> m_tree; // the source, when it is the key tree
    QString m_text;
    QByteArray m_textLower; // UTF-8, ASCII letters lowered: matched on the store's bytes
    bool m_textAscii = true;
    KeyGlob m_glob;
    QStringList m_subjects;
    QList<QByteArray> m_subjectBytes;
    int m_sortedColumn = -1;
    bool m_showDeleted = false;
};
