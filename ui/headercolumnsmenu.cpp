#include "headercolumnsmenu.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSettings>
#include <QtGui/QActionGroup>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QMenu>

namespace {

constexpr char kSettingsKey[] = "kvdeskColumnsKey";

QString title(const QHeaderView *header, int column)
{
    return header->model()->headerData(column, Qt::Horizontal).toString();
}

void addColumnChoices(QMenu *menu, QHeaderView *header)
{
    const QString settingsKey = header->property(kSettingsKey).toString();
    for (int column = 1; column < header->count(); ++column) { // the first column always stays
        QAction *action = menu->addAction(
            QCoreApplication::translate("HeaderColumnsMenu", "Show %1").arg(title(header, column)));
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
}

// The sort indicator is what the view sorts by (sorting is enabled on every view this is installed on).
void addSortChoices(QMenu *menu, QHeaderView *header)
{
    auto *group = new QActionGroup(menu);
    for (int column = 0; column < header->count(); ++column) {
        if (header->isSectionHidden(column))
            continue;
        QAction *action = menu->addAction(
            QCoreApplication::translate("HeaderColumnsMenu", "Sort by %1").arg(title(header, column)));
        action->setCheckable(true);
        action->setChecked(header->sortIndicatorSection() == column);
        group->addAction(action);
        QObject::connect(action, &QAction::triggered, header,
                         [header, column] { header->setSortIndicator(column, header->sortIndicatorOrder()); });
    }
    QAction *descending = menu->addAction(QCoreApplication::translate("HeaderColumnsMenu", "Descending"));
    descending->setCheckable(true);
    descending->setChecked(header->sortIndicatorOrder() == Qt::DescendingOrder);
    QObject::connect(descending, &QAction::toggled, header, [header](bool down) {
        header->setSortIndicator(header->sortIndicatorSection(), down ? Qt::DescendingOrder : Qt::AscendingOrder);
    });
}

void fill(QMenu *menu, QHeaderView *header)
{
    menu->clear();
    if (!header || !header->model())
        return;
    addColumnChoices(menu, header);
    menu->addSeparator();
    addSortChoices(menu, header);
}

} // namespace

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
    header->setProperty(kSettingsKey, settingsKey);

    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(header, &QHeaderView::customContextMenuRequested, header, [header](const QPoint &pos) {
        QMenu menu(header);
        fill(&menu, header);
        menu.exec(header->mapToGlobal(pos));
    });
}

QMenu *create(const QString &title, const std::function<QHeaderView *()> &header, QWidget *parent)
{
    auto *menu = new QMenu(title, parent);
    QObject::connect(menu, &QMenu::aboutToShow, menu, [menu, header] { fill(menu, header()); });
    return menu;
}

} // namespace HeaderColumnsMenu
