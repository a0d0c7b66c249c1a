#include "keypanel.h"

#include "appearance.h"
#include "asofbar.h"
#include "asofview.h"
#include "columnfit.h"
#include "errorlabel.h"
#include "headercolumnsmenu.h"
#include "humanformat.h"
#include "interruptionbanner.h"
#include "keyfilterproxymodel.h"
#include "keylistfiltermodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"
#include "kvbucket.h"
#include "kvnames.h"
#include "kvunits.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QSet>
#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QActionGroup>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>
#include <limits>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr int kFilterDelayMs = 300;
// With a filter the tree opens this many folders holding matches (depth first, as the tree reads), looking
// at most at kExpandVisits rows: a filter matching a million keys must not lay out a million rows.
constexpr int kExpandFolders = 200;
constexpr int kExpandVisits = 20000;
// The key name the panel asks room for beside its other columns, in average characters ("orders.2024.eu.17").
constexpr int kKeyNameChars = 16;
const auto kSortOrderKey = QStringLiteral("keys/sortOrder");

// A filter with a whole-token "*" or a final ">" is a NATS wildcard for the server.
bool isWildcardFilter(const QString &text)
{
    const QStringList tokens = text.split(u'.');
    return std::any_of(tokens.cbegin(), tokens.cend(), [](const QString &t) { return t == "*"_L1 || t == ">"_L1; });
}

} // namespace

KeyPanel::KeyPanel(QWidget *parent)
    : QWidget(parent)
    , m_list(new KeyListModel(this))
    , m_listProxy(new KeyListFilterModel(m_list, this))
    , m_filter(new QLineEdit(this))
    , m_filterTimer(new QTimer(this))
    , m_stack(new QStackedWidget(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_error(new ErrorLabel(this))
    , m_interruption(new InterruptionBanner(this))
    , m_waitTimer(new QTimer(this))
{
    setObjectName(u"keyPanel"_s);
    createListView();
    createFilter();
    createActions();
    createAsOf();
    layoutWidgets();
    connectModel();
    updateStatus();
}

void KeyPanel::createListView()
{
    // A QTableView, not a QTreeView: on each insert a tree view lays out every row again (a structure per
    // row, ~90 ms at a million keys while they stream in); a table only grows its vertical header.
    m_listView = new QTableView(this);
    setUpView(m_listView, u"keyListView"_s);
    m_listView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_listView->setShowGrid(false);
    m_listView->setWordWrap(false);
    m_listView->setTabKeyNavigation(false); // Tab leaves the list, as from the tree
    m_listView->setCornerButtonEnabled(false);
    m_listView->horizontalHeader()->setHighlightSections(false);
    m_listView->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    QHeaderView *rows = m_listView->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed); // never measured: every row is one line
    rows->setMinimumSectionSize(1);
    rows->setDefaultSectionSize(fontMetrics().height() + 6);
    followRowsLeaving(m_listView, m_listProxy, &m_listLeaving); // before setModel(): see there
    m_listView->setModel(m_listProxy);
    configureColumns(m_listView->horizontalHeader(), u"columns/keyList"_s);
    m_listView->setSortingEnabled(true);
    m_listView->sortByColumn(KeyListModel::KeyColumn, Qt::AscendingOrder);
    m_stack->addWidget(m_listView);
    connectCurrentKey(m_listView, &m_listLeaving);
}

// The open key's row leaving the view (the key deleted, purged or expired) is not the user picking the row
// next to it, as the selection model, which moves the current row there, takes it: opening that key
// would ask to discard an edit nobody asked to leave, or quietly hide that the key went. The current row
// is cleared instead, and the value panel keeps the key it shows. Connected before the view gets the
// model: these slots then run before its selection model's, which moves the current row on.
void KeyPanel::followRowsLeaving(QAbstractItemView *view, QAbstractItemModel *proxy, RowsLeaving *leaving)
{
    connect(proxy, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [view, leaving](const QModelIndex &parent, int first, int last) {
                leaving->removing = true;
                const QModelIndex current = view->selectionModel()->currentIndex();
                const bool goes = current.isValid() && current.parent() == parent && current.row() >= first
                    && current.row() <= last;
                leaving->currentKey = goes ? current.data(KeyListModel::KeyRole).toString() : QString();
                leaving->parent = parent;
                leaving->first = first;
            });
    connect(proxy, &QAbstractItemModel::rowsRemoved, this, [this, view, leaving] {
        leaving->removing = false;
        if (!std::exchange(leaving->currentLeft, false))
            return;
        view->selectionModel()->clear();
        // The user's own Del: on to the neighbour, as a file manager does (the focus coming back to the list
        // made the first row current instead).
        if (m_moveOnKey.isEmpty() || leaving->currentKey != std::exchange(m_moveOnKey, {}))
            return;
        const QModelIndex parent = leaving->parent;
        const int rows = view->model()->rowCount(parent);
        if (rows > 0) {
            const QModelIndex next = view->model()->index(std::min(leaving->first, rows - 1), 0, parent);
            view->selectionModel()->setCurrentIndex(next,
                                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    });
}

void KeyPanel::connectCurrentKey(QAbstractItemView *view, RowsLeaving *leaving)
{
    // A current row that is not selected is no pick: the view makes its first row current when it takes
    // the focus (Tab, Esc out of the as-of field, a click below the rows), and Ctrl+arrows move the
    // current row alone. The row is picked once it is both: an arrow selects it before it becomes
    // current, a click after, so both signals ask.
    const auto pick = [this, view, leaving] {
        const QModelIndex index = view->selectionModel()->currentIndex();
        if (!index.isValid() || !view->selectionModel()->isSelected(index)) {
            leaving->picked = QPersistentModelIndex();
            return;
        }
        if (leaving->picked == index)
            return;
        leaving->picked = index;
        if (!index.data(KeyTreeModel::IsFolderRole).toBool())
            Q_EMIT keySelected(index.data(KeyListModel::KeyRole).toString());
    };
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this, [leaving, pick] {
        if (leaving->removing) {
            leaving->currentLeft = true;
            return;
        }
        pick();
    });
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [leaving, pick] {
        if (!leaving->removing)
            pick();
    });
    // A reset model's selection goes without a word from the selection model.
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &KeyPanel::selectionChanged);
    connect(view->model(), &QAbstractItemModel::modelReset, this, &KeyPanel::selectionChanged);
}

void KeyPanel::createFilter()
{
    m_filter->setObjectName(u"keyFilter"_s);
    // A hint short enough for a narrow panel; the whole of it in the tooltip and for screen readers.
    m_filter->setPlaceholderText(tr("Filter: text or orders.>"));
    const QString explained = tr("Text found anywhere in the key, a glob (grp01.k0011*), or NATS wildcards such as "
                                 "orders.*.status or orders.> (several: separate by spaces)");
    m_filter->setToolTip(explained);
    m_filter->setAccessibleName(tr("Key filter"));
    m_filter->setAccessibleDescription(explained);
    m_filter->setClearButtonEnabled(true);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(kFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filter, &QLineEdit::returnPressed, this, [this] {
        applyFilter();
        enterKeys();
    });
    connect(m_filterTimer, &QTimer::timeout, this, &KeyPanel::applyFilter);
    m_filter->installEventFilter(this); // Down: to the keys
}

// Down in the filter box goes to the keys, as Enter does: from typing the filter to its results.
bool KeyPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const auto *press = static_cast<QKeyEvent *>(event);
        if (press->key() == Qt::Key_Down && press->modifiers() == Qt::NoModifier) {
            if (m_filterTimer->isActive())
                applyFilter(); // what was typed, without waiting for the pause
            enterKeys();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

// The focus to the list or tree, on its first key when none is picked (Down in the list itself would pick
// it): the view alone, taking the focus, makes its first row current without picking it, and Down then
// went to the second.
void KeyPanel::enterKeys()
{
    QAbstractItemView *view = currentView();
    if (!view->isEnabled())
        return;
    view->setFocus(Qt::OtherFocusReason);
    if (currentKey().isEmpty() && view->selectionModel()->selectedRows().isEmpty()) {
        const QModelIndex first = view->model()->index(0, 0);
        if (first.isValid())
            view->selectionModel()->setCurrentIndex(first,
                                                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
}

void KeyPanel::createActions()
{
    m_filterAction = new QAction(tr("&Filter Keys"), this);
    m_filterAction->setShortcut(QKeySequence::Find);
    connect(m_filterAction, &QAction::triggered, this, [this] {
        m_filter->setFocus();
        m_filter->selectAll();
    });
    m_listAction = new QAction(tr("Keys as &List"), this);
    m_listAction->setIconText(tr("List"));
    m_listAction->setCheckable(true);
    m_listAction->setChecked(true);
    m_listAction->setShortcut(QKeySequence(u"Ctrl+1"_s));
    m_treeAction = new QAction(tr("Keys as &Tree"), this);
    m_treeAction->setIconText(tr("Tree"));
    m_treeAction->setCheckable(true);
    m_treeAction->setShortcut(QKeySequence(u"Ctrl+2"_s));
    auto *group = new QActionGroup(this);
    group->addAction(m_listAction);
    group->addAction(m_treeAction);
    connect(m_treeAction, &QAction::toggled, this, &KeyPanel::setTreeMode);
    m_showDeletedAction = new QAction(tr("Show &Deleted Keys"), this);
    m_showDeletedAction->setIconText(tr("Deleted"));
    m_showDeletedAction->setCheckable(true);
    connect(m_showDeletedAction, &QAction::toggled, this, [this](bool show) {
        m_listProxy->setShowDeleted(show);
        if (m_treeProxy)
            m_treeProxy->setShowDeleted(show);
        updateStatus();
    });
    m_reloadAction = new QAction(tr("Re&load Keys"), this);
    connect(m_reloadAction, &QAction::triggered, this, &KeyPanel::reload);
    for (QAction *action : {m_filterAction, m_reloadAction})
        action->setEnabled(false); // until a bucket is open
    m_naturalSortAction = new QAction(tr("Sort Keys &Naturally (key2 before key10)"), this);
    m_naturalSortAction->setCheckable(true);
    const auto order = KeyCollation::orderFromName(QSettings().value(kSortOrderKey).toString());
    m_naturalSortAction->setChecked(order == KeyCollation::Order::Natural);
    m_list->setCollation(order);
    connect(m_naturalSortAction, &QAction::toggled, this, [this](bool natural) {
        const auto chosen = natural ? KeyCollation::Order::Natural : KeyCollation::Order::Plain;
        QSettings().setValue(kSortOrderKey, KeyCollation::orderName(chosen));
        m_list->setCollation(chosen); // sorted again in steps; the tree follows
    });
}

void KeyPanel::layoutWidgets()
{
    auto makeButton = [this](QAction *action) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        Appearance::showCheckedState(button);
        return button;
    };
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("<b>Keys</b>"), this));
    top->addWidget(m_filter, 1);
    top->addWidget(makeButton(m_listAction));
    top->addWidget(makeButton(m_treeAction));
    top->addWidget(makeButton(m_showDeletedAction));

    m_status->setObjectName(u"keyStatus"_s);
    m_error->setObjectName(u"keyError"_s);
    m_progress->setObjectName(u"keyProgress"_s);
    m_progress->setMaximumWidth(200);
    m_progress->hide();
    m_cancel->setObjectName(u"cancelLoading"_s);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, m_list, &KeyListModel::cancelLoading);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_status, 1);
    bottom->addWidget(m_progress);
    bottom->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_asOf);
    layout->addWidget(m_interruption);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_error);
    layout->addLayout(bottom);
}

void KeyPanel::connectModel()
{
    // While the initial keys stream in, the proxies append instead of inserting each key at its sorted
    // place (that costs a shifted mapping per key); one sort at the end (keymodelbench: 100,000 keys
    // load in ~1 s with the slowest batch ~25 ms, and sort in ~0.4 s).
    connect(m_list, &KeyListModel::loadingStarted, this, [this] {
        setLiveSorting(false);
        updateStatus();
    });
    connect(m_list, &KeyListModel::loadingProgress, this, &KeyPanel::updateStatus);
    // While the server prepares the listing (seconds for a million keys on 2.9) nothing arrives: the
    // status counts the seconds so the wait is not mistaken for a hang.
    m_waitTimer->setInterval(1000);
    connect(m_waitTimer, &QTimer::timeout, this, &KeyPanel::updateStatus);
    connect(m_list, &KeyListModel::loadingFinished, this, [this] {
        setLiveSorting(true);
        updateStatus();
    });
    // After the proxy has taken a change in (it connected first): keys added, deleted, filtered out.
    connect(m_list, &QAbstractItemModel::rowsInserted, this, &KeyPanel::updateStatus);
    connect(m_list, &QAbstractItemModel::dataChanged, this, &KeyPanel::updateStatus);
    connect(m_listProxy, &QAbstractItemModel::rowsInserted, this, &KeyPanel::updateStatus);
    connect(m_listProxy, &QAbstractItemModel::rowsRemoved, this, &KeyPanel::updateStatus);
    connect(m_listProxy, &QAbstractItemModel::modelReset, this, &KeyPanel::updateStatus);
    connect(m_listProxy, &QAbstractItemModel::layoutChanged, this, &KeyPanel::updateStatus);
    connect(m_list, &KeyListModel::watchRecovering, this, [this](const QString &reason) {
        m_error->setMessage(tr("Live updates interrupted (%1); resuming…").arg(reason));
    });
    connect(m_list, &KeyListModel::watchResumed, this, [this] { m_error->setMessage({}); });
    connect(m_list, &KeyListModel::errorOccurred, this,
            [this](const QString &message) { m_error->setMessage(tr("Keys could not be loaded: %1").arg(message)); });
    // The keys shown are another bucket's: list the one there is, and say why the list changed.
    connect(m_list, &KeyListModel::bucketReplaced, this, [this] {
        reload();
        if (m_bucket)
            m_error->setInfo(tr("Bucket \"%1\" is not the one listed before (deleted and made again, or another "
                                "server's copy): its keys were listed again.")
                                 .arg(m_bucket->name()));
    });
}

void KeyPanel::createAsOf()
{
    // While the bucket is shown as it was, its read-only list takes the live one's place; the live list
    // keeps following the bucket underneath, and Esc brings it back.
    m_asOf = new AsOfBar(this);
    m_stack->addWidget(m_asOf->view());
    addAction(m_asOf->liveAction());
    m_asOf->setLiveKeys([this] {
        QStringList keys;
        for (int row = 0; row < m_list->rowCount(); ++row) {
            if (const KvEntry entry = m_list->entryAt(row); !entry.isDeleted())
                keys.append(entry.key);
        }
        return keys;
    });
    m_asOf->setKeyFilter([this]() -> QString {
        // A folder selected in the tree: that folder as it was; else the server filter, when there is one.
        const QModelIndex index = m_treeView && currentView() == m_treeView ? m_treeView->currentIndex()
                                                                            : QModelIndex();
        if (index.isValid() && m_treeView->model()->hasChildren(index))
            return index.data(KeyTreeModel::PathRole).toString() + u".>"_s;
        return m_serverFilters.size() == 1 ? m_serverFilters.constFirst() : QString();
    });
    connect(m_asOf, &AsOfBar::countChanged, this, &KeyPanel::updateStatus);
    connect(m_asOf, &AsOfBar::activeChanged, this, [this](bool active) {
        QWidget *live = m_treeAction->isChecked() && m_treeView ? static_cast<QWidget *>(m_treeView) : m_listView;
        m_stack->setCurrentWidget(active ? m_asOf->view() : live);
        for (QAction *action : {m_listAction, m_treeAction, m_showDeletedAction})
            action->setEnabled(!active);
        m_filter->setEnabled(!active);
        updateLiveActions();
        m_stack->currentWidget()->setFocus();
    });
}

void KeyPanel::configureColumns(QHeaderView *header, const QString &settingsKey)
{
    // Fixed widths: measuring the contents of 100,000 rows would stall the window. Each fits the widest
    // thing its column shows, measured in the view's font (64 px cut a server's marker to "EXPIR…", 140 a
    // date at a large font), before any column is hidden and with room for the sort arrow.
    header->setStretchLastSection(false);
    header->setSortIndicatorShown(true);
    header->setSectionResizeMode(KeyListModel::KeyColumn, QHeaderView::Stretch);
    // A narrow panel squeezes the stretched Key column first: never below its name (it became "Ke").
    header->setMinimumSectionSize(
        std::max(header->minimumSectionSize(), fontMetrics().horizontalAdvance(tr("Key name")) + 12));
    const auto *view = static_cast<const QAbstractItemView *>(header->parentWidget());
    const QString time = ColumnFit::sampleTime();
    const auto fit = [view, header](int column, const QStringList &samples, bool icon = false) {
        header->resizeSection(column, ColumnFit::width(view, header, column, samples, icon));
    };
    fit(KeyListModel::RevisionColumn, {u"100000000"_s});
    fit(KeyListModel::OperationColumn, ColumnFit::operationLabels(ColumnFit::Markers::Word), true);
    fit(KeyListModel::UpdatedColumn, {time});
    fit(KeyListModel::SizeColumn, {KvUnits::iBytes(1000 * 1024 * 1024)});
    fit(KeyListModel::ExpiresColumn, {time, KeyListModel::tr("never")});
    // Expires (a key's own TTL, nats-server 2.11+) is there for those who look for it: right-click.
    HeaderColumnsMenu::install(header, settingsKey, {KeyListModel::UpdatedColumn, KeyListModel::ExpiresColumn});
}

QSize KeyPanel::sizeHint() const
{
    if (!m_treeAction) // still being built
        return QWidget::sizeHint();
    const QHeaderView *header = currentHeader();
    const auto *view = static_cast<const QAbstractItemView *>(header->parentWidget());
    int width = fontMetrics().averageCharWidth() * kKeyNameChars;
    for (int column = 0; column < header->count(); ++column) {
        if (column != KeyListModel::KeyColumn && !header->isSectionHidden(column))
            width += header->sectionSize(column);
    }
    width += 2 * view->frameWidth() + view->verticalScrollBar()->sizeHint().width();
    const QMargins margins = layout() ? layout()->contentsMargins() : QMargins();
    const QSize hint = QWidget::sizeHint();
    return {std::max(hint.width(), width + margins.left() + margins.right()), hint.height()};
}

QHeaderView *KeyPanel::currentHeader() const
{
    return m_treeAction->isChecked() ? m_treeView->header() : m_listView->horizontalHeader();
}

// What the list and the tree have in common.
void KeyPanel::setUpView(QAbstractItemView *view, const QString &name)
{
    view->setObjectName(name);
    view->setAccessibleName(tr("Keys"));
    view->setAccessibleDescription(tr("The bucket's keys; Enter opens the selected key"));
    view->setAlternatingRowColors(true);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection); // several keys: for Bucket > Export
    view->setTextElideMode(Qt::ElideMiddle);                      // a long key keeps its start and its end
    connect(view, &QAbstractItemView::activated, this, [this](const QModelIndex &index) {
        const QString key = index.data(KeyListModel::KeyRole).toString();
        if (!index.data(KeyTreeModel::IsFolderRole).toBool() && !key.isEmpty())
            Q_EMIT keyActivated(key);
    });
}

void KeyPanel::setLiveSorting(bool live)
{
    // The list proxy keeps the list's order (it sorts nothing itself): turning it back on would only
    // re-lay out a million rows once more at the end of a load. The tree's proxy sorts the other columns.
    if (m_treeProxy)
        m_treeProxy->setDynamicSortFilter(live);
}

void KeyPanel::ensureTree()
{
    if (m_tree)
        return;
    // Built on first use: the tree costs memory per key that list-only users need not pay.
    m_tree = new KeyTreeModel(m_list, this);
    connect(m_tree, &KeyTreeModel::buildProgress, this, [this] {
        // A key selected while a large tree was being built in steps is selected once it is there.
        if (!m_tree->isBuilding() && !m_pendingKey.isEmpty())
            selectKey(std::exchange(m_pendingKey, {}));
        if (!m_tree->isBuilding())
            expandMatches();
        updateStatus();
    });
    m_treeProxy = new KeyFilterProxyModel(this);
    m_treeProxy->setSourceModel(m_tree);
    // On a large tree a filter is matched in steps: its folders are opened once it is.
    connect(m_treeProxy, &KeyFilterProxyModel::filterApplied, this, &KeyPanel::expandMatches);
    m_treeProxy->setShowDeleted(m_listProxy->showDeleted());
    m_treeProxy->setTextFilter(m_listProxy->textFilter());
    m_treeProxy->setKeyGlob(m_listProxy->keyGlob());
    m_treeProxy->setSubjectFilters(m_listProxy->subjectFilters());
    m_treeProxy->setDynamicSortFilter(!m_list->isLoading());
    m_treeView = new QTreeView(this);
    setUpView(m_treeView, u"keyTreeView"_s);
    m_treeView->setUniformRowHeights(true); // lets the view skip measuring 100,000 rows
    followRowsLeaving(m_treeView, m_treeProxy, &m_treeLeaving);
    m_treeView->setModel(m_treeProxy);
    configureColumns(m_treeView->header(), u"columns/keyTree"_s);
    m_treeView->setSortingEnabled(true);
    m_treeView->sortByColumn(KeyListModel::KeyColumn, Qt::AscendingOrder);
    m_stack->addWidget(m_treeView);
    connectCurrentKey(m_treeView, &m_treeLeaving);
}

void KeyPanel::setTreeMode(bool tree)
{
    const QString key = currentKey();
    if (tree)
        ensureTree();
    m_stack->setCurrentWidget(tree ? static_cast<QWidget *>(m_treeView) : m_listView);
    // The tree sorted by another column sorts the list too: its header says so.
    if (!tree)
        m_listView->horizontalHeader()->setSortIndicator(m_list->sortColumn(), m_list->keyOrder());
    if (m_treeAction->isChecked() != tree)
        m_treeAction->setChecked(tree);
    if (!tree && !m_listAction->isChecked())
        m_listAction->setChecked(true);
    if (!key.isEmpty())
        selectKey(key);
    Q_EMIT selectionChanged(); // the other view's
}

QAbstractItemView *KeyPanel::currentView() const
{
    return static_cast<QAbstractItemView *>(m_stack->currentWidget());
}

KvBucket *KeyPanel::bucket() const
{
    return m_bucket;
}

void KeyPanel::setBucket(KvBucket *bucket)
{
    m_bucket = bucket;
    m_moveOnKey.clear();
    m_error->setMessage({});
    m_asOf->setBucket(bucket);
    updateLiveActions();
    m_list->load(bucket, m_serverFilters);
    applySubjectFilters();
    updateStatus();
}

// Filter and Reload act on the live keys of an open bucket: with none, or the bucket shown as it was,
// they would do nothing.
void KeyPanel::updateLiveActions()
{
    const bool live = m_bucket && !m_asOf->isActive();
    m_filterAction->setEnabled(live);
    m_reloadAction->setEnabled(live);
}

void KeyPanel::setInterruption(const QString &reason)
{
    m_interruption->setReason(reason, tr("The keys shown may be out of date."));
}

void KeyPanel::showBucketGone(const QString &bucket, bool byThisWindow, const QString &keptKey)
{
    QString text = byThisWindow ? tr("Bucket \"%1\" was deleted.").arg(bucket)
                                : tr("Bucket \"%1\" was deleted by another client.").arg(bucket);
    if (!keptKey.isEmpty())
        text = tr("%1 Your unsaved changes to key \"%2\" are still open.").arg(text, keptKey);
    m_error->setMessage(text);
}

void KeyPanel::reload()
{
    if (m_bucket)
        m_list->load(m_bucket, m_serverFilters);
    applySubjectFilters();
}

bool KeyPanel::isFiltered() const
{
    return !m_serverFilters.isEmpty() || !m_filter->text().trimmed().isEmpty();
}

void KeyPanel::setServerFilters(const QStringList &filters)
{
    if (m_serverFilters == filters)
        return;
    m_serverFilters = filters;
    // Every key is at hand and live: filter what is loaded instead of listing a million keys again (and
    // again when the filter is cleared).
    if (m_list->holdsAllKeys())
        applySubjectFilters();
    else
        reload();
}

void KeyPanel::applySubjectFilters()
{
    const QStringList local = m_list->filters().isEmpty() ? m_serverFilters : QStringList();
    m_listProxy->setSubjectFilters(local);
    if (m_treeProxy) {
        closeFilterFolders();
        m_treeProxy->setSubjectFilters(local);
        expandMatches();
    }
}

QStringList KeyPanel::selectedKeys() const
{
    QSet<QString> keys; // a folder and a key under it may both be selected
    const QModelIndexList rows = currentView()->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows) {
        if (index.data(KeyTreeModel::IsFolderRole).toBool()) {
            addKeysBelow(index, &keys, std::numeric_limits<qsizetype>::max());
            continue;
        }
        if (const QString key = index.data(KeyListModel::KeyRole).toString(); !key.isEmpty())
            keys.insert(key);
    }
    // In the order the list shows keys (numbers by value), for the questions that name them.
    QStringList sorted(keys.cbegin(), keys.cend());
    std::sort(sorted.begin(), sorted.end(),
              [](const QString &a, const QString &b) { return KeyFilterProxyModel::naturalCompare(a, b) < 0; });
    return sorted;
}

// What a selected folder stands for: the keys shown under it, at any depth (more than limit of them: some).
void KeyPanel::addKeysBelow(const QModelIndex &folder, QSet<QString> *keys, qsizetype limit)
{
    const QAbstractItemModel *model = folder.model();
    for (int row = 0; row < model->rowCount(folder) && keys->size() <= limit; ++row) {
        const QModelIndex child = model->index(row, 0, folder);
        if (const QString key = child.data(KeyListModel::KeyRole).toString();
            !key.isEmpty() && !child.data(KeyTreeModel::IsFolderRole).toBool())
            keys->insert(key);
        addKeysBelow(child, keys, limit);
    }
}

qsizetype KeyPanel::selectedKeyCount(qsizetype limit, QString *only) const
{
    only->clear();
    const QModelIndexList rows = currentView()->selectionModel()->selectedRows();
    if (currentView() == m_listView) { // a row is a key
        if (rows.size() == 1)
            *only = rows.first().data(KeyListModel::KeyRole).toString();
        return rows.size();
    }
    QSet<QString> keys;
    for (const QModelIndex &index : rows) {
        if (index.data(KeyTreeModel::IsFolderRole).toBool())
            addKeysBelow(index, &keys, limit);
        else if (const QString key = index.data(KeyListModel::KeyRole).toString(); !key.isEmpty())
            keys.insert(key);
        if (keys.size() > limit)
            return -1;
    }
    if (keys.size() == 1)
        *only = *keys.cbegin();
    return keys.size();
}

QString KeyPanel::currentKey() const
{
    // Only a row the user picked: the current row alone is where the focus fell (see connectCurrentKey()).
    const QModelIndex index = currentView()->currentIndex();
    if (!index.isValid() || !currentView()->selectionModel()->isSelected(index)
        || index.data(KeyTreeModel::IsFolderRole).toBool())
        return {};
    return index.data(KeyListModel::KeyRole).toString();
}

void KeyPanel::selectKey(const QString &key)
{
    QModelIndex index;
    if (currentView() == m_treeView && m_tree) {
        if (m_tree->isBuilding()) {
            m_pendingKey = key;
            return;
        }
        index = m_treeProxy->mapFromSource(m_tree->indexForPath(key));
    } else {
        const int row = m_list->rowOfKey(key);
        if (row >= 0)
            index = m_listProxy->mapFromSource(m_list->index(row, 0));
    }
    if (!index.isValid()) {
        currentView()->selectionModel()->clear();
        return;
    }
    // That row alone: the view's setCurrentIndex() would read the keys held down (Ctrl adds to the
    // selection), and Ctrl may still be down from the shortcut that led here (Ctrl+N).
    currentView()->selectionModel()->setCurrentIndex(index,
                                                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    currentView()->scrollTo(index);
}

void KeyPanel::applyFilter()
{
    m_filterTimer->stop();
    const QString text = m_filter->text().trimmed();
    // Several filters (keys hold no spaces or commas) or a wildcard go to the server: one consumer with
    // all of them on nats-server 2.10+, one per filter on 2.9. A glob ("grp01.k0011*", as Redis KEYS
    // takes it) sends the widest NATS filter that holds its matches, and the rest is matched here.
    static const QRegularExpression separators(uR"([\s,]+)"_s);
    const QStringList parts = text.split(separators, Qt::SkipEmptyParts);
    const KeyGlob glob(parts.size() == 1 && KeyGlob::isGlob(text) ? text : QString());
    if (!glob.isEmpty() || parts.size() > 1 || isWildcardFilter(text)) {
        const QStringList server = glob.isEmpty() ? parts
            : glob.serverFilter().isEmpty()       ? QStringList()
                                                  : QStringList{glob.serverFilter()};
        for (const QString &part : server) {
            const QString problem = KvNames::validateKeyFilter(part);
            if (!problem.isEmpty()) {
                m_error->setMessage(problem);
                return;
            }
        }
        m_error->setMessage({});
        setClientFilters({}, glob);
        setServerFilters(server);
        updateStatus();
        return;
    }
    m_error->setMessage({});
    setServerFilters({});
    setClientFilters(text, KeyGlob());
    updateStatus();
}

void KeyPanel::setClientFilters(const QString &text, const KeyGlob &glob)
{
    m_glob = glob;
    m_listProxy->setTextFilter(text);
    m_listProxy->setKeyGlob(glob);
    if (m_treeProxy) {
        closeFilterFolders();
        m_treeProxy->setTextFilter(text);
        m_treeProxy->setKeyGlob(glob);
        expandMatches();
    }
}

void KeyPanel::closeFilterFolders()
{
    // Before the filter changes: the proxy then re-maps only what is open (the folders a filter opened
    // can hold thousands of rows each).
    if (m_treeView && std::exchange(m_treeFiltered, false))
        m_treeView->collapseAll();
}

void KeyPanel::expandMatches()
{
    if (!m_treeView || m_tree->isBuilding() || m_treeProxy->isFiltering() || !m_treeProxy->hasKeyFilter())
        return;
    m_treeFiltered = true;
    // Right after the filter changed the view only notes what to open (its layout is pending).
    int opened = 0;
    int visits = 0;
    std::vector<QModelIndex> stack{QModelIndex()};
    while (!stack.empty() && opened < kExpandFolders && visits < kExpandVisits) {
        const QModelIndex parent = stack.back();
        stack.pop_back();
        if (parent.isValid()) {
            if (!m_tree->hasChildren(m_treeProxy->mapToSource(parent)) || m_treeProxy->rowCount(parent) == 0)
                continue;
            m_treeView->expand(parent);
            ++opened;
        }
        const int rows = std::min(m_treeProxy->rowCount(parent), kExpandVisits - visits);
        visits += rows;
        for (int row = rows - 1; row >= 0; --row)
            stack.push_back(m_treeProxy->index(row, 0, parent));
    }
}

// A save, a new key or a delete in a bucket that mirrors another goes to that bucket, as in every official
// client, and this list shows it once the mirror has copied it: said, as nothing else in the window would.
QString KeyPanel::mirrorNote() const
{
    const QString origin = KvNames::sourceBucket(m_bucket->boundStatus().config.mirror.name);
    return origin.isEmpty() ? QString() : tr(" · a mirror of \"%1\": writes go there").arg(origin);
}

void KeyPanel::updateStatus()
{
    const quint64 loaded = m_list->loadedCount();
    const bool loading = m_list->isLoading();
    QString text;
    if (!m_bucket) {
        text = tr("No bucket selected");
    } else if (m_asOf && m_asOf->isActive()) {
        // The list as it was: its rows, not the live keys' count underneath.
        text = m_asOf->countText();
    } else if (loading) {
        text = loadingText();
    } else if (currentView() == m_treeView && m_tree && m_tree->isBuilding()) {
        text = tr("Building the tree of %1 keys… %2%")
                   .arg(HumanFormat::count(m_list->rowCount()))
                   .arg(m_tree->buildPermille() / 10);
    } else {
        // Both counts from the models as they are now (keys keep arriving after the load): what the
        // list shows, of the keys the bucket holds (deleted ones too when they are shown; never a key whose
        // marker the server removed: its row is hidden and the bucket has nothing of it).
        const int shown = m_listProxy->rowCount();
        const int total = m_listProxy->showDeleted() ? m_list->heldCount() : m_list->liveCount();
        const int deleted = total - m_list->liveCount(); // counted only while they are shown
        if (shown != total) {
            text = tr("%1 of %2 keys shown").arg(HumanFormat::count(shown), HumanFormat::count(total));
            if (deleted > 0)
                text += tr(" (%1 of the %2 deleted)").arg(HumanFormat::count(deleted), HumanFormat::count(total));
        } else {
            text = shown == 1 ? tr("1 key") : tr("%1 keys").arg(HumanFormat::count(shown));
            if (deleted > 0)
                text += tr(" (%1 deleted)").arg(HumanFormat::count(deleted));
        }
        if (!m_glob.isEmpty() && m_serverFilters.isEmpty())
            text += tr(" · all keys from the server, then %1").arg(m_glob.clientPart());
        else if (!m_glob.isEmpty())
            text += tr(" · server filter %1, then %2").arg(m_serverFilters.constFirst(), m_glob.clientPart());
        else if (!m_serverFilters.isEmpty())
            text += tr(" matching %1").arg(m_serverFilters.join(u", "_s));
        text += mirrorNote();
    }
    m_status->setText(text);
    const bool waiting = m_list->stage() == KeyListModel::Stage::Waiting;
    if (waiting != m_waitTimer->isActive())
        waiting ? m_waitTimer->start() : m_waitTimer->stop();
    m_progress->setVisible(loading);
    m_cancel->setVisible(loading && m_list->stage() != KeyListModel::Stage::Sorting);
    if (waiting) {
        m_progress->setRange(0, 0); // busy: how long the server takes is not known
    } else if (m_list->stage() == KeyListModel::Stage::Sorting) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(m_list->sortPermille());
    } else if (loading) {
        const quint64 expected = std::max<quint64>(m_list->expectedCount(), 1);
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(1000 * std::min<quint64>(loaded, expected) / expected));
    }
}

QString KeyPanel::loadingText() const
{
    switch (m_list->stage()) {
    case KeyListModel::Stage::Waiting:
        // nats-server walks the bucket's stream for the last message of every key before it sends the
        // first one (seconds for a million keys on 2.9).
        return tr("Waiting for nats-server to prepare the key listing… %1 s").arg(m_list->waitingMs() / 1000);
    case KeyListModel::Stage::Sorting:
        return tr("Sorting %1 keys…").arg(HumanFormat::count(m_list->rowCount()));
    default:
        return tr("Loading keys… %1 of %2")
            .arg(HumanFormat::count(qint64(m_list->loadedCount())),
                 HumanFormat::count(qint64(m_list->expectedCount())));
    }
}
