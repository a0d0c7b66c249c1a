#pragma once

#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtGui/QIcon>

class QAction;
class QMenuBar;

// Icons for menu and toolbar actions: freedesktop icon names from the desktop's icon theme (Adwaita on
// Debian, which the package depends on), with small SVGs compiled into the app for platforms that have
// no theme (resources/icons/actions).
namespace ActionIcons {

// The theme's icon called name, else the bundled one of that name, else a neutral bundled one.
QIcon icon(const QString &name);
// Gives each action its icon (an action that already has one keeps it).
void apply(const QList<QPair<QAction *, QString>> &icons);
// The actions of every menu in the bar (and their submenus) that still have no icon.
QList<QAction *> actionsWithoutIcon(const QMenuBar *bar);

} // namespace ActionIcons
