#pragma once

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtGui/QIcon>

class BucketPanel;
class KeyPanel;
class QAction;
class QMenuBar;
class ValuePanel;
class WatchPanel;

// Icons for menu and toolbar actions: freedesktop icon names from the desktop's icon theme (Adwaita on
// Debian, which the package depends on), with small SVGs compiled into the app for platforms that have
// no theme (resources/icons/actions).
namespace ActionIcons {

// The theme's icon called name, else the bundled one of that name, else a neutral bundled one (a bundled
// one in the text colour of the palette, so it follows the theme).
QIcon icon(const QString &name);
// Gives each action its icon (an action that already has one keeps it).
void apply(const QList<QPair<QAction *, QString>> &icons);
// Icons for the actions the panels own (menus, toolbar and the panels' own buttons share them).
void applyToPanels(BucketPanel *buckets, KeyPanel *keys, ValuePanel *value, WatchPanel *watches);
// The actions of every menu in the bar (and their submenus) that still have no icon.
QList<QAction *> actionsWithoutIcon(const QMenuBar *bar);

} // namespace ActionIcons
