#include "columnfit.h"

#include "humanformat.h"
#include "kventry.h"

#include <QtCore/QDateTime>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleOptionViewItem>
#include <QtWidgets/QTableView>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// text with each digit the widest digit of the font: a count or a time measured as its widest.
QString widestDigits(const QString &text, const QFontMetrics &metrics)
{
    QChar widest = u'0';
    for (char16_t digit = u'1'; digit <= u'9'; ++digit) {
        if (metrics.horizontalAdvance(QChar(digit)) > metrics.horizontalAdvance(widest))
            widest = QChar(digit);
    }
    QString out = text;
    for (QChar &c : out) {
        if (c.isDigit())
            c = widest;
    }
    return out;
}

// An item showing text as the view's delegate sizes it (QStyledItemDelegate::sizeHint asks the style).
int itemWidth(const QAbstractItemView *view, const QString &text, bool withIcon)
{
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.font = view->font();
    option.fontMetrics = view->fontMetrics();
    option.text = widestDigits(text, view->fontMetrics());
    option.features = QStyleOptionViewItem::HasDisplay;
    option.displayAlignment = Qt::AlignLeft | Qt::AlignVCenter;
    if (withIcon) {
        const int side = view->iconSize().isValid()
            ? view->iconSize().width()
            : view->style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, view);
        option.features |= QStyleOptionViewItem::HasDecoration;
        option.decorationSize = QSize(side, side);
        option.decorationPosition = QStyleOptionViewItem::Left;
    }
    const int width = view->style()->sizeFromContents(QStyle::CT_ItemViewItem, &option, QSize(), view).width();
    // A table draws its grid in the column (QTableView::sizeHintForColumn counts it).
    const auto *table = qobject_cast<const QTableView *>(view);
    return table && table->showGrid() ? width + 1 : width;
}

} // namespace

namespace ColumnFit {

int width(const QAbstractItemView *view, const QHeaderView *header, int column, const QStringList &samples,
          bool withIcon)
{
    // The title as the header measures it, with room for the sort arrow when it shows one.
    int width = header->sectionSizeHint(column);
    for (const QString &sample : samples)
        width = std::max(width, itemWidth(view, sample, withIcon));
    return width;
}

QString sampleTime()
{
    return HumanFormat::localTime(QDateTime(QDate(2000, 12, 28), QTime(20, 28, 28), Qt::UTC));
}

QStringList operationLabels(Markers markers)
{
    QStringList labels;
    for (const auto operation : {KvEntry::Operation::Put, KvEntry::Operation::Delete, KvEntry::Operation::Purge})
        labels.append(KvEntry::operationName(operation));
    for (const QByteArray reason : {"MaxAge", "Purge", "Remove"}) {
        KvEntry marker;
        marker.markerReason = reason;
        labels.append(markers == Markers::Word ? marker.operationWord() : marker.operationLabel());
    }
    return labels;
}

} // namespace ColumnFit
