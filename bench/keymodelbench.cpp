// keymodelbench: how the key list behaves with very large buckets, without a server: entries are fed
// to KeyListModel in the batches the watcher produces, through the filtering proxy the window uses, then
// the event loop runs the sort (and the tree's build) in steps, as the window's would. Prints:
//   load     the time to take the keys in, and the slowest batch;
//   stall    the longest event-loop turn after the last key (sort, tree build): what a user feels as a freeze;
//   switch   list -> tree: the time until the tree is built from the keys at hand (no download), and its
//            longest turn;
//   filter   a text filter over everything, clearing it, and a server filter applied to what is loaded;
//   memory   resident growth per key beyond the key's own bytes, and the models' own accounting.
//
// With --view the list and the tree are shown in views (offscreen), as in the window: their layout work
// counts too.
//
//   keymodelbench [--keys N] [--batch N] [--plain] [--view]

#include "keyfilterproxymodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtWidgets/QApplication>
#include <QtWidgets/QTreeView>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

qint64 residentKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Runs the event loop until done() holds; returns the longest turn in ms.
template<typename Done>
double runUntil(Done done)
{
    qint64 longest = 0;
    while (!done()) {
        QElapsedTimer turn;
        turn.start();
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        longest = std::max(longest, turn.nsecsElapsed());
    }
    return double(longest) / 1e6;
}

QString keyOf(int i)
{
    return u"tenant.%1.device.%2.state"_s.arg(i % 97).arg(i);
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

    qint64 keyBytes = 0;
    for (int i = 0; i < keys; ++i)
        keyBytes += keyOf(i).size(); // ASCII: UTF-8 bytes = characters
    const qint64 before = residentKiB();
    auto *list = new KeyListModel(&app);
    list->setCollation(parser.isSet(plainOption) ? KeyCollation::Order::Plain : KeyCollation::Order::Natural);
    auto *proxy = new KeyFilterProxyModel(&app);
    proxy->setSourceModel(list);
    proxy->sort(KeyListModel::KeyColumn);
    QTreeView listView;
    if (parser.isSet(viewOption)) {
        listView.setUniformRowHeights(true);
        listView.setRootIsDecorated(false);
        listView.setModel(proxy);
        listView.resize(600, 400);
        listView.show();
    }

    QElapsedTimer total;
    total.start();
    qint64 slowestNs = 0;
    list->beginInitialLoad(quint64(keys)); // as the watcher tells after its first key
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
        list->applyEntries(entries);
        (void)proxy->rowCount(); // as a view would
        if (parser.isSet(viewOption))
            QCoreApplication::processEvents(); // the view lays the rows out
        slowestNs = std::max(slowestNs, one.nsecsElapsed());
    }
    const qint64 loadMs = total.elapsed();
    QElapsedTimer sortTimer;
    sortTimer.start();
    list->endInitialLoad();
    const double sortStall = runUntil([&] { return !list->isLoading(); });
    (void)proxy->rowCount();
    const qint64 sortMs = sortTimer.elapsed();

    QElapsedTimer switchTimer;
    switchTimer.start();
    auto *tree = new KeyTreeModel(list, &app);
    auto *treeProxy = new KeyFilterProxyModel(&app);
    treeProxy->setSourceModel(tree);
    treeProxy->sort(KeyListModel::KeyColumn);
    QTreeView treeView;
    if (parser.isSet(viewOption)) {
        treeView.setUniformRowHeights(true);
        treeView.setModel(treeProxy);
        treeView.resize(600, 400);
        treeView.show();
    }
    const double switchStall = runUntil([&] { return !tree->isBuilding(); });
    (void)treeProxy->rowCount();
    const qint64 switchMs = switchTimer.elapsed();
    const qint64 after = residentKiB();

    QElapsedTimer filter;
    filter.start();
    proxy->setTextFilter(u"device.4242"_s);
    const int matches = proxy->rowCount();
    const qint64 filterMs = filter.elapsed();
    filter.restart();
    proxy->setTextFilter({});
    (void)proxy->rowCount();
    const qint64 clearMs = filter.elapsed();
    filter.restart();
    proxy->setSubjectFilters({u"tenant.5.>"_s});
    const int subjectMatches = proxy->rowCount();
    proxy->setSubjectFilters({});
    (void)proxy->rowCount();
    const qint64 subjectMs = filter.elapsed();

    const double perKey = double(after - before) * 1024.0 / keys - double(keyBytes) / keys;
    printf("keys %d (%.1f bytes each), batch %d, %s order, list + tree\n", keys, double(keyBytes) / keys, batch,
           parser.isSet(plainOption) ? "plain" : "natural");
    printf("load: %lld ms, slowest batch %.1f ms (%.0f keys/s)\n", loadMs, double(slowestNs) / 1e6,
           keys * 1000.0 / double(std::max<qint64>(loadMs, 1)));
    printf("end of load: sorted in %lld ms, longest event-loop turn %.1f ms\n", sortMs, sortStall);
    printf("switch to tree: built in %lld ms (%lld nodes), longest event-loop turn %.1f ms\n", switchMs,
           qint64(tree->nodeCount()), switchStall);
    printf("text filter over all keys: %lld ms (%d matches), clearing it: %lld ms\n", filterMs, matches, clearMs);
    printf("server filter on loaded keys, then cleared: %lld ms (%d matches)\n", subjectMs, subjectMatches);
    printf("memory: %.0f bytes per key beyond the key (resident %lld KiB before, %lld KiB after)\n", perKey, before,
           after);
    printf("models' own accounting: list %.1f, tree %.1f bytes per key beyond the key\n",
           double(list->bytesUsed() - keyBytes) / keys, double(tree->bytesUsed()) / keys);
    return 0;
}
