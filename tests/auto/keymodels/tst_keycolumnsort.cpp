#include "keyfilterproxymodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"

#include <QtCore/QTimer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Sorting the key list by a column other than the key (revision, size, last update, operation), as a click
// on the header does: at a million keys a sort in one go holds the window for seconds, so the list sorts
// in steps of a few ms (as after a load, with the same "Sorting n keys…" stage) and the proxy keeps the
// list's order. Equal values fall back to the key order. No server: keys are fed as the watcher would.
class tst_KeyColumnSort final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sortsByColumn_data();
    void sortsByColumn();
    void eventLoopTurnsWhileSorting();
    void changedRowsKeepTheOrder();
    void treeFollowsAListSortedByColumn();
    void treeSortsByColumn_data();
    void treeSortsByColumn();
};

namespace {

const QDateTime kBase(QDate(2026, 12, 4), QTime(12, 0), Qt::UTC);

// Values that do not follow the key order, with ties (sizes repeat, updates repeat).
KvEntry entryAt(int i, int count)
{
    KvEntry entry;
    entry.key = u"k.%1"_s.arg(i);
    entry.revision = quint64((qint64(i) * 7919) % count + 1);
    entry.valueSize = (i * 31) % 100;
    entry.created = kBase.addMSecs((i * 13) % 500);
    entry.operation = i % 5 == 0 ? KvEntry::Operation::Delete : KvEntry::Operation::Put;
    return entry;
}

bool load(KeyListModel *list, int count)
{
    QSignalSpy finished(list, &KeyListModel::loadingFinished);
    list->beginInitialLoad(quint64(count));
    QList<KvEntry> batch;
    for (int i = 0; i < count; ++i) {
        batch.append(entryAt(i, count));
        if (batch.size() == 5000 || i == count - 1)
            list->applyEntries(std::exchange(batch, {}));
    }
    list->endInitialLoad();
    return finished.size() == 1 || finished.wait(30000);
}

// Whether the rows are in order of the column's raw value, ties in natural key order; says where not.
QString orderProblem(const QAbstractItemModel &model, int column, Qt::SortOrder order)
{
    for (int row = 1; row < model.rowCount(); ++row) {
        const QVariant a = model.index(row - 1, column).data(KeyListModel::RawValueRole);
        const QVariant b = model.index(row, column).data(KeyListModel::RawValueRole);
        int c = QVariant::compare(a, b) == QPartialOrdering::Less  ? -1
            : QVariant::compare(a, b) == QPartialOrdering::Greater ? 1
                                                                   : 0;
        if (order == Qt::DescendingOrder)
            c = -c;
        if (c == 0) // ties in key order, ascending either way (as QSortFilterProxyModel's stable sort kept them)
            c = KeyFilterProxyModel::naturalCompare(model.index(row - 1, 0).data(KeyListModel::KeyRole).toString(),
                                                    model.index(row, 0).data(KeyListModel::KeyRole).toString());
        if (c >= 0)
            return u"rows %1 and %2: %3, %4"_s.arg(row - 1).arg(row).arg(a.toString(), b.toString());
    }
    return {};
}

// Keys in seven folders, "g3.k10": the tree's folders and their keys.
KvEntry groupedEntryAt(int i, int count)
{
    KvEntry entry = entryAt(i, count);
    entry.key = u"g%1.k%2"_s.arg(i % 7).arg(i);
    return entry;
}

// Whether the tree's proxy shows each folder's children newest first, and the folders by their newest key
// (deleted keys too: they are rows of the list); says where not.
QString treeOrderProblem(const QAbstractItemModel &proxy, const QHash<QString, quint64> &newest)
{
    quint64 previous = std::numeric_limits<quint64>::max();
    for (int row = 0; row < proxy.rowCount(); ++row) {
        const QModelIndex folder = proxy.index(row, 0);
        const QString path = folder.data(KeyTreeModel::PathRole).toString();
        if (newest.value(path) > previous)
            return u"folder %1 at row %2"_s.arg(path).arg(row);
        previous = newest.value(path);
        quint64 before = std::numeric_limits<quint64>::max();
        for (int k = 0; k < proxy.rowCount(folder); ++k) {
            const quint64 revision
                = proxy.index(k, KeyListModel::RevisionColumn, folder).data(KeyListModel::RawValueRole).toULongLong();
            if (revision > before)
                return u"%1 row %2"_s.arg(path).arg(k);
            before = revision;
        }
    }
    return {};
}

} // namespace

void tst_KeyColumnSort::sortsByColumn_data()
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    for (const int column : {int(KeyListModel::RevisionColumn), int(KeyListModel::SizeColumn),
                             int(KeyListModel::UpdatedColumn), int(KeyListModel::OperationColumn)}) {
        const QByteArray name = QMetaEnum::fromType<KeyListModel::Column>().valueToKey(column);
        QTest::addRow("%s ascending", name.constData()) << column << Qt::AscendingOrder;
        QTest::addRow("%s descending", name.constData()) << column << Qt::DescendingOrder;
    }
}

void tst_KeyColumnSort::sortsByColumn()
{
    QFETCH(int, column);
    QFETCH(Qt::SortOrder, order);
    KeyListModel list;
    QVERIFY(load(&list, 3000));
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&list);
    proxy.setShowDeleted(true);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(KeyListModel::KeyColumn);
    proxy.sort(column, order);
    QTRY_VERIFY(!list.isLoading());
    QCOMPARE(proxy.sortedColumn(), column);
    QCOMPARE(proxy.rowCount(), 3000);
    const QString problem = orderProblem(proxy, column, order);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    // Rows are still found by key (the list finds a row by binary search in its order).
    for (const int i : {0, 1, 777, 2999})
        QCOMPARE(list.keyAt(list.rowOfKey(u"k.%1"_s.arg(i))), u"k.%1"_s.arg(i));
    // And back to the key order.
    proxy.sort(KeyListModel::KeyColumn, Qt::AscendingOrder);
    QTRY_VERIFY(!list.isLoading());
    QCOMPARE(proxy.index(0, 0).data().toString(), u"k.0"_s);
    QCOMPARE(proxy.index(2999, 0).data().toString(), u"k.2999"_s);
}

void tst_KeyColumnSort::eventLoopTurnsWhileSorting()
{
    // 300,000 keys, sizes mostly tied (the key order decides): a sort that takes many steps.
    const int count = 300000;
    KeyListModel list;
    QVERIFY(load(&list, count));
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&list);
    proxy.sort(KeyListModel::KeyColumn);
    int ticks = 0;
    QTimer ticker;
    ticker.setInterval(0);
    connect(&ticker, &QTimer::timeout, this, [&] { ++ticks; });
    QSignalSpy finished(&list, &KeyListModel::loadingFinished);
    ticker.start();
    proxy.sort(KeyListModel::SizeColumn, Qt::AscendingOrder);
    // What the panel's status line shows while it sorts ("Sorting 300,000 keys…").
    QCOMPARE(list.stage(), KeyListModel::Stage::Sorting);
    QVERIFY(finished.wait(30000));
    ticker.stop();
    QVERIFY2(ticks >= 3, qPrintable(QString::number(ticks)));
    QCOMPARE(finished.constFirst().constFirst().toBool(), false); // not cancelled
    const QString problem = orderProblem(proxy, KeyListModel::SizeColumn, Qt::AscendingOrder);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(proxy.rowCount(), list.liveCount());

    // Back to the key order: kept from before, at once (no second sort of 300,000 keys).
    proxy.sort(KeyListModel::KeyColumn, Qt::DescendingOrder);
    QVERIFY(!list.isLoading());
    QCOMPARE(list.keyAt(0), u"k.%1"_s.arg(count - 1));
    QCOMPARE(list.keyAt(count - 1), u"k.0"_s);
    // Unless keys came meanwhile: sorted again then (in steps), with the new key at its place.
    proxy.sort(KeyListModel::SizeColumn, Qt::AscendingOrder);
    QVERIFY(finished.wait(30000));
    list.applyEntries({entryAt(count, count + 1)});
    proxy.sort(KeyListModel::KeyColumn, Qt::AscendingOrder);
    QCOMPARE(list.stage(), KeyListModel::Stage::Sorting);
    QVERIFY(finished.wait(30000));
    QCOMPARE(list.keyAt(0), u"k.0"_s);
    QCOMPARE(list.keyAt(count), u"k.%1"_s.arg(count));
    QCOMPARE(list.rowOfKey(u"k.12345"_s), 12345);
}

void tst_KeyColumnSort::changedRowsKeepTheOrder()
{
    KeyListModel list;
    QVERIFY(load(&list, 2000));
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&list);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(KeyListModel::RevisionColumn, Qt::AscendingOrder);
    QTRY_VERIFY(!list.isLoading());
    const QPersistentModelIndex selected = list.index(list.rowOfKey(u"k.6"_s), 0);
    // A key written again has the newest revision: it moves to the end; the selection follows it.
    KvEntry written = entryAt(6, 2000);
    written.revision = 5000;
    list.applyEntries({written});
    QCOMPARE(proxy.index(proxy.rowCount() - 1, 0).data().toString(), u"k.6"_s);
    QCOMPARE(selected.data().toString(), u"k.6"_s);
    // Many writes at once, and new keys: sorted again (in steps), still in order after.
    QList<KvEntry> many;
    for (int i = 100; i < 200; ++i) {
        KvEntry entry = entryAt(i, 2000);
        entry.revision = quint64(6000 + (i * 37) % 100);
        many.append(entry);
    }
    many.append(entryAt(2000, 2000)); // a new key, revision 1 (a tie: key order after k.0's)
    list.applyEntries(many);
    QTRY_VERIFY(list.isSorted());
    const QString problem = orderProblem(proxy, KeyListModel::RevisionColumn, Qt::AscendingOrder);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(list.keyAt(list.rowOfKey(u"k.150"_s)), u"k.150"_s);
}

void tst_KeyColumnSort::treeFollowsAListSortedByColumn()
{
    // The tree is in key order whatever the list is sorted by.
    KeyListModel list;
    QVERIFY(load(&list, 3000));
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&list);
    proxy.sort(KeyListModel::RevisionColumn, Qt::DescendingOrder);
    QTRY_VERIFY(!list.isLoading());
    KeyTreeModel tree(&list);
    QTRY_VERIFY(!tree.isBuilding());
    const QModelIndex k = tree.indexForPath(u"k"_s);
    QCOMPARE(tree.rowCount(k), 3000);
    QCOMPARE(tree.index(0, 0, k).data(KeyTreeModel::PathRole).toString(), u"k.0"_s);
    QCOMPARE(tree.index(9, 0, k).data(KeyTreeModel::PathRole).toString(), u"k.9"_s);
    QCOMPARE(tree.index(10, 0, k).data(KeyTreeModel::PathRole).toString(), u"k.10"_s);
    QCOMPARE(tree.index(2999, 0, k).data(KeyTreeModel::PathRole).toString(), u"k.2999"_s);
    QCOMPARE(tree.index(2999, KeyListModel::RevisionColumn, k).data().toULongLong(), entryAt(2999, 3000).revision);
}

void tst_KeyColumnSort::treeSortsByColumn_data()
{
    QTest::addColumn<int>("count");
    QTest::newRow("small: at once") << 300;
    QTest::newRow("large: in steps") << 25000;
}

void tst_KeyColumnSort::treeSortsByColumn()
{
    // A click on the tree's Revision header: the list sorts by it (in steps) and each folder's children
    // follow its order, a folder where its newest key is; the proxy sorts nothing itself.
    QFETCH(int, count);
    KeyListModel list;
    QSignalSpy finished(&list, &KeyListModel::loadingFinished);
    list.beginInitialLoad();
    QList<KvEntry> entries;
    QHash<QString, quint64> newest;
    for (int i = 0; i < count; ++i) {
        entries.append(groupedEntryAt(i, count));
        quint64 &n = newest[entries.constLast().key.section(u'.', 0, 0)];
        n = std::max(n, entries.constLast().revision);
    }
    list.applyEntries(entries);
    list.endInitialLoad();
    QVERIFY(finished.size() == 1 || finished.wait(30000));
    KeyTreeModel tree(&list);
    QTRY_VERIFY_WITH_TIMEOUT(!tree.isBuilding(), 30000);
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&tree);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    proxy.sort(KeyListModel::KeyColumn, Qt::AscendingOrder);
    const QPersistentModelIndex selected = proxy.index(0, 0, proxy.index(3, 0));
    const QString selectedPath = selected.data(KeyTreeModel::PathRole).toString();

    proxy.sort(KeyListModel::RevisionColumn, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!tree.isOrdering() && !list.isLoading(), 30000);
    QCOMPARE(list.sortColumn(), int(KeyListModel::RevisionColumn));
    QString problem = treeOrderProblem(proxy, newest);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QCOMPARE(selected.data(KeyTreeModel::PathRole).toString(), selectedPath);
    QCOMPARE(proxy.rowCount(proxy.index(0, 0)), int(proxy.index(0, 0).data(KeyTreeModel::LiveCountRole).toUInt()));

    // A new key, the newest: first in its folder, and its folder first.
    KvEntry added = groupedEntryAt(count, count + 1);
    added.revision = quint64(count) + 100;
    added.operation = KvEntry::Operation::Put;
    newest[added.key.section(u'.', 0, 0)] = added.revision;
    list.applyEntries({added});
    QTRY_VERIFY_WITH_TIMEOUT(!tree.isOrdering() && !list.isLoading(), 30000);
    QCOMPARE(proxy.index(0, 0, proxy.index(0, 0)).data(KeyTreeModel::PathRole).toString(), added.key);
    problem = treeOrderProblem(proxy, newest);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));

    // Back to the key order: at once.
    proxy.sort(KeyListModel::KeyColumn, Qt::AscendingOrder);
    QVERIFY(!tree.isOrdering());
    QCOMPARE(proxy.index(0, 0).data(KeyTreeModel::PathRole).toString(), u"g0"_s);
    QCOMPARE(proxy.index(0, 0, proxy.index(0, 0)).data(KeyTreeModel::PathRole).toString(), u"g0.k7"_s); // k0 deleted
    QCOMPARE(selected.data(KeyTreeModel::PathRole).toString(), selectedPath);
}

QTEST_GUILESS_MAIN(tst_KeyColumnSort)

#include "tst_keycolumnsort.moc"
