#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvclientoptions.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QHash>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QSet>
#include <QtCore/QTemporaryDir>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <functional>

using namespace Qt::StringLiterals;

// The fault campaign's quick part: a single server SIGKILLed and restarted under load. Every write is
// acknowledged exactly once and stored exactly once (retries carry a Nats-Msg-Id, so the stream's
// duplicate window drops a second copy), CAS updates never apply twice, and a watcher sees every
// revision once.
class tst_KvFaults final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void writesThroughServerKills();
    void importThroughServerKills();

private:
    // Kills the server kills times, the first when progress() reaches step and each next one step
    // further, keeping it down downMs each time (the fault schedule, not a wait for a result).
    void killAlong(const std::function<qint64()> &progress, qint64 step, int kills, int downMs);
    quint64 streamMessages(const QString &bucket);

    NatsServerProcess *m_server = nullptr;
    KvContext *m_kv = nullptr;
    QTimer *m_ticker = nullptr; // the fault schedule; it reads the running test's locals
    int m_killsDone = 0;
    bool m_down = false;
};

void tst_KvFaults::init()
{
    m_server = new NatsServerProcess(this);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    KvClientOptions options = KvClientOptions::fromUrl(m_server->url());
    options.connection.reconnectWaitMs = 100;
    options.connection.reconnectJitterMs = 50;
    options.connection.maxReconnectAttempts = -1;
    QVERIFY(KvTest::connectClient(options, this, nullptr, nullptr, &m_kv));
    m_killsDone = 0;
    m_down = false;
}

void tst_KvFaults::cleanup()
{
    delete m_ticker; // before the locals it reads are gone, whatever made the test return
    m_ticker = nullptr;
    delete m_server;
    m_server = nullptr;
}

void tst_KvFaults::killAlong(const std::function<qint64()> &progress, qint64 step, int kills, int downMs)
{
    m_ticker = new QTimer(this);
    m_ticker->setInterval(20);
    connect(m_ticker, &QTimer::timeout, this, [=, this] {
        if (m_down || m_killsDone >= kills || progress() < step * (m_killsDone + 1))
            return;
        QVERIFY(m_server->kill());
        m_down = true;
        ++m_killsDone;
        QTimer::singleShot(downMs, m_server, [this] {
            QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
            m_down = false;
        });
        if (m_killsDone >= kills)
            m_ticker->stop();
    });
    m_ticker->start();
}

quint64 tst_KvFaults::streamMessages(const QString &bucket)
{
    KvReply *status = m_kv->bucketStatus(bucket);
    if (!QTest::qWaitFor([status] { return status->isFinished(); }, KvTest::ReplyTimeoutMs))
        return 0;
    status->deleteLater();
    return status->status().values;
}

void tst_KvFaults::writesThroughServerKills()
{
    KvBucketConfig config;
    config.bucket = u"faults"_s;
    config.history = 5;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket);

    // A watcher of everything, including the history each write adds.
    KvWatchOptions watchOptions;
    watchOptions.includeHistory = true;
    KvWatcher *watcher = bucket->watchAll(watchOptions);
    QHash<quint64, QByteArray> watched; // revision -> value
    int repeated = 0;
    connect(watcher, &KvWatcher::entryReceived, this, [&](const KvEntry &entry) {
        if (watched.contains(entry.revision))
            ++repeated;
        watched.insert(entry.revision, entry.value);
    });

    // A pipelined writer: 2,000 keys, up to 200 puts in flight.
    constexpr int Puts = 2000;
    int sent = 0;
    int putsFailed = 0;
    QHash<quint64, QByteArray> acknowledged;
    QStringList errors;
    // The context of the handlers below, which use this function's locals: a check that fails returns
    // with puts still out, and their answers must not reach a returned frame (that crashed).
    QObject scope;
    std::function<void()> pump = [&] {
        while (sent < Puts && sent - acknowledged.size() - putsFailed < 200) {
            const QByteArray value = "value-" + QByteArray::number(sent);
            KvReply *put = bucket->put(u"k%1"_s.arg(sent), value);
            ++sent;
            connect(put, &NatsReply::finished, &scope, [&, put, value] {
                put->deleteLater();
                if (put->error() == NatsError::NoError) {
                    if (acknowledged.contains(put->revision()))
                        errors << u"revision %1 acknowledged twice"_s.arg(put->revision());
                    acknowledged.insert(put->revision(), value);
                } else {
                    ++putsFailed;
                    errors << put->errorString();
                }
                pump();
            });
        }
    };

    // A CAS counter beside it: each update expects the revision the last one produced.
    int casDone = 0;
    int casFailed = 0;
    quint64 casRevision = 0;
    std::function<void()> count = [&] {
        if (casDone >= 100 || casFailed > 0)
            return;
        KvReply *update = casRevision == 0 ? bucket->create(u"counter"_s, "0")
                                           : bucket->update(u"counter"_s, QByteArray::number(casDone), casRevision);
        connect(update, &NatsReply::finished, &scope, [&, update] {
            update->deleteLater();
            if (update->error() != NatsError::NoError) {
                ++casFailed;
                errors << u"CAS update %1: %2"_s.arg(casDone).arg(update->errorString());
                return;
            }
            casRevision = update->revision();
            ++casDone;
            count();
        });
    };

    killAlong([&] { return qint64(acknowledged.size()); }, 300, 5, 1500);
    pump();
    count();
    QTRY_VERIFY_WITH_TIMEOUT(acknowledged.size() + putsFailed == Puts && (casDone >= 100 || casFailed > 0), 120000);
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QCOMPARE(m_killsDone, 5);
    QCOMPARE(putsFailed, 0);
    QCOMPARE(casFailed, 0);

    // Stored exactly once: 2,000 puts and 100 counter revisions (history 5 keeps the counter's last 5).
    QCOMPARE(streamMessages(config.bucket), quint64(Puts + 5));
    for (int i = 0; i < Puts; i += 97)
        QCOMPARE(KvTest::value(bucket, u"k%1"_s.arg(i)), "value-" + QByteArray::number(i));
    QCOMPARE(KvTest::value(bucket, u"counter"_s), QByteArray::number(99));

    // The watcher saw every acknowledged put once, with its value.
    QTRY_VERIFY_WITH_TIMEOUT(watched.contains(acknowledged.keys().last()) || acknowledged.isEmpty(), 30000);
    for (auto it = acknowledged.cbegin(); it != acknowledged.cend(); ++it)
        QCOMPARE(watched.value(it.key()), it.value());
    QCOMPARE(repeated, 0);
}

void tst_KvFaults::importThroughServerKills()
{
    KvBucketConfig config;
    config.bucket = u"imported"_s;
    config.history = 5;
    QVERIFY(KvTest::createBucket(m_kv, config));

    constexpr int Keys = 20000;
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile file(dir.filePath(u"keys.ndjson"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    for (int i = 0; i < Keys; ++i) {
        const QJsonObject line{{u"key"_s, u"key%1"_s.arg(i)}, {u"value"_s, u"value %1"_s.arg(i)}};
        file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
    }
    file.close();

    QProcess cli;
    cli.setProgram(QStringLiteral(KVDESK_CLI_PATH));
    cli.setArguments({u"--server"_s, m_server->url(), u"import"_s, config.bucket, file.fileName()});
    QByteArray output;
    connect(&cli, &QProcess::readyReadStandardOutput, this, [&] { output += cli.readAllStandardOutput(); });
    cli.start();
    QVERIFY(cli.waitForStarted());

    // Kill along the server's own count of stored messages, read from a second process's view.
    qint64 stored = 0;
    QTimer poll; // on the stack: gone with the locals it reads
    // Often, and the kills early: the import writes tens of thousands of keys a second, and the fifth kill
    // must come while it still runs (at 3,000 a step, seen every 100 ms, a fast import could end first).
    poll.setInterval(20);
    KvReply *pending = nullptr;
    connect(&poll, &QTimer::timeout, this, [&] {
        if (pending || m_down)
            return;
        pending = m_kv->bucketStatus(config.bucket);
        connect(pending, &NatsReply::finished, &poll, [&] {
            if (pending->error() == NatsError::NoError)
                stored = qint64(pending->status().values);
            pending->deleteLater();
            pending = nullptr;
        });
    });
    poll.start();
    killAlong([&] { return stored; }, 2000, 5, 1500);

    QTRY_VERIFY_WITH_TIMEOUT(cli.state() == QProcess::NotRunning, 180000);
    poll.stop();
    const QByteArray errors = cli.readAllStandardError();
    output += cli.readAllStandardOutput();
    QVERIFY2(cli.exitCode() == 0, QByteArray(output + errors).constData());
    QCOMPARE(m_killsDone, 5);
    QVERIFY2(output.contains("20000 written, 0 skipped, 0 failed"), QByteArray(output + errors).constData());

    // Exactly 20,000 messages: nothing applied twice; every value exact.
    QCOMPARE(streamMessages(config.bucket), quint64(Keys));
    KvBucket *bucket = m_kv->bucket(config.bucket);
    for (int i = 0; i < Keys; i += 487)
        QCOMPARE(KvTest::value(bucket, u"key%1"_s.arg(i)), u"value %1"_s.arg(i).toUtf8());
}

QTEST_GUILESS_MAIN(tst_KvFaults)
#include "tst_kvfaults.moc"
