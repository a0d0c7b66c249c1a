// keymodelbench: how the key list behaves with very large buckets, without a server: entries are fed
// to KeyListModel in the batches the watcher produces, through the sorting/filtering proxy the window
// uses (and the tree, with --tree). Prints the slowest batch (what the user would feel as a stall),
// the total, a text filter over everything, and the memory each key costs.
//
//   keymodelbench [--keys N] [--batch N] [--tree]

#include "keyfilterproxymodel.h"
#include "keylistmodel.h"
#include "keytreemodel.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtGui/QGuiApplication>

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

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption keysOption(u"keys"_s, u"keys to load"_s, u"n"_s, u"100000"_s);
    const QCommandLineOption batchOption(u"batch"_s, u"entries per model update"_s, u"n"_s, u"2000"_s);
    const QCommandLineOption treeOption(u"tree"_s, u"also build the tree view's model"_s);
    const QCommandLineOption liveSortOption(
        u"live-sort"_s, u"keep the proxy sorted during the load (the panel sorts once at the end)"_s);
    parser.addOptions({keysOption, batchOption, treeOption, liveSortOption});
    parser.process(app);
    const int keys = parser.value(keysOption).toInt();
    const int batch = parser.value(batchOption).toInt();

    const qint64 before = residentKiB();
    KeyListModel list;
    KeyFilterProxyModel proxy;
    proxy.setSourceModel(&list);
    proxy.sort(KeyListModel::KeyColumn);
    KeyTreeModel *tree = parser.isSet(treeOption) ? new KeyTreeModel(&list, &app) : nullptr;

    // As KeyPanel does: no sorted inserts while the initial keys stream in, one sort at the end.
    proxy.setDynamicSortFilter(parser.isSet(liveSortOption));
    QElapsedTimer total;
    total.start();
    qint64 slowestNs = 0;
    for (int first = 0; first < keys; first += batch) {
        QList<KvEntry> entries;
        entries.reserve(batch);
        for (int i = first; i < std::min(keys, first + batch); ++i) {
            KvEntry entry;
            entry.key = u"tenant.%1.device.%2.state"_s.arg(i % 97).arg(i);
            entry.revision = quint64(i + 1);
            entry.created = QDateTime::currentDateTimeUtc();
            entry.valueSize = 200;
            entries.append(entry);
        }
        QElapsedTimer one;
        one.start();
        list.applyEntries(entries);
        slowestNs = std::max(slowestNs, one.nsecsElapsed());
    }
    QElapsedTimer sortTimer;
    sortTimer.start();
    proxy.setDynamicSortFilter(true);
    proxy.sort(KeyListModel::KeyColumn);
    const qint64 sortMs = sortTimer.elapsed();
    const qint64 loadMs = total.elapsed();
    const qint64 after = residentKiB();

    QElapsedTimer filter;
    filter.start();
    // rowCount() makes the proxy build its mapping, as a view would when it repaints.
    proxy.setTextFilter(u"device.4242"_s);
    const int matches = proxy.rowCount();
    const qint64 filterMs = filter.elapsed();
    filter.restart();
    proxy.setTextFilter({});
    (void)proxy.rowCount();
    const qint64 clearMs = filter.elapsed();

    printf("keys %d, batch %d, sorted proxy%s\n", keys, batch, tree ? " + tree" : "");
    printf("load: %lld ms total, slowest batch %.1f ms (%.0f keys/s)\n", loadMs, double(slowestNs) / 1e6,
           keys * 1000.0 / double(std::max<qint64>(loadMs, 1)));
    printf("final sort: %lld ms\n", sortMs);
    printf("text filter over all keys: %lld ms (%d matches), clearing it: %lld ms\n", filterMs, matches, clearMs);
    printf("memory: %.0f bytes per key (resident %lld KiB before, %lld KiB after)\n",
           double(after - before) * 1024.0 / keys, before, after);
    return 0;
}
