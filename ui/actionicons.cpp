#include "actionicons.h"

#include "bucketpanel.h"
#include "dimmediconengine.h"
#include "glyphiconengine.h"
#include "keypanel.h"
#include "valuepanel.h"
#include "watchpanel.h"

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
    if (QIcon::hasThemeIcon(name))
        return QIcon(new DimmedIconEngine(QIcon::fromTheme(name)));
    // The bundled ones are line drawings of one colour: drawn in the palette's text colour, they follow
    // the theme (their grey was 2.6:1 on the dark window).
    const QString bundled = u":/icons/actions/%1.svg"_s.arg(name);
    const QIcon glyph(QFile::exists(bundled) ? bundled : u":/icons/actions/action.svg"_s);
    return QIcon(new DimmedIconEngine(QIcon(new GlyphIconEngine(glyph))));
}

void apply(const QList<QPair<QAction *, QString>> &icons)
{
    for (const auto &[action, name] : icons) {
        if (action && action->icon().isNull())
            action->setIcon(icon(name));
    }
}

// The panels' own actions (their tool buttons show the same icons as the menus).
void applyToPanels(BucketPanel *buckets, KeyPanel *keys, ValuePanel *value, WatchPanel *watches)
{
    apply({
        {buckets->newAction(), u"folder-new"_s},
        {buckets->editAction(), u"document-properties"_s},
        {buckets->deleteAction(), u"edit-delete"_s},
        {buckets->compactAction(), u"edit-clear-all"_s},
        {buckets->refreshAction(), u"view-refresh"_s},
        {value->newKeyAction(), u"document-new"_s},
        {value->saveAction(), u"document-save"_s},
        {value->revertAction(), u"document-revert"_s},
        {value->reformatAction(), u"format-indent-more"_s},
        {value->deleteAction(), u"edit-delete"_s},
        {value->purgeAction(), u"edit-clear"_s},
        {value->copyKeyAction(), u"edit-copy"_s},
        {value->copyValueAction(), u"edit-paste"_s},
        {keys->filterAction(), u"edit-find"_s},
        {keys->reloadAction(), u"view-refresh"_s},
        {keys->listAction(), u"view-list"_s},
        {keys->treeAction(), u"view-list-tree"_s},
        {keys->showDeletedAction(), u"user-trash"_s},
        {keys->naturalSortAction(), u"view-sort-ascending"_s},
        {watches->newWatchAction(), u"list-add"_s},
        {watches->pauseAction(), u"media-playback-pause"_s},
        {watches->clearAction(), u"edit-clear-all"_s},
        {watches->followAction(), u"go-bottom"_s},
        {watches->exportAction(), u"document-save-as"_s},
        {watches->closeAction(), u"window-close"_s},
    });
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
