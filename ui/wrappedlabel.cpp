#include "wrappedlabel.h"

#include <QtGui/QResizeEvent>

WrappedLabel::WrappedLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
}

QSize WrappedLabel::minimumSizeHint() const
{
    QSize size = QLabel::minimumSizeHint();
    // At most a few words wide: a longer word (a key of thousands of characters) is cut at the edge rather
    // than asked for as the label's width, which made the window wider than the screen.
    size.setWidth(std::min(size.width(), fontMetrics().averageCharWidth() * 16));
    if (testAttribute(Qt::WA_Resized) && !text().isEmpty())
        size.setHeight(std::max(size.height(), heightForWidth(width())));
    return size;
}

// A new width, a new height: the layout asks again. The height does not change the width, so this settles
// after one more layout pass.
void WrappedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    if (event->size().width() != event->oldSize().width())
        updateGeometry();
}
