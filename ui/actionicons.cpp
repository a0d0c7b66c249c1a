#include "actionicons.h"

#include <QtCore/QFile>
#include <QtGui/QAction>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>

using namespace Qt::StringLiterals;

namespace {

// Qt takes the desktop's icon theme; without a desktop that names one (a bare X session, another
// desktop, the offscreen platform) it has only hicolor, which has no action icons: Adwaita is what
// Debian installs with the package.
void useFallbackTheme()
{
    static const bool done = [] {
        if (QIcon::themeName().isEmpty() || QIcon::themeName() == u"hicolor"_s)
            QIcon::setThemeName(u"Adwaita"_s);
        return true;
    }();
    Q_UNUSED(done);
}

void collect(const QMenu *menu, QList<QAction *> *out)
{
    for (QAction *action : menu->actions()) {
        if (action->isSeparator())
            continue;
        if (action->menu())
            collect(action->menu(), out);
        else if (action->icon().isNull())
            out->append(action);
    }
}

} // namespace

namespace ActionIcons {

QIcon icon(const QString &name)
{
    useFallbackTheme();
    const QString bundled = u":/icons/actions/%1.svg"_s.arg(name);
    return QIcon::fromTheme(name, QIcon(QFile::exists(bundled) ? bundled : u":/icons/actions/action.svg"_s));
}

void apply(const QList<QPair<QAction *, QString>> &icons)
{
    for (const auto &[action, name] : icons) {
        if (action && action->icon().isNull())
            action->setIcon(icon(name));
    }
}

QList<QAction *> actionsWithoutIcon(const QMenuBar *bar)
{
    QList<QAction *> out;
    for (QAction *action : bar->actions()) {
        if (action->menu())
            collect(action->menu(), &out);
    }
    return out;
}

} // namespace ActionIcons
