#include "errorlabel.h"

#include "appearance.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QLayout>

ErrorLabel::ErrorLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
    Appearance::followPalette(this, [this] { applyColor(m_error); });
}

QSize ErrorLabel::minimumSizeHint() const
{
    QSize size = QLabel::minimumSizeHint();
    size.setWidth(std::min(size.width(), fontMetrics().averageCharWidth() * 16));
    return size;
}

void ErrorLabel::applyColor(bool error)
{
    m_error = error;
    QPalette p = palette();
    const QPalette &app = QApplication::palette();
    const QColor errorColor = Appearance::pick(app, QColor(0xb0, 0x20, 0x20), QColor(0xff, 0x8a, 0x80));
    p.setColor(QPalette::WindowText, error ? errorColor : app.color(QPalette::WindowText));
    setPalette(p);
}

void ErrorLabel::setMessage(const QString &message)
{
    applyColor(true);
    setText(message);
    setVisible(!message.isEmpty());
    fitHeight();
}

void ErrorLabel::setInfo(const QString &message)
{
    applyColor(false);
    setText(message);
    setVisible(!message.isEmpty());
    fitHeight();
}

void ErrorLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    fitHeight();
}

void ErrorLabel::reserveRoom(int lines)
{
    m_reservedLines = lines;
    QSizePolicy policy = sizePolicy();
    policy.setRetainSizeWhenHidden(true);
    setSizePolicy(policy);
    fitHeight();
}

// The text's height at the label's width, once a layout has given it one: at the default width of a new
// widget a message would be a word a line, and a dialog would grow for it.
void ErrorLabel::fitHeight()
{
    const int reserved = m_reservedLines * fontMetrics().lineSpacing();
    const int needed = text().isEmpty() || !testAttribute(Qt::WA_Resized) ? 0 : heightForWidth(width());
    const int height = std::max(needed, reserved);
    if (height == minimumHeight())
        return;
    QWidget *top = window();
    const bool dialog = m_reservedLines > 0 && top != this && top->isVisible();
    if (dialog && height > reserved && m_windowHeightBefore == 0)
        m_windowHeightBefore = top->height();
    setMinimumHeight(height);
    if (dialog && height == reserved && m_windowHeightBefore > 0) {
        // The window's minimum is the layout's: made smaller first, or the window could not shrink.
        if (top->layout())
            top->layout()->activate();
        if (top->height() > m_windowHeightBefore)
            top->resize(top->width(), m_windowHeightBefore);
        m_windowHeightBefore = 0;
    }
}
