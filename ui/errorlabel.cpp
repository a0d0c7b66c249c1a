#include "errorlabel.h"

#include "appearance.h"

#include <QtWidgets/QApplication>

ErrorLabel::ErrorLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
    Appearance::followPalette(this, [this] { applyColor(m_error); });
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

// Only once a layout has given the label its width: at the default width of a new widget a message would be
// a word a line, and a dialog would grow for it.
void ErrorLabel::fitHeight()
{
    if (!testAttribute(Qt::WA_Resized))
        return;
    const int needed = text().isEmpty() ? 0 : heightForWidth(width());
    if (needed != minimumHeight())
        setMinimumHeight(std::max(needed, 0));
}
