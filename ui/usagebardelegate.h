#pragma once

#include <QtWidgets/QStyledItemDelegate>

// Draws the bucket's size with a bar of how full it is, where the bucket has a maximum size.
class UsageBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The bar of a bucket nearly full, for the theme the palette is (a graphic: 3:1 against the base).
    static QColor nearlyFullColor(const QPalette &palette);
};
