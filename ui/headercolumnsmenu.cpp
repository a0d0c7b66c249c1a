#include "headercolumnsmenu.h"

#include <QtCore/QSettings>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QMenu>

namespace HeaderColumnsMenu {

void install(QHeaderView *header, const QString &settingsKey, const QList<int> &hiddenByDefault)
{
    QSettings settings;
    QList<int> hidden = hiddenByDefault;
    if (settings.contains(settingsKey)) {
        hidden.clear();
        for (const QVariant &column : settings.value(settingsKey).toList())
            hidden.append(column.toInt());
    }
    for (int column = 0; column < header->count(); ++column)
        header->setSectionHidden(column, hidden.contains(column));

    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(
        header, &QHeaderView::customContextMenuRequested, header, [header, settingsKey](const QPoint &pos) {
            QMenu menu(header);
            for (int column = 1; column < header->count(); ++column) { // the first column always stays
                const QString title = header->model()->headerData(column, Qt::Horizontal).toString();
                QAction *action = menu.addAction(title);
                action->setCheckable(true);
                action->setChecked(!header->isSectionHidden(column));
                QObject::connect(action, &QAction::toggled, header, [header, column, settingsKey](bool shown) {
                    header->setSectionHidden(column, !shown);
                    QVariantList hiddenNow;
                    for (int c = 0; c < header->count(); ++c) {
                        if (header->isSectionHidden(c))
                            hiddenNow.append(c);
                    }
                    QSettings().setValue(settingsKey, hiddenNow);
                });
            }
            menu.exec(header->mapToGlobal(pos));
        });
}

} // namespace HeaderColumnsMenu
