#include "menulettersguard.h"

#include <QtCore/QPointer>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QWidget>

void MenuLettersGuard::install()
{
#ifndef Q_OS_MACOS
    static QPointer<MenuLettersGuard> guard;
    if (!guard) {
        guard = new MenuLettersGuard(qApp);
        qApp->installEventFilter(guard);
    }
#endif
}

bool MenuLettersGuard::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return false;
    const auto *key = static_cast<QKeyEvent *>(event);
    // Ctrl+Alt is AltGr on Windows, which types characters (@ on a German keyboard).
    const Qt::KeyboardModifiers held = key->modifiers() & (Qt::AltModifier | Qt::ControlModifier | Qt::MetaModifier);
    if (held != Qt::AltModifier || key->text().isEmpty() || !key->text().front().isPrint())
        return false;
    // Widgets that take typed text say so by taking input methods.
    const auto *widget = qobject_cast<const QWidget *>(watched);
    return widget && widget->testAttribute(Qt::WA_InputMethodEnabled);
}
