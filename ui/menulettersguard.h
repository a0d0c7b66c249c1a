#pragma once

#include <QtCore/QObject>

// Alt and a letter is for the menus (Alt+K opens Key), never text: Qt's text fields take a key with text
// unless Ctrl is held, so Alt with a letter no menu has (Alt+F for the File menu most apps have) typed the
// letter into the value. Installed on the application, it drops such a key before a text field sees it;
// the menus' own letters are shortcuts, taken before any widget gets the key. Not on macOS, where Option
// (Alt) and a letter types a character (Option+E, an accent).
class MenuLettersGuard final : public QObject
{
    Q_OBJECT

public:
    // Installs one guard on the application (once, however many windows ask).
    static void install();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    using QObject::QObject;
};
