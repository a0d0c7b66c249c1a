#include "clirunner.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"
#include "natsserverprocess.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtCore/QVersionNumber>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli with credentials and natscli contexts: a user without publish permission, every kind of
// login through a context (and a wrong secret refused), and which context, flag or variable wins.
class tst_KvdeskCliContexts final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void permissionDenied();
    void fullBucket();
    void contexts_data();
    void contexts();
    void contextSelection();
    void aBadEnvironmentValueIsNamed_data();
    void aBadEnvironmentValueIsNamed();

private:
    static QByteArray tlsConfig(const QString &dir, QString *caFile);
    static bool authSetup(const QString &kind, const QTemporaryDir &dir, NatsServerProcess::Options *options,
                          QJsonObject *context, QJsonObject *wrong);

    NatsServerProcess m_server;
    CliRunner m_runner;
};

void tst_KvdeskCliContexts::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    CLI_EXPECT(made, m_runner.run({u"-s"_s, m_server.url(), u"add"_s, u"T"_s}), 0);
}

void tst_KvdeskCliContexts::permissionDenied()
{
    NatsServerProcess server;
    NatsServerProcess::Options options;
    options.config = R"(authorization { users: [
        { user: admin, password: a },
        { user: reader, password: r, permissions: { publish: { deny: ["$KV.>"] } } }
    ] })";
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    const QStringList admin{u"-s"_s, server.url(), u"--user"_s, u"admin"_s, u"--password"_s, u"a"_s};
    QCOMPARE(m_runner.run(admin + QStringList{u"add"_s, u"P"_s}).exitCode, 0);
    QCOMPARE(m_runner.run(admin + QStringList{u"put"_s, u"P"_s, u"k"_s, u"v"_s}).exitCode, 0);

    const QStringList reader{u"-s"_s, server.url(), u"--user"_s, u"reader"_s, u"--password"_s, u"r"_s};
    CLI_EXPECT(denied, m_runner.run(reader + QStringList{u"put"_s, u"P"_s, u"k"_s, u"w"_s}), 1);
    QVERIFY2(denied.err.contains("permission denied: ") && denied.err.contains("$KV.P.k"),
             qPrintable(denied.describe()));
    QCOMPARE(denied.err.count('\n'), 1);
    CLI_EXPECT(read, m_runner.run(reader + QStringList{u"get"_s, u"P"_s, u"k"_s, u"--raw"_s}), 0);
    QCOMPARE(read.out, "v"_ba);

    CLI_EXPECT(refused,
               m_runner.run({u"-s"_s, server.url(), u"--user"_s, u"reader"_s, u"--password"_s, u"wrong"_s, u"ls"_s}),
               1);
    QVERIFY2(refused.err.contains("Authorization Violation"), qPrintable(refused.describe()));
}

void tst_KvdeskCliContexts::fullBucket()
{
    // A put that a full bucket refuses (a 503, JetStream error 10077) says the bucket is full, with or
    // without a JetStream domain; it read as "JetStream not enabled", and with a domain the CLI then
    // told the user to check --js-domain.
    NatsServerProcess hub;
    NatsServerProcess::Options options;
    options.config = "jetstream { domain: hub }\n";
    QVERIFY2(hub.start(options), qPrintable(hub.errorString()));
    const QList<QStringList> servers{{u"-s"_s, hub.url(), u"--js-domain"_s, u"hub"_s}, {u"-s"_s, m_server.url()}};
    const QString value(70, u'x');
    for (const QStringList &server : servers) {
        // Memory storage: nats-server 2.9's file store drops old values instead of refusing.
        CLI_EXPECT(made,
                   m_runner.run(server
                                + QStringList{u"add"_s, u"FULL"_s, u"--max-bucket-size"_s, u"300"_s, u"--storage"_s,
                                              u"memory"_s}),
                   0);
        CliRunner::Result full;
        int stored = 0;
        while (stored < 10) {
            full = m_runner.run(server + QStringList{u"put"_s, u"FULL"_s, u"k%1"_s.arg(stored + 1), value});
            if (full.exitCode != 0)
                break;
            ++stored;
        }
        QVERIFY2(stored >= 1 && full.exitCode == 1, qPrintable(full.describe()));
        QVERIFY2(full.err.contains("error: bucket \"FULL\" is full: maximum bytes exceeded"),
                 qPrintable(full.describe()));
        QVERIFY2(full.err.contains(QByteArray("\"k" + QByteArray::number(stored + 1) + '"')),
                 qPrintable(full.describe()));
        QVERIFY2(!full.err.contains("domain") && !full.err.contains("not enabled"), qPrintable(full.describe()));
        QCOMPARE(full.err.count('\n'), 1);
    }

    // File storage: nats-server before 2.10 may take a put that does not fit and drop the oldest values of
    // other keys instead (2.9.10 does with these sizes, not with 400 bytes). Said when such a limit is set
    // there, as a note: the bucket is still made.
    const bool dropsOldKeys = QVersionNumber::fromString(NatsServerProcess::programVersion()) < QVersionNumber(2, 10);
    const QStringList server{u"-s"_s, m_server.url()};
    CLI_EXPECT(made, m_runner.run(server + QStringList{u"add"_s, u"FILE"_s, u"--max-bucket-size"_s, u"300"_s}), 0);
    QCOMPARE(made.err.contains("note: nats-server"), dropsOldKeys);
    if (dropsOldKeys) {
        QVERIFY2(made.err.contains("bucket \"FILE\"") && made.err.contains("drop the oldest values"),
                 qPrintable(made.describe()));
    }
    int refused = 0;
    for (int i = 1; i <= 4; ++i) {
        const CliRunner::Result put = m_runner.run(server + QStringList{u"put"_s, u"FILE"_s, u"k%1"_s.arg(i), value});
        QVERIFY2(put.exitCode == 0 || (put.exitCode == 1 && put.err.contains("is full")), qPrintable(put.describe()));
        refused += put.exitCode;
    }
    QCOMPARE(refused > 0, !dropsOldKeys);
    CLI_EXPECT(oldest, m_runner.run(server + QStringList{u"get"_s, u"FILE"_s, u"k1"_s}), dropsOldKeys ? 1 : 0);
    CLI_EXPECT(edited, m_runner.run(server + QStringList{u"edit"_s, u"FILE"_s, u"--max-bucket-size"_s, u"400"_s}), 0);
    QCOMPARE(edited.err.contains("note: nats-server"), dropsOldKeys);
    // Not limited: no note.
    CLI_EXPECT(unlimited, m_runner.run(server + QStringList{u"add"_s, u"FILE2"_s}), 0);
    QVERIFY2(!unlimited.err.contains("note:"), qPrintable(unlimited.describe()));
}

QByteArray tst_KvdeskCliContexts::tlsConfig(const QString &dir, QString *caFile)
{
    const auto openssl = [&dir](const QStringList &arguments) {
        QProcess process;
        process.setWorkingDirectory(dir);
        process.start(u"openssl"_s, arguments);
        return process.waitForFinished(30000) && process.exitCode() == 0;
    };
    QFile extensions(dir + u"/san.cnf"_s);
    if (!extensions.open(QIODevice::WriteOnly) || extensions.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n") <= 0)
        return {};
    extensions.close();
    const QStringList ec{u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s};
    const bool made = openssl(QStringList{u"req"_s, u"-x509"_s} + ec
                              + QStringList{u"-keyout"_s, u"ca.key"_s, u"-out"_s, u"ca.pem"_s, u"-days"_s, u"2"_s,
                                            u"-subj"_s, u"/CN=kvdesk test CA"_s})
        && openssl(QStringList{u"req"_s} + ec
                   + QStringList{u"-keyout"_s, u"server.key"_s, u"-out"_s, u"server.csr"_s, u"-subj"_s,
                                 u"/CN=localhost"_s})
        && openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s, u"ca.key"_s,
                    u"-CAcreateserial"_s, u"-out"_s, u"server.pem"_s, u"-days"_s, u"2"_s, u"-extfile"_s, u"san.cnf"_s});
    if (!made)
        return {};
    *caFile = dir + u"/ca.pem"_s;
    return "tls { cert_file: \"" + dir.toUtf8() + "/server.pem\", key_file: \"" + dir.toUtf8() + "/server.key\" }\n";
}

void tst_KvdeskCliContexts::contexts_data()
{
    QTest::addColumn<QString>("kind");
    for (const char *kind : {"user-password", "token", "nkey", "creds", "tls-ca"})
        QTest::newRow(kind) << QString::fromLatin1(kind);
}

// The server configuration for one authentication kind, a context that logs in with it, and the same
// context with a bad secret. Returns false when the set-up itself failed.
bool tst_KvdeskCliContexts::authSetup(const QString &kind, const QTemporaryDir &dir,
                                      NatsServerProcess::Options *options, QJsonObject *context, QJsonObject *wrong)
{
    const auto writeFile = [&dir](const QString &name, const QByteArray &content) {
        QFile file(dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(content) == content.size() ? file.fileName() : QString();
    };
    if (kind == "user-password"_L1) {
        options->config = "authorization { user: alice, password: s3cret }";
        *context = {{u"user"_s, u"alice"_s}, {u"password"_s, u"s3cret"_s}};
        *wrong = {{u"user"_s, u"alice"_s}, {u"password"_s, u"nope"_s}};
    } else if (kind == "token"_L1) {
        options->config = "authorization { token: t0ken }";
        *context = {{u"token"_s, u"t0ken"_s}};
        *wrong = {{u"token"_s, u"other"_s}};
    } else if (kind == "nkey"_L1) {
        const NatsNKey user = NatsNKey::create(NatsNKey::Type::User);
        options->config = "authorization { users: [ { nkey: " + user.publicKey() + " } ] }";
        *context = {{u"nkey"_s, writeFile(u"user.nk"_s, user.seed() + '\n')}};
        *wrong = {{u"nkey"_s, writeFile(u"other.nk"_s, NatsNKey::create(NatsNKey::Type::User).seed())}};
    } else if (kind == "creds"_L1) {
        const NatsJwtIssuer issuer;
        options->config = issuer.serverConfig(dir.filePath(u"store"_s));
        options->jetStream = false; // the operator config enables JetStream itself
        *context = {{u"creds"_s, writeFile(u"user.creds"_s, issuer.userCreds(u"cli"_s))}};
        *wrong = {{u"creds"_s, writeFile(u"stranger.creds"_s, issuer.unknownAccountUserCreds(u"x"_s))}};
    } else {
        QString ca;
        options->config = tlsConfig(dir.path(), &ca);
        *context = {{u"ca"_s, ca}};
        *wrong = {}; // without the CA the server's certificate cannot be verified
        return !options->config.isEmpty();
    }
    return !context->constBegin().value().toString().isEmpty() && !wrong->constBegin().value().toString().isEmpty();
}

void tst_KvdeskCliContexts::contexts()
{
    QFETCH(QString, kind);
    QTemporaryDir dir;
    NatsServerProcess server;
    NatsServerProcess::Options options;
    QJsonObject context;
    QJsonObject wrong;
    QVERIFY2(authSetup(kind, dir, &options, &context, &wrong), "could not prepare the credentials");
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    context.insert(u"url"_s, server.url());
    context.insert(u"description"_s, QString(u"test context "_s + kind));
    wrong.insert(u"url"_s, server.url());

    CliRunner runner;
    runner.writeContext(u"good"_s, QJsonDocument(context).toJson());
    runner.writeContext(u"bad"_s, QJsonDocument(wrong).toJson());
    const QStringList good{u"--context"_s, u"good"_s};
    CLI_EXPECT(added, runner.run(good + QStringList{u"add"_s, u"CTX"_s}), 0);
    CLI_EXPECT(put, runner.run(good + QStringList{u"put"_s, u"CTX"_s, u"k"_s, kind}), 0);
    CLI_EXPECT(got, runner.run(good + QStringList{u"get"_s, u"CTX"_s, u"k"_s, u"--raw"_s}), 0);
    QCOMPARE(got.out, kind.toUtf8());
    CLI_EXPECT(refused, runner.run({u"--context"_s, u"bad"_s, u"ls"_s}), 1);
    QVERIFY2(refused.err.contains("not connected") || refused.err.contains("permission denied"),
             qPrintable(refused.describe()));
}

void tst_KvdeskCliContexts::contextSelection()
{
    CliRunner runner;
    const QByteArray good = R"({"url":")" + m_server.url().toUtf8() + R"("})";
    runner.writeContext(u"here"_s, good);
    runner.writeContext(u"nowhere"_s, R"({"url":"nats://127.0.0.1:1"})", true);
    CLI_EXPECT(selected, runner.run({u"ls"_s, u"-n"_s}), 1); // context.txt selects "nowhere"
    QVERIFY(selected.err.contains("not connected"));
    CLI_EXPECT(flag, runner.run({u"--server"_s, m_server.url(), u"ls"_s, u"-n"_s}), 0); // a flag beats the context
    QVERIFY(flag.out.split('\n').contains("T"));
    runner.setEnvironment(u"NATS_URL"_s, m_server.url()); // so does the flag's environment variable
    CLI_EXPECT(environment, runner.run({u"ls"_s, u"-n"_s}), 0);

    CliRunner chosen;
    chosen.writeContext(u"nowhere"_s, R"({"url":"nats://127.0.0.1:1"})", true);
    chosen.writeContext(u"here"_s, good);
    chosen.setEnvironment(u"NATS_CONTEXT"_s, u"here"_s);
    CLI_EXPECT(named, chosen.run({u"ls"_s, u"-n"_s}), 0);
    CLI_EXPECT(explicitContext, chosen.run({u"--context"_s, u"nowhere"_s, u"ls"_s}), 1);
    chosen.writeContext(u"domain"_s, R"({"url":")" + m_server.url().toUtf8() + R"(","jetstream_domain":"elsewhere"})");
    CLI_EXPECT(domain, chosen.run({u"--context"_s, u"domain"_s, u"--timeout"_s, u"1s"_s, u"ls"_s}), 1);
    CLI_EXPECT(domainFlag, chosen.run({u"--js-domain"_s, u"elsewhere"_s, u"--timeout"_s, u"1s"_s, u"info"_s, u"T"_s}),
               1);
    // An empty file is said to be one (it was "is not a JSON object: illegal value").
    chosen.writeContext(u"blank"_s, QByteArray());
    CLI_EXPECT(blank, chosen.run({u"--context"_s, u"blank"_s, u"ls"_s, u"-n"_s}), 1);
    QVERIFY2(blank.err.contains("/blank.json is empty"), qPrintable(blank.describe()));
}

void tst_KvdeskCliContexts::aBadEnvironmentValueIsNamed_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QStringList>("arguments"); // before ls
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");   // in stderr
    QTest::addColumn<QString>("notBlamed"); // a flag that was not given, not in stderr

    QTest::newRow("NATS_TIMEOUT=abc") << u"NATS_TIMEOUT"_s << u"abc"_s << QStringList() << 2
                                      << u"invalid NATS_TIMEOUT: invalid duration \"abc\""_s << u"--timeout"_s;
    QTest::newRow("NATS_TIMEOUT=-1") << u"NATS_TIMEOUT"_s << u"-1"_s << QStringList() << 2
                                     << u"invalid NATS_TIMEOUT: invalid duration \"-1\""_s << u"--timeout"_s;
    QTest::newRow("NATS_TIMEOUT=0") << u"NATS_TIMEOUT"_s << u"0"_s << QStringList() << 2
                                    << u"NATS_TIMEOUT must be at least 1ms, not 0"_s << u"--timeout"_s;
    QTest::newRow("NATS_URL=http://x") << u"NATS_URL"_s << u"http://x"_s << QStringList() << 2
                                       << u"invalid NATS_URL: \"http://x\""_s << u"--server"_s;
    QTest::newRow("NATS_CERT without a key")
        << u"NATS_CERT"_s << u"/dev/null"_s << QStringList() << 2 << u"NATS_CERT needs --tlskey"_s << u"--tlscert"_s;
    QTest::newRow("NATS_KEY without a certificate")
        << u"NATS_KEY"_s << u"/dev/null"_s << QStringList() << 2 << u"NATS_KEY needs --tlscert"_s << u"--tlskey"_s;
    // The flag wins: the variable is not read, so it is not refused either.
    QTest::newRow("--timeout over NATS_TIMEOUT=abc")
        << u"NATS_TIMEOUT"_s << u"abc"_s << QStringList{u"--timeout"_s, u"5s"_s} << 0 << QString() << u"abc"_s;
}

// A value that came from the environment is named as such: "invalid --timeout" for NATS_TIMEOUT=abc sent
// the user looking for a flag that was never given.
void tst_KvdeskCliContexts::aBadEnvironmentValueIsNamed()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QFETCH(QString, notBlamed);
    CliRunner runner;
    runner.setEnvironment(variable, value);
    if (variable != "NATS_URL"_L1)
        arguments = QStringList{u"-s"_s, m_server.url()} + arguments;
    CLI_EXPECT(result, runner.run(arguments + QStringList{u"ls"_s, u"-n"_s}), exitCode);
    QVERIFY2(result.err.contains(message.toUtf8()), qPrintable(result.describe()));
    QVERIFY2(!result.err.split('\n').first().contains(notBlamed.toUtf8()), qPrintable(result.describe()));
}

QTEST_GUILESS_MAIN(tst_KvdeskCliContexts)

#include "tst_kvdeskclicontexts.moc"
