#include "bucketpanel.h"
#include "errorlabel.h"
#include "historymodel.h"
#include "historypanel.h"
#include "jetstreamcontext.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvexportjob.h"
#include "kvndjson.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "ratechart.h"
#include "session.h"
#include "uitestsupport.h"
#include "valuepanel.h"
#include "watchdialog.h"
#include "watchfeedmodel.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QSortFilterProxyModel>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTabWidget>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolButton>

using namespace Qt::StringLiterals;

namespace {

NatsConnectOptions reconnecting(const QString &url, int waitMs)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(url);
    options.reconnectWaitMs = waitMs;
    options.reconnectJitterMs = 20;
    options.maxReconnectAttempts = -1;
    return options;
}

QList<quint64> feedRevisions(const WatchFeedModel *model)
{
    QList<quint64> revisions;
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->kindAt(row) == WatchFeedModel::RowKind::Entry)
            revisions.append(model->entryAt(row).revision);
    }
    return revisions;
}

} // namespace

// The live watch panel against real nats-servers: the feed, tabs, pause/clear/follow/cap/filter, the rate
// chart, NDJSON export, double-click, a resume across a server restart, and gap rows.
class tst_WatchPanel final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-watchpanel-test"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void dialogChecksAsTyped();
    void dialogKeepsItsSizeAndPlaceWithAnError();
    void newWatchThroughTheDialog();
    void feedShowsEntriesColouredByOperation();
    void severalWatchesAsTabs();
    void pauseCountsWaitingThenResumes();
    void clearFollowCapAndTextFilter();
    void rateChartCountsUpdates();
    void rateChartIsReadable();
    void exportFeedAndSelectedRows();
    void exportAsksWhereBucketExportDoes();
    void doubleClickRequestsKeyAndRevision();
    void mainWindowOpensTheRevision();
    void watchDockShowsAUsefulNumberOfRows();
    void emptyFeedSaysWhatItWaitsFor();
    void resumesAcrossServerRestartWithoutLossOrRepeat();
    void gapMarkedWhenRevisionsAreGone();
    void noGapForWhatWasGoneBeforeTheWatch();
    void exportFollowsTheRowFilter();
    void exportSaysWhatWaitsWhilePaused();
    void clearedFeedSaysSoAndHasNothingToExport();

private:
    KvBucket *makeBucket(KvContext *kv, const QString &name, int history = 10);
    WatchView *watch(const QStringList &filters, const KvWatchOptions &options = {});

    NatsServerProcess m_server;
    NatsConnection *m_writer = nullptr;
    NatsConnection *m_watchConnection = nullptr;
    KvContext *m_writerKv = nullptr;
    KvContext *m_watchKv = nullptr;
    KvBucket *m_bucket = nullptr;
    WatchPanel *m_panel = nullptr;
    int m_counter = 0;
};

void tst_WatchPanel::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    const NatsConnectOptions options = NatsConnectOptions::fromUrl(m_server.url());
    QVERIFY(KvTest::connectClient(options, this, &m_writer, nullptr, &m_writerKv));
    QVERIFY(KvTest::connectClient(options, this, &m_watchConnection, nullptr, &m_watchKv));
}

void tst_WatchPanel::init()
{
    ++m_counter;
    QSettings().clear();
    m_bucket = makeBucket(m_writerKv, u"wp%1"_s.arg(m_counter));
    QVERIFY(m_bucket);
    m_panel = new WatchPanel;
    m_panel->resize(1100, 360);
    m_panel->setContext(m_watchKv, true);
    m_panel->show();
}

void tst_WatchPanel::cleanup()
{
    delete m_panel;
    m_panel = nullptr;
}

KvBucket *tst_WatchPanel::makeBucket(KvContext *kv, const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = history;
    return KvTest::createBucket(kv, config) ? kv->bucket(name, this) : nullptr;
}

WatchView *tst_WatchPanel::watch(const QStringList &filters, const KvWatchOptions &options)
{
    WatchView *view = m_panel->addWatch(m_bucket->name(), filters, options);
    if (view && !QTest::qWaitFor([view] { return view->watcher() && view->watcher()->initialValuesDone(); }, 10000))
        return nullptr;
    return view;
}

void tst_WatchPanel::dialogChecksAsTyped()
{
    WatchDialog dialog({u"alpha"_s, u"beta"_s});
    auto *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    auto *filter = dialog.findChild<QLineEdit *>(u"watchFilter"_s);
    auto *resume = dialog.findChild<QLineEdit *>(u"watchResumeFrom"_s);
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.bucket(), u"alpha"_s);
    QCOMPARE(dialog.filters(), QStringList());

    QTest::keyClicks(filter, u"orders..1"_s);
    QVERIFY(!ok->isEnabled());
    QCOMPARE(dialog.problem(), u"Key filter \"orders..1\" is not valid: it has an empty token between dots."_s);
    filter->setText(u"orders.>  users.*.state, config"_s);
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.filters(), (QStringList{u"orders.>"_s, u"users.*.state"_s, u"config"_s}));
    filter->setText(u"orders.>.x"_s);
    QVERIFY(!ok->isEnabled());
    filter->clear();

    dialog.findChild<QCheckBox *>(u"watchIncludeHistory"_s)->setChecked(true);
    dialog.findChild<QCheckBox *>(u"watchUpdatesOnly"_s)->setChecked(true);
    QVERIFY(!ok->isEnabled());
    QVERIFY(dialog.problem().contains(u"do not go together"_s));
    dialog.findChild<QCheckBox *>(u"watchIncludeHistory"_s)->setChecked(false);
    QVERIFY(ok->isEnabled());
    dialog.findChild<QCheckBox *>(u"watchUpdatesOnly"_s)->setChecked(false);

    resume->setText(u"abc"_s);
    QVERIFY(!ok->isEnabled());
    resume->setText(u"42"_s);
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog.options().resumeFromRevision, 42u);
    dialog.setBucket(u"bad bucket"_s);
    QVERIFY(!ok->isEnabled());
}

void tst_WatchPanel::dialogKeepsItsSizeAndPlaceWithAnError()
{
    // The dialog grew by the error's line, kept it once the error was fixed, and jumped to centre itself
    // again at its new size: the field being typed in moved under the cursor.
    WatchDialog dialog({u"alpha"_s});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const auto settled = [&dialog] {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        return dialog.geometry();
    };
    const QRect before = settled();
    auto *filter = dialog.findChild<QLineEdit *>(u"watchFilter"_s);
    auto *error = dialog.findChild<ErrorLabel *>();
    QVERIFY(error);
    QTest::keyClicks(filter, u"orders..1"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(settled(), before);
    filter->clear();
    QVERIFY(error->isHidden());
    QCOMPARE(settled(), before);
}

void tst_WatchPanel::newWatchThroughTheDialog()
{
    WAIT_OK(m_bucket->put(u"a.1"_s, "x"));
    m_panel->setBucketNames({u"another"_s, m_bucket->name()});
    m_panel->setCurrentBucket(m_bucket->name()); // what the window has selected
    UiTest::onNextDialog<WatchDialog>([](WatchDialog *dialog) {
        dialog->findChild<QLineEdit *>(u"watchFilter"_s)->setText(u"a.*"_s);
        dialog->findChild<QCheckBox *>(u"watchIncludeHistory"_s)->setChecked(true);
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    });
    m_panel->newWatchAction()->trigger();
    QCOMPARE(m_panel->count(), 1);
    WatchView *view = m_panel->currentView();
    QCOMPARE(view->filters(), QStringList{u"a.*"_s});
    QVERIFY(view->options().includeHistory);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QVERIFY(m_panel->tabs()->tabText(0).contains(u"a.*"_s));
}

void tst_WatchPanel::feedShowsEntriesColouredByOperation()
{
    WAIT_OK(m_bucket->put(u"orders.1"_s, R"({"id":1})"));
    WatchView *view = watch({});
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    WAIT_OK(m_bucket->put(u"orders.2"_s, QByteArray("\x00\x01\x02", 3)));
    WAIT_OK(m_bucket->remove(u"orders.1"_s));
    WAIT_OK(m_bucket->purge(u"orders.2"_s));
    QTRY_COMPARE(view->model()->rowCount(), 4);
    const WatchFeedModel *model = view->model();
    QCOMPARE(feedRevisions(model), (QList<quint64>{1, 2, 3, 4}));
    const auto cell = [model](int row, int column, int role = Qt::DisplayRole) {
        return model->index(row, column).data(role);
    };
    QCOMPARE(cell(0, WatchFeedModel::KeyColumn).toString(), u"orders.1"_s);
    QCOMPARE(cell(0, WatchFeedModel::PreviewColumn).toString(), uR"({"id":1})"_s);
    QCOMPARE(cell(1, WatchFeedModel::PreviewColumn).toString(), u"00 01 02"_s);
    QCOMPARE(cell(1, WatchFeedModel::SizeColumn).toString(), u"3 B"_s);
    QCOMPARE(cell(2, WatchFeedModel::OperationColumn).toString(), u"DEL"_s);
    QCOMPARE(cell(3, WatchFeedModel::OperationColumn).toString(), u"PURGE"_s);
    QVERIFY(cell(2, WatchFeedModel::OperationColumn, Qt::ForegroundRole)
            != cell(0, WatchFeedModel::OperationColumn, Qt::ForegroundRole));
    QVERIFY(cell(3, 0, Qt::BackgroundRole).isValid());
    // The operation is read whole: the column fits its glyph and PURGE (it was cut to "P…").
    auto *table = view->findChild<QTableView *>(u"watchFeed"_s);
    QVERIFY(table);
    const int needed = static_cast<QAbstractItemView *>(table)->sizeHintForColumn(WatchFeedModel::OperationColumn);
    QVERIFY2(table->columnWidth(WatchFeedModel::OperationColumn) >= needed,
             qPrintable(u"%1 < %2"_s.arg(table->columnWidth(WatchFeedModel::OperationColumn)).arg(needed)));
    QVERIFY(view->statusText().startsWith(u"Watching"_s));
    QVERIFY2(view->statusText().contains(u"4 received"_s), qPrintable(view->statusText()));
}

void tst_WatchPanel::severalWatchesAsTabs()
{
    WatchView *orders = watch({u"orders.*"_s});
    WatchView *users = watch({u"users.>"_s}, [] {
        KvWatchOptions options;
        options.ignoreDeletes = true;
        return options;
    }());
    QVERIFY(orders && users);
    QCOMPARE(m_panel->count(), 2);
    QCOMPARE(m_panel->currentView(), users);
    WAIT_OK(m_bucket->put(u"orders.1"_s, "o"));
    WAIT_OK(m_bucket->put(u"users.1.name"_s, "u"));
    WAIT_OK(m_bucket->remove(u"users.1.name"_s));
    WAIT_OK(m_bucket->put(u"orders.1.deep"_s, "not matched by orders.*"));
    WAIT_OK(m_bucket->put(u"orders.2"_s, "o"));
    QTRY_COMPARE(orders->model()->rowCount(), 2);
    QTRY_COMPARE(users->model()->rowCount(), 1); // the delete is ignored
    QVERIFY(orders->detectsGaps() == false && users->detectsGaps() == false);
    m_panel->closeWatch(0);
    QCOMPARE(m_panel->count(), 1);
    QCOMPARE(m_panel->currentView(), users);
    m_panel->closeAction()->trigger();
    QCOMPARE(m_panel->count(), 0);
    QVERIFY(!m_panel->pauseAction()->isEnabled());
}

void tst_WatchPanel::pauseCountsWaitingThenResumes()
{
    WatchView *view = watch({});
    QVERIFY(view);
    auto *pause = view->findChild<QToolButton *>(u"watchPause"_s);
    QCOMPARE(pause->text(), u"Pause"_s);
    auto *status = view->findChild<QLabel *>(u"watchStatus"_s);
    auto *state = view->findChild<QLabel *>(u"watchState"_s);
    QVERIFY(status && state);
    QTRY_VERIFY(status->text().startsWith(u"Watching"_s));
    pause->click();
    QVERIFY(view->isPaused());
    QVERIFY(m_panel->pauseAction()->isChecked());
    QVERIFY(m_panel->tabs()->tabText(0).contains(u"paused"_s));
    // The status line said "Watching · …" under a tab saying paused: all three say paused, at once.
    QVERIFY2(status->text().startsWith(u"Paused"_s), qPrintable(status->text()));
    QCOMPARE(state->text(), u"paused"_s);
    // Paused and the connection lost: interrupted, everywhere (the tab said paused under "Interrupted").
    m_panel->setInterruption(u"the connection is lost"_s);
    QVERIFY2(m_panel->tabs()->tabText(0).contains(u"interrupted"_s), qPrintable(m_panel->tabs()->tabText(0)));
    QVERIFY2(status->text().startsWith(u"Interrupted"_s), qPrintable(status->text()));
    QCOMPARE(state->text(), u"interrupted"_s);
    m_panel->setInterruption({});
    QVERIFY2(m_panel->tabs()->tabText(0).contains(u"paused"_s), qPrintable(m_panel->tabs()->tabText(0)));
    QVERIFY2(status->text().startsWith(u"Paused"_s), qPrintable(status->text()));
    QList<KvReply *> puts;
    for (int i = 0; i < 30; ++i)
        puts.append(m_bucket->put(u"k.%1"_s.arg(i), QByteArray::number(i)));
    QTRY_COMPARE(view->model()->waitingCount(), 30);
    QTRY_COMPARE(pause->text(), u"Resume (30 waiting)"_s);
    QCOMPARE(view->model()->rowCount(), 0); // the feed holds still
    pause->click();
    QVERIFY(!view->isPaused());
    QVERIFY2(status->text().startsWith(u"Watching"_s), qPrintable(status->text()));
    QVERIFY(!m_panel->tabs()->tabText(0).contains(u"paused"_s));
    QCOMPARE(view->model()->rowCount(), 30);
    QCOMPARE(pause->text(), u"Pause"_s);
    QCOMPARE(feedRevisions(view->model()).last(), 30u);
    qDeleteAll(puts);
}

void tst_WatchPanel::clearFollowCapAndTextFilter()
{
    WatchView *view = watch({});
    QVERIFY(view);
    QList<KvReply *> puts;
    for (int i = 1; i <= 150; ++i)
        puts.append(m_bucket->put(u"k.%1"_s.arg(i), "v" + QByteArray::number(i)));
    QTRY_COMPARE(view->model()->rowCount(), 150);
    // Following: the newest row is in view.
    QTableView *feed = view->feedView();
    QTRY_VERIFY(feed->visualRect(view->proxy()->index(149, 0)).intersects(feed->viewport()->rect()));
    // And stays in view when the feed gets shorter (the dock made smaller, a banner shown above it).
    m_panel->window()->resize(m_panel->window()->width(), m_panel->window()->height() - 150);
    QTRY_VERIFY(feed->verticalScrollBar()->maximum() > 0);
    QTRY_VERIFY2(feed->visualRect(view->proxy()->index(149, 0)).intersects(feed->viewport()->rect()),
                 qPrintable(u"scrolled to %1 of %2"_s.arg(feed->verticalScrollBar()->value())
                                .arg(feed->verticalScrollBar()->maximum())));

    // The cap, set in its box: the oldest rows go.
    auto *cap = view->findChild<QSpinBox *>(u"watchRowCap"_s);
    QCOMPARE(cap->value(), WatchView::DefaultRowCap);
    cap->setValue(100);
    QCOMPARE(view->model()->rowCount(), 100);
    QCOMPARE(feedRevisions(view->model()).first(), 51u);
    QCOMPARE(QSettings().value(u"watch/rowCap"_s).toInt(), 100); // the next watch starts with it
    QVERIFY(view->statusText().contains(u"50 older entries dropped from view"_s));

    // The text filter.
    QTest::keyClicks(view->findChild<QLineEdit *>(u"watchTextFilter"_s), u"k.12"_s);
    QTRY_COMPARE(view->proxy()->rowCount(), 10); // k.120..k.129 (k.12 went with the cap)
    view->setTextFilter({});
    QCOMPARE(view->proxy()->rowCount(), 100);

    // Scrolling up stops following; new rows then leave the view where it is.
    QTRY_VERIFY(feed->verticalScrollBar()->maximum() > 0); // (laid out after the filter change)
    feed->verticalScrollBar()->triggerAction(QAbstractSlider::SliderToMinimum);
    QVERIFY(!view->isFollowing());
    QVERIFY(!view->findChild<QToolButton *>(u"watchFollow"_s)->isChecked());
    view->setFollowing(true);
    QVERIFY(m_panel->followAction()->isChecked());

    view->findChild<QToolButton *>(u"watchClear"_s)->click();
    QCOMPARE(view->model()->rowCount(), 0);
    WAIT_OK(m_bucket->put(u"after.clear"_s, "x"));
    QTRY_COMPARE(view->model()->rowCount(), 1);
    qDeleteAll(puts);
}

void tst_WatchPanel::rateChartCountsUpdates()
{
    WatchView *view = watch({});
    QVERIFY(view);
    QList<KvReply *> puts;
    for (int i = 0; i < 40; ++i)
        puts.append(m_bucket->put(u"r.%1"_s.arg(i), "x"));
    QTRY_COMPARE(view->model()->rowCount(), 40);
    const auto sum = [view] {
        const QList<int> counts = view->rateChart()->counts();
        return std::accumulate(counts.cbegin(), counts.cend(), 0);
    };
    QTRY_COMPARE(sum(), 40); // the chart is refreshed twice a second
    QCOMPARE(view->rateChart()->counts().size(), 60);
    QCOMPARE(RateChart::rateText(850), u"850/s"_s);
    QCOMPARE(RateChart::rateText(1234), u"1.2k/s"_s);
    QCOMPARE(RateChart::rateText(20000), u"20k/s"_s);
    QVERIFY(!view->rateChart()->grab().isNull());
    qDeleteAll(puts);
}

void tst_WatchPanel::rateChartIsReadable()
{
    // A chart to read, not a sparkline: a row of its own across the tab, with the current and peak
    // rate written out and the axes named (the rate scale on the left, the minute along the bottom).
    RateChart chart;
    QList<int> counts(60, 0);
    counts[10] = 2000;
    counts[59] = 850;
    chart.setCounts(counts, 850);
    QCOMPARE(chart.legend(), u"now 850/s · peak 2.0k/s"_s);
    QCOMPARE(chart.axisLabels(), (QStringList{u"2.0k/s"_s, u"0"_s, u"60 s ago"_s, u"now"_s}));
    QVERIFY2(chart.sizeHint().height() >= 4 * chart.fontMetrics().height(),
             qPrintable(QString::number(chart.sizeHint().height())));
    QCOMPARE(chart.sizePolicy().horizontalPolicy(), QSizePolicy::Expanding);
    QVERIFY(chart.toolTip().contains(u"peak 2.0k/s"_s));

    WatchView *view = watch({});
    QVERIFY(view);
    QTRY_VERIFY(view->rateChart()->width() > view->width() / 2);
}

void tst_WatchPanel::exportFeedAndSelectedRows()
{
    WAIT_OK(m_bucket->put(u"e.text"_s, "hello"));
    WAIT_OK(m_bucket->put(u"e.bin"_s, QByteArray("\xff\x00\x01", 3)));
    WAIT_OK(m_bucket->remove(u"e.text"_s));
    KvWatchOptions options;
    options.includeHistory = true;
    WatchView *view = watch({}, options);
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 3);

    QTemporaryDir dir;
    const QString all = dir.filePath(u"all.ndjson"_s);
    QSignalSpy messages(view, &WatchView::message);
    KvExportJob *exporter = view->exportRows(all, false);
    QVERIFY(exporter);
    QTRY_COMPARE(messages.size(), 1);
    QVERIFY2(messages.first().at(0).toString().startsWith(u"Exported 3 row"_s),
             qPrintable(messages.first().at(0).toString()));
    QFile file(all);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    KvEntry entries[3];
    for (int i = 0; i < 3; ++i)
        QVERIFY(KvNdjson::decode(lines[i], &entries[i], nullptr));
    QCOMPARE(entries[0].value, "hello"_ba);
    QCOMPARE(entries[1].value, QByteArray("\xff\x00\x01", 3)); // byte for byte, through base64
    QCOMPARE(entries[2].operation, KvEntry::Operation::Delete);
    QCOMPARE(entries[2].revision, 3u);
    // The same line kvdesk-cli export writes for that entry.
    QCOMPARE(lines[1], KvNdjson::encode(view->model()->entryAt(1)));

    // Only the selected rows.
    QTableView *feed = view->feedView();
    feed->selectionModel()->select(view->proxy()->index(1, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    const QString selected = dir.filePath(u"selected.ndjson"_s);
    QVERIFY(view->exportRows(selected, true));
    QTRY_COMPARE(messages.size(), 2);
    QFile selectedFile(selected);
    QVERIFY(selectedFile.open(QIODevice::ReadOnly));
    QCOMPARE(selectedFile.readAll().count('\n'), 1);
}

// Try-out 4: Export Feed's file dialog opened in the process's working folder (the source tree, started
// from it) with the name ready: Enter wrote into it. The bucket Export starts in the home folder.
void tst_WatchPanel::exportAsksWhereBucketExportDoes()
{
    WAIT_OK(m_bucket->put(u"where.a"_s, "1"));
    WatchView *view = watch({u"where.>"_s});
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QVERIFY(QDir::currentPath() != QDir::homePath()); // else the test could not tell them apart
    QString folder;
    QStringList proposed;
    UiTest::onNextDialog<QFileDialog>([&](QFileDialog *dialog) {
        folder = dialog->directory().absolutePath();
        proposed = dialog->selectedFiles();
        dialog->reject();
    });
    view->exportFeed();
    QCOMPARE(folder, QDir::homePath());
    QCOMPARE(proposed, QStringList{QDir::home().filePath(m_bucket->name() + u"-watch.ndjson"_s)});
}

void tst_WatchPanel::doubleClickRequestsKeyAndRevision()
{
    WAIT_OK(m_bucket->put(u"dc.a"_s, "1"));
    WAIT_OK(m_bucket->put(u"dc.b"_s, "2"));
    WatchView *view = watch({});
    QVERIFY(view);
    QTRY_COMPARE(view->model()->rowCount(), 2);
    QSignalSpy open(m_panel, &WatchPanel::openRequested);
    QTableView *feed = view->feedView();
    const QRect rect = feed->visualRect(view->proxy()->index(1, WatchFeedModel::KeyColumn));
    QVERIFY(rect.isValid());
    QTest::mouseClick(feed->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(feed->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_COMPARE(open.size(), 1);
    QCOMPARE(open.first().at(0).toString(), m_bucket->name());
    QCOMPARE(open.first().at(1).toString(), u"dc.b"_s);
    QCOMPARE(open.first().at(2).toULongLong(), 2u);
}

void tst_WatchPanel::mainWindowOpensTheRevision()
{
    // The whole path through the window: a feed row, double-clicked, opens that key at that revision in
    // the editor, and the history dock shows it selected.
    WAIT_OK(m_bucket->put(u"doc"_s, "first"));
    WAIT_OK(m_bucket->put(u"doc"_s, "second"));
    WAIT_OK(m_bucket->put(u"doc"_s, "third"));
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.start({m_server.url(), m_bucket->name(), false});
    QTRY_VERIFY_WITH_TIMEOUT(window.bucketPanel()->currentBucket() == m_bucket->name(), 10000);
    auto *watchDock = window.findChild<QDockWidget *>(u"watchDock"_s);
    auto *historyDock = window.findChild<QDockWidget *>(u"historyDock"_s);
    QVERIFY(watchDock && historyDock);

    KvWatchOptions options;
    options.includeHistory = true;
    WatchView *view = window.watchPanel()->addWatch(m_bucket->name(), {u"doc"_s}, options);
    QVERIFY(watchDock->isVisible());
    QTRY_COMPARE(view->model()->rowCount(), 3);
    QTableView *feed = view->feedView();
    const QPoint row2 = feed->visualRect(view->proxy()->index(1, 1)).center();
    QTest::mouseClick(feed->viewport(), Qt::LeftButton, {}, row2);
    QTest::mouseDClick(feed->viewport(), Qt::LeftButton, {}, row2);
    QTRY_COMPARE(window.valuePanel()->key(), u"doc"_s);
    QTRY_COMPARE(window.valuePanel()->openedRevision(), 2u);
    QCOMPARE(window.valuePanel()->currentValue(), "second"_ba);
    QTRY_VERIFY(historyDock->isVisible());
    QTRY_COMPARE(window.historyPanel()->selectedRevisions(), QList<quint64>{2});
    QCOMPARE(window.historyPanel()->valueText(), u"second"_s);

    // Watch This Key from the menu: a tab for the open key.
    const int before = window.watchPanel()->count();
    const QList<QAction *> actions = window.findChildren<QAction *>();
    QAction *watchKey = nullptr;
    for (QAction *action : actions) {
        if (action->text() == u"Watch &This Key"_s)
            watchKey = action;
    }
    QVERIFY(watchKey);
    watchKey->trigger();
    QCOMPARE(window.watchPanel()->count(), before + 1);
    QCOMPARE(window.watchPanel()->currentView()->filters(), QStringList{u"doc"_s});
}

void tst_WatchPanel::watchDockShowsAUsefulNumberOfRows()
{
    // The watch dock opened at a fixed 260 px: under its rate chart and bar, about six rows of the feed.
    // It is sized in lines of text now, so a feed shows eight or more rows, at any font size.
    for (int i = 0; i < 40; ++i)
        WAIT_OK(m_bucket->put(u"row.%1"_s.arg(i), "v"));
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    window.start({m_server.url(), m_bucket->name(), false});
    QTRY_VERIFY_WITH_TIMEOUT(window.bucketPanel()->currentBucket() == m_bucket->name(), 10000);
    KvWatchOptions options;
    options.includeHistory = true;
    WatchView *view = window.watchPanel()->addWatch(m_bucket->name(), {u"row.>"_s}, options);
    QTRY_COMPARE(view->model()->rowCount(), 40);
    QTableView *feed = view->feedView();
    QTRY_VERIFY(feed->isVisible());
    const int rows = feed->viewport()->height() / std::max(1, feed->rowHeight(0));
    QVERIFY2(rows >= 8, qPrintable(u"%1 rows shown"_s.arg(rows)));
    // Nor at the cost of the keys above it.
    auto *keys = window.findChild<QTableView *>(u"keyListView"_s);
    QVERIFY(keys);
    const int keyRows = keys->viewport()->height() / std::max(1, keys->rowHeight(0));
    QVERIFY2(keyRows >= 8, qPrintable(u"%1 key rows shown"_s.arg(keyRows)));
}

void tst_WatchPanel::emptyFeedSaysWhatItWaitsFor()
{
    // A watch whose keys have not changed yet showed a bare table: it says what it waits for, until the
    // first change comes.
    WatchView *view = watch({u"quiet.>"_s});
    QVERIFY(view);
    QLabel *hint = nullptr;
    QTRY_VERIFY((hint = view->findChild<QLabel *>(u"watchEmptyText"_s)) && hint->isVisible());
    QVERIFY2(hint->text().contains(u"quiet.>"_s), qPrintable(hint->text()));
    WAIT_OK(m_bucket->put(u"quiet.first"_s, "v"));
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QTRY_VERIFY(!hint->isVisible());
}

void tst_WatchPanel::resumesAcrossServerRestartWithoutLossOrRepeat()
{
    // Its own server: killed (SIGKILL) and restarted on the same port and store while the feed is open.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    KvClient watchClient;
    watchClient.open(KvClientOptions(reconnecting(server.url(), 100)));
    KvClient writeClient;
    writeClient.open(KvClientOptions(reconnecting(server.url(), 100)));
    QTRY_VERIFY(watchClient.isConnected() && writeClient.isConnected());
    KvBucket *writer = makeBucket(writeClient.kv(), u"restart"_s, 64);
    QVERIFY(writer);
    m_panel->setContext(watchClient.kv(), true);
    KvWatchOptions options;
    options.idleHeartbeatMs = 1000;
    WatchView *view = m_panel->addWatch(u"restart"_s, {}, options);
    QVERIFY(view->detectsGaps());
    QTRY_VERIFY_WITH_TIMEOUT(view->watcher()->initialValuesDone(), 10000);

    for (int i = 1; i <= 50; ++i)
        WAIT_OK(writer->put(u"k%1"_s.arg(i % 5), QByteArray::number(i)));
    QTRY_COMPARE(view->model()->rowCount(), 50);
    QSignalSpy reconnected(watchClient.connection(), &NatsConnection::reconnected);
    QVERIFY(server.kill());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(reconnected.size() >= 1 && writeClient.isConnected(), 15000);
    // Fifty more acknowledged writes; one that fails while the restarted stream recovers is tried again
    // (it may have been stored all the same: then it is a revision like any other).
    quint64 lastAcked = 0;
    for (int written = 0; written < 50;) {
        KvReply *put = writer->put(u"k%1"_s.arg(written % 5), QByteArray::number(written));
        QTRY_VERIFY_WITH_TIMEOUT(put->isFinished(), 15000);
        if (put->error() == NatsError::NoError) {
            lastAcked = std::max(lastAcked, put->revision());
            ++written;
        }
        put->deleteLater();
    }
    QVERIFY(lastAcked >= 100);
    QTRY_VERIFY_WITH_TIMEOUT(
        !feedRevisions(view->model()).isEmpty() && feedRevisions(view->model()).last() >= lastAcked, 20000);
    QList<quint64> expected;
    for (quint64 r = 1; r <= feedRevisions(view->model()).last(); ++r)
        expected.append(r);
    QCOMPARE(feedRevisions(view->model()), expected); // every one, once, in order
    QCOMPARE(view->model()->gapCount(), 0);
    QTRY_VERIFY(view->statusText().startsWith(u"Watching"_s));
    m_panel->closeAll();
}

void tst_WatchPanel::gapMarkedWhenRevisionsAreGone()
{
    // The watch's connection retries only every 4 s, so while it is away another client writes one key
    // twice into a bucket that keeps one revision per key: the first of the two is gone before the watch
    // is back, and the feed must say so instead of silently skipping it.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    KvClient watchClient;
    watchClient.open(KvClientOptions(reconnecting(server.url(), 4000)));
    NatsConnection &watchConnection = *watchClient.connection();
    QTRY_VERIFY(watchConnection.isConnected());
    KvContext &watchKv = *watchClient.kv();
    KvBucket *setup = makeBucket(&watchKv, u"gaps"_s, 1);
    QVERIFY(setup);
    WAIT_OK(setup->put(u"a"_s, "1")); // rev 1
    WAIT_OK(setup->put(u"b"_s, "2")); // rev 2
    m_panel->setContext(&watchKv, true);
    WatchView *view = m_panel->addWatch(u"gaps"_s, {});
    QTRY_VERIFY_WITH_TIMEOUT(view->watcher() && view->watcher()->initialValuesDone(), 10000);
    WAIT_OK(setup->put(u"c"_s, "3")); // rev 3, live
    QTRY_COMPARE(view->model()->lastRevision(), 3u);

    QSignalSpy disconnected(&watchConnection, &NatsConnection::disconnected);
    QVERIFY(server.kill());
    QTRY_VERIFY(disconnected.size() >= 1);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    {
        KvClient other;
        other.open(KvClientOptions::fromUrl(server.url()));
        QTRY_VERIFY(other.isConnected());
        QVERIFY2(!watchConnection.isConnected(), "the watch reconnected too early for this test");
        KvBucket *writer = other.kv()->bucket(u"gaps"_s);
        WAIT_OK(writer->put(u"d"_s, "4")); // rev 4: gone once rev 5 is written
        WAIT_OK(writer->put(u"d"_s, "5")); // rev 5
        QVERIFY2(!watchConnection.isConnected(), "the watch reconnected too early for this test");
    }
    QTRY_COMPARE_WITH_TIMEOUT(view->model()->lastRevision(), 5u, 15000);
    QTRY_COMPARE(view->model()->rowCount(), 5);
    QCOMPARE(view->model()->gapCount(), 1);
    const int gapRow = view->model()->rowCount() - 2;
    QCOMPARE(view->model()->kindAt(gapRow), WatchFeedModel::RowKind::Gap);
    QCOMPARE(view->model()->gapAt(gapRow), qMakePair(quint64(4), quint64(4)));
    QVERIFY(view->model()
                ->index(gapRow, WatchFeedModel::PreviewColumn)
                .data()
                .toString()
                .contains(u"no longer on the server"_s));
    QCOMPARE(feedRevisions(view->model()), (QList<quint64>{1, 2, 3, 5}));
    QVERIFY(view->statusText().contains(u"1 gap"_s));
    m_panel->closeAll();
}

// Revisions removed before the watch began (a key's whole history purged, here the bucket's last ones) are
// no gap: the watch never had them to miss, as it never has the older revisions its initial values skip.
// Before, the first live revision after them put a gap row "revisions 2-3 never reached this feed" in
// the feed (it took the bucket's last revision as the point from which every one must come only when the
// initial values were empty).
void tst_WatchPanel::noGapForWhatWasGoneBeforeTheWatch()
{
    WAIT_OK(m_bucket->put(u"a"_s, "1")); // rev 1
    WAIT_OK(m_bucket->put(u"c"_s, "2")); // rev 2
    WAIT_OK(m_bucket->remove(u"c"_s));   // rev 3
    JsPurgeRequest purge;
    purge.filter = "$KV." + m_bucket->name().toUtf8() + ".c";
    WAIT_OK(m_writerKv->jetStream()->purgeStream(u"KV_"_s + m_bucket->name(), purge)); // revs 2 and 3 gone
    WatchView *view = watch({});
    QVERIFY(view);
    QVERIFY(view->detectsGaps());
    QTRY_COMPARE(feedRevisions(view->model()), QList<quint64>{1});
    WAIT_OK(m_bucket->put(u"d"_s, "4")); // rev 4, live
    QTRY_COMPARE(view->model()->lastRevision(), 4u);
    view->model()->flush();
    QCOMPARE(view->model()->gapCount(), 0);
    QCOMPARE(feedRevisions(view->model()), (QList<quint64>{1, 4}));
    QVERIFY2(!view->statusText().contains(u"gap"_s), qPrintable(view->statusText()));
    // Detection stays on for what goes by after the watch began (gapMarkedWhenRevisionsAreGone).
    QVERIFY(view->model()->gapDetection());
}

// With the filter "w." (2 of 11 rows shown) Export Feed wrote all 11 rows and said "Exported 11 rows": it
// exports the rows shown, and says they are those matching the filter.
void tst_WatchPanel::exportFollowsTheRowFilter()
{
    WatchView *view = watch({});
    QVERIFY(view);
    QList<KvReply *> puts;
    for (int i = 1; i <= 9; ++i)
        puts.append(m_bucket->put(u"other.%1"_s.arg(i), "x"));
    puts.append(m_bucket->put(u"w.1"_s, "x"));
    puts.append(m_bucket->put(u"w.2"_s, "x"));
    QTRY_COMPARE(view->model()->rowCount(), 11);
    QTest::keyClicks(view->findChild<QLineEdit *>(u"watchTextFilter"_s), u"w."_s);
    QTRY_COMPARE(view->proxy()->rowCount(), 2);
    QVERIFY2(view->statusText().contains(u"2 of 11 rows match the filter"_s), qPrintable(view->statusText()));

    QTemporaryDir dir;
    const QString path = dir.filePath(u"filtered.ndjson"_s);
    QSignalSpy messages(view, &WatchView::message);
    QVERIFY(view->exportRows(path, false));
    QTRY_COMPARE(messages.size(), 1);
    const QString said = messages.first().at(0).toString();
    QVERIFY2(said.startsWith(u"Exported 2 rows"_s) && said.contains(u"matching the filter"_s), qPrintable(said));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    KvEntry first;
    QVERIFY(KvNdjson::decode(lines[0], &first, nullptr));
    QCOMPARE(first.key, u"w.1"_s);
    qDeleteAll(puts);
}

// While paused ("Resume (2 waiting)") the export left out the waiting entries without a word: it says so.
void tst_WatchPanel::exportSaysWhatWaitsWhilePaused()
{
    WatchView *view = watch({});
    QVERIFY(view);
    WAIT_OK(m_bucket->put(u"shown.1"_s, "x"));
    WAIT_OK(m_bucket->put(u"shown.2"_s, "x"));
    QTRY_COMPARE(view->model()->rowCount(), 2);
    view->setPaused(true);
    WAIT_OK(m_bucket->put(u"waits.1"_s, "x"));
    WAIT_OK(m_bucket->put(u"waits.2"_s, "x"));
    QTRY_COMPARE(view->model()->waitingCount(), 2);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"paused.ndjson"_s);
    QSignalSpy messages(view, &WatchView::message);
    QVERIFY(view->exportRows(path, false));
    QTRY_COMPARE(messages.size(), 1);
    const QString said = messages.first().at(0).toString();
    QVERIFY2(said.startsWith(u"Exported 2 rows"_s) && said.contains(u"2 changes waiting"_s), qPrintable(said));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll().count('\n'), 2);
}

// After Clear the feed said "No changes yet" though changes had come, and Export wrote an empty file
// ("Exported 0 rows"). The feed says it was cleared; with no rows, Export is off and writes nothing.
void tst_WatchPanel::clearedFeedSaysSoAndHasNothingToExport()
{
    WatchView *view = watch({});
    QVERIFY(view);
    auto *exportButton = view->findChild<QPushButton *>(u"watchExport"_s);
    QVERIFY(!exportButton->isEnabled()); // nothing yet
    QVERIFY(!m_panel->exportAction()->isEnabled());
    WAIT_OK(m_bucket->put(u"c.1"_s, "x"));
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QTRY_VERIFY(exportButton->isEnabled());
    QVERIFY(m_panel->exportAction()->isEnabled());

    view->findChild<QToolButton *>(u"watchClear"_s)->click();
    QCOMPARE(view->model()->rowCount(), 0);
    QLabel *hint = nullptr;
    QTRY_VERIFY((hint = view->findChild<QLabel *>(u"watchEmptyText"_s)) && hint->isVisible());
    QVERIFY2(!hint->text().startsWith(u"No changes yet"_s) && hint->text().contains(u"cleared"_s),
             qPrintable(hint->text()));
    QVERIFY(!exportButton->isEnabled());
    QVERIFY(!m_panel->exportAction()->isEnabled());
    QTemporaryDir dir;
    const QString path = dir.filePath(u"cleared.ndjson"_s);
    QSignalSpy messages(view, &WatchView::message);
    QVERIFY(!view->exportRows(path, false));
    QCOMPARE(messages.size(), 1);
    QVERIFY2(messages.first().at(0).toString().contains(u"Nothing to export"_s),
             qPrintable(messages.first().at(0).toString()));
    QVERIFY(!QFile::exists(path));

    WAIT_OK(m_bucket->put(u"c.2"_s, "x"));
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QTRY_VERIFY(exportButton->isEnabled());
    QVERIFY(m_panel->exportAction()->isEnabled());
    // A filter that hides every row leaves nothing to export either.
    view->setTextFilter(u"no row has this"_s);
    QTRY_VERIFY(!exportButton->isEnabled());
    QVERIFY(!m_panel->exportAction()->isEnabled());
}

QTEST_MAIN(tst_WatchPanel)

#include "tst_watchpanel.moc"
