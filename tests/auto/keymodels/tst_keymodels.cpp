#include "bucketlistmodel.h"
#include "humanformat.h"
#include "jetstreamcontext.h"
#include "keyfilterproxymodel.h"
#include "keylistfiltermodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvtwocopies.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "operationstyle.h"

#include <QtGui/QGuiApplication>
#include <QtGui/QIcon>
#include <QtGui/QPalette>

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

class tst_KeyModels final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keyListFollowsServer();
    void treeFollowsList();
    void proxyFiltersAndSortsNaturally();
    void expiredKeysGoAndTtlsShow();
    void aMarkerLeavesWhenTheServerRemovesIt();
    void anotherCopyOfTheBucketIsSaidToBeIt();
    void bucketListMerges();
    void largeBucketLoadsInBatches();

private:
    KvBucket *makeBucket(const QString &name);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
};

void tst_KeyModels::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

KvBucket *tst_KeyModels::makeBucket(const QString &name)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = 5;
    return KvTest::createBucket(m_kv, config) ? m_kv->bucket(name, this) : nullptr;
}

void tst_KeyModels::keyListFollowsServer()
{
    KvBucket *bucket = makeBucket(u"live"_s);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"b"_s, "22"));

    KeyListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&model, &KeyListModel::loadingFinished);
    model.load(bucket);
    QCOMPARE(model.stage(), KeyListModel::Stage::Waiting); // nothing asked of the server has come yet
    QVERIFY(!model.holdsAllKeys());
    QVERIFY(finished.wait());
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.stage(), KeyListModel::Stage::Idle);
    QVERIFY(model.isSorted());
    QVERIFY(model.holdsAllKeys()); // every key, live: a server filter can be applied to them

    // Another writer: a new key appears, a change updates its row, a delete marks it.
    WAIT_OK(bucket->put(u"c"_s, "333"));
    QTRY_COMPARE(model.rowCount(), 3);
    const int c = model.rowOfKey(u"c"_s);
    QCOMPARE(model.index(c, KeyListModel::SizeColumn).data(KeyListModel::SizeRole).toLongLong(), 3);
    WAIT_OK(bucket->put(u"a"_s, "12345"));
    const int a = model.rowOfKey(u"a"_s);
    QTRY_COMPARE(model.index(a, 0).data(KeyListModel::RevisionRole).toULongLong(), 4u);
    QCOMPARE(model.index(a, 0).data(KeyListModel::SizeRole).toLongLong(), 5);
    WAIT_OK(bucket->remove(u"b"_s));
    const int b = model.rowOfKey(u"b"_s);
    QTRY_VERIFY(model.index(b, 0).data(KeyListModel::DeletedRole).toBool());
    QCOMPARE(model.index(b, KeyListModel::OperationColumn).data().toString(), u"DEL"_s);
    // Operations in their colours and glyphs, as in the history and the watch feed (docs/ui.md).
    const QPalette palette = QGuiApplication::palette();
    QCOMPARE(model.index(b, KeyListModel::OperationColumn).data(Qt::ForegroundRole).value<QColor>(),
             OperationStyle::color(KvEntry::Operation::Delete, palette));
    QCOMPARE(model.index(a, KeyListModel::OperationColumn).data(Qt::ForegroundRole).value<QColor>(),
             OperationStyle::color(KvEntry::Operation::Put, palette));
    QVERIFY(!model.index(b, KeyListModel::OperationColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
    QVERIFY(!model.index(b, KeyListModel::KeyColumn).data(Qt::ForegroundRole).isValid()); // the key reads as text
}

void tst_KeyModels::treeFollowsList()
{
    KvBucket *bucket = makeBucket(u"tree"_s);
    QVERIFY(bucket);
    for (const QString &key : {u"orders.1.status"_s, u"orders.2.status"_s, u"orders.2.total"_s, u"users.x"_s, u"a"_s})
        WAIT_OK(bucket->put(key, "v"));

    KeyListModel list;
    KeyTreeModel tree(&list);
    QAbstractItemModelTester tester(&tree, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy finished(&list, &KeyListModel::loadingFinished);
    list.load(bucket);
    QVERIFY(finished.wait());
    QTRY_COMPARE(tree.rowCount(), 3); // orders, users, a
    const QModelIndex orders = tree.indexForPath(u"orders"_s);
    QVERIFY(orders.isValid());
    QCOMPARE(orders.data(KeyTreeModel::LiveCountRole).toInt(), 3);
    QCOMPARE(orders.data().toString(), u"orders (3)"_s);
    QCOMPARE(tree.rowCount(orders), 2);

    // Live: a key in a new folder, a key turning into a folder, a delete lowering the counts.
    WAIT_OK(bucket->put(u"orders.3.status"_s, "v"));
    WAIT_OK(bucket->put(u"a.b"_s, "v"));
    QTRY_COMPARE(tree.indexForPath(u"orders"_s).data(KeyTreeModel::LiveCountRole).toInt(), 4);
    QTRY_VERIFY(tree.indexForPath(u"a.b"_s).isValid());
    QCOMPARE(tree.indexForPath(u"a"_s).data(KeyTreeModel::SourceRowRole).toInt() >= 0, true);
    WAIT_OK(bucket->remove(u"orders.2.total"_s));
    QTRY_COMPARE(tree.indexForPath(u"orders"_s).data(KeyTreeModel::LiveCountRole).toInt(), 3);
    QCOMPARE(tree.indexForPath(u"orders.2"_s).data(KeyTreeModel::LiveCountRole).toInt(), 1);
}

void tst_KeyModels::proxyFiltersAndSortsNaturally()
{
    KeyListModel list;
    QList<KvEntry> entries;
    for (const QString &key : {u"k10"_s, u"k2"_s, u"k1"_s, u"other"_s}) {
        KvEntry entry;
        entry.key = key;
        entry.revision = quint64(entries.size() + 1);
        entries.append(entry);
    }
    entries[3].operation = KvEntry::Operation::Delete;
    list.applyEntries(entries);

    KeyFilterProxyModel proxy;
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.setSourceModel(&list);
    proxy.sort(KeyListModel::KeyColumn);
    QCOMPARE(proxy.rowCount(), 3); // "other" is deleted
    QCOMPARE(proxy.index(0, 0).data().toString(), u"k1"_s);
    QCOMPARE(proxy.index(1, 0).data().toString(), u"k2"_s);
    QCOMPARE(proxy.index(2, 0).data().toString(), u"k10"_s);
    proxy.setShowDeleted(true);
    QCOMPARE(proxy.rowCount(), 4);
    proxy.setTextFilter(u"K1"_s);
    QCOMPARE(proxy.rowCount(), 2);
    QVERIFY(KeyFilterProxyModel::naturalCompare(u"a02"_s, u"a1"_s) > 0);
    QVERIFY(KeyFilterProxyModel::naturalCompare(u"a"_s, u"a.b"_s) < 0);
}

void tst_KeyModels::expiredKeysGoAndTtlsShow()
{
    // A key with its own TTL shows when it expires (the Expires column); when the server's limit marker for
    // it arrives (nats-server 2.11+), the key is gone from the live list like a purged one, and its row,
    // shown with "show deleted", names the marker.
    KeyListModel list;
    QAbstractItemModelTester tester(&list, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QDateTime created(QDate(2026, 12, 2), QTime(10, 0), Qt::UTC);
    KvEntry temp;
    temp.key = u"temp"_s;
    temp.revision = 1;
    temp.created = created;
    temp.ttlNs = 90 * 1'000'000'000LL;
    KvEntry kept = temp;
    kept.key = u"kept"_s;
    kept.revision = 2;
    kept.ttlNs = 0;
    list.applyEntries({temp, kept});
    const QModelIndex expires = list.index(list.rowOfKey(u"temp"_s), KeyListModel::ExpiresColumn);
    QCOMPARE(expires.data(KeyListModel::ExpiresRole).toDateTime(), created.addSecs(90));
    QCOMPARE(expires.data().toString(), HumanFormat::localTime(created.addSecs(90)));
    QVERIFY(expires.data(Qt::ToolTipRole).toString().contains(u"1m30s"_s));
    QVERIFY(
        !list.index(list.rowOfKey(u"kept"_s), KeyListModel::ExpiresColumn).data(KeyListModel::ExpiresRole).isValid());
    QCOMPARE(list.index(list.rowOfKey(u"kept"_s), KeyListModel::ExpiresColumn).data().toString(), QString());

    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&list);
    proxy.sort(KeyListModel::ExpiresColumn); // keys without a TTL sort after those that expire
    QCOMPARE(proxy.index(0, 0).data().toString(), u"temp"_s);
    QCOMPARE(proxy.rowCount(), 2);

    KvEntry marker;
    marker.key = u"temp"_s;
    marker.revision = 3;
    marker.created = created.addSecs(91);
    marker.operation = KvEntry::Operation::Purge;
    marker.markerReason = "MaxAge";
    marker.ttlNs = 1'000'000'000;
    list.applyEntries({marker});
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"kept"_s);
    proxy.setShowDeleted(true);
    const int row = list.rowOfKey(u"temp"_s);
    QVERIFY(list.index(row, 0).data(KeyListModel::DeletedRole).toBool());
    // The word in the list, the server's reason in the tooltip ("EXPIR…" was all a list had room for).
    QCOMPARE(list.index(row, KeyListModel::OperationColumn).data().toString(), u"EXPIRED"_s);
    QVERIFY(list.index(row, KeyListModel::OperationColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .startsWith(u"EXPIRED (MaxAge): "_s));
    QCOMPARE(list.entryAt(row).markerReason, "MaxAge"_ba);
    QCOMPARE(list.index(row, KeyListModel::OperationColumn).data(Qt::ForegroundRole).value<QColor>(),
             OperationStyle::color(marker, QGuiApplication::palette())); // the server's marker, not a PURGE
}

void tst_KeyModels::aMarkerLeavesWhenTheServerRemovesIt()
{
    // A purge marker with a TTL of its own: the server removes it without a message to any watch, and the
    // list of shown deleted keys lets it go then, as a reload of the keys would.
    if (!m_connection->serverInfo().versionAtLeast(2, 11, 0))
        QSKIP("markers have TTLs of their own from nats-server 2.11");
    KvBucketConfig config;
    config.bucket = u"markerttl"_s;
    config.history = 1; // a longer history raises the marker's 1 s to the marker TTL (nats-modern.md)
    config.markerTtlMs = 60000;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"k"_s, "v"));
    WAIT_OK(bucket->put(u"kept"_s, "v"));
    KeyListModel list;
    KeyListFilterModel shown(&list);
    shown.setShowDeleted(true);
    QSignalSpy finished(&list, &KeyListModel::loadingFinished);
    list.load(bucket);
    QVERIFY(finished.wait());
    QCOMPARE(shown.rowCount(), 2);
    WAIT_OK(bucket->purge(u"k"_s, 0, 1'000'000'000));
    QTRY_VERIFY(list.index(list.rowOfKey(u"k"_s), 0).data(KeyListModel::DeletedRole).toBool());
    QCOMPARE(shown.rowCount(), 2);
    QCOMPARE(list.heldCount(), 2); // the marker is the bucket's
    QCOMPARE(list.liveCount(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(shown.rowCount(), 1, 10000);
    QCOMPARE(shown.index(0, 0).data().toString(), u"kept"_s);
    // Counted as the rows go: the bucket holds one key (try-out 5 counted the removed marker's key on).
    QCOMPARE(list.heldCount(), 1);
    QCOMPARE(list.liveCount(), 1);
    // The server agrees: nothing of the key is left.
    WAIT_ERROR(bucket->get(u"k"_s), NatsError::KeyNotFound);
    // Written again, the key is held again.
    WAIT_OK(bucket->put(u"k"_s, "back"));
    QTRY_COMPARE(shown.rowCount(), 2);
    QCOMPARE(list.heldCount(), 2);
    QCOMPARE(list.liveCount(), 2);
}

// After a failover to a server that is not in the same cluster, the bucket of that name is another
// bucket: the list it was following ended with an error that said so, and the keys shown stayed those of
// the first one. The list says the bucket was replaced (the key panel then lists it again), apart from
// other errors.
void tst_KeyModels::anotherCopyOfTheBucketIsSaidToBeIt()
{
    KvTwoCopies copies;
    QVERIFY(
        copies.start(u"same"_s, {{u"k0"_s, "v"}, {u"k1"_s, "v"}, {u"k2"_s, "v"}}, {{u"k0"_s, "v"}, {u"k1"_s, "v"}}));
    KeyListModel model;
    QSignalSpy loaded(&model, &KeyListModel::loadingFinished);
    QSignalSpy replaced(&model, &KeyListModel::bucketReplaced);
    QSignalSpy failed(&model, &KeyListModel::errorOccurred);
    model.load(copies.bucket());
    QVERIFY(loaded.wait(10000));
    QCOMPARE(model.rowCount(), 2);

    QVERIFY(copies.killSecond());
    QVERIFY(replaced.wait(20000));
    QVERIFY2(replaced.first().first().toString().contains(u"another server"_s),
             qPrintable(replaced.first().first().toString()));
    QCOMPARE(failed.count(), 0);
}

void tst_KeyModels::bucketListMerges()
{
    QVERIFY(makeBucket(u"bl_one"_s));
    QVERIFY(makeBucket(u"bl_two"_s));
    BucketListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    KvReply *list = m_kv->bucketStatuses();
    QTRY_VERIFY(list->isFinished());
    model.setStatuses(list->statuses());
    const int before = model.rowCount();
    QVERIFY(model.rowOf(u"bl_one"_s) >= 0);

    WAIT_OK(m_kv->deleteBucket(u"bl_one"_s));
    QVERIFY(makeBucket(u"bl_three"_s));
    KvBucket *two = m_kv->bucket(u"bl_two"_s, this);
    WAIT_OK(two->put(u"x"_s, "hello"));
    KvReply *again = m_kv->bucketStatuses();
    QTRY_VERIFY(again->isFinished());
    model.setStatuses(again->statuses());
    QCOMPARE(model.rowCount(), before);
    QCOMPARE(model.rowOf(u"bl_one"_s), -1);
    const int row = model.rowOf(u"bl_two"_s);
    QCOMPARE(model.index(row, BucketListModel::ValuesColumn).data(BucketListModel::RawValueRole).toLongLong(), 1);
    QVERIFY(model.index(row, BucketListModel::LastUpdateColumn).data().toString() != u"never"_s);

    // Values is the server's message count, as natscli shows it: the header says what it counts, so
    // that a bucket with deleted keys does not seem to disagree with its key list.
    WAIT_OK(two->remove(u"x"_s));
    KvReply *afterDelete = m_kv->bucketStatuses();
    QTRY_VERIFY(afterDelete->isFinished());
    model.setStatuses(afterDelete->statuses());
    QCOMPARE(model.index(row, BucketListModel::ValuesColumn).data(BucketListModel::RawValueRole).toLongLong(), 2);
    const QString valuesTip
        = model.headerData(BucketListModel::ValuesColumn, Qt::Horizontal, Qt::ToolTipRole).toString();
    QVERIFY2(valuesTip.contains(u"delete"_s) && valuesTip.contains(u"key list"_s), qPrintable(valuesTip));
}

void tst_KeyModels::largeBucketLoadsInBatches()
{
    KvBucket *bucket = makeBucket(u"large"_s);
    QVERIFY(bucket);
    const int count = 20000;
    QList<KvReply *> puts;
    for (int i = 0; i < count; ++i)
        puts.append(bucket->put(u"dev.%1.state"_s.arg(i), "x"));
    QTRY_VERIFY_WITH_TIMEOUT(std::all_of(puts.cbegin(), puts.cend(), [](KvReply *r) { return r->isFinished(); }),
                             60000);

    KeyListModel list;
    KeyTreeModel tree(&list);
    QSignalSpy inserts(&list, &QAbstractItemModel::rowsInserted);
    QSignalSpy finished(&list, &KeyListModel::loadingFinished);
    QSignalSpy progress(&list, &KeyListModel::loadingProgress);
    list.load(bucket);
    QVERIFY(finished.wait(30000));
    QCOMPARE(list.rowCount(), count);
    // Batches, not one model change per key.
    QVERIFY2(inserts.size() < count / 100, qPrintable(QString::number(inserts.size())));
    QVERIFY(progress.size() >= 1);
    QTRY_VERIFY(!tree.isBuilding());
    QCOMPARE(tree.indexForPath(u"dev"_s).data(KeyTreeModel::LiveCountRole).toInt(), count);
    // In natural order once loaded, list and tree alike.
    QCOMPARE(list.keyAt(0), u"dev.0.state"_s);
    QCOMPARE(list.keyAt(2), u"dev.2.state"_s);
    QCOMPARE(tree.index(10, 0, tree.indexForPath(u"dev"_s)).data(KeyTreeModel::PathRole).toString(), u"dev.10"_s);
}

QTEST_MAIN(tst_KeyModels) // a GUI application: the models give palette colours

#include "tst_keymodels.moc"
