#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "mainwindow.h"
#include "natsserverprocess.h"
#include "session.h"
#include "uitestsupport.h"
#include "watchfeedmodel.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QMap>
#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// After the server was SIGKILLed and restarted under another client's writes, the window shows what the
// server holds: the key list names every key with its newest revision and whether it is deleted, and a
// watch of the whole history holds every revision once (compared entry by entry).
class tst_WindowFaults final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test"_s); }

private Q_SLOTS:
    void windowEqualsServerAfterRestarts();

private:
    // The server's view: the newest entry of each key (markers included) and every revision.
    bool readServer(KvBucket *bucket, QMap<QString, KvEntry> *latest, QList<quint64> *revisions);
};

bool tst_WindowFaults::readServer(KvBucket *bucket, QMap<QString, KvEntry> *latest, QList<quint64> *revisions)
{
    KvWatchOptions options;
    options.includeHistory = true;
    KvWatcher *reader = bucket->watchAll(options);
    connect(reader, &KvWatcher::entryReceived, this, [&](const KvEntry &entry) {
        latest->insert(entry.key, entry);
        revisions->append(entry.revision);
    });
    QSignalSpy done(reader, &KvWatcher::initialValuesReceived);
    const bool read = done.wait(20000);
    delete reader;
    return read;
}

void tst_WindowFaults::windowEqualsServerAfterRestarts()
{
    QSettings().clear();
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    KvClientOptions peerOptions = KvClientOptions::fromUrl(server.url());
    peerOptions.connection.reconnectWaitMs = 100;
    peerOptions.connection.maxReconnectAttempts = -1;
    KvContext *peer = nullptr;
    QVERIFY(KvTest::connectClient(peerOptions, this, nullptr, nullptr, &peer));
    KvBucketConfig config;
    config.bucket = u"shown"_s;
    config.history = 64;
    QVERIFY(KvTest::createBucket(peer, config));
    KvBucket *bucket = peer->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"k0"_s, "before"));

    MainWindow window;
    window.show();
    window.start({server.url(), config.bucket, false});
    QTRY_VERIFY_WITH_TIMEOUT(window.session() && window.session()->isConnected(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(window.keyPanel()->model()->rowOfKey(u"k0"_s) >= 0, 10000);
    KvWatchOptions watchOptions;
    watchOptions.includeHistory = true;
    WatchView *view = window.watchPanel()->addWatch(config.bucket, {}, watchOptions);
    QVERIFY(view);

    // Another client writes 40 keys, deletes every fifth, while the server is killed twice.
    int done = 0;
    int failed = 0;
    QStringList problems;
    for (int i = 0; i < 400; ++i) {
        const QString key = u"k%1"_s.arg(i % 40);
        KvReply *write = i % 5 == 4 ? bucket->remove(key) : bucket->put(key, QByteArray::number(i));
        connect(write, &NatsReply::finished, this, [&, write] {
            write->deleteLater();
            ++done;
            if (write->error() != NatsError::NoError) {
                ++failed;
                problems << write->errorString();
            }
        });
        if (i == 100 || i == 250) {
            QTRY_VERIFY_WITH_TIMEOUT(done == i + 1, 30000); // the writes so far are in
            QVERIFY(server.kill());
            QTRY_COMPARE(window.session()->isConnected(), false);
            QVERIFY2(server.restart(), qPrintable(server.errorString()));
        }
    }
    QTRY_VERIFY_WITH_TIMEOUT(done == 400, 60000);
    QVERIFY2(failed == 0, qPrintable(problems.join(u'\n')));

    QMap<QString, KvEntry> latest;
    QList<quint64> revisions;
    QVERIFY(readServer(bucket, &latest, &revisions));
    QCOMPARE(latest.size(), 40);

    // The key list: every key, its newest revision, deleted or not.
    KeyListModel *keys = window.keyPanel()->model();
    const auto listMatches = [&] {
        for (auto it = latest.cbegin(); it != latest.cend(); ++it) {
            const int row = keys->rowOfKey(it.key());
            if (row < 0)
                return false;
            const QModelIndex index = keys->index(row, 0);
            if (index.data(KeyListModel::RevisionRole).toULongLong() != it.value().revision
                || index.data(KeyListModel::DeletedRole).toBool() != it.value().isDeleted())
                return false;
        }
        return keys->rowCount() == latest.size();
    };
    QTRY_VERIFY_WITH_TIMEOUT(listMatches(), 30000);

    // The watch: every revision once, in order, whatever gap rows the outages added.
    WatchFeedModel *feed = view->model();
    const auto feedRevisions = [feed] {
        QList<quint64> seen;
        for (int row = 0; row < feed->rowCount(); ++row) {
            const QModelIndex index = feed->index(row, 0);
            if (index.data(WatchFeedModel::KindRole).toInt() == int(WatchFeedModel::RowKind::Entry))
                seen.append(index.data(WatchFeedModel::RevisionRole).toULongLong());
        }
        return seen;
    };
    QTRY_VERIFY_WITH_TIMEOUT(feedRevisions().size() >= revisions.size(), 30000);
    QCOMPARE(feedRevisions(), revisions);
}

QTEST_MAIN(tst_WindowFaults)
#include "tst_windowfaults.moc"
