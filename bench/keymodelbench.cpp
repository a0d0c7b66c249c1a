// keymodelbench: how the key list behaves with very large buckets, without a server: entries are fed
// to KeyListModel in the batches the watcher produces, through the models the window uses (the list's
// KeyListFilterModel, the tree's KeyFilterProxyModel), then the event loop runs the sort (and the tree's
// build) in steps, as the window's would. Prints:
//   load     the time to take the keys in, and the slowest batch;
//   stall    the longest event-loop turn after the last key (sort, tree build): what a user feels as a freeze;
//   switch   list -> tree: the time until the tree is built from the keys at hand (no download), and its
//            longest turn;
//   then, for each of: text filters on list and tree (the tree's opening its matching folders as the window
//   does), clearing them, a server filter applied to what is loaded and cleared, sorting list and tree by
//   revision and back by key: the time until done and the longest event-loop turn, and whether what the
//   models then show is right (counts from the models, the order);
//   memory   resident growth per key beyond the key's own bytes, and the models' own accounting.
//
// With --view the list and the tree are shown in views (offscreen), as in the window: their layout work
// counts too.
//
//   keymodelbench [--keys N] [--batch N] [--plain] [--view]

#include "keyfilterproxymodel.h"
#include "keylistfiltermodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"
#include "procmemory.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// An event-loop turn: wall time, and this thread's CPU time (what the turn costs; on a shared machine
// the wall time includes waiting for a core).
struct Turn
{
    double wallMs = 0;
    double cpuMs = 0;
};

Turn maxOf(Turn a, Turn b)
{
    return {std::max(a.wallMs, b.wallMs), std::max(a.cpuMs, b.cpuMs)};
}

template<typename Work>
Turn timeTurn(Work work)
{
    QElapsedTimer wall;
    wall.start();
    const qint64 cpu = threadCpuNs();
    work();
    return {double(wall.nsecsElapsed()) / 1e6, double(threadCpuNs() - cpu) / 1e6};
}

// Runs the event loop until done() holds; returns the longest turn (and the last one).
Turn runTurns(const std::function<bool()> &done, Turn *last = nullptr)
{
    Turn longest;
    while (!done()) {
        const Turn turn = timeTurn([] { QCoreApplication::processEvents(QEventLoop::AllEvents); });
        longest = maxOf(longest, turn);
        if (last)
            *last = turn;
    }
    return longest;
}

// One user action (a turn of its own), the event loop until done(), then what the window does next in
// the same turn (then: keypanel opens a filter's folders when it takes effect): prints the time it all
// took and the longest turn, and whether check() holds.
void measure(const char *what, const std::function<void()> &action, const std::function<bool()> &done,
             const std::function<QString()> &check, const std::function<void()> &then = {})
{
    QElapsedTimer total;
    total.start();
    Turn last = timeTurn(action);
    Turn longest = maxOf(last, runTurns(done, &last));
    if (then) {
        const Turn more = timeTurn(then);
        longest = maxOf(longest, {last.wallMs + more.wallMs, last.cpuMs + more.cpuMs});
    }
    const qint64 ms = total.elapsed();
    printf("  %-44s %6lld ms, longest turn %5.1f ms (CPU %5.1f)  %s\n", what, ms, longest.wallMs, longest.cpuMs,
           qPrintable(check()));
    fflush(stdout);
}

QString keyOf(int i)
{
    return u"tenant.%1.device.%2.state"_s.arg(i % 97).arg(i);
}

// What keypanel's expandMatches does after a filter: opens up to 200 folders, visiting 20,000 rows.
void openMatches(QAbstractItemModel *proxy, QTreeView *view)
{
    int opened = 0;
    int visits = 0;
    std::vector<QModelIndex> stack{QModelIndex()};
    while (!stack.empty() && opened < 200 && visits < 20000) {
        const QModelIndex parent = stack.back();
        stack.pop_back();
        if (parent.isValid()) {
            if (proxy->rowCount(parent) == 0)
                continue;
            if (view->model())
                view->expand(parent);
            ++opened;
        }
        const int rows = std::min(proxy->rowCount(parent), 20000 - visits);
        visits += rows;
        for (int row = rows - 1; row >= 0; --row)
            stack.push_back(proxy->index(row, 0, parent));
    }
}

QString verdict(bool ok, const QString &what)
{
    return (ok ? u"ok: "_s : u"WRONG: "_s) + what;
}

} // namespace

namespace {

struct Bench
{
    int keys = 0;
    KeyListModel *list = nullptr;
    KeyListFilterModel *listProxy = nullptr;
    KeyTreeModel *tree = nullptr;
    KeyFilterProxyModel *treeProxy = nullptr;
    QTreeView *treeView = nullptr;
};

int expectedMatches(int keys, const QString &text)
{
    int n = 0;
    for (int i = 0; i < keys; ++i)
        n += keyOf(i).contains(text, Qt::CaseInsensitive) ? 1 : 0;
    return n;
}

// The newest revision at or below a node of the tree's proxy.
quint64 newestBelow(const QAbstractItemModel *proxy, const QModelIndex &index)
{
    quint64 newest = index.data(KeyListModel::RevisionRole).toULongLong();
    for (int row = 0; row < proxy->rowCount(index); ++row)
        newest = std::max(newest, newestBelow(proxy, proxy->index(row, 0, index)));
    return newest;
}

QModelIndex childNamed(const QAbstractItemModel *proxy, const QModelIndex &parent, const QString &path)
{
    for (int row = 0; row < proxy->rowCount(parent); ++row) {
        if (proxy->index(row, 0, parent).data(KeyTreeModel::PathRole).toString() == path)
            return proxy->index(row, 0, parent);
    }
    return {};
}

QString checkTreeByRevision(const Bench &b)
{
    // The folders of tenant.5.device (one key each) by their key's revision, newest first; the tenants
    // by their newest key.
    const QAbstractItemModel *proxy = b.treeProxy;
    const QModelIndex tenant = childNamed(proxy, {}, u"tenant"_s);
    const QModelIndex device = childNamed(proxy, childNamed(proxy, tenant, u"tenant.5"_s), u"tenant.5.device"_s);
    quint64 previous = std::numeric_limits<quint64>::max();
    for (int row = 0; row < proxy->rowCount(device); ++row) {
        const quint64 newest = newestBelow(proxy, proxy->index(row, 0, device));
        if (newest > previous)
            return verdict(false, u"tenant.5.device row %1 out of order"_s.arg(row));
        previous = newest;
    }
    previous = std::numeric_limits<quint64>::max();
    for (int row = 0; row < proxy->rowCount(tenant); ++row) {
        const int n = proxy->index(row, 0, tenant).data(KeyTreeModel::PathRole).toString().section(u'.', 1).toInt();
        const auto newest = quint64((b.keys - 1 - n) / 97 * 97 + n + 1);
        if (newest > previous)
            return verdict(false, u"tenant row %1 out of order"_s.arg(row));
        previous = newest;
    }
    return verdict(proxy->rowCount(device) > 0,
                   u"%1 folders under tenant.5.device by revision"_s.arg(proxy->rowCount(device)));
}

QString checkListOrder(const Bench &b, bool byRevision)
{
    const KeyStore &store = b.list->store();
    for (int row = 1; row < b.list->rowCount(); ++row) {
        const quint32 a = b.list->idAt(row - 1);
        const quint32 c = b.list->idAt(row);
        if (byRevision ? store.revision(a) < store.revision(c)
                       : KeyCollation::compare(store.key(a), store.key(c), b.list->collation()) > 0)
            return verdict(false, u"row %1 out of order"_s.arg(row));
    }
    return verdict(b.listProxy->rowCount() == b.keys, u"%1 rows in order"_s.arg(b.listProxy->rowCount()));
}

QString checkTreeFilter(const Bench &b, int expected, bool opened = true)
{
    // The count from the tree, and a matching key reached through the opened folders.
    const auto count = int(b.tree->matchCountOf({}));
    QModelIndex at;
    while (b.treeProxy->rowCount(at) > 0)
        at = b.treeProxy->index(0, 0, at);
    const bool open = !opened || !at.isValid() || b.treeView->isExpanded(at.parent()) || !b.treeView->model();
    return verdict(count == expected && open, u"%1 keys counted, %2 expected"_s.arg(count).arg(expected));
}

void filters(Bench &b)
{
    auto *listProxy = b.listProxy;
    auto *treeProxy = b.treeProxy;
    const auto listDone = [=] { return !listProxy->isFiltering(); };
    const auto treeDone = [=] { return !treeProxy->isFiltering(); };
    const auto listCount = [=](int expected) {
        return [=] {
            return verdict(listProxy->rowCount() == expected,
                           u"%1 rows, %2 expected"_s.arg(listProxy->rowCount()).arg(expected));
        };
    };
    const int narrow = expectedMatches(b.keys, u"device.4242"_s);
    const int wide = expectedMatches(b.keys, u"state"_s);
    const int tenant5 = (b.keys - 1 - 5) / 97 + 1;
    measure(
        "list: text filter device.4242", [=] { listProxy->setTextFilter(u"device.4242"_s); }, listDone,
        listCount(narrow));
    measure(
        "list: clear it", [=] { listProxy->setTextFilter({}); }, listDone, listCount(b.keys));
    measure(
        "list: server filter tenant.5.> on loaded keys", [=] { listProxy->setSubjectFilters({u"tenant.5.>"_s}); },
        listDone, listCount(tenant5));
    measure(
        "list: clear it", [=] { listProxy->setSubjectFilters({}); }, listDone, listCount(b.keys));
    const auto open = [&b] { openMatches(b.treeProxy, b.treeView); };
    // As keypanel does: the folders a filter opened are closed before the next one (else the view lays
    // out thousands of rows of an opened folder again).
    const auto treeFilter = [&b](const QString &text) {
        if (b.treeView->model())
            b.treeView->collapseAll();
        b.treeProxy->setTextFilter(text);
    };
    measure(
        "tree: text filter device.4242, open matches", [=] { treeFilter(u"device.4242"_s); }, treeDone,
        [&b, narrow] { return checkTreeFilter(b, narrow); }, open);
    measure(
        "tree: wide text filter state, open matches", [=] { treeFilter(u"state"_s); }, treeDone,
        [&b, wide] { return checkTreeFilter(b, wide); }, open);
    measure(
        "tree: clear it", [=] { treeFilter({}); }, treeDone, [&b] { return checkTreeFilter(b, b.keys, false); });
}

void sorts(Bench &b)
{
    KeyListModel *list = b.list;
    KeyTreeModel *tree = b.tree;
    const auto listDone = [=] { return !list->isLoading(); };
    const auto treeDone = [=] { return !list->isLoading() && !tree->isOrdering(); };
    measure(
        "list: sort by revision, descending",
        [&b] { b.listProxy->sort(KeyListModel::RevisionColumn, Qt::DescendingOrder); }, listDone,
        [&b] { return checkListOrder(b, true); });
    measure(
        "list: back to the key order", [&b] { b.listProxy->sort(KeyListModel::KeyColumn, Qt::AscendingOrder); },
        listDone, [&b] { return checkListOrder(b, false); });
    // Then a folder of 10,000 keys opened (its rows mapped, as a view does when it is expanded).
    const auto openDevices = [&b] {
        const QAbstractItemModel *proxy = b.treeProxy;
        const QModelIndex tenant = childNamed(proxy, childNamed(proxy, {}, u"tenant"_s), u"tenant.5"_s);
        (void)proxy->rowCount(childNamed(proxy, tenant, u"tenant.5.device"_s));
    };
    measure(
        "tree: sort by revision, open a folder",
        [&b] { b.treeProxy->sort(KeyListModel::RevisionColumn, Qt::DescendingOrder); }, treeDone,
        [&b] { return checkTreeByRevision(b); }, openDevices);
    measure(
        "tree: back to the key order", [&b] { b.treeProxy->sort(KeyListModel::KeyColumn, Qt::AscendingOrder); },
        treeDone, [] { return u"done"_s; });
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption keysOption(u"keys"_s, u"keys to load"_s, u"n"_s, u"100000"_s);
    const QCommandLineOption batchOption(u"batch"_s, u"entries per model update"_s, u"n"_s, u"5000"_s);
    const QCommandLineOption plainOption(u"plain"_s, u"plain byte order instead of natural order"_s);
    const QCommandLineOption viewOption(u"view"_s, u"show the list and the tree in views, as the window does"_s);
    parser.addOptions({keysOption, batchOption, plainOption, viewOption});
    parser.process(app);
    const int keys = parser.value(keysOption).toInt();
    const int batch = parser.value(batchOption).toInt();
    const bool views = parser.isSet(viewOption);

    qint64 keyBytes = 0;
    for (int i = 0; i < keys; ++i)
        keyBytes += keyOf(i).size(); // ASCII: UTF-8 bytes = characters
    const qint64 before = ProcMemory::residentKiB();
    Bench b;
    b.keys = keys;
    b.list = new KeyListModel(&app);
    b.list->setCollation(parser.isSet(plainOption) ? KeyCollation::Order::Plain : KeyCollation::Order::Natural);
    b.listProxy = new KeyListFilterModel(b.list, &app);
    b.listProxy->sort(KeyListModel::KeyColumn);
    QTableView listView; // as the window's key list: a table, one fixed row height
    if (views) {
        listView.verticalHeader()->hide();
        listView.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        listView.setModel(b.listProxy);
        listView.resize(600, 400);
        listView.show();
    }

    QElapsedTimer total;
    total.start();
    qint64 slowestNs = 0;
    b.list->beginInitialLoad(quint64(keys)); // as the watcher tells after its first key
    for (int first = 0; first < keys; first += batch) {
        QList<KvEntry> entries;
        entries.reserve(batch);
        for (int i = first; i < std::min(keys, first + batch); ++i) {
            KvEntry entry;
            entry.key = keyOf(i);
            entry.revision = quint64(i + 1);
            entry.created = QDateTime::currentDateTimeUtc();
            entry.valueSize = 200;
            entries.append(entry);
        }
        QElapsedTimer one;
        one.start();
        b.list->applyEntries(entries);
        (void)b.listProxy->rowCount(); // as a view would
        if (views)
            QCoreApplication::processEvents(); // the view lays the rows out
        slowestNs = std::max(slowestNs, one.nsecsElapsed());
    }
    const qint64 loadMs = total.elapsed();
    QElapsedTimer sortTimer;
    sortTimer.start();
    b.list->endInitialLoad();
    const Turn sortStall = runTurns([&] { return !b.list->isLoading(); });
    (void)b.listProxy->rowCount();
    const qint64 sortMs = sortTimer.elapsed();

    QElapsedTimer switchTimer;
    switchTimer.start();
    b.tree = new KeyTreeModel(b.list, &app);
    b.treeProxy = new KeyFilterProxyModel(&app);
    b.treeProxy->setSourceModel(b.tree);
    b.treeProxy->sort(KeyListModel::KeyColumn);
    QTreeView treeView;
    b.treeView = &treeView;
    if (views) {
        treeView.setUniformRowHeights(true);
        treeView.setModel(b.treeProxy);
        treeView.resize(600, 400);
        treeView.show();
    }
    const Turn switchStall = runTurns([&] { return !b.tree->isBuilding(); });
    (void)b.treeProxy->rowCount();
    const qint64 switchMs = switchTimer.elapsed();
    const qint64 after = ProcMemory::residentKiB();

    const double perKey = double(after - before) * 1024.0 / keys - double(keyBytes) / keys;
    printf("keys %d (%.1f bytes each), batch %d, %s order, list + tree%s\n", keys, double(keyBytes) / keys, batch,
           parser.isSet(plainOption) ? "plain" : "natural", views ? ", in views" : "");
    printf("load: %lld ms, slowest batch %.1f ms (%.0f keys/s)\n", loadMs, double(slowestNs) / 1e6,
           keys * 1000.0 / double(std::max<qint64>(loadMs, 1)));
    printf("end of load: sorted in %lld ms, longest event-loop turn %.1f ms (CPU %.1f)\n", sortMs, sortStall.wallMs,
           sortStall.cpuMs);
    printf("switch to tree: built in %lld ms (%lld nodes), longest event-loop turn %.1f ms (CPU %.1f)\n", switchMs,
           qint64(b.tree->nodeCount()), switchStall.wallMs, switchStall.cpuMs);
    printf("memory: %.0f bytes per key beyond the key (resident %lld KiB before, %lld KiB after)\n", perKey, before,
           after);
    printf("models' own accounting: list %.1f, tree %.1f bytes per key beyond the key\n",
           double(b.list->bytesUsed() - keyBytes) / keys, double(b.tree->bytesUsed()) / keys);
    printf("filters and sorts (time until done, longest event-loop turn, what the models show):\n");
    fflush(stdout);
    filters(b);
    sorts(b);
    return 0;
}
