#include "clirunner.h"
#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli with the features of nats-server 2.10 and 2.11+, on each server of the matrix. Which outcome
// is right is read from what the server says (INFO version, JetStream API level), never from the label.
class tst_KvdeskCliModern final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void accountInfo();
    void refusals_data();
    void refusals();
    void putTakesNoTtl();
    void bucketSettingsShown();
    void ttlScenario();
    void aTtlTheServerRaisesIsSaid();
    void importWithTtl();
    void aTtlLineKeepsAMissingBucketUnmade();
    void sourcesBefore210AreSaidToKeepTheirNames();
    void sourcesTheServerWillNotCopyAreWarned();
    void severalFilters();
    void editKeepsRepublishHeadersOnly();
    void editMergesMetadata();

private:
    QStringList server(const QStringList &arguments) const { return QStringList{u"-s"_s, m_server.url()} + arguments; }
    CliRunner::Result cli(const QStringList &arguments, const QByteArray &input = {}) const
    {
        return m_runner.run(server(arguments), input);
    }
    bool modern() const { return m_connection->serverInfo().versionAtLeast(2, 10, 0); }
    bool hasTtl() const { return m_js->capabilities()->supports(JsServerCapabilities::Feature::MessageTtl); }
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    static QList<QJsonObject> ndjson(const QByteArray &out);
    quint64 storedMessages(const QString &bucket);

    NatsServerProcess m_server;
    CliRunner m_runner;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvdeskCliModern::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
    WAIT_OK(m_js->accountInfo()); // the API level
}

QList<QJsonObject> tst_KvdeskCliModern::ndjson(const QByteArray &out)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

quint64 tst_KvdeskCliModern::storedMessages(const QString &bucket)
{
    KvReply *status = m_kv->bucketStatus(bucket);
    const bool ok = QTest::qWaitFor([status] { return status->isFinished(); }, KvTest::ReplyTimeoutMs)
        && status->error() == NatsError::NoError;
    const quint64 values = ok ? status->status().values : quint64(-1);
    status->deleteLater();
    return values;
}

void tst_KvdeskCliModern::accountInfo()
{
    CLI_EXPECT(json, cli({u"account"_s, u"info"_s, u"--json"_s}), 0);
    const QJsonObject info = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(info.value("server_version"_L1).toString(), NatsServerProcess::programVersion());
    QCOMPARE(info.value("api_level"_L1).toInt(), m_js->capabilities()->apiLevel());
    QCOMPARE(info.value("api_level"_L1).toInt() >= 1, m_connection->serverInfo().versionAtLeast(2, 11, 0));
    QCOMPARE(info.value("limits"_L1).toObject().value("max_streams"_L1).toInteger(), -1);
    CLI_EXPECT(page, cli({u"account"_s, u"info"_s}), 0);
    // Before 2.11 there is no API level: "0" read as a real one (try-out 4), said as the account is.
    const int apiLevel = info.value("api_level"_L1).toInt();
    const QByteArray level = "JetStream API Level: "
        + (apiLevel > 0 ? QByteArray::number(apiLevel) : QByteArray("(not said by this server)"));
    QVERIFY2(page.out.contains(level), page.out.constData());
    const QByteArray version = "Connected Server Version: " + NatsServerProcess::programVersion().toUtf8();
    QVERIFY(page.out.contains(version));
    CLI_EXPECT(wrong, cli({u"account"_s, u"show"_s}), 2);
}

void tst_KvdeskCliModern::refusals_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("feature"); // as the message names it
    QTest::addColumn<QString>("needs");   // "2.10" or "2.11"
    QTest::newRow("add --marker-ttl") << QStringList{u"add"_s, u"NEW"_s, u"--marker-ttl"_s, u"5s"_s}
                                      << u"limit markers (marker TTL)"_s << u"2.11"_s;
    QTest::newRow("add --compression") << QStringList{u"add"_s, u"NEW"_s, u"--compression"_s, u"s2"_s}
                                       << u"compression"_s << u"2.10"_s;
    QTest::newRow("add --metadata") << QStringList{u"add"_s, u"NEW"_s, u"--metadata"_s, u"owner=qt"_s} << u"metadata"_s
                                    << u"2.10"_s;
    QTest::newRow("edit --marker-ttl") << QStringList{u"edit"_s, u"OLD"_s, u"--marker-ttl"_s, u"5s"_s}
                                       << u"limit markers (marker TTL)"_s << u"2.11"_s;
    QTest::newRow("create --ttl") << QStringList{u"create"_s, u"OLD"_s, u"k"_s, u"v"_s, u"--ttl"_s, u"1s"_s}
                                  << u"per-key TTL"_s << u"2.11"_s;
    QTest::newRow("purge --ttl") << QStringList{u"purge"_s, u"OLD"_s, u"k"_s, u"-f"_s, u"--ttl"_s, u"1s"_s}
                                 << u"per-key TTL"_s << u"2.11"_s;
}

void tst_KvdeskCliModern::refusals()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, feature);
    QFETCH(QString, needs);
    const QString fresh = unique(u"new"_s);
    const QString old = unique(u"old"_s);
    CLI_EXPECT(made, cli({u"add"_s, old}), 0);
    arguments.replaceInStrings(u"NEW"_s, fresh);
    arguments.replaceInStrings(u"OLD"_s, old);
    const bool serverHasIt = needs == "2.10"_L1 ? modern() : hasTtl();
    const CliRunner::Result result = cli(arguments);
    if (serverHasIt) {
        // Where the server has it, only a per-key TTL still needs a bucket with a marker TTL.
        const bool bucketLacksIt = feature == "per-key TTL"_L1;
        QVERIFY2(result.exitCode == (bucketLacksIt ? 1 : 0), qPrintable(result.describe()));
        if (bucketLacksIt)
            QVERIFY2(result.err.contains("has no marker TTL"), qPrintable(result.describe()));
        return;
    }
    QVERIFY2(result.exitCode == 1, qPrintable(result.describe()));
    const QString expected = u"kvdesk-cli: error: %1 needs nats-server %2 or newer; %3 runs %4\n"_s.arg(
        feature, needs, m_server.url(), m_connection->serverInfo().version);
    QCOMPARE(QString::fromUtf8(result.err), expected);
    QVERIFY(result.out.isEmpty());
    // Nothing was created or written, and the old bucket was not changed.
    WAIT_ERROR(m_kv->bucketStatus(fresh), NatsError::BucketNotFound);
    QCOMPARE(storedMessages(old), 0u);
    CLI_EXPECT(info, cli({u"info"_s, old, u"--json"_s}), 0);
    const QJsonObject config = QJsonDocument::fromJson(info.out).object();
    QCOMPARE(config.value("marker_ttl"_L1).toInteger(), 0);
    QCOMPARE(config.value("allow_msg_ttl"_L1).toBool(), false);
}

void tst_KvdeskCliModern::putTakesNoTtl()
{
    const QString bucket = unique(u"put"_s);
    CLI_EXPECT(made, cli({u"add"_s, bucket}), 0);
    CLI_EXPECT(put, cli({u"put"_s, bucket, u"k"_s, u"v"_s, u"--ttl"_s, u"1s"_s}), 2);
    QVERIFY2(put.err.contains("put takes no TTL") && put.err.contains("create --ttl"), qPrintable(put.describe()));
    QCOMPARE(storedMessages(bucket), 0u);
    CLI_EXPECT(help, cli({u"put"_s, u"--help"_s}), 0);
    QVERIFY2(help.out.contains("a put has no TTL"), help.out.constData());
    CLI_EXPECT(shortTtl, cli({u"create"_s, bucket, u"k"_s, u"v"_s, u"--ttl"_s, u"500ms"_s}), 2);
    QVERIFY2(shortTtl.err.contains("at least 1 second"), qPrintable(shortTtl.describe()));
}

void tst_KvdeskCliModern::bucketSettingsShown()
{
    const QString bucket = unique(u"shown"_s);
    if (!modern()) {
        // The scenario cannot start here, and says why (refusals() checks each setting in detail).
        CLI_EXPECT(refused, cli({u"add"_s, bucket, u"--compression"_s, u"s2"_s}), 1);
        QVERIFY2(refused.err.contains("needs nats-server 2.10 or newer"), qPrintable(refused.describe()));
        return;
    }
    QStringList arguments{u"add"_s,        bucket,        u"--compression"_s, u"s2"_s,
                          u"--metadata"_s, u"owner=qt"_s, u"--metadata"_s,    u"team=kv"_s};
    if (hasTtl())
        arguments += {u"--marker-ttl"_s, u"2s"_s};
    CLI_EXPECT(added, cli(arguments), 0);
    QVERIFY2(added.out.contains("Compressed: true") && added.out.contains("Metadata owner: qt"), added.out.constData());
    QCOMPARE(added.out.contains("Limit Marker TTL: 2.00s"), hasTtl());
    CLI_EXPECT(json, cli({u"info"_s, bucket, u"--json"_s}), 0);
    const QJsonObject info = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(info.value("compression"_L1).toString(), u"s2"_s);
    QCOMPARE(info.value("metadata"_L1).toObject(), (QJsonObject{{u"owner"_s, u"qt"_s}, {u"team"_s, u"kv"_s}}));
    QCOMPARE(info.value("marker_ttl"_L1).toInteger(), hasTtl() ? 2000000000LL : 0LL);
    // The server's own metadata (2.11+) is shown as the server's.
    QCOMPARE(info.value("server_metadata"_L1).toObject().contains("_nats.req.level"_L1), hasTtl());
    CLI_EXPECT(edited, cli({u"edit"_s, bucket, u"--compression"_s, u"none"_s}), 0);
    QVERIFY2(edited.out.contains("Compressed: false") && edited.out.contains("Metadata team: kv"),
             edited.out.constData());
    CLI_EXPECT(list, cli({u"ls"_s}), 0);
    QVERIFY(list.out.contains("Marker TTL"));
}

void tst_KvdeskCliModern::ttlScenario()
{
    // The issue's scenario: a key with a 1 s TTL in a bucket with a marker TTL is shown as live only
    // until it expires; after that ls, get, history and export all say it is gone. Where the server has
    // no TTLs it cannot start, and says why.
    const QString bucket = unique(u"ttlb"_s);
    CLI_EXPECT(added, cli({u"add"_s, bucket, u"--marker-ttl"_s, u"10s"_s}), hasTtl() ? 0 : 1);
    if (!hasTtl()) {
        QVERIFY2(added.err.contains("needs nats-server 2.11 or newer"), qPrintable(added.describe()));
        return;
    }
    CLI_EXPECT(stays, cli({u"put"_s, bucket, u"stays"_s, u"here"_s}), 0);
    CLI_EXPECT(created, cli({u"create"_s, bucket, u"temp"_s, u"short"_s, u"--ttl"_s, u"1s"_s, u"--json"_s}), 0);
    CLI_EXPECT(live, cli({u"get"_s, bucket, u"temp"_s, u"--json"_s}), 0);
    QCOMPARE(QJsonDocument::fromJson(live.out).object().value("ttl"_L1).toInteger(), 1000000000LL);

    QTRY_COMPARE_WITH_TIMEOUT(cli({u"get"_s, bucket, u"temp"_s}).exitCode, 1, 10000);
    CLI_EXPECT(gone, cli({u"get"_s, bucket, u"temp"_s}), 1);
    QVERIFY2(gone.err.contains("key \"temp\" not found") && gone.err.contains("expired"), qPrintable(gone.describe()));
    CLI_EXPECT(keys, cli({u"ls"_s, bucket}), 0);
    QCOMPARE(keys.out, "stays\n"_ba);
    CLI_EXPECT(history, cli({u"history"_s, bucket, u"temp"_s}), 0);
    QVERIFY2(history.out.contains("EXPIRED (MaxAge)") && !history.out.contains("PUT"), history.out.constData());
    CLI_EXPECT(historyJson, cli({u"history"_s, bucket, u"temp"_s, u"--json"_s}), 0);
    const QJsonObject marker = ndjson(historyJson.out).last();
    QCOMPARE(marker.value("operation"_L1).toString(), u"PURGE"_s);
    QCOMPARE(marker.value("marker_reason"_L1).toString(), u"MaxAge"_s);
    CLI_EXPECT(exported, cli({u"export"_s, bucket}), 0);
    QCOMPARE(ndjson(exported.out).size(), 1);
    QCOMPARE(ndjson(exported.out).first().value("key"_L1).toString(), u"stays"_s);
    CLI_EXPECT(withMarkers, cli({u"export"_s, bucket, u"--include-deletes"_s}), 0);
    QVERIFY(withMarkers.out.contains("\"marker_reason\":\"MaxAge\""));
    // Created again over the server's marker.
    CLI_EXPECT(again, cli({u"create"_s, bucket, u"temp"_s, u"back"_s}), 0);
}

// In a bucket keeping history the server keeps a key at least as long as the marker TTL (ADR-43): a
// shorter --ttl is not what the key gets, and the command says so; one at least that long goes unsaid.
void tst_KvdeskCliModern::aTtlTheServerRaisesIsSaid()
{
    const QString bucket = unique(u"ttlfloor"_s);
    CLI_EXPECT(added, cli({u"add"_s, bucket, u"--history"_s, u"5"_s, u"--marker-ttl"_s, u"1m"_s}), hasTtl() ? 0 : 1);
    if (!hasTtl())
        return; // refused, as ttlScenario shows
    CLI_EXPECT(raised, cli({u"create"_s, bucket, u"short"_s, u"v"_s, u"--ttl"_s, u"5s"_s}), 0);
    QCOMPARE(raised.out, "v\n"_ba);
    QVERIFY2(raised.err.contains("key \"short\" expires after 1m0s, not 5s") && raised.err.contains("marker TTL"),
             qPrintable(raised.describe()));
    CLI_EXPECT(stored, cli({u"get"_s, bucket, u"short"_s, u"--json"_s}), 0);
    QCOMPARE(QJsonDocument::fromJson(stored.out).object().value("ttl"_L1).toInteger(), 60000000000LL);
    CLI_EXPECT(kept, cli({u"create"_s, bucket, u"long"_s, u"v"_s, u"--ttl"_s, u"2m"_s}), 0);
    QVERIFY2(kept.err.isEmpty(), qPrintable(kept.describe()));
    // A purge marker's TTL the same way (it went unsaid: the marker stayed a minute, not the 5 s asked).
    CLI_EXPECT(purged, cli({u"purge"_s, bucket, u"long"_s, u"-f"_s, u"--ttl"_s, u"5s"_s}), 0);
    QVERIFY2(purged.err.contains("the purge marker of key \"long\" goes after 1m0s, not 5s")
                 && purged.err.contains("marker TTL"),
             qPrintable(purged.describe()));
    CLI_EXPECT(marker, cli({u"history"_s, bucket, u"long"_s, u"--json"_s}), 0);
    QVERIFY2(marker.out.contains("\"ttl\":60000000000"), qPrintable(marker.describe()));
    CLI_EXPECT(longPurge, cli({u"purge"_s, bucket, u"short"_s, u"-f"_s, u"--ttl"_s, u"2m"_s}), 0);
    QVERIFY2(longPurge.err.isEmpty(), qPrintable(longPurge.describe()));
}

void tst_KvdeskCliModern::importWithTtl()
{
    const QString bucket = unique(u"imp"_s);
    const QString plain = unique(u"impplain"_s);
    if (hasTtl())
        QCOMPARE(cli({u"add"_s, bucket, u"--marker-ttl"_s, u"10s"_s}).exitCode, 0);
    CLI_EXPECT(addedPlain, cli({u"add"_s, plain}), 0);
    const QByteArray lines = R"({"key":"temp","value":"t","ttl":60000000000}
{"key":"plain","value":"p"}
)";
    // A line with a ttl is created with that TTL; where keys cannot have one, the line is a bad line, found
    // by the check before anything is written (the other line went in, and the file half-imported).
    CLI_EXPECT(refused, cli({u"import"_s, plain}, lines), 1);
    QVERIFY2(refused.err.contains(hasTtl() ? "has no marker TTL" : "per-key TTL needs nats-server 2.11"),
             qPrintable(refused.describe()));
    QVERIFY2(refused.err.contains("line 1:") && refused.err.contains("nothing was written"),
             qPrintable(refused.describe()));
    // Not "Imported into bucket ...: 0 written, 0 skipped, 1 failed": the line was never sent.
    QCOMPARE(refused.out,
             u"Nothing imported into bucket %1: the check refused 1 of the 2 lines of stdin, so nothing was written\n"_s
                 .arg(plain)
                 .toUtf8());
    QCOMPARE(storedMessages(plain), 0u);
    if (!hasTtl())
        return;
    CLI_EXPECT(imported, cli({u"import"_s, bucket}, lines), 0);
    CLI_EXPECT(temp, cli({u"get"_s, bucket, u"temp"_s, u"--json"_s}), 0);
    QCOMPARE(QJsonDocument::fromJson(temp.out).object().value("ttl"_L1).toInteger(), 60000000000LL);
    CLI_EXPECT(back, cli({u"export"_s, bucket}), 0);
    QVERIFY2(back.out.contains("\"ttl\":60000000000"), back.out.constData());

    // In a bucket keeping history the server keeps a key at least the marker TTL: a shorter TTL in the
    // file is raised, as `create --ttl` says it is; the import says so too, naming the first such line.
    const QString history = unique(u"imphist"_s);
    CLI_EXPECT(addedHistory, cli({u"add"_s, history, u"--history"_s, u"5"_s, u"--marker-ttl"_s, u"1m"_s}), 0);
    const QByteArray shortTtl = R"({"key":"kept","value":"k","ttl":120000000000}
{"key":"short","value":"s","ttl":3000000000}
{"key":"shorter","value":"s","ttl":2000000000}
)";
    CLI_EXPECT(raised, cli({u"import"_s, history}, shortTtl), 0);
    QVERIFY2(raised.err.contains("2 lines") && raised.err.contains("line 2") && raised.err.contains("3s")
                 && raised.err.contains("1m0s"),
             qPrintable(raised.describe()));
    CLI_EXPECT(plainAgain, cli({u"import"_s, bucket}, R"({"key":"fresh","value":"f","ttl":2000000000})"), 0);
    QVERIFY2(!plainAgain.err.contains("TTL"), qPrintable(plainAgain.describe()));
}

// A missing bucket was created with default settings before the file was checked, and a default bucket
// takes no per-key TTL: the ttl line was refused by the check, and the new, empty bucket stayed behind. The
// line is judged as the bucket to be made would judge it, and nothing is created.
void tst_KvdeskCliModern::aTtlLineKeepsAMissingBucketUnmade()
{
    const QString bucket = unique(u"impnew"_s);
    const QByteArray lines = R"({"key":"plain","value":"p"}
{"key":"temp","value":"t","ttl":60000000000}
)";
    CLI_EXPECT(refused, cli({u"import"_s, bucket}, lines), 1);
    KvReply *status = m_kv->bucketStatus(bucket);
    QVERIFY(QTest::qWaitFor([status] { return status->isFinished(); }, KvTest::ReplyTimeoutMs));
    QVERIFY2(status->error() == NatsError::BucketNotFound, qPrintable(refused.describe()));
    QVERIFY2(!refused.err.contains("Created bucket"), qPrintable(refused.describe()));
    QVERIFY2(refused.err.contains(hasTtl()
                                      ? "bucket \"%1\" would be created without a marker TTL"_L1.arg(bucket).toUtf8()
                                      : "per-key TTL needs nats-server 2.11"_ba),
             qPrintable(refused.describe()));
    QVERIFY2(refused.err.contains("line 2:") && refused.err.contains("was not created"),
             qPrintable(refused.describe()));
    QCOMPARE(refused.out,
             u"Nothing imported: the check refused 1 of the 2 lines of stdin, so nothing was written and bucket %1 "
             "was not created\n"_s.arg(bucket)
                 .toUtf8());
    CLI_EXPECT(refusedJson, cli({u"import"_s, bucket, u"--json"_s}, lines), 1);
    const QJsonObject summary = QJsonDocument::fromJson(refusedJson.out).object();
    QCOMPARE(summary.value("refused"_L1).toInt(), 1);
    QCOMPARE(summary.value("failed"_L1).toInt(), 0);
    QCOMPARE(summary.value("written"_L1).toInt(), 0);
    QCOMPARE(summary.value("bucket_created"_L1), QJsonValue(false));
}

// nats-server 2.9 has no subject transforms: a bucket of sources (made as nats.go makes it there) holds
// its sources' entries under their names and cannot be read as keys of its own. add says so, and so
// does each command that reads or writes its keys (ls BUCKET got the server's raw "consumer filter
// subject is not a valid subset of the interest subjects (JetStream error 10093)": its stream has no
// subjects, so no consumer may filter on the bucket's own).
void tst_KvdeskCliModern::sourcesBefore210AreSaidToKeepTheirNames()
{
    const QString origin = unique(u"srcorigin"_s);
    const QString sourced = unique(u"sourced"_s);
    CLI_EXPECT(first, cli({u"add"_s, origin}), 0);
    CLI_EXPECT(put, cli({u"put"_s, origin, u"k"_s, u"v"_s}), 0);
    CLI_EXPECT(added, cli({u"add"_s, sourced, u"--source"_s, origin}), 0);
    if (modern()) {
        QVERIFY2(added.err.isEmpty(), qPrintable(added.describe()));
        QTRY_COMPARE_WITH_TIMEOUT(cli({u"get"_s, sourced, u"k"_s, u"--raw"_s}).out, "v"_ba, 10000);
        CLI_EXPECT(keys, cli({u"ls"_s, sourced}), 0);
        QCOMPARE(keys.out, "k\n"_ba);
        return;
    }
    QVERIFY2(added.err.contains("needs nats-server 2.10") && added.err.contains("has no keys of its own")
                 && added.err.contains(sourced.toUtf8()),
             qPrintable(added.describe()));
    // With the prefix every other note has (it was "note: sourcing buckets …").
    QVERIFY2(added.err.startsWith("kvdesk-cli: note: "), qPrintable(added.describe()));
    const QList<QStringList> commands{{u"ls"_s, sourced},
                                      {u"ls"_s, sourced, u"k"_s},
                                      {u"watch"_s, sourced},
                                      {u"history"_s, sourced, u"k"_s},
                                      {u"export"_s, sourced},
                                      {u"get"_s, sourced, u"k"_s},
                                      {u"put"_s, sourced, u"k"_s, u"w"_s}};
    for (const QStringList &command : commands) {
        CLI_EXPECT(refused, cli(QStringList{u"--timeout"_s, u"3s"_s} + command), 1);
        const QByteArray expected = "bucket \"" + sourced.toUtf8()
            + "\" has no keys of its own: it collects the "
              "entries of its sources ("
            + origin.toUtf8() + ") under their own names";
        QVERIFY2(refused.err.contains(expected) && refused.err.contains("needs nats-server 2.10")
                     && !refused.err.contains("JetStream error"),
                 qPrintable(command.join(u' ') + u"\n"_s + refused.describe()));
    }
}

// Try-out 4, F12: add with two sources whose keys have two revisions and the default history 1 made a
// bucket in which nats-server 2.10+ never copied one source's keys, with exit status 0, nothing said and
// no lag reported. The bucket is still made as natscli makes it, and add warns, naming the way out.
void tst_KvdeskCliModern::sourcesTheServerWillNotCopyAreWarned()
{
    const QString first = unique(u"twosrca"_s);
    const QString second = unique(u"twosrcb"_s);
    for (const QString &source : {first, second}) {
        CLI_EXPECT(made, cli({u"add"_s, source, u"--history"_s, u"5"_s}), 0);
        CLI_EXPECT(one, cli({u"put"_s, source, u"k"_s + source, u"1"_s}), 0);
        CLI_EXPECT(two, cli({u"put"_s, source, u"k"_s + source, u"2"_s}), 0);
    }
    const QString dropping = unique(u"twosrcdrop"_s);
    CLI_EXPECT(added, cli({u"add"_s, dropping, u"--source"_s, first, u"--source"_s, second}), 0);
    const QString keeping = unique(u"twosrckeep"_s);
    CLI_EXPECT(kept, cli({u"add"_s, keeping, u"--history"_s, u"2"_s, u"--source"_s, first, u"--source"_s, second}), 0);
    QVERIFY2(!kept.err.contains("warning"), qPrintable(kept.describe()));
    if (!modern()) {
        QVERIFY2(!added.err.contains("warning"), qPrintable(added.describe()));
        return;
    }
    QVERIFY2(added.err.startsWith(QByteArray("kvdesk-cli: warning: bucket \"" + dropping.toUtf8() + "\" may never get"))
                 && added.err.contains("A history of at least 2") && added.err.contains("no lag"),
             qPrintable(added.describe()));
    QVERIFY2(added.out.contains(first.toUtf8()) && added.out.contains(second.toUtf8()), qPrintable(added.describe()));
}

void tst_KvdeskCliModern::severalFilters()
{
    const QString bucket = unique(u"filters"_s);
    CLI_EXPECT(added, cli({u"add"_s, bucket}), 0);
    for (const QString &key : {u"a.1"_s, u"a.2"_s, u"b.1"_s, u"c.1"_s})
        QCOMPARE(cli({u"put"_s, bucket, key, u"v"_s}).exitCode, 0);
    CLI_EXPECT(keys, cli({u"ls"_s, bucket, u"a.*"_s, u"c.*"_s}), 0);
    QStringList listed = QString::fromUtf8(keys.out).split(u'\n', Qt::SkipEmptyParts);
    listed.sort();
    QCOMPARE(listed, (QStringList{u"a.1"_s, u"a.2"_s, u"c.1"_s}));
}

// An edit naming another republish destination turned "headers only" off (the flag was read as absent:
// whole values, maybe secrets, then went to the republish subject); and there was no way to stop
// republishing ("republish needs a destination subject").
void tst_KvdeskCliModern::editKeepsRepublishHeadersOnly()
{
    if (!modern())
        QSKIP("nats-server 2.9 cannot change a bucket's republish (10052)");
    const QString bucket = unique(u"rep"_s);
    CLI_EXPECT(added, cli({u"add"_s, bucket, u"--republish-destination"_s, u"repub.>"_s, u"--republish-headers"_s}), 0);
    const auto republishOf = [](const QByteArray &json) {
        return QJsonDocument::fromJson(json).object().value("republish"_L1).toObject();
    };
    CLI_EXPECT(moved, cli({u"edit"_s, bucket, u"--republish-destination"_s, u"other.>"_s, u"--json"_s}), 0);
    QCOMPARE(republishOf(moved.out).value("destination"_L1).toString(), u"other.>"_s);
    QCOMPARE(republishOf(moved.out).value("headers_only"_L1).toBool(), true);
    CLI_EXPECT(whole, cli({u"edit"_s, bucket, u"--no-republish-headers"_s, u"--json"_s}), 0);
    QCOMPARE(republishOf(whole.out).value("destination"_L1).toString(), u"other.>"_s);
    QCOMPARE(republishOf(whole.out).value("headers_only"_L1).toBool(true), false);
    CLI_EXPECT(both, cli({u"edit"_s, bucket, u"--republish-headers"_s, u"--no-republish-headers"_s}), 2);
    QVERIFY2(both.err.contains("--republish-headers") && both.err.contains("--no-republish-headers"),
             both.err.constData());
    CLI_EXPECT(stopped, cli({u"edit"_s, bucket, u"--republish-destination"_s, u""_s, u"--json"_s}), 0);
    QVERIFY2(republishOf(stopped.out).isEmpty(), stopped.out.constData());
    CLI_EXPECT(shown, cli({u"info"_s, bucket}), 0);
    QVERIFY2(!shown.out.contains("Republishing"), shown.out.constData());
}

// edit --metadata team=ops replaced the whole map: env=prod was gone. It merges now, and
// --remove-metadata takes a key out; the server's own _nats.* keys stay as they were.
void tst_KvdeskCliModern::editMergesMetadata()
{
    if (!modern())
        QSKIP("nats-server 2.9 has no bucket metadata (2.10+; refusals() checks the message)");
    const QString bucket = unique(u"meta"_s);
    CLI_EXPECT(added,
               cli({u"add"_s, bucket, u"--metadata"_s, u"env=prod"_s, u"--metadata"_s, u"team=dev"_s, u"--metadata"_s,
                    u"owner=qt"_s}),
               0);
    const auto metadataOf = [](const QByteArray &json) {
        return QJsonDocument::fromJson(json).object().value("metadata"_L1).toObject();
    };
    const auto serverMetadataOf = [](const QByteArray &json) {
        return QJsonDocument::fromJson(json).object().value("server_metadata"_L1).toObject();
    };
    CLI_EXPECT(before, cli({u"info"_s, bucket, u"--json"_s}), 0);
    CLI_EXPECT(merged, cli({u"edit"_s, bucket, u"--metadata"_s, u"team=ops"_s, u"--json"_s}), 0);
    QCOMPARE(metadataOf(merged.out),
             (QJsonObject{{u"env"_s, u"prod"_s}, {u"team"_s, u"ops"_s}, {u"owner"_s, u"qt"_s}}));
    CLI_EXPECT(removed,
               cli({u"edit"_s, bucket, u"--remove-metadata"_s, u"owner"_s, u"--remove-metadata"_s, u"env"_s,
                    u"--metadata"_s, u"new=1"_s, u"--json"_s}),
               0);
    QCOMPARE(metadataOf(removed.out), (QJsonObject{{u"team"_s, u"ops"_s}, {u"new"_s, u"1"_s}}));
    QCOMPARE(serverMetadataOf(removed.out).keys(), serverMetadataOf(before.out).keys());
    // A key that is not there, and the server's own keys, are said to be no user's metadata.
    CLI_EXPECT(missing, cli({u"edit"_s, bucket, u"--remove-metadata"_s, u"nosuch"_s}), 1);
    QVERIFY2(missing.err.contains("\"nosuch\""), qPrintable(missing.describe()));
    CLI_EXPECT(reserved, cli({u"edit"_s, bucket, u"--remove-metadata"_s, u"_nats.level"_s}), 2);
    QVERIFY2(reserved.err.contains("_nats."), qPrintable(reserved.describe()));
    CLI_EXPECT(onAdd, cli({u"add"_s, unique(u"meta2"_s), u"--remove-metadata"_s, u"x"_s}), 2);
}

QTEST_GUILESS_MAIN(tst_KvdeskCliModern)

#include "tst_kvdeskclimodern.moc"
