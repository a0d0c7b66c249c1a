#pragma once

#include "keyglob.h"

#include <QtCore/QSortFilterProxyModel>

// Filters and sorts the key list or tree: hides deleted keys unless asked to show them, keeps keys whose
// full name contains the filter text (case-insensitive; wildcard filters go to the server instead), and
// sorts on the raw value of a column with keys in natural order ("k2" before "k10"). On the tree it
// filters recursively: a folder stays while any key below it is shown.
class KeyFilterProxyModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyFilterProxyModel)

public:
    explicit KeyFilterProxyModel(QObject *parent = nullptr);

    void setShowDeleted(bool show);
    bool showDeleted() const { return m_showDeleted; }
    void setTextFilter(const QString &text);
    QString textFilter() const { return m_text; }
    // Keys must match the glob too (the part of a glob filter the server cannot apply).
    void setKeyGlob(const KeyGlob &glob);
    KeyGlob keyGlob() const { return m_glob; }

    // Natural order: digit runs compare as numbers.
    static int naturalCompare(const QString &a, const QString &b);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilter();

    QString m_text;
    KeyGlob m_glob;
    bool m_showDeleted = false;
};
