#include "keylistfiltermodel.h"

#include "keyfilterpass.h"
#include "keylistmodel.h"
#include "keystore.h"

#include <QtCore/QTimer>

namespace {
// Up to this many keys a filter is matched at once (a few ms); beyond, in steps of kFilterStepMs.
constexpr quint32 kFilterAtOnce = 100000;
constexpr int kFilterStepMs = 8;
} // namespace

KeyListFilterModel::KeyListFilterModel(KeyListModel *list, QObject *parent)
    : QAbstractProxyModel(parent)
    , m_list(list)
    , m_passTimer(new QTimer(this))
{
    m_passTimer->setSingleShot(true);
    m_passTimer->setInterval(0);
    connect(m_passTimer, &QTimer::timeout, this, &KeyListFilterModel::filterStep);
    QAbstractProxyModel::setSourceModel(list);
    connect(list, &QAbstractItemModel::modelAboutToBeReset, this, [this] { beginResetModel(); });
    connect(list, &QAbstractItemModel::modelReset, this, [this] {
        // Other keys (ids start again): matched again, as they come.
        m_accepted.clear();
        if (m_pass) {
            m_pass = std::make_unique<KeyFilterPass>(m_pass->accepts());
            m_passTimer->start();
        }
        rebuild();
        endResetModel();
    });
    connect(list, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) { onRowsInserted(first, last); });
    connect(list, &QAbstractItemModel::dataChanged, this, &KeyListFilterModel::onDataChanged);
    connect(list, &QAbstractItemModel::headerDataChanged, this, &QAbstractItemModel::headerDataChanged);
    // The list's sort: the shown rows follow in one pass; selections and the current key with them.
    connect(list, &QAbstractItemModel::layoutAboutToBeChanged, this,
            [this](const QList<QPersistentModelIndex> &, QAbstractItemModel::LayoutChangeHint hint) {
                Q_EMIT layoutAboutToBeChanged({}, hint);
                m_savedShown = persistentIndexList();
                m_savedSource.clear();
                for (const QModelIndex &shown : std::as_const(m_savedShown))
                    m_savedSource.append(mapToSource(shown));
            });
    connect(list, &QAbstractItemModel::layoutChanged, this,
            [this](const QList<QPersistentModelIndex> &, QAbstractItemModel::LayoutChangeHint hint) {
                rebuild();
                QModelIndexList after;
                for (const QPersistentModelIndex &source : std::as_const(m_savedSource))
                    after.append(mapFromSource(source));
                changePersistentIndexList(std::exchange(m_savedShown, {}), after);
                m_savedSource.clear();
                Q_EMIT layoutChanged({}, hint);
            });
    rebuild();
}

KeyListFilterModel::~KeyListFilterModel() = default;

void KeyListFilterModel::setShowDeleted(bool show)
{
    if (show == m_wanted.showDeleted())
        return;
    m_wanted.setShowDeleted(show);
    refilter();
}

void KeyListFilterModel::setTextFilter(const QString &text)
{
    if (text == m_wanted.textFilter())
        return;
    m_wanted.setTextFilter(text);
    refilter();
}

void KeyListFilterModel::setKeyGlob(const KeyGlob &glob)
{
    if (glob.glob() == m_wanted.keyGlob().glob())
        return;
    m_wanted.setKeyGlob(glob);
    refilter();
}

void KeyListFilterModel::setSubjectFilters(const QStringList &filters)
{
    if (filters == m_wanted.subjectFilters())
        return;
    m_wanted.setSubjectFilters(filters);
    refilter();
}

void KeyListFilterModel::refilter()
{
    // The rules asked for are matched on every key (a pass restarted if one was under way), at once for
    // a small list, else in steps; the rows change when it is done.
    m_pass = std::make_unique<KeyFilterPass>([this](quint32 id) { return m_wanted.acceptsKey(m_list->store(), id); });
    if (m_list->store().size() > kFilterAtOnce) {
        m_passTimer->start();
        return;
    }
    m_passTimer->stop();
    m_pass->step(m_list->store().size(), -1);
    relayout([this] { takeRules(); });
}

void KeyListFilterModel::filterStep()
{
    if (!m_pass)
        return;
    if (!m_pass->step(m_list->store().size(), kFilterStepMs)) {
        m_passTimer->start();
        return;
    }
    relayout([this] { takeRules(); });
    Q_EMIT filterApplied();
}

void KeyListFilterModel::takeRules()
{
    m_accepted = m_pass->take();
    m_pass.reset();
    m_rules.setShowDeleted(m_wanted.showDeleted());
    m_rules.setTextFilter(m_wanted.textFilter());
    m_rules.setKeyGlob(m_wanted.keyGlob());
    m_rules.setSubjectFilters(m_wanted.subjectFilters());
}

void KeyListFilterModel::sort(int column, Qt::SortOrder order)
{
    m_sortedColumn = column;
    m_list->setSortOrder(column, order); // in steps; its layout change comes through here
}

bool KeyListFilterModel::accepts(int sourceRow)
{
    // A key that came or changed: matched again, by the rules shown and by those being matched.
    const quint32 id = m_list->idAt(sourceRow);
    const bool accepted = m_rules.acceptsKey(m_list->store(), id);
    // Keys stored before it and not matched yet (held back while loading) are matched too: a key is
    // never taken as hidden without a look.
    while (m_accepted.size() < id)
        m_accepted.push_back(m_rules.acceptsKey(m_list->store(), quint32(m_accepted.size())));
    if (id == m_accepted.size())
        m_accepted.push_back(accepted);
    m_accepted[id] = accepted;
    if (m_pass)
        m_pass->update(id);
    return accepted;
}

void KeyListFilterModel::rebuild()
{
    // Keys matched in the store's order (where their bytes lie, one after the other), kept by key, then
    // placed in the list's: a re-sort of a million rows matches nothing again.
    const KeyStore &store = m_list->store();
    std::vector<bool> &accepted = m_accepted;
    for (auto id = quint32(accepted.size()); id < store.size(); ++id)
        accepted.push_back(m_rules.acceptsKey(store, id));
    const int rows = m_list->rowCount();
    m_sourceRows.clear();
    m_sourceRows.reserve(size_t(rows));
    m_shownRows.assign(size_t(rows), -1);
    for (int row = 0; row < rows; ++row) {
        if (accepted[m_list->idAt(row)]) {
            m_shownRows[size_t(row)] = int(m_sourceRows.size());
            m_sourceRows.push_back(row);
        }
    }
}

void KeyListFilterModel::relayout(const std::function<void()> &change)
{
    // One re-map and one layout change, as QSortFilterProxyModel::invalidate() does: bringing 100,000
    // rows back one insert at a time would take seconds. The list's rows stay where they are meanwhile.
    Q_EMIT layoutAboutToBeChanged();
    const QModelIndexList before = persistentIndexList();
    QModelIndexList sources;
    for (const QModelIndex &shown : before)
        sources.append(mapToSource(shown));
    change();
    rebuild();
    QModelIndexList after;
    for (const QModelIndex &source : std::as_const(sources))
        after.append(mapFromSource(source));
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged();
}

void KeyListFilterModel::onRowsInserted(int first, int last)
{
    const int count = last - first + 1;
    // While the initial keys stream in, the list knows how many are coming: the tables are sized once,
    // not doubled (each doubling copies megabytes into fresh pages within one turn).
    if (const auto expected = size_t(m_list->expectedCount());
        m_list->isReceivingInitialKeys() && expected > m_shownRows.capacity()) {
        m_shownRows.reserve(expected);
        m_sourceRows.reserve(expected);
    }
    const auto at = size_t(std::lower_bound(m_sourceRows.begin(), m_sourceRows.end(), first) - m_sourceRows.begin());
    std::vector<int> added;
    for (int row = first; row <= last; ++row) {
        if (accepts(row))
            added.push_back(row);
    }
    // The rows shown already follow the list's rows first: they are read while the insert is announced.
    for (size_t i = at; i < m_sourceRows.size(); ++i)
        m_sourceRows[i] += count;
    m_shownRows.insert(m_shownRows.begin() + first, size_t(count), -1);
    if (added.empty())
        return;
    beginInsertRows({}, int(at), int(at + added.size()) - 1);
    m_sourceRows.insert(m_sourceRows.begin() + qsizetype(at), added.begin(), added.end());
    for (size_t i = at; i < m_sourceRows.size(); ++i)
        m_shownRows[size_t(m_sourceRows[i])] = int(i);
    endInsertRows();
}

void KeyListFilterModel::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    const int first = topLeft.row();
    const int last = bottomRight.row();
    if (first == last && accepts(first) != (m_shownRows[size_t(first)] >= 0)) {
        // One key deleted or back (what the watch reports): a row removed or inserted, so that the
        // selection moves on as it does when a row goes.
        if (const int shown = m_shownRows[size_t(first)]; shown >= 0) {
            beginRemoveRows({}, shown, shown);
            m_sourceRows.erase(m_sourceRows.begin() + shown);
            m_shownRows[size_t(first)] = -1;
            for (size_t i = size_t(shown); i < m_sourceRows.size(); ++i)
                m_shownRows[size_t(m_sourceRows[i])] = int(i);
            endRemoveRows();
        } else {
            const auto at = std::lower_bound(m_sourceRows.begin(), m_sourceRows.end(), first) - m_sourceRows.begin();
            beginInsertRows({}, int(at), int(at));
            m_sourceRows.insert(m_sourceRows.begin() + at, first);
            for (size_t i = size_t(at); i < m_sourceRows.size(); ++i)
                m_shownRows[size_t(m_sourceRows[i])] = int(i);
            endInsertRows();
        }
        return;
    }
    for (int row = first; row <= last; ++row) {
        if (accepts(row) != (m_shownRows[size_t(row)] >= 0))
            return relayout([] {});
    }
    // The shown rows of a range of the list are one range here (the order is the list's).
    const auto from = std::lower_bound(m_sourceRows.begin(), m_sourceRows.end(), first);
    const auto to = std::upper_bound(from, m_sourceRows.end(), last);
    if (from != to)
        Q_EMIT dataChanged(index(int(from - m_sourceRows.begin()), topLeft.column()),
                           index(int(to - m_sourceRows.begin()) - 1, bottomRight.column()));
}

QModelIndex KeyListFilterModel::index(int row, int column, const QModelIndex &parent) const
{
    // Called once per row when a view lays the list out: no lookups.
    if (parent.isValid() || row < 0 || column < 0 || size_t(row) >= m_sourceRows.size()
        || column >= KeyListModel::ColumnCount)
        return {};
    return createIndex(row, column);
}

QModelIndex KeyListFilterModel::parent(const QModelIndex &) const
{
    return {};
}

QModelIndex KeyListFilterModel::sibling(int row, int column, const QModelIndex &index) const
{
    return index.isValid() ? this->index(row, column) : QModelIndex();
}

int KeyListFilterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_sourceRows.size());
}

int KeyListFilterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : KeyListModel::ColumnCount;
}

bool KeyListFilterModel::hasChildren(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_sourceRows.empty();
}

Qt::ItemFlags KeyListFilterModel::flags(const QModelIndex &index) const
{
    // The list's flags (a table's), without asking it for each of a million rows.
    return index.isValid() ? Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemNeverHasChildren : Qt::NoItemFlags;
}

QVariant KeyListFilterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return section + 1;
    return m_list->headerData(section, orientation, role);
}

QModelIndex KeyListFilterModel::mapToSource(const QModelIndex &proxyIndex) const
{
    if (!proxyIndex.isValid() || proxyIndex.model() != this || size_t(proxyIndex.row()) >= m_sourceRows.size())
        return {};
    return m_list->index(m_sourceRows[size_t(proxyIndex.row())], proxyIndex.column());
}

QModelIndex KeyListFilterModel::mapFromSource(const QModelIndex &sourceIndex) const
{
    if (!sourceIndex.isValid() || size_t(sourceIndex.row()) >= m_shownRows.size())
        return {};
    const int shown = m_shownRows[size_t(sourceIndex.row())];
    return shown < 0 ? QModelIndex() : createIndex(shown, sourceIndex.column());
}
