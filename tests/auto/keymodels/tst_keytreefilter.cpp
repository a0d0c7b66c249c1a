#include "keyfilterproxymodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"

#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The key tree through the filter the window uses: with a filter, a folder counts the keys under it that
// the filter shows (not every key it holds), folders without a match are hidden, and the counts follow
// keys that come, change or go while the filter is on. No server: keys are fed as the watcher would.
class tst_KeyTreeFilter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void folderCountsFollowTheFilter_data();
    void folderCountsFollowTheFilter();
    void countsFollowChangesWhileFiltered();
    void clearingTheFilterBringsBackLiveCounts();
    void textMatchesIgnoringCase_data();
    void textMatchesIgnoringCase();
    void largeTreeIsMatchedInSteps();
    void shownDeletedKeysGoWhenTheirTtlRunsOut();

private:
    QStringList shown(const QModelIndex &parent = {}) const;
    QModelIndex folder(const QString &display, const QModelIndex &parent = {}) const;

    KeyListModel *m_list = nullptr;
    KeyTreeModel *m_tree = nullptr;
    KeyFilterProxyModel *m_proxy = nullptr;
};

namespace {

KvEntry entryOf(const QString &key, quint64 revision, KvEntry::Operation op = KvEntry::Operation::Put)
{
    KvEntry entry;
    entry.key = key;
    entry.revision = revision;
    entry.operation = op;
    entry.created = QDateTime(QDate(2026, 12, 4), QTime(12, 0), Qt::UTC);
    entry.valueSize = 10;
    return entry;
}

const QStringList kKeys{
    u"orders.1.status"_s, u"orders.1.total"_s, u"orders.2.status"_s, u"orders.2.total"_s, u"orders.3.note"_s,
    u"users.ann.total"_s, u"users.bob.name"_s, u"config"_s,          u"config.total"_s,   u"misc.x"_s,
};

} // namespace

void tst_KeyTreeFilter::init()
{
    m_list = new KeyListModel(this);
    QSignalSpy finished(m_list, &KeyListModel::loadingFinished);
    m_list->beginInitialLoad();
    QList<KvEntry> entries;
    for (const QString &key : kKeys)
        entries.append(entryOf(key, quint64(entries.size() + 1)));
    m_list->applyEntries(entries);
    m_list->endInitialLoad();
    QVERIFY(finished.size() == 1 || finished.wait(10000));
    m_tree = new KeyTreeModel(m_list, this);
    QTRY_VERIFY(!m_tree->isBuilding());
    m_proxy = new KeyFilterProxyModel(this);
    m_proxy->setSourceModel(m_tree);
    m_proxy->sort(KeyListModel::KeyColumn, Qt::AscendingOrder);
    new QAbstractItemModelTester(m_proxy, QAbstractItemModelTester::FailureReportingMode::QtTest, m_proxy);
}

void tst_KeyTreeFilter::cleanup()
{
    delete m_proxy;
    delete m_tree;
    delete m_list;
}

QStringList tst_KeyTreeFilter::shown(const QModelIndex &parent) const
{
    QStringList rows;
    for (int row = 0; row < m_proxy->rowCount(parent); ++row)
        rows.append(m_proxy->index(row, 0, parent).data().toString());
    return rows;
}

QModelIndex tst_KeyTreeFilter::folder(const QString &display, const QModelIndex &parent) const
{
    for (int row = 0; row < m_proxy->rowCount(parent); ++row) {
        const QModelIndex index = m_proxy->index(row, 0, parent);
        if (index.data().toString() == display)
            return index;
    }
    return {};
}

void tst_KeyTreeFilter::folderCountsFollowTheFilter_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("glob");
    QTest::addColumn<QStringList>("subjects");
    QTest::addColumn<QStringList>("top");
    QTest::addColumn<QStringList>("orders"); // the rows under the orders folder, if shown

    QTest::newRow("no filter") << QString() << QString() << QStringList()
                               << QStringList{u"config (2)"_s, u"misc (1)"_s, u"orders (5)"_s, u"users (2)"_s}
                               << QStringList{u"1 (2)"_s, u"2 (2)"_s, u"3 (1)"_s};
    QTest::newRow("text") << u"TOTAL"_s << QString() << QStringList()
                          << QStringList{u"config (1)"_s, u"orders (2)"_s, u"users (1)"_s}
                          << QStringList{u"1 (1)"_s, u"2 (1)"_s};
    QTest::newRow("text in a folder's name")
        << u"bob"_s << QString() << QStringList() << QStringList{u"users (1)"_s} << QStringList();
    QTest::newRow("glob") << QString() << u"orders.*.st*"_s << QStringList() << QStringList{u"orders (2)"_s}
                          << QStringList{u"1 (1)"_s, u"2 (1)"_s};
    QTest::newRow("subject") << QString() << QString() << QStringList{u"orders.*.note"_s, u"misc.>"_s}
                             << QStringList{u"misc (1)"_s, u"orders (1)"_s} << QStringList{u"3 (1)"_s};
    QTest::newRow("nothing") << u"nothing-like-this"_s << QString() << QStringList() << QStringList() << QStringList();
}

void tst_KeyTreeFilter::folderCountsFollowTheFilter()
{
    QFETCH(QString, text);
    QFETCH(QString, glob);
    QFETCH(QStringList, subjects);
    QFETCH(QStringList, top);
    QFETCH(QStringList, orders);
    m_proxy->setTextFilter(text);
    m_proxy->setKeyGlob(KeyGlob(glob));
    m_proxy->setSubjectFilters(subjects);
    QCOMPARE(shown(), top);
    const auto at = std::find_if(top.cbegin(), top.cend(),
                                 [](const QString &row) { return row.startsWith("orders"_L1); });
    if (at != top.cend())
        QCOMPARE(shown(folder(*at)), orders);
    // The count a folder shows is the role too (what a delegate or a test reads).
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QModelIndex index = m_proxy->index(row, 0);
        const QString display = index.data().toString();
        QCOMPARE(index.data(KeyTreeModel::MatchCountRole).toString(), display.section(u'(', 1).chopped(1));
    }
}

void tst_KeyTreeFilter::countsFollowChangesWhileFiltered()
{
    m_proxy->setTextFilter(u"total"_s);
    QCOMPARE(shown(), (QStringList{u"config (1)"_s, u"orders (2)"_s, u"users (1)"_s}));
    // A new matching key in a hidden folder brings the folder; one in a shown folder raises its count.
    m_list->applyEntries({entryOf(u"misc.total"_s, 20), entryOf(u"orders.4.total"_s, 21), entryOf(u"misc.y"_s, 22)});
    QCOMPARE(shown(), (QStringList{u"config (1)"_s, u"misc (1)"_s, u"orders (3)"_s, u"users (1)"_s}));
    QCOMPARE(shown(folder(u"orders (3)"_s)), (QStringList{u"1 (1)"_s, u"2 (1)"_s, u"4 (1)"_s}));
    // A deleted match lowers the count; the last one hides its folders.
    m_list->applyEntries({entryOf(u"orders.1.total"_s, 23, KvEntry::Operation::Delete),
                          entryOf(u"users.ann.total"_s, 24, KvEntry::Operation::Purge)});
    QCOMPARE(shown(), (QStringList{u"config (1)"_s, u"misc (1)"_s, u"orders (2)"_s}));
    QCOMPARE(shown(folder(u"orders (2)"_s)), (QStringList{u"2 (1)"_s, u"4 (1)"_s}));
    // Shown deleted keys count as matches.
    m_proxy->setShowDeleted(true);
    QCOMPARE(shown(), (QStringList{u"config (1)"_s, u"misc (1)"_s, u"orders (3)"_s, u"users (1)"_s}));
}

void tst_KeyTreeFilter::clearingTheFilterBringsBackLiveCounts()
{
    m_proxy->setTextFilter(u"status"_s);
    QCOMPARE(shown(), (QStringList{u"orders (2)"_s}));
    m_proxy->setTextFilter({});
    QCOMPARE(shown(), (QStringList{u"config (2)"_s, u"misc (1)"_s, u"orders (5)"_s, u"users (2)"_s}));
    // The tree on its own (no proxy) counts every live key, whatever a proxy filtered before.
    m_proxy->setTextFilter(u"status"_s);
    delete m_proxy;
    m_proxy = nullptr;
    QCOMPARE(m_tree->indexForPath(u"orders"_s).data().toString(), u"orders (5)"_s);
    m_list->applyEntries({entryOf(u"orders.9.x"_s, 30)});
    QCOMPARE(m_tree->indexForPath(u"orders"_s).data().toString(), u"orders (6)"_s);
}

void tst_KeyTreeFilter::textMatchesIgnoringCase_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("shown"); // keys of kKeys shown in the list
    QTest::newRow("at the start") << u"ORDERS.1"_s << 2;
    QTest::newRow("at the end") << u"Total"_s << 4;
    QTest::newRow("whole key") << u"config"_s << 2;
    QTest::newRow("longer than any key") << u"orders.1.status.and.more"_s << 0;
    QTest::newRow("a dot first") << u".NA"_s << 1;
    QTest::newRow("a digit first") << u"2.s"_s << 1;
    QTest::newRow("first letter repeats") << u"ss"_s << 0;
    QTest::newRow("near miss") << u"statuz"_s << 0;
    QTest::newRow("not ASCII") << u"ördérs"_s << 0;
}

void tst_KeyTreeFilter::textMatchesIgnoringCase()
{
    QFETCH(QString, text);
    QFETCH(int, shown);
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(m_list);
    proxy.setTextFilter(text);
    QCOMPARE(proxy.rowCount(), shown);
}

void tst_KeyTreeFilter::largeTreeIsMatchedInSteps()
{
    // 110,000 keys in ten folders: a filter is matched in steps (at a million keys in one go it held the
    // window ~100 ms), the rows and counts of the filter before stay until then, and a key that changes
    // meanwhile is counted as it is at the end.
    const int count = 110000;
    KeyListModel list;
    QSignalSpy finished(&list, &KeyListModel::loadingFinished);
    list.beginInitialLoad();
    QList<KvEntry> entries;
    for (int i = 0; i < count; ++i)
        entries.append(entryOf(u"g%1.k%2"_s.arg(i % 10).arg(i), quint64(i + 1)));
    list.applyEntries(entries);
    list.endInitialLoad();
    QVERIFY(finished.size() == 1 || finished.wait(30000));
    KeyTreeModel tree(&list);
    QTRY_VERIFY_WITH_TIMEOUT(!tree.isBuilding(), 30000);
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&tree);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy applied(&proxy, &KeyFilterProxyModel::filterApplied);
    QCOMPARE(proxy.rowCount(), 10);

    proxy.setTextFilter(u"K1234"_s); // k1234, k12340..k12349: g0 (2), g1..g9 (one each); k1234 in g4
    QVERIFY(proxy.isFiltering());
    QCOMPARE(proxy.rowCount(), 10); // the filter before, until matched
    list.applyEntries({entryOf(u"g0.k12340"_s, quint64(count + 1), KvEntry::Operation::Delete)});
    QVERIFY(applied.wait(10000));
    QVERIFY(!proxy.isFiltering());
    QCOMPARE(tree.matchCountOf({}), 10u);
    QStringList top;
    for (int row = 0; row < proxy.rowCount(); ++row)
        top.append(proxy.index(row, 0).data().toString());
    QCOMPARE(top,
             (QStringList{u"g1 (1)"_s, u"g2 (1)"_s, u"g3 (1)"_s, u"g4 (2)"_s, u"g5 (1)"_s, u"g6 (1)"_s, u"g7 (1)"_s,
                          u"g8 (1)"_s, u"g9 (1)"_s}));
    QCOMPARE(proxy.rowCount(proxy.index(3, 0)), 2);

    // Another filter while one is matched: the last one counts. Clearing is at once.
    proxy.setTextFilter(u"k9999"_s);
    proxy.setTextFilter(u"k99999"_s);
    QVERIFY(applied.wait(10000));
    QCOMPARE(tree.matchCountOf({}), 1u);
    QCOMPARE(proxy.rowCount(), 1);
    QCOMPARE(proxy.index(0, 0).data().toString(), u"g9 (1)"_s);
    proxy.setTextFilter({});
    QVERIFY(!proxy.isFiltering());
    QCOMPARE(proxy.rowCount(), 10);
    QCOMPARE(proxy.index(0, 0).data(KeyTreeModel::MatchCountRole).toUInt(), 10999u); // the live keys
}

QTEST_GUILESS_MAIN(tst_KeyTreeFilter)

#include "tst_keytreefilter.moc"

void tst_KeyTreeFilter::shownDeletedKeysGoWhenTheirTtlRunsOut()
{
    // A marker with a TTL of its own (nats-server 2.11+) goes from the server without a word to a watch:
    // its key leaves the tree of shown deleted keys then, and a folder holding nothing else goes with it.
    m_proxy->setShowDeleted(true);
    KvEntry marker = entryOf(u"misc.x"_s, 20, KvEntry::Operation::Purge);
    marker.created = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
    marker.ttlNs = 300'000'000;
    KvEntry other = marker;
    other.key = u"spare.y"_s;
    other.revision = 21;
    m_list->applyEntries({marker, other});
    QTRY_VERIFY(!m_proxy->isFiltering());
    QCOMPARE(shown(), (QStringList{u"config (2)"_s, u"misc (1)"_s, u"orders (5)"_s, u"spare (1)"_s, u"users (2)"_s}));
    QTRY_COMPARE_WITH_TIMEOUT(shown(), (QStringList{u"config (2)"_s, u"orders (5)"_s, u"users (2)"_s}), 5000);
}
