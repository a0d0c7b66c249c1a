#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "historymodel.h"
#include "historypanel.h"
#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsmessage.h"
#include "natsserverprocess.h"
#include "natsuserinforeply.h"
#include "permissiongate.h"
#include "permissiongatedelegate.h"
#include "session.h"
#include "uitestsupport.h"
#include "valuepanel.h"

#include <QtCore/QPointer>
#include <QtCore/QSettings>
#include <QtCore/QUrl>
#include <QtGui/QAction>
#include <QtGui/QActionGroup>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QDialog>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

// The window as a user the server restricts: on 2.10+ what they may not do is disabled with the missing
// permission as the tooltip, and a bucket they cannot read is marked in the list; on 2.9 (no
// $SYS.REQ.USER.INFO) nothing is disabled in advance and the server's errors decide.
class tst_WindowPermissions final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test"_s); }

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void readerSeesWhatTheyMayNotDo();
    void unreadableBucketIsNotShownAsEmpty();
    void userWhoMayNotWatch();
    void bucketWithoutDirectGetsReadThroughMessageGet();
    void userWhoMayNotAskSeesNoError();
    void userWhoMayNotWatchAdvisoriesSeesNoError();
    void userWhoMayNotListBucketsOpensTheirBucket();
    void userWhoMayNotListKeysOpensAKeyByName();
    void keyOpenedByNameIsSelectedAndADeletedOneOpens();

private:
    void openAsReader(const QString &bucket, const QString &user = u"reader"_s);
    // Whether the server answers $SYS.REQ.USER.INFO (2.10+), asked as user.
    bool serverTells(const QString &user);
    QAction *windowAction(const QString &text) const;

    NatsServerProcess m_server;
    NatsConnection *m_admin = nullptr;
    KvContext *m_adminKv = nullptr;
    MainWindow *m_window = nullptr;
};

void tst_WindowPermissions::initTestCase()
{
    NatsServerProcess::Options options;
    options.config = R"(accounts { APP: { jetstream: enabled, users: [
  { user: admin, password: pw }
  { user: reader, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"],
                 deny: ["$JS.API.STREAM.CREATE.>", "$JS.API.STREAM.DELETE.>", "$JS.API.DIRECT.GET.KV_secret.>",
                        "$JS.API.CONSUMER.CREATE.KV_secret", "$JS.API.CONSUMER.CREATE.KV_secret.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: nowatch, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"], deny: ["$JS.API.CONSUMER.CREATE.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: noask, password: pw, permissions: {
      publish: { allow: ["$JS.API.>"] }
      subscribe: { allow: ["_INBOX.>", "$JS.EVENT.ADVISORY.>"] } } }
  { user: nolist, password: pw, permissions: {
      publish: { allow: [">"], deny: ["$JS.API.STREAM.LIST", "$JS.API.STREAM.NAMES"] }
      subscribe: { allow: [">"] } } }
  { user: msgreader, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"], deny: ["$JS.API.DIRECT.GET.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
] } }
)";
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    NatsConnectOptions admin = NatsConnectOptions::fromUrl(m_server.url());
    admin.user = u"admin"_s;
    admin.password = u"pw"_s;
    KvContext *kv = nullptr;
    QVERIFY(KvTest::connectClient(admin, this, &m_admin, nullptr, &kv));
    m_adminKv = kv;
    for (const QString &name : {u"orders"_s, u"secret"_s, u"plain"_s}) {
        KvBucketConfig config;
        config.bucket = name;
        QVERIFY(KvTest::createBucket(kv, config));
        WAIT_OK(kv->bucket(name)->put(u"a"_s, "1"));
    }
    // plain is read through STREAM.MSG.GET: its stream has no allow_direct.
    JsApiReply *info = kv->jetStream()->streamInfo(u"KV_plain"_s);
    WAIT_OK(info);
    JsStreamConfig plain = info->streamInfo().config;
    plain.allowDirect = false;
    WAIT_OK(kv->jetStream()->updateStream(plain));
}

void tst_WindowPermissions::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

QAction *tst_WindowPermissions::windowAction(const QString &text) const
{
    const QList<QAction *> actions = m_window->findChildren<QAction *>();
    for (QAction *action : actions) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

bool tst_WindowPermissions::serverTells(const QString &user)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(m_server.url());
    options.user = user;
    options.password = u"pw"_s;
    NatsConnection *connection = nullptr;
    if (!KvTest::connectClient(options, this, &connection))
        return false;
    NatsUserInfoReply *info = NatsUserInfoReply::ask(connection);
    if (!QTest::qWaitFor([info] { return info->isFinished(); }, 5000))
        return false;
    return info->error() == NatsError::NoError;
}

void tst_WindowPermissions::openAsReader(const QString &bucket, const QString &user)
{
    QSettings().clear();
    QUrl url(m_server.url());
    url.setUserName(user);
    url.setPassword(u"pw"_s);
    m_window = new MainWindow;
    m_window->show();
    m_window->start({url.toString(), bucket, false});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->bucketPanel()->currentBucket(), bucket, 10000);
}

void tst_WindowPermissions::unreadableBucketIsNotShownAsEmpty()
{
    // Every server: the listing is refused at once (the server's error names the consumer subject); the
    // key list says so, and does not claim the bucket has no keys.
    openAsReader(u"secret"_s);
    QWidget *keyError = m_window->keyPanel()->findChild<QWidget *>(u"keyError"_s);
    QVERIFY(keyError);
    QTRY_VERIFY_WITH_TIMEOUT(keyError->isVisible(), 5000);
    auto *addKey = m_window->findChild<QWidget *>(u"addKeyButton"_s);
    QVERIFY(addKey);
    QVERIFY(!addKey->parentWidget()->isVisible());
}

void tst_WindowPermissions::readerSeesWhatTheyMayNotDo()
{
    openAsReader(u"orders"_s);
    PermissionGate *gate = m_window->permissionGate();
    QAction *newKey = m_window->valuePanel()->newKeyAction();
    QAction *newBucket = m_window->bucketPanel()->newAction();

    // Whether this server can tell: ask it as the reader, as the window does.
    NatsConnectOptions reader = NatsConnectOptions::fromUrl(m_server.url());
    reader.user = u"reader"_s;
    reader.password = u"pw"_s;
    NatsConnection *connection = nullptr;
    QVERIFY(KvTest::connectClient(reader, this, &connection));
    NatsUserInfoReply *info = NatsUserInfoReply::ask(connection);
    QTRY_VERIFY(info->isFinished());
    if (info->error() == NatsError::NoResponders) {
        QTRY_VERIFY(gate->permissions().isKnown() == false);
        QVERIFY(newBucket->isEnabled());
        QCOMPARE(gate->bucketRefusal(u"secret"_s), QString());
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): nothing is disabled in advance");
    }

    QTRY_VERIFY_WITH_TIMEOUT(gate->permissions().isKnown(), 5000);
    QTRY_VERIFY(!newKey->isEnabled());
    QCOMPARE(newKey->toolTip(), u"you may not publish to $KV.orders.>"_s);
    QVERIFY(!newBucket->isEnabled());
    QCOMPARE(newBucket->toolTip(), u"you may not publish to $JS.API.STREAM.CREATE.*"_s);
    QVERIFY(!m_window->bucketPanel()->deleteAction()->isEnabled());
    QCOMPARE(m_window->bucketPanel()->deleteAction()->toolTip(),
             u"you may not publish to $JS.API.STREAM.DELETE.KV_orders"_s);
    QAction *import = windowAction(u"&Import…"_s);
    QVERIFY(import);
    QVERIFY(!import->isEnabled());
    QCOMPARE(import->toolTip(), u"you may not publish to $KV.orders.>"_s);
    QAction *watch = windowAction(u"Watch This &Bucket"_s);
    QVERIFY(watch);
    QCOMPARE(gate->refusal(watch), QString()); // reading and watching are allowed

    // The key opened: saving, deleting and purging it are refused, naming its subject.
    m_window->valuePanel()->openKey(u"a"_s);
    QTRY_COMPARE(m_window->valuePanel()->key(), u"a"_s);
    QTRY_COMPARE(gate->refusal(m_window->valuePanel()->deleteAction()), u"you may not publish to $KV.orders.a"_s);
    QVERIFY(!m_window->valuePanel()->deleteAction()->isEnabled());
    QCOMPARE(m_window->valuePanel()->purgeAction()->toolTip(), u"you may not publish to $KV.orders.a"_s);
    QCOMPARE(gate->refusal(m_window->historyPanel()->revertAction()), u"you may not publish to $KV.orders.a"_s);

    // The bucket list marks the bucket the reader cannot read.
    auto *view = m_window->bucketPanel()->findChild<QTreeView *>(u"bucketView"_s);
    QVERIFY(view);
    auto *delegate = qobject_cast<PermissionGateDelegate *>(view->itemDelegateForColumn(BucketListModel::BucketColumn));
    QVERIFY(delegate);
    QTRY_COMPARE(view->model()->rowCount(), 3);
    for (int row = 0; row < 3; ++row) {
        const QModelIndex index = view->model()->index(row, BucketListModel::BucketColumn);
        const QString bucket = index.data(BucketListModel::BucketNameRole).toString();
        const QString refusal = delegate->refusalAt(index);
        // Locked for what its values need (its keys could not be listed either).
        if (bucket == "secret"_L1)
            QCOMPARE(refusal, u"you may not publish to $JS.API.DIRECT.GET.KV_secret.$KV.secret.>"_s);
        else
            QCOMPARE(refusal, QString());
    }
}

void tst_WindowPermissions::userWhoMayNotWatch()
{
    // A watch (and a look back in time) is an ordered consumer: without CONSUMER.CREATE it is refused
    // before the dialog opens, naming what is missing; reading values still is allowed.
    openAsReader(u"orders"_s, u"nowatch"_s);
    PermissionGate *gate = m_window->permissionGate();
    QAction *newWatch = windowAction(u"&New Watch…"_s);
    QVERIFY(newWatch);
    auto *start = m_window->findChild<QAbstractButton *>(u"watchStart"_s);
    QVERIFY(start);
    QAction *find = windowAction(u"Find in &Values…"_s);
    QVERIFY(find);
    QAction *asOf = windowAction(u"Bucket &As Of…"_s);
    QVERIFY(asOf);
    // Every server: the key panel says in words why there is no key list, not the server's raw refusal
    // of the consumer's subject (which named a random consumer name).
    auto *keyError = m_window->keyPanel()->findChild<QLabel *>(u"keyError"_s);
    QVERIFY(keyError);
    QTRY_VERIFY2_WITH_TIMEOUT(keyError->text().contains(u"you may not create consumers"_s),
                              qPrintable(keyError->text()), 10000);
    QVERIFY2(keyError->text().contains(u"cannot be listed or watched"_s), qPrintable(keyError->text()));
    QVERIFY2(!keyError->text().contains(u"Permissions Violation"_s), qPrintable(keyError->text()));
    // The bucket list does not lock the buckets: their values may be read and written; it says what
    // is limited instead (2.10+, which tells the permissions in advance).
    auto *view = m_window->bucketPanel()->findChild<QTreeView *>(u"bucketView"_s);
    QVERIFY(view);
    auto *delegate = qobject_cast<PermissionGateDelegate *>(view->itemDelegateForColumn(BucketListModel::BucketColumn));
    QVERIFY(delegate);
    QTRY_COMPARE(view->model()->rowCount(), 3);
    if (!serverTells(u"nowatch"_s)) {
        QTRY_VERIFY(!gate->permissions().isKnown());
        QVERIFY(newWatch->isEnabled());
        QVERIFY(start->isEnabled());
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): nothing is disabled in advance");
    }
    QTRY_VERIFY_WITH_TIMEOUT(gate->permissions().isKnown(), 5000);
    QTRY_VERIFY(!newWatch->isEnabled());
    QCOMPARE(newWatch->toolTip(), u"you may not publish to $JS.API.CONSUMER.CREATE.>"_s);
    QVERIFY(!start->isEnabled());
    QCOMPARE(start->toolTip(), u"you may not publish to $JS.API.CONSUMER.CREATE.>"_s);
    QVERIFY(!asOf->isEnabled());
    QCOMPARE(asOf->toolTip(), u"you may not publish to $JS.API.CONSUMER.CREATE.KV_orders.>"_s);
    QCOMPARE(gate->refusal(find), QString());
    QVERIFY(find->isEnabled());
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, BucketListModel::BucketColumn);
        const QString bucket = index.data(BucketListModel::BucketNameRole).toString();
        if (bucket == "orders"_L1) {
            QCOMPARE(gate->bucketRefusal(bucket), QString());
            QCOMPARE(delegate->refusalAt(index), QString());
            QCOMPARE(gate->bucketLimit(bucket), u"you may not publish to $JS.API.CONSUMER.CREATE.KV_orders.>"_s);
            QCOMPARE(delegate->shownText(index), u"orders (no key list or watch)"_s);
        }
    }
}

void tst_WindowPermissions::bucketWithoutDirectGetsReadThroughMessageGet()
{
    // msgreader may not use direct gets: plain (no allow_direct, read through STREAM.MSG.GET) is readable,
    // orders (direct gets) is not, and the list says which.
    openAsReader(u"plain"_s, u"msgreader"_s);
    PermissionGate *gate = m_window->permissionGate();
    QAction *find = windowAction(u"Find in &Values…"_s);
    QVERIFY(find);
    if (!serverTells(u"msgreader"_s)) {
        QTRY_VERIFY(!gate->permissions().isKnown());
        QCOMPARE(gate->bucketRefusal(u"orders"_s), QString());
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): nothing is disabled in advance");
    }
    QTRY_VERIFY_WITH_TIMEOUT(gate->permissions().isKnown(), 5000);
    QTRY_COMPARE(gate->bucketRefusal(u"orders"_s),
                 u"you may not publish to $JS.API.DIRECT.GET.KV_orders.$KV.orders.>"_s);
    QCOMPARE(gate->bucketRefusal(u"plain"_s), QString());
    QCOMPARE(gate->refusal(find), QString());
    // The value opens: the read really goes through STREAM.MSG.GET.
    m_window->valuePanel()->openKey(u"a"_s);
    QTRY_COMPARE(m_window->valuePanel()->key(), u"a"_s);
}

void tst_WindowPermissions::userWhoMayNotAskSeesNoError()
{
    // The server refuses $SYS.REQ.USER.INFO to this user (-ERR; before 2.10 it is not asked, there being
    // no answer to have): the permissions are unknown, nothing is disabled, and the refusal is no error of
    // the connection the window would show.
    openAsReader(u"orders"_s, u"noask"_s);
    NatsConnection *connection = m_window->session()->connection();
    QVERIFY(connection);
    // Asked after the window asked: when this answer is in, so is the window's.
    NatsUserInfoReply *again = NatsUserInfoReply::ask(connection);
    QTRY_VERIFY(again->isFinished());
    QCOMPARE(again->error(),
             connection->serverInfo().versionAtLeast(2, 10, 0) ? NatsError::PermissionsViolation
                                                               : NatsError::NoResponders);
    QVERIFY2(m_window->session()->lastError().isEmpty(), qPrintable(m_window->session()->lastError()));
    QVERIFY(!connection->lastError().isError());
    QVERIFY(!m_window->permissionGate()->permissions().isKnown());
    QVERIFY(m_window->valuePanel()->newKeyAction()->actionGroup()->isEnabled());
}

void tst_WindowPermissions::userWhoMayNotWatchAdvisoriesSeesNoError()
{
    // "reader" may subscribe to its inbox only: the bucket list's watch of $JS.EVENT.ADVISORY.STREAM.*.*
    // is refused. That is the watch's loss (the list is refreshed by hand), not an error of the
    // connection, which the window would show as the reason of a later disconnect.
    openAsReader(u"orders"_s);
    NatsConnection *connection = m_window->session()->connection();
    QVERIFY(connection);
    // Sent after the window's subscription: when this answer is in, the server has refused that.
    NatsUserInfoReply *after = NatsUserInfoReply::ask(connection);
    QTRY_VERIFY(after->isFinished());
    QVERIFY2(m_window->session()->lastError().isEmpty(), qPrintable(m_window->session()->lastError()));
    QVERIFY2(!connection->lastError().isError(), qPrintable(connection->lastError().message()));
    QVERIFY(connection->isConnected());
}

// A user who may not list the buckets (STREAM.LIST and STREAM.NAMES denied) may still read and write one
// they know by name, as the CLI does. The panel said "No buckets on this server yet." with Create a Bucket…
// (the server holds three), and --bucket orders was never opened: it waited for a listing that had failed.
void tst_WindowPermissions::userWhoMayNotListBucketsOpensTheirBucket()
{
    QSettings().clear();
    QUrl url(m_server.url());
    url.setUserName(u"nolist"_s);
    url.setPassword(u"pw"_s);
    const auto shownTexts = [this] {
        QStringList texts;
        for (const QLabel *label : m_window->bucketPanel()->findChildren<QLabel *>()) {
            if (label->isVisible())
                texts.append(label->text());
        }
        return texts.join(u" | "_s);
    };
    // No bucket named: the list says it could not be listed (the error below says why), not that the
    // server has none, and offers no bucket to create.
    m_window = new MainWindow;
    m_window->show();
    m_window->start({url.toString(), QString(), false});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->statusBar()->currentMessage().startsWith(u"Could not list buckets"_s), 10000);
    QVERIFY2(m_window->statusBar()->currentMessage().contains(u"STREAM."_s),
             qPrintable(m_window->statusBar()->currentMessage()));
    QVERIFY2(!shownTexts().contains(u"No buckets"_s), qPrintable(shownTexts()));
    auto *create = m_window->findChild<QWidget *>(u"createBucketButton"_s);
    QVERIFY(create);
    QVERIFY(!create->isVisible());
    QVERIFY2(shownTexts().contains(u"could not be listed"_s), qPrintable(shownTexts()));
    delete m_window;

    // The bucket named opens all the same: its keys are listed.
    m_window = new MainWindow;
    m_window->show();
    m_window->start({url.toString(), u"orders"_s, false});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->bucketPanel()->currentBucket(), u"orders"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->keyPanel()->model()->rowOfKey(u"a"_s) >= 0, 10000);
    QVERIFY2(!shownTexts().contains(u"No buckets"_s), qPrintable(shownTexts()));
}

// A user who may not create consumers reads the values of keys they name, as with kvdesk-cli get: the key
// list cannot be had, so the window offers to open a key by its name. Before, nothing in the window led to
// a value: the list stayed empty under its error.
void tst_WindowPermissions::userWhoMayNotListKeysOpensAKeyByName()
{
    openAsReader(u"orders"_s, u"nowatch"_s);
    auto *offer = m_window->findChild<QAbstractButton *>(u"openKeyByNameButton"_s);
    QVERIFY(offer);
    QTRY_VERIFY_WITH_TIMEOUT(offer->isVisible(), 10000);
    QVERIFY(offer->isEnabled());
    offer->click();
    QPointer<QDialog> dialog = m_window->findChild<QDialog *>(u"openKeyDialog"_s);
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *name = dialog->findChild<QLineEdit *>(u"openKeyName"_s);
    auto *error = dialog->findChild<QLabel *>(u"openKeyError"_s);
    auto *buttons = dialog->findChild<QDialogButtonBox *>();
    QVERIFY(name && error && buttons);
    QPushButton *open = buttons->button(QDialogButtonBox::Open);
    QVERIFY(!open->isEnabled());

    // An invalid key is refused as typed, naming the problem.
    QTest::keyClicks(name, u"a b"_s);
    QVERIFY(!open->isEnabled());
    QVERIFY2(error->text().contains(u"space"_s), qPrintable(error->text()));
    // A key never written keeps the dialog, saying so.
    name->clear();
    QTest::keyClicks(name, u"never"_s);
    QVERIFY(open->isEnabled());
    open->click();
    QTRY_VERIFY2_WITH_TIMEOUT(error->text().contains(u"not found"_s), qPrintable(error->text()), 10000);
    QVERIFY(dialog->isVisible());
    QVERIFY(m_window->valuePanel()->key().isEmpty());
    // A key that is there opens, value and all.
    name->clear();
    QTest::keyClicks(name, u"a"_s);
    open->click();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->key(), u"a"_s, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->currentValue(), "1"_ba, 10000);
    // Its history needs a consumer to be followed live: refused, it is read one revision at a time
    // instead (before, the dock said "could not be read"), and the panel says it is not followed.
    auto *historyHeader = m_window->historyPanel()->findChild<QLabel *>(u"historyHeader"_s);
    QVERIFY(historyHeader);
    auto *historyStatus = m_window->historyPanel()->findChild<QLabel *>(u"historyStatus"_s);
    QVERIFY(historyStatus);
    auto *historyView = m_window->historyPanel()->findChild<QTreeView *>(u"historyView"_s);
    QVERIFY(historyView);
    QTRY_VERIFY2_WITH_TIMEOUT(historyStatus->text().contains(u"not followed live"_s), qPrintable(historyStatus->text()),
                              10000);
    QVERIFY2(historyStatus->text().contains(u"you may not create consumers"_s), qPrintable(historyStatus->text()));
    QCOMPARE(historyView->model()->rowCount(), 1);
    QCOMPARE(historyView->model()->index(0, HistoryModel::RevisionColumn).data(HistoryModel::ValueRole).toByteArray(),
             "1"_ba);
    QTRY_VERIFY2_WITH_TIMEOUT(!historyHeader->text().contains(u"loading"_s), qPrintable(historyHeader->text()), 10000);
    QVERIFY2(historyHeader->text().contains(u"1 revision"_s), qPrintable(historyHeader->text()));
    // Not followed, it is read again when the key is opened again (here after someone else's write).
    WAIT_OK(m_adminKv->bucket(u"orders"_s)->put(u"a"_s, "2"));
    m_window->findChild<QAbstractButton *>(u"openKeyByNameButton"_s)->click();
    dialog = m_window->findChild<QDialog *>(u"openKeyDialog"_s);
    QVERIFY(dialog);
    name = dialog->findChild<QLineEdit *>(u"openKeyName"_s);
    QTest::keyClicks(name, u"a"_s);
    QTest::keyClick(name, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->currentValue(), "2"_ba, 10000);
    // (orders keeps one revision per key: the row is the new one.)
    QTRY_COMPARE_WITH_TIMEOUT(
        historyView->model()->index(0, HistoryModel::RevisionColumn).data(HistoryModel::ValueRole).toByteArray(),
        "2"_ba, 10000);
    QCOMPARE(historyView->model()->rowCount(), 1);
}

// Anyone may open a key by name: a listed key is then selected in the list, as if clicked; a deleted key
// opens on its delete marker (its history is what there is to see), where a key never written does not.
void tst_WindowPermissions::keyOpenedByNameIsSelectedAndADeletedOneOpens()
{
    openAsReader(u"plain"_s, u"admin"_s);
    WAIT_OK(m_adminKv->bucket(u"plain"_s)->put(u"gone"_s, "x"));
    WAIT_OK(m_adminKv->bucket(u"plain"_s)->remove(u"gone"_s));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->keyPanel()->model()->rowOfKey(u"a"_s) >= 0, 10000);
    QAction *openKey = windowAction(u"&Open Key by Name…"_s);
    QVERIFY(openKey);
    QCOMPARE(openKey->shortcut(), QKeySequence(u"Ctrl+G"_s));
    QVERIFY(openKey->isEnabled());
    const auto openByName = [this, openKey](const QString &key) {
        openKey->trigger();
        auto *dialog = m_window->findChild<QDialog *>(u"openKeyDialog"_s);
        QVERIFY(dialog);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"openKeyName"_s), key);
        QTest::keyClick(dialog->findChild<QLineEdit *>(u"openKeyName"_s), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<QDialog *>(u"openKeyDialog"_s), 10000);
    };
    openByName(u"a"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->currentValue(), "1"_ba, 10000);
    QCOMPARE(m_window->keyPanel()->selectedKeys(), QStringList{u"a"_s});
    openByName(u"gone"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->key(), u"gone"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->valuePanel()->openedRevision() > 0, 10000);
    // Another client's key with characters nats.go does not write (on the raw subject): it opens by name
    // too, where the dialog refused it ("allowed are ASCII letters, digits and - / _ = .").
    WAIT_OK(m_adminKv->jetStream()->publish(NatsMessage("$KV.plain.caf\xC3\xA9", "utf-8")));
    openKey->trigger();
    auto *dialog = m_window->findChild<QDialog *>(u"openKeyDialog"_s);
    QVERIFY(dialog);
    auto *name = dialog->findChild<QLineEdit *>(u"openKeyName"_s);
    name->setText(u"caf\u00e9"_s); // typed with a compose key: QTest types ASCII only
    QVERIFY2(dialog->findChild<QLabel *>(u"openKeyError"_s)->text().isEmpty(),
             qPrintable(dialog->findChild<QLabel *>(u"openKeyError"_s)->text()));
    QTest::keyClick(name, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->findChild<QDialog *>(u"openKeyDialog"_s), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->currentValue(), "utf-8"_ba, 10000);
}

QTEST_MAIN(tst_WindowPermissions)

#include "tst_windowpermissions.moc"
