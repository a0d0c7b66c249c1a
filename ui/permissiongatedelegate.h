#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QStyledItemDelegate>

class PermissionGate;

// The bucket-name column of the bucket list: a bucket the user may not read is shown greyed and in
// italics with a lock, its tooltip naming the missing permission, so it is not taken for an empty one.
// One whose values may be read but whose keys may not be listed or watched (no consumers) keeps its
// colour, with the lock and "(no key list or watch)".
class PermissionGateDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    PermissionGateDelegate(PermissionGate *gate, QObject *parent = nullptr);

    bool helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                   const QModelIndex &index) override;
    // Why the bucket at index cannot be read ("" when it can).
    QString refusalAt(const QModelIndex &index) const;
    // Why the keys of the (readable) bucket at index cannot be listed or watched ("" when they can).
    QString limitAt(const QModelIndex &index) const;
    // The text shown for the bucket at index (its name, and what the user may not do with it).
    QString shownText(const QModelIndex &index) const;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QPointer<PermissionGate> m_gate;
};
