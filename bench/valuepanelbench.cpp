// valuepanelbench: the window's value panel opening a large value, as a person would: a 2 MiB JSON value on
// one line (minified), then one character typed into it, then the save. For each step it prints how long
// it took and the longest event-loop stall: the longest time between two turns of a 1 ms timer, which counts
// the editor's layout, highlighting and painting too (offscreen), in wall time and in this thread's CPU time.
// The value lives on a nats-server of its own (max_payload raised for it). Each step runs the loop for
// --settle ms after it is done, so work the panel leaves for later turns is measured too.
//
// With --turns MS it lists the events that took more than MS ms of CPU time (TimedApplication).
//
//   valuepanelbench [--size 2097152] [--settle 3000] [--turns MS]

#include "benchsupport.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvreply.h"
#include "stallmeter.h"
#include "timedapplication.h"
#include "valuepanel.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QKeyEvent>
#include <QtWidgets/QPlainTextEdit>

#include <cstdio>
#include <ctime>
#include <functional>

using namespace Qt::StringLiterals;

namespace {

// Runs the event loop until done() holds and settleMs more, then prints the step's time and longest stall.
void step(StallMeter *meter, const char *name, int settleMs, const std::function<void()> &start,
          const std::function<bool()> &done)
{
    QElapsedTimer clock;
    clock.start();
    meter->reset();
    start();
    while (!done()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        if (clock.elapsed() > 120000)
            Bench::fail(u"%1: not done after 120 s"_s.arg(QString::fromLatin1(name)));
    }
    const qint64 took = clock.elapsed();
    QElapsedTimer settle;
    settle.start();
    while (settle.elapsed() < settleMs)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    std::printf("%-34s %8lld ms   longest stall %7.1f ms (cpu %7.1f ms)\n", name, took, meter->longestMs(),
                meter->longestCpuMs());
    for (const QString &line : static_cast<TimedApplication *>(QCoreApplication::instance())->takeSlowEvents())
        std::printf("    %s\n", qPrintable(line));
    std::fflush(stdout);
}

// Minified JSON of about size bytes on one line: objects with a number, strings, a flag and an array.
QByteArray minifiedJson(qsizetype size)
{
    QByteArray out = "[";
    for (int i = 0; out.size() < size; ++i) {
        if (i > 0)
            out += ',';
        out += R"({"id":)" + QByteArray::number(i) + R"(,"name":"item number )" + QByteArray::number(i)
            + R"(","price":)" + QByteArray::number(i * 1.25) + R"(,"ok":true,"tags":["a","b"]})";
    }
    return out + "]";
}

bool waitFor(NatsReply *reply)
{
    return Bench::wait(reply);
}

} // namespace

int main(int argc, char **argv)
{
    TimedApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption sizeOption(u"size"_s, u"Bytes of the JSON value."_s, u"bytes"_s, u"2097152"_s);
    const QCommandLineOption settleOption(u"settle"_s, u"Milliseconds of loop after each step."_s, u"ms"_s, u"3000"_s);
    parser.addOptions({sizeOption, settleOption});
    TimedApplication::addTurnsOption(&parser);
    parser.process(app);
    app.readTurnsOption(parser);
    const qsizetype size = parser.value(sizeOption).toLongLong();
    const int settleMs = parser.value(settleOption).toInt();

    BenchServer server;
    const QString url = server.start("max_payload: 8MB\n");
    const auto client = Bench::connect(KvClientOptions::fromUrl(url));
    KvBucketConfig config;
    config.bucket = u"bench"_s;
    if (!waitFor(client->kv()->createBucket(config)))
        Bench::fail(u"cannot create the bucket"_s);
    KvBucket *bucket = client->kv()->bucket(config.bucket, &app);
    const QByteArray json = minifiedJson(size);
    if (!waitFor(bucket->put(u"big"_s, json)))
        Bench::fail(u"cannot put the value"_s);
    std::printf("value: %lld bytes of JSON on one line\n", qlonglong(json.size()));

    ValuePanel panel;
    panel.resize(900, 700);
    panel.show();
    panel.setBucket(bucket, nullptr, false);
    auto *editor = panel.findChild<QPlainTextEdit *>(u"valueEditor"_s);
    StallMeter meter;

    step(
        &meter, "open (until the value is shown)", settleMs, [&] { panel.openKey(u"big"_s); },
        [&] { return panel.openedRevision() > 0 && editor->document()->characterCount() > 1; });
    step(
        &meter, "type one character", settleMs,
        [&] {
            editor->setFocus();
            editor->moveCursor(QTextCursor::Start);
            editor->moveCursor(QTextCursor::Right);
            QKeyEvent press(QEvent::KeyPress, Qt::Key_Space, Qt::NoModifier, u" "_s);
            QCoreApplication::sendEvent(editor, &press);
            QKeyEvent release(QEvent::KeyRelease, Qt::Key_Space, Qt::NoModifier, u" "_s);
            QCoreApplication::sendEvent(editor, &release);
        },
        [&] { return panel.isModified(); });
    const quint64 opened = panel.openedRevision();
    step(
        &meter, "save", settleMs, [&] { panel.saveAction()->trigger(); },
        [&] { return panel.openedRevision() > opened; });

    KvReply *get = bucket->get(u"big"_s);
    if (!waitFor(get))
        Bench::fail(u"cannot read the value back"_s);
    QByteArray expected = json;
    expected.insert(1, ' ');
    std::printf("saved value %s: only the typed space added\n", get->entry().value == expected ? "exact" : "DIFFERS");
    return get->entry().value == expected ? 0 : 1;
}
