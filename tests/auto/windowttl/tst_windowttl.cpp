#include "bucketpanel.h"
#include "errorlabel.h"
#include "historymodel.h"
#include "historypanel.h"
#include "jetstreamcontext.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "keyttlfield.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsmessage.h"
#include "natsserverprocess.h"
#include "newkeydialog.h"
#include "purgedialog.h"
#include "session.h"
#include "uitestsupport.h"
#include "valueeditsession.h"
#include "valuepanel.h"
#include "watchfeedmodel.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QTextCursor>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

// Per-key TTLs and limit markers in the window, on whichever nats-server it runs against: where the
// server has them (2.11+, read from INFO and $JS.API.INFO, never from the test's label) a key is created
// with a TTL and counts down, a purge marker takes a TTL, and the server's marker for an expired key shows
// as what it is in the history, the watch feed, the key list and the editor. Where it has not, the TTL
// fields are disabled and say why, and nothing is written with a TTL.
class tst_WindowTtl final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-windowttl"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void newKeyTakesATtlWhereTheServerCan();
    void bucketWithoutMarkerTtlSaysSo();
    void aTtlTheServerRaisesIsSaidAsTyped();
    void purgeMarkerTakesATtl();
    void aPurgeMarkerTtlTheServerRaisesIsSaidAsTyped();
    void expiredKeyShowsAsExpiredEverywhere();
    void expiryWhileEditingIsNamed();
    void aMarkerGoneTooAgreesWithTheHistory();
    void aMarkerGoneIsNotCountedWithTheDeletedKeys();
    void anotherBucketTakesTheCountdownAway();

private:
    MainWindow *openWindow(const QString &bucket);
    KvBucket *makeBucket(const QString &name, int history, qint64 markerTtlMs);
    bool selectKey(const QString &key);
    // The KeyTtlField once it knows whether TTLs can be used.
    static bool settled(KeyTtlField *field) { return !field->toolTip().startsWith(u"Asking"_s); }
    bool has211() const { return m_peer->serverInfo().versionAtLeast(2, 11, 0); }
    QString version() const { return m_peer->serverInfo().version; }

    NatsServerProcess m_server;
    NatsConnection *m_peer = nullptr;
    JetStreamContext *m_peerJs = nullptr;
    KvContext *m_peerKv = nullptr;
    MainWindow *m_window = nullptr;
};

void tst_WindowTtl::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_peer, &m_peerJs, &m_peerKv));
    JsApiReply *info = m_peerJs->accountInfo();
    WAIT_OK(info);
    QCOMPARE(info->accountInfo().apiLevel >= 1, has211()); // INFO and $JS.API.INFO agree
}

void tst_WindowTtl::init()
{
    QSettings().clear();
}

void tst_WindowTtl::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

MainWindow *tst_WindowTtl::openWindow(const QString &bucket)
{
    m_window = new MainWindow;
    m_window->resize(1200, 800);
    m_window->show();
    m_window->start({m_server.url(), bucket, false});
    return m_window;
}

KvBucket *tst_WindowTtl::makeBucket(const QString &name, int history, qint64 markerTtlMs)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = history;
    config.markerTtlMs = has211() ? markerTtlMs : 0; // older servers refuse it (tested in tst_kvttl)
    return KvTest::createBucket(m_peerKv, config) ? m_peerKv->bucket(name, this) : nullptr;
}

bool tst_WindowTtl::selectKey(const QString &key)
{
    if (!QTest::qWaitFor([&] { return m_window->keyPanel()->model()->rowOfKey(key) >= 0; }, 10000))
        return false;
    m_window->keyPanel()->selectKey(key);
    return QTest::qWaitFor(
        [&] { return m_window->valuePanel()->key() == key && m_window->valuePanel()->openedRevision() > 0; }, 10000);
}

void tst_WindowTtl::newKeyTakesATtlWhereTheServerCan()
{
    KvBucket *peer = makeBucket(u"newttl"_s, 1, 60000);
    QVERIFY(peer);
    MainWindow *window = openWindow(u"newttl"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->bucketPanel()->currentBucket(), u"newttl"_s, 10000);

    NewKeyDialog dialog(window->keyPanel()->bucket(), window);
    dialog.show();
    auto *ttl = dialog.findChild<KeyTtlField *>(u"newKeyTtl"_s);
    auto *error = dialog.findChild<QLabel *>(u"newKeyError"_s);
    QPushButton *create = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTRY_VERIFY_WITH_TIMEOUT(settled(ttl), 5000);
    QCOMPARE(ttl->isEnabled(), has211());
    dialog.findChild<QLineEdit *>(u"newKeyName"_s)->setText(u"session.1"_s);
    dialog.findChild<QPlainTextEdit *>(u"newKeyValue"_s)->setPlainText(u"{\"user\":1}"_s);
    if (has211()) {
        ttl->setText(u"500ms"_s); // the server's minimum is a second: refused as typed
        QVERIFY2(error->text().startsWith(u"TTL: "_s), qPrintable(error->text()));
        QVERIFY(!create->isEnabled());
        ttl->setText(u"1h"_s);
        QVERIFY2(error->text().isEmpty(), qPrintable(error->text()));
    } else {
        QVERIFY2(ttl->toolTip().startsWith(u"per-key TTL needs nats-server 2.11 or newer; "_s)
                     && ttl->toolTip().endsWith(u"runs %1"_s.arg(version())),
                 qPrintable(ttl->toolTip()));
    }
    QVERIFY(create->isEnabled());
    create->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);

    // Written with the TTL where the server has them, without one elsewhere.
    KvReply *get = peer->get(u"session.1"_s);
    WAIT_OK(get);
    const qint64 hour = 3600 * 1'000'000'000LL;
    QCOMPARE(get->entry().ttlNs, has211() ? hour : 0);
    QVERIFY(selectKey(u"session.1"_s));
    auto *countdown = window->valuePanel()->findChild<QLabel *>(u"ttlCountdown"_s);
    QVERIFY(countdown);
    if (!has211()) {
        QVERIFY(!countdown->isVisible());
        return;
    }
    // The value panel counts down, live; the key list's Expires column has the time.
    static const QRegularExpression pattern(uR"(^expires in 59 min \d+ s, at \d\d:\d\d:\d\d UTC$)"_s);
    QTRY_VERIFY(countdown->isVisible());
    QVERIFY2(pattern.match(countdown->text()).hasMatch(), qPrintable(countdown->text()));
    const QString first = countdown->text();
    QTRY_VERIFY_WITH_TIMEOUT(countdown->text() != first, 3000);
    QVERIFY(countdown->toolTip().contains(u"a put takes none"_s));
    KeyListModel *keys = window->keyPanel()->model();
    const QModelIndex expires = keys->index(keys->rowOfKey(u"session.1"_s), KeyListModel::ExpiresColumn);
    const QDateTime at = expires.data(KeyListModel::ExpiresRole).toDateTime();
    QVERIFY2(qAbs(at.msecsTo(get->entry().created.addSecs(3600))) <= 1, qPrintable(at.toString(Qt::ISODateWithMs)));
    QVERIFY(!expires.data().toString().isEmpty());

    // A save is a put, and a put takes no TTL: the new revision never expires, and no countdown says
    // it does (it went on counting from the save with the old TTL).
    auto *editor = window->valuePanel()->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(editor, u" "_s);
    const quint64 opened = window->valuePanel()->openedRevision();
    window->valuePanel()->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(window->valuePanel()->openedRevision() > opened, 10000);
    KvReply *saved = peer->get(u"session.1"_s);
    WAIT_OK(saved);
    QCOMPARE(saved->entry().ttlNs, 0);
    QCOMPARE(window->valuePanel()->session()->entry().ttlNs, 0);
    QVERIFY2(!countdown->isVisible(), qPrintable(countdown->text()));
}

// In a bucket keeping history, a TTL shorter than the marker TTL is raised by the server (ADR-43): the
// dialog says so as it is typed (a note, not an error: the key can still be created), and not otherwise.
void tst_WindowTtl::aTtlTheServerRaisesIsSaidAsTyped()
{
    if (!has211())
        QSKIP("per-key TTLs need nats-server 2.11+ (the field is greyed out before: newKeyTakesATtlWhereTheServerCan)");
    KvBucket *peer = makeBucket(u"floorttl"_s, 5, 60000);
    QVERIFY(peer);
    MainWindow *window = openWindow(u"floorttl"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->bucketPanel()->currentBucket(), u"floorttl"_s, 10000);
    NewKeyDialog dialog(window->keyPanel()->bucket(), window);
    dialog.show();
    auto *ttl = dialog.findChild<KeyTtlField *>(u"newKeyTtl"_s);
    auto *note = dialog.findChild<ErrorLabel *>(u"newKeyError"_s);
    QPushButton *create = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QTRY_VERIFY_WITH_TIMEOUT(settled(ttl) && ttl->isEnabled(), 5000);
    dialog.findChild<QLineEdit *>(u"newKeyName"_s)->setText(u"brief"_s);
    ttl->setText(u"30s"_s);
    QVERIFY2(note->text().contains(u"after 1 min 0 s, not 30 s"_s) && !note->isError(), qPrintable(note->text()));
    QVERIFY(create->isEnabled());
    ttl->setText(u"2m"_s);
    QVERIFY2(note->text().isEmpty(), qPrintable(note->text()));
    ttl->setText(u"30s"_s);
    create->click();
    QTRY_COMPARE_WITH_TIMEOUT(dialog.result(), int(QDialog::Accepted), 10000);
    KvReply *get = peer->get(u"brief"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().ttlNs, 60 * 1'000'000'000LL);
}

// The same for a purge marker's TTL: the Purge dialog said nothing, and the marker stayed a minute where
// 30 s were asked (third tryout, 2.15.1).
void tst_WindowTtl::aPurgeMarkerTtlTheServerRaisesIsSaidAsTyped()
{
    if (!has211())
        QSKIP("per-key TTLs need nats-server 2.11+ (the field is greyed out before: purgeMarkerTakesATtl)");
    KvBucket *peer = makeBucket(u"floorpurge"_s, 5, 60000);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"p"_s, "v"));
    MainWindow *window = openWindow(u"floorpurge"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->bucketPanel()->currentBucket(), u"floorpurge"_s, 10000);
    PurgeDialog dialog(window->keyPanel()->bucket(), u"p"_s, window);
    dialog.show();
    auto *ttl = dialog.findChild<KeyTtlField *>(u"purgeTtl"_s);
    auto *note = dialog.findChild<ErrorLabel *>(u"purgeNote"_s);
    QVERIFY(note);
    QPushButton *purge = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Yes);
    QTRY_VERIFY_WITH_TIMEOUT(settled(ttl) && ttl->isEnabled(), 5000);
    ttl->setText(u"30s"_s);
    QVERIFY2(note->text().contains(u"after 1 min 0 s, not 30 s"_s) && !note->isError(), qPrintable(note->text()));
    QVERIFY(purge->isEnabled());
    ttl->setText(u"2m"_s);
    QVERIFY2(note->text().isEmpty(), qPrintable(note->text()));
}

void tst_WindowTtl::bucketWithoutMarkerTtlSaysSo()
{
    // A server with TTLs, a bucket that does not allow them; on older servers the server is the reason.
    QVERIFY(makeBucket(u"nottl"_s, 1, 0));
    MainWindow *window = openWindow(u"nottl"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->bucketPanel()->currentBucket(), u"nottl"_s, 10000);
    NewKeyDialog dialog(window->keyPanel()->bucket(), window);
    auto *ttl = dialog.findChild<KeyTtlField *>(u"newKeyTtl"_s);
    QTRY_VERIFY_WITH_TIMEOUT(settled(ttl), 5000);
    QVERIFY(!ttl->isEnabled());
    const QString reason = has211() ? u"bucket \"nottl\" has no marker TTL"_s : u"needs nats-server 2.11 or newer"_s;
    QVERIFY2(ttl->toolTip().contains(reason), qPrintable(ttl->toolTip()));
    // Written in the greyed field too: a keyboard user never sees the tooltip (Tab skips the field).
    QVERIFY2(ttl->placeholderText().contains(reason), qPrintable(ttl->placeholderText()));
}

void tst_WindowTtl::purgeMarkerTakesATtl()
{
    // History 1: the marker keeps the TTL asked for (a longer history raises it to the marker TTL, §4.2).
    KvBucket *peer = makeBucket(u"purgettl"_s, 1, 60000);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"p"_s, "v1"));
    MainWindow *window = openWindow(u"purgettl"_s);
    QVERIFY(selectKey(u"p"_s));

    bool shown = false;
    bool enabled = false;
    QString tip;
    UiTest::onNextDialog<PurgeDialog>([&](PurgeDialog *dialog) {
        auto *ttl = dialog->findChild<KeyTtlField *>(u"purgeTtl"_s);
        shown = QTest::qWaitFor([ttl] { return settled(ttl); }, 5000);
        enabled = ttl->isEnabled();
        tip = ttl->toolTip();
        ttl->setText(u"2s"_s); // ignored where the field is off
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Yes)->click();
    });
    QSignalSpy changes(window->keyPanel()->model(), &KeyListModel::entryChanged);
    window->valuePanel()->purgeAction()->trigger();
    QVERIFY(shown);
    QCOMPARE(enabled, has211());
    if (!has211())
        QVERIFY2(tip.contains(u"per-key TTL needs nats-server 2.11 or newer"_s), qPrintable(tip));

    // The live list saw the purge marker, with the TTL where the server has them.
    QTRY_VERIFY_WITH_TIMEOUT(!changes.isEmpty(), 10000);
    const KvEntry marker = changes.last().first().value<KvEntry>();
    QCOMPARE(marker.operation, KvEntry::Operation::Purge);
    QVERIFY(!marker.isLimitMarker()); // the client's own purge
    QCOMPARE(marker.ttlNs, has211() ? 2'000'000'000LL : 0);
    if (!has211()) {
        KvReply *history = peer->history(u"p"_s);
        WAIT_OK(history);
        QCOMPARE(history->entries().size(), 1); // the marker stays until the bucket is compacted
        return;
    }
    // Then the server removes the marker itself: the key has no revision left at all.
    const auto revisionsLeft = [peer] {
        KvReply *history = peer->history(u"p"_s);
        const bool done = QTest::qWaitFor([history] { return history->isFinished(); }, 5000);
        history->deleteLater();
        return done ? int(history->entries().size()) : -1;
    };
    QTRY_COMPARE_WITH_TIMEOUT(revisionsLeft(), 0, 15000);
}

void tst_WindowTtl::expiredKeyShowsAsExpiredEverywhere()
{
    // History 1 keeps the key's 2 s TTL as asked (a longer history raises it to the marker TTL, §4.2); the
    // marker itself stays a minute. The checks hold whichever comes first, the marker or the key's opening.
    KvBucket *peer = makeBucket(u"expiring"_s, 1, 60000);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"stays"_s, "v"));
    MainWindow *window = openWindow(u"expiring"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->keyPanel()->model()->rowCount(), 1, 10000);
    WatchView *watch = window->watchPanel()->addWatch(u"expiring"_s, {});
    QVERIFY(watch);
    QTRY_COMPARE_WITH_TIMEOUT(watch->model()->rowCount(), 1, 10000);
    WAIT_OK(has211() ? peer->create(u"gone"_s, "v", 2'000'000'000) : peer->put(u"gone"_s, "v"));
    window->valuePanel()->openKey(u"gone"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window->valuePanel()->openedRevision() > 0, 10000);
    if (!has211()) {
        // No server before 2.11 writes markers; the headers it would write (nats-modern.md §4.3) are
        // stored as they are and must read the same.
        NatsMessage message("$KV.expiring.gone", {});
        message.headers().append("Nats-Marker-Reason", "MaxAge");
        message.headers().append("Nats-Rollup", "sub");
        WAIT_OK(m_peerJs->publish(message));
    }

    // The history and the feed name it; the live list drops the key; the editor says it expired.
    const QString label = u"EXPIRED (MaxAge)"_s;
    HistoryModel *history = window->historyPanel()->model();
    QTRY_COMPARE_WITH_TIMEOUT(history->index(0, HistoryModel::OperationColumn).data().toString(), label, 15000);
    QVERIFY(history->entryAt(0).isLimitMarker());
    QTreeView *revisions = window->historyPanel()->revisionView();
    revisions->selectionModel()->select(history->index(0, 0),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    auto *revisionMeta = window->historyPanel()->findChild<QLabel *>(u"historyValueMeta"_s);
    QTRY_VERIFY2(revisionMeta->text().contains(label + u" · "_s)
                     && revisionMeta->text().contains(u"the server removed the key here"_s),
                 qPrintable(revisionMeta->text()));
    const auto feedRow = [watch] {
        for (int row = 0; row < watch->model()->rowCount(); ++row) {
            if (watch->model()->entryAt(row).isLimitMarker())
                return row;
        }
        return -1;
    };
    QTRY_VERIFY_WITH_TIMEOUT(feedRow() >= 0, 5000);
    const QModelIndex operation = watch->model()->index(feedRow(), WatchFeedModel::OperationColumn);
    QCOMPARE(watch->model()->index(feedRow(), WatchFeedModel::KeyColumn).data().toString(), u"gone"_s);
    QCOMPARE(operation.data().toString(), label);
    QVERIFY(!operation.data(Qt::ToolTipRole).toString().isEmpty());
    QAbstractItemModel *listed = window->keyPanel()->findChild<QAbstractItemView *>(u"keyListView"_s)->model();
    QTRY_COMPARE_WITH_TIMEOUT(listed->rowCount(), 1, 5000);
    QCOMPARE(listed->index(0, 0).data().toString(), u"stays"_s);
    auto *meta = window->valuePanel()->findChild<QLabel *>(u"valueMeta"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(meta->text().startsWith(u"expired: "_s) && meta->text().contains(label),
                              qPrintable(meta->text()), 5000);
    QVERIFY(window->valuePanel()->currentValue().isEmpty());
    QVERIFY(!window->valuePanel()->findChild<QLabel *>(u"ttlCountdown"_s)->isVisible());
    QCOMPARE(KvTest::getError(peer, u"gone"_s), NatsError::KeyNotFound);

    // Written again by someone else: the editor, with nothing of the user's at stake, just shows it.
    WAIT_OK(peer->create(u"gone"_s, "back"));
    const auto state = [window, meta]() -> QString {
        return meta->text() + u" | modified "_s + QString::number(window->valuePanel()->isModified()) + u" | rev "_s
            + QString::number(window->valuePanel()->openedRevision()) + u" | "_s
            + window->valuePanel()->findChild<QLabel *>(u"conflictBannerText"_s)->text();
    };
    QTRY_VERIFY2_WITH_TIMEOUT(window->valuePanel()->currentValue() == "back"_ba, qPrintable(state()), 5000);
    QVERIFY(!window->valuePanel()->isModified());
    QVERIFY(!window->valuePanel()->findChild<QFrame *>(u"conflictBanner"_s)->isVisible());
}

// An expired key whose marker then went too, at the end of its own TTL: the header said "expired: rev 3 ·
// EXPIRED (MaxAge)" as if the server still kept that revision, while the history said "no revisions kept".
// Once the marker's TTL has run out the header says what the history says.
void tst_WindowTtl::aMarkerGoneTooAgreesWithTheHistory()
{
    if (!has211())
        QSKIP("expiry markers with a TTL of their own come from nats-server 2.11");
    KvBucket *peer = makeBucket(u"markergone"_s, 1, 1000);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"stays"_s, "v"));
    MainWindow *window = openWindow(u"markergone"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->keyPanel()->model()->rowCount(), 1, 10000);
    WAIT_OK(peer->create(u"gone"_s, "v", 1'000'000'000));
    window->valuePanel()->openKey(u"gone"_s);
    auto *meta = window->valuePanel()->findChild<QLabel *>(u"valueMeta"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(meta->text().startsWith(u"expired: "_s) && meta->text().contains(u"EXPIRED (MaxAge)"_s),
                              qPrintable(meta->text()), 15000);
    const KvEntry marker = window->valuePanel()->session()->entry();
    QVERIFY(marker.isLimitMarker());
    QVERIFY2(marker.expires().isValid(), "the marker carries its own TTL");
    QVERIFY2(!meta->text().contains(u"no revisions kept"_s), qPrintable(meta->text()));

    // The marker's TTL runs out: the server keeps nothing of the key, and both panels say so.
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::getError(peer, u"gone"_s), NatsError::KeyNotFound, 15000);
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() > marker.expires(), 15000);
    window->historyPanel()->setKey(u"gone"_s);
    auto *history = window->historyPanel()->findChild<QLabel *>(u"historyHeader"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(history->text().contains(u"no revisions kept"_s), qPrintable(history->text()), 15000);
    QTRY_VERIFY2_WITH_TIMEOUT(meta->text().contains(u"no revisions kept"_s), qPrintable(meta->text()), 5000);
    QVERIFY2(meta->text().contains(u"saving writes a new value"_s), qPrintable(meta->text()));
}

// Show Deleted Keys on: the expired key's marker is counted with the deleted keys, and once the server
// removed the marker (the bucket's marker TTL), the row went but the count kept the key: "2 of 3 keys shown
// (1 of the 3 deleted)" for a bucket of 2 keys (try-out 5). The count is of what the bucket holds.
void tst_WindowTtl::aMarkerGoneIsNotCountedWithTheDeletedKeys()
{
    if (!has211()) {
        // No marker TTL before 2.11: the server refuses the bucket, and nothing is created.
        KvBucketConfig config;
        config.bucket = u"markercount"_s;
        config.markerTtlMs = 1000;
        KvReply *create = m_peerKv->createBucket(config);
        QTRY_VERIFY_WITH_TIMEOUT(create->isFinished(), KvTest::ReplyTimeoutMs);
        QCOMPARE(create->error(), NatsError::FeatureNotSupported);
        QVERIFY2(create->errorString().contains(u"needs nats-server 2.11 or newer"_s),
                 qPrintable(create->errorString()));
        WAIT_ERROR(m_peerKv->bucketStatus(config.bucket), NatsError::BucketNotFound);
        return;
    }
    KvBucket *peer = makeBucket(u"markercount"_s, 1, 1000);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"e.b"_s, "long"));
    WAIT_OK(peer->put(u"e.c"_s, "plain"));
    MainWindow *window = openWindow(u"markercount"_s);
    KeyPanel *keys = window->keyPanel();
    keys->showDeletedAction()->setChecked(true);
    auto *status = keys->findChild<QLabel *>(u"keyStatus"_s);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), u"2 keys"_s, 10000);
    QAbstractItemModel *listed = keys->findChild<QAbstractItemView *>(u"keyListView"_s)->model();

    // The key expires (its marker comes and is shown deleted), then the marker goes too.
    QSignalSpy marked(keys->model(), &KeyListModel::entryChanged);
    WAIT_OK(peer->create(u"e.h"_s, "hh", 1'000'000'000));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::any_of(marked.cbegin(), marked.cend(),
                    [](const QList<QVariant> &args) { return args.constFirst().value<KvEntry>().isLimitMarker(); }),
        15000);
    // The server holds the two keys only (kvdesk-cli info: "Values Stored: 2").
    const auto stored = [this] {
        KvReply *info = m_peerKv->bucketStatus(u"markercount"_s);
        const bool ok = QTest::qWaitFor([info] { return info->isFinished(); }, KvTest::ReplyTimeoutMs)
            && info->error() == NatsError::NoError;
        info->deleteLater();
        return ok ? info->status().values : quint64(-1);
    };
    QTRY_COMPARE_WITH_TIMEOUT(stored(), quint64(2), 15000);
    QTRY_COMPARE_WITH_TIMEOUT(listed->rowCount(), 2, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(status->text(), u"2 keys"_s, 5000);
    QCOMPARE(keys->model()->liveCount(), 2);
}

void tst_WindowTtl::expiryWhileEditingIsNamed()
{
    // The user is typing when the key's marker arrives: the banner names the server, not "someone else", and
    // the edits stay. The marker is published as the server writes it, so the order is certain everywhere.
    KvBucket *peer = makeBucket(u"editing"_s, 1, 60000);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"k"_s, "v"));
    MainWindow *window = openWindow(u"editing"_s);
    QVERIFY(selectKey(u"k"_s));
    auto *editor = window->valuePanel()->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->setFocus();
    QTest::keyClicks(editor, u"mine"_s);
    QVERIFY(window->valuePanel()->isModified());
    NatsMessage message("$KV.editing.k", {});
    message.headers().append("Nats-Marker-Reason", "MaxAge");
    message.headers().append("Nats-Rollup", "sub");
    WAIT_OK(m_peerJs->publish(message));
    auto *banner = window->valuePanel()->findChild<QLabel *>(u"conflictBannerText"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(banner->isVisible() && banner->text().startsWith(u"The server removed this key"_s),
                              qPrintable(banner->text()), 10000);
    QVERIFY(banner->text().contains(u"EXPIRED (MaxAge)"_s));
    QVERIFY(editor->toPlainText().contains(u"mine"_s));
}

void tst_WindowTtl::anotherBucketTakesTheCountdownAway()
{
    // The countdown of the key last opened went on ticking under "Select a key to see its value" in the
    // next bucket, then said "expired at …: the server removes it" there.
    if (!has211())
        QSKIP("keys have TTLs of their own from nats-server 2.11");
    KvBucket *peer = makeBucket(u"countdown"_s, 1, 60000);
    QVERIFY(peer);
    QVERIFY(makeBucket(u"countdown_next"_s, 1, 0));
    WAIT_OK(peer->create(u"k"_s, "v", 60'000'000'000));
    openWindow(u"countdown"_s);
    QVERIFY(selectKey(u"k"_s));
    auto *countdown = m_window->valuePanel()->findChild<QLabel *>(u"ttlCountdown"_s);
    QVERIFY(countdown);
    QTRY_VERIFY(countdown->isVisible());
    m_window->bucketPanel()->selectBucket(u"countdown_next"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->keyPanel()->bucket()->name(), u"countdown_next"_s, 10000);
    QTRY_VERIFY(m_window->valuePanel()->key().isEmpty());
    QTRY_VERIFY2(!countdown->isVisible(), qPrintable(countdown->text()));
}

QTEST_MAIN(tst_WindowTtl)

#include "tst_windowttl.moc"
