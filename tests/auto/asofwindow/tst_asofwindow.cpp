#include "asofbar.h"
#include "asofdiffdialog.h"
#include "asofview.h"
#include "diffview.h"
#include "errorlabel.h"
#include "historymodel.h"
#include "historypanel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvndjson.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverinfo.h"
#include "natsserverprocess.h"
#include "transferdialog.h"
#include "uitestsupport.h"
#include "valuepanel.h"

#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QApplication>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTreeWidget>

using namespace Qt::StringLiterals;

// The bucket as it was, in the window, against a real nats-server (replay on 2.9/2.10, batch get on the
// newest): the key list as of a revision, read-only values of then, Esc back to live, the differences
// between two points, and a restore that reports (never overwrites) a key changed concurrently.
class tst_AsOfWindow final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-asof"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void asOfShowsThenReadOnlyAndEscReturnsToLive();
    void escShowsTheHighlightedLiveKeysValue();
    void theHistoryShowsTheRevisionThen();
    void unanswerableKeyIsListedWithoutValue();
    void theCountUnderTheListSaysWhatTheListShows();
    void loadingShowsProgressAndCancelReturnsToLive();
    void aPointNotShownSaysWhichKeysAreShown();
    void aPointIsCheckedAsTyped();
    void folderOfTheTreeAsItWas();
    void differencesBetweenAPointAndNow();
    void aFailedCompareSaysOnlyWhy();
    void restorePutsBackAndReportsConcurrentChange();
    void exportWritesTheValuesOfThePointShown();

private:
    KvBucket *peerBucket(const QString &name, int history);
    quint64 put(KvBucket *bucket, const QString &key, const QByteArray &value);
    bool openWindow(const QString &bucket, int keys);
    bool showAsOf(quint64 revision);
    QModelIndex rowOf(const QString &key) const;
    bool openAsOfKey(const QString &key);
    // Answers the next modal dialog named name by clicking its button named button (or its default).
    static void answer(const QString &name, const QString &button);

    NatsServerProcess m_server;
    NatsConnection *m_peer = nullptr;
    KvContext *m_peerKv = nullptr;
    MainWindow *m_window = nullptr;
    AsOfBar *m_bar = nullptr;
    int m_counter = 0;
};

void tst_AsOfWindow::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_peer, nullptr, &m_peerKv));
}

void tst_AsOfWindow::init()
{
    ++m_counter;
    QSettings().clear();
}

void tst_AsOfWindow::cleanup()
{
    delete m_window;
    m_window = nullptr;
    m_bar = nullptr;
}

KvBucket *tst_AsOfWindow::peerBucket(const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = history;
    return KvTest::createBucket(m_peerKv, config) ? m_peerKv->bucket(config.bucket, this) : nullptr;
}

quint64 tst_AsOfWindow::put(KvBucket *bucket, const QString &key, const QByteArray &value)
{
    KvReply *reply = bucket->put(key, value);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs)
        || reply->error() != NatsError::NoError)
        return 0;
    reply->deleteLater();
    return reply->revision();
}

bool tst_AsOfWindow::openWindow(const QString &bucket, int keys)
{
    m_window = new MainWindow;
    m_window->resize(1100, 700);
    m_window->show();
    m_window->activateWindow();
    m_window->start({m_server.url(), bucket, false});
    m_bar = m_window->keyPanel()->asOfBar();
    KeyListModel *model = m_window->keyPanel()->model();
    return QTest::qWaitFor([&] { return !model->isLoading() && model->liveCount() == keys; }, 10000)
        && QTest::qWaitForWindowActive(m_window);
}

bool tst_AsOfWindow::showAsOf(quint64 revision)
{
    auto *point = m_bar->findChild<QLineEdit *>(u"asOfPoint"_s);
    point->setText(QString::number(revision));
    m_bar->findChild<QPushButton *>(u"asOfShow"_s)->click();
    return QTest::qWaitFor([&] { return m_bar->isActive() && m_bar->readOnlyReason().contains(u"rev"_s); },
                           KvTest::ReplyTimeoutMs);
}

QModelIndex tst_AsOfWindow::rowOf(const QString &key) const
{
    const QAbstractItemModel *model = m_bar->view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(KeyListModel::KeyRole).toString() == key)
            return model->index(row, 0);
    }
    return {};
}

bool tst_AsOfWindow::openAsOfKey(const QString &key)
{
    const QModelIndex index = rowOf(key);
    if (!index.isValid())
        return false;
    m_bar->view()->setCurrentIndex(index);
    auto *title = m_window->valuePanel()->findChild<QLabel *>(u"valueTitle"_s);
    return QTest::qWaitFor([&] { return title->text() == key; }, KvTest::ReplyTimeoutMs);
}

void tst_AsOfWindow::answer(const QString &name, const QString &button)
{
    auto *timer = new QTimer;
    timer->setInterval(10);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, name, button] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal || modal->objectName() != name)
            return;
        timer->stop();
        timer->deleteLater();
        auto *box = qobject_cast<QMessageBox *>(modal);
        auto *chosen = button.isEmpty() ? nullptr : modal->findChild<QAbstractButton *>(button);
        if (chosen)
            chosen->click();
        else if (box)
            box->button(QMessageBox::Ok) ? box->button(QMessageBox::Ok)->click() : box->reject();
    });
    timer->start();
}

// A key opened as it was: the history dock selects and shows that revision, as the value panel does (it
// selected the newest, so the two panels showed different values of the same key; third tryout).
void tst_AsOfWindow::theHistoryShowsTheRevisionThen()
{
    KvBucket *bucket = peerBucket(u"asofhist"_s, 10);
    QVERIFY(bucket);
    const quint64 then = put(bucket, u"k"_s, "one");
    QVERIFY(then);
    QVERIFY(put(bucket, u"k"_s, "two"));
    QVERIFY(put(bucket, u"k"_s, "three"));
    QVERIFY(openWindow(bucket->name(), 1));
    m_window->findChild<QDockWidget *>(u"historyDock"_s)->show();
    QVERIFY(showAsOf(then));
    QVERIFY(openAsOfKey(u"k"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->openedRevision(), then, KvTest::ReplyTimeoutMs);
    HistoryPanel *history = m_window->historyPanel();
    QTRY_VERIFY_WITH_TIMEOUT(history->model()->isLoaded() && history->model()->rowCount() == 3, KvTest::ReplyTimeoutMs);
    QTRY_COMPARE(history->selectedRevisions(), QList<quint64>{then});
}

void tst_AsOfWindow::asOfShowsThenReadOnlyAndEscReturnsToLive()
{
    KvBucket *bucket = peerBucket(u"asofwin"_s, 10);
    QVERIFY(bucket);
    // Rewritten often enough that the newest server reads by batch get, not by replay (KvAsOfRead::Path::Auto),
    // and not so often that the history limit drops a revision (that would make later keys unanswerable).
    for (int i = 0; i < 8; ++i)
        QVERIFY(put(bucket, u"config"_s, QByteArray::number(i)));
    QVERIFY(put(bucket, u"config"_s, R"({"a":1,"b":2})"));
    QVERIFY(put(bucket, u"gone"_s, "g1"));
    const quint64 point = put(bucket, u"plain"_s, "p1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"config"_s, R"({"a":1,"b":3})"));
    WAIT_OK(bucket->remove(u"gone"_s));
    QVERIFY(put(bucket, u"later"_s, "l1"));
    QVERIFY(openWindow(bucket->name(), 3));

    QVERIFY(showAsOf(point));
    QVERIFY(m_bar->view()->read());
    QCOMPARE(m_bar->view()->read()->usedPath(),
             m_peer->serverInfo().versionAtLeast(2, 11, 0) ? KvAsOfRead::Path::Batch : KvAsOfRead::Path::Replay);
    auto *stack = m_window->keyPanel()->findChild<QStackedWidget *>();
    QCOMPARE(stack->currentWidget(), m_bar->view());
    auto *banner = m_bar->findChild<QLabel *>(u"asOfBannerText"_s);
    QVERIFY(banner->isVisible());
    // One line cut to the panel's width: the point first, all of it in the tooltip.
    QVERIFY2(banner->text().startsWith(u"<b>As of rev %1"_s.arg(point)), qPrintable(banner->text()));
    QVERIFY2(banner->toolTip().contains(u"As of rev %1 ("_s.arg(point)), qPrintable(banner->toolTip()));
    QVERIFY2(banner->toolTip().contains(u"UTC"_s), qPrintable(banner->toolTip()));
    QVERIFY2(banner->toolTip().contains(u"read-only"_s), qPrintable(banner->toolTip()));
    // The keys then (gone included, later not), and later listed as absent then.
    QVERIFY(rowOf(u"config"_s).isValid() && rowOf(u"gone"_s).isValid() && rowOf(u"plain"_s).isValid());
    QVERIFY(rowOf(u"later"_s).isValid());
    QVERIFY(rowOf(u"later"_s).siblingAtColumn(AsOfView::StateColumn).data().toString().contains(u"absent then"_s));

    // The value then, read-only, the reason shown; a later write does not replace it.
    QVERIFY(openAsOfKey(u"config"_s));
    ValuePanel *value = m_window->valuePanel();
    auto *editor = value->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    QTRY_VERIFY(editor->toPlainText().contains(u"\"b\": 2"_s) || editor->toPlainText().contains(u"\"b\":2"_s));
    QVERIFY(editor->isReadOnly());
    QVERIFY(!value->saveAction()->isEnabled());
    QVERIFY(!value->newKeyAction()->isEnabled());
    QVERIFY(!value->deleteAction()->isEnabled());
    // A key opened by name would be the live one, not the one of then.
    QAction *openByName = nullptr;
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->text() == u"&Open Key by Name…"_s)
            openByName = action;
    }
    QVERIFY(openByName);
    QVERIFY(!openByName->isEnabled());
    QVERIFY2(value->saveAction()->toolTip().contains(u"Read-only"_s), qPrintable(value->saveAction()->toolTip()));
    auto *meta = value->findChild<QLabel *>(u"valueMeta"_s);
    QVERIFY2(meta->text().contains(u"Read-only"_s), qPrintable(meta->text()));
    QVERIFY(put(bucket, u"config"_s, R"({"a":9})"));
    QTRY_VERIFY(m_window->keyPanel()->model()->entryAt(m_window->keyPanel()->model()->rowOfKey(u"config"_s)).value
                    == R"({"a":9})" // the live list saw it
                || m_window->keyPanel()->model()->entryAt(m_window->keyPanel()->model()->rowOfKey(u"config"_s)).revision
                    > point + 3);
    QVERIFY(editor->toPlainText().contains(u"2"_s));
    QVERIFY(!editor->toPlainText().contains(u"9"_s));
    // A key deleted since shows its value then too.
    QVERIFY(openAsOfKey(u"gone"_s));
    QTRY_COMPARE(editor->toPlainText(), u"g1"_s);

    // Esc: the live list again, and writes are back.
    QTest::keyClick(m_bar->view(), Qt::Key_Escape);
    QTRY_VERIFY(!m_bar->isActive());
    QCOMPARE(stack->currentWidget()->objectName(), u"keyListView"_s);
    QVERIFY(!banner->isVisible());
    QTRY_VERIFY(value->newKeyAction()->isEnabled());
    QVERIFY(openByName->isEnabled());
    // Its point goes with it: over the live list it read as the point shown; so on another bucket.
    auto *pointField = m_bar->findChild<QLineEdit *>(u"asOfPoint"_s);
    QVERIFY2(pointField->text().isEmpty(), qPrintable(pointField->text()));
    pointField->setText(u"3"_s);
    m_bar->setBucket(bucket);
    QVERIFY2(pointField->text().isEmpty(), qPrintable(pointField->text()));
}

void tst_AsOfWindow::escShowsTheHighlightedLiveKeysValue()
{
    // Back from the past, the key highlighted in the live list showed no value: the value panel had
    // been cleared of the value then, and nothing opened the live one.
    KvBucket *bucket = peerBucket(u"asofesc"_s, 5);
    QVERIFY(bucket);
    const quint64 point = put(bucket, u"first"_s, "then");
    QVERIFY(point);
    QVERIFY(put(bucket, u"second"_s, "live"));
    QVERIFY(openWindow(bucket->name(), 2));
    m_window->keyPanel()->selectKey(u"second"_s);
    ValuePanel *value = m_window->valuePanel();
    auto *editor = value->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    QTRY_COMPARE(editor->toPlainText(), u"live"_s);

    QVERIFY(showAsOf(point));
    QVERIFY(openAsOfKey(u"first"_s));
    QTRY_COMPARE(editor->toPlainText(), u"then"_s);
    QTest::keyClick(m_bar->view(), Qt::Key_Escape);
    QTRY_VERIFY(!m_bar->isActive());
    QCOMPARE(m_window->keyPanel()->currentKey(), u"second"_s);
    QTRY_COMPARE(value->key(), u"second"_s);
    QTRY_COMPARE(editor->toPlainText(), u"live"_s);
    QVERIFY(!editor->isReadOnly());
}

void tst_AsOfWindow::unanswerableKeyIsListedWithoutValue()
{
    KvBucket *bucket = peerBucket(u"asofone"_s, 1);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"k"_s, "v1"));
    const quint64 point = put(bucket, u"other"_s, "o1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"k"_s, "v2")); // history 1: v1 is gone
    QVERIFY(openWindow(bucket->name(), 2));
    QVERIFY(showAsOf(point));
    const QModelIndex k = rowOf(u"k"_s);
    QVERIFY(k.isValid());
    QVERIFY(k.siblingAtColumn(AsOfView::StateColumn).data().toString().contains(u"cannot be answered"_s));
    QVERIFY(k.siblingAtColumn(AsOfView::RevisionColumn).data().toString().isEmpty());
    auto *banner = m_bar->findChild<QLabel *>(u"asOfBannerText"_s);
    QVERIFY2(banner->toolTip().contains(u"1 cannot be answered"_s), qPrintable(banner->toolTip()));
    // Why, as a sentence of its own; and each key's state in sight at the window's size, not scrolled off.
    const QHeaderView *header = m_bar->view()->header();
    const int stateEnd = header->sectionViewportPosition(AsOfView::StateColumn)
        + header->sectionSize(AsOfView::StateColumn);
    QVERIFY2(header->sectionViewportPosition(AsOfView::StateColumn) >= 0
                 && header->sectionViewportPosition(AsOfView::StateColumn) + 100 <= header->viewport()->width(),
             qPrintable(u"state column at %1..%2 of %3"_s.arg(header->sectionViewportPosition(AsOfView::StateColumn))
                            .arg(stateEnd)
                            .arg(header->viewport()->width())));
    QVERIFY2(banner->toolTip().contains(u". Bucket \"%1\" no longer holds"_s.arg(bucket->name())),
             qPrintable(banner->toolTip()));
    // Said once: the counts and the sentence why both ended in it (try-out 5).
    QVERIFY2(banner->toolTip().count(u"keys removed since may be missing"_s) == 1, qPrintable(banner->toolTip()));
    QVERIFY(openAsOfKey(u"k"_s));
    auto *editor = m_window->valuePanel()->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    auto *meta = m_window->valuePanel()->findChild<QLabel *>(u"valueMeta"_s);
    QTRY_VERIFY2(meta->text().contains(u"cannot be answered"_s), qPrintable(meta->text()));
    QVERIFY(editor->toPlainText().isEmpty()); // never v2 in v1's place
}

// The count under the list said the live list's "7 keys" over the list as of a point: keys absent then were
// counted as keys, and keys that cannot be answered were not (try-out 5). It says what the list shows, in
// the banner's words, and the live count again once back to live.
void tst_AsOfWindow::theCountUnderTheListSaysWhatTheListShows()
{
    // Keys written after the point: absent then, listed, and not counted as keys.
    KvBucket *bucket = peerBucket(u"asofcount"_s, 5);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"cfg.a"_s, "a1"));
    QVERIFY(put(bucket, u"cfg.b"_s, "b1"));
    const quint64 point = put(bucket, u"cfg.c"_s, "c1");
    QVERIFY(point);
    for (const QString &key : {u"cfg.d"_s, u"cfg.m"_s, u"txt"_s})
        QVERIFY(put(bucket, key, "later"));
    QVERIFY(openWindow(bucket->name(), 6));
    auto *status = m_window->keyPanel()->findChild<QLabel *>(u"keyStatus"_s);
    QTRY_COMPARE(status->text(), u"6 keys"_s);
    QVERIFY(showAsOf(point));
    QCOMPARE(m_bar->view()->model()->rowCount(), 6);
    QTRY_COMPARE(status->text(), u"3 keys then, 3 absent then"_s);
    auto *banner = m_bar->findChild<QLabel *>(u"asOfBannerText"_s);
    QVERIFY2(banner->toolTip().contains(u"3 keys then · 3 absent then."_s), qPrintable(banner->toolTip()));
    // Every key there then: the keys then alone.
    QVERIFY(showAsOf(point + 3));
    QTRY_COMPARE(status->text(), u"6 keys then"_s);
    QTest::keyClick(m_bar->view(), Qt::Key_Escape);
    QTRY_VERIFY(!m_bar->isActive());
    QTRY_COMPARE(status->text(), u"6 keys"_s);

    // Keys whose value then the bucket no longer holds: listed, and counted as what they are.
    delete m_window;
    m_window = nullptr;
    KvBucket *short_ = peerBucket(u"asofcountshort"_s, 1);
    QVERIFY(short_);
    QVERIFY(put(short_, u"a"_s, "a1"));
    QVERIFY(put(short_, u"d"_s, "d1"));
    const quint64 shortPoint = put(short_, u"b"_s, "b1");
    QVERIFY(shortPoint);
    QVERIFY(put(short_, u"a"_s, "a2")); // history 1: a1 and d1 are gone
    QVERIFY(put(short_, u"d"_s, "d2"));
    QVERIFY(openWindow(short_->name(), 3));
    status = m_window->keyPanel()->findChild<QLabel *>(u"keyStatus"_s);
    QVERIFY(showAsOf(shortPoint));
    QCOMPARE(m_bar->view()->model()->rowCount(), 3);
    QTRY_COMPARE(status->text(), u"1 key then, 2 cannot be answered"_s);
}

void tst_AsOfWindow::loadingShowsProgressAndCancelReturnsToLive()
{
    KvBucket *bucket = peerBucket(u"asofcancel"_s, 5);
    QVERIFY(bucket);
    const quint64 point = put(bucket, u"a"_s, "a1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"a"_s, "a2"));
    QVERIFY(openWindow(bucket->name(), 1));
    m_bar->findChild<QLineEdit *>(u"asOfPoint"_s)->setText(QString::number(point));
    m_bar->findChild<QPushButton *>(u"asOfShow"_s)->click();
    // Loading: read-only already, progress and Cancel shown, the value panel saying why writes are off.
    QVERIFY(m_bar->isActive());
    auto *cancel = m_bar->findChild<QPushButton *>(u"asOfCancel"_s);
    QVERIFY(cancel->isVisible());
    QVERIFY(m_bar->findChild<QWidget *>(u"asOfProgress"_s)->isVisible());
    QVERIFY(!m_window->valuePanel()->newKeyAction()->isEnabled());
    cancel->click();
    QTRY_VERIFY(!m_bar->isActive());
    QVERIFY(!cancel->isVisible());
    auto *error = m_bar->findChild<QLabel *>(u"asOfError"_s);
    QVERIFY2(error->text().contains(u"cancelled"_s), qPrintable(error->text()));
    QCOMPARE(m_window->keyPanel()->findChild<QStackedWidget *>()->currentWidget()->objectName(), u"keyListView"_s);
    QTRY_VERIFY(m_window->valuePanel()->newKeyAction()->isEnabled());
}

void tst_AsOfWindow::aPointNotShownSaysWhichKeysAreShown()
{
    // A point typed wrong while another was shown: its error sat over the other point's keys, and nothing
    // said which point the list was. A point that cannot be read goes back to the live keys, and says so.
    KvBucket *bucket = peerBucket(u"asofwrong"_s, 5);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"a"_s, "a1"));
    const quint64 point = put(bucket, u"b"_s, "b1");
    QVERIFY(point);
    const quint64 last = put(bucket, u"c"_s, "c1");
    QVERIFY(last);
    QVERIFY(openWindow(bucket->name(), 3));
    QVERIFY(showAsOf(point));
    auto *field = m_bar->findChild<QLineEdit *>(u"asOfPoint"_s);
    auto *error = m_bar->findChild<QLabel *>(u"asOfError"_s);
    auto *banner = m_bar->findChild<QLabel *>(u"asOfBannerText"_s);
    auto *stack = m_window->keyPanel()->findChild<QStackedWidget *>();
    const QString shown = u"rev %1"_s.arg(point);

    field->setText(u"yesterday-ish"_s);
    m_bar->findChild<QPushButton *>(u"asOfShow"_s)->click();
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(u"yesterday-ish"_s), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"still shows"_s) && error->text().contains(shown), qPrintable(error->text()));
    QVERIFY(m_bar->isActive());
    QCOMPARE(stack->currentWidget(), m_bar->view());
    QVERIFY2(banner->isVisible() && banner->text().contains(shown), qPrintable(banner->text()));

    field->setText(QString::number(last + 100));
    m_bar->findChild<QPushButton *>(u"asOfShow"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!m_bar->isActive(), KvTest::ReplyTimeoutMs);
    QVERIFY(error->isVisible());
    QVERIFY2(error->text().contains(QString::number(last + 100)), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"live keys"_s), qPrintable(error->text()));
    QCOMPARE(stack->currentWidget()->objectName(), u"keyListView"_s);
    QVERIFY(!banner->isVisible());
}

void tst_AsOfWindow::aPointIsCheckedAsTyped()
{
    // As the Compare dialog's From and To: a point typed wrong said nothing until Enter, and a point typed
    // right after one refused left that refusal beside it.
    KvBucket *bucket = peerBucket(u"asoftyped"_s, 5);
    QVERIFY(bucket);
    const quint64 point = put(bucket, u"a"_s, "a1");
    QVERIFY(point);
    QVERIFY(openWindow(bucket->name(), 1));
    auto *field = m_bar->findChild<QLineEdit *>(u"asOfPoint"_s);
    auto *error = m_bar->findChild<QLabel *>(u"asOfError"_s);
    field->setFocus();
    QTest::keyClicks(field, u"3x"_s);
    QVERIFY(!m_bar->isActive());
    QVERIFY2(error->isVisible() && error->text().contains(u"3x"_s), qPrintable(error->text()));
    QTest::keyClick(field, Qt::Key_Backspace);
    QVERIFY2(!error->isVisible() || error->text().isEmpty(), qPrintable(error->text()));
    QTest::keyClick(field, Qt::Key_Backspace);
    QVERIFY2(!error->isVisible() || error->text().isEmpty(), qPrintable(error->text())); // empty: no mistake yet

    // While a point is shown, the refusal says the list still shows it.
    QVERIFY(showAsOf(point));
    field->selectAll();
    QTest::keyClicks(field, u"yesterday"_s);
    QVERIFY(m_bar->isActive());
    QVERIFY2(error->isVisible() && error->text().contains(u"yesterday"_s), qPrintable(error->text()));
    QVERIFY2(error->text().contains(u"still shows"_s), qPrintable(error->text()));
    field->selectAll();
    QTest::keyClicks(field, u"1h"_s);
    QVERIFY2(!error->isVisible() || error->text().isEmpty(), qPrintable(error->text()));
}

void tst_AsOfWindow::folderOfTheTreeAsItWas()
{
    KvBucket *bucket = peerBucket(u"asoffolder"_s, 5);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"app.a"_s, "a1"));
    QVERIFY(put(bucket, u"other.c"_s, "c1"));
    const quint64 point = put(bucket, u"app.b"_s, "b1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"app.a"_s, "a2"));
    QVERIFY(openWindow(bucket->name(), 3));
    m_window->keyPanel()->setTreeMode(true);
    m_window->keyPanel()->selectKey(u"app"_s); // the folder
    QVERIFY(showAsOf(point));
    QStringList keys;
    for (int row = 0; row < m_bar->view()->model()->rowCount(); ++row)
        keys.append(m_bar->view()->model()->index(row, 0).data().toString());
    QCOMPARE(keys, (QStringList{u"app.a"_s, u"app.b"_s}));
    auto *banner = m_bar->findChild<QLabel *>(u"asOfBannerText"_s);
    QVERIFY2(banner->toolTip().contains(u"keys app.>"_s), qPrintable(banner->toolTip()));
    QTest::keyClick(m_bar->view(), Qt::Key_Escape);
    QTRY_VERIFY(!m_bar->isActive());
    QCOMPARE(m_window->keyPanel()->findChild<QStackedWidget *>()->currentWidget()->objectName(), u"keyTreeView"_s);
}

void tst_AsOfWindow::differencesBetweenAPointAndNow()
{
    KvBucket *bucket = peerBucket(u"asofdiff"_s, 10);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"config"_s, R"({"b":2,"a":1})"));
    QVERIFY(put(bucket, u"same"_s, "s"));
    const quint64 point = put(bucket, u"gone"_s, "g1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"config"_s, R"({"a":1,"b":2,"c":3})"));
    QVERIFY(put(bucket, u"same"_s, "s")); // written again, the same bytes: no change
    WAIT_OK(bucket->remove(u"gone"_s));
    QVERIFY(put(bucket, u"new"_s, "n1"));
    QVERIFY(openWindow(bucket->name(), 3));
    QVERIFY(showAsOf(point));
    m_bar->findChild<QPushButton *>(u"asOfCompare"_s)->click();
    auto *dialog = m_bar->findChild<AsOfDiffDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing(), KvTest::ReplyTimeoutMs);
    auto *list = dialog->findChild<QTreeWidget *>(u"asOfDiffList"_s);
    QMap<QString, QString> changes;
    for (int i = 0; i < list->topLevelItemCount(); ++i)
        changes.insert(list->topLevelItem(i)->text(0), list->topLevelItem(i)->text(1));
    const QMap<QString, QString> expected{
        {u"config"_s, u"changed"_s}, {u"gone"_s, u"removed"_s}, {u"new"_s, u"added"_s}};
    QCOMPARE(changes, expected);
    // The value diff, JSON normalised: only the new member differs, not the reordered ones.
    list->setCurrentItem(list->findItems(u"config"_s, Qt::MatchExactly).constFirst());
    auto *diff = dialog->findChild<DiffView *>(u"asOfDiffView"_s);
    const QString unified = diff->unifiedText();
    QVERIFY2(unified.contains(u"\n+   \"c\": 3"_s), qPrintable(unified));
    QVERIFY2(unified.contains(u"\n    \"a\": 1,"_s), qPrintable(unified)); // moved, unchanged
    QCOMPARE(diff->changeCount(), 3); // "b": 2 gained its comma: -1 +1, and "c": 3 +1
    auto *summary = dialog->findChild<QLabel *>(u"asOfDiffSummary"_s);
    QVERIFY2(summary->text().contains(u"1 added"_s) && summary->text().contains(u"1 changed"_s),
             qPrintable(summary->text()));
    // Its bucket named (it stays open beside another bucket's window), each change in full.
    QVERIFY2(dialog->windowTitle().contains(bucket->name()), qPrintable(dialog->windowTitle()));
    const QFontMetrics metrics(list->font());
    for (const QString &change : {u"changed"_s, u"cannot be compared"_s}) // the longest a row can say
        QVERIFY2(metrics.horizontalAdvance(change) < list->columnWidth(1), qPrintable(change));
}

// A compare that failed said "No differences" under its error (the diff view of no key), and a point typed
// afterwards was not checked until Compare, the failed one's error staying beside it (try-out 5). A failed
// compare shows its error alone; From and To are checked as typed.
void tst_AsOfWindow::aFailedCompareSaysOnlyWhy()
{
    KvBucket *bucket = peerBucket(u"asofcmpfail"_s, 10);
    QVERIFY(bucket);
    const quint64 point = put(bucket, u"k"_s, "one");
    QVERIFY(point);
    const quint64 last = put(bucket, u"k"_s, "two");
    QVERIFY(last);
    QVERIFY(openWindow(bucket->name(), 1));
    m_bar->findChild<QLineEdit *>(u"asOfPoint"_s)->setText(QString::number(point));
    m_bar->findChild<QPushButton *>(u"asOfCompare"_s)->click();
    auto *dialog = m_bar->findChild<AsOfDiffDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing(), KvTest::ReplyTimeoutMs);
    auto *list = dialog->findChild<QTreeWidget *>(u"asOfDiffList"_s);
    auto *summary = dialog->findChild<QLabel *>(u"asOfDiffSummary"_s);
    auto *diffSummary = dialog->findChild<DiffView *>(u"asOfDiffView"_s)->findChild<QLabel *>(u"diffSummary"_s);
    auto *error = dialog->findChild<ErrorLabel *>();
    auto *from = dialog->findChild<QLineEdit *>(u"asOfDiffFrom"_s);
    auto *to = dialog->findChild<QLineEdit *>(u"asOfDiffTo"_s);
    auto *compare = dialog->findChild<QPushButton *>(u"asOfDiffCompare"_s);
    QVERIFY(error && from && to && compare);
    QCOMPARE(list->topLevelItemCount(), 1); // k changed, shown selected
    QVERIFY2(!diffSummary->text().isEmpty(), "the selected key's diff");

    // A revision the bucket has not reached: its error, and nothing that reads as a result.
    from->selectAll();
    QTest::keyClicks(from, QString::number(last + 90));
    QVERIFY2(error->text().isEmpty(), qPrintable(error->text())); // a number is a revision: fine as typed
    QVERIFY(compare->isEnabled());
    compare->click();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isComparing(), KvTest::ReplyTimeoutMs);
    QVERIFY2(error->isVisible() && error->text().contains(u"no revision %1"_s.arg(last + 90)),
             qPrintable(error->text()));
    QCOMPARE(list->topLevelItemCount(), 0);
    QVERIFY2(summary->text().isEmpty(), qPrintable(summary->text()));
    QVERIFY2(diffSummary->text().isEmpty(), qPrintable(diffSummary->text()));

    // Typed: checked at once, the old error replaced, Compare off until the point is one.
    from->selectAll();
    QTest::keyClicks(from, u"abc"_s);
    QVERIFY2(error->text().contains(u"\"abc\""_s) && !error->text().contains(QString::number(last + 90)),
             qPrintable(error->text()));
    QVERIFY2(error->text().startsWith(u"From"_s), qPrintable(error->text()));
    QVERIFY(!compare->isEnabled());
    from->selectAll();
    QTest::keyClicks(from, QString::number(point));
    QVERIFY2(error->text().isEmpty(), qPrintable(error->text()));
    QVERIFY(compare->isEnabled());
    QTest::keyClicks(to, u"0"_s);
    QVERIFY2(error->text().startsWith(u"To"_s) && error->text().contains(u"Revision 0 is before"_s),
             qPrintable(error->text()));
    QVERIFY(!compare->isEnabled());
    to->clear(); // empty: now
    QVERIFY2(error->text().isEmpty(), qPrintable(error->text()));
    QVERIFY(compare->isEnabled());
    from->clear();
    QVERIFY(!compare->isEnabled());
}

void tst_AsOfWindow::restorePutsBackAndReportsConcurrentChange()
{
    KvBucket *bucket = peerBucket(u"asofrestore"_s, 10);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"config"_s, "c1"));
    QVERIFY(put(bucket, u"gone"_s, "g1"));
    const quint64 point = put(bucket, u"raced"_s, "r1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"config"_s, "c2"));
    WAIT_OK(bucket->remove(u"gone"_s));
    QVERIFY(put(bucket, u"raced"_s, "r2"));
    QVERIFY(put(bucket, u"later"_s, "l1"));
    QVERIFY(openWindow(bucket->name(), 3));
    QVERIFY(showAsOf(point));
    // Someone changes raced after the point was listed: the restore must not overwrite it.
    const quint64 theirs = put(bucket, u"raced"_s, "theirs");
    QVERIFY(theirs);

    QItemSelectionModel *selection = m_bar->view()->selectionModel();
    for (const QString &key : {u"config"_s, u"gone"_s, u"raced"_s, u"later"_s})
        selection->select(rowOf(key), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    answer(u"asOfRestoreConfirm"_s, u"asOfRestoreYes"_s);
    answer(u"asOfRestoreReport"_s, {});
    m_bar->findChild<QPushButton *>(u"asOfRestore"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!m_bar->lastReport().isEmpty(), KvTest::ReplyTimeoutMs);
    const QString report = m_bar->lastReport();
    QVERIFY2(report.contains(u"config: restored"_s), qPrintable(report));
    QVERIFY2(report.contains(u"gone: created"_s), qPrintable(report));
    QVERIFY2(report.contains(u"later: deleted"_s), qPrintable(report));
    QVERIFY2(report.contains(u"raced: changed since"_s), qPrintable(report));
    QCOMPARE(KvTest::value(bucket, u"config"_s), "c1"_ba);
    QCOMPARE(KvTest::value(bucket, u"gone"_s), "g1"_ba);
    QCOMPARE(KvTest::value(bucket, u"raced"_s), "theirs"_ba);
    QCOMPARE(KvTest::getError(bucket, u"later"_s), NatsError::KeyNotFound);
    QTRY_VERIFY(!QApplication::activeModalWidget());
}

// Export while the list shows a point wrote today's values, keys absent then included (a tryout): what
// the window shows is what a user means to export. It writes the values then, and says it does.
void tst_AsOfWindow::exportWritesTheValuesOfThePointShown()
{
    KvBucket *bucket = peerBucket(u"asofexp"_s, 10);
    QVERIFY(bucket);
    QVERIFY(put(bucket, u"config"_s, "then"));
    QVERIFY(put(bucket, u"gone"_s, "g1"));
    const quint64 point = put(bucket, u"plain"_s, "p1");
    QVERIFY(point);
    QVERIFY(put(bucket, u"config"_s, "now"));
    WAIT_OK(bucket->remove(u"gone"_s));
    QVERIFY(put(bucket, u"later"_s, "l1"));
    QVERIFY(openWindow(bucket->name(), 3));
    QVERIFY(showAsOf(point));
    QTRY_VERIFY_WITH_TIMEOUT(m_bar->view()->read(), KvTest::ReplyTimeoutMs);

    QTemporaryDir dir;
    const QString path = dir.filePath(u"then.ndjson"_s);
    QString what;
    bool exported = false;
    UiTest::onNextDialog<TransferDialog>([&](TransferDialog *dialog) {
        what = dialog->findChild<QRadioButton *>(u"exportWholeBucket"_s)->text();
        dialog->setFileName(path);
        QSignalSpy finished(dialog, &TransferDialog::finished);
        dialog->start();
        exported = (finished.wait(KvTest::ReplyTimeoutMs) || dialog->isDone()) && dialog->isDone();
        static_cast<QDialog *>(dialog)->reject(); // Close
    });
    QAction *exportAction = nullptr;
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->shortcut() == QKeySequence(u"Ctrl+Shift+X"_s))
            exportAction = action;
    }
    QVERIFY(exportAction);
    exportAction->trigger();
    QVERIFY(exported);
    QVERIFY2(what.contains(u"as of rev %1"_s.arg(point)) && what.contains(u"then"_s), qPrintable(what));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QMap<QString, QByteArray> values;
    while (!file.atEnd()) {
        KvEntry entry;
        QString error;
        QVERIFY2(KvNdjson::decode(file.readLine(), &entry, &error), qPrintable(error));
        values.insert(entry.key, entry.value);
    }
    const QMap<QString, QByteArray> then{{u"config"_s, "then"_ba}, {u"gone"_s, "g1"_ba}, {u"plain"_s, "p1"_ba}};
    QCOMPARE(values, then);
}

QTEST_MAIN(tst_AsOfWindow)
#include "tst_asofwindow.moc"
