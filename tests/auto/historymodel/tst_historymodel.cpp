#include "historymodel.h"
#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvttl.h"
#include "kvtwocopies.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtGui/QColor>
#include <QtGui/QIcon>
#include <QtGui/QImage>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The history of one key against a real nats-server: what is kept, live updates, the history limit, purges.
class tst_HistoryModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void loadsEveryKeptRevisionNewestFirst();
    void historyLimitFollowsAnEdit();
    void followsLiveUpdates();
    void historyLimitDropsOldest();
    void purgeDropsOlderRevisions();
    void keyWithoutHistory();
    void reloadReplaces();
    void batchesWithPurgeAndDuplicates();
    void limitMarkersAreNamed();
    void revisionsGoWhenTheirTtlRunsOut();
    void aPurgeMarkerWithATtlGoesWithIt();
    void anotherCopyOfTheBucketIsReadAgain();

private:
    KvBucket *makeBucket(int history);
    QList<quint64> revisions(const HistoryModel &model) const;

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_HistoryModel::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

void tst_HistoryModel::init()
{
    ++m_counter;
}

KvBucket *tst_HistoryModel::makeBucket(int history)
{
    KvBucketConfig config;
    config.bucket = u"hist%1"_s.arg(m_counter);
    config.history = history;
    KvTest::createBucket(m_kv, config);
    return m_kv->bucket(config.bucket, this);
}

QList<quint64> tst_HistoryModel::revisions(const HistoryModel &model) const
{
    QList<quint64> result;
    for (int row = 0; row < model.rowCount(); ++row)
        result.append(model.entryAt(row).revision);
    return result;
}

void tst_HistoryModel::loadsEveryKeptRevisionNewestFirst()
{
    KvBucket *bucket = makeBucket(10);
    WAIT_OK(bucket->put(u"other"_s, "x"));                 // rev 1, another key
    WAIT_OK(bucket->put(u"k"_s, "one"));                   // rev 2
    WAIT_OK(bucket->put(u"k"_s, R"({"a":1})"));            // rev 3
    WAIT_OK(bucket->remove(u"k"_s));                       // rev 4
    WAIT_OK(bucket->put(u"k"_s, QByteArray("\0\xff", 2))); // rev 5

    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"k"_s);
    QVERIFY(model.isLoading());
    QVERIFY(loaded.wait(10000));
    QVERIFY(model.isLoaded());
    QCOMPARE(revisions(model), (QList<quint64>{5, 4, 3, 2}));
    QCOMPARE(model.entryAt(0).value, QByteArray("\0\xff", 2));
    QCOMPARE(model.entryAt(1).operation, KvEntry::Operation::Delete);
    QCOMPARE(model.entryAt(3).value, "one"_ba);
    QCOMPARE(model.latestRevision(), 5u);
    QCOMPARE(model.rowOfRevision(3), 2);
    QCOMPARE(model.rowOfRevision(1), -1);
    QCOMPARE(model.historyLimit(), 10);
    QCOMPARE(model.index(0, HistoryModel::RevisionColumn).data().toString(), u"rev 5"_s);
    QCOMPARE(model.index(1, HistoryModel::OperationColumn).data().toString(), u"DEL"_s);
    QCOMPARE(model.index(2, HistoryModel::SizeColumn).data().toString(), u"7 B"_s);
    QCOMPARE(model.index(1, HistoryModel::SizeColumn).data().toString(), QString()); // a marker has no size
    QVERIFY(model.index(0, HistoryModel::CreatedColumn).data(Qt::ToolTipRole).toString().endsWith(u'Z'));
    QCOMPARE(model.index(2, 0).data(HistoryModel::ValueRole).toByteArray(), R"({"a":1})"_ba);
}

// Try-out 6 #4: "(the bucket keeps 10)" stayed after the bucket was edited to keep 20.
void tst_HistoryModel::historyLimitFollowsAnEdit()
{
    KvBucket *bucket = makeBucket(10);
    WAIT_OK(bucket->put(u"k"_s, "one"));
    HistoryModel model;
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"k"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.historyLimit(), 10);
    QSignalSpy changed(&model, &HistoryModel::historyLimitChanged);
    KvBucketConfig config = bucket->boundStatus().config;
    config.history = 20;
    WAIT_OK(m_kv->updateBucket(config));
    QTRY_COMPARE(changed.count(), 1);
    QCOMPARE(model.historyLimit(), 20);
}

void tst_HistoryModel::followsLiveUpdates()
{
    KvBucket *bucket = makeBucket(10);
    WAIT_OK(bucket->put(u"k"_s, "one"));
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"k"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 1);

    QSignalSpy added(&model, &HistoryModel::revisionAdded);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    WAIT_OK(bucket->put(u"k"_s, "two"));
    WAIT_OK(bucket->put(u"other"_s, "not this key"));
    WAIT_OK(bucket->put(u"k"_s, "three"));
    QTRY_COMPARE(model.rowCount(), 3);
    QCOMPARE(revisions(model), (QList<quint64>{4, 2, 1}));
    QCOMPARE(model.entryAt(0).value, "three"_ba);
    QCOMPARE(added.size(), 2);
    for (const QList<QVariant> &signal : std::as_const(inserted))
        QCOMPARE(signal.at(1).toInt(), 0); // new revisions go on top
}

void tst_HistoryModel::historyLimitDropsOldest()
{
    KvBucket *bucket = makeBucket(3);
    for (int i = 1; i <= 3; ++i)
        WAIT_OK(bucket->put(u"k"_s, QByteArray::number(i)));
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"k"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(revisions(model), (QList<quint64>{3, 2, 1}));
    WAIT_OK(bucket->put(u"k"_s, "4"));
    WAIT_OK(bucket->put(u"k"_s, "5"));
    QTRY_COMPARE(model.latestRevision(), 5u);
    // The server kept three: so does the model.
    QCOMPARE(revisions(model), (QList<quint64>{5, 4, 3}));
    KvReply *history = bucket->history(u"k"_s);
    QTRY_VERIFY(history->isFinished());
    QCOMPARE(history->entries().size(), 3);
}

void tst_HistoryModel::purgeDropsOlderRevisions()
{
    KvBucket *bucket = makeBucket(10);
    WAIT_OK(bucket->put(u"k"_s, "one"));
    WAIT_OK(bucket->put(u"k"_s, "two"));
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"k"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 2);
    WAIT_OK(bucket->purge(u"k"_s));
    QTRY_COMPARE(model.latestRevision(), 3u);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.entryAt(0).operation, KvEntry::Operation::Purge);
    WAIT_OK(bucket->put(u"k"_s, "again"));
    QTRY_COMPARE(model.rowCount(), 2);
}

void tst_HistoryModel::keyWithoutHistory()
{
    KvBucket *bucket = makeBucket(5);
    HistoryModel model;
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"never.written"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.latestRevision(), 0u);
    QCOMPARE(model.latestEntry().revision, 0u);
    // It still follows the key: the first write shows.
    WAIT_OK(bucket->put(u"never.written"_s, "now"));
    QTRY_COMPARE(model.rowCount(), 1);
}

void tst_HistoryModel::reloadReplaces()
{
    KvBucket *bucket = makeBucket(5);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"b"_s, "2"));
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    model.load(bucket, u"a"_s);
    QVERIFY(loaded.wait(10000));
    model.load(bucket, u"b"_s);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.key(), u"b"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(revisions(model), (QList<quint64>{2}));
    WAIT_OK(bucket->put(u"a"_s, "not shown"));
    WAIT_OK(bucket->put(u"b"_s, "shown"));
    QTRY_COMPARE(model.rowCount(), 2);
    QCOMPARE(model.entryAt(0).value, "shown"_ba);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(!model.isLoaded());
}

void tst_HistoryModel::batchesWithPurgeAndDuplicates()
{
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto make = [](quint64 revision, KvEntry::Operation op = KvEntry::Operation::Put) {
        KvEntry e;
        e.key = u"k"_s;
        e.revision = revision;
        e.operation = op;
        return e;
    };
    model.applyEntries({make(1), make(2), make(3)});
    QCOMPARE(revisions(model), (QList<quint64>{3, 2, 1}));
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    model.applyEntries({make(2), make(3), make(4), make(5)}); // 2 and 3 are known: ignored
    QCOMPARE(revisions(model), (QList<quint64>{5, 4, 3, 2, 1}));
    QCOMPARE(inserted.size(), 1);
    model.applyEntries({make(6), make(7, KvEntry::Operation::Purge), make(8)});
    QCOMPARE(revisions(model), (QList<quint64>{8, 7}));
    model.setHistoryLimit(1);
    QCOMPARE(revisions(model), (QList<quint64>{8}));
}

void tst_HistoryModel::revisionsGoWhenTheirTtlRunsOut()
{
    // The server removes an entry whose own TTL ran out without a word (a marker with a TTL, a revision
    // under newer ones): the panel kept "rev 5 EXPIRED" long after `history` said the key was not found.
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const auto make = [now](quint64 revision, KvEntry::Operation op, qint64 ttlNs, const QByteArray &reason = {}) {
        KvEntry e;
        e.key = u"k"_s;
        e.revision = revision;
        e.operation = op;
        e.markerReason = reason;
        e.created = now;
        e.ttlNs = ttlNs;
        return e;
    };
    constexpr qint64 ms = 1'000'000;
    model.applyEntries({make(1, KvEntry::Operation::Put, 300 * ms), make(2, KvEntry::Operation::Put, 0),
                        make(3, KvEntry::Operation::Put, KvTtl::Never)});
    QCOMPARE(revisions(model), (QList<quint64>{3, 2, 1}));
    QTRY_COMPARE(revisions(model), (QList<quint64>{3, 2})); // no TTL, or "never": they stay
    model.applyEntries({make(4, KvEntry::Operation::Purge, 400 * ms, "MaxAge")});
    QCOMPARE(revisions(model), (QList<quint64>{4}));
    QTRY_COMPARE(revisions(model), QList<quint64>{});
    QCOMPARE(model.latestRevision(), 0u);
}

void tst_HistoryModel::aPurgeMarkerWithATtlGoesWithIt()
{
    // The same on a real server: a purge marker with a TTL of 1 s, removed by the server without a message.
    if (!m_connection->serverInfo().versionAtLeast(2, 11, 0))
        QSKIP("markers have TTLs of their own from nats-server 2.11");
    KvBucketConfig config;
    config.bucket = u"hist_markerttl"_s;
    config.history = 1; // a longer history raises the marker's 1 s to the marker TTL (nats-modern.md)
    config.markerTtlMs = 60000;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"k"_s, "v"));
    WAIT_OK(bucket->purge(u"k"_s, 0, 1'000'000'000));
    HistoryModel model;
    model.load(bucket, u"k"_s);
    QTRY_VERIFY_WITH_TIMEOUT(model.isLoaded(), 10000);
    // Unless the server removed it first.
    if (model.rowCount() == 1)
        QCOMPARE(model.entryAt(0).operation, KvEntry::Operation::Purge);
    QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 10000);
    KvReply *history = bucket->history(u"k"_s); // what the server says: nothing (the error: no such key)
    QTRY_VERIFY_WITH_TIMEOUT(history->isFinished(), KvTest::ReplyTimeoutMs);
    QVERIFY2(history->entries().isEmpty(), "the server still has the marker");
}

void tst_HistoryModel::limitMarkersAreNamed()
{
    // Markers the server writes (nats-server 2.11+; ADR-48 maps MaxAge and Purge to a purge, Remove to a
    // delete): named with their reason, coloured apart from a client's PURGE, and a MaxAge marker ends
    // the history before it as a purge does (the server removed those revisions).
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto make = [](quint64 revision, KvEntry::Operation op, const QByteArray &reason = {}) {
        KvEntry e;
        e.key = u"k"_s;
        e.revision = revision;
        e.operation = op;
        e.markerReason = reason;
        e.created = QDateTime::currentDateTimeUtc();
        return e;
    };
    model.applyEntries({make(1, KvEntry::Operation::Put), make(2, KvEntry::Operation::Purge, "MaxAge")});
    QCOMPARE(revisions(model), (QList<quint64>{2}));
    model.applyEntries({make(3, KvEntry::Operation::Put), make(4, KvEntry::Operation::Delete, "Remove"),
                        make(5, KvEntry::Operation::Purge)});
    QCOMPARE(revisions(model), (QList<quint64>{5}));
    model.applyEntries({make(6, KvEntry::Operation::Delete, "Remove"), make(7, KvEntry::Operation::Put)});
    QCOMPARE(revisions(model), (QList<quint64>{7, 6, 5}));
    const auto text = [&model](int row, int role = Qt::DisplayRole) {
        return model.index(row, HistoryModel::OperationColumn).data(role);
    };
    QCOMPARE(text(1).toString(), u"REMOVED (Remove)"_s);
    QCOMPARE(text(2).toString(), u"PURGE"_s);
    QVERIFY(text(1, Qt::ToolTipRole).toString().contains(u"Remove"_s));
    QVERIFY(!text(2, Qt::ToolTipRole).toString().contains(u"TTL"));
    // Issue 14: no information in colour alone: each operation's row has its name and a glyph of its own.
    QList<QImage> glyphs;
    for (int row = 0; row < model.rowCount(); ++row) {
        QVERIFY(!text(row).toString().isEmpty());
        QVERIFY2(!text(row, Qt::ToolTipRole).toString().isEmpty(), qPrintable(text(row).toString()));
        const QIcon icon = text(row, Qt::DecorationRole).value<QIcon>();
        QVERIFY2(!icon.isNull(), qPrintable(text(row).toString()));
        const QImage image = icon.pixmap(16, 16).toImage();
        QVERIFY2(!glyphs.contains(image), qPrintable(text(row).toString()));
        glyphs.append(image);
    }
    QVERIFY(text(1, Qt::ForegroundRole).value<QColor>() != text(2, Qt::ForegroundRole).value<QColor>());
    QVERIFY(text(1, Qt::BackgroundRole).value<QColor>().isValid());

    model.clear();
    model.applyEntries({make(8, KvEntry::Operation::Purge, "MaxAge")});
    QCOMPARE(text(0).toString(), u"EXPIRED (MaxAge)"_s);
    QCOMPARE(model.entryAt(0).markerReason, "MaxAge"_ba);
}

// After a failover to a server that is not in the same cluster, the bucket under this name is another
// one: the history shown was the first bucket's, under an error, until another key was chosen.
void tst_HistoryModel::anotherCopyOfTheBucketIsReadAgain()
{
    KvTwoCopies copies;
    QVERIFY(
        copies.start(u"copy"_s, {{u"k"_s, "b1"}, {u"k"_s, "b2"}}, {{u"k"_s, "a1"}, {u"k"_s, "a2"}, {u"k"_s, "a3"}}));
    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy loaded(&model, &HistoryModel::loaded);
    QSignalSpy replaced(&model, &HistoryModel::bucketReplaced);
    QSignalSpy failed(&model, &HistoryModel::errorOccurred);
    model.load(copies.bucket(), u"k"_s);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(revisions(model), (QList<quint64>{3, 2, 1}));

    QVERIFY(copies.killSecond());
    QVERIFY(replaced.wait(20000));
    QVERIFY2(replaced.first().first().toString().contains(u"another server"_s),
             qPrintable(replaced.first().first().toString()));
    QTRY_COMPARE_WITH_TIMEOUT(revisions(model), (QList<quint64>{2, 1}), 10000);
    QCOMPARE(model.entryAt(0).value, "b2"_ba);
    QVERIFY(model.isLoaded());
    QCOMPARE(failed.count(), 0);
}

QTEST_MAIN(tst_HistoryModel)

#include "tst_historymodel.moc"
