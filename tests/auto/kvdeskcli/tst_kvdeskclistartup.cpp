#include "clirunner.h"
#include "natsnkey.h"
#include "natsserverinfo.h"
#include "natsserverprocess.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// What a kvdesk-cli process loads: a plain nats:// command neither libcrypto (only NKey signatures need
// it; binding its symbols cost every process 1.3 ms) nor Qt's TLS backend, and an NKey login still signs
// with it, loaded then. The dynamic loader lists what it loads (LD_DEBUG=files) on stderr. And the
// questions a command asks before it starts, in the CONNECT's write.
class tst_KvdeskCliStartup final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void plainCommandLoadsNoCrypto();
    void nkeyLoginLoadsItWhenSigning();
    void questionsGoWithTheConnect_data();
    void questionsGoWithTheConnect();

private:
    CliRunner::Result runListingLoads(const QStringList &arguments) const;

    NatsServerProcess m_plain;
    NatsServerProcess m_nkey;
    NatsNKey m_user;
    QTemporaryDir m_dir;
    QString m_seedFile;
    CliRunner m_runner;
};

void tst_KvdeskCliStartup::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_plain.start(), qPrintable(m_plain.errorString()));
    CLI_EXPECT(added, m_runner.run({u"-s"_s, m_plain.url(), u"add"_s, u"early"_s}), 0);
    CLI_EXPECT(put, m_runner.run({u"-s"_s, m_plain.url(), u"put"_s, u"early"_s, u"k"_s, u"v"_s}), 0);
    m_runner.setEnvironment(u"LD_DEBUG"_s, u"files"_s); // kvdesk-cli's loader only, not this process's
    m_user = NatsNKey::create(NatsNKey::Type::User);
    QVERIFY(m_user.isValid());
    NatsServerProcess::Options options;
    options.config = "authorization { users: [ { nkey: " + m_user.publicKey() + " } ] }\n";
    QVERIFY2(m_nkey.start(options), qPrintable(m_nkey.errorString()));
    m_seedFile = m_dir.filePath(u"user.nk"_s);
    QFile seed(m_seedFile);
    QVERIFY(seed.open(QIODevice::WriteOnly));
    QVERIFY(seed.write(m_user.seed() + '\n') > 0);
}

CliRunner::Result tst_KvdeskCliStartup::runListingLoads(const QStringList &arguments) const
{
    return m_runner.run(arguments + QStringList{u"ls"_s, u"--names"_s});
}

void tst_KvdeskCliStartup::plainCommandLoadsNoCrypto()
{
    const CliRunner::Result result = runListingLoads({u"-s"_s, m_plain.url()});
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
    QVERIFY2(result.err.contains("libQt6Core.so"), "LD_DEBUG=files listed nothing: the check would see nothing");
    QVERIFY2(!result.err.contains("libcrypto.so"), "a plain nats:// command loaded libcrypto");
    QVERIFY2(!result.err.contains("libssl.so"), "a plain nats:// command loaded OpenSSL's TLS library");
}

void tst_KvdeskCliStartup::nkeyLoginLoadsItWhenSigning()
{
    const CliRunner::Result result = runListingLoads({u"-s"_s, m_nkey.url(), u"--nkey"_s, m_seedFile});
    QVERIFY2(result.exitCode == 0, qPrintable(result.describe()));
    QVERIFY2(result.err.contains("libcrypto.so"), "signed the server's nonce without libcrypto?");
}

// Before its first request a command waits for the connection, the user's permissions (2.10+ says
// them: $SYS.REQ.USER.INFO, to refuse what the server would) and its bucket's STREAM.INFO. Both
// questions go in the CONNECT's write, and so does a `get`'s read (KvBucket::readAhead()) and the
// listing of `ls` without a bucket, asked once: a `get` takes one round trip where nats.go takes three
// (connect, the bucket, the get), so a remote server's latency counts once, not three times. A write
// never goes before the bucket is known.
void tst_KvdeskCliStartup::questionsGoWithTheConnect_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QByteArray>("output");
    QTest::addColumn<QByteArray>("asked"); // the API request that goes with the CONNECT
    QTest::addColumn<QByteArray>("read");
    const QByteArray bind = "PUB $JS.API.STREAM.INFO.KV_early "_ba;
    QTest::newRow("get") << QStringList{u"get"_s, u"early"_s, u"k"_s, u"--raw"_s} << "v"_ba << bind
                         << "PUB $JS.API.DIRECT.GET.KV_early.$KV.early.k "_ba;
    QTest::newRow("get revision") << QStringList{u"get"_s, u"early"_s, u"k"_s, u"--revision"_s, u"1"_s, u"--raw"_s}
                                  << "v"_ba << bind << "PUB $JS.API.DIRECT.GET.KV_early _INBOX."_ba;
    QTest::newRow("put") << QStringList{u"put"_s, u"early"_s, u"k"_s, u"v"_s} << QByteArray() << bind << QByteArray();
    QTest::newRow("history") << QStringList{u"history"_s, u"early"_s, u"k"_s, u"--json"_s} << "\"value\":\"v\""_ba
                             << bind << QByteArray();
    QTest::newRow("ls keys") << QStringList{u"ls"_s, u"early"_s} << "k\n"_ba << bind << QByteArray();
    QTest::newRow("ls buckets") << QStringList{u"ls"_s} << "early"_ba
                                << "PUB $JS.API.STREAM.LIST "_ba << QByteArray();
    QTest::newRow("ls bucket names") << QStringList{u"ls"_s, u"--names"_s} << "early\n"_ba
                                     << "PUB $JS.API.STREAM.NAMES "_ba << QByteArray();
}

void tst_KvdeskCliStartup::questionsGoWithTheConnect()
{
    QFETCH(QStringList, command);
    QFETCH(QByteArray, output);
    QFETCH(QByteArray, asked);
    QFETCH(QByteArray, read);
    CliRunner wireLogged;
    wireLogged.setEnvironment(u"QT_LOGGING_RULES"_s, u"kvdesk.protocol.wire.debug=true"_s);
    CLI_EXPECT(got, wireLogged.run(QStringList{u"-s"_s, m_plain.url()} + command), 0);
    QVERIFY2(got.out.contains(output), qPrintable(got.describe()));
    QByteArrayList connects; // the writes that carry a CONNECT, each a log record of many lines
    for (qsizetype at = got.err.indexOf(">> CONNECT {"); at >= 0; at = got.err.indexOf(">> CONNECT {", at + 1))
        connects.append(got.err.mid(at, got.err.indexOf("\nkvdesk.protocol.wire: ", at) - at));
    QCOMPARE(connects.size(), 1);
    QVERIFY2(connects.first().contains(asked), connects.first().constData());
    // ls --names asks STREAM.NAMES twice at once: the streams with a bucket's subjects, and every
    // stream (mirror buckets have none).
    QCOMPARE(got.err.count(asked), asked.contains("STREAM.NAMES") ? 2 : 1);
    if (read.isEmpty()) {
        QVERIFY2(!connects.first().contains("DIRECT.GET") && !connects.first().contains("PUB $KV.early."),
                 connects.first().constData());
    } else {
        QVERIFY2(connects.first().contains(read), connects.first().constData());
        QCOMPARE(got.err.count("PUB $JS.API.DIRECT.GET."), 1);
    }
    NatsServerInfo server;
    server.version = NatsServerProcess::programVersion();
    QVERIFY2(!server.version.isEmpty(), "the server's version is unknown");
    if (server.isKnownBefore(2, 10)) {
        QVERIFY2(!got.err.contains("USER.INFO"), "2.9 has nothing to answer: not asked");
        return;
    }
    QVERIFY2(connects.first().contains("PUB $SYS.REQ.USER.INFO "), connects.first().constData());
    QCOMPARE(got.err.count("PUB $SYS.REQ.USER.INFO "), 1);
}

QTEST_GUILESS_MAIN(tst_KvdeskCliStartup)
#include "tst_kvdeskclistartup.moc"
