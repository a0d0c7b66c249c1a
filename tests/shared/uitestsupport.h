#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QWidget>

#include <functional>

// What the desktop-app tests share (they link Qt Widgets; the library tests do not).
namespace UiTest {

// Points settings and data (XDG_CONFIG_HOME, XDG_DATA_HOME) at a throw-away home for the whole run and
// names the application, so a test never touches the user's. Call it from initMain(), before
// QApplication exists.
void useThrowAwayHome(const QString &applicationName);
// That home: a temporary directory, removed when the test ends.
QString throwAwayHome();

// Runs handler on the next modal dialog of type T once it is shown: a dialog runs its own event loop,
// so the test cannot reach it after calling exec().
template<typename T>
void onNextDialog(const std::function<void(T *)> &handler)
{
    auto *timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, handler] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            handler(dialog);
        }
    });
    timer->start();
}

} // namespace UiTest
