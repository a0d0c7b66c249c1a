// Produces the README's screenshots: starts a real nats-server, fills it with sample buckets, and
// drives MainWindow through its states, saving each as a PNG in the directory given as argument.

#include "bucketdialog.h"
#include "bucketpanel.h"
#include "conflictdialog.h"
#include "jetstreamcontext.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "session.h"
#include "valuepanel.h"

#include <QtCore/QDir>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QPlainTextEdit>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

QString g_outDir;

bool waitFor(const std::function<bool()> &condition, const char *what, int timeoutMs = 15000)
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
    const QString path = QDir(g_outDir).filePath(name + u".png"_s);
    widget->grab().save(path);
    printf("%s\n", qPrintable(path));
    fflush(stdout);
}

KvReply *waitReply(KvReply *reply)
{
    waitFor([reply] { return reply->isFinished(); }, "a reply");
    return reply;
}

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
        const QString order = u"{\"id\":%1,\"customer\":\"c-%2\",\"status\":\"%3\",\"total\":%4.90,\"items\":[\"book\",\"pen\"]}"_s
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

// Runs handler on the next modal dialog of type T once it is shown (dialogs run their own event loop).
template <typename T>
void onNextDialog(const std::function<void(T *)> &handler)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, handler] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            handler(dialog);
        }
    });
    timer->start();
}

bool openKey(MainWindow *window, const QString &key)
{
    if (!waitFor([&] { return window->keyPanel()->model()->rowOfKey(key) >= 0; }, "the key list"))
        return false;
    window->keyPanel()->selectKey(key);
    return waitFor([&] { return window->valuePanel()->key() == key && window->valuePanel()->openedRevision() > 0; }, "the value");
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
    g_outDir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : u"docs/screenshots"_s;
    QDir().mkpath(g_outDir);

    NatsServerProcess server;
    if (!server.start()) {
        fprintf(stderr, "kvdesk-screenshots: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    NatsConnection peer;
    peer.connectToServer(NatsConnectOptions::fromUrl(server.url()));
    if (!waitFor([&] { return peer.isConnected(); }, "the connection"))
        return 1;
    JetStreamContext js(&peer);
    KvContext kv(&js);
    fillSampleData(&kv);

    {
        MainWindow welcome;
        welcome.resize(1280, 760);
        welcome.show();
        welcome.start({});
        save(&welcome, u"welcome"_s);
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

    window.keyPanel()->setTreeMode(true);
    window.keyPanel()->selectKey(u"orders.17.status"_s);
    save(&window, u"key-tree"_s);
    window.keyPanel()->setTreeMode(false);

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
    onNextDialog<ConflictDialog>([&conflictShown](ConflictDialog *dialog) {
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
    onNextDialog<BucketDialog>([&bucketShown](BucketDialog *dialog) {
        save(dialog, u"bucket-dialog"_s);
        bucketShown = true;
        dialog->reject();
    });
    window.bucketPanel()->newAction()->trigger();
    if (!waitFor([&] { return bucketShown; }, "the bucket dialog"))
        return 1;
    return 0;
}
