#include "watchpanel.h"

#include "kvbucket.h"
#include "kvcontext.h"
#include "watchdialog.h"
#include "watchview.h"

#include <QtGui/QAction>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTabBar>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

WatchPanel::WatchPanel(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_tabs(new QTabWidget(this))
{
    setObjectName(u"watchPanel"_s);
    buildActions();
    m_tabs->setObjectName(u"watchTabs"_s);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, &WatchPanel::closeWatch);
    connect(m_tabs, &QTabWidget::currentChanged, this, &WatchPanel::updateActions);

    // With no watch open the panel says what it is for and offers the first one.
    auto *empty = new QWidget(this);
    auto *hint = new QLabel(tr("No watch is open. A watch shows every change to a bucket's keys as it happens."),
                            empty);
    hint->setWordWrap(true);
    hint->setAlignment(Qt::AlignCenter);
    auto *start = new QPushButton(tr("New Watch… (%1)").arg(m_newAction->shortcut().toString(QKeySequence::NativeText)),
                                  empty);
    start->setObjectName(u"watchStart"_s);
    start->setAccessibleDescription(tr("Chooses a bucket, and keys if you like, to watch live"));
    connect(start, &QPushButton::clicked, this, [this] { newWatch(); });
    auto *emptyLayout = new QVBoxLayout(empty);
    emptyLayout->addStretch(1);
    emptyLayout->addWidget(hint);
    emptyLayout->addWidget(start, 0, Qt::AlignCenter);
    emptyLayout->addStretch(1);
    m_stack->addWidget(empty);
    m_stack->addWidget(m_tabs);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    updateActions();
}

void WatchPanel::buildActions()
{
    m_newAction = new QAction(tr("&New Watch…"), this);
    m_newAction->setShortcut(QKeySequence(u"Ctrl+Shift+W"_s));
    connect(m_newAction, &QAction::triggered, this, [this] { newWatch(); });
    m_pauseAction = new QAction(tr("&Pause Feed"), this);
    m_pauseAction->setCheckable(true);
    m_pauseAction->setShortcut(QKeySequence(u"Ctrl+Shift+P"_s));
    connect(m_pauseAction, &QAction::triggered, this, [this](bool paused) {
        if (WatchView *view = currentView())
            view->setPaused(paused);
    });
    m_clearAction = new QAction(tr("C&lear Feed"), this);
    m_clearAction->setShortcut(QKeySequence(u"Ctrl+Shift+L"_s));
    connect(m_clearAction, &QAction::triggered, this, [this] {
        if (WatchView *view = currentView())
            view->clear();
    });
    m_followAction = new QAction(tr("&Follow Newest"), this);
    m_followAction->setCheckable(true);
    m_followAction->setShortcut(QKeySequence(u"Ctrl+Shift+End"_s));
    connect(m_followAction, &QAction::triggered, this, [this](bool follow) {
        if (WatchView *view = currentView())
            view->setFollowing(follow);
    });
    m_exportAction = new QAction(tr("&Export Feed…"), this);
    m_exportAction->setShortcut(QKeySequence(u"Ctrl+Shift+E"_s));
    connect(m_exportAction, &QAction::triggered, this, [this] {
        if (WatchView *view = currentView())
            view->exportFeed();
    });
    m_closeAction = new QAction(tr("Close &Watch"), this);
    m_closeAction->setShortcut(QKeySequence(u"Ctrl+Shift+F4"_s));
    connect(m_closeAction, &QAction::triggered, this, [this] {
        if (m_tabs->currentIndex() >= 0)
            closeWatch(m_tabs->currentIndex());
    });
}

void WatchPanel::setContext(KvContext *kv, bool hasSession)
{
    if (kv == m_kv)
        return;
    closeAll();
    m_kv = kv;
    m_bucketNames.clear();
    m_newAction->setEnabled(hasSession && kv);
}

void WatchPanel::setBucketNames(const QStringList &names)
{
    m_bucketNames = names;
}

void WatchPanel::setCurrentBucket(const QString &bucket)
{
    m_currentBucket = bucket;
}

void WatchPanel::setInterruption(const QString &reason)
{
    m_interruption = reason;
    for (int index = 0; index < count(); ++index) {
        view(index)->setInterruption(reason);
        updateTab(view(index));
    }
}

WatchView *WatchPanel::addWatch(const QString &bucket, const QStringList &filters, const KvWatchOptions &options)
{
    if (!m_kv)
        return nullptr;
    KvBucket *handle = m_kv->bucket(bucket);
    auto *view = new WatchView(handle, filters, options, m_tabs);
    handle->setParent(view); // the bucket handle lives as long as its watch
    view->setInterruption(m_interruption);
    const int index = m_tabs->addTab(view, view->title());
    m_tabs->setTabToolTip(index, view->description());
    for (QTabBar::ButtonPosition side : {QTabBar::LeftSide, QTabBar::RightSide}) {
        if (QWidget *close = m_tabs->tabBar()->tabButton(index, side)) // Qt's close button has an icon only
            close->setAccessibleName(tr("Close this watch"));
    }
    m_tabs->setCurrentIndex(index);
    m_stack->setCurrentWidget(m_tabs);
    connect(view, &WatchView::openRequested, this, &WatchPanel::openRequested);
    connect(view, &WatchView::message, this, &WatchPanel::message);
    connect(view, &WatchView::changesArrived, this, [this, view] { Q_EMIT bucketChanged(view->bucketName()); });
    connect(view, &WatchView::stateChanged, this, [this, view] {
        updateTab(view);
        updateActions();
    });
    updateActions();
    Q_EMIT watchAdded(view);
    return view;
}

void WatchPanel::updateTab(WatchView *view)
{
    const int index = m_tabs->indexOf(view);
    if (index < 0)
        return;
    const KvWatcher *watcher = view->watcher();
    QString text = view->title();
    // In the order the view's status line and state say it: a failed or interrupted watch is that first,
    // paused or not.
    if (watcher && watcher->state() == KvWatcher::State::Failed)
        text = tr("%1 (failed)").arg(text);
    else if (!m_interruption.isEmpty())
        text = tr("%1 (interrupted)").arg(text);
    else if (view->isPaused())
        text = tr("%1 (paused)").arg(text);
    m_tabs->setTabText(index, text);
}

int WatchPanel::count() const
{
    return m_tabs->count();
}

WatchView *WatchPanel::view(int index) const
{
    return qobject_cast<WatchView *>(m_tabs->widget(index));
}

WatchView *WatchPanel::currentView() const
{
    return qobject_cast<WatchView *>(m_tabs->currentWidget());
}

void WatchPanel::newWatch(const QString &bucket, const QString &filter)
{
    if (!m_kv)
        return;
    WatchDialog dialog(m_bucketNames, this);
    dialog.setBucket(bucket.isEmpty() ? m_currentBucket : bucket);
    dialog.setFilterText(filter);
    if (dialog.exec() == QDialog::Accepted)
        addWatch(dialog.bucket(), dialog.filters(), dialog.options());
}

void WatchPanel::closeWatch(int index)
{
    QWidget *widget = m_tabs->widget(index);
    if (!widget)
        return;
    m_tabs->removeTab(index);
    delete widget; // stops its watcher at once
    if (m_tabs->count() == 0)
        m_stack->setCurrentIndex(0);
    updateActions();
}

void WatchPanel::closeAll()
{
    while (m_tabs->count() > 0)
        closeWatch(m_tabs->count() - 1);
}

void WatchPanel::updateActions()
{
    const WatchView *view = currentView();
    for (QAction *action : {m_pauseAction, m_clearAction, m_followAction, m_exportAction, m_closeAction})
        action->setEnabled(view);
    m_exportAction->setEnabled(view && view->canExport()); // with no rows there is nothing to write
    m_pauseAction->setChecked(view && view->isPaused());
    m_followAction->setChecked(view && view->isFollowing());
}
