#include "natsauthtestsupport.h"
#include "natsconnection.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace NatsAuthTest;

// TLS (docs/nats-protocol.md §2.4) against real nats-server processes: with and without client
// certificates (RSA and EC), and the failures a user must be told about clearly (wrong host, untrusted
// CA, no TLS on the server, missing files). Certificates are made fresh by openssl for every run.

namespace {

QByteArray tlsBlock(const QString &dir, const QString &certName, bool verify)
{
    QByteArray block = "tls {\n"_ba;
    block += "  cert_file: \""_ba + QDir(dir).filePath(certName + u".pem"_s).toUtf8() + "\"\n"_ba;
    block += "  key_file: \""_ba + QDir(dir).filePath(certName + u".key"_s).toUtf8() + "\"\n"_ba;
    block += "  ca_file: \""_ba + QDir(dir).filePath(u"ca.pem"_s).toUtf8() + "\"\n"_ba;
    if (verify)
        block += "  verify: true\n"_ba;
    // A loaded 2-core test machine can take longer than the default half second for a handshake.
    block += "  timeout: 5\n}\n"_ba;
    return block;
}

} // namespace

class tst_NatsTls final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void tlsConnect_data();
    void tlsConnect();
    void tlsFailures_data();
    void tlsFailures();
    void tlsNotAvailable_data();
    void tlsNotAvailable();

private:
    bool startServer(NatsServerProcess *server, const QByteArray &config, const QString &name);
    bool openssl(const QStringList &arguments);
    bool makeCertificate(const QString &name, const QString &caName, const QString &subjectAltName,
                         const QString &usage, const QStringList &keySpec = {u"-newkey"_s, u"rsa:2048"_s});
    QString file(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    NatsServerProcess m_plain;
    NatsServerProcess m_tls;          // tls_required, no client certificate needed
    NatsServerProcess m_mutualTls;    // verify: true
    NatsServerProcess m_wrongHostTls; // certificate for another host name
    NatsServerProcess m_untrustedTls; // certificate from a CA the client does not trust
};

void tst_NatsTls::initTestCase()
{
    QVERIFY2(!NatsServerProcess::executable().isEmpty(), "nats-server is not installed");
    QVERIFY(m_dir.isValid());

    // Certificates, made fresh for every run: two CAs, a good server certificate (localhost and
    // 127.0.0.1), one for another host name, one from the CA the client does not trust, a client one.
    for (const QString &ca : {u"ca"_s, u"otherca"_s}) {
        QVERIFY(openssl({u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-keyout"_s, ca + u".key"_s,
                         u"-out"_s, ca + u".pem"_s, u"-days"_s, u"2"_s, u"-subj"_s, u"/CN=kvdesk test "_s + ca}));
    }
    QVERIFY(makeCertificate(u"server"_s, u"ca"_s, u"DNS:localhost,IP:127.0.0.1"_s, u"serverAuth"_s));
    QVERIFY(makeCertificate(u"wronghost"_s, u"ca"_s, u"DNS:wrong.example.com"_s, u"serverAuth"_s));
    QVERIFY(makeCertificate(u"untrusted"_s, u"otherca"_s, u"DNS:localhost,IP:127.0.0.1"_s, u"serverAuth"_s));
    QVERIFY(makeCertificate(u"client"_s, u"ca"_s, {}, u"clientAuth"_s));
    QVERIFY(makeCertificate(u"ecclient"_s, u"ca"_s, {}, u"clientAuth"_s,
                            {u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s, u"ec_paramgen_curve:prime256v1"_s}));

    QVERIFY(startServer(&m_plain, {}, u"plain"_s));
    QVERIFY(startServer(&m_tls, tlsBlock(m_dir.path(), u"server"_s, false), u"tls"_s));
    QVERIFY(startServer(&m_mutualTls, tlsBlock(m_dir.path(), u"server"_s, true), u"mtls"_s));
    QVERIFY(startServer(&m_wrongHostTls, tlsBlock(m_dir.path(), u"wronghost"_s, false), u"wronghost"_s));
    QVERIFY(startServer(&m_untrustedTls, tlsBlock(m_dir.path(), u"untrusted"_s, false), u"untrusted"_s));
}

// ---- user/password and token ----------------------------------------------------------------------

bool tst_NatsTls::startServer(NatsServerProcess *server, const QByteArray &config, const QString &name)
{
    NatsServerProcess::Options options;
    options.config = config;
    options.jetStream = false;
    options.name = name;
    if (!server->start(options)) {
        qWarning("%s: %s", qPrintable(name), qPrintable(server->errorString()));
        return false;
    }
    return true;
}

bool tst_NatsTls::openssl(const QStringList &arguments)
{
    QProcess process;
    process.setWorkingDirectory(m_dir.path());
    process.start(u"openssl"_s, arguments);
    if (!process.waitForFinished(60000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        qWarning("openssl %s failed: %s %s", qPrintable(arguments.join(u' ')), qPrintable(process.errorString()),
                 process.readAllStandardError().constData());
        return false;
    }
    return true;
}

// <name>.key/<name>.pem signed by <caName>.key/<caName>.pem.
bool tst_NatsTls::makeCertificate(const QString &name, const QString &caName, const QString &subjectAltName,
                                  const QString &usage, const QStringList &keySpec)
{
    QByteArray extensions = "basicConstraints=CA:FALSE\nextendedKeyUsage="_ba + usage.toUtf8() + "\n"_ba;
    if (!subjectAltName.isEmpty())
        extensions += "subjectAltName="_ba + subjectAltName.toUtf8() + "\n"_ba;
    return writeFile(file(name + u".ext"_s), extensions)
        && openssl(QStringList{u"req"_s} + keySpec
                   + QStringList{u"-nodes"_s, u"-keyout"_s, name + u".key"_s, u"-out"_s, name + u".csr"_s, u"-subj"_s,
                                 u"/CN="_s + name})
        && openssl({u"x509"_s, u"-req"_s, u"-in"_s, name + u".csr"_s, u"-CA"_s, caName + u".pem"_s, u"-CAkey"_s,
                    caName + u".key"_s, u"-CAcreateserial"_s, u"-days"_s, u"2"_s, u"-out"_s, name + u".pem"_s,
                    u"-extfile"_s, name + u".ext"_s});
}

void tst_NatsTls::tlsConnect_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("urlPattern");        // %1 = port
    QTest::addColumn<QString>("clientCertificate"); // "" for none

    QTest::newRow("tls:// URL") << u"tls"_s << u"tls://localhost:%1"_s << QString();
    // INFO says tls_required: a nats:// URL is upgraded.
    QTest::newRow("nats:// upgraded, host name") << u"tls"_s << u"nats://localhost:%1"_s << QString();
    QTest::newRow("nats:// upgraded, IP address") << u"tls"_s << u"nats://127.0.0.1:%1"_s << QString();
    QTest::newRow("mutual TLS") << u"mtls"_s << u"tls://localhost:%1"_s << u"client"_s;
    QTest::newRow("mutual TLS, upgraded") << u"mtls"_s << u"nats://127.0.0.1:%1"_s << u"client"_s;
    QTest::newRow("mutual TLS, EC key") << u"mtls"_s << u"tls://localhost:%1"_s << u"ecclient"_s;
}

void tst_NatsTls::tlsConnect()
{
    QFETCH(QString, server);
    QFETCH(QString, urlPattern);
    QFETCH(QString, clientCertificate);

    const NatsServerProcess &process = server == "mtls"_L1 ? m_mutualTls : m_tls;
    NatsConnectOptions options = optionsFor(urlPattern.arg(process.port()));
    options.tlsCaFile = file(u"ca.pem"_s);
    if (!clientCertificate.isEmpty()) {
        options.tlsCertFile = file(clientCertificate + u".pem"_s);
        options.tlsKeyFile = file(clientCertificate + u".key"_s);
    }
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QVERIFY2(attempt.connection->isConnected(), qPrintable(attempt.connection->errorString()));
    QVERIFY(attempt.connection->serverInfo().tlsRequired);
    QVERIFY(roundTrip(attempt.connection.get()));
}

void tst_NatsTls::tlsFailures_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("certFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QString>("expectedText"); // in errorString(), besides the server

    QTest::newRow("wrong host name") << u"wronghost"_s << u"ca.pem"_s << QString() << QString() << u"host name"_s;
    // Said plainly, the CA trusted named (OpenSSL's words follow).
    QTest::newRow("untrusted CA") << u"untrusted"_s << u"ca.pem"_s << QString() << QString()
                                  << u"its certificate is not signed by the CA in %1 ("_s.arg(file(u"ca.pem"_s));
    QTest::newRow("no CA given (system CAs)") << u"tls"_s << QString() << QString() << QString()
                                              << u"its certificate is not signed by a CA this system trusts ("_s;
    QTest::newRow("CA file missing") << u"tls"_s << u"nothere.pem"_s << QString() << QString() << u"nothere.pem"_s;
    QTest::newRow("client certificate missing")
        << u"mtls"_s << u"ca.pem"_s << QString() << QString() << u"requires a client certificate"_s;
    QTest::newRow("client certificate file missing")
        << u"mtls"_s << u"ca.pem"_s << u"nothere.pem"_s << u"client.key"_s << u"nothere.pem"_s;
    QTest::newRow("client key not a key")
        << u"mtls"_s << u"ca.pem"_s << u"client.pem"_s << u"client.csr"_s << u"client.csr"_s;
    // Found before anything is sent, not blamed on the server.
    QTest::newRow("client key of another certificate")
        << u"mtls"_s << u"ca.pem"_s << u"client.pem"_s << u"server.key"_s
        << u"the key %1 does not match the certificate %2"_s.arg(file(u"server.key"_s), file(u"client.pem"_s));
    QTest::newRow("client certificate from another CA")
        << u"mtls"_s << u"ca.pem"_s << u"untrusted.pem"_s << u"untrusted.key"_s << u"untrusted.pem"_s;
}

void tst_NatsTls::tlsFailures()
{
    QFETCH(QString, server);
    QFETCH(QString, caFile);
    QFETCH(QString, certFile);
    QFETCH(QString, keyFile);
    QFETCH(QString, expectedText);

    const NatsServerProcess *process = &m_tls;
    if (server == "mtls"_L1)
        process = &m_mutualTls;
    else if (server == "wronghost"_L1)
        process = &m_wrongHostTls;
    else if (server == "untrusted"_L1)
        process = &m_untrustedTls;

    NatsConnectOptions options = optionsFor(process->tlsUrl());
    if (!caFile.isEmpty())
        options.tlsCaFile = file(caFile);
    if (!certFile.isEmpty())
        options.tlsCertFile = file(certFile);
    if (!keyFile.isEmpty())
        options.tlsKeyFile = file(keyFile);
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
    QCOMPARE(attempt.connected.count(), 0);
    QCOMPARE(attempt.errors.count(), 1);
    QCOMPARE(attempt.firstError(), NatsError::TlsError);
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(expectedText), qPrintable(message));
    QVERIFY2(message.contains(u"TLS"_s) || message.contains(u"certificate"_s) || message.contains(u"key"_s),
             qPrintable(message));
}

void tst_NatsTls::tlsNotAvailable_data()
{
    QTest::addColumn<QString>("urlPattern");
    QTest::addColumn<bool>("tlsRequired");

    QTest::newRow("tlsRequired option") << u"nats://127.0.0.1:%1"_s << true;
    QTest::newRow("tls:// URL") << u"tls://127.0.0.1:%1"_s << false;
}

void tst_NatsTls::tlsNotAvailable()
{
    QFETCH(QString, urlPattern);
    QFETCH(bool, tlsRequired);

    NatsConnectOptions options = optionsFor(urlPattern.arg(m_plain.port()));
    options.tlsRequired = tlsRequired;
    options.tlsCaFile = file(u"ca.pem"_s);
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
    QCOMPARE(attempt.errors.count(), 1);
    QCOMPARE(attempt.firstError(), NatsError::TlsNotAvailable);
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(QString::number(m_plain.port())), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_NatsTls)

#include "tst_natstls.moc"
