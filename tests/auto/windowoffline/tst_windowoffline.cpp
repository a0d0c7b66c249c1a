#include "bucketpanel.h"
#include "historymodel.h"
#include "historypanel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "session.h"
#include "uitestsupport.h"
#include "valuepanel.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QScopeGuard>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTabWidget>

using namespace Qt::StringLiterals;

// The window while the connection is down: where the data is (keys, value, each watch) it says the
// connection is interrupted, and every write waits, saying why; when the connection is back the notes go,
// writes work again and what is shown is current. The server is really killed and restarted (same port
// and store); the app's connection reconnects by itself.
class tst_WindowOffline final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-windowoffline"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void interruptionIsShownAndWritesWait();
    void changeMadeWhileAwayReachesTheEditor();
    void aServerThatStopsAnsweringIsSaidSo();
    void aServerThatStaysDownSaysWhatTheTriesMet();
    void aLongConnectionErrorWidensNothing();

private:
    MainWindow *openWindow(const QString &bucket, const QString &key);
    KvBucket *makeBucket(const QString &name);
    // The note in panel, when it shows one (hidden notes count as none).
    static QString noteIn(QWidget *panel);
    QAction *importAction() const;

    NatsServerProcess m_server;
    NatsConnection *m_peer = nullptr;
    KvContext *m_peerKv = nullptr;
    MainWindow *m_window = nullptr;
};

void tst_WindowOffline::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_peer, nullptr, &m_peerKv));
}

void tst_WindowOffline::init()
{
    QSettings().clear();
    if (!m_server.isRunning())
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->isConnected(), 15000);
}

void tst_WindowOffline::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

KvBucket *tst_WindowOffline::makeBucket(const QString &name)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = 5;
    return KvTest::createBucket(m_peerKv, config) ? m_peerKv->bucket(name, this) : nullptr;
}

MainWindow *tst_WindowOffline::openWindow(const QString &bucket, const QString &key)
{
    m_window = new MainWindow;
    m_window->resize(1200, 800);
    m_window->show();
    m_window->start({m_server.url(), bucket, false});
    KeyPanel *keys = m_window->keyPanel();
    if (!QTest::qWaitFor([&] { return keys->model()->rowOfKey(key) >= 0; }, 10000))
        return nullptr;
    keys->selectKey(key);
    ValuePanel *value = m_window->valuePanel();
    if (!QTest::qWaitFor([&] { return value->key() == key && value->openedRevision() > 0; }, 10000))
        return nullptr;
    return m_window;
}

QString tst_WindowOffline::noteIn(QWidget *panel)
{
    auto *note = panel ? panel->findChild<QWidget *>(u"interruptionBanner"_s) : nullptr;
    if (!note || !note->isVisibleTo(panel))
        return {};
    QStringList texts;
    for (const QLabel *label : note->findChildren<QLabel *>())
        texts.append(label->text());
    return texts.join(u' ');
}

QAction *tst_WindowOffline::importAction() const
{
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->text() == u"&Import…"_s)
            return action;
    }
    return nullptr;
}

void tst_WindowOffline::interruptionIsShownAndWritesWait()
{
    KvBucket *peer = makeBucket(u"away"_s);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"greeting"_s, "hi"));
    WAIT_OK(peer->put(u"greeting"_s, "hello"));
    MainWindow *window = openWindow(u"away"_s, u"greeting"_s);
    QVERIFY(window);
    // Revision 1 picked in the history: a revert could go.
    HistoryPanel *history = window->historyPanel();
    QTRY_VERIFY_WITH_TIMEOUT(history->model()->rowCount() == 2, 10000);
    history->selectRevision(1);
    QTRY_VERIFY(history->revertAction()->isEnabled());
    WatchView *watch = window->watchPanel()->addWatch(u"away"_s, {});
    QTRY_VERIFY_WITH_TIMEOUT(watch->statusText().startsWith(u"Watching"_s), 10000);
    ValuePanel *value = window->valuePanel();
    auto *editor = value->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->selectAll();
    QTest::keyClicks(editor, u"hello, world"_s);
    QVERIFY(value->saveAction()->isEnabled());
    QVERIFY(noteIn(window->keyPanel()).isEmpty());
    QVERIFY(noteIn(value).isEmpty());
    QVERIFY(noteIn(watch).isEmpty());

    QVERIFY(m_server.kill());
    // Where the data is: the keys, the value and the watch say so, at once (no waiting for a timeout).
    QTRY_VERIFY_WITH_TIMEOUT(noteIn(window->keyPanel()).contains(u"interrupted — reconnecting"_s), 5000);
    QVERIFY2(noteIn(value).contains(u"interrupted — reconnecting"_s), qPrintable(noteIn(value)));
    QVERIFY2(noteIn(watch).contains(u"interrupted — reconnecting"_s), qPrintable(noteIn(watch)));
    QVERIFY2(watch->statusText().startsWith(u"Interrupted"_s), qPrintable(watch->statusText()));
    QVERIFY(window->watchPanel()->tabs()->tabText(0).endsWith(u"(interrupted)"_s));
    // Every write waits, saying why; the edits stay and can go on.
    const QList<QAction *> writes{value->saveAction(), value->newKeyAction(), value->deleteAction(),
                                  value->purgeAction(), importAction()};
    for (QAction *action : writes) {
        QVERIFY(action);
        QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
        QVERIFY2(action->toolTip().contains(u"interrupted"_s), qPrintable(action->text() + action->toolTip()));
    }
    auto *saveButton = value->findChild<QPushButton *>(u"saveButton"_s);
    QVERIFY(!saveButton->isEnabled());
    QVERIFY(saveButton->toolTip().contains(u"interrupted"_s));
    QVERIFY(value->isModified());
    QVERIFY(!editor->isReadOnly());
    QVERIFY(!history->revertAction()->isEnabled());
    auto *revertButton = history->findChild<QPushButton *>(u"historyRevert"_s);
    QVERIFY(revertButton);
    QVERIFY2(revertButton->toolTip().contains(u"interrupted"_s), qPrintable(revertButton->toolTip()));

    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(noteIn(window->keyPanel()).isEmpty(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(noteIn(value).isEmpty(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(noteIn(watch).isEmpty(), 5000);
    QVERIFY(!window->watchPanel()->tabs()->tabText(0).endsWith(u"(interrupted)"_s));
    for (QAction *action : writes) {
        QVERIFY2(action->isEnabled(), qPrintable(action->text()));
        QVERIFY2(!action->toolTip().contains(u"interrupted"_s), qPrintable(action->toolTip()));
    }
    QTRY_VERIFY(history->revertAction()->isEnabled());
    QCOMPARE(editor->toPlainText(), u"hello, world"_s);
    value->saveAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(value->openedRevision(), 3u, 10000);
    QCOMPARE(KvTest::value(peer, u"greeting"_s), "hello, world"_ba);
    QVERIFY(value->findChild<QWidget *>(u"conflictBanner"_s)->isHidden()); // our own save, nobody else's
}

void tst_WindowOffline::changeMadeWhileAwayReachesTheEditor()
{
    KvBucket *peer = makeBucket(u"elsewhere"_s);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"doc"_s, "one"));
    WAIT_OK(peer->put(u"draft"_s, "a"));
    MainWindow *window = openWindow(u"elsewhere"_s, u"doc"_s);
    QVERIFY(window);

    QVERIFY(m_server.kill());
    QTRY_VERIFY_WITH_TIMEOUT(!noteIn(window->valuePanel()).isEmpty(), 5000);
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    // Someone else writes as soon as the server is back, maybe before the window has reconnected.
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->isConnected(), 15000);
    WAIT_OK(peer->put(u"doc"_s, "two"));
    QTRY_VERIFY_WITH_TIMEOUT(noteIn(window->valuePanel()).isEmpty(), 15000);
    // Nothing of the user's was at stake: the editor shows what the key holds now.
    auto *editor = window->valuePanel()->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    QTRY_COMPARE_WITH_TIMEOUT(editor->toPlainText(), u"two"_s, 10000);
    QCOMPARE(window->valuePanel()->openedRevision(), 3u);

    // With unsaved edits a change made while away is the usual conflict: named, never overwritten.
    window->keyPanel()->selectKey(u"draft"_s);
    QTRY_COMPARE_WITH_TIMEOUT(editor->toPlainText(), u"a"_s, 10000);
    editor->selectAll();
    QTest::keyClicks(editor, u"mine"_s);
    QVERIFY(m_server.kill());
    QTRY_VERIFY_WITH_TIMEOUT(!noteIn(window->valuePanel()).isEmpty(), 5000);
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(m_peer->isConnected(), 15000);
    WAIT_OK(peer->put(u"draft"_s, "theirs"));
    auto *conflict = window->valuePanel()->findChild<QWidget *>(u"conflictBanner"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!conflict->isHidden(), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(noteIn(window->valuePanel()).isEmpty(), 15000);
    QCOMPARE(editor->toPlainText(), u"mine"_s);
    QVERIFY(window->valuePanel()->isModified());
}

// A server that stops answering keeps its TCP connection open: the library only calls it stale after two
// unanswered pings (four minutes, as the official clients). Until then the status bar said "connected"
// with the last round trip, while every read and write timed out.
void tst_WindowOffline::aServerThatStopsAnsweringIsSaidSo()
{
    m_window = new MainWindow;
    m_window->show();
    m_window->start({m_server.url(), QString(), false});
    auto *status = m_window->findChild<QLabel *>(u"connectionState"_s);
    QVERIFY(status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"connected"_s) && status->text().endsWith(u" ms"_s), 15000);

    QVERIFY(m_server.freeze());
    const auto thawAnyway = qScopeGuard([this] { m_server.thaw(); }); // for the tests after a failure
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"not answering"_s), 15000);
    QVERIFY2(!status->text().startsWith(u"connected"_s), qPrintable(status->text()));
    QVERIFY2(status->text().contains(m_server.url().mid(m_server.url().indexOf(u"//"_s) + 2)),
             qPrintable(status->text()));
    // The count goes on while it stays silent.
    const QString first = status->text();
    QTRY_VERIFY_WITH_TIMEOUT(status->text() != first, 5000);
    QVERIFY2(status->text().contains(u"not answering"_s), qPrintable(status->text()));

    QVERIFY(m_server.thaw());
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"connected"_s), 10000);
    QVERIFY2(!status->text().contains(u"not answering"_s), qPrintable(status->text()));
}

// While the connection is being got back, the bar says what the tries meet: it said "reconnecting to X…
// (X closed the connection)" for as long as the server stayed down, the same after 35 s as after one
// (third tryout), and a server refusing every try looked like one still being waited for.
void tst_WindowOffline::aServerThatStaysDownSaysWhatTheTriesMet()
{
    m_window = new MainWindow;
    m_window->show();
    m_window->start({m_server.url(), QString(), false});
    auto *status = m_window->findChild<QLabel *>(u"connectionState"_s);
    QVERIFY(status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"connected"_s), 15000);
    QVERIFY(m_server.kill());
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"reconnecting"_s), 5000);
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains(u"tries failed"_s) || status->text().contains(u"try failed"_s),
                              qPrintable(status->text()), 15000);
    QVERIFY2(status->text().contains(u"refused"_s), qPrintable(status->text()));
    QVERIFY2(status->text().contains(u"closed the connection"_s), qPrintable(status->text())); // why it was lost
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().startsWith(u"connected"_s), 15000);
    QVERIFY2(!status->text().contains(u"failed"_s), qPrintable(status->text()));
}

// A long connection error (several servers refused, a TLS handshake in OpenSSL's words) is elided in the
// connection bar and the status bar, whole in their tooltips: shown whole, each label asked for its whole
// text as its width, and the window grew past the screen (1260 → 1583 px on a 1400 px screen) and stayed
// so. The status bar says it once, not as "Connection failed: …" beside "disconnected: …".
void tst_WindowOffline::aLongConnectionErrorWidensNothing()
{
    m_window = new MainWindow;
    m_window->resize(1000, 700);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    const int minimumBefore = m_window->minimumSizeHint().width();
    // Nothing listens on ports 1 to 4: each is refused at once.
    QStringList servers;
    for (int port = 1; port <= 4; ++port)
        servers.append(u"nats://127.0.0.1:%1"_s.arg(port));
    m_window->start({servers.join(u", "_s), QString(), false});
    auto *bar = m_window->findChild<QLabel *>(u"connectionStatus"_s);
    auto *status = m_window->findChild<QLabel *>(u"connectionState"_s);
    QVERIFY(bar && status);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"127.0.0.1:4 refused"_s), 15000);
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
    const QString sizes = u"window %1 px wide, minimum %2 px (%3 before): %4"_s.arg(m_window->width())
                              .arg(m_window->minimumSizeHint().width())
                              .arg(minimumBefore)
                              .arg(status->text());
    QVERIFY2(m_window->width() == 1000, qPrintable(sizes));
    QVERIFY2(m_window->minimumSizeHint().width() <= minimumBefore, qPrintable(sizes));
    QVERIFY2(bar->width() < bar->fontMetrics().horizontalAdvance(bar->text()), qPrintable(sizes));
    QVERIFY2(bar->text().contains(u"127.0.0.1:4 refused"_s), qPrintable(bar->text())); // whole, for the tooltip
    const QString message = m_window->statusBar()->currentMessage();
    QVERIFY2(!message.contains(u"refused"_s), qPrintable(message + u" | "_s + status->text()));
}

QTEST_MAIN(tst_WindowOffline)
#include "tst_windowoffline.moc"
