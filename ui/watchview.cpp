#include "watchview.h"

#include "appearance.h"
#include "columnfit.h"
#include "emptystate.h"
#include "humanformat.h"
#include "interruptionbanner.h"
#include "kvbucket.h"
#include "kvexportjob.h"
#include "operationstyle.h"
#include "ratechart.h"
#include "watchfeedmodel.h"

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QEvent>
#include <QtCore/QSaveFile>
#include <QtCore/QSettings>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QTimer>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int kStatusEveryMs = 500;
constexpr int kStatusMinMs = 150;
constexpr int kFilterDelayMs = 150;
const QString kCapSetting = u"watch/rowCap"_s;
} // namespace

WatchView::WatchView(KvBucket *bucket, const QStringList &filters, const KvWatchOptions &options, QWidget *parent)
    : QWidget(parent)
    , m_bucket(bucket)
    , m_bucketName(bucket ? bucket->name() : QString())
    , m_filters(filters.isEmpty() ? QStringList{u">"_s} : filters)
    , m_options(options)
    , m_model(new WatchFeedModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_chart(new RateChart(this))
    , m_state(new QLabel(this))
    , m_status(new QLabel(this))
    , m_interruption(new InterruptionBanner(this))
    , m_filterTimer(new QTimer(this))
    , m_statusTimer(new QTimer(this))
{
    setObjectName(u"watchView"_s);
    // Every revision reaches an all-keys watch that keeps markers: a jump after a resume is a real gap.
    m_detectGaps = m_filters == QStringList{u">"_s} && !options.ignoreDeletes;
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    buildView();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->setSpacing(2);
    layout->addWidget(buildToolbar());
    layout->addWidget(m_chart);
    layout->addWidget(m_interruption);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    m_status->setObjectName(u"watchStatus"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    connect(m_model, &WatchFeedModel::batchApplied, this, &WatchView::onBatch);
    connect(m_model, &WatchFeedModel::waitingCountChanged, this, &WatchView::updatePauseButton);
    m_statusTimer->setInterval(kStatusEveryMs);
    connect(m_statusTimer, &QTimer::timeout, this, &WatchView::refreshStatus);
    m_statusTimer->start();
    setRowCap(QSettings().value(kCapSetting, DefaultRowCap).toInt());
    updateExport();
    startWatch(bucket);
    refreshStatus();
}

WatchView::~WatchView()
{
    if (m_exporter)
        m_exporter->cancel();
    if (KvWatcher *watcher = m_watcher.data()) {
        watcher->disconnect(this);
        delete watcher;
    }
}

void WatchView::buildView()
{
    m_view->setObjectName(u"watchFeed"_s);
    m_view->setAccessibleName(tr("Watch feed"));
    m_view->setAccessibleDescription(tr("Live changes, newest last; Enter opens the revision"));
    m_view->setModel(m_proxy);
    // Until the first change comes, the feed says what it waits for (a bare table looked broken).
    m_empty = new EmptyState(m_view,
                             tr("No changes yet: changes to keys matching %1 in bucket %2 appear here as they happen.")
                                 .arg(m_filters.join(u" "_s), m_bucketName),
                             nullptr, {}, [this] { return m_model->rowCount() == 0; });
    m_empty->label()->setObjectName(u"watchEmptyText"_s);
    // A table, not a tree: a tree lays out every row again for each batch appended (a watch of 300,000 rows
    // spent 40 ms per batch on it, growing with the feed), a table only places its fixed-height rows.
    QHeaderView *rows = m_view->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(fontMetrics().height() + 3); // as compact as the other lists
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setCornerButtonEnabled(false);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    QHeaderView *header = m_view->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setHighlightSections(false);
    header->setStretchLastSection(true);
    const int digit = fontMetrics().horizontalAdvance(u'0');
    // Op: its glyph and its longest word whole, a server's marker (EXPIRED (MaxAge)) too, as the item
    // delegate lays them out.
    const int operation = ColumnFit::width(
        m_view, header, WatchFeedModel::OperationColumn,
        ColumnFit::operationLabels(ColumnFit::Markers::Label) << WatchFeedModel::tr("GAP"), true);
    const QList<int> widths{15 * digit, 28 * digit, std::max(7 * digit, operation), 10 * digit, 7 * digit, 9 * digit};
    for (int column = 0; column < widths.size(); ++column)
        header->resizeSection(column, widths[column]);
    connect(m_view, &QTableView::activated, this, &WatchView::onActivated);
    // Export is offered while there are rows to write (it wrote an empty file after Clear).
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &WatchView::updateExport);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &WatchView::updateExport);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &WatchView::updateExport);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &WatchView::updateExport);
    // Scrolling up to read stops following; scrolling back to the bottom follows again.
    QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::actionTriggered, this,
            [this, bar] { setFollowing(bar->sliderPosition() >= bar->maximum()); });
    // A shorter feed (the dock made smaller, a banner above it) moves the bottom: following keeps it.
    connect(bar, &QScrollBar::rangeChanged, this, [this, bar](int, int maximum) {
        if (m_following)
            bar->setValue(maximum);
    });
}

QWidget *WatchView::buildToolbar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *titleLabel = new QLabel(u"<b>%1</b>"_s.arg(title().toHtmlEscaped()), bar);
    titleLabel->setToolTip(description());
    m_state->setObjectName(u"watchState"_s);
    QToolButton *clearButton = createFeedButtons(bar);
    createRowCap(bar);
    createFilter(bar);
    QPushButton *exportButton = createExportButton(bar);

    layout->addWidget(titleLabel);
    layout->addWidget(m_state);
    layout->addStretch(1);
    layout->addWidget(m_pause);
    layout->addWidget(clearButton);
    layout->addWidget(m_follow);
    layout->addWidget(m_cap);
    layout->addWidget(m_filter);
    layout->addWidget(exportButton);
    // Tool buttons, a push button, a spin box and a line edit each have a height of their own: stretched to
    // the row's (the tallest one's), they line up, also after a change of font or style.
    bar->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    for (QWidget *control :
         std::initializer_list<QWidget *>{m_pause, clearButton, m_follow, m_cap, m_filter, exportButton}) {
        QSizePolicy policy = control->sizePolicy();
        policy.setVerticalPolicy(QSizePolicy::Preferred);
        control->setSizePolicy(policy);
    }
    updatePauseButton();
    return bar;
}

// Pause, Clear and Follow; returns Clear (Pause and Follow are kept).
QToolButton *WatchView::createFeedButtons(QWidget *bar)
{
    m_pause = new QToolButton(bar);
    m_pause->setObjectName(u"watchPause"_s);
    m_pause->setCheckable(true);
    m_pause->setToolTip(tr("Pause the feed: updates keep arriving and wait until you resume"));
    connect(m_pause, &QToolButton::toggled, this, &WatchView::setPaused);
    auto *clearButton = new QToolButton(bar);
    clearButton->setObjectName(u"watchClear"_s);
    clearButton->setText(tr("Clear"));
    connect(clearButton, &QToolButton::clicked, this, &WatchView::clear);
    m_follow = new QToolButton(bar);
    m_follow->setObjectName(u"watchFollow"_s);
    m_follow->setText(tr("Follow"));
    m_follow->setToolTip(tr("Keep the newest row in view"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    connect(m_follow, &QToolButton::toggled, this, &WatchView::setFollowing);
    Appearance::showCheckedState(m_pause);
    Appearance::showCheckedState(m_follow);
    return clearButton;
}

void WatchView::createRowCap(QWidget *bar)
{
    m_cap = new QSpinBox(bar);
    m_cap->setObjectName(u"watchRowCap"_s);
    m_cap->setAccessibleName(tr("Rows kept"));
    m_cap->setToolTip(tr("Rows kept in the feed; the oldest go first"));
    m_cap->setRange(WatchFeedModel::MinRowCap, WatchFeedModel::MaxRowCap);
    m_cap->setSingleStep(1000);
    m_cap->setGroupSeparatorShown(true);
    m_cap->setSuffix(tr(" rows"));
    connect(m_cap, &QSpinBox::valueChanged, this, &WatchView::setRowCap);
}

// The rows' text filter, applied a moment after the typing stops.
void WatchView::createFilter(QWidget *bar)
{
    m_filter = new QLineEdit(bar);
    m_filter->setObjectName(u"watchTextFilter"_s);
    m_filter->setAccessibleName(tr("Filter rows"));
    m_filter->setPlaceholderText(tr("Filter rows"));
    m_filter->setClearButtonEnabled(true);
    m_filterTimer->setSingleShot(true);
    m_filterTimer->setInterval(kFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, m_filterTimer, qOverload<>(&QTimer::start));
    connect(m_filterTimer, &QTimer::timeout, this, [this] { m_proxy->setFilterFixedString(m_filter->text()); });
}

// A push button: it makes room for its menu's arrow, where a tool button drew the arrow over "Export".
QPushButton *WatchView::createExportButton(QWidget *bar)
{
    m_exportButton = new QPushButton(tr("Export"), bar);
    m_exportButton->setObjectName(u"watchExport"_s);
    m_exportButton->setAutoDefault(false);
    auto *menu = new QMenu(m_exportButton);
    m_exportFeedAction = menu->addAction(tr("Export Feed as NDJSON…"), this, &WatchView::exportFeed);
    m_exportSelectionAction = menu->addAction(tr("Export Selected Rows as NDJSON…"), this, &WatchView::exportSelection);
    m_exportButton->setMenu(menu);
    return m_exportButton;
}

void WatchView::startWatch(KvBucket *bucket)
{
    if (!bucket)
        return;
    learnBaseline(bucket);
    m_watcher = bucket->watch(m_filters, m_options);
    // Straight into the model, which only queues: no widget work per message.
    connect(m_watcher, &KvWatcher::entryReceived, m_model, qOverload<const KvEntry &>(&WatchFeedModel::appendEntry));
    connect(m_watcher, &KvWatcher::initialValuesReceived, this, [this] {
        // The initial values skip older revisions by design; from here on every revision must come.
        m_model->setGapDetection(m_detectGaps);
        applyBaseline();
        refreshStatus();
    });
    connect(m_watcher, &KvWatcher::stateChanged, this, [this] {
        refreshStatus();
        Q_EMIT stateChanged();
    });
    connect(m_watcher, &KvWatcher::recovering, this, &WatchView::onRecovering);
    connect(m_watcher, &KvWatcher::resumed, this, [this] {
        m_recoveryText.clear();
        refreshStatus();
    });
    connect(m_watcher, &KvWatcher::errorOccurred, this, &WatchView::refreshStatus);
}

QString WatchView::title() const
{
    return tr("%1 › %2").arg(m_bucketName, m_filters.join(u' '));
}

QString WatchView::description() const
{
    QStringList options;
    if (m_options.includeHistory)
        options.append(tr("with history"));
    if (m_options.updatesOnly)
        options.append(tr("updates only"));
    if (m_options.ignoreDeletes)
        options.append(tr("ignoring deletes"));
    if (m_options.metaOnly)
        options.append(tr("metadata only"));
    if (m_options.resumeFromRevision > 0)
        options.append(tr("from revision %1").arg(m_options.resumeFromRevision));
    const QString what = tr("Bucket %1, keys %2").arg(m_bucketName, m_filters.join(u", "_s));
    return options.isEmpty() ? what : tr("%1; %2").arg(what, options.join(u", "_s));
}

void WatchView::learnBaseline(KvBucket *bucket)
{
    // With no initial values, the feed's first revision is the one after the bucket's last when the watch
    // began; read that now, so revisions lost before the very first delivery also show as a gap. (Not for
    // "updates only": its consumer starts wherever the stream is when it is made, known to it alone.)
    if (!m_detectGaps || m_options.updatesOnly)
        return;
    if (m_options.resumeFromRevision > 0) {
        m_baseline = m_options.resumeFromRevision - 1;
        return;
    }
    KvReply *status = bucket->status();
    connect(status, &NatsReply::finished, this, [this, status] {
        status->deleteLater();
        if (status->error() != NatsError::NoError)
            return;
        m_baseline = status->status().streamInfo.state.lastSequence;
        applyBaseline();
    });
}

// Revisions up to the bucket's last when the watch began are not expected after the initial values,
// whether those came (they skip older revisions by design) or not: one removed before the watch began
// (purged, expired, pushed out by the history limit) was never there to miss. The model goes on from
// the later of this and the last revision it got.
void WatchView::applyBaseline()
{
    if (m_baseline && m_watcher && m_watcher->initialValuesDone())
        m_model->setExpectedAfter(*m_baseline);
}

void WatchView::onBatch()
{
    if (m_following)
        m_view->scrollToBottom();
    // The counts keep up with the rows, a few times a second at most.
    if (m_sinceStatus.isValid() && m_sinceStatus.elapsed() >= kStatusMinMs)
        refreshStatus();
    Q_EMIT changesArrived();
}

void WatchView::onRecovering(quint64 fromRevision, const QString &reason)
{
    // The watcher resumes after the last revision it delivered; revisions the server dropped meanwhile show
    // as a gap row (the model's gap detection) when the feed gets every revision.
    m_recoveryText = tr("Reconnecting (%1); the feed resumes after rev %2").arg(reason).arg(fromRevision - 1);
    refreshStatus();
}

void WatchView::setInterruption(const QString &reason)
{
    m_interruption->setReason(reason, tr("The feed goes on from where it stopped once the connection is back."));
    refreshStatus();
}

QString WatchView::interruption() const
{
    return m_interruption->reason();
}

void WatchView::onActivated(const QModelIndex &index)
{
    const int row = m_proxy->mapToSource(index).row();
    if (m_model->kindAt(row) != WatchFeedModel::RowKind::Entry)
        return;
    const KvEntry entry = m_model->entryAt(row);
    if (!entry.key.isEmpty())
        Q_EMIT openRequested(m_bucketName, entry.key, entry.revision);
}

bool WatchView::isPaused() const
{
    return m_model->isPaused();
}

void WatchView::setPaused(bool paused)
{
    m_model->setPaused(paused);
    if (m_pause->isChecked() != paused)
        m_pause->setChecked(paused);
    updatePauseButton();
    refreshStatus(); // at once, not at the status timer's next turn
    if (!paused && m_following)
        m_view->scrollToBottom();
    Q_EMIT stateChanged();
}

void WatchView::updatePauseButton()
{
    if (!m_model->isPaused()) {
        m_pause->setText(tr("Pause"));
        return;
    }
    const qsizetype waiting = m_model->waitingCount();
    m_pause->setText(waiting > 0 ? tr("Resume (%1 waiting)").arg(HumanFormat::count(waiting)) : tr("Resume"));
}

void WatchView::setFollowing(bool follow)
{
    if (m_following == follow)
        return;
    m_following = follow;
    if (m_follow->isChecked() != follow)
        m_follow->setChecked(follow);
    if (follow)
        m_view->scrollToBottom();
    Q_EMIT stateChanged();
}

int WatchView::rowCap() const
{
    return m_model->rowCap();
}

void WatchView::setRowCap(int cap)
{
    m_model->setRowCap(cap);
    if (m_cap->value() != m_model->rowCap())
        m_cap->setValue(m_model->rowCap());
    QSettings().setValue(kCapSetting, m_model->rowCap()); // new watches start with the last cap chosen
}

QString WatchView::textFilter() const
{
    return m_filter->text();
}

void WatchView::setTextFilter(const QString &text)
{
    m_filter->setText(text);
    m_filterTimer->stop();
    m_proxy->setFilterFixedString(text);
}

void WatchView::clear()
{
    // "No changes yet" was untrue once changes had come.
    m_empty->label()->setText(tr("Feed cleared: new changes to keys matching %1 in bucket %2 appear here as "
                                 "they happen.")
                                  .arg(m_filters.join(u" "_s), m_bucketName));
    m_model->clear();
    updatePauseButton();
    refreshStatus();
}

QString WatchView::statusText() const
{
    const KvWatcher *watcher = m_watcher.data();
    if (!watcher)
        return tr("No watch");
    QStringList parts;
    switch (watcher->state()) {
    case KvWatcher::State::Failed:
        return tr("The watch failed: %1").arg(watcher->errorString());
    case KvWatcher::State::Stopped:
        parts.append(tr("Stopped"));
        break;
    case KvWatcher::State::Recovering:
        parts.append(m_recoveryText.isEmpty() ? tr("Reconnecting") : m_recoveryText);
        break;
    case KvWatcher::State::Starting:
        parts.append(tr("Starting"));
        break;
    case KvWatcher::State::Watching:
        // As the tab and the state say: paused is the feed's state, though changes keep arriving.
        if (!interruption().isEmpty())
            parts.append(tr("Interrupted"));
        else if (m_model->isPaused())
            parts.append(tr("Paused"));
        else
            parts.append(watcher->initialValuesDone() ? tr("Watching") : tr("Loading current values"));
        break;
    }
    parts.append(tr("%1 received").arg(HumanFormat::count(qint64(m_model->receivedCount()))));
    if (m_model->lastRevision() > 0)
        parts.append(tr("last %1").arg(HumanFormat::revision(m_model->lastRevision())));
    if (m_model->droppedCount() > 0)
        parts.append(tr("%1 older entries dropped from view").arg(HumanFormat::count(qint64(m_model->droppedCount()))));
    if (m_model->gapCount() > 0)
        parts.append(m_model->gapCount() == 1 ? tr("1 gap") : tr("%n gaps", nullptr, m_model->gapCount()));
    if (m_proxy->rowCount() != m_model->rowCount())
        parts.append(tr("%1 of %2 rows match the filter")
                         .arg(HumanFormat::count(m_proxy->rowCount()), HumanFormat::count(m_model->rowCount())));
    return parts.join(u" · "_s);
}

// The state's colour is taken from the palette: again when the theme changes it.
void WatchView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        refreshStatus();
}

void WatchView::refreshStatus()
{
    m_sinceStatus.start();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_chart->setCounts(m_model->rate().counts(now), m_model->rate().lastSecond(now));
    m_status->setText(statusText());
    const KvWatcher *watcher = m_watcher.data();
    const KvWatcher::State state = watcher ? watcher->state() : KvWatcher::State::Stopped;
    QString text;
    // The watcher learns of a lost connection only when it is back: until then the session's word counts.
    const bool interrupted = !interruption().isEmpty() && state == KvWatcher::State::Watching;
    switch (state) {
    case KvWatcher::State::Watching:
        text = interrupted ? tr("interrupted") : m_model->isPaused() ? tr("paused") : tr("live");
        break;
    case KvWatcher::State::Recovering:
        text = tr("reconnecting");
        break;
    case KvWatcher::State::Starting:
        text = tr("starting");
        break;
    case KvWatcher::State::Failed:
        text = tr("failed");
        break;
    case KvWatcher::State::Stopped:
        text = tr("stopped");
        break;
    }
    m_state->setText(text);
    // The operation colours (watching: PUT's green, paused: DEL's amber, failed: PURGE's red), so the
    // state reads on the theme's base like the feed does.
    QPalette palette = this->palette();
    QColor color = palette.color(QPalette::WindowText);
    if (state == KvWatcher::State::Watching && !m_model->isPaused() && !interrupted)
        color = OperationStyle::color(KvEntry::Operation::Put, palette);
    else if (state == KvWatcher::State::Recovering || m_model->isPaused() || interrupted)
        color = OperationStyle::color(KvEntry::Operation::Delete, palette);
    else if (state == KvWatcher::State::Failed)
        color = OperationStyle::color(KvEntry::Operation::Purge, palette);
    palette.setColor(QPalette::WindowText, color);
    m_state->setPalette(palette);
}

QList<KvEntry> WatchView::selectedEntries() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(m_proxy->mapToSource(index).row());
    std::sort(rows.begin(), rows.end());
    QList<KvEntry> entries;
    for (const int row : std::as_const(rows)) {
        if (m_model->kindAt(row) == WatchFeedModel::RowKind::Entry)
            entries.append(m_model->entryAt(row));
    }
    return entries;
}

QList<KvEntry> WatchView::shownEntries() const
{
    QList<KvEntry> entries;
    entries.reserve(m_proxy->rowCount());
    for (int proxyRow = 0; proxyRow < m_proxy->rowCount(); ++proxyRow) {
        const int row = m_proxy->mapToSource(m_proxy->index(proxyRow, 0)).row();
        if (m_model->kindAt(row) == WatchFeedModel::RowKind::Entry)
            entries.append(m_model->entryAt(row));
    }
    return entries;
}

void WatchView::updateExport()
{
    const bool rows = m_proxy->rowCount() > 0;
    m_exportButton->setEnabled(rows);
    m_exportButton->setToolTip(rows ? tr("Write the rows shown, or those selected, to an NDJSON file")
                                    : tr("Nothing to export: the feed shows no rows"));
    m_exportFeedAction->setEnabled(rows);
    m_exportSelectionAction->setEnabled(m_view->selectionModel()->hasSelection());
    if (std::exchange(m_canExport, rows) != rows)
        Q_EMIT stateChanged(); // the panel's Export action follows
}

KvExportJob *WatchView::exportRows(const QString &path, bool selectedOnly)
{
    if (m_exporter) {
        Q_EMIT message(tr("An export of this feed is still running"));
        return nullptr;
    }
    // The filter as typed, even within its typing delay: the export is of what the feed shows.
    if (m_filterTimer->isActive()) {
        m_filterTimer->stop();
        m_proxy->setFilterFixedString(m_filter->text());
    }
    const QString filter = selectedOnly ? QString() : m_filter->text();
    QList<KvEntry> entries = selectedOnly ? selectedEntries() : shownEntries();
    if (entries.isEmpty()) {
        Q_EMIT message(selectedOnly ? tr("Nothing to export: no rows are selected")
                                    : tr("Nothing to export: the feed shows no rows"));
        return nullptr;
    }
    const qsizetype waiting = m_model->waitingCount();
    auto *file = new QSaveFile(path, this);
    if (!file->open(QIODevice::WriteOnly)) {
        Q_EMIT message(tr("Cannot write %1: %2").arg(path, file->errorString()));
        delete file;
        return nullptr;
    }
    auto *exporter = new KvExportJob(m_bucket, file, this);
    m_exporter = exporter;
    connect(exporter, &KvExportJob::finished, this, [this, exporter, file, path, filter, waiting] {
        const bool ok = exporter->state() == KvExportJob::State::Finished && file->commit();
        if (!ok)
            file->cancelWriting();
        const int written = int(exporter->writtenCount());
        QString text = ok
            ? (written == 1 ? tr("Exported 1 row to %1") : tr("Exported %n rows to %1", nullptr, written)).arg(path)
            : tr("Export to %1 failed: %2").arg(path, exporter->errorString());
        // It wrote all 11 rows and said "Exported 11 rows" while the filter showed 2: say whose rows these are.
        if (ok && !filter.isEmpty())
            text += tr(" (those matching the filter “%1”)").arg(filter);
        // Changes that came while paused are not rows yet: the export left them out without a word.
        if (ok && waiting > 0)
            text += waiting == 1 ? tr("; 1 change waiting while the feed is paused is not in it")
                                 : tr("; %1 changes waiting while the feed is paused are not in it")
                                       .arg(HumanFormat::count(qint64(waiting)));
        if (ok && exporter->skippedCount() > 0)
            text += exporter->skippedCount() == 1 ? tr("; 1 row left out: its value is no longer on the server")
                                                  : tr("; %n rows left out: their values are no longer on the server",
                                                       nullptr, int(exporter->skippedCount()));
        Q_EMIT message(text);
        exporter->deleteLater();
        file->deleteLater();
    });
    exporter->exportEntries(std::move(entries));
    return exporter;
}

void WatchView::exportFeed()
{
    askAndExport(false);
}

void WatchView::exportSelection()
{
    askAndExport(true);
}

void WatchView::askAndExport(bool selectedOnly)
{
    if (!(selectedOnly ? m_view->selectionModel()->hasSelection() : m_canExport)) {
        exportRows({}, selectedOnly); // says there is nothing to export, before asking for a file
        return;
    }
    // In the home folder, as the bucket's Export: a bare name opened the dialog in the working folder
    // (the source tree, started from it), where Enter wrote the file.
    const QString suggested = QDir::home().filePath(u"%1-watch.ndjson"_s.arg(m_bucketName));
    const QString path = QFileDialog::getSaveFileName(this,
                                                      selectedOnly ? tr("Export Selected Rows") : tr("Export Feed"),
                                                      suggested, tr("NDJSON (*.ndjson *.jsonl);;All files (*)"));
    if (!path.isEmpty())
        exportRows(path, selectedOnly);
}
