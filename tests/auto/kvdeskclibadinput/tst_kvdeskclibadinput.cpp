#include "fakenatsserver.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"
#include "natsserverprocess.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Bad input, always: for every class of mistake a user or a server can make, kvdesk-cli ends with a
// non-zero exit and a message that names the problem, never hangs, never reads as a bare timeout, and
// leaves the bucket as it was. One table, one row per class.
class tst_KvdeskCliBadInput final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void badInput_data();
    void badInput();
    void whatAnswersIsSaid_data();
    void whatAnswersIsSaid();

private:
    struct Outcome
    {
        int exitCode = -1;
        QByteArray err;
        bool finished = false;
    };

    // Runs kvdesk-cli without blocking the event loop (a fake server in this process must answer it),
    // with stdin read from stdinPath, or closed at once.
    Outcome runCli(const QStringList &arguments, const QString &stdinPath = {});
    bool openssl(const QStringList &arguments);
    QString path(const QString &name) const { return m_dir.filePath(name); }
    bool writeFile(const QString &name, const QByteArray &bytes);
    // The bucket's values and last sequence, to show that nothing changed.
    QString bucketState();

    QTemporaryDir m_dir;
    QTemporaryDir m_jwtStore;
    NatsServerProcess m_plain; // JetStream, no auth: the bucket the write rows aim at
    NatsServerProcess m_hub;   // JetStream in domain "hub"
    NatsServerProcess m_password;
    NatsServerProcess m_nkey;
    NatsServerProcess m_jwt;
    NatsServerProcess m_tls;
    NatsServerProcess m_tlsFirst; // handshake_first (2.10+), closing a silent client after 1 s
    QString m_tlsFirstRefused;    // why the server would not start so (2.9 knows no handshake_first)
    NatsServerProcess m_frozen;   // stopped (SIGSTOP) while a row runs
    NatsJwtIssuer m_issuer;
    NatsNKey m_nkeyUser;
    KvContext *m_kv = nullptr;
};

void tst_KvdeskCliBadInput::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_plain.start(), qPrintable(m_plain.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_plain.url()), this, nullptr, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"orders"_s;
    config.maxValueSize = 64;
    QVERIFY(KvTest::createBucket(m_kv, config));
    WAIT_OK(m_kv->bucket(u"orders"_s, this)->put(u"o1"_s, "first"));

    NatsServerProcess::Options options;
    options.jetStream = false;
    options.config = "authorization { user: alice, password: s3cret }\n";
    QVERIFY2(m_password.start(options), qPrintable(m_password.errorString()));
    m_nkeyUser = NatsNKey::create(NatsNKey::Type::User);
    options.config = "authorization { users: [ { nkey: " + m_nkeyUser.publicKey() + " } ] }\n";
    QVERIFY2(m_nkey.start(options), qPrintable(m_nkey.errorString()));
    options.config = m_issuer.serverConfig(m_jwtStore.path());
    QVERIFY2(m_jwt.start(options), qPrintable(m_jwt.errorString()));

    // A TLS server whose certificate names localhost only, from a CA of its own; and another CA.
    for (const QString &ca : {u"ca"_s, u"otherca"_s}) {
        QVERIFY(openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, ca + u".key"_s,
                         u"-out"_s, ca + u".pem"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=kvdesk test "_s + ca}));
    }
    QVERIFY(writeFile(u"server.ext"_s, "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\n"));
    QVERIFY(openssl({u"req"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, u"server.key"_s, u"-out"_s,
                     u"server.csr"_s, u"-subj"_s, u"/CN=localhost"_s}));
    QVERIFY(openssl({u"x509"_s, u"-req"_s, u"-in"_s, u"server.csr"_s, u"-CA"_s, u"ca.pem"_s, u"-CAkey"_s, u"ca.key"_s,
                     u"-CAcreateserial"_s, u"-days"_s, u"2"_s, u"-out"_s, u"server.pem"_s, u"-extfile"_s,
                     u"server.ext"_s}));
    options.config = "tls { cert_file: \"" + path(u"server.pem"_s).toUtf8() + "\", key_file: \""
        + path(u"server.key"_s).toUtf8() + "\" }\n";
    QVERIFY2(m_tls.start(options), qPrintable(m_tls.errorString()));
    // What the server says decides, not its version label: 2.9 refuses handshake_first ("unknown field").
    options.config = "tls { cert_file: \"" + path(u"server.pem"_s).toUtf8() + "\", key_file: \""
        + path(u"server.key"_s).toUtf8() + "\", handshake_first: true, timeout: 1 }\n";
    if (!m_tlsFirst.start(options)) {
        QVERIFY2(m_tlsFirst.errorString().contains(u"handshake_first"_s), qPrintable(m_tlsFirst.errorString()));
        m_tlsFirstRefused = m_tlsFirst.errorString().section(u'\n', 0, 0);
    }
    options.config.clear();
    QVERIFY2(m_frozen.start(options), qPrintable(m_frozen.errorString()));
    NatsServerProcess::Options hub;
    hub.config = "jetstream { domain: hub }\n";
    QVERIFY2(m_hub.start(hub), qPrintable(m_hub.errorString()));

    QVERIFY(writeFile(u"wrong.nk"_s, NatsNKey::create(NatsNKey::Type::User).seed() + "\n"));
    QVERIFY(writeFile(u"expired.creds"_s, m_issuer.userCreds(u"late"_s, QDateTime::currentSecsSinceEpoch() - 3600)));
}

bool tst_KvdeskCliBadInput::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(u"openssl"_s, arguments);
    return process.waitForFinished(60000) && process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

bool tst_KvdeskCliBadInput::writeFile(const QString &name, const QByteArray &bytes)
{
    QFile file(path(name));
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

tst_KvdeskCliBadInput::Outcome tst_KvdeskCliBadInput::runCli(const QStringList &arguments, const QString &stdinPath)
{
    QProcess cli;
    QProcessEnvironment environment;
    environment.insert(u"PATH"_s, qEnvironmentVariable("PATH"));
    environment.insert(u"HOME"_s, m_dir.path());
    environment.insert(u"XDG_CONFIG_HOME"_s, m_dir.filePath(u"config"_s)); // no natscli context leaks in
    cli.setProcessEnvironment(environment);
    if (!stdinPath.isEmpty())
        cli.setStandardInputFile(stdinPath);
    cli.start(QStringLiteral(KVDESK_CLI_PATH), arguments);
    if (stdinPath.isEmpty())
        cli.closeWriteChannel();
    Outcome outcome;
    outcome.finished = QTest::qWaitFor([&cli] { return cli.state() == QProcess::NotRunning; }, 30000);
    if (!outcome.finished) {
        cli.kill();
        cli.waitForFinished();
    }
    outcome.exitCode = cli.exitCode();
    outcome.err = cli.readAllStandardError();
    return outcome;
}

QString tst_KvdeskCliBadInput::bucketState()
{
    KvReply *status = m_kv->bucketStatus(u"orders"_s);
    if (!QTest::qWaitFor([status] { return status->isFinished(); }, 10000))
        return u"<no status>"_s;
    status->deleteLater();
    return u"%1 values, last sequence %2"_s.arg(status->status().values)
        .arg(status->status().streamInfo.state.lastSequence);
}

void tst_KvdeskCliBadInput::badInput_data()
{
    QTest::addColumn<QString>("server"); // plain, password, nkey, jwt, tls, or a fake server's script
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("expected"); // a regular expression the message must match

    const QByteArray info = "INFO {\"server_id\":\"FAKE\",\"version\":\"2.9.10\",\"proto\":1,\"headers\":true,"
                            "\"max_payload\":1048576} \r\n";
    // Names and values
    QTest::newRow("bucket name") << u"plain"_s << QStringList{u"put"_s, u"bad.bucket"_s, u"k"_s, u"v"_s}
                                 << u"bucket.*bad\\.bucket"_s;
    QTest::newRow("key name") << u"plain"_s << QStringList{u"put"_s, u"orders"_s, u"bad key"_s, u"v"_s}
                              << u"key \"bad key\" is not valid"_s;
    QTest::newRow("oversize value") << u"plain"_s << QStringList{u"put"_s, u"orders"_s, u"o1"_s, QString(100, u'x')}
                                    << u"at most 64 bytes"_s;
    // "<path" is the file stdin reads: a value (or a merge's edit) that never ends is refused past the
    // largest message any server accepts, not read until memory runs out.
    QTest::newRow("endless value on stdin")
        << u"plain"_s << QStringList{u"put"_s, u"orders"_s, u"o1"_s, u"</dev/zero"_s}
        << u"stdin is larger than 64 MiB"_s;
    QTest::newRow("endless merge input") << u"plain"_s
                                         << QStringList{u"merge"_s, u"orders"_s, u"o1"_s, u"1"_s, u"/dev/zero"_s}
                                         << u"/dev/zero is larger than 64 MiB"_s;
    QTest::newRow("wrong revision") << u"plain"_s << QStringList{u"update"_s, u"orders"_s, u"o1"_s, u"v"_s, u"999"_s}
                                    << u"revision"_s;
    QTest::newRow("no such bucket") << u"plain"_s << QStringList{u"get"_s, u"nosuch"_s, u"k"_s} << u"nosuch"_s;
    // JetStream runs, in another domain: the domain is named, not "-js".
    const QString wrongDomain = u"no JetStream answered in domain \"nope\".*--js-domain"_s;
    QTest::newRow("wrong domain, names") << u"hub"_s << QStringList{u"--js-domain"_s, u"nope"_s, u"ls"_s, u"-n"_s}
                                         << wrongDomain;
    QTest::newRow("wrong domain, get") << u"hub"_s
                                       << QStringList{u"--js-domain"_s, u"nope"_s, u"get"_s, u"d1"_s, u"k"_s}
                                       << wrongDomain;
    // Credentials
    QTest::newRow("wrong password") << u"password"_s
                                    << QStringList{u"--user"_s, u"alice"_s, u"--password"_s, u"wrong"_s, u"ls"_s}
                                    << u"[Aa]uthori[sz]ation"_s;
    QTest::newRow("wrong nkey") << u"nkey"_s << QStringList{u"--nkey"_s, u"@wrong.nk"_s, u"ls"_s}
                                << u"[Aa]uthori[sz]ation"_s;
    QTest::newRow("expired jwt") << u"jwt"_s << QStringList{u"--creds"_s, u"@expired.creds"_s, u"ls"_s}
                                 << u"[Ee]xpired|[Aa]uthori[sz]ation"_s;
    // TLS
    QTest::newRow("unknown CA") << u"tls"_s << QStringList{u"--tlsca"_s, u"@otherca.pem"_s, u"ls"_s}
                                << u"certificate|TLS"_s;
    QTest::newRow("wrong host name") << u"tls-by-ip"_s << QStringList{u"--tlsca"_s, u"@ca.pem"_s, u"ls"_s}
                                     << u"host ?name|127\\.0\\.0\\.1"_s;
    QTest::newRow("no TLS offered") << u"plain"_s << QStringList{u"--tlsca"_s, u"@ca.pem"_s, u"ls"_s} << u"TLS"_s;
    // A misbehaving server
    QTest::newRow("silence") << QString() << QStringList{u"ls"_s} << u"timed out: the server sent no INFO"_s;
    QTest::newRow("no CRLF") << u"INFO {}"_s << QStringList{u"ls"_s} << u"7 bytes but no complete protocol line"_s;
    QTest::newRow("huge size") << QString::fromLatin1(info + "MSG _INBOX.x 1 999999999999\r\n") << QStringList{u"ls"_s}
                               << u"[Pp]rotocol.*999999999999|999999999999.*large"_s;
    QTest::newRow("negative size") << QString::fromLatin1(info + "MSG _INBOX.x 1 -5\r\n") << QStringList{u"ls"_s}
                                   << u"[Pp]rotocol"_s;
    QTest::newRow("non-numeric size") << QString::fromLatin1(info + "MSG _INBOX.x 1 lots\r\n") << QStringList{u"ls"_s}
                                      << u"[Pp]rotocol"_s;
    QTest::newRow("header longer than message")
        << QString::fromLatin1(info + "HMSG _INBOX.x 1 40 20\r\n") << QStringList{u"ls"_s} << u"[Pp]rotocol"_s;
}

void tst_KvdeskCliBadInput::badInput()
{
    QFETCH(QString, server);
    QFETCH(QStringList, arguments);
    QFETCH(QString, expected);

    // "@name" stands for a file of the test's folder; "<path" for the file stdin reads.
    QString stdinPath;
    for (QString &argument : arguments) {
        if (argument.startsWith(u'@'))
            argument = path(argument.mid(1));
    }
    for (qsizetype i = arguments.size() - 1; i >= 0; --i) {
        if (arguments.at(i).startsWith(u'<'))
            stdinPath = arguments.takeAt(i).mid(1);
    }
    FakeNatsServer fake;
    QString url;
    if (server == "plain"_L1)
        url = m_plain.url();
    else if (server == "hub"_L1)
        url = m_hub.url();
    else if (server == "password"_L1)
        url = m_password.url();
    else if (server == "nkey"_L1)
        url = m_nkey.url();
    else if (server == "jwt"_L1)
        url = m_jwt.url();
    else if (server == "tls"_L1)
        url = u"tls://localhost:%1"_s.arg(m_tls.port());
    else if (server == "tls-by-ip"_L1)
        url = u"tls://127.0.0.1:%1"_s.arg(m_tls.port());
    if (url.isEmpty()) { // a fake server sending these bytes as it greets
        fake.setGreeting(server.toLatin1());
        QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
        url = fake.url();
    }

    const QString before = bucketState();
    const Outcome outcome = runCli(QStringList{u"--server"_s, url, u"--timeout"_s, u"3s"_s} + arguments, stdinPath);
    const QString message = QString::fromUtf8(outcome.err);
    qInfo().noquote() << message.trimmed();
    QVERIFY2(outcome.finished, "kvdesk-cli hung");
    QVERIFY2(outcome.exitCode != 0, qPrintable(message));
    QVERIFY2(QRegularExpression(expected).match(message).hasMatch(),
             qPrintable(u"expected /%1/ in: %2"_s.arg(expected, message)));
    QCOMPARE(bucketState(), before);
}

void tst_KvdeskCliBadInput::whatAnswersIsSaid_data()
{
    QTest::addColumn<QString>("there"); // what listens on the port
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("tlsHint"); // whether the message may speak of TLS at all

    QTest::newRow("nothing listening") << u"nothing"_s << u"connection to nats://127.0.0.1:\\d+ refused"_s << false;
    QTest::newRow("a port that closes at once")
        << u"closes"_s << u"closed the connection without sending INFO"_s << false;
    QTest::newRow("a stopped nats-server") << u"stopped"_s << u"timed out: the server sent no INFO"_s << false;
    // It waits for a TLS hello, then gives up and closes: the hint is what the user needs there.
    QTest::newRow("a handshake_first server")
        << u"tls first"_s << u"closed the connection without sending INFO.*tls_first"_s << true;
}

// What is on the other end decides what is said: a refusal is a refusal, and the TLS hint (a server
// set to handshake_first) comes only where it can apply, not to every server that is down or stopped.
void tst_KvdeskCliBadInput::whatAnswersIsSaid()
{
    QFETCH(QString, there);
    QFETCH(QString, expected);
    QFETCH(bool, tlsHint);
    FakeNatsServer fake;
    QString url;
    if (there == "nothing"_L1) {
        url = u"nats://127.0.0.1:%1"_s.arg(NatsServerProcess::freePort());
    } else if (there == "closes"_L1) {
        fake.setGreeting({});
        connect(&fake, &FakeNatsServer::clientConnected, &fake, &FakeNatsServer::disconnectClients);
        QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
        url = fake.url();
    } else if (there == "stopped"_L1) {
        QVERIFY(m_frozen.freeze());
        url = m_frozen.url();
    } else {
        if (!m_tlsFirstRefused.isEmpty())
            QSKIP(qPrintable(u"the server refuses handshake_first: "_s + m_tlsFirstRefused));
        url = m_tlsFirst.url();
    }
    const Outcome outcome = runCli({u"--server"_s, url, u"--timeout"_s, u"3s"_s, u"ls"_s});
    if (there == "stopped"_L1)
        QVERIFY(m_frozen.thaw());
    const QString message = QString::fromUtf8(outcome.err);
    qInfo().noquote() << message.trimmed();
    QVERIFY2(outcome.finished, "kvdesk-cli hung");
    QCOMPARE(outcome.exitCode, 1);
    QVERIFY2(QRegularExpression(expected).match(message).hasMatch(),
             qPrintable(u"expected /%1/ in: %2"_s.arg(expected, message)));
    const QRegularExpression speaksOfTls(u"TLS|tls_first|handshake"_s, QRegularExpression::CaseInsensitiveOption);
    QVERIFY2(tlsHint || !speaksOfTls.match(message).hasMatch(), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_KvdeskCliBadInput)
#include "tst_kvdeskclibadinput.moc"
