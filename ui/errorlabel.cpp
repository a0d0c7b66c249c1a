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
}

void ErrorLabel::setInfo(const QString &message)
{
    applyColor(false);
    setText(message);
    setVisible(!message.isEmpty());
}
