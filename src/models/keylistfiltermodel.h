#pragma once

#include "keyfilterproxymodel.h"

#include <QtCore/QAbstractProxyModel>
#include <QtCore/QPersistentModelIndex>

#include <functional>
#include <memory>
#include <vector>

class KeyFilterPass;
class KeyListModel;
class QTimer;

// The key list as the panel shows it: the KeyListModel's rows in its order, without the keys a filter
// hides (deleted keys unless shown, text, glob, NATS subject filters: KeyFilterProxyModel's rules).
// A flat row table instead of a QSortFilterProxyModel: a view lays out a million rows through index()
// and flags() once per row, and the sort filter proxy's hash lookups there made each re-layout of the
// list ~70 ms; a re-sort or a filter change re-maps the rows in one pass (keypanelbench). Which keys the
// rules show is kept by key (a bit each), so a re-sort re-maps without matching a key again; a new filter
// on more than a few tens of thousands of keys is matched in steps (KeyFilterPass) and takes effect with
// one layout change when it is done (isFiltering() until then; the getters say what was asked for).
class KeyListFilterModel final : public QAbstractProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyListFilterModel)

public:
    explicit KeyListFilterModel(KeyListModel *list, QObject *parent = nullptr);
    ~KeyListFilterModel() override;

    // The rules asked for, as on the tree's proxy (which copies them from here).
    const KeyFilterProxyModel &rules() const { return m_wanted; }
    bool hasKeyFilter() const { return m_wanted.hasKeyFilter(); }
    void setShowDeleted(bool show);
    bool showDeleted() const { return m_wanted.showDeleted(); }
    void setTextFilter(const QString &text);
    QString textFilter() const { return m_wanted.textFilter(); }
    void setKeyGlob(const KeyGlob &glob);
    KeyGlob keyGlob() const { return m_wanted.keyGlob(); }
    void setSubjectFilters(const QStringList &filters);
    QStringList subjectFilters() const { return m_wanted.subjectFilters(); }
    // A filter asked for is being matched in steps; the rows are those of the one before until then.
    bool isFiltering() const { return bool(m_pass); }
    // The list sorts itself, in steps; this remembers the column for the header.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    int sortedColumn() const { return m_sortedColumn; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    QModelIndex sibling(int row, int column, const QModelIndex &index) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QModelIndex mapToSource(const QModelIndex &proxyIndex) const override;
    QModelIndex mapFromSource(const QModelIndex &sourceIndex) const override;

Q_SIGNALS:
    // A filter matched in steps took effect (after its layout change).
    void filterApplied();

private:
    bool accepts(int sourceRow);
    void refilter();
    void filterStep();
    void takeRules();
    void rebuild();
    void relayout(const std::function<void()> &change);
    void onRowsInserted(int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight);

    KeyListModel *m_list;
    KeyFilterProxyModel m_rules;           // no source: the rules the rows follow, matches keys
    KeyFilterProxyModel m_wanted;          // the rules asked for (being matched while m_pass)
    std::vector<bool> m_accepted;          // key id -> shown by m_rules
    std::unique_ptr<KeyFilterPass> m_pass; // matching m_wanted in steps
    QTimer *m_passTimer = nullptr;
    std::vector<int> m_sourceRows;              // shown row -> list row, ascending
    std::vector<int> m_shownRows;               // list row -> shown row, -1 when hidden
    QList<QPersistentModelIndex> m_savedSource; // across a layout change
    QModelIndexList m_savedShown;
    int m_sortedColumn = -1;
};
