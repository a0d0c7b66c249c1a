#include "clirunner.h"
#include "natsnkey.h"
#include "natsserverprocess.h"
#include "natstestcertificates.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli and secrets, against real servers: a password from a file, the environment or a prompt
// (never echoed) instead of the command line, where ps shows it; an encrypted TLS key's passphrase from
// a file or a prompt; a client certificate chain; tls_first (--tlsfirst, natscli's tls_first); and no
// secret in what it prints or logs.

namespace {
const QByteArray kPassword = "Pw-S3cret-77";
}

class tst_KvdeskCliSecrets final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void passwordSources_data();
    void passwordSources();
    void aFileThatCannotBeReadIsAUsageError_data();
    void aFileThatCannotBeReadIsAUsageError();
    void passwordPrompt();
    void noPromptWithoutTerminal();
    void noCredentialsGivenIsSaidSo();
    void credentialsGivenWrong_data();
    void credentialsGivenWrong();
    void flagCredentialsReplaceTheContexts();
    void keyPassphrase_data();
    void keyPassphrase();
    void keyPassphrasePrompt();
    void tlsSettings_data();
    void tlsSettings();
    void aCommaInAPassword();
    void tlsFirst_data();
    void tlsFirst();
    void keyCommandOverTls();
    void logsHideSecrets();
    void logsOnlyWhenAsked();

private:
    QString writeFile(const QString &name, const QByteArray &content) const;
    QStringList mutualTls(const QString &cert, const QString &key) const;

    NatsTestCertificates m_certs;
    NatsServerProcess m_users;     // alice with kPassword
    NatsServerProcess m_mutualTls; // verify: true
    NatsServerProcess m_tlsFirst;  // handshake_first (2.10+)
    QString m_tlsFirstRefused;
    CliRunner m_runner;
};

void tst_KvdeskCliSecrets::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_certs.create(), qPrintable(m_certs.errorString()));
    NatsServerProcess::Options options;
    options.config = "authorization { user: alice, password: \"" + kPassword + "\" }\n";
    QVERIFY2(m_users.start(options), qPrintable(m_users.errorString()));
    options.config = m_certs.serverTlsBlock(true);
    QVERIFY2(m_mutualTls.start(options), qPrintable(m_mutualTls.errorString()));
    // What the server says decides, not its label: 2.9 refuses handshake_first ("unknown field").
    options.config = m_certs.serverTlsBlock(true, true);
    if (!m_tlsFirst.start(options)) {
        QVERIFY2(m_tlsFirst.errorString().contains(u"handshake_first"_s), qPrintable(m_tlsFirst.errorString()));
        m_tlsFirstRefused = m_tlsFirst.errorString().section(u'\n', 0, 0);
    }
}

QString tst_KvdeskCliSecrets::writeFile(const QString &name, const QByteArray &content) const
{
    QFile file(m_certs.file(name));
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size()
        ? file.fileName()
        : QString();
}

QStringList tst_KvdeskCliSecrets::mutualTls(const QString &cert, const QString &key) const
{
    return {u"-s"_s,        m_mutualTls.url(),  u"--tlsca"_s,  m_certs.file(u"ca.pem"_s),
            u"--tlscert"_s, m_certs.file(cert), u"--tlskey"_s, m_certs.file(key)};
}

void tst_KvdeskCliSecrets::passwordSources_data()
{
    QTest::addColumn<QStringList>("arguments"); // after -s URL --user alice
    QTest::addColumn<QString>("environment");   // NATS_PASSWORD, unset when empty
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message"); // in stderr

    const QString file = writeFile(u"password"_s, kPassword + '\n');
    const QString crlf = writeFile(u"password-crlf"_s, kPassword + "\r\n");
    const QString wrong = writeFile(u"password-wrong"_s, "nope\n");
    QTest::newRow("--password-file") << QStringList{u"--password-file"_s, file} << QString() << 0 << QString();
    QTest::newRow("--password-file, CRLF") << QStringList{u"--password-file"_s, crlf} << QString() << 0 << QString();
    QTest::newRow("NATS_PASSWORD") << QStringList() << QString::fromLatin1(kPassword) << 0 << QString();
    QTest::newRow("--password-file beats NATS_PASSWORD")
        << QStringList{u"--password-file"_s, file} << u"nope"_s << 0 << QString();
    QTest::newRow("wrong password in the file")
        << QStringList{u"--password-file"_s, wrong} << QString() << 1 << u"refused the credentials"_s;
    QTest::newRow("no such file") << QStringList{u"--password-file"_s, u"/nonexistent/pw"_s} << QString() << 2
                                  << u"cannot read --password-file /nonexistent/pw"_s;
    QTest::newRow("both --password and --password-file")
        << QStringList{u"--password"_s, u"x"_s, u"--password-file"_s, file} << QString() << 2
        << u"--password and --password-file"_s;
}

void tst_KvdeskCliSecrets::passwordSources()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, environment);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    CliRunner runner;
    if (!environment.isEmpty())
        runner.setEnvironment(u"NATS_PASSWORD"_s, environment);
    CLI_EXPECT(
        result,
        runner.run(QStringList{u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s} + arguments + QStringList{u"ls"_s}),
        exitCode);
    QVERIFY2(result.err.contains(message.toUtf8()), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains(kPassword) && !result.out.contains(kPassword), qPrintable(result.describe()));
}

// Every file named on the command line that cannot be read is refused the same way, before connecting:
// exit 2, naming the option and the file. --password-file and --proto were; --creds, --nkey and the TLS
// files failed later, as "not connected" with exit 1.
void tst_KvdeskCliSecrets::aFileThatCannotBeReadIsAUsageError_data()
{
    QTest::addColumn<QStringList>("arguments"); // after -s URL
    QTest::addColumn<QString>("variable");      // set to /nonexistent/file when not empty
    QTest::addColumn<QString>("message");
    const QString missing = u"/nonexistent/file"_s;
    const QString cert = m_certs.file(u"client.pem"_s);
    const QString key = m_certs.file(u"client.key"_s);
    QTest::newRow("--creds") << QStringList{u"--creds"_s, missing} << QString() << u"cannot read --creds "_s + missing;
    QTest::newRow("--nkey") << QStringList{u"--nkey"_s, missing} << QString() << u"cannot read --nkey "_s + missing;
    QTest::newRow("--tlsca") << QStringList{u"--tlsca"_s, missing} << QString() << u"cannot read --tlsca "_s + missing;
    QTest::newRow("--tlscert") << QStringList{u"--tlscert"_s, missing, u"--tlskey"_s, key} << QString()
                               << u"cannot read --tlscert "_s + missing;
    QTest::newRow("--tlskey") << QStringList{u"--tlscert"_s, cert, u"--tlskey"_s, missing} << QString()
                              << u"cannot read --tlskey "_s + missing;
    QTest::newRow("NATS_CREDS") << QStringList() << u"NATS_CREDS"_s << u"cannot read NATS_CREDS "_s + missing;
    QTest::newRow("--password-file") << QStringList{u"--user"_s, u"alice"_s, u"--password-file"_s, missing} << QString()
                                     << u"cannot read --password-file "_s + missing;
}

void tst_KvdeskCliSecrets::aFileThatCannotBeReadIsAUsageError()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, variable);
    QFETCH(QString, message);
    CliRunner runner;
    if (!variable.isEmpty())
        runner.setEnvironment(variable, u"/nonexistent/file"_s);
    CLI_EXPECT(result, runner.run(QStringList{u"-s"_s, m_users.url()} + arguments + QStringList{u"ls"_s}), 2);
    QVERIFY2(result.err.contains(message.toUtf8()), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains("not connected"), qPrintable(result.describe()));
}

// A user and no password, on a terminal: asked for, not echoed.
void tst_KvdeskCliSecrets::passwordPrompt()
{
    CLI_EXPECT(result,
               m_runner.runAnsweringPrompts({u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s, u"ls"_s},
                                            {{"Password for alice", kPassword}}),
               0);
    QVERIFY2(result.err.contains("Password for alice"), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains(kPassword), qPrintable(result.describe()));
}

// In a script (stdin not a terminal) nothing is asked, and nothing is sent: the command line lacks the
// password, said before connecting (not as the server's "Authorization Violation"). An empty password
// given on purpose (--password '') is sent as it is.
void tst_KvdeskCliSecrets::noPromptWithoutTerminal()
{
    CLI_EXPECT(result, m_runner.run({u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s, u"ls"_s}), 2);
    QVERIFY2(!result.err.contains("Password for"), qPrintable(result.describe()));
    QVERIFY2(result.err.contains("no password given for user alice and stdin is not a terminal: use "
                                 "--password-file or NATS_PASSWORD"),
             qPrintable(result.describe()));
    CLI_EXPECT(empty, m_runner.run({u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s, u"--password"_s, {}, u"ls"_s}), 1);
    QVERIFY2(empty.err.contains("refused the credentials"), qPrintable(empty.describe()));
}

// A server that wants credentials, and none given: it said the server "refused the credentials", and
// the user looked for a wrong password never typed (a tryout, 2.10.27). Says that none were given, and how.
void tst_KvdeskCliSecrets::noCredentialsGivenIsSaidSo()
{
    CLI_EXPECT(none, m_runner.run({u"-s"_s, m_users.url(), u"ls"_s}), 1);
    const QByteArray url = m_users.url().toUtf8();
    QVERIFY2(none.err.contains(QByteArray("permission denied: " + url
                                          + " requires credentials and none were given (--user "
                                            "with --password-file, --token, --creds, --nkey or a "
                                            "--context)")),
             qPrintable(none.describe()));
    QVERIFY2(!none.err.contains("refused the credentials"), qPrintable(none.describe()));
}

// Credentials that cannot work together are refused before connecting (exit 2), naming what was given:
// a password without a user, or two ways to authenticate at once.
void tst_KvdeskCliSecrets::credentialsGivenWrong_data()
{
    QTest::addColumn<QStringList>("arguments"); // after -s URL
    QTest::addColumn<QString>("variable");      // NAME=VALUE in the environment, or empty
    QTest::addColumn<QStringList>("messages");  // in stderr
    const QString nkey = writeFile(u"user.nk"_s, NatsNKey::create(NatsNKey::Type::User).seed() + '\n');
    const QString creds = writeFile(u"user.creds"_s, "not read: refused before\n");
    QTest::newRow("--password without --user") << QStringList{u"--password"_s, QString::fromLatin1(kPassword)}
                                               << QString() << QStringList{u"--password needs --user"_s};
    QTest::newRow("NATS_PASSWORD without a user")
        << QStringList() << u"NATS_PASSWORD=x"_s << QStringList{u"NATS_PASSWORD needs --user"_s};
    QTest::newRow("--token and --user") << QStringList{u"--user"_s, u"alice"_s,   u"--password"_s,
                                                       u"x"_s,      u"--token"_s, u"t"_s}
                                        << QString() << QStringList{u"--user and --token"_s};
    QTest::newRow("--nkey and --password") << QStringList{u"--password"_s, u"x"_s, u"--nkey"_s, nkey} << QString()
                                           << QStringList{u"--password and --nkey"_s};
    QTest::newRow("--creds and NATS_TOKEN")
        << QStringList{u"--creds"_s, creds} << u"NATS_TOKEN=t"_s << QStringList{u"NATS_TOKEN and --creds"_s};
}

void tst_KvdeskCliSecrets::credentialsGivenWrong()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, variable);
    QFETCH(QStringList, messages);
    CliRunner runner;
    if (!variable.isEmpty())
        runner.setEnvironment(variable.section(u'=', 0, 0), variable.section(u'=', 1));
    CLI_EXPECT(result, runner.run(QStringList{u"-s"_s, m_users.url()} + arguments + QStringList{u"ls"_s}), 2);
    for (const QString &message : std::as_const(messages))
        QVERIFY2(result.err.contains(message.toUtf8()), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains("not connected") && !result.err.contains("refused the credentials"),
             qPrintable(result.describe()));
}

// A flag (or variable) wins over the context for credentials as for every setting: a context's token
// is not sent beside the --user and --password given.
void tst_KvdeskCliSecrets::flagCredentialsReplaceTheContexts()
{
    CliRunner runner;
    runner.writeContext(u"tokened"_s, R"({"url":")" + m_users.url().toUtf8() + R"(","token":"context-token"})", true);
    CLI_EXPECT(tokenOnly, runner.run({u"ls"_s}), 1);
    QVERIFY2(tokenOnly.err.contains("refused the credentials"), qPrintable(tokenOnly.describe()));
    CLI_EXPECT(result, runner.run({u"--user"_s, u"alice"_s, u"--password"_s, QString::fromLatin1(kPassword), u"ls"_s}),
               0);
}

void tst_KvdeskCliSecrets::keyPassphrase_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("messages"); // in stderr

    const QString right = writeFile(u"passphrase"_s, QByteArray(NatsTestCertificates::KeyPassphrase) + '\n');
    const QString wrong = writeFile(u"passphrase-wrong"_s, "nope\n");
    for (const QString &key : {u"client-pkcs8.key"_s, u"client-traditional.key"_s}) {
        QTest::addRow("%s, --tlskey-password-file", qPrintable(key))
            << key << QStringList{u"--tlskey-password-file"_s, right} << 0 << QStringList();
        // Not on a terminal, so not asked: the command line lacks it.
        QTest::addRow("%s, none", qPrintable(key))
            << key << QStringList() << 2 << QStringList{u"is encrypted"_s, u"--tlskey-password-file"_s};
        QTest::addRow("%s, wrong", qPrintable(key))
            << key << QStringList{u"--tlskey-password-file"_s, wrong} << 1 << QStringList{u"passphrase is wrong"_s};
    }
    QTest::newRow("no such file") << u"client-pkcs8.key"_s
                                  << QStringList{u"--tlskey-password-file"_s, u"/nonexistent/pass"_s} << 2
                                  << QStringList{u"cannot read --tlskey-password-file /nonexistent/pass"_s};
}

void tst_KvdeskCliSecrets::keyPassphrase()
{
    QFETCH(QString, key);
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QStringList, messages);
    CLI_EXPECT(result, m_runner.run(mutualTls(u"client.pem"_s, key) + arguments + QStringList{u"ls"_s}), exitCode);
    for (const QString &message : std::as_const(messages))
        QVERIFY2(result.err.contains(message.toUtf8()), qPrintable(result.describe()));
    QVERIFY(!result.err.contains(NatsTestCertificates::KeyPassphrase));
}

void tst_KvdeskCliSecrets::keyPassphrasePrompt()
{
    const QByteArray passphrase(NatsTestCertificates::KeyPassphrase);
    CLI_EXPECT(result,
               m_runner.runAnsweringPrompts(mutualTls(u"client.pem"_s, u"client-pkcs8.key"_s) + QStringList{u"ls"_s},
                                            {{"Passphrase for", passphrase}}),
               0);
    QVERIFY2(result.err.contains("client-pkcs8.key"), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains(passphrase), qPrintable(result.describe()));
}

void tst_KvdeskCliSecrets::tlsSettings_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");

    // The whole chain in the certificate file is sent: the server trusts only the root.
    QTest::newRow("certificate chain") << mutualTls(u"chainclient-chain.pem"_s, u"chainclient.key"_s) << 0 << QString();
    QTest::newRow("key of another certificate") << mutualTls(u"client.pem"_s, u"server.key"_s) << 1
                                                << u"not connected: the key %1 does not match the certificate %2"_s.arg(
                                                       m_certs.file(u"server.key"_s), m_certs.file(u"client.pem"_s));
    QTest::newRow("server from another CA")
        << QStringList{u"-s"_s, m_mutualTls.url(), u"--tlsca"_s, m_certs.file(u"intermediate.pem"_s)} << 1
        << u"its certificate is not signed by the CA in %1 ("_s.arg(m_certs.file(u"intermediate.pem"_s));
    QTest::newRow("key without certificate")
        << QStringList{u"-s"_s, m_mutualTls.url(), u"--tlskey"_s, m_certs.file(u"client.key"_s)} << 2
        << u"--tlskey needs --tlscert"_s;
    // Any TLS setting means TLS: a server offering none gets nothing.
    QTest::newRow("CA, plain server") << QStringList{u"-s"_s, m_users.url(), u"--tlsca"_s, m_certs.file(u"ca.pem"_s)}
                                      << 1 << u"does not offer TLS"_s;
    QTest::newRow("--tlsfirst, plain server")
        << QStringList{u"-s"_s, m_users.url(), u"--tlsfirst"_s} << 1 << u"tls_first"_s;
    QTest::newRow("unparsable URL, password with a slash")
        << QStringList{u"-s"_s, u"nats://alice:Pw/S3cret-77@127.0.0.1:1"_s} << 2
        << u"\"nats://alice:***@127.0.0.1:1\" is not a valid server URL"_s;
}

void tst_KvdeskCliSecrets::tlsSettings()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    CLI_EXPECT(result, m_runner.run(arguments + QStringList{u"ls"_s}), exitCode);
    QVERIFY2(result.err.contains(message.toUtf8()), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains("S3cret"), qPrintable(result.describe()));
}

// -s nats://alice:Pw-S3cret,7x7q@host: the "," split it as a list, and the error quoted its first piece,
// "nats://alice:Pw-S3cret", password and all. Refused as a whole now, naming none of it and saying how to
// write it; written that way (%2C), the password works.
void tst_KvdeskCliSecrets::aCommaInAPassword()
{
    NatsServerProcess server;
    NatsServerProcess::Options options;
    options.config = "authorization { user: alice, password: \"Pw-S3cret,7x7q\" }\n";
    QVERIFY2(server.start(options), qPrintable(server.errorString()));
    const QString hostPort = server.url().mid(server.url().indexOf(u"://"_s) + 3);
    CLI_EXPECT(typed, m_runner.run({u"-s"_s, u"nats://alice:Pw-S3cret,7x7q@"_s + hostPort, u"ls"_s}), 2);
    QVERIFY2(!typed.err.contains("Pw-S3cret") && !typed.err.contains("7x7q"), qPrintable(typed.describe()));
    QVERIFY2(typed.err.contains(QByteArray("\"nats://alice:***@" + hostPort.toUtf8() + '"')),
             qPrintable(typed.describe()));
    QVERIFY2(typed.err.contains("%2C"), qPrintable(typed.describe()));
    CLI_EXPECT(encoded, m_runner.run({u"-s"_s, u"nats://alice:Pw-S3cret%2C7x7q@"_s + hostPort, u"ls"_s}), 0);
}

void tst_KvdeskCliSecrets::tlsFirst_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("--tlsfirst") << u"flag"_s;
    QTest::newRow("natscli context tls_first") << u"context"_s;
    QTest::newRow("neither") << u"neither"_s;
}

void tst_KvdeskCliSecrets::tlsFirst()
{
    QFETCH(QString, how);
    if (!m_tlsFirstRefused.isEmpty())
        QSKIP(qPrintable(u"the server refuses handshake_first: "_s + m_tlsFirstRefused));
    CliRunner runner;
    QStringList arguments{u"--timeout"_s, u"3s"_s};
    if (how == "context"_L1) {
        runner.writeContext(u"first"_s,
                            R"({"url":")" + m_tlsFirst.url().toUtf8() + R"(","ca":")"
                                + m_certs.file(u"ca.pem"_s).toUtf8() + R"(","cert":")"
                                + m_certs.file(u"client.pem"_s).toUtf8() + R"(","key":")"
                                + m_certs.file(u"client.key"_s).toUtf8() + R"(","tls_first":true})");
        arguments << u"--context"_s << u"first"_s;
    } else {
        QStringList tls = mutualTls(u"client.pem"_s, u"client.key"_s);
        tls[1] = m_tlsFirst.url();
        arguments << tls;
        if (how == "flag"_L1)
            arguments << u"--tlsfirst"_s;
    }
    const bool connects = how != "neither"_L1;
    CLI_EXPECT(result, runner.run(arguments + QStringList{u"ls"_s}), connects ? 0 : 1);
    if (!connects)
        QVERIFY2(result.err.contains("tls_first"), qPrintable(result.describe()));
}

// Over TLS the questions asked with the handshake (the bucket's STREAM.INFO; on 2.10+ the permissions
// too) wait for the TLS handshake and go with the encrypted CONNECT.
void tst_KvdeskCliSecrets::keyCommandOverTls()
{
    const QStringList tls = mutualTls(u"client.pem"_s, u"client.key"_s);
    CLI_EXPECT(added, m_runner.run(tls + QStringList{u"add"_s, u"secure"_s}), 0);
    CLI_EXPECT(put, m_runner.run(tls + QStringList{u"put"_s, u"secure"_s, u"k"_s, u"v"_s}), 0);
    CliRunner wireLogged;
    wireLogged.setEnvironment(u"QT_LOGGING_RULES"_s, u"kvdesk.protocol.wire.debug=true"_s);
    CLI_EXPECT(got, wireLogged.run(tls + QStringList{u"get"_s, u"secure"_s, u"k"_s, u"--raw"_s}), 0);
    QCOMPARE(got.out, "v"_ba);
    const qsizetype connect = got.err.indexOf(">> CONNECT {");
    QVERIFY2(connect >= 0, qPrintable(got.describe()));
    const QByteArray write = got.err.mid(connect, got.err.indexOf("\nkvdesk.protocol.wire: ", connect) - connect);
    QVERIFY2(write.contains(R"("tls_required":true)"), write.constData());
    QVERIFY2(write.contains("PUB $JS.API.STREAM.INFO.KV_secure "), write.constData());
}

// With every kvdesk log category on, the CONNECT shows the password as ***.
void tst_KvdeskCliSecrets::logsHideSecrets()
{
    CliRunner runner;
    runner.setEnvironment(u"QT_LOGGING_RULES"_s, u"kvdesk.*=true"_s);
    CLI_EXPECT(result,
               runner.run({u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s, u"--password"_s,
                           QString::fromLatin1(kPassword), u"ls"_s}),
               0);
    QVERIFY2(result.err.contains("CONNECT {"), qPrintable(result.describe()));
    QVERIFY2(result.err.contains(R"("pass":"***")"), qPrintable(result.describe()));
    QVERIFY2(!result.err.contains(kPassword), qPrintable(result.describe()));
}

// The library's log is off unless QT_LOGGING_RULES or a QT_LOGGING_CONF file asks for it: a refused
// password is one line from the command, without the library's warning about the server's -ERR. The file
// shows the log as the variable does, secrets hidden.
void tst_KvdeskCliSecrets::logsOnlyWhenAsked()
{
    const QStringList arguments{
        u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s, u"--password"_s, QString::fromLatin1(kPassword), u"ls"_s};
    CliRunner quiet;
    CLI_EXPECT(refused,
               quiet.run({u"-s"_s, m_users.url(), u"--user"_s, u"alice"_s, u"--password"_s, u"wrong"_s, u"ls"_s}), 1);
    QCOMPARE(refused.err.count('\n'), 1);
    QVERIFY2(!refused.err.contains("-ERR"), qPrintable(refused.describe()));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile rules(dir.filePath(u"qtlogging.ini"_s));
    QVERIFY(rules.open(QIODevice::WriteOnly));
    rules.write("[Rules]\nkvdesk.*=true\n");
    rules.close();
    CliRunner logging;
    logging.setEnvironment(u"QT_LOGGING_CONF"_s, rules.fileName());
    CLI_EXPECT(logged, logging.run(arguments), 0);
    QVERIFY2(logged.err.contains("CONNECT {"), qPrintable(logged.describe()));
    QVERIFY2(logged.err.contains(R"("pass":"***")"), qPrintable(logged.describe()));
    QVERIFY2(!logged.err.contains(kPassword), qPrintable(logged.describe()));
}

QTEST_GUILESS_MAIN(tst_KvdeskCliSecrets)
#include "tst_kvdeskclisecrets.moc"
