#pragma once

#include <QtGui/QColor>

#include <functional>

class QAbstractButton;
class QMenu;
class QObject;
class QPalette;
class QWidget;

// The app's look: View → Theme (System, Light or Dark on Fusion, kept in QSettings "view/theme"), and
// colours that follow it. A colour the app sets is always a pair, one for a light and one for a dark
// palette, picked again whenever the palette changes.
namespace Appearance {

enum class Theme {
    System,
    Light,
    Dark
};

Theme savedTheme();
// Applies theme to the application (style and palette) and remembers it.
void apply(Theme theme);
QPalette lightPalette();
QPalette darkPalette();
// A "Th&eme" menu whose three choices apply and remember the theme.
QMenu *createThemeMenu(QWidget *parent);

bool isDark(const QPalette &palette);
QColor pick(const QPalette &palette, const QColor &light, const QColor &dark);
// Fills widget's background with light or dark, following the application palette when it changes.
void tintBackground(QWidget *widget, const QColor &light, const QColor &dark);
// Calls follow (queued, once the widgets have the new palette) whenever the application palette changes,
// for as long as owner lives: for colours a widget sets itself from the palette of the moment.
void followPalette(QObject *owner, const std::function<void()> &follow);
// Gives a checkable button a checked look that shows on every theme: Fusion draws a checked button a
// shade darker than an unchecked one (#303030 against #353535 on the dark palette), so Follow looked the
// same on and off. Checked, the button takes a tint of the selection colour, kept through toggles and
// theme switches.
void showCheckedState(QAbstractButton *button);
// WCAG 2 contrast ratio of two colours (1 to 21); 4.5 is what normal text needs.
double contrastRatio(const QColor &a, const QColor &b);

} // namespace Appearance
