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
