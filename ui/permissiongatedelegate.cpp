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

QString PermissionGateDelegate::shownText(const QModelIndex &index) const
{
    QStyleOptionViewItem option;
    initStyleOption(&option, index);
    return option.text;
}

QString PermissionGateDelegate::limitAt(const QModelIndex &index) const
{
    const QString bucket = index.data(BucketListModel::BucketNameRole).toString();
    return m_gate && !bucket.isEmpty() ? m_gate->bucketLimit(bucket) : QString();
}

void PermissionGateDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QIcon lock = QIcon::fromTheme(u"object-locked"_s, QIcon::fromTheme(u"changes-prevent"_s));
    if (!refusalAt(index).isEmpty()) {
        option->font.setItalic(true);
        option->palette.setColor(QPalette::Text, option->palette.color(QPalette::Disabled, QPalette::Text));
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon = lock;
        option->text = tr("%1 (no access)").arg(option->text);
    } else if (!limitAt(index).isEmpty()) {
        // Readable, writable, but its keys cannot be listed: not greyed, the lock says what is missing.
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon = lock;
        option->text = tr("%1 (no key list or watch)").arg(option->text);
    }
}

bool PermissionGateDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view, const QStyleOptionViewItem &option,
                                       const QModelIndex &index)
{
    const QString bucket = index.data(BucketListModel::BucketNameRole).toString();
    const QString refusal = refusalAt(index);
    const QString limit = refusal.isEmpty() ? limitAt(index) : QString();
    if (event->type() != QEvent::ToolTip || (refusal.isEmpty() && limit.isEmpty()))
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QString text = !refusal.isEmpty()
        ? tr("You cannot read bucket \"%1\": %2").arg(bucket, refusal)
        : tr("You may read and write the keys of bucket \"%1\" you name, but not list or watch them: %2")
              .arg(bucket, limit);
    QToolTip::showText(event->globalPos(), text, view);
    return true;
}
