// Produces the README's screenshots: starts a real nats-server, fills it with sample buckets, and
// drives MainWindow through its states, saving each as a PNG in the directory given as argument.

#include "kvdeskscreenshots.h"
#include "appearance.h"
#include "bucketdialog.h"
#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "conflictdialog.h"
#include "historymodel.h"
#include "historypanel.h"
#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "ratechart.h"
#include "session.h"
#include "uitestsupport.h"
#include "valuepanel.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QScreen>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLayout>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;
using namespace Shots;

namespace {

QString g_outDir;
QString g_suffix; // "-dark" for the pictures in a dark palette

// The app's own dark theme (View → Theme → Dark, ui/appearance): the colours that follow the palette
// (operations, markers, banners, JSON) are shown in their dark shades.
void useDarkPalette()
{
    Appearance::apply(Appearance::Theme::Dark);
}

} // namespace

namespace Shots {

bool waitFor(const std::function<bool()> &condition, const char *what, int timeoutMs)
{
    if (QTest::qWaitFor(condition, timeoutMs))
        return true;
    fprintf(stderr, "kvdesk-screenshots: timed out waiting for %s\n", what);
    return false;
}

void save(QWidget *widget, const QString &name)
{
    // Let pending paints and layouts settle, then grab what is on screen.
    QApplication::processEvents();
    const QString path = QDir(g_outDir).filePath(name + g_suffix + u".png"_s);
    widget->grab().save(path);
    printf("%s\n", qPrintable(path));
    fflush(stdout);
}

KvReply *waitReply(KvReply *reply)
{
    waitFor([reply] { return reply->isFinished(); }, "a reply");
    return reply;
}

bool dark()
{
    return !g_suffix.isEmpty();
}

bool openKey(MainWindow *window, const QString &key)
{
    // Live in the list (a key just deleted and written again may still show as deleted, hidden).
    const KeyListModel *keys = window->keyPanel()->model();
    const auto listed = [keys, &key] {
        const int row = keys->rowOfKey(key);
        return row >= 0 && !keys->index(row, 0).data(KeyListModel::DeletedRole).toBool();
    };
    if (!waitFor(listed, "the key list"))
        return false;
    window->keyPanel()->selectKey(key);
    if (!waitFor([&] { return window->valuePanel()->key() == key && window->valuePanel()->openedRevision() > 0; },
                 "the value"))
        return false;
    // The history dock below shows the key's revisions too.
    const HistoryPanel *history = window->historyPanel();
    return waitFor([history] { return !history->isVisible() || history->model()->isLoaded(); }, "the history");
}

} // namespace Shots

namespace {

void fillSampleData(KvContext *kv)
{
    KvBucketConfig orders;
    orders.bucket = u"shop_orders"_s;
    orders.description = u"Orders of the web shop"_s;
    orders.history = 10;
    orders.maxBytes = 64 * 1024 * 1024;
    waitReply(kv->createBucket(orders));
    KvBucketConfig sessions;
    sessions.bucket = u"sessions"_s;
    sessions.ttlMs = 3600 * 1000;
    waitReply(kv->createBucket(sessions));
    KvBucketConfig config;
    config.bucket = u"app_config"_s;
    config.history = 64;
    waitReply(kv->createBucket(config));

    KvBucket *shop = kv->bucket(u"shop_orders"_s);
    QList<KvReply *> puts;
    const QStringList statuses{u"paid"_s, u"shipped"_s, u"packed"_s, u"delivered"_s};
    for (int i = 1; i <= 240; ++i) {
        const QString order
            = u"{\"id\":%1,\"customer\":\"c-%2\",\"status\":\"%3\",\"total\":%4.90,\"items\":[\"book\",\"pen\"]}"_s
                  .arg(i)
                  .arg(1000 + i * 7 % 97)
                  .arg(statuses[i % statuses.size()])
                  .arg(i * 13 % 200);
        puts.append(shop->put(u"orders.%1.status"_s.arg(i), order.toUtf8()));
        if (i % 3 == 0)
            puts.append(shop->put(u"orders.%1.invoice"_s.arg(i), "PDF-" + QByteArray::number(i)));
    }
    puts.append(shop->put(u"customers.c-1007.profile"_s, R"({"name":"Ada","tier":"gold"})"));
    KvBucket *app = kv->bucket(u"app_config"_s);
    puts.append(app->put(u"feature.dark_mode"_s, "true"));
    puts.append(app->put(u"limits.max_cart"_s, "25"));
    KvBucket *sess = kv->bucket(u"sessions"_s);
    for (int i = 0; i < 12; ++i)
        puts.append(sess->put(u"user.%1"_s.arg(i), QByteArray(40, char('a' + i))));
    waitFor([&puts] { return std::all_of(puts.cbegin(), puts.cend(), [](KvReply *r) { return r->isFinished(); }); },
            "the sample data");
    waitReply(shop->remove(u"orders.3.invoice"_s));
}

// A key with a story: an order going through its states, rewritten once with its keys in another
// order, deleted by mistake and written again.
void writeOrderHistory(KvBucket *shop)
{
    const QList<QByteArray> revisions{
        R"({"id":42,"customer":"c-1042","status":"new","total":18.90,"items":["book"]})",
        R"({"id":42,"customer":"c-1042","status":"paid","total":18.90,"items":["book"],"paidAt":"2026-11-25T09:14:03Z"})",
        R"({"status":"paid","id":42,"items":["book","pen"],"customer":"c-1042","total":21.40,"paidAt":"2026-11-25T09:14:03Z"})",
        R"({"id":42,"customer":"c-1042","status":"shipped","total":21.40,"items":["book","pen"],"paidAt":"2026-11-25T09:14:03Z","carrier":"DHL"})",
    };
    for (const QByteArray &value : revisions)
        waitReply(shop->put(u"orders.42.status"_s, value));
    waitReply(shop->remove(u"orders.42.status"_s));
    waitReply(shop->put(u"orders.42.status"_s, revisions.last()));
}

// Steady traffic from another client for the watch panel: puts, some deletes and purges.
void startTraffic(KvBucket *shop, QObject *owner, int *written)
{
    auto *timer = new QTimer(owner);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, owner, [shop, written] {
        // A wave, so the rate chart has a shape: 2 to 9 writes per tick.
        const int burst = 2 + (*written / 60) % 8;
        for (int i = 0; i < burst; ++i, ++*written) {
            const int order = 300 + *written % 37;
            KvReply *reply = nullptr;
            if (*written % 23 == 0)
                reply = shop->remove(u"orders.%1.invoice"_s.arg(order));
            else if (*written % 97 == 0)
                reply = shop->purge(u"orders.%1.status"_s.arg(order - 1));
            else
                reply = shop->put(u"orders.%1.status"_s.arg(order),
                                  u"{\"id\":%1,\"status\":\"%2\",\"total\":%3.50,\"seq\":%4}"_s.arg(order)
                                      .arg(QStringList{u"paid"_s, u"packed"_s, u"shipped"_s}[*written % 3])
                                      .arg(*written % 90 + 10)
                                      .arg(*written)
                                      .toUtf8());
            QObject::connect(reply, &NatsReply::finished, reply, &QObject::deleteLater);
        }
    });
    timer->start();
}

bool historyAndWatchShots(MainWindow *window, KvContext *kv)
{
    KvBucket *shop = kv->bucket(u"shop_orders"_s);
    writeOrderHistory(shop);
    if (!openKey(window, u"orders.42.status"_s))
        return false;
    window->valuePanel()->setView(ValueFormat::View::Json);
    auto *historyDock = window->findChild<QDockWidget *>(u"historyDock"_s);
    historyDock->show();
    historyDock->raise();
    window->resizeDocks({historyDock}, {330}, Qt::Vertical);
    HistoryPanel *history = window->historyPanel();
    if (!waitFor([history] { return history->model()->rowCount() >= 6; }, "the history"))
        return false;
    // Two revisions selected: the change between them, JSON compared normalised.
    QTreeView *revisions = history->revisionView();
    revisions->selectionModel()->select(history->model()->index(2, 0),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    revisions->selectionModel()->select(history->model()->index(4, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    save(window, u"history-diff"_s);
    revisions->selectionModel()->select(history->model()->index(3, 0),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    save(window, u"history"_s);

    // Two live watches; the bucket-wide one in front while another client writes.
    WatchPanel *watches = window->watchPanel();
    KvWatchOptions options;
    options.updatesOnly = true;
    // A watch whose keys have not changed yet: what it waits for.
    WatchView *quiet = watches->addWatch(u"sessions"_s, {u"user.*"_s}, options);
    if (!waitFor([quiet] { return quiet->watcher() && quiet->watcher()->initialValuesDone(); }, "the quiet watch"))
        return false;
    save(window, u"watch-empty"_s);
    WatchView *feed = watches->addWatch(u"shop_orders"_s, {u"orders.>"_s}, options);
    if (!waitFor([feed] { return feed->watcher() && feed->watcher()->initialValuesDone(); }, "the watch"))
        return false;
    int written = 0;
    auto *traffic = new QObject;
    startTraffic(shop, traffic, &written);
    // Enough for the chart to show a few seconds, and taken while the traffic still runs.
    const bool ok = waitFor([&written] { return written >= 3000; }, "the traffic", 60000)
        && waitFor([feed] { return feed->rateChart()->current() > 0; }, "the rate chart");
    if (ok)
        save(window, u"watch-panel"_s);
    delete traffic;
    if (!ok)
        return false;
    return true;
}

// The New Bucket dialog on the server connected to: what it has is offered (filled in as an example);
// what it lacks is greyed out, the note under the fields saying why.
bool bucketDialogShot(MainWindow *window, const QString &name)
{
    bool shown = false;
    UiTest::onNextDialog<BucketDialog>([&shown, name](BucketDialog *dialog) {
        auto *markerTtl = dialog->findChild<QLineEdit *>(u"markerTtl"_s);
        if (!waitFor([markerTtl] { return !markerTtl->toolTip().startsWith(u"Asking"_s); }, "the server's level"))
            fprintf(stderr, "kvdesk-screenshots: the picture shows the dialog still asking\n");
        dialog->findChild<QLineEdit *>(u"bucketName"_s)->setText(u"sessions_v2"_s);
        dialog->findChild<QLineEdit *>(u"description"_s)->setText(u"Web sessions, 30 min each"_s);
        if (markerTtl->isEnabled()) {
            markerTtl->setText(u"15m"_s);
            dialog->findChild<QCheckBox *>(u"compressed"_s)->setChecked(true);
            dialog->findChild<QLineEdit *>(u"metadata"_s)->setText(u"team=web, tier=gold"_s);
        }
        // Named, the error line has gone, and with it its height; a note says why fields are greyed out.
        dialog->layout()->activate();
        dialog->resize(560, dialog->sizeHint().height());
        save(dialog, name);
        shown = true;
        dialog->reject();
    });
    window->bucketPanel()->newAction()->trigger();
    return waitFor([&] { return shown; }, "the bucket dialog");
}

// nats-server 2.11+: a key's own TTL counting down in the value panel (the key list's Expires column
// shown), and the server's limit marker in a key's history, before the key was created again.
bool ttlShots(MainWindow *window, KvContext *kv)
{
    if (!kv->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::MessageTtl)) {
        fprintf(stderr,
                "kvdesk-screenshots: the TTL pictures need nats-server 2.11 or newer (set KVDESK_NATS_SERVER)\n");
        return true; // the other pictures stand; --bucket-dialog takes this server's dialog
    }
    KvBucketConfig tokens;
    tokens.bucket = u"login_tokens"_s;
    tokens.description = u"One-time login links"_s;
    tokens.markerTtlMs = 60 * 60 * 1000;
    waitReply(kv->createBucket(tokens));
    KvBucket *bucket = kv->bucket(tokens.bucket);
    for (int i = 1; i <= 9; ++i)
        waitReply(bucket->create(u"link.u%1"_s.arg(1000 + i * 37),
                                 u"{\"user\":\"u%1\",\"redirect\":\"/orders\"}"_s.arg(1000 + i * 37).toUtf8(),
                                 qint64(i * 4) * 60 * 1000000000LL));
    // The bucket list's sizes, refreshed (else every 10 s), and the history dock in front.
    window->bucketPanel()->refreshAction()->trigger();
    const BucketListModel *buckets = window->bucketPanel()->model();
    if (!waitFor(
            [buckets, &tokens] {
                const int row = buckets->rowOf(tokens.bucket);
                return row >= 0 && buckets->statusAt(row).values >= 9;
            },
            "the bucket sizes"))
        return false;
    auto *historyDock = window->findChild<QDockWidget *>(u"historyDock"_s);
    historyDock->show();
    historyDock->raise();
    window->bucketPanel()->selectBucket(tokens.bucket);
    if (!waitFor([window] { return window->keyPanel()->model()->rowCount() >= 9; }, "the tokens"))
        return false;
    for (QTreeView *view : window->keyPanel()->findChildren<QTreeView *>())
        view->header()->showSection(KeyListModel::ExpiresColumn);
    for (QTableView *view : window->keyPanel()->findChildren<QTableView *>())
        view->horizontalHeader()->showSection(KeyListModel::ExpiresColumn);
    if (!openKey(window, u"link.u1074"_s))
        return false;
    save(window, u"ttl-countdown"_s);

    if (!bucketDialogShot(window, u"bucket-dialog-modern"_s))
        return false;

    // History 5 with a 5 s marker TTL: the 1 s asked for is raised to 5 s (the marker TTL is a floor),
    // the value goes, the server's marker arrives, and the key is created again over it.
    KvBucketConfig cache;
    cache.bucket = u"price_cache"_s;
    cache.history = 5;
    cache.markerTtlMs = 5000;
    waitReply(kv->createBucket(cache));
    KvBucket *prices = kv->bucket(cache.bucket);
    waitReply(prices->create(u"EURUSD"_s, "1.0812", 1000000000LL));
    window->bucketPanel()->selectBucket(cache.bucket);
    if (!openKey(window, u"EURUSD"_s))
        return false;
    HistoryPanel *history = window->historyPanel();
    if (!waitFor(
            [history] { return history->model()->rowCount() >= 1 && history->model()->entryAt(0).isLimitMarker(); },
            "the marker", 20000))
        return false;
    waitReply(prices->create(u"EURUSD"_s, "1.0817"));
    waitReply(prices->put(u"EURUSD"_s, "1.0819"));
    if (!waitFor([history] { return history->model()->rowCount() >= 3; }, "the history after the marker"))
        return false;
    QTreeView *revisions = history->revisionView();
    // The marker selected, with what it means; in the dark picture the newest, so the marker's own colours
    // show.
    const int row = g_suffix.isEmpty() ? history->model()->rowCount() - 1 : 0;
    revisions->selectionModel()->select(history->model()->index(row, 0),
                                        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    save(window, u"history-marker"_s);
    return true;
}

} // namespace

// A bucket deleted by another client while it is open: the key panel says so.
bool deletedBucketShot(MainWindow *window, KvContext *kv)
{
    KvBucketConfig config;
    config.bucket = u"old_cache"_s;
    waitReply(kv->createBucket(config));
    waitReply(kv->bucket(config.bucket)->put(u"page.home"_s, "<html>…</html>"));
    window->bucketPanel()->selectBucket(config.bucket);
    if (!waitFor([window] { return window->keyPanel()->model()->rowCount() == 1; }, "the doomed bucket"))
        return false;
    waitReply(kv->deleteBucket(config.bucket));
    auto *error = window->keyPanel()->findChild<QLabel *>(u"keyError"_s);
    if (!waitFor([error] { return error->text().contains(u"deleted by another client"_s); }, "the deletion"))
        return false;
    save(window, u"bucket-deleted"_s);
    return true;
}

namespace {

// A server with no bucket yet: the bucket list offers to create one.
bool noBucketsShot(const QString &url)
{
    MainWindow window;
    window.resize(1280, 760);
    window.show();
    window.start({url, QString(), false});
    const auto offered = [&window] {
        const auto *create = window.findChild<QPushButton *>(u"createBucketButton"_s);
        return create && create->isVisible();
    };
    if (!waitFor(offered, "the empty bucket list"))
        return false;
    save(&window, u"no-buckets"_s);
    return true;
}

// The tree with a text filter: each folder's count is of the keys that match, and matching folders open.
bool filteredTreeShot(MainWindow *window)
{
    auto *filter = window->findChild<QLineEdit *>(u"keyFilter"_s);
    filter->setText(u"invoice"_s);
    Q_EMIT filter->returnPressed();
    auto *status = window->findChild<QLabel *>(u"keyStatus"_s);
    if (!waitFor([status] { return status->text().contains(u" of "_s); }, "the filtered tree"))
        return false;
    save(window, u"key-tree-filtered"_s);
    filter->clear();
    Q_EMIT filter->returnPressed();
    return waitFor([status] { return !status->text().contains(u" of "_s); }, "the tree again");
}

// A bucket with no key yet says how to add one.
bool emptyBucketShot(MainWindow *window, KvContext *kv)
{
    KvBucketConfig config;
    config.bucket = u"new_bucket"_s;
    config.description = u"Nothing in it yet"_s;
    if (waitReply(kv->createBucket(config))->error() != NatsError::NoError)
        return false;
    window->bucketPanel()->refresh();
    if (!waitFor([window] { return window->bucketPanel()->model()->rowOf(u"new_bucket"_s) >= 0; }, "the new bucket"))
        return false;
    window->bucketPanel()->selectBucket(u"new_bucket"_s);
    auto *add = window->findChild<QPushButton *>(u"addKeyButton"_s);
    if (!waitFor([add] { return add && add->isVisible(); }, "the empty bucket"))
        return false;
    save(window, u"empty-bucket"_s);
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", home.filePath(u"config"_s).toUtf8());
    qputenv("XDG_DATA_HOME", home.filePath(u"data"_s).toUtf8());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"kvdesk-screenshots"_s);
    QApplication::setApplicationName(u"kvdesk"_s);
    QApplication::setApplicationVersion(QStringLiteral(KVDESK_VERSION));
    const QStringList args = QApplication::arguments().mid(1);
    const bool dark = args.contains(u"--dark"_s);
    // With --dark: every picture, not only those the README shows in both (to look at, issue 14).
    const bool every = args.contains(u"--every"_s);
    // Only the New Bucket dialog as this server offers it, named for its version: bucket-dialog-2.9.png.
    const bool dialogOnly = args.contains(u"--bucket-dialog"_s);
    g_outDir = args.isEmpty() || args.first().startsWith(u"--"_s) ? u"docs/screenshots"_s : args.first();
    if (dark) {
        // The pictures of what a palette changes most: the window, the bucket as it was and its differences,
        // the new bucket settings, TTLs, markers.
        useDarkPalette();
        g_suffix = u"-dark"_s;
    }
    QDir().mkpath(g_outDir);

    NatsServerProcess server;
    if (!server.start()) {
        fprintf(stderr, "kvdesk-screenshots: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    // Someone else's client, connected as the app connects (KvClient), writes the sample data.
    KvClient peer;
    peer.open(KvClientOptions::fromUrl(server.url()));
    if (!waitFor([&] { return peer.isConnected(); }, "the connection"))
        return 1;
    KvContext &kv = *peer.kv();
    if (!dialogOnly && (!dark || every) && !noBucketsShot(server.url()))
        return 1;
    fillSampleData(&kv);

    if (dialogOnly) {
        MainWindow window;
        window.resize(1280, 760);
        window.show();
        window.start({server.url(), QString(), false});
        if (!waitFor([&] { return window.bucketPanel()->newAction()->isEnabled(); }, "the connection"))
            return 1;
        const QStringList version = peer.connection()->serverInfo().version.split(u'.');
        return bucketDialogShot(&window, u"bucket-dialog-%1.%2"_s.arg(version.value(0), version.value(1))) ? 0 : 1;
    }
    if (!dark || every) {
        MainWindow welcome;
        welcome.resize(1280, 760);
        welcome.show();
        welcome.start({});
        save(&welcome, u"welcome"_s);

        // A server that is down: the window says when it tries again, and offers Retry Now.
        MainWindow down;
        down.resize(1280, 760);
        down.show();
        down.start({u"nats://127.0.0.1:%1"_s.arg(NatsServerProcess::freePort()), QString(), false});
        auto *status = down.findChild<QLabel *>(u"connectionStatus"_s);
        if (!waitFor([status] { return status->text().contains(u"next try in"_s); }, "the retry"))
            return 1;
        save(&down, u"server-down"_s);
    }

    MainWindow window;
    window.resize(1280, 760);
    window.show();
    window.start({server.url(), u"shop_orders"_s, false});
    if (!waitFor([&] { return window.bucketPanel()->currentBucket() == u"shop_orders"_s; }, "the bucket")
        || !openKey(&window, u"orders.17.status"_s))
        return 1;
    window.valuePanel()->setView(ValueFormat::View::Json);
    save(&window, u"main-window"_s);
    if (dark && !every) {
        window.resize(1280, 860);
        return asOfShots(&window, &kv) && ttlShots(&window, &kv) ? 0 : 1;
    }

    window.keyPanel()->setTreeMode(true);
    window.keyPanel()->selectKey(u"orders.17.status"_s);
    save(&window, u"key-tree"_s);
    if (!filteredTreeShot(&window))
        return 1;
    window.keyPanel()->setTreeMode(false);
    window.valuePanel()->setView(ValueFormat::View::Hex);
    save(&window, u"value-hex"_s);
    window.valuePanel()->setView(ValueFormat::View::Json);

    // A glob as Redis users type it: the widest NATS filter goes to the server, the rest is matched here.
    auto *filter = window.findChild<QLineEdit *>(u"keyFilter"_s);
    auto *status = window.findChild<QLabel *>(u"keyStatus"_s);
    filter->setText(u"orders.1*"_s);
    Q_EMIT filter->returnPressed();
    if (!waitFor([status] { return status->text().contains(u"then"_s) && !status->text().contains(u"oading"_s); },
                 "the glob's keys"))
        return 1;
    save(&window, u"key-glob"_s);
    filter->clear();
    Q_EMIT filter->returnPressed();
    if (!waitFor([&window] { return window.keyPanel()->model()->rowCount() >= 300; }, "the keys again"))
        return 1;

    // Someone else changes the key while it is being edited: the banner, then the refused save.
    auto *editor = window.findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->setPlainText(editor->toPlainText().replace(u"\"shipped\""_s, u"\"refunded\""_s));
    editor->document()->setModified(true);
    KvBucket *shop = kv.bucket(u"shop_orders"_s);
    waitReply(shop->put(u"orders.17.status"_s,
                        R"({"id":17,"customer":"c-1022","status":"cancelled","total":21.90,"items":["book","pen"]})"));
    waitFor([&] { return window.findChild<QWidget *>(u"conflictBanner"_s)->isVisible(); }, "the banner");
    save(&window, u"conflict-banner"_s);

    bool conflictShown = false;
    UiTest::onNextDialog<ConflictDialog>([&conflictShown](ConflictDialog *dialog) {
        dialog->resize(1000, 520);
        save(dialog, u"conflict-dialog"_s);
        conflictShown = true;
        dialog->reject();
    });
    window.valuePanel()->save();
    if (!waitFor([&] { return conflictShown && !QApplication::activeModalWidget(); }, "the conflict dialog"))
        return 1;

    window.valuePanel()->revert();
    bool bucketShown = false;
    UiTest::onNextDialog<BucketDialog>([&bucketShown](BucketDialog *dialog) {
        dialog->resize(560, dialog->sizeHint().height());
        save(dialog, u"bucket-dialog"_s);
        bucketShown = true;
        dialog->reject();
    });
    window.bucketPanel()->newAction()->trigger();
    if (!waitFor([&] { return bucketShown; }, "the bucket dialog"))
        return 1;
    window.resize(1280, 860);
    return historyAndWatchShots(&window, &kv) && asOfShots(&window, &kv) && mergeDialogShot(&window, &kv)
            && ttlShots(&window, &kv) && deletedBucketShot(&window, &kv) && emptyBucketShot(&window, &kv)
        ? 0
        : 1;
}
