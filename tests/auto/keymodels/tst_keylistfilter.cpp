#include "keylistfiltermodel.h"
#include "keylistmodel.h"

#include <QtCore/QItemSelectionModel>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The key list as the panel shows it (KeyListFilterModel): the list's rows in its order without what the
// filter hides, following keys that come, go and are sorted again, with the selection kept. Checked by
// QAbstractItemModelTester all along. No server: keys are fed as the watcher would.
class tst_KeyListFilter final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void hidesWhatTheFilterHides_data();
    void hidesWhatTheFilterHides();
    void followsKeysThatComeAndGo();
    void keepsTheCurrentKeyAcrossSortAndFilter();
    void largeListIsMatchedInSteps();
    void keysGoWhenTheirTtlRunsOut();

private:
    QStringList shown() const;

    KeyListModel *m_list = nullptr;
    KeyListFilterModel *m_shown = nullptr;
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

// An entry written now that the server removes after ttlMs (nats-server 2.11+).
KvEntry expiringEntry(const QString &key, quint64 revision, KvEntry::Operation op, qint64 ttlMs)
{
    KvEntry entry = entryOf(key, revision, op);
    entry.created = QDateTime::fromMSecsSinceEpoch(QDateTime::currentMSecsSinceEpoch(), Qt::UTC);
    entry.ttlNs = ttlMs * 1'000'000;
    return entry;
}

} // namespace

void tst_KeyListFilter::init()
{
    m_list = new KeyListModel(this);
    m_shown = new KeyListFilterModel(m_list, this);
    new QAbstractItemModelTester(m_shown, QAbstractItemModelTester::FailureReportingMode::QtTest, m_shown);
    QSignalSpy finished(m_list, &KeyListModel::loadingFinished);
    m_list->beginInitialLoad();
    m_list->applyEntries({entryOf(u"b.2"_s, 1), entryOf(u"a.10"_s, 2),
                          entryOf(u"gone"_s, 3, KvEntry::Operation::Delete), entryOf(u"a.2"_s, 4),
                          entryOf(u"C.1"_s, 5)});
    m_list->endInitialLoad();
    QVERIFY(finished.size() == 1 || finished.wait(10000));
}

void tst_KeyListFilter::cleanup()
{
    delete m_shown;
    delete m_list;
}

QStringList tst_KeyListFilter::shown() const
{
    QStringList rows;
    for (int row = 0; row < m_shown->rowCount(); ++row)
        rows.append(m_shown->index(row, KeyListModel::KeyColumn).data(KeyListModel::KeyRole).toString());
    return rows;
}

void tst_KeyListFilter::hidesWhatTheFilterHides_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("glob");
    QTest::addColumn<QStringList>("subjects");
    QTest::addColumn<bool>("showDeleted");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("none") << QString() << QString() << QStringList() << false
                          << QStringList{u"a.2"_s, u"a.10"_s, u"b.2"_s, u"C.1"_s};
    QTest::newRow("deleted shown") << QString() << QString() << QStringList() << true
                                   << QStringList{u"a.2"_s, u"a.10"_s, u"b.2"_s, u"C.1"_s, u"gone"_s};
    QTest::newRow("text, any case") << u"c"_s << QString() << QStringList() << false << QStringList{u"C.1"_s};
    QTest::newRow("glob") << QString() << u"a.1*"_s << QStringList() << false << QStringList{u"a.10"_s};
    QTest::newRow("subjects") << QString() << QString() << QStringList{u"a.*"_s, u"C.>"_s} << false
                              << QStringList{u"a.2"_s, u"a.10"_s, u"C.1"_s};
    QTest::newRow("nothing") << u"zzz"_s << QString() << QStringList() << true << QStringList();
}

void tst_KeyListFilter::hidesWhatTheFilterHides()
{
    QFETCH(QString, text);
    QFETCH(QString, glob);
    QFETCH(QStringList, subjects);
    QFETCH(bool, showDeleted);
    QFETCH(QStringList, expected);
    m_shown->setTextFilter(text);
    m_shown->setKeyGlob(KeyGlob(glob));
    m_shown->setSubjectFilters(subjects);
    m_shown->setShowDeleted(showDeleted);
    QCOMPARE(shown(), expected);
    for (int row = 0; row < m_shown->rowCount(); ++row) {
        const QModelIndex index = m_shown->index(row, KeyListModel::SizeColumn);
        QCOMPARE(m_shown->mapFromSource(m_shown->mapToSource(index)), index);
        QCOMPARE(index.data(), m_shown->mapToSource(index).data());
    }
}

void tst_KeyListFilter::followsKeysThatComeAndGo()
{
    m_shown->setTextFilter(u"a"_s);
    QSignalSpy removed(m_shown, &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_shown, &QAbstractItemModel::rowsInserted);
    m_list->applyEntries({entryOf(u"a.3"_s, 6), entryOf(u"b.3"_s, 7)});
    QTRY_COMPARE(shown(), (QStringList{u"a.2"_s, u"a.3"_s, u"a.10"_s}));
    QVERIFY(!inserted.isEmpty());
    // Deleted: its row goes (a removal, so that a selection moves on), and comes back when written again.
    m_list->applyEntries({entryOf(u"a.3"_s, 8, KvEntry::Operation::Delete)});
    QTRY_COMPARE(shown(), (QStringList{u"a.2"_s, u"a.10"_s}));
    QCOMPARE(removed.size(), 1);
    m_list->applyEntries({entryOf(u"a.3"_s, 9)});
    QTRY_COMPARE(shown(), (QStringList{u"a.2"_s, u"a.3"_s, u"a.10"_s}));
    m_shown->setTextFilter({});
    QCOMPARE(shown(), (QStringList{u"a.2"_s, u"a.3"_s, u"a.10"_s, u"b.2"_s, u"b.3"_s, u"C.1"_s}));
}

void tst_KeyListFilter::keepsTheCurrentKeyAcrossSortAndFilter()
{
    QItemSelectionModel selection(m_shown);
    selection.setCurrentIndex(m_shown->index(2, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(selection.currentIndex().data(KeyListModel::KeyRole).toString(), u"b.2"_s);
    m_shown->sort(KeyListModel::RevisionColumn, Qt::DescendingOrder);
    QTRY_VERIFY(m_list->isSorted() && m_list->sortColumn() == KeyListModel::RevisionColumn);
    QCOMPARE(shown(), (QStringList{u"C.1"_s, u"a.2"_s, u"a.10"_s, u"b.2"_s}));
    QCOMPARE(m_shown->sortedColumn(), int(KeyListModel::RevisionColumn));
    QCOMPARE(selection.currentIndex().data(KeyListModel::KeyRole).toString(), u"b.2"_s);
    QCOMPARE(selection.selectedRows().size(), 1);
    m_shown->setTextFilter(u"2"_s);
    QCOMPARE(shown(), (QStringList{u"a.2"_s, u"b.2"_s}));
    QCOMPARE(selection.currentIndex().row(), 1);
    m_shown->setTextFilter(u"a"_s); // b.2 hidden: nothing current
    QVERIFY(!selection.currentIndex().isValid());
}

void tst_KeyListFilter::largeListIsMatchedInSteps()
{
    // 110,000 keys: a filter is matched in steps (at a million keys in one go it held the window for tens
    // of ms), the rows of the filter before stay until then, and keys that come or change meanwhile are
    // shown as the new filter says.
    const int count = 110000;
    QSignalSpy finished(m_list, &KeyListModel::loadingFinished);
    m_list->beginInitialLoad();
    QList<KvEntry> entries;
    for (int i = 0; i < count; ++i)
        entries.append(entryOf(u"g%1.k%2"_s.arg(i % 10).arg(i), quint64(i + 10)));
    m_list->applyEntries(entries);
    m_list->endInitialLoad();
    QVERIFY(finished.wait(30000));
    QCOMPARE(m_shown->rowCount(), count + 4);
    QSignalSpy applied(m_shown, &KeyListFilterModel::filterApplied);

    m_shown->setTextFilter(u"K1234"_s);
    QVERIFY(m_shown->isFiltering());
    QCOMPARE(m_shown->textFilter(), u"K1234"_s); // what was asked for
    QCOMPARE(m_shown->rowCount(), count + 4);    // the rows before, until matched
    m_list->applyEntries({entryOf(u"g0.k12340"_s, quint64(count + 20), KvEntry::Operation::Delete),
                          entryOf(u"new.k1234"_s, quint64(count + 21))});
    QVERIFY(applied.wait(10000));
    QVERIFY(!m_shown->isFiltering());
    QCOMPARE(shown(),
             (QStringList{u"g1.k12341"_s, u"g2.k12342"_s, u"g3.k12343"_s, u"g4.k1234"_s, u"g4.k12344"_s, u"g5.k12345"_s,
                          u"g6.k12346"_s, u"g7.k12347"_s, u"g8.k12348"_s, u"g9.k12349"_s, u"new.k1234"_s}));

    // Sorted by revision, filtered: the same keys, newest first, without matching them again.
    m_shown->sort(KeyListModel::RevisionColumn, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!m_list->isLoading(), 30000);
    QCOMPARE(m_shown->rowCount(), 11);
    QCOMPARE(m_shown->index(0, 0).data(KeyListModel::KeyRole).toString(), u"new.k1234"_s);
    QCOMPARE(m_shown->index(10, 0).data(KeyListModel::KeyRole).toString(), u"g4.k1234"_s);

    // Cleared, in steps too.
    m_shown->setTextFilter({});
    QVERIFY(applied.wait(10000));
    QCOMPARE(m_shown->rowCount(), count + 4);
}

QTEST_GUILESS_MAIN(tst_KeyListFilter)
#include "tst_keylistfilter.moc"

void tst_KeyListFilter::keysGoWhenTheirTtlRunsOut()
{
    // The server removes a marker whose own TTL ran out, and a value whose TTL ran out on a bucket without
    // limit markers, and tells no watch: the rows go at that time, shown deleted keys or not.
    m_shown->setShowDeleted(true);
    m_list->applyEntries({expiringEntry(u"a.2"_s, 6, KvEntry::Operation::Purge, 300),
                          expiringEntry(u"b.2"_s, 7, KvEntry::Operation::Put, 600)});
    QCOMPARE(shown(), (QStringList{u"a.2"_s, u"a.10"_s, u"b.2"_s, u"C.1"_s, u"gone"_s}));
    const int live = m_list->liveCount();
    QTRY_COMPARE_WITH_TIMEOUT(shown(), (QStringList{u"a.10"_s, u"b.2"_s, u"C.1"_s, u"gone"_s}), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(shown(), (QStringList{u"a.10"_s, u"C.1"_s, u"gone"_s}), 5000);
    QCOMPARE(m_list->liveCount(), live - 1);
    // Hidden with deleted keys hidden too, and back when written again.
    m_shown->setShowDeleted(false);
    QCOMPARE(shown(), (QStringList{u"a.10"_s, u"C.1"_s}));
    m_list->applyEntries({entryOf(u"b.2"_s, 8)});
    QCOMPARE(shown(), (QStringList{u"a.10"_s, u"b.2"_s, u"C.1"_s}));
    QCOMPARE(m_list->liveCount(), live);
}
