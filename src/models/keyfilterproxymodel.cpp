#include "keyfilterproxymodel.h"

#include "keylistmodel.h"
#include "keytreemodel.h"

KeyFilterProxyModel::KeyFilterProxyModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setSortRole(KeyListModel::RawValueRole);
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
    refilter();
}

void KeyFilterProxyModel::setKeyGlob(const KeyGlob &glob)
{
    if (m_glob.glob() == glob.glob())
        return;
    m_glob = glob;
    refilter();
}

void KeyFilterProxyModel::refilter()
{
    // A full re-map (one layout change, one sort) instead of Qt's incremental re-filter: bringing back
    // 100,000 rows one sorted insert at a time takes seconds, rebuilding takes milliseconds.
    invalidate();
}

bool KeyFilterProxyModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    // The flat list is asked directly, without a QVariant per call: this runs for every key on each
    // filter change.
    if (const auto *list = qobject_cast<const KeyListModel *>(sourceModel())) {
        if (!m_showDeleted && list->isDeletedAt(sourceRow))
            return false;
        const QString &key = list->keyRef(sourceRow);
        return (m_text.isEmpty() || key.contains(m_text, Qt::CaseInsensitive)) && m_glob.matches(key);
    }
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    // A pure folder of the tree is shown only through its children (recursive filtering).
    if (index.data(KeyTreeModel::IsFolderRole).toBool())
        return false;
    if (!m_showDeleted && index.data(KeyListModel::DeletedRole).toBool())
        return false;
    const QString key = index.data(KeyListModel::KeyRole).toString();
    return (m_text.isEmpty() || key.contains(m_text, Qt::CaseInsensitive)) && m_glob.matches(key);
}

bool KeyFilterProxyModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    if (left.column() == KeyListModel::KeyColumn) {
        if (const auto *list = qobject_cast<const KeyListModel *>(sourceModel()))
            return naturalCompare(list->keyRef(left.row()), list->keyRef(right.row())) < 0;
    }
    const QVariant a = left.data(sortRole());
    const QVariant b = right.data(sortRole());
    if (a.typeId() == QMetaType::QString || b.typeId() == QMetaType::QString)
        return naturalCompare(a.toString(), b.toString()) < 0;
    return QVariant::compare(a, b) == QPartialOrdering::Less;
}

int KeyFilterProxyModel::naturalCompare(const QString &a, const QString &b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            // Compare the digit runs as numbers: skip leading zeros, then longer is bigger.
            qsizetype si = i;
            qsizetype sj = j;
            while (si < a.size() && a[si] == u'0')
                ++si;
            while (sj < b.size() && b[sj] == u'0')
                ++sj;
            qsizetype ei = si;
            qsizetype ej = sj;
            while (ei < a.size() && a[ei].isDigit())
                ++ei;
            while (ej < b.size() && b[ej].isDigit())
                ++ej;
            if (ei - si != ej - sj)
                return ei - si < ej - sj ? -1 : 1;
            for (qsizetype k = 0; k < ei - si; ++k) {
                if (a[si + k] != b[sj + k])
                    return a[si + k] < b[sj + k] ? -1 : 1;
            }
            i = ei;
            j = ej;
            continue;
        }
        if (a[i] != b[j])
            return a[i] < b[j] ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size())
        return 1;
    if (j < b.size())
        return -1;
    return 0;
}
