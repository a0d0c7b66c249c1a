#include "jetstreamcontext.h"
#include "keyfilterproxymodel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "keytreemodel.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

// The key panel's loading states and the reuse of loaded keys, against a real nats-server: what the status
// says while the server prepares the listing, a server filter set and cleared on keys at hand (no second
// listing), list and tree sharing one load, and the remembered key order.
class tst_KeyPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void saysWhatItWaitsFor();
    void serverFilterReusesLoadedKeys();
    void treeReusesLoadedKeys();
    void keyOrderIsRemembered();
    void keySelectedWhileLargeTreeBuilds();
    void filteredTreeOpensMatchingFolders();
    void sortByColumnSaysSorting();
    void largeTreeFilterAndSort();
    void selectingAKeySelectsOnlyIt();
    void focusOrAClickBesideTheRowsOpensNoKey();
    void downOrEnterInTheFilterGoesToTheKeys();
    void saysWhereAMirrorsWritesGo();
    void aSelectedFolderGivesTheKeysUnderIt();

private:
    KvBucket *makeBucket(const QString &name, int keys);
    QString status() const { return m_panel->findChild<QLabel *>(u"keyStatus"_s)->text(); }
    void filter(const QString &text);
    QStringList shownKeys(const QString &view) const;
    bool loaded() const { return !m_panel->model()->isLoading(); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    KeyPanel *m_panel = nullptr;
};

void tst_KeyPanel::initTestCase()
{
    QCoreApplication::setOrganizationName(u"kvdesk-tests"_s);
    QCoreApplication::setApplicationName(u"tst_keypanel"_s);
    QSettings().clear();
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
    m_panel = new KeyPanel;
    m_panel->resize(600, 400);
    m_panel->show();
}

KvBucket *tst_KeyPanel::makeBucket(const QString &name, int keys)
{
    KvBucketConfig config;
    config.bucket = name;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    KvBucket *bucket = m_kv->bucket(name, this);
    QList<KvReply *> puts;
    for (int i = 1; i <= keys; ++i)
        puts.append(bucket->put(u"dev.%1"_s.arg(i), "v"));
    puts.append(bucket->put(u"other.Key"_s, "v"));
    if (!QTest::qWaitFor(
            [&] { return std::all_of(puts.cbegin(), puts.cend(), [](KvReply *r) { return r->isFinished(); }); }, 20000))
        return nullptr;
    return bucket;
}

void tst_KeyPanel::filter(const QString &text)
{
    auto *box = m_panel->findChild<QLineEdit *>(u"keyFilter"_s);
    box->setText(text);
    QTest::keyClick(box, Qt::Key_Return);
}

QStringList tst_KeyPanel::shownKeys(const QString &view) const
{
    QAbstractItemModel *model = m_panel->findChild<QAbstractItemView *>(view)->model();
    QStringList keys;
    for (int row = 0; row < model->rowCount(); ++row)
        keys.append(model->index(row, 0).data(KeyListModel::KeyRole).toString());
    return keys;
}

void tst_KeyPanel::saysWhatItWaitsFor()
{
    KvBucket *bucket = makeBucket(u"waits"_s, 12);
    QVERIFY(bucket);
    m_panel->setBucket(bucket);
    // Nothing has come yet: the server is preparing the listing consumer (seconds for a million keys on
    // 2.9), not "Loading keys… 0 of 0".
    QVERIFY2(status().startsWith(u"Waiting for nats-server to prepare the key listing"_s), qPrintable(status()));
    QVERIFY(m_panel->findChild<QWidget *>(u"keyProgress"_s)->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QCOMPARE(status(), u"13 keys"_s);
    QVERIFY(!m_panel->findChild<QWidget *>(u"keyProgress"_s)->isVisible());
    const QStringList keys = shownKeys(u"keyListView"_s);
    QCOMPARE(keys.mid(0, 3), (QStringList{u"dev.1"_s, u"dev.2"_s, u"dev.3"_s})); // natural: dev.10 later
    QCOMPARE(keys.indexOf(u"dev.10"_s), 9);
}

void tst_KeyPanel::serverFilterReusesLoadedKeys()
{
    KvBucket *bucket = makeBucket(u"reuse"_s, 30);
    QVERIFY(bucket);
    m_panel->setBucket(bucket);
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QSignalSpy loads(m_panel->model(), &KeyListModel::loadingStarted);

    filter(u"dev.>"_s);
    QCOMPARE(shownKeys(u"keyListView"_s).size(), 30);
    QVERIFY2(status().contains(u"matching dev.>"_s), qPrintable(status()));
    QVERIFY2(status().startsWith(u"30 of 31 keys shown"_s), qPrintable(status()));
    filter(u"*.Key"_s);
    QCOMPARE(shownKeys(u"keyListView"_s), QStringList{u"other.Key"_s});
    filter({});
    QCOMPARE(shownKeys(u"keyListView"_s).size(), 31);
    QCOMPARE(status(), u"31 keys"_s);
    QCOMPARE(loads.size(), 0); // every filter on the keys at hand: nothing listed again

    // Keys written meanwhile are there (the watch stayed live) and the filter applies to them.
    filter(u"dev.*"_s);
    WAIT_OK(bucket->put(u"dev.31"_s, "v"));
    WAIT_OK(bucket->put(u"zzz"_s, "v"));
    QTRY_COMPARE(m_panel->model()->rowCount(), 33);
    QCOMPARE(shownKeys(u"keyListView"_s).size(), 31);
    QCOMPARE(shownKeys(u"keyListView"_s).constLast(), u"dev.31"_s);
    filter({});
    QCOMPARE(loads.size(), 0);

    // A reload asks the server again.
    m_panel->reloadAction()->trigger();
    QCOMPARE(loads.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
}

void tst_KeyPanel::treeReusesLoadedKeys()
{
    KvBucket *bucket = makeBucket(u"switch"_s, 25);
    QVERIFY(bucket);
    m_panel->setBucket(bucket);
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QSignalSpy loads(m_panel->model(), &KeyListModel::loadingStarted);
    m_panel->selectKey(u"dev.7"_s);
    m_panel->treeAction()->trigger();
    auto *tree = m_panel->findChild<QTreeView *>(u"keyTreeView"_s);
    QVERIFY(tree && tree->isVisible());
    QTRY_COMPARE(shownKeys(u"keyTreeView"_s).size(), 2);
    QCOMPARE(tree->model()->index(0, 0).data().toString(), u"dev (25)"_s);
    QCOMPARE(tree->model()->index(1, 0).data().toString(), u"other (1)"_s);
    m_panel->listAction()->trigger();
    m_panel->treeAction()->trigger();
    m_panel->listAction()->trigger();
    QCOMPARE(m_panel->currentKey(), u"dev.7"_s);
    QCOMPARE(loads.size(), 0);
}

void tst_KeyPanel::keyOrderIsRemembered()
{
    QAction *natural = m_panel->naturalSortAction();
    QVERIFY(natural->isChecked());
    QSignalSpy sorted(m_panel->model(), &KeyListModel::sorted);
    natural->trigger(); // plain byte order: "dev.10" before "dev.2"
    QVERIFY(sorted.wait());
    QCOMPARE(QSettings().value(u"keys/sortOrder"_s).toString(), u"plain"_s);
    const QStringList keys = shownKeys(u"keyListView"_s);
    QVERIFY(keys.indexOf(u"dev.10"_s) < keys.indexOf(u"dev.2"_s));
    KeyPanel second;
    QVERIFY(!second.naturalSortAction()->isChecked());
    QCOMPARE(second.model()->collation(), KeyCollation::Order::Plain);
    natural->trigger();
    QCOMPARE(QSettings().value(u"keys/sortOrder"_s).toString(), u"natural"_s);
}

void tst_KeyPanel::keySelectedWhileLargeTreeBuilds()
{
    // A large tree is built in steps (the window stays responsive); the key selected in the list is
    // selected in the tree once it is there. Keys fed to the model directly: no server needed for this.
    KeyPanel panel;
    panel.show();
    QList<KvEntry> entries;
    for (int i = 0; i < 60000; ++i) {
        KvEntry entry;
        entry.key = u"dev.%1.state"_s.arg(i);
        entry.revision = quint64(i + 1);
        entries.append(entry);
    }
    panel.model()->applyEntries(entries);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->isSorted(), 20000);
    panel.selectKey(u"dev.4242.state"_s);
    QCOMPARE(panel.currentKey(), u"dev.4242.state"_s);
    panel.treeAction()->trigger();
    auto *tree = panel.findChild<QTreeView *>(u"keyTreeView"_s);
    QVERIFY(tree->isVisible());
    QTRY_COMPARE_WITH_TIMEOUT(panel.currentKey(), u"dev.4242.state"_s, 20000);
    QCOMPARE(tree->model()->index(0, 0).data().toString(), u"dev (60,000)"_s);
}

void tst_KeyPanel::filteredTreeOpensMatchingFolders()
{
    // With a text filter the tree shows only folders holding a match, each with how many matches it holds,
    // and opens them (the first 200: a filter matching a million keys must not lay out a million rows).
    KeyPanel panel;
    panel.resize(600, 400);
    panel.show();
    QList<KvEntry> entries;
    for (int group = 0; group < 300; ++group) {
        for (int i = 0; i < 4; ++i) {
            KvEntry entry;
            entry.key = u"grp%1.k%2.%3"_s.arg(group, 3, 10, QChar(u'0')).arg(i).arg(i % 2 ? u"state"_s : u"total"_s);
            entry.revision = quint64(entries.size() + 1);
            entries.append(entry);
        }
    }
    panel.model()->applyEntries(entries);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->isSorted(), 20000);
    panel.treeAction()->trigger();
    auto *tree = panel.findChild<QTreeView *>(u"keyTreeView"_s);
    QAbstractItemModel *model = tree->model();
    QCOMPARE(model->index(0, 0).data().toString(), u"grp000 (4)"_s);
    QVERIFY(!tree->isExpanded(model->index(0, 0)));

    auto *box = panel.findChild<QLineEdit *>(u"keyFilter"_s);
    box->setText(u"grp01"_s); // grp010 .. grp019: ten folders, each two deep
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(model->rowCount(), 10);
    QCOMPARE(model->index(0, 0).data().toString(), u"grp010 (4)"_s);
    for (int row = 0; row < 10; ++row) {
        const QModelIndex group = model->index(row, 0);
        QVERIFY2(tree->isExpanded(group), qPrintable(group.data().toString()));
        QVERIFY(tree->isExpanded(model->index(0, 0, group))); // k0 (1): its key shown
    }

    box->setText(u"total"_s); // 300 folders with two matches each: 900 folders hold a match
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(model->rowCount(), 300);
    QCOMPARE(model->index(0, 0).data().toString(), u"grp000 (2)"_s);
    QCOMPARE(model->rowCount(model->index(0, 0)), 2); // k0 and k2
    int open = 0;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex group = model->index(row, 0);
        open += tree->isExpanded(group);
        for (int child = 0; child < model->rowCount(group); ++child)
            open += tree->isExpanded(model->index(child, 0, group));
    }
    QCOMPARE(open, 200);
    QVERIFY(tree->isExpanded(model->index(0, 0)));
    QVERIFY(!tree->isExpanded(model->index(299, 0)));

    // The filter cleared: the whole tree as it was, folders closed again.
    box->setText({});
    QTest::keyClick(box, Qt::Key_Return);
    QCOMPARE(model->rowCount(), 300);
    QCOMPARE(model->index(0, 0).data().toString(), u"grp000 (4)"_s);
    QVERIFY(!tree->isExpanded(model->index(0, 0)));
}

void tst_KeyPanel::sortByColumnSaysSorting()
{
    // A click on the Revision header at 60,000 keys: sorted in steps, saying so, as after a load.
    KeyPanel panel;
    panel.show();
    QList<KvEntry> entries;
    for (int i = 0; i < 60000; ++i) {
        KvEntry entry;
        entry.key = u"dev.%1"_s.arg(i);
        entry.revision = quint64((i * 7919) % 60000 + 1);
        entries.append(entry);
    }
    panel.model()->applyEntries(entries);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->isSorted(), 20000);
    auto *view = panel.findChild<QTableView *>(u"keyListView"_s);
    auto *progress = panel.findChild<QProgressBar *>(u"keyProgress"_s);
    view->sortByColumn(KeyListModel::RevisionColumn, Qt::DescendingOrder);
    // (Without a bucket the status line says so; the stage and the progress bar are those of a load's sort.)
    QCOMPARE(panel.model()->stage(), KeyListModel::Stage::Sorting);
    QVERIFY(progress->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading(), 20000);
    QVERIFY(!progress->isVisible());
    QCOMPARE(view->model()->index(0, KeyListModel::RevisionColumn).data().toULongLong(), 60000ull);
    QCOMPARE(view->model()->index(59999, KeyListModel::RevisionColumn).data().toULongLong(), 1ull);
}

void tst_KeyPanel::largeTreeFilterAndSort()
{
    // Over 100,000 keys a filter is matched in steps: the tree opens its matching folders once it is.
    // The tree sorted by revision sorts the list too: the list's header says so when it is shown again.
    KeyPanel panel;
    panel.resize(600, 400);
    panel.show();
    QList<KvEntry> entries;
    for (int i = 0; i < 105000; ++i) {
        KvEntry entry;
        entry.key = u"grp%1.k%2"_s.arg(i % 100, 3, 10, QChar(u'0')).arg(i);
        entry.revision = quint64(i + 1);
        entries.append(entry);
    }
    panel.model()->applyEntries(entries);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->isSorted(), 20000);
    panel.treeAction()->trigger();
    auto *tree = panel.findChild<QTreeView *>(u"keyTreeView"_s);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.findChild<KeyTreeModel *>()->isBuilding(), 20000);
    auto *proxy = qobject_cast<KeyFilterProxyModel *>(tree->model());
    QVERIFY(proxy);
    auto *box = panel.findChild<QLineEdit *>(u"keyFilter"_s);
    const auto filter = [box](const QString &text) {
        box->setText(text);
        QTest::keyClick(box, Qt::Key_Return);
    };
    filter(u"k4242"_s); // k4242 (grp042), k42420..k42429 (grp020..grp029)
    QVERIFY(proxy->isFiltering());
    QTRY_VERIFY_WITH_TIMEOUT(!proxy->isFiltering(), 10000);
    QCOMPARE(proxy->rowCount(), 11);
    QCOMPARE(proxy->index(10, 0).data().toString(), u"grp042 (1)"_s);
    QVERIFY(tree->isExpanded(proxy->index(10, 0)));

    filter({});
    tree->sortByColumn(KeyListModel::RevisionColumn, Qt::DescendingOrder);
    QTRY_VERIFY_WITH_TIMEOUT(!panel.model()->isLoading() && !panel.findChild<KeyTreeModel *>()->isOrdering(), 20000);
    QCOMPARE(proxy->index(0, 0).data(KeyTreeModel::PathRole).toString(), u"grp099"_s); // k104999, the newest
    panel.listAction()->trigger();
    auto *list = panel.findChild<QTableView *>(u"keyListView"_s);
    QCOMPARE(list->horizontalHeader()->sortIndicatorSection(), int(KeyListModel::RevisionColumn));
    QCOMPARE(list->model()->index(0, 0).data(KeyListModel::KeyRole).toString(), u"grp099.k104999"_s);
}

// The window selects a key it opened for the user (a new key, a match found): that one row, whatever
// keys are held down (Ctrl from Ctrl+N may still be, as the view sees it), never added to the last one.
void tst_KeyPanel::selectingAKeySelectsOnlyIt()
{
    KvBucket *bucket = makeBucket(u"selects"_s, 3);
    QVERIFY(bucket);
    m_panel->setBucket(bucket);
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    for (const bool tree : {false, true}) {
        m_panel->setTreeMode(tree);
        m_panel->selectKey(u"dev.1"_s);
        QCOMPARE(m_panel->selectedKeys(), QStringList{u"dev.1"_s});
        QWidget *view = m_panel->findChild<QAbstractItemView *>(tree ? u"keyTreeView"_s : u"keyListView"_s);
        QTest::keyPress(view, Qt::Key_Control, Qt::ControlModifier);
        m_panel->selectKey(u"dev.3"_s);
        QTest::keyRelease(view, Qt::Key_Control);
        QCOMPARE(m_panel->selectedKeys(), QStringList{u"dev.3"_s});
        QCOMPARE(m_panel->currentKey(), u"dev.3"_s);
    }
    m_panel->setTreeMode(false);
}

// The list taking the focus (Tab, Esc out of the as-of field) makes its first row current without
// selecting it, and a click below the last row does the same: neither is the user picking a key. Each
// opened the first key, one the user never chose.
void tst_KeyPanel::focusOrAClickBesideTheRowsOpensNoKey()
{
    KvBucket *bucket = makeBucket(u"unpicked"_s, 3);
    QVERIFY(bucket);
    m_panel->setBucket(bucket);
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QApplication::setActiveWindow(m_panel);
    QVERIFY(QTest::qWaitForWindowActive(m_panel));
    auto *view = m_panel->findChild<QAbstractItemView *>(u"keyListView"_s);
    view->selectionModel()->clear();
    m_panel->findChild<QWidget *>(u"keyFilter"_s)->setFocus(Qt::OtherFocusReason);
    QSignalSpy picked(m_panel, &KeyPanel::keySelected);

    view->setFocus(Qt::TabFocusReason);
    QTRY_VERIFY(view->hasFocus());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, QPoint(10, view->viewport()->height() - 5));
    QVERIFY2(picked.isEmpty(), qPrintable(picked.value(0).value(0).toString()));
    QVERIFY(m_panel->selectedKeys().isEmpty());
    QCOMPARE(m_panel->currentKey(), QString()); // what the window opens on leaving the as-of view

    // A row clicked, or reached with the arrows, is picked.
    QTest::keyClick(view, Qt::Key_Down);
    QTRY_COMPARE(picked.size(), 1);
    QCOMPARE(m_panel->selectedKeys().size(), 1);
}

// Down and Enter in the filter box left the focus there (only Tab reached the keys): both go to the list,
// on its first key when none is picked, as Down in the list itself would.
void tst_KeyPanel::downOrEnterInTheFilterGoesToTheKeys()
{
    KvBucket *bucket = makeBucket(u"filterdown"_s, 3);
    QVERIFY(bucket);
    m_panel->setBucket(bucket);
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QApplication::setActiveWindow(m_panel);
    QVERIFY(QTest::qWaitForWindowActive(m_panel));
    auto *view = m_panel->findChild<QAbstractItemView *>(u"keyListView"_s);
    auto *box = m_panel->findChild<QLineEdit *>(u"keyFilter"_s);
    for (const Qt::Key key : {Qt::Key_Down, Qt::Key_Return}) {
        view->selectionModel()->clear();
        box->clear();
        box->setFocus(Qt::OtherFocusReason);
        QTRY_VERIFY(box->hasFocus());
        QTest::keyClicks(box, u"dev"_s);
        QSignalSpy picked(m_panel, &KeyPanel::keySelected);
        QTest::keyClick(box, key);
        QTRY_VERIFY2(view->hasFocus(), key == Qt::Key_Down ? "Down" : "Return");
        QTRY_COMPARE(m_panel->selectedKeys(), QStringList{u"dev.1"_s});
        QCOMPARE(picked.size(), 1);
        // A key picked already stays picked: the focus alone moves.
        m_panel->selectKey(u"dev.2"_s);
        box->setFocus(Qt::OtherFocusReason);
        QTRY_VERIFY(box->hasFocus());
        QTest::keyClick(box, key);
        QTRY_VERIFY(view->hasFocus());
        QCOMPARE(m_panel->selectedKeys(), QStringList{u"dev.2"_s});
    }
    filter({}); // now: the next test's bucket is not filtered
}

// A save, a new key or a delete in a bucket that mirrors another goes to that bucket (as in every official
// client), and the mirror shows it once it has copied it: said where the bucket's keys are counted.
void tst_KeyPanel::saysWhereAMirrorsWritesGo()
{
    QVERIFY(makeBucket(u"origin"_s, 2));
    KvBucketConfig config;
    config.bucket = u"copy"_s;
    config.mirror.name = u"origin"_s;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_panel->setBucket(m_kv->bucket(u"copy"_s, this));
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QVERIFY2(status().endsWith(u" · a mirror of \"origin\": writes go there"_s), qPrintable(status()));
    m_panel->setBucket(m_kv->bucket(u"origin"_s, this));
    QTRY_VERIFY_WITH_TIMEOUT(loaded(), 10000);
    QCOMPARE(status(), u"3 keys"_s);
}

// A folder selected in the tree was left out of the selected keys: Export offered "The selected keys (0)"
// for it (a tryout). It stands for the keys shown under it, at any depth; a key node is itself only.
void tst_KeyPanel::aSelectedFolderGivesTheKeysUnderIt()
{
    KeyPanel panel;
    panel.resize(600, 400);
    panel.show();
    QList<KvEntry> entries;
    for (const char *key : {"multi.a", "multi.deep.b", "multi.deep.c", "other", "other.child"}) {
        KvEntry entry;
        entry.key = QString::fromLatin1(key);
        entry.revision = quint64(entries.size() + 1);
        entries.append(entry);
    }
    panel.model()->applyEntries(entries);
    QTRY_VERIFY(panel.model()->isSorted());
    panel.treeAction()->trigger();
    auto *tree = panel.findChild<QTreeView *>(u"keyTreeView"_s);
    QTRY_VERIFY(!panel.findChild<KeyTreeModel *>()->isBuilding());
    const auto select = [tree](const QString &path) {
        const QAbstractItemModel *model = tree->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (index.data(KeyTreeModel::PathRole).toString() == path) {
                tree->selectionModel()->select(index, QItemSelectionModel::Select | QItemSelectionModel::Rows);
                return true;
            }
        }
        return false;
    };
    QVERIFY(select(u"multi"_s));
    QCOMPARE(panel.selectedKeys(), (QStringList{u"multi.a"_s, u"multi.deep.b"_s, u"multi.deep.c"_s}));
    QSignalSpy changed(&panel, &KeyPanel::selectionChanged);
    QVERIFY(select(u"other"_s)); // a key with keys below it: itself
    QCOMPARE(panel.selectedKeys(), (QStringList{u"multi.a"_s, u"multi.deep.b"_s, u"multi.deep.c"_s, u"other"_s}));
    QCOMPARE(changed.size(), 1); // what the Delete and Purge actions count again

    // Counted for the actions' "Delete 4 Keys…" without listing a large folder: past the limit, "many".
    QString only;
    QCOMPARE(panel.selectedKeyCount(10, &only), 4);
    QCOMPARE(only, QString());
    QCOMPARE(panel.selectedKeyCount(2, &only), -1);
    tree->selectionModel()->clearSelection();
    QVERIFY(select(u"other"_s));
    QCOMPARE(panel.selectedKeyCount(10, &only), 1);
    QCOMPARE(only, u"other"_s);
    panel.listAction()->trigger();
    QVERIFY(changed.size() >= 3); // the list shown: its own selection
    auto *list = panel.findChild<QTableView *>(u"keyListView"_s);
    list->selectAll();
    QCOMPARE(panel.selectedKeyCount(2, &only), 5); // rows of the list: counted whatever their number
}

QTEST_MAIN(tst_KeyPanel)

#include "tst_keypanel.moc"
