#include "clirunner.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvputbatch.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsserverprocess.h"

#include <QtCore/QProcess>
#include <QtCore/QScopeGuard>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <ctime>

#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

// kvdesk-cli watch and ls print their lines from bytes and flush once per burst: the bytes are still
// exactly the lines natscli prints (as the QString formatting made them before), a burst arrives whole
// and in order, and a line that comes while the watch is idle is written at once.
class tst_KvdeskCliWatch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void linesAsBefore();
    void burstWholeAndIdleLineAtOnce();
    void aReaderThatLeavesEndsTheWatch();
    void saysWhenTheServerGoesAndComesBack();
    void givingUpSaysOnlyWhy();
    void saysWhichRevisionsWentByWhileAway();
    void saysWhichRevisionsWentByWhileBehind();
    void noGapForWhatWasGoneBeforeTheWatch();
    void saysWhenTheServerStopsAnswering();
    void endsWhenItsBucketIsDeleted();
    void saysWhenItWaitsForARevisionNotWrittenYet();

private:
    QStringList server(const QStringList &arguments) const { return QStringList{u"-s"_s, m_server.url()} + arguments; }
    KvBucket *bucket(const QString &name) { return m_kv->bucket(name, this); }
    // Starts `kvdesk-cli watch bucket` (against url, else the test's server) with its stdout collected into *seen.
    void startWatch(QProcess *process, QByteArray *seen, const QString &bucketName, const QString &url = {});
    // Starts *server, makes bucketName there with "before" = 1 in it, and a watch of it that has printed
    // that entry: true once it has.
    bool watchOnItsOwnServer(NatsServerProcess *server, const QString &bucketName, QProcess *watcher, QByteArray *seen);
    // The bucket's initial values as a library watch delivers them.
    QList<KvEntry> initialValues(const QString &bucketName);
    static QByteArray natscliLine(const KvEntry &entry);

    NatsServerProcess m_server;
    CliRunner m_runner;
    KvContext *m_kv = nullptr;
};

void tst_KvdeskCliWatch::initTestCase()
{
    // A zone with summer time for both processes: the local times printed must agree with Qt's.
    qputenv("TZ", "America/New_York");
    ::tzset();
    m_runner.setEnvironment(u"TZ"_s, u"America/New_York"_s);
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
    QCOMPARE(m_runner.run(server({u"add"_s, u"W"_s})).exitCode, 0);
    QCOMPARE(m_runner.run(server({u"add"_s, u"BURST"_s})).exitCode, 0);
}

void tst_KvdeskCliWatch::startWatch(QProcess *process, QByteArray *seen, const QString &bucketName, const QString &url)
{
    process->setProcessEnvironment(m_runner.environment());
    connect(process, &QProcess::readyReadStandardOutput, this,
            [process, seen] { *seen += process->readAllStandardOutput(); });
    process->start(CliRunner::program(),
                   QStringList{u"-s"_s, url.isEmpty() ? m_server.url() : url, u"watch"_s, bucketName});
}

bool tst_KvdeskCliWatch::watchOnItsOwnServer(NatsServerProcess *server, const QString &bucketName, QProcess *watcher,
                                             QByteArray *seen)
{
    if (!server->start()) {
        qWarning().noquote() << server->errorString();
        return false;
    }
    const QStringList at{u"-s"_s, server->url()};
    if (m_runner.run(at + QStringList{u"add"_s, bucketName}).exitCode != 0
        || m_runner.run(at + QStringList{u"put"_s, bucketName, u"before"_s, u"1"_s}).exitCode != 0)
        return false;
    startWatch(watcher, seen, bucketName, server->url());
    const QByteArray line = "PUT " + bucketName.toUtf8() + " > before: 1";
    return QTest::qWaitFor([seen, &line] { return seen->contains(line); }, 10000);
}

QList<KvEntry> tst_KvdeskCliWatch::initialValues(const QString &bucketName)
{
    QList<KvEntry> entries;
    KvWatcher *watcher = bucket(bucketName)->watchAll();
    connect(watcher, &KvWatcher::entryReceived, this, [&entries](const KvEntry &entry) { entries.append(entry); });
    QSignalSpy done(watcher, &KvWatcher::initialValuesReceived);
    if (!done.wait(KvTest::ReplyTimeoutMs))
        qWarning("the library's watch did not finish its initial values");
    watcher->deleteLater();
    return entries;
}

// The line as natscli prints it, built field by field with QString and QDateTime, except the value: one that
// is not text (not UTF-8, a control character other than a tab, a leading byte order mark that
// fromUtf8() drops) is shown in base64, said so, instead of its raw bytes.
QByteArray tst_KvdeskCliWatch::natscliLine(const KvEntry &entry)
{
    const QString time = entry.created.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
    if (entry.isDeleted()) {
        const QString operation = entry.operation == KvEntry::Operation::Purge ? u"PURGE"_s : u"DELETE"_s;
        return u"[%1] %2 %3 > %4\n"_s.arg(time, operation, entry.bucket, entry.key).toUtf8();
    }
    const QString text = QString::fromUtf8(entry.value);
    const bool isText = text.toUtf8() == entry.value && std::none_of(text.cbegin(), text.cend(), [](QChar c) {
                            return c.category() == QChar::Other_Control && c != u'\t';
                        });
    const QByteArray shown = isText ? entry.value : "(base64) " + entry.value.toBase64();
    return u"[%1] PUT %2 > %3: "_s.arg(time, entry.bucket, entry.key).toUtf8() + shown + '\n';
}

void tst_KvdeskCliWatch::linesAsBefore()
{
    const QList<QPair<QString, QByteArray>> values{
        {u"plain"_s, "a value"},
        {u"empty"_s, QByteArray()},
        {u"utf8"_s, "caf\xC3\xA9 \xF0\x9F\x98\x80"},
        {u"bom"_s, "\xEF\xBB\xBFwith a byte order mark"},
        {u"invalid"_s, "\xFF\xFE not UTF-8 \xC0\x80"},
        {u"lines"_s, "first\nsecond"},
        {u"nul"_s, QByteArray("a\0b", 3)},
        {u"escape"_s, "\x1B[2J\x1B]0;a title\x07"},
        {u"tab"_s, "a\tb"},
        {u"dir/sub_key-1=x"_s, "keys of every allowed kind"},
        {u"gone"_s, "deleted next"},
        {u"purged"_s, "purged next"},
    };
    for (const auto &[key, value] : values)
        WAIT_OK(bucket(u"W"_s)->put(key, value));
    WAIT_OK(bucket(u"W"_s)->remove(u"gone"_s));
    WAIT_OK(bucket(u"W"_s)->purge(u"purged"_s));
    const QList<KvEntry> entries = initialValues(u"W"_s);
    QCOMPARE(entries.size(), values.size());
    QByteArray expected;
    for (const KvEntry &entry : entries)
        expected += natscliLine(entry);

    QProcess watcher;
    QByteArray seen;
    startWatch(&watcher, &seen, u"W"_s);
    QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= expected.size(), 10000);
    QCOMPARE(seen, expected);
    watcher.kill();
    watcher.waitForFinished();
}

void tst_KvdeskCliWatch::burstWholeAndIdleLineAtOnce()
{
    // Enough entries for several socket reads and several output batches (64 KiB each).
    constexpr int kKeys = 3000;
    const QByteArray value(100, 'v');
    QList<KvReply *> puts;
    for (int i = 0; i < kKeys; ++i)
        puts.append(bucket(u"BURST"_s)->put(u"k.%1"_s.arg(i), value));
    for (KvReply *put : std::as_const(puts))
        WAIT_OK(put);

    const QList<KvEntry> entries = initialValues(u"BURST"_s); // in revision order
    QCOMPARE(entries.size(), kKeys);

    QProcess watcher;
    QByteArray seen;
    startWatch(&watcher, &seen, u"BURST"_s);
    QTRY_VERIFY_WITH_TIMEOUT(seen.count('\n') >= kKeys, 20000);
    const QList<QByteArray> lines = seen.split('\n');
    QCOMPARE(lines.size(), kKeys + 1); // the last line ends with '\n': an empty piece after it
    for (int i = 0; i < kKeys; ++i) {
        const QByteArray tail = " PUT BURST > " + entries[i].key.toUtf8() + ": " + value;
        QVERIFY2(lines[i].endsWith(tail), lines[i].constData());
    }

    // The watch is idle now: a new entry's line must be written as it comes, not held for a batch.
    seen.clear();
    WAIT_OK(bucket(u"BURST"_s)->put(u"live"_s, "now"));
    QTRY_VERIFY_WITH_TIMEOUT(seen.endsWith(" PUT BURST > live: now\n"), 5000);
    watcher.kill();
    watcher.waitForFinished();

    // ls streams the same keys, one per line.
    const CliRunner::Result listed = m_runner.run(server({u"ls"_s, u"BURST"_s}));
    QCOMPARE(listed.exitCode, 0);
    QList<QByteArray> keys = listed.out.split('\n');
    QCOMPARE(keys.takeLast(), QByteArray());
    QCOMPARE(keys.size(), kKeys + 1);
    QVERIFY(keys.contains("live"));
    QVERIFY(keys.contains("k.0"));
    QVERIFY(keys.contains("k." + QByteArray::number(kKeys - 1)));
}

// `kvdesk-cli watch B | head -1`: once the reader has gone, the next line cannot be written and the
// watch ends (quietly: the reader chose to leave; exit status 1) instead of watching on for nobody.
void tst_KvdeskCliWatch::aReaderThatLeavesEndsTheWatch()
{
    QCOMPARE(m_runner.run(server({u"add"_s, u"LEAVE"_s})).exitCode, 0);
    KvBucket *leave = bucket(u"LEAVE"_s);
    WAIT_OK(leave->put(u"first"_s, "1"));
    int pipeEnds[2];
    QCOMPARE(::pipe2(pipeEnds, O_CLOEXEC), 0);
    QProcess watcher;
    watcher.setProcessEnvironment(m_runner.environment());
    const int writeEnd = pipeEnds[1];
    watcher.setChildProcessModifier([writeEnd] { ::dup2(writeEnd, STDOUT_FILENO); });
    watcher.start(CliRunner::program(), server({u"watch"_s, u"LEAVE"_s}));
    ::close(pipeEnds[1]);
    QVERIFY(watcher.waitForStarted());

    // The reader takes the first line, then goes away.
    pollfd readable{pipeEnds[0], POLLIN, 0};
    QCOMPARE(::poll(&readable, 1, 10000), 1);
    char line[256];
    const ssize_t got = ::read(pipeEnds[0], line, sizeof line);
    QVERIFY2(got > 0 && QByteArray(line, int(got)).contains("PUT LEAVE > first: 1"), "no first line");
    ::close(pipeEnds[0]);

    // Each new value is one more line to write; the watch must end at the first it cannot.
    QSignalSpy ended(&watcher, &QProcess::finished);
    QTimer writer;
    int next = 0;
    connect(&writer, &QTimer::timeout, this, [leave, &next] { leave->put(u"k.%1"_s.arg(next++), "v"); });
    writer.start(50);
    QVERIFY2(ended.wait(10000), "the watch went on after its reader had gone");
    writer.stop();
    QCOMPARE(watcher.exitStatus(), QProcess::NormalExit);
    QCOMPARE(watcher.exitCode(), 1);
    QCOMPARE(watcher.readAllStandardError(), QByteArray());
}

// The server restarts under a watch: kvdesk-cli says on stderr that it lost the server and that it is
// back (as natscli does), instead of falling silent, and the watch goes on with what comes next.
void tst_KvdeskCliWatch::saysWhenTheServerGoesAndComesBack()
{
    NatsServerProcess server;
    QProcess watcher;
    QByteArray seen;
    QVERIFY(watchOnItsOwnServer(&server, u"BACK"_s, &watcher, &seen));
    const QStringList at{u"-s"_s, server.url()};

    QVERIFY(server.stop());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError()).contains("kvdesk-cli: connection lost: "), 10000);
    QVERIFY2(err.contains("reconnecting"), err.constData());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError()).contains("kvdesk-cli: reconnected to "), 20000);

    QCOMPARE(m_runner.run(at + QStringList{u"put"_s, u"BACK"_s, u"after"_s, u"2"_s}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT BACK > after: 2"), 15000);
    QCOMPARE(watcher.state(), QProcess::Running);
    watcher.kill();
    watcher.waitForFinished();
}

// The server stops taking the watch's password (changed and reloaded): it closes the connection, refuses
// the reconnects twice with the same error, and the watch gives up with it, as nats.go does. A second
// error followed, "not connected: the connection was closed", from the watch's consumer closed with the
// connection: it read like another failure. The one that ends the command is said once.
void tst_KvdeskCliWatch::givingUpSaysOnlyWhy()
{
    NatsServerProcess server;
    NatsServerProcess::Options options;
    options.config = "authorization { user: alice, password: FirstPass1 }\n";
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    QString url = server.url();
    url.insert(url.indexOf(u"://"_s) + 3, u"alice:FirstPass1@"_s);
    const QStringList at{u"-s"_s, url};
    QCOMPARE(m_runner.run(at + QStringList{u"add"_s, u"GONE"_s}).exitCode, 0);
    QCOMPARE(m_runner.run(at + QStringList{u"put"_s, u"GONE"_s, u"before"_s, u"1"_s}).exitCode, 0);
    QProcess watcher;
    QByteArray seen;
    startWatch(&watcher, &seen, u"GONE"_s, url);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT GONE > before: 1"), 10000);

    QVERIFY2(server.reload("authorization { user: alice, password: SecondPass2 }\n"), qPrintable(server.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(watcher.state(), QProcess::NotRunning, 30000);
    const QByteArray err = watcher.readAllStandardError();
    QCOMPARE(watcher.exitStatus(), QProcess::NormalExit);
    QVERIFY2(watcher.exitCode() == 1, err.constData());
    QVERIFY2(err.contains("kvdesk-cli: connection lost: "), err.constData());
    QList<QByteArray> errors = err.split('\n');
    errors.removeIf([](const QByteArray &line) { return !line.startsWith("kvdesk-cli: error: "); });
    QCOMPARE(errors.size(), 1);
    QVERIFY2(errors.first().contains("refused the credentials"), err.constData());
    QVERIFY2(!err.contains("FirstPass1"), err.constData());
}

// While a watch is away, a bucket keeping one revision per key loses one: kvdesk-cli says which on stderr,
// as the window marks a gap row, instead of going on as if the feed were whole. The same store is served
// on another port meanwhile, out of the watch's reach, so the watch cannot come back in between.
void tst_KvdeskCliWatch::saysWhichRevisionsWentByWhileAway()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    const QStringList at{u"-s"_s, server.url()};
    QCOMPARE(m_runner.run(at + QStringList{u"add"_s, u"AWAY"_s, u"--history"_s, u"1"_s}).exitCode, 0);
    QCOMPARE(m_runner.run(at + QStringList{u"put"_s, u"AWAY"_s, u"a"_s, u"1"_s}).exitCode, 0); // rev 1

    QProcess watcher;
    QByteArray seen;
    startWatch(&watcher, &seen, u"AWAY"_s, server.url());
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT AWAY > a: 1"), 10000);
    QVERIFY(server.stop());
    QByteArray err;
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError()).contains("kvdesk-cli: connection lost: "), 10000);

    NatsServerProcess elsewhere;
    NatsServerProcess::Options options;
    options.extraArgs = QStringList{u"-sd"_s, server.storeDir()};
    QVERIFY2(elsewhere.start(options), qPrintable(elsewhere.errorString()));
    const QStringList there{u"-s"_s, elsewhere.url()};
    QCOMPARE(m_runner.run(there + QStringList{u"put"_s, u"AWAY"_s, u"b"_s, u"2"_s}).exitCode, 0); // rev 2, then gone
    QCOMPARE(m_runner.run(there + QStringList{u"put"_s, u"AWAY"_s, u"b"_s, u"3"_s}).exitCode, 0); // rev 3
    QVERIFY(elsewhere.stop());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));

    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT AWAY > b: 3"), 20000);
    QVERIFY2(!seen.contains("b: 2"), seen.constData());
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError())
                                 .contains("kvdesk-cli: revision 2 went by while the watch was away: "
                                           "it is no longer on the server"),
                             5000);
    watcher.kill();
    watcher.waitForFinished();
}

// A watch that falls behind (its reader paused) while a bucket keeping one revision per key is written
// fast: the server replaces what it has not delivered yet, and those revisions never come. The window shows
// a gap; the watch printed on from the next revision without a word on stderr.
void tst_KvdeskCliWatch::saysWhichRevisionsWentByWhileBehind()
{
    QCOMPARE(m_runner.run(server({u"add"_s, u"BEHIND"_s, u"--history"_s, u"1"_s})).exitCode, 0);
    QCOMPARE(m_runner.run(server({u"put"_s, u"BEHIND"_s, u"first"_s, u"1"_s})).exitCode, 0); // rev 1
    QProcess watcher;
    QByteArray seen;
    startWatch(&watcher, &seen, u"BEHIND"_s);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT BEHIND > first: 1"), 10000);
    // Its own pid, taken while it runs: kill(0, ...) once it has ended would signal the whole process group,
    // and thaw the servers other tests run beside this one have frozen.
    const pid_t pid = pid_t(watcher.processId());
    QVERIFY(pid > 0);
    const auto resume = qScopeGuard([&watcher, pid] {
        if (watcher.state() != QProcess::NotRunning)
            ::kill(pid, SIGCONT);
    });
    QCOMPARE(::kill(pid, SIGSTOP), 0);

    constexpr int count = 20000; // revisions 2 to 20001, 100 keys: the server keeps the last 100
    const QByteArray value(200, 'v');
    KvPutBatch *batch = bucket(u"BEHIND"_s)->putMany([value, next = 0]() mutable -> std::optional<KvPutBatch::Item> {
        if (next == count)
            return std::nullopt;
        const int n = next++;
        return KvPutBatch::Item{u"k%1"_s.arg(n % 100), value + QByteArray::number(n)};
    });
    QSignalSpy written(batch, &KvPutBatch::finished);
    QVERIFY(written.wait(60000));
    QCOMPARE(batch->error(), NatsError::NoError);
    ::kill(pid, SIGCONT);

    const QByteArray lastLine = "PUT BEHIND > k99: " + value + QByteArray::number(count - 1);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains(lastLine), 20000);
    QByteArray err = watcher.readAllStandardError();
    QVERIFY2(err.contains("went by while the watch was behind: they are no longer on the server"), err.constData());
    QVERIFY2(!err.contains("revisions 19902 to"), err.constData()); // the last 100 are all there to print
    watcher.kill();
    watcher.waitForFinished();
}

// Revisions removed before the watch began (a key purged, then compacted) were never there for it to
// miss: the initial values end at the bucket's last revision though the newest of them is older. The
// watch said "revisions 2 to 3 went by while the watch was behind" at the first live entry (a tryout,
// every version); the window did not. Also with --history, and with --revision before the gone ones.
void tst_KvdeskCliWatch::noGapForWhatWasGoneBeforeTheWatch()
{
    QCOMPARE(m_runner.run(server({u"add"_s, u"GONE"_s})).exitCode, 0);
    QCOMPARE(m_runner.run(server({u"put"_s, u"GONE"_s, u"a"_s, u"1"_s})).exitCode, 0);    // rev 1
    QCOMPARE(m_runner.run(server({u"put"_s, u"GONE"_s, u"b"_s, u"1"_s})).exitCode, 0);    // rev 2
    QCOMPARE(m_runner.run(server({u"purge"_s, u"GONE"_s, u"b"_s, u"-f"_s})).exitCode, 0); // rev 3
    QCOMPARE(m_runner.run(server({u"compact"_s, u"GONE"_s, u"-f"_s, u"--older-than"_s, u"0s"_s})).exitCode, 0);
    int next = 1;
    for (const QStringList &options :
         {QStringList{}, QStringList{u"--history"_s}, QStringList{u"--revision"_s, u"1"_s}}) {
        QProcess watcher;
        QByteArray seen;
        QByteArray err;
        watcher.setProcessEnvironment(m_runner.environment());
        connect(&watcher, &QProcess::readyReadStandardOutput, this, [&] { seen += watcher.readAllStandardOutput(); });
        connect(&watcher, &QProcess::readyReadStandardError, this, [&] { err += watcher.readAllStandardError(); });
        watcher.start(CliRunner::program(), server(QStringList{u"watch"_s, u"GONE"_s} + options));
        const auto stop = qScopeGuard([&watcher] {
            watcher.kill();
            watcher.waitForFinished();
        });
        QTRY_VERIFY2_WITH_TIMEOUT(seen.contains("PUT GONE > a: 1"), seen.constData(), 10000);
        const QByteArray value = QByteArray::number(next++);
        QCOMPARE(m_runner.run(server({u"put"_s, u"GONE"_s, u"c"_s, QString::fromLatin1(value)})).exitCode, 0);
        QTRY_VERIFY2_WITH_TIMEOUT(seen.contains(QByteArray("PUT GONE > c: " + value)), seen.constData(), 10000);
        // A gap is said on stderr before the entry after it goes to stdout: ended now, all of it is read.
        watcher.kill();
        watcher.waitForFinished();
        err += watcher.readAllStandardError();
        QVERIFY2(!err.contains("went by"), qPrintable(options.join(u' ') + u": "_s + QString::fromUtf8(err)));
        // Gone again before the next watch begins.
        QCOMPARE(m_runner.run(server({u"purge"_s, u"GONE"_s, u"c"_s, u"-f"_s})).exitCode, 0);
        QCOMPARE(m_runner.run(server({u"compact"_s, u"GONE"_s, u"-f"_s, u"--older-than"_s, u"0s"_s})).exitCode, 0);
    }
}

// A server that stops answering with its connection open (stopped, a network that drops packets): a
// watch is quiet when nothing changes, so it was silent for minutes, until the library's pings ran out. It
// asks the server every few seconds and says on stderr when it has not answered, and when it answers again.
void tst_KvdeskCliWatch::saysWhenTheServerStopsAnswering()
{
    NatsServerProcess server;
    QProcess watcher;
    QByteArray seen;
    QVERIFY(watchOnItsOwnServer(&server, u"STILL"_s, &watcher, &seen));
    const QStringList at{u"-s"_s, server.url()};
    QVERIFY(server.freeze());
    auto thaw = qScopeGuard([&server] { server.thaw(); });
    QByteArray err;
    // Said 5 s after the server stopped (and a tick): it came after 11 s, the watch asking only every 5 s.
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError())
                                 .contains("kvdesk-cli: nats-server has not "
                                           "answered for 5s; the watch goes on "
                                           "when it does"),
                             8000);
    QCOMPARE(watcher.state(), QProcess::Running);
    server.thaw();
    thaw.dismiss();
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError())
                                 .contains("kvdesk-cli: nats-server is "
                                           "answering again"),
                             15000);
    QCOMPARE(m_runner.run(at + QStringList{u"put"_s, u"STILL"_s, u"after"_s, u"2"_s}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT STILL > after: 2"), 15000);
    QCOMPARE(err.count("has not answered"), 1);
    // Stopped again just after an answer: the watch asked again only 5 s after it, so it said so after
    // 10 s and more.
    QVERIFY(server.freeze());
    auto thawAgain = qScopeGuard([&server] { server.thaw(); });
    QTRY_VERIFY_WITH_TIMEOUT((err += watcher.readAllStandardError()).count("has not answered") == 2, 8000);
    watcher.kill();
    watcher.waitForFinished();
}

void tst_KvdeskCliWatch::endsWhenItsBucketIsDeleted()
{
    // The watch found out when its consumer's heartbeats stopped and a new consumer found no stream:
    // 19 s on 2.9.10, after "watch interrupted (no heartbeat for 10000 ms)". Now the account's stream
    // advisory ends it at once; the server drops that advisory now and then (about one deletion in ten of
    // a watched bucket), and then the consumer's info at the first heartbeat missed does, in the same words.
    QCOMPARE(m_runner.run(server({u"add"_s, u"GOES"_s})).exitCode, 0);
    QCOMPARE(m_runner.run(server({u"put"_s, u"GOES"_s, u"before"_s, u"1"_s})).exitCode, 0);
    QProcess watcher;
    QByteArray seen;
    startWatch(&watcher, &seen, u"GOES"_s);
    QTRY_VERIFY_WITH_TIMEOUT(seen.contains("PUT GOES > before: 1"), 10000);
    QCOMPARE(m_runner.run(server({u"rm"_s, u"GOES"_s, u"-f"_s})).exitCode, 0);
    QVERIFY(watcher.waitForFinished(15000));
    QCOMPARE(watcher.exitCode(), 1);
    const QByteArray err = watcher.readAllStandardError();
    QVERIFY2(err.contains("kvdesk-cli: error: bucket \"GOES\" was deleted"), err.constData());
    QVERIFY2(!err.contains("interrupted"), err.constData());
}

// `watch B --revision N` past the bucket's last revision waited without a word (a tryout: --revision 999999),
// as if the bucket were idle. It says once what it waits for, keeps waiting, and prints revision N when
// it comes, nothing before it (on 2.9.10 and 2.10.27 the watch printed revision 4: those servers start a
// consumer whose start is past the stream's end at the next message written).
void tst_KvdeskCliWatch::saysWhenItWaitsForARevisionNotWrittenYet()
{
    QCOMPARE(m_runner.run(server({u"add"_s, u"AHEAD"_s})).exitCode, 0);
    for (const char *value : {"1", "2", "3"})
        QCOMPARE(m_runner.run(server({u"put"_s, u"AHEAD"_s, u"k"_s, QString::fromLatin1(value)})).exitCode, 0);
    QProcess watcher;
    watcher.setProcessEnvironment(m_runner.environment());
    QByteArray seen;
    QByteArray err;
    connect(&watcher, &QProcess::readyReadStandardOutput, this, [&] { seen += watcher.readAllStandardOutput(); });
    connect(&watcher, &QProcess::readyReadStandardError, this, [&] { err += watcher.readAllStandardError(); });
    watcher.start(CliRunner::program(), server({u"watch"_s, u"AHEAD"_s, u"--revision"_s, u"5"_s}));
    const auto stop = qScopeGuard([&watcher] {
        watcher.kill();
        watcher.waitForFinished();
    });
    QTRY_VERIFY2_WITH_TIMEOUT(err.contains("waiting for revision 5: bucket \"AHEAD\" is at revision 3"),
                              err.constData(), 10000);
    QCOMPARE(watcher.state(), QProcess::Running);
    QCOMPARE(m_runner.run(server({u"put"_s, u"AHEAD"_s, u"k"_s, u"4"_s})).exitCode, 0);
    QCOMPARE(m_runner.run(server({u"put"_s, u"AHEAD"_s, u"k"_s, u"5"_s})).exitCode, 0);
    QTRY_VERIFY2_WITH_TIMEOUT(seen.contains("PUT AHEAD > k: 5"), seen.constData(), 10000);
    QVERIFY2(!seen.contains("k: 4"), seen.constData());
    QCOMPARE(err.count("waiting for revision"), 1);
}

QTEST_GUILESS_MAIN(tst_KvdeskCliWatch)
#include "tst_kvdeskcliwatch.moc"
