#include "clirunner.h"
#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "kvclient.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natsuserinforeply.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QFileInfo>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli as a user the server restricts. On 2.10+ a command the user may not run is refused before
// anything is sent, with the text the app shows ("you may not publish to $KV.orders.x"); on 2.9 the
// server's permissions violation comes at once. Either way: exit 1, one line naming the subject, no wait.
class tst_KvdeskCliPermissions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void refused_data();
    void refused();
    void allowedCommandsRun();
    void messageGetReadsBucketWithoutDirectGets();
    void directGetsAloneStillTellWhatIsMissing();
    void namesNeedOnlyStreamNames();
    void namesAgreeWithTheTable();
    void oldRevisionsWithSuffixedDirectGets();
    void historyWithoutConsumers();
    void privateInboxPrefix();

private:
    QStringList as(const QString &user) const;
    void turnOffDirectGets(const QString &stream);

    NatsServerProcess m_server;
    CliRunner m_runner;
    bool m_serverTells = false; // $SYS.REQ.USER.INFO answered
};

void tst_KvdeskCliPermissions::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    NatsServerProcess::Options options;
    options.config = R"(accounts { APP: { jetstream: enabled, users: [
  { user: admin, password: pw }
  { user: reader, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO"],
                 deny: ["$JS.API.STREAM.CREATE.>", "$JS.API.STREAM.DELETE.>", "$JS.API.DIRECT.GET.KV_secret.>",
                        "$JS.API.CONSUMER.CREATE.KV_secret", "$JS.API.CONSUMER.CREATE.KV_secret.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: msgreader, password: pw, permissions: {
      publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.>", "$JS.API.STREAM.MSG.GET.KV_plain",
                         "$JS.API.STREAM.MSG.GET.KV_orders", "$JS.API.STREAM.MSG.GET.KV_hist2", "$SYS.REQ.USER.INFO"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: revreader, password: pw, permissions: {
      publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.KV_hist", "$JS.API.DIRECT.GET.KV_hist.>",
                         "$JS.API.STREAM.MSG.GET.KV_hist", "$JS.API.CONSUMER.CREATE.KV_hist",
                         "$JS.API.CONSUMER.CREATE.KV_hist.>", "$JS.API.CONSUMER.DELETE.KV_hist.>", "$JS.FC.>",
                         "$JS.ACK.KV_hist.>", "$KV.hist.>", "$SYS.REQ.USER.INFO"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: inb, password: pw, permissions: { publish: ">", subscribe: { allow: ["_MY_INBOX.>"] } } }
  { user: names, password: pw, permissions: {
      publish: { allow: [">"], deny: ["$JS.API.STREAM.LIST"] }, subscribe: ">" } }
  { user: blind, password: pw, permissions: {
      publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.>", "$JS.API.DIRECT.GET.KV_orders.>", "$SYS.REQ.USER.INFO"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: directreader, password: pw, permissions: {
      publish: { allow: ["$JS.API.INFO", "$JS.API.STREAM.INFO.>", "$JS.API.DIRECT.GET.>", "$SYS.REQ.USER.INFO"] }
      subscribe: { allow: ["_INBOX.>"] } } }
] } }
)";
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    CLI_EXPECT(orders, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"orders"_s}), 0);
    CLI_EXPECT(secret, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"secret"_s}), 0);
    CLI_EXPECT(put, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"secret"_s, u"a"_s, u"1"_s}), 0);

    NatsConnectOptions reader = NatsConnectOptions::fromUrl(m_server.url());
    reader.user = u"reader"_s;
    reader.password = u"pw"_s;
    NatsConnection *connection = nullptr;
    QVERIFY(KvTest::connectClient(reader, this, &connection));
    NatsUserInfoReply *info = NatsUserInfoReply::ask(connection);
    QTRY_VERIFY(info->isFinished());
    m_serverTells = info->error() == NatsError::NoError;
}

QStringList tst_KvdeskCliPermissions::as(const QString &user) const
{
    return {u"-s"_s, m_server.url(), u"--user"_s, user, u"--password"_s, u"pw"_s, u"--timeout"_s, u"20s"_s};
}

void tst_KvdeskCliPermissions::refused_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("refusal"); // what 2.10+ says before sending
    QTest::addColumn<QString>("subject"); // what the server's error names on 2.9
    QTest::newRow("put") << QStringList{u"put"_s, u"orders"_s, u"x"_s, u"v"_s}
                         << u"you may not publish to $KV.orders.x"_s << u"$KV.orders.x"_s;
    QTest::newRow("delete key") << QStringList{u"rm"_s, u"orders"_s, u"x"_s, u"-f"_s}
                                << u"you may not publish to $KV.orders.x"_s << u"$KV.orders.x"_s;
    QTest::newRow("add bucket") << QStringList{u"add"_s, u"fresh"_s}
                                << u"you may not publish to $JS.API.STREAM.CREATE.KV_fresh"_s
                                << u"$JS.API.STREAM.CREATE.KV_fresh"_s;
    QTest::newRow("delete bucket") << QStringList{u"rm"_s, u"orders"_s, u"-f"_s}
                                   << u"you may not publish to $JS.API.STREAM.DELETE.KV_orders"_s
                                   << u"$JS.API.STREAM.DELETE.KV_orders"_s;
    QTest::newRow("get") << QStringList{u"get"_s, u"secret"_s, u"a"_s}
                         << u"you may not publish to $JS.API.DIRECT.GET.KV_secret.$KV.secret.a"_s
                         << u"$JS.API.DIRECT.GET.KV_secret.$KV.secret.a"_s;
    QTest::newRow("watch") << QStringList{u"watch"_s, u"secret"_s}
                           << u"you may not publish to $JS.API.CONSUMER.CREATE.KV_secret.>"_s
                           << u"$JS.API.CONSUMER.CREATE.KV_secret"_s;
}

void tst_KvdeskCliPermissions::refused()
{
    QFETCH(QStringList, command);
    QFETCH(QString, refusal);
    QFETCH(QString, subject);
    QElapsedTimer clock;
    clock.start();
    CLI_EXPECT(result, m_runner.run(as(u"reader"_s) + command), 1);
    QVERIFY2(clock.elapsed() < 10000, qPrintable(u"%1 ms"_s.arg(clock.elapsed())));
    QCOMPARE(result.err.count('\n'), 1);
    if (m_serverTells) {
        QCOMPARE(QString::fromUtf8(result.err), u"kvdesk-cli: error: permission denied: %1\n"_s.arg(refusal));
    } else {
        QVERIFY2(result.err.contains("permission denied: ") && result.err.contains(subject.toUtf8()),
                 qPrintable(result.describe()));
    }
}

void tst_KvdeskCliPermissions::allowedCommandsRun()
{
    // The check refuses only what the user lacks: reading and listing go ahead.
    CLI_EXPECT(put, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"orders"_s, u"k"_s, u"v"_s}), 0);
    CLI_EXPECT(get, m_runner.run(as(u"reader"_s) + QStringList{u"get"_s, u"orders"_s, u"k"_s, u"--raw"_s}), 0);
    QCOMPARE(get.out, "v"_ba);
    CLI_EXPECT(ls, m_runner.run(as(u"reader"_s) + QStringList{u"ls"_s}), 0);
    QVERIFY2(ls.out.contains("orders"), qPrintable(ls.describe()));
}

void tst_KvdeskCliPermissions::turnOffDirectGets(const QString &stream)
{
    NatsConnectOptions admin = NatsConnectOptions::fromUrl(m_server.url());
    admin.user = u"admin"_s;
    admin.password = u"pw"_s;
    JetStreamContext *js = nullptr;
    KvClient *client = KvTest::connectClient(admin, this, nullptr, &js);
    QVERIFY(client);
    JsApiReply *info = js->streamInfo(stream);
    WAIT_OK(info);
    JsStreamConfig config = info->streamInfo().config;
    config.allowDirect = false;
    WAIT_OK(js->updateStream(config));
    delete client;
}

void tst_KvdeskCliPermissions::messageGetReadsBucketWithoutDirectGets()
{
    // Reads use direct gets only where the bucket's stream allows them (allow_direct): a bucket without
    // them is read through STREAM.MSG.GET, and a user allowed only that may read it.
    CLI_EXPECT(add, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"plain"_s}), 0);
    CLI_EXPECT(put, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"plain"_s, u"a"_s, u"1"_s}), 0);
    turnOffDirectGets(u"KV_plain"_s);
    if (QTest::currentTestFailed())
        return;
    CLI_EXPECT(get, m_runner.run(as(u"msgreader"_s) + QStringList{u"get"_s, u"plain"_s, u"a"_s, u"--raw"_s}), 0);
    QCOMPARE(get.out, "1"_ba);
    // Its read sent ahead of the bucket lookup (a direct get, which this user may not make) is given up
    // without a word: the user asked for nothing that was refused.
    QVERIFY2(get.err.isEmpty(), qPrintable(get.describe()));

    // A bucket with direct gets is read through them: STREAM.MSG.GET alone is not enough.
    CLI_EXPECT(put2, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"orders"_s, u"a"_s, u"1"_s}), 0);
    CLI_EXPECT(direct, m_runner.run(as(u"msgreader"_s) + QStringList{u"get"_s, u"orders"_s, u"a"_s}), 1);
    QVERIFY2(direct.err.contains("permission denied: ") && direct.err.contains("$JS.API.DIRECT.GET.KV_orders"),
             qPrintable(direct.describe()));
    if (m_serverTells) {
        QCOMPARE(
            QString::fromUtf8(direct.err),
            u"kvdesk-cli: error: permission denied: you may not publish to $JS.API.DIRECT.GET.KV_orders.$KV.orders.a\n"_s);
    }
}

void tst_KvdeskCliPermissions::directGetsAloneStillTellWhatIsMissing()
{
    // A direct get's "not found" is checked with the stream's leader (STREAM.MSG.GET: a mirror or a
    // lagging replica may have answered). A user allowed direct gets only cannot ask it: the direct
    // answer stands, and nothing is said about the question that was refused.
    CLI_EXPECT(put, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"orders"_s, u"b"_s, u"2"_s}), 0);
    CLI_EXPECT(found, m_runner.run(as(u"directreader"_s) + QStringList{u"get"_s, u"orders"_s, u"b"_s, u"--raw"_s}), 0);
    QCOMPARE(found.out, "2"_ba);
    CLI_EXPECT(missing, m_runner.run(as(u"directreader"_s) + QStringList{u"get"_s, u"orders"_s, u"nothing"_s}), 1);
    QCOMPARE(QString::fromUtf8(missing.err), u"kvdesk-cli: error: key \"nothing\" not found in bucket \"orders\"\n"_s);
    CLI_EXPECT(
        noRevision,
        m_runner.run(as(u"directreader"_s) + QStringList{u"get"_s, u"orders"_s, u"b"_s, u"--revision"_s, u"999"_s}), 1);
    // Why, with the stream's info this user may read: one line, nothing about the refused question.
    QVERIFY2(noRevision.err.startsWith("kvdesk-cli: error: bucket \"orders\" has no revision 999 yet (its last is ")
                 && noRevision.err.count('\n') == 1,
             noRevision.err.constData());
}

void tst_KvdeskCliPermissions::namesNeedOnlyStreamNames()
{
    // Bucket names alone (ls -n, which shell completion runs) need STREAM.NAMES, as nats.go's
    // KeyValueStoreNames: a user refused STREAM.LIST still gets them, and the 2.10+ check agrees.
    CLI_EXPECT(names, m_runner.run(as(u"names"_s) + QStringList{u"ls"_s, u"-n"_s}), 0);
    QVERIFY2(names.out.contains("orders\n") && names.out.contains("secret\n"), qPrintable(names.describe()));
    QVERIFY2(names.err.isEmpty(), qPrintable(names.describe()));
    // The table shows each bucket's state: that is STREAM.LIST, refused by name.
    CLI_EXPECT(table, m_runner.run(as(u"names"_s) + QStringList{u"ls"_s}), 1);
    QVERIFY2(table.err.contains("permission denied: ") && table.err.contains("$JS.API.STREAM.LIST"),
             qPrintable(table.describe()));
}

// A stream named like a bucket that is none (KV_notbucket: other subjects, no per-key history): the
// table leaves it out, and ls -n listed it (every KV_* stream). Both leave it out now, with STREAM.NAMES
// alone; a mirror bucket, which has no subjects of its own, is in both.
void tst_KvdeskCliPermissions::namesAgreeWithTheTable()
{
    NatsConnectOptions admin = NatsConnectOptions::fromUrl(m_server.url());
    admin.user = u"admin"_s;
    admin.password = u"pw"_s;
    JetStreamContext *js = nullptr;
    QVERIFY(KvTest::connectClient(admin, this, nullptr, &js));
    JsStreamConfig notBucket;
    notBucket.name = u"KV_notbucket"_s;
    notBucket.subjects = {u"notbucket.>"_s};
    notBucket.storage = u"memory"_s;
    WAIT_OK(js->createStream(notBucket));
    CLI_EXPECT(mirror, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"mirrored"_s, u"--mirror"_s, u"orders"_s}),
               0);
    CLI_EXPECT(table, m_runner.run(as(u"admin"_s) + QStringList{u"ls"_s}), 0);
    QVERIFY2(!table.out.contains("notbucket") && table.out.contains("mirrored"), qPrintable(table.describe()));
    CLI_EXPECT(names, m_runner.run(as(u"names"_s) + QStringList{u"ls"_s, u"-n"_s}), 0);
    QVERIFY2(names.out.contains("orders\n") && names.out.contains("mirrored\n"), qPrintable(names.describe()));
    QVERIFY2(!names.out.contains("notbucket"), qPrintable(names.describe()));
    QVERIFY2(names.err.isEmpty(), qPrintable(names.describe()));
    WAIT_OK(js->deleteStream(u"KV_notbucket"_s));
}

void tst_KvdeskCliPermissions::oldRevisionsWithSuffixedDirectGets()
{
    // The usual read permissions: direct gets of the bucket's subjects (DIRECT.GET.KV_hist.>) and
    // STREAM.MSG.GET. A given revision is asked with the unsuffixed DIRECT.GET.KV_hist, which they do not
    // allow: STREAM.MSG.GET answers the same, for get --revision and revert alike.
    CLI_EXPECT(add, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"hist"_s, u"--history"_s, u"5"_s}), 0);
    CLI_EXPECT(first, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"hist"_s, u"k"_s, u"one"_s}), 0);
    CLI_EXPECT(second, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"hist"_s, u"k"_s, u"two"_s}), 0);
    CLI_EXPECT(old,
               m_runner.run(as(u"revreader"_s)
                            + QStringList{u"get"_s, u"hist"_s, u"k"_s, u"--revision"_s, u"1"_s, u"--raw"_s}),
               0);
    QCOMPARE(old.out, "one"_ba);
    QVERIFY2(old.err.isEmpty(), qPrintable(old.describe()));
    CLI_EXPECT(revert, m_runner.run(as(u"revreader"_s) + QStringList{u"revert"_s, u"hist"_s, u"k"_s, u"1"_s, u"-f"_s}),
               0);
    CLI_EXPECT(now, m_runner.run(as(u"revreader"_s) + QStringList{u"get"_s, u"hist"_s, u"k"_s, u"--raw"_s}), 0);
    QCOMPARE(now.out, "one"_ba);
}

void tst_KvdeskCliPermissions::historyWithoutConsumers()
{
    // A user who may not create consumers reads a key's history one revision at a time where the gets of
    // its revisions are allowed (msgreader: STREAM.MSG.GET only); before, history was refused (on 2.10+
    // before anything was sent).
    CLI_EXPECT(add, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"hist2"_s, u"--history"_s, u"5"_s}), 0);
    CLI_EXPECT(one, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"hist2"_s, u"h"_s, u"first"_s}), 0);
    CLI_EXPECT(two, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"hist2"_s, u"h"_s, u"second"_s}), 0);
    CLI_EXPECT(history, m_runner.run(as(u"msgreader"_s) + QStringList{u"history"_s, u"hist2"_s, u"h"_s}), 0);
    QVERIFY2(history.err.isEmpty(), qPrintable(history.describe()));
    QVERIFY2(history.out.contains("first") && history.out.contains("second")
                 && history.out.indexOf("first") < history.out.indexOf("second"),
             qPrintable(history.describe()));
    // Neither a consumer nor a get by sequence (only DIRECT.GET.KV_orders.>, the latest values): refused,
    // naming the consumer, the usual way.
    CLI_EXPECT(blind, m_runner.run(as(u"blind"_s) + QStringList{u"history"_s, u"orders"_s, u"h"_s}), 1);
    QVERIFY2(blind.err.contains("permission denied: ") && blind.err.contains("$JS.API.CONSUMER.CREATE.KV_orders"),
             qPrintable(blind.describe()));
    QCOMPARE(blind.err.count('\n'), 1);
}

void tst_KvdeskCliPermissions::privateInboxPrefix()
{
    // A user confined to a private inbox (subscribe "_MY_INBOX.>"), as natscli and nats.go allow with an
    // inbox prefix: every reply inbox (requests, a watch's deliveries) takes it, from --inbox-prefix or
    // the context's inbox_prefix, and the 2.10+ check judges those inboxes, not "_INBOX".
    CLI_EXPECT(put, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"orders"_s, u"inbox"_s, u"v"_s}), 0);
    const QStringList inb = as(u"inb"_s) + QStringList{u"--inbox-prefix"_s, u"_MY_INBOX"_s};
    CLI_EXPECT(names, m_runner.run(inb + QStringList{u"ls"_s, u"-n"_s}), 0);
    QVERIFY2(names.out.contains("orders\n"), qPrintable(names.describe()));
    CLI_EXPECT(get, m_runner.run(inb + QStringList{u"get"_s, u"orders"_s, u"inbox"_s, u"--raw"_s}), 0);
    QCOMPARE(get.out, "v"_ba);
    CLI_EXPECT(keys, m_runner.run(inb + QStringList{u"ls"_s, u"orders"_s}), 0);
    QVERIFY2(keys.out.contains("inbox\n"), qPrintable(keys.describe()));
    QVERIFY2(keys.err.isEmpty(), qPrintable(keys.describe()));

    CliRunner context;
    context.writeContext(u"inb"_s,
                         R"({"url":")" + m_server.url().toUtf8()
                             + R"(","user":"inb","password":"pw","inbox_prefix":"_MY_INBOX"})",
                         true);
    CLI_EXPECT(fromContext, context.run({u"get"_s, u"orders"_s, u"inbox"_s, u"--raw"_s}), 0);
    QCOMPARE(fromContext.out, "v"_ba);

    CLI_EXPECT(wildcard, m_runner.run(as(u"inb"_s) + QStringList{u"--inbox-prefix"_s, u"_MY.*"_s, u"ls"_s}), 2);
    QVERIFY2(wildcard.err.contains("--inbox-prefix"), qPrintable(wildcard.describe()));
}

QTEST_GUILESS_MAIN(tst_KvdeskCliPermissions)

#include "tst_kvdeskclipermissions.moc"
