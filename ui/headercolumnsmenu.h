#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

#include <functional>

class QHeaderView;
class QMenu;
class QWidget;

// A view's columns and sort order in a menu: which columns show (remembered under a settings key) and which
// column sorts, in which direction. The header's context menu for the mouse, and a menu of its own (in the
// menu bar) for the keyboard, since a header takes no keyboard focus.
namespace HeaderColumnsMenu {

void install(QHeaderView *header, const QString &settingsKey, const QList<int> &hiddenByDefault);
// A menu titled title for whatever header header() returns when it opens (the key list or the key tree).
QMenu *create(const QString &title, const std::function<QHeaderView *()> &header, QWidget *parent);

} // namespace HeaderColumnsMenu
