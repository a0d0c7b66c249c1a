#include "keyfilterproxymodel.h"

#include "keycollation.h"
#include "keylistmodel.h"
#include "keystore.h"
#include "keytreemodel.h"
#include "kvnames.h"

namespace {

char lowered(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

// Whether hay contains needle (ASCII, lowered), ignoring ASCII case, on the UTF-8 bytes (an ASCII needle
// never matches inside a multi-byte character, whose bytes are all >= 0x80). By hand: Qt's case-insensitive
// Latin-1 search widens both to UTF-16 first, which made a filter over a million keys take ~0.5 s.
bool containsFolded(QByteArrayView hay, QByteArrayView needle)
{
    const qsizetype n = needle.size();
    if (n == 0)
        return true;
    const char first = needle[0];
    const char firstUpper = first >= 'a' && first <= 'z' ? char(first - 'a' + 'A') : first;
    for (qsizetype at = 0; at + n <= hay.size(); ++at) {
        if (hay[at] != first && hay[at] != firstUpper)
            continue;
        qsizetype i = 1;
        while (i < n && lowered(hay[at + i]) == needle[i])
            ++i;
        if (i == n)
            return true;
    }
    return false;
}

} // namespace

KeyFilterProxyModel::KeyFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    // No recursive filtering: on the tree a node's count says whether anything below it is shown (Qt's
    // recursive filter walked the whole subtree of every folder without a match: ~100 ms a filter at a
    // million keys).
    setRecursiveFilteringEnabled(false);
    setSortRole(KeyListModel::RawValueRole);
}

KeyFilterProxyModel::~KeyFilterProxyModel()
{
    // The tree's match filter calls back into this proxy.
    if (auto *tree = qobject_cast<KeyTreeModel *>(sourceModel()))
        tree->setMatchFilter({});
}

void KeyFilterProxyModel::setSourceModel(QAbstractItemModel *source)
{
    if (auto *tree = qobject_cast<KeyTreeModel *>(sourceModel()))
        tree->setMatchFilter({});
    // Known before the base class maps the new source's rows.
    if (m_tree)
        disconnect(m_tree, &KeyTreeModel::matchFilterApplied, this, nullptr);
    m_list = qobject_cast<KeyListModel *>(source);
    m_tree = qobject_cast<KeyTreeModel *>(source);
    if (m_tree) {
        // A filter matched in steps: the rows change when it is done.
        connect(m_tree, &KeyTreeModel::matchFilterApplied, this, [this] {
            invalidate();
            Q_EMIT filterApplied();
        });
    }
    QSortFilterProxyModel::setSourceModel(source);
    updateMatchFilter();
}

bool KeyFilterProxyModel::hasKeyFilter() const
{
    return !m_text.isEmpty() || !m_glob.isEmpty() || !m_subjectBytes.isEmpty();
}

void KeyFilterProxyModel::updateMatchFilter()
{
    auto *tree = qobject_cast<KeyTreeModel *>(sourceModel());
    if (!tree)
        return;
    // Without a filter a folder counts its live keys (what the tree keeps anyway): no second count to keep.
    // Deleted keys shown are counted as matches: a folder of deleted keys is shown while one is left (a
    // marker's own TTL takes it from the server, and from here, nats-server 2.11+).
    if (hasKeyFilter() || m_showDeleted)
        tree->setMatchFilter([this, tree](quint32 id) { return acceptsKey(tree->store(), id); });
    else if (tree->hasMatchFilter() || tree->isMatching())
        tree->setMatchFilter({});
}

void KeyFilterProxyModel::setShowDeleted(bool show)
{
    if (m_showDeleted == show)
        return;
    m_showDeleted = show;
    refilter();
}

void KeyFilterProxyModel::setTextFilter(const QString &text)
{
    if (m_text == text)
        return;
    m_text = text;
    m_textLower = text.toUtf8();
    m_textAscii = std::all_of(m_textLower.cbegin(), m_textLower.cend(), [](char c) { return uchar(c) < 0x80; });
    for (char &c : m_textLower)
        c = lowered(c);
    refilter();
}

void KeyFilterProxyModel::setKeyGlob(const KeyGlob &glob)
{
    if (m_glob.glob() == glob.glob())
        return;
    m_glob = glob;
    refilter();
}

void KeyFilterProxyModel::setSubjectFilters(const QStringList &filters)
{
    if (m_subjects == filters)
        return;
    m_subjects = filters;
    m_subjectBytes.clear();
    for (const QString &filter : filters)
        m_subjectBytes.append(filter.toUtf8());
    refilter();
}

void KeyFilterProxyModel::refilter()
{
    // A full re-map (one layout change) instead of Qt's incremental re-filter: bringing back
    // 100,000 rows one insert at a time takes seconds, rebuilding takes milliseconds.
    updateMatchFilter();
    if (!isFiltering())
        invalidate();
}

bool KeyFilterProxyModel::isFiltering() const
{
    return m_tree && m_tree->isMatching();
}

void KeyFilterProxyModel::sort(int column, Qt::SortOrder order)
{
    m_sortedColumn = column;
    if (auto *list = qobject_cast<KeyListModel *>(sourceModel())) {
        // The list sorts itself, in steps (by any column: sorting a million rows here holds the window).
        list->setSortOrder(column, order);
        // Column -1 keeps the source's order; descending there would reverse it once more.
        QSortFilterProxyModel::sort(-1, Qt::AscendingOrder);
        return;
    }
    if (auto *tree = qobject_cast<KeyTreeModel *>(sourceModel())) {
        // The tree keeps its children in the order asked for (another column's in steps, from the list).
        tree->setSortOrder(column, order);
        QSortFilterProxyModel::sort(-1, Qt::AscendingOrder);
        return;
    }
    QSortFilterProxyModel::sort(column, order);
}

bool KeyFilterProxyModel::acceptsKey(const KeyStore &store, quint32 id) const
{
    if (store.isGone(id) || (!m_showDeleted && store.isDeleted(id)))
        return false;
    const QByteArrayView key = store.key(id);
    if (!m_subjectBytes.isEmpty()
        && std::none_of(m_subjectBytes.cbegin(), m_subjectBytes.cend(),
                        [&](const QByteArray &filter) { return KeyGlob::matchesSubject(filter, key); }))
        return false;
    if (!m_text.isEmpty()) {
        if (m_textAscii ? !containsFolded(key, m_textLower)
                        : !KvNames::displayKey(KvNames::keyFromSubject(key)).contains(m_text, Qt::CaseInsensitive))
            return false;
    }
    return m_glob.isEmpty() || m_glob.matches(KvNames::keyFromSubject(key));
}

bool KeyFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // The models are asked directly, without a QVariant or QString per call: this runs for every key
    // (every tree node) on each filter change.
    // (The source's kind is looked up once, not per row.)
    if (const KeyListModel *list = m_list)
        return acceptsKey(list->store(), list->idAt(sourceRow));
    if (const KeyTreeModel *tree = m_tree) {
        // With a filter the tree counts what is shown below each node: a node stays while that is not 0.
        // Without one, it counts the live keys: a node stays while one is there. Deleted keys shown are a
        // filter of their own (gone keys are not shown); until the tree has matched them, every node stays
        // (every node holds a key). What the tree counts, not this proxy's rules: a filter being matched
        // in steps shows the one before until it is done.
        if (m_showDeleted && !tree->hasMatchFilter())
            return true;
        return tree->matchCountOf(tree->index(sourceRow, 0, sourceParent)) > 0;
    }
    return true;
}

bool KeyFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString)
        return naturalCompare(a.toString(), b.toString()) < 0;
    return QVariant::compare(a, b) == QPartialOrdering::Less;
}

int KeyFilterProxyModel::naturalCompare(const QString &a, const QString &b)
{
    return KeyCollation::compare(a, b, KeyCollation::Order::Natural);
}
