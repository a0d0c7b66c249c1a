#include "natsauthtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natstestcertificates.h"
#include "natstlsconfig.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace NatsAuthTest;

// The client side of TLS against real nats-server processes: a client certificate signed by an
// intermediate CA (the whole chain in its file must be sent), encrypted client keys (a passphrase, and a
// clear error when it is missing or wrong), and tls_first, the TLS handshake before INFO (nats-server
// 2.10+, `tls { handshake_first: true }`; skipped where the server refuses that setting).
class tst_NatsTlsClient final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void certificateChainIsSent();
    void encryptedKey_data();
    void encryptedKey();
    void keyIsEncrypted();
    void tlsFirst_data();
    void tlsFirst();
    void tlsFirstAgainstServerThatSpeaksFirst_data();
    void tlsFirstAgainstServerThatSpeaksFirst();

private:
    QString file(const QString &name) const { return m_certs.file(name); }
    NatsConnectOptions mutualTlsOptions(const QString &cert, const QString &key) const;

    NatsTestCertificates m_certs;
    NatsServerProcess m_mutualTls; // verify: true, trusts only the root CA
    NatsServerProcess m_plain;
    NatsServerProcess m_tlsFirst; // handshake_first: true (2.10+)
    QString m_tlsFirstRefused;    // why the server would not start with handshake_first, when it would not
};

void tst_NatsTlsClient::initTestCase()
{
    QVERIFY2(m_certs.create(), qPrintable(m_certs.errorString()));
    NatsServerProcess::Options options;
    options.jetStream = false;
    options.name = u"mtls"_s;
    options.config = m_certs.serverTlsBlock(true);
    QVERIFY2(m_mutualTls.start(options), qPrintable(m_mutualTls.errorString()));
    options.name = u"plain"_s;
    options.config.clear();
    QVERIFY2(m_plain.start(options), qPrintable(m_plain.errorString()));
    // Whether the server knows handshake_first is what the server says, not its version label: 2.9
    // refuses the configuration ("unknown field").
    options.name = u"tlsfirst"_s;
    options.config = m_certs.serverTlsBlock(true, true);
    if (!m_tlsFirst.start(options)) {
        QVERIFY2(m_tlsFirst.errorString().contains(u"handshake_first"_s), qPrintable(m_tlsFirst.errorString()));
        m_tlsFirstRefused = m_tlsFirst.errorString().section(u'\n', 0, 0);
    }
}

NatsConnectOptions tst_NatsTlsClient::mutualTlsOptions(const QString &cert, const QString &key) const
{
    NatsConnectOptions options = optionsFor(m_mutualTls.tlsUrl());
    options.tlsCaFile = file(u"ca.pem"_s);
    options.tlsCertFile = file(cert);
    options.tlsKeyFile = file(key);
    return options;
}

// The server trusts the root CA only: it verifies a certificate from the intermediate when the client
// sends the intermediate along, as every client sends the chain it is given.
void tst_NatsTlsClient::certificateChainIsSent()
{
    Attempt attempt(mutualTlsOptions(u"chainclient-chain.pem"_s, u"chainclient.key"_s));
    QVERIFY(attempt.settle());
    QVERIFY2(attempt.connection->isConnected(), qPrintable(attempt.connection->errorString()));
    QVERIFY(roundTrip(attempt.connection.get()));

    // The control: the leaf alone cannot be verified, so the test can fail.
    Attempt leafOnly(mutualTlsOptions(u"chainclient.pem"_s, u"chainclient.key"_s));
    QVERIFY(leafOnly.settle());
    QVERIFY(!leafOnly.connection->isConnected());
}

void tst_NatsTlsClient::encryptedKey_data()
{
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<QByteArray>("passphrase");
    QTest::addColumn<QString>("expectedError"); // empty: connects

    const QByteArray right(NatsTestCertificates::KeyPassphrase);
    for (const QString &format : {u"pkcs8"_s, u"traditional"_s}) {
        const QString key = u"client-"_s + format + u".key"_s;
        QTest::addRow("%s, passphrase", qPrintable(format)) << key << right << QString();
        QTest::addRow("%s, no passphrase", qPrintable(format)) << key << QByteArray() << u"is encrypted"_s;
        QTest::addRow("%s, wrong passphrase", qPrintable(format))
            << key << "not-the-passphrase"_ba << u"passphrase is wrong"_s;
    }
    // A key that is not encrypted ignores a passphrase, as the official clients do.
    QTest::newRow("plain key, passphrase given") << u"client.key"_s << right << QString();
}

void tst_NatsTlsClient::encryptedKey()
{
    QFETCH(QString, keyFile);
    QFETCH(QByteArray, passphrase);
    QFETCH(QString, expectedError);

    NatsConnectOptions options = mutualTlsOptions(u"client.pem"_s, keyFile);
    options.tlsKeyPassphrase = passphrase;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    if (expectedError.isEmpty()) {
        QVERIFY2(attempt.connection->isConnected(), qPrintable(attempt.connection->errorString()));
        QVERIFY(roundTrip(attempt.connection.get()));
        return;
    }
    QCOMPARE(attempt.connection->state(), NatsConnection::State::Closed);
    QCOMPARE(attempt.firstError(), NatsError::TlsError);
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(expectedError), qPrintable(message));
    QVERIFY2(message.contains(file(keyFile)), qPrintable(message)); // names the file
    QVERIFY2(!passphrase.isEmpty() || message.contains(u"passphrase"_s), qPrintable(message));
    QVERIFY(passphrase.isEmpty() || !message.contains(QString::fromUtf8(passphrase)));
}

// The app asks for a passphrase before connecting, and checks the answer, through these.
void tst_NatsTlsClient::keyIsEncrypted()
{
    QVERIFY(NatsTlsConfig::isKeyEncrypted(file(u"client-pkcs8.key"_s)));
    QVERIFY(NatsTlsConfig::isKeyEncrypted(file(u"client-traditional.key"_s)));
    QVERIFY(!NatsTlsConfig::isKeyEncrypted(file(u"client.key"_s)));
    QVERIFY(!NatsTlsConfig::isKeyEncrypted(file(u"nothere.key"_s)));
    const QByteArray right(NatsTestCertificates::KeyPassphrase);
    QVERIFY(NatsTlsConfig::checkKeyPassphrase(file(u"client-pkcs8.key"_s), right));
    QVERIFY(NatsTlsConfig::checkKeyPassphrase(file(u"client-traditional.key"_s), right));
    QVERIFY(!NatsTlsConfig::checkKeyPassphrase(file(u"client-pkcs8.key"_s), "wrong"));
}

void tst_NatsTlsClient::tlsFirst_data()
{
    QTest::addColumn<QString>("urlPattern"); // %1 = port
    QTest::addColumn<bool>("tlsFirst");
    QTest::addColumn<bool>("connects");

    QTest::newRow("tls_first, nats://") << u"nats://127.0.0.1:%1"_s << true << true;
    QTest::newRow("tls_first, tls://") << u"tls://localhost:%1"_s << true << true;
    // The server says nothing until the handshake: a client that waits for INFO must be told why.
    QTest::newRow("no tls_first") << u"tls://localhost:%1"_s << false << false;
}

void tst_NatsTlsClient::tlsFirst()
{
    QFETCH(QString, urlPattern);
    QFETCH(bool, tlsFirst);
    QFETCH(bool, connects);
    if (!m_tlsFirstRefused.isEmpty())
        QSKIP(qPrintable(u"the server refuses handshake_first: "_s + m_tlsFirstRefused));

    NatsConnectOptions options = optionsFor(urlPattern.arg(m_tlsFirst.port()));
    options.tlsFirst = tlsFirst;
    options.tlsCaFile = file(u"ca.pem"_s);
    options.tlsCertFile = file(u"chainclient-chain.pem"_s);
    options.tlsKeyFile = file(u"chainclient.key"_s);
    options.connectTimeoutMs = 3000;
    options.maxReconnectAttempts = 0;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    if (connects) {
        QVERIFY2(attempt.connection->isConnected(), qPrintable(attempt.connection->errorString()));
        QVERIFY(attempt.connection->serverInfo().tlsRequired);
        QVERIFY(roundTrip(attempt.connection.get()));
        return;
    }
    QVERIFY(!attempt.connection->isConnected());
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(u"tls_first"_s), qPrintable(message));
}

void tst_NatsTlsClient::tlsFirstAgainstServerThatSpeaksFirst_data()
{
    QTest::addColumn<bool>("tlsServer");
    QTest::newRow("TLS server without handshake_first") << true;
    QTest::newRow("plain server") << false;
}

// A server that sends INFO first (every 2.9, and 2.10+ without handshake_first) answers a TLS hello with
// plain text: the error says so, rather than an OpenSSL record error.
void tst_NatsTlsClient::tlsFirstAgainstServerThatSpeaksFirst()
{
    QFETCH(bool, tlsServer);
    const NatsServerProcess &server = tlsServer ? m_mutualTls : m_plain;
    NatsConnectOptions options = optionsFor(server.url());
    options.tlsFirst = true;
    options.tlsCaFile = file(u"ca.pem"_s);
    options.tlsCertFile = file(u"client.pem"_s);
    options.tlsKeyFile = file(u"client.key"_s);
    options.maxReconnectAttempts = 0;
    Attempt attempt(options);
    QVERIFY(attempt.settle());
    QVERIFY(!attempt.connection->isConnected());
    const QString message = attempt.connection->errorString();
    QVERIFY2(message.contains(u"tls_first"_s), qPrintable(message));
    QVERIFY2(message.contains(QString::number(server.port())), qPrintable(message));
}

QTEST_GUILESS_MAIN(tst_NatsTlsClient)

#include "tst_natstlsclient.moc"
