#include "bucketdialog.h"
#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "jetstreamcontext.h"
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

#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QSpinBox>
#include <QtWidgets/QTreeView>

#include <algorithm>

using namespace Qt::StringLiterals;

// The window on whichever nats-server it is connected to: the status bar names the server and its
// JetStream API level, the bucket dialog offers the newer servers' settings only where the server has
// them (and says why not elsewhere), several key filters work everywhere. What each server can do is read
// from what it says (INFO's version, $JS.API.INFO's level), never from the test's label.
class tst_WindowServers final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-windowservers"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void statusBarNamesServerAndApiLevel();
    void bucketDialogOffersWhatTheServerHas();
    void editDialogShowsTheServersMetadataApart();
    void keyFilterTakesSeveral();
    void sourcesTheServerWillNotCopyAreSaid();
    void statusBarKeepsApiLevelAfterReconnect(); // last: it restarts the server

private:
    MainWindow *openWindow(const QString &bucket = {});
    bool has210() const { return m_peer->serverInfo().versionAtLeast(2, 10, 0); }
    bool has211() const { return m_peer->serverInfo().versionAtLeast(2, 11, 0); }
    QString version() const { return m_peer->serverInfo().version; }
    // The status bar's server part: the API level only where the server has one (2.11+).
    QString expectedServerStatus() const
    {
        return m_apiLevel > 0 ? u"nats-server %1 · JetStream API level %2"_s.arg(version()).arg(m_apiLevel)
                              : u"nats-server %1 · "_s.arg(version());
    }

    NatsServerProcess m_server;
    NatsConnection *m_peer = nullptr;
    JetStreamContext *m_peerJs = nullptr;
    KvContext *m_peerKv = nullptr;
    MainWindow *m_window = nullptr;
    int m_apiLevel = -1;
};

namespace {

template<typename T>
T *child(QObject *parent, const QString &name)
{
    return parent->findChild<T *>(name);
}

// What the bucket dialog offered when it opened.
struct Offer
{
    bool shown = false;
    bool markerTtl = false;
    bool compression = false;
    bool metadata = false;
    QString markerTtlTip;
    QString compressionTip;
    QString metadataTip;
    QString sourcesTip;
    QString note; // the box's visible note, empty when hidden
};

} // namespace

void tst_WindowServers::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_peer, &m_peerJs, &m_peerKv));
    JsApiReply *info = m_peerJs->accountInfo();
    WAIT_OK(info);
    m_apiLevel = info->accountInfo().apiLevel;
    // The two answers agree: API level 1 came with 2.11.
    QCOMPARE(m_apiLevel >= 1, has211());
}

void tst_WindowServers::init()
{
    QSettings().clear();
}

void tst_WindowServers::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

MainWindow *tst_WindowServers::openWindow(const QString &bucket)
{
    m_window = new MainWindow;
    m_window->resize(1200, 800);
    m_window->show();
    m_window->start({m_server.url(), bucket, false});
    return m_window;
}

void tst_WindowServers::statusBarNamesServerAndApiLevel()
{
    MainWindow *window = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->isConnected(), 10000);
    auto *status = child<QLabel>(window, u"connectionState"_s);
    QVERIFY(status);
    const QString expected = expectedServerStatus();
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains(expected), qPrintable(status->text()), 10000);
}

void tst_WindowServers::statusBarKeepsApiLevelAfterReconnect()
{
    // A restarted server is another server (a new id): its level is asked again, not left out.
    MainWindow *window = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->isConnected(), 10000);
    auto *status = child<QLabel>(window, u"connectionState"_s);
    const QString expected = expectedServerStatus();
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains(expected), qPrintable(status->text()), 10000);

    QSignalSpy reconnected(window->session()->connection(), &NatsConnection::reconnected);
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    QVERIFY(reconnected.wait(20000));
    QTRY_VERIFY2_WITH_TIMEOUT(status->text().contains(expected), qPrintable(status->text()), 10000);
}

void tst_WindowServers::bucketDialogOffersWhatTheServerHas()
{
    MainWindow *window = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->isConnected(), 10000);
    QTRY_VERIFY(window->bucketPanel()->newAction()->isEnabled());
    Offer offer;
    const QString name = u"features"_s;
    UiTest::onNextDialog<BucketDialog>([&offer, name](BucketDialog *dialog) {
        auto *markerTtl = child<QLineEdit>(dialog, u"markerTtl"_s);
        auto *compressed = child<QCheckBox>(dialog, u"compressed"_s);
        auto *metadata = child<QLineEdit>(dialog, u"metadata"_s);
        // Until the server's API level is known the marker TTL says it is asking.
        const bool settled = QTest::qWaitFor([markerTtl] { return !markerTtl->toolTip().startsWith(u"Asking"_s); },
                                             5000);
        offer = {settled,
                 markerTtl->isEnabled(),
                 compressed->isEnabled(),
                 metadata->isEnabled(),
                 markerTtl->toolTip(),
                 compressed->toolTip(),
                 metadata->toolTip(),
                 child<QLineEdit>(dialog, u"sources"_s)->toolTip(),
                 child<QLabel>(dialog, u"featuresNote"_s)->isVisibleTo(dialog)
                     ? child<QLabel>(dialog, u"featuresNote"_s)->text()
                     : QString()};
        child<QLineEdit>(dialog, u"bucketName"_s)->setText(name);
        // Whatever the server has is used; what it lacks cannot be set (the controls are off).
        markerTtl->setText(u"1s"_s);
        compressed->setChecked(true);
        metadata->setText(u"team=ops, tier=gold"_s);
        dialog->validationError().isEmpty() ? dialog->accept() : dialog->reject();
    });
    window->bucketPanel()->newAction()->trigger();
    QVERIFY(offer.shown);

    QCOMPARE(offer.markerTtl, has211());
    QCOMPARE(offer.compression, has210());
    QCOMPARE(offer.metadata, has210());
    const QString runs = u"runs %1"_s.arg(version());
    if (!has211()) {
        QVERIFY2(offer.markerTtlTip.startsWith(u"limit markers (marker TTL) needs nats-server 2.11 or newer; "_s)
                     && offer.markerTtlTip.endsWith(runs),
                 qPrintable(offer.markerTtlTip));
    }
    if (!has210()) {
        QVERIFY2(offer.compressionTip.startsWith(u"compression needs nats-server 2.10 or newer; "_s)
                     && offer.compressionTip.endsWith(runs),
                 qPrintable(offer.compressionTip));
        QVERIFY2(offer.metadataTip.startsWith(u"metadata needs nats-server 2.10 or newer"_s),
                 qPrintable(offer.metadataTip));
        // Sources still work there (as nats.go's), but the user learns what they lack.
        QVERIFY2(offer.sourcesTip.startsWith(u"sourcing buckets (subject transforms) needs nats-server 2.10"_s),
                 qPrintable(offer.sourcesTip));
    } else {
        QVERIFY(!offer.compressionTip.contains(u"needs"_s));
        QVERIFY(!offer.sourcesTip.contains(u"needs"_s));
    }
    // Why a control is greyed out is also written in the box, not only in a tooltip a keyboard user never
    // sees (Tab skips a disabled control).
    if (has211()) {
        QVERIFY2(offer.note.isEmpty(), qPrintable(offer.note));
    } else {
        QVERIFY2(offer.note.contains(runs) && offer.note.contains(u"Marker TTL needs nats-server 2.11 or newer"_s),
                 qPrintable(offer.note));
        QCOMPARE(offer.note.contains(u"compression and metadata need nats-server 2.10 or newer"_s), !has210());
    }

    // The bucket has what was offered, nothing else (an older server is sent nothing it would drop).
    QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->model()->rowOf(name) >= 0, 10000);
    KvReply *status = m_peerKv->bucketStatus(name);
    WAIT_OK(status);
    const KvBucketConfig config = status->status().config;
    QCOMPARE(config.markerTtlMs, has211() ? 1000 : 0);
    QCOMPARE(config.allowsKeyTtl(), has211());
    QCOMPARE(config.compressed, has210());
    const QMap<QString, QString> metadata{{u"team"_s, u"ops"_s}, {u"tier"_s, u"gold"_s}};
    QCOMPARE(config.metadata, (has210() ? metadata : QMap<QString, QString>()));

    // The bucket list's Marker TTL column says it.
    const BucketListModel *model = window->bucketPanel()->model();
    const QString shown = model->index(model->rowOf(name), BucketListModel::MarkerTtlColumn).data().toString();
    QCOMPARE(shown.isEmpty(), !has211());
}

void tst_WindowServers::editDialogShowsTheServersMetadataApart()
{
    // 2.11+ writes _nats.* keys into every stream's metadata: shown as the server's, read-only, and never
    // sent back as the user's.
    KvBucketConfig created;
    created.bucket = u"meta"_s;
    if (has210())
        created.metadata = {{u"owner"_s, u"qt"_s}};
    QVERIFY(KvTest::createBucket(m_peerKv, created));
    MainWindow *window = openWindow(created.bucket);
    QTRY_COMPARE_WITH_TIMEOUT(window->bucketPanel()->currentBucket(), created.bucket, 10000);
    QTRY_VERIFY(window->bucketPanel()->editAction()->isEnabled());

    bool shown = false;
    bool serverVisible = false;
    bool serverReadOnly = false;
    QString serverText;
    QString userText;
    UiTest::onNextDialog<BucketDialog>([&](BucketDialog *dialog) {
        shown = true;
        auto *server = child<QLineEdit>(dialog, u"serverMetadata"_s);
        serverVisible = server->isVisible();
        serverReadOnly = server->isReadOnly();
        serverText = server->text();
        userText = child<QLineEdit>(dialog, u"metadata"_s)->text();
        child<QLineEdit>(dialog, u"description"_s)->setText(u"edited"_s);
        dialog->validationError().isEmpty() ? dialog->accept() : dialog->reject();
    });
    window->bucketPanel()->editAction()->trigger();
    QVERIFY(shown);
    QCOMPARE(serverVisible, has211());
    QVERIFY(serverReadOnly);
    if (has211()) {
        // What the server stored (_nats.req.level; a stream list leaves out _nats.ver and _nats.level).
        const QStringList pairs = serverText.split(u", "_s);
        QVERIFY2(serverText.contains(u"_nats.req.level="_s), qPrintable(serverText));
        QVERIFY2(
            std::all_of(pairs.cbegin(), pairs.cend(), [](const QString &pair) { return pair.startsWith(u"_nats."_s); }),
            qPrintable(serverText));
    }
    QCOMPARE(userText, has210() ? u"owner=qt"_s : QString());

    // Saved: the description changed, the user's metadata kept, and no _nats.* key became the user's.
    const BucketListModel *model = window->bucketPanel()->model();
    QTRY_COMPARE_WITH_TIMEOUT(model->statusAt(model->rowOf(created.bucket)).config.description, u"edited"_s, 10000);
    KvReply *status = m_peerKv->bucketStatus(created.bucket);
    WAIT_OK(status);
    QCOMPARE(status->status().config.description, u"edited"_s);
    QCOMPARE(status->status().config.metadata, created.metadata);
}

// nats-server 2.10+ may never copy one source's existing entries into a bucket that keeps fewer revisions
// than they hold (nats-server issue 8387). The CLI warned; the window said only "Bucket created".
void tst_WindowServers::sourcesTheServerWillNotCopyAreSaid()
{
    if (!has210())
        QSKIP("sources keep their own keys' names before 2.10: nothing is copied under the bucket");
    for (const QString &name : {u"src_a"_s, u"src_b"_s}) {
        KvBucketConfig source;
        source.bucket = name;
        source.history = 5;
        QVERIFY(KvTest::createBucket(m_peerKv, source));
        KvBucket *peer = m_peerKv->bucket(name, this);
        WAIT_OK(peer->put(name + u".k"_s, "1"));
        WAIT_OK(peer->put(name + u".k"_s, "2"));
    }
    MainWindow *window = openWindow();
    QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->newAction()->isEnabled(), 10000);
    UiTest::onNextDialog<BucketDialog>([](BucketDialog *dialog) {
        child<QLineEdit>(dialog, u"bucketName"_s)->setText(u"collected"_s);
        child<QLineEdit>(dialog, u"sources"_s)->setText(u"src_a, src_b"_s);
        dialog->validationError().isEmpty() ? dialog->accept() : dialog->reject();
    });
    window->bucketPanel()->newAction()->trigger();

    QMessageBox *warning = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((warning = window->findChild<QMessageBox *>(u"bucketWarnings"_s)) != nullptr, 10000);
    QVERIFY2(warning->text().contains(u"collected"_s), qPrintable(warning->text()));
    QVERIFY2(warning->informativeText().contains(u"A history of at least"_s), qPrintable(warning->informativeText()));
    QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->model()->rowOf(u"collected"_s) >= 0, 10000); // made, as asked
    warning->accept();
}

void tst_WindowServers::keyFilterTakesSeveral()
{
    // Several filters in the box, separated by spaces: one consumer with filter_subjects on 2.10+, one per
    // filter on 2.9 (which would ignore filter_subjects and deliver everything). Only the matching keys.
    KvBucketConfig config;
    config.bucket = u"filters"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    KvBucket *peer = m_peerKv->bucket(config.bucket, this);
    for (const QString &key : {u"a.1"_s, u"a.2"_s, u"b.1"_s, u"b.2"_s, u"c.1"_s})
        WAIT_OK(peer->put(key, "v"));
    MainWindow *window = openWindow(config.bucket);
    KeyListModel *keys = window->keyPanel()->model();
    QTRY_COMPARE_WITH_TIMEOUT(keys->rowCount(), 5, 10000);

    auto *filter = child<QLineEdit>(window, u"keyFilter"_s);
    filter->setText(u"a.* b.1"_s);
    // What the list shows (filters on keys already loaded are applied there, not by listing them again).
    QAbstractItemModel *shown = window->keyPanel()->findChild<QAbstractItemView *>(u"keyListView"_s)->model();
    const auto shownKeys = [shown] {
        QStringList result;
        for (int row = 0; row < shown->rowCount(); ++row)
            result.append(shown->index(row, 0).data(KeyListModel::KeyRole).toString());
        result.sort();
        return result;
    };
    QTRY_COMPARE_WITH_TIMEOUT(shownKeys(), (QStringList{u"a.1"_s, u"a.2"_s, u"b.1"_s}), 10000);
    // Live, still filtered: c.2 is written before a.3 and never shows.
    WAIT_OK(peer->put(u"c.2"_s, "v"));
    WAIT_OK(peer->put(u"a.3"_s, "v"));
    QTRY_COMPARE_WITH_TIMEOUT(shownKeys(), (QStringList{u"a.1"_s, u"a.2"_s, u"a.3"_s, u"b.1"_s}), 10000);

    // A bad filter among them is named.
    filter->setText(u"a.* b..1"_s);
    auto *error = window->keyPanel()->findChild<QLabel *>(u"keyError"_s);
    QVERIFY(error);
    QTRY_VERIFY2(error->isVisible() && error->text().contains(u"b..1"_s), qPrintable(error->text()));
}

QTEST_MAIN(tst_WindowServers)

#include "tst_windowservers.moc"
