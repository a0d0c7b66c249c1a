#include "permissiongatedelegate.h"

#include "bucketlistmodel.h"
#include "permissiongate.h"

#include <QtGui/QHelpEvent>
#include <QtGui/QIcon>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QToolTip>

using namespace Qt::StringLiterals;

PermissionGateDelegate::PermissionGateDelegate(PermissionGate *gate, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_gate(gate)
{
}

QString PermissionGateDelegate::refusalAt(const QModelIndex &index) const
{
    const QString bucket = index.data(BucketListModel::BucketNameRole).toString();
    return m_gate && !bucket.isEmpty() ? m_gate->bucketRefusal(bucket) : QString();
}

void PermissionGateDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (refusalAt(index).isEmpty())
        return;
    option->font.setItalic(true);
    option->palette.setColor(QPalette::Text, option->palette.color(QPalette::Disabled, QPalette::Text));
    option->features |= QStyleOptionViewItem::HasDecoration;
    option->icon = QIcon::fromTheme(u"object-locked"_s, QIcon::fromTheme(u"changes-prevent"_s));
    option->text = tr("%1 (no access)").arg(option->text);
}

bool PermissionGateDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                       const QModelIndex &index)
{
    const QString refusal = refusalAt(index);
    if (event->type() != QEvent::ToolTip || refusal.isEmpty())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    QToolTip::showText(
        event->globalPos(),
        tr("You cannot read bucket \"%1\": %2").arg(index.data(BucketListModel::BucketNameRole).toString(), refusal),
        view);
    return true;
}
