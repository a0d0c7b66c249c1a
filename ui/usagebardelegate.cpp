#include "usagebardelegate.h"

#include "appearance.h"
#include "bucketlistmodel.h"

#include <QtGui/QPainter>

void UsageBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const double usage = index.data(BucketListModel::UsageRole).toDouble();
    if (usage >= 0) {
        // A thin bar along the bottom of the cell, in the highlight colour; the size text stays readable.
        QRect bar = option.rect.adjusted(2, option.rect.height() - 5, -2, -2);
        painter->save();
        QColor track = option.palette.color(QPalette::Mid);
        track.setAlpha(90);
        painter->fillRect(bar, track);
        // To scale: less than a pixel's worth is the track alone (a one-pixel mark read as a comma).
        bar.setWidth(int(bar.width() * std::clamp(usage, 0.0, 1.0)));
        if (bar.width() > 0) {
            painter->fillRect(bar,
                              usage > BucketListModel::NearlyFull ? nearlyFullColor(option.palette)
                                                                  : option.palette.color(QPalette::Highlight));
        }
        painter->restore();
    }
    QStyledItemDelegate::paint(painter, option, index);
}

QColor UsageBarDelegate::nearlyFullColor(const QPalette &palette)
{
    // A pair, as every colour the app sets: a lighter red on a dark base.
    return Appearance::pick(palette, QColor(0xd0, 0x40, 0x30), QColor(0xff, 0x6e, 0x5a));
}
