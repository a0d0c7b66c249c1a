#include "errorlabel.h"

ErrorLabel::ErrorLabel(QWidget *parent)
    : QLabel(parent)
{
    setWordWrap(true);
    setTextInteractionFlags(Qt::TextSelectableByMouse);
    hide();
}

void ErrorLabel::applyColor(bool error)
{
    QPalette p = palette();
    const bool dark = p.color(QPalette::Window).lightness() < 128;
    const QColor errorColor = dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x20, 0x20);
    p.setColor(QPalette::WindowText, error ? errorColor : QPalette().color(QPalette::WindowText));
    setPalette(p);
}

void ErrorLabel::setMessage(const QString &message)
{
    applyColor(true);
    setText(message);
    setVisible(!message.isEmpty());
}

void ErrorLabel::setInfo(const QString &message)
{
    applyColor(false);
    setText(message);
    setVisible(!message.isEmpty());
}
