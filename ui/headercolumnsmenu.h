#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

class QHeaderView;

// A context menu on a view's header to show or hide columns, remembered under settingsKey.
namespace HeaderColumnsMenu {

void install(QHeaderView *header, const QString &settingsKey, const QList<int> &hiddenByDefault);

} // namespace HeaderColumnsMenu
