// MainWindow, continued: its docks, menus, icons, tab order and the layout kept between runs. The
// window's class is too big for one file; its flows (sessions, buckets, keys) stay in mainwindow.cpp.
#include "mainwindow.h"

#include "actionicons.h"
#include "appearance.h"
#include "asofbar.h"
#include "asofview.h"
#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "connectionbar.h"
#include "decodesizecap.h"
#include "emptystate.h"
#include "findinvaluesdialog.h"
#include "headercolumnsmenu.h"
#include "historypanel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "keypassphrasedialog.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "localserver.h"
#include "localserverlogdialog.h"
#include "natsconnection.h"
#include "permissiongate.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "transferdialog.h"
#include "valuepanel.h"
#include "watchpanel.h"
#include "watchview.h"
#include "welcomepage.h"

#include <QtCore/QSettings>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;

namespace {
// The watch dock's first height, in lines of text: its tabs, bar and rate chart, and eight rows of feed.
constexpr int kWatchDockLines = 28;
// What the docks leave above them at least, in lines of text: the bars, and the key list and the value's
// editor several lines each.
constexpr int kMainAreaLines = 24;
// The most of the width the buckets take by themselves, in per cent: the keys and the value are what the
// window is for.
constexpr int kBucketsShare = 42;
// How wide the keys and the value stay at least when the buckets take room from them, in average characters.
constexpr int kKeysAndValueChars = 52;
} // namespace

// Connection, Bucket, Key, View, Watch and Help, in that order; every action gets its icon.
void MainWindow::buildMenus()
{
    QList<QPair<QAction *, QString>> icons = buildConnectionMenu();
    icons += buildBucketMenu();
    buildKeyMenu();
    icons += buildViewMenu();
    buildWatchMenu();
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About kvdesk"), this, &MainWindow::showAbout);
    QAction *aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    icons += {{about, u"help-about"_s}, {aboutQt, u"help-about"_s}};
    setActionIcons(icons);
}

QList<QPair<QAction *, QString>> MainWindow::buildConnectionMenu()
{
    QMenu *file = menuBar()->addMenu(tr("&Connection"));
    QAction *manage = file->addAction(tr("&Manage Connections…"), this, &MainWindow::manageConnections);
    manage->setShortcut(QKeySequence(u"Ctrl+Shift+O"_s));
    QAction *reconnect = file->addAction(tr("&Connect"), this, &MainWindow::connectSelectedProfile);
    reconnect->setShortcut(QKeySequence(u"Ctrl+Shift+R"_s));
    QAction *disconnect = file->addAction(tr("&Disconnect"), this, [this] {
        if (m_session)
            m_session->close();
    });
    QAction *log = file->addAction(tr("Local Server &Log…"), this,
                                   [this] { LocalServerLogDialog(m_localServer, this).exec(); });
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    return {{manage, u"network-server"_s},
            {reconnect, u"network-wired"_s},
            {disconnect, u"network-offline"_s},
            {log, u"text-x-generic"_s},
            {quit, u"application-exit"_s}};
}

QList<QPair<QAction *, QString>> MainWindow::buildBucketMenu()
{
    QMenu *bucket = menuBar()->addMenu(tr("&Bucket"));
    bucket->addActions(
        {m_buckets->newAction(), m_buckets->editAction(), m_buckets->deleteAction(), m_buckets->compactAction()});
    bucket->addSeparator();
    bucket->addAction(m_buckets->refreshAction());
    bucket->addSeparator();
    bucket->addActions({m_watchBucketAction, m_exportAction, m_importAction});
    m_findAction = bucket->addAction(tr("Find in &Values…"), QKeySequence(u"Ctrl+Alt+F"_s), this,
                                     &MainWindow::findInValues);
    m_permissionGate->guard(m_findAction, PermissionGate::getRule());
    bucket->addSeparator();
    AsOfBar *asOf = m_keys->asOfBar();
    bucket->addActions({asOf->pointAction(), asOf->compareAction(), asOf->liveAction()});
    return {{asOf->pointAction(), u"document-open-recent"_s},
            {asOf->compareAction(), u"edit-find-replace"_s},
            {asOf->liveAction(), u"go-jump"_s},
            {m_findAction, u"edit-find"_s}};
}

void MainWindow::buildKeyMenu()
{
    QMenu *key = menuBar()->addMenu(tr("&Key"));
    key->addActions({m_value->newKeyAction(), m_openKeyAction, m_value->saveAction(), m_value->revertAction(),
                     m_value->reformatAction()});
    key->addSeparator();
    key->addActions({m_value->deleteAction(), m_value->purgeAction()});
    key->addSeparator();
    key->addActions(
        {m_value->copyKeyAction(), m_value->copyValueAction(), m_keys->filterAction(), m_keys->reloadAction()});
    key->addSeparator();
    key->addActions({m_historyAction, m_watchKeyAction});
}

QList<QPair<QAction *, QString>> MainWindow::buildViewMenu()
{
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions(
        {m_keys->listAction(), m_keys->treeAction(), m_keys->showDeletedAction(), m_keys->naturalSortAction()});
    // The headers' right-click menus, for the keyboard: a header takes no focus.
    view->addMenu(HeaderColumnsMenu::create(
        tr("Key &Columns and Sorting"), [this] { return m_keys->currentHeader(); }, view));
    view->addMenu(HeaderColumnsMenu::create(
        tr("&Bucket Columns and Sorting"), [this] { return m_buckets->header(); }, view));
    view->addSeparator();
    view->addActions({m_watchDock->toggleViewAction(), m_historyDock->toggleViewAction()});
    view->addSeparator();
    view->addMenu(Appearance::createThemeMenu(this));
    QAction *decodeCap = view->addAction(tr("Decoded &Size Cap…"), this, [this] { DecodeSizeCap::ask(this); });
    return {{decodeCap, u"document-properties"_s}};
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_splitter->restoreState(settings.value(u"window/splitter"_s).toByteArray());
    if (!settings.contains(u"window/splitter"_s)) {
        m_bucketsNeedSizing = true;
        connect(m_buckets, &BucketPanel::wholeColumnsWidthChanged, this, &MainWindow::fitBucketPanel);
        connect(m_splitter, &QSplitter::splitterMoved, this, [this] { m_bucketsNeedSizing = false; });
    }
    m_keys->setTreeMode(settings.value(u"window/keyTree"_s, false).toBool());
    if (!settings.contains(u"window/geometry"_s)) {
        // 1280×800 where it fits, else 90 % of the free part of the screen, centred: large fonts
        // (QT_FONT_DPI=144 makes a 1400×900 screen 933×600 device-independent pixels) shrink the screen.
        const QRect available = screen()->availableGeometry();
        resize(QSize(1280, 800).boundedTo(available.size() * 0.9));
        move(available.center() - rect().center());
        m_docksNeedSizing = true; // on the first show, at the window's final size
    }
}

// Tall enough for a feed of eight rows or more under the watch's tabs, bar and rate chart, in lines of text
// (a fixed 260 px showed three to six rows), yet never more than 48 % of the window nor so much that the
// window's upper part keeps fewer than kMainAreaLines: the keys and the value are what the window is for (at
// 28 lines the docks took half of a window at 144 dpi, left the key list two rows and cut the value's
// conflict banner).
// Done when the window and the docks are first shown together: the welcome page hides them at first.
void MainWindow::sizeDocksOnce()
{
    if (!m_docksNeedSizing || !isVisible() || (m_watchDock->isHidden() && m_historyDock->isHidden()))
        return;
    m_docksNeedSizing = false;
    const int line = fontMetrics().height();
    const int dockHeight = std::min({line * kWatchDockLines, height() * 48 / 100, height() - line * kMainAreaLines});
    resizeDocks({m_watchDock}, {dockHeight}, Qt::Vertical);
}

// Until the user moves the splitter, the buckets' panel grows to show natscli's columns whole (up to
// kBucketsShare of the width; at a fixed 380 px "Size" was cut in half and "Values" and "Last Update"
// were a scroll away). The room comes from what the keys and the value have beyond their own needs, in
// proportion, each keeping kKeysAndValueChars: in a small window they keep it all.
void MainWindow::fitBucketPanel(int wholeColumnsWidth)
{
    QList<int> sizes = m_splitter->sizes();
    if (!m_bucketsNeedSizing || sizes.size() != 3)
        return;
    const int total = sizes[0] + sizes[1] + sizes[2];
    const int floor = fontMetrics().averageCharWidth() * kKeysAndValueChars;
    const int keysSpare = std::max(0, sizes[1] - std::max(floor, m_keys->sizeHint().width()));
    const int valueSpare = std::max(0, sizes[2] - std::max(floor, m_value->sizeHint().width()));
    const int grow = std::min({wholeColumnsWidth, total * kBucketsShare / 100}) - sizes[0];
    const int taken = std::min(grow, keysSpare + valueSpare);
    if (taken <= 0)
        return;
    const int fromKeys = int(qint64(taken) * keysSpare / (keysSpare + valueSpare));
    sizes[0] += taken;
    sizes[1] -= fromKeys;
    sizes[2] -= taken - fromKeys;
    m_splitter->setSizes(sizes);
    m_buckets->fitColumns(); // short of room, the description gives some up
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    sizeDocksOnce();
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/splitter"_s, m_splitter->saveState());
    settings.setValue(u"window/keyTree"_s, m_keys->treeAction()->isChecked());
}

// History and live watch: two bottom docks, tabbed together; their actions go into the Bucket, Key, View
// and Watch menus.
void MainWindow::buildDocks()
{
    createDocks();
    connectDocks();
    createDockActions();
}

void MainWindow::createDocks()
{
    m_history = new HistoryPanel(this);
    m_watches = new WatchPanel(this);
    m_historyDock = new QDockWidget(tr("History"), this);
    m_historyDock->setObjectName(u"historyDock"_s);
    m_historyDock->setWidget(m_history);
    m_historyDock->toggleViewAction()->setText(tr("&History Panel"));
    m_historyDock->toggleViewAction()->setShortcut(QKeySequence(u"Ctrl+Alt+H"_s));
    m_watchDock = new QDockWidget(tr("Watch"), this);
    m_watchDock->setObjectName(u"watchDock"_s);
    m_watchDock->setWidget(m_watches);
    m_watchDock->toggleViewAction()->setText(tr("&Watch Panel"));
    m_watchDock->toggleViewAction()->setShortcut(QKeySequence(u"Ctrl+Alt+W"_s));
    addDockWidget(Qt::BottomDockWidgetArea, m_watchDock);
    addDockWidget(Qt::BottomDockWidgetArea, m_historyDock);
    tabifyDockWidget(m_watchDock, m_historyDock);
    m_historyDock->raise();
}

// The docks and the rest of the window: the editor's value for the history's comparisons, the key opened,
// messages for the status bar, the bucket names for new watches.
void MainWindow::connectDocks()
{
    // A watch on any bucket: its Size and Values follow within a second, as the open bucket's do.
    connect(m_watches, &WatchPanel::bucketChanged, m_buckets, &BucketPanel::refreshSoon);
    m_history->setEditorSource([this](QByteArray *value, QString *label) {
        if (m_value->key() != m_history->key())
            return false;
        *label = m_value->isModified() ? tr("Editor (unsaved)") : tr("Editor");
        return m_value->editorValue(value);
    });
    // Whatever opens a key in the editor (a click, a new key, the feed) shows its history too.
    connect(m_value, &ValuePanel::entryLoaded, m_history, [this](const KvEntry &entry) {
        m_history->setKey(entry.key);
        // As it was: the revision the value panel shows, not the newest (the two showed different values).
        if (m_keys->asOfBar()->isActive())
            m_history->selectRevision(entry.revision);
    });
    connect(m_history, &HistoryPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, kMessageMs); });
    connect(m_watches, &WatchPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, kMessageMs); });
    connect(m_watches, &WatchPanel::openRequested, this, &MainWindow::openFeedRevision);
    const auto updateBucketNames = [this] { m_watches->setBucketNames(bucketNames()); };
    connect(m_buckets->model(), &QAbstractItemModel::modelReset, this, updateBucketNames);
    connect(m_buckets->model(), &QAbstractItemModel::rowsInserted, this, updateBucketNames);
    connect(m_buckets->model(), &QAbstractItemModel::rowsRemoved, this, updateBucketNames);
    connect(m_watches, &WatchPanel::watchAdded, this, [this] {
        orderTabs(); // the new feed's widgets joined the focus chain at its end
        m_watchDock->show();
        m_watchDock->raise();
    });
}

// The Key History, Watch and Transfer actions, put into the menus and the toolbar later.
void MainWindow::createDockActions()
{
    m_historyAction = new QAction(tr("Key &History"), this);
    m_historyAction->setShortcut(QKeySequence(u"Ctrl+H"_s));
    connect(m_historyAction, &QAction::triggered, this, &MainWindow::showHistory);
    m_watchKeyAction = new QAction(tr("Watch &This Key"), this);
    m_watchKeyAction->setShortcut(QKeySequence(u"Ctrl+Alt+K"_s));
    connect(m_watchKeyAction, &QAction::triggered, this, [this] { watchCurrent(true); });
    m_watchBucketAction = new QAction(tr("Watch This &Bucket"), this);
    m_watchBucketAction->setShortcut(QKeySequence(u"Ctrl+Alt+B"_s));
    connect(m_watchBucketAction, &QAction::triggered, this, [this] { watchCurrent(false); });
    m_exportAction = new QAction(tr("E&xport…"), this);
    m_exportAction->setShortcut(QKeySequence(u"Ctrl+Shift+X"_s));
    connect(m_exportAction, &QAction::triggered, this, [this] { transferBucket(false); });
    m_importAction = new QAction(tr("&Import…"), this);
    m_importAction->setShortcut(QKeySequence(u"Ctrl+Shift+I"_s));
    connect(m_importAction, &QAction::triggered, this, [this] { transferBucket(true); });
}

// The welcome page stands alone: no empty History or Watch dock beside it; the docks that were shown
// come back with the first connection.
void MainWindow::hideDocksOnWelcomePage()
{
    const auto followPage = [this] {
        const bool welcome = m_pages->currentWidget() != m_splitter;
        for (QDockWidget *dock : {m_historyDock, m_watchDock}) {
            if (welcome && !dock->isHidden()) {
                dock->setProperty("kvdeskShowAfterWelcome", true);
                dock->hide();
            } else if (!welcome && dock->property("kvdeskShowAfterWelcome").toBool()) {
                dock->setProperty("kvdeskShowAfterWelcome", false);
                dock->show();
            }
        }
        sizeDocksOnce();
    };
    connect(m_pages, &QStackedWidget::currentChanged, this, followPage);
    followPage();
}

// Tab goes as the eye reads: the connection bar on top, buckets, keys, value (or the welcome page), then the
// docks below. By creation order the bar (made after the panels) and the docks came between the value and the
// buckets.
void MainWindow::orderTabs()
{
    QList<QWidget *> chain;
    QWidget *welcome = m_pages->widget(0); // in place of the three panels until a connection opens
    const QList<QWidget *> areas{m_connectionBar, welcome, m_buckets, m_keys, m_value, m_watches, m_history};
    for (QWidget *area : areas) {
        for (QWidget *w = area->nextInFocusChain(); w != area; w = w->nextInFocusChain()) {
            if (area->isAncestorOf(w) && w->focusPolicy() != Qt::NoFocus && !chain.contains(w))
                chain.append(w);
        }
    }
    for (qsizetype i = 1; i < chain.size(); ++i)
        setTabOrder(chain[i - 1], chain[i]);
}

void MainWindow::buildWatchMenu()
{
    QMenu *watch = menuBar()->addMenu(tr("&Watch"));
    watch->addActions({m_watches->newWatchAction(), m_watchBucketAction, m_watchKeyAction});
    watch->addSeparator();
    watch->addActions({m_watches->pauseAction(), m_watches->clearAction(), m_watches->followAction(),
                       m_watches->exportAction(), m_watches->closeAction()});
}

// Icons for every menu action (freedesktop names, ui/actionicons) and the main toolbar with the everyday ones.
void MainWindow::setActionIcons(const QList<QPair<QAction *, QString>> &menuActions)
{
    ActionIcons::apply(menuActions);
    ActionIcons::applyToPanels(m_buckets, m_keys, m_value, m_watches);
    ActionIcons::apply({
        {m_watchBucketAction, u"media-playback-start"_s},
        {m_exportAction, u"document-send"_s},
        {m_importAction, u"document-open"_s},
        {m_historyAction, u"document-open-recent"_s},
        {m_watchKeyAction, u"media-playback-start"_s},
        {m_watchDock->toggleViewAction(), u"media-record"_s},
        {m_historyDock->toggleViewAction(), u"document-open-recent"_s},
    });
    QToolBar *bar = addToolBar(tr("Main Toolbar"));
    bar->setObjectName(u"mainToolBar"_s);
    bar->setToolButtonStyle(Qt::ToolButtonFollowStyle);
    bar->addActions({m_buckets->newAction(), m_buckets->refreshAction()});
    bar->addSeparator();
    bar->addActions({m_value->newKeyAction(), m_value->saveAction(), m_value->revertAction(), m_value->deleteAction(),
                     m_keys->filterAction(), m_keys->reloadAction()});
    bar->addSeparator();
    bar->addActions({m_historyAction, m_watchBucketAction, m_watchKeyAction});
}
