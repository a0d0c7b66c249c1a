// keypanelbench: the window's key panel (list and tree views, proxies, status line) at a million keys,
// without a server: entries are fed to its KeyListModel one batch per event-loop turn, as the watcher's
// would arrive, then the panel is used as a person would (the tree, a text filter, a sort by revision).
// For each step it prints how long it took and the longest event-loop stall: the longest time between two
// turns of a 1 ms timer, which counts the views' layout and painting too (offscreen), in wall time and in
// this thread's CPU time (what the turn costs when the machine is shared; the wall time includes waiting
// for a core).
//
//   keypanelbench [--keys 1000000] [--batch 5000] [--turns MS]

#include "keyfilterproxymodel.h"
#include "keylistfiltermodel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "keytreemodel.h"
#include "stallmeter.h"
#include "timedapplication.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtWidgets/QApplication>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTreeView>

#include <cstdio>
#include <ctime>
#include <functional>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

// Runs the event loop until done() holds, then prints the step's time and longest stall.
void step(StallMeter *meter, const char *name, const std::function<void()> &start, const std::function<bool()> &done)
{
    QElapsedTimer clock;
    clock.start();
    meter->reset();
    start();
    while (!done())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    // Two more turns: the views lay out and paint what the last step changed.
    for (int i = 0; i < 2; ++i)
        QCoreApplication::processEvents();
    meter->tick();
    printf("%-34s %7lld ms, longest stall %6.1f ms (%6.1f ms CPU)\n", name, clock.elapsed(), meter->longestMs(),
           meter->longestCpuMs());
    auto *app = static_cast<TimedApplication *>(QCoreApplication::instance());
    for (const QString &line : app->takeSlowEvents())
        printf("    %s\n", qPrintable(line));
    fflush(stdout);
}

// The keys, made before the load: the watcher hands the model entries whose keys it has already decoded,
// so formatting them here would only add the bench's own cost to the turns measured.
QStringList makeKeys(int count)
{
    QStringList keys;
    keys.reserve(count);
    for (int i = 0; i < count; ++i)
        keys.append(u"tenant.%1.device.%2.state"_s.arg(i % 97).arg(i));
    return keys;
}

KvEntry entryOf(const QStringList &keys, int i, const QDateTime &created)
{
    KvEntry entry;
    entry.key = keys[i];
    entry.revision = quint64(i + 1);
    entry.created = created;
    entry.valueSize = 200;
    return entry;
}

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    TimedApplication app(argc, argv);
    QCoreApplication::setOrganizationName(u"kvdesk-bench"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption keysOption(u"keys"_s, u"keys to load"_s, u"n"_s, u"1000000"_s);
    const QCommandLineOption batchOption(u"batch"_s, u"entries per model update"_s, u"n"_s, u"5000"_s);
    parser.addOptions({keysOption, batchOption});
    TimedApplication::addTurnsOption(&parser);
    parser.process(app);
    app.readTurnsOption(parser);
    const int keys = parser.value(keysOption).toInt();
    const int batch = parser.value(batchOption).toInt();

    KeyPanel panel;
    panel.resize(900, 700);
    panel.show();
    KeyListModel *list = panel.model();
    StallMeter meter;
    printf("keys %d, batch %d, key panel shown offscreen\n", keys, batch);

    const QStringList keyNames = makeKeys(keys);
    const QDateTime created = QDateTime::currentDateTimeUtc();
    int fed = 0;
    QTimer feeder;
    feeder.setInterval(0);
    QObject::connect(&feeder, &QTimer::timeout, [&] {
        QList<KvEntry> entries;
        entries.reserve(batch);
        for (int i = fed; i < std::min(keys, fed + batch); ++i)
            entries.append(entryOf(keyNames, i, created));
        fed += int(entries.size());
        list->applyEntries(entries);
        if (fed >= keys) {
            feeder.stop();
            list->endInitialLoad();
        }
    });
    step(
        &meter, "load (keys arriving, then sort)",
        [&] {
            list->beginInitialLoad(quint64(keys));
            feeder.start();
        },
        [&] { return fed >= keys && !list->isLoading(); });

    auto *box = panel.findChild<QLineEdit *>(u"keyFilter"_s);
    const auto filter = [&](const QString &text) {
        box->setText(text);
        Q_EMIT box->returnPressed();
    };
    // A filter over many keys is matched in steps: a filter step lasts until the models show it.
    const auto filtered = [&] {
        const auto *listProxy = panel.findChild<KeyListFilterModel *>();
        const auto *treeProxy = panel.findChild<KeyFilterProxyModel *>();
        return !(listProxy && listProxy->isFiltering()) && !(treeProxy && treeProxy->isFiltering());
    };
    auto *listView = panel.findChild<QTableView *>(u"keyListView"_s);
    const auto sortedBy = [&](auto *view, int column, Qt::SortOrder order) { view->sortByColumn(column, order); };
    step(
        &meter, "sort by revision, descending",
        [&] { sortedBy(listView, KeyListModel::RevisionColumn, Qt::DescendingOrder); },
        [&] { return !list->isLoading(); });
    step(
        &meter, "sort by key again", [&] { sortedBy(listView, KeyListModel::KeyColumn, Qt::AscendingOrder); },
        [&] { return !list->isLoading(); });
    step(
        &meter, "text filter (list)", [&] { filter(u"device.4242"_s); }, filtered);
    step(
        &meter, "clear the filter (list)", [&] { filter({}); }, filtered);
    step(
        &meter, "switch to the tree (build)", [&] { panel.treeAction()->trigger(); },
        [&] {
            auto *tree = panel.findChild<KeyTreeModel *>();
            return tree && !tree->isBuilding();
        });
    step(
        &meter, "text filter (tree, opens folders)", [&] { filter(u"device.4242"_s); }, filtered);
    step(
        &meter, "wide text filter (tree)", [&] { filter(u"state"_s); }, filtered);
    step(
        &meter, "clear the filter (tree)", [&] { filter({}); }, filtered);
    step(
        &meter, "back to the list", [&] { panel.listAction()->trigger(); }, [] { return true; });
    return 0;
}
