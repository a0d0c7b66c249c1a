#include "natstlsconfig.h"

#include "natsconnectoptions.h"
#include "natscrypto.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtCore/QUrl>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QSslSocket>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsTlsConfig", text);
}

// Both PEM forms of an encrypted key: PKCS#8 ("BEGIN ENCRYPTED PRIVATE KEY") and OpenSSL's traditional
// one ("Proc-Type: 4,ENCRYPTED" in the headers of "BEGIN RSA/EC PRIVATE KEY").
bool isEncryptedPem(const QByteArray &pem)
{
    return pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || pem.contains("Proc-Type: 4,ENCRYPTED");
}

// The key in pem, RSA or EC (what nats-server setups use; QSslKey needs the algorithm up front). Never
// called without a passphrase for an encrypted key: OpenSSL would then ask on the terminal.
QSslKey readKey(const QByteArray &pem, const QByteArray &passphrase)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec}) {
        const QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey, passphrase);
        if (!key.isNull())
            return key;
    }
    return {};
}

// The private key of options; a null key with *error set when it cannot be used.
QSslKey clientKey(const NatsConnectOptions &options, NatsError *error)
{
    QFile keyFile(options.tlsKeyFile);
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = NatsError(NatsError::TlsError,
                           tr("cannot read the client key %1: %2").arg(options.tlsKeyFile, keyFile.errorString()));
        return {};
    }
    const QByteArray pem = keyFile.readAll();
    const bool encrypted = isEncryptedPem(pem);
    if (encrypted && options.tlsKeyPassphrase.isEmpty()) {
        *error = NatsError(NatsError::TlsError,
                           tr("the client key %1 is encrypted: its passphrase is needed").arg(options.tlsKeyFile));
        return {};
    }
    const QSslKey key = readKey(pem, encrypted ? options.tlsKeyPassphrase : QByteArray());
    if (key.isNull()) {
        *error = NatsError(
            NatsError::TlsError,
            encrypted ? tr("the client key %1 cannot be opened: its passphrase is wrong").arg(options.tlsKeyFile)
                      : tr("the client key %1 is not an RSA or EC key in PEM form").arg(options.tlsKeyFile));
    }
    return key;
}

// Whether key is the private key of certificate. Qt finds a mismatch only when the handshake starts, and
// then it reads as the server refusing the certificate. True when libcrypto cannot tell.
bool keyMatches(const QSslCertificate &certificate, const QSslKey &key)
{
    const NatsCrypto *crypto = NatsCrypto::get();
    if (!crypto || !crypto->canCompareKeys())
        return true;
    const QByteArray certificateDer = certificate.toDer();
    QByteArray keyDer = key.toDer();
    const auto *certificateData = reinterpret_cast<const unsigned char *>(certificateDer.constData());
    const auto *keyData = reinterpret_cast<const unsigned char *>(keyDer.constData());
    X509 *x509 = crypto->d2iX509(nullptr, &certificateData, long(certificateDer.size()));
    EVP_PKEY *privateKey = crypto->d2iAutoPrivateKey(nullptr, &keyData, long(keyDer.size()));
    // 1: the same key; 0: another one; -1: another type; -2: cannot be compared.
    const int same = x509 && privateKey ? crypto->pkeyEq(crypto->x509Get0Pubkey(x509), privateKey) : -2;
    if (privateKey)
        crypto->pkeyFree(privateKey);
    if (x509)
        crypto->x509Free(x509);
    crypto->errClearError(); // nothing of this left for Qt's next TLS error to report
    NatsCrypto::cleanse(keyDer.data(), size_t(keyDer.size()));
    return same == 1 || same == -2;
}

// The client certificate, and the CAs after it in its file, and its key; false with *error set when
// either cannot be used. The whole chain goes to the server, which may trust only the root.
bool addClientCertificate(QSslConfiguration &config, const NatsConnectOptions &options, NatsError *error)
{
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(options.tlsCertFile);
    if (chain.isEmpty()) {
        *error = NatsError(NatsError::TlsError,
                           tr("no client certificate could be read from %1").arg(options.tlsCertFile));
        return false;
    }
    const QSslKey key = clientKey(options, error);
    if (key.isNull())
        return false;
    if (!keyMatches(chain.first(), key)) {
        *error = NatsError(
            NatsError::TlsError,
            tr("the key %1 does not match the certificate %2").arg(options.tlsKeyFile, options.tlsCertFile));
        return false;
    }
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    return true;
}

} // namespace

QSslConfiguration NatsTlsConfig::build(const NatsConnectOptions &options, NatsError *error)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    if (!options.tlsCaFile.isEmpty()) {
        const QList<QSslCertificate> cas = QSslCertificate::fromPath(options.tlsCaFile);
        if (cas.isEmpty()) {
            *error = NatsError(NatsError::TlsError,
                               tr("no CA certificate could be read from %1").arg(options.tlsCaFile));
            return QSslConfiguration::defaultConfiguration();
        }
        config.setCaCertificates(cas);
    }
    if (!options.tlsCertFile.isEmpty() && !addClientCertificate(config, options, error))
        return QSslConfiguration::defaultConfiguration();
    return config;
}

bool NatsTlsConfig::isKeyEncrypted(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) && isEncryptedPem(file.readAll());
}

bool NatsTlsConfig::checkKeyPassphrase(const QString &path, const QByteArray &passphrase)
{
    QFile file(path);
    return !passphrase.isEmpty() && file.open(QIODevice::ReadOnly) && !readKey(file.readAll(), passphrase).isNull();
}

NatsError NatsTlsConfig::explainTlsFirst(const NatsError &error, const QSslSocket &socket, const QUrl &server)
{
    // Certificate checks failed, or the server sent a TLS alert: the handshake itself was understood.
    const bool answeredInTls = !socket.sslHandshakeErrors().isEmpty() || socket.errorString().contains("alert"_L1);
    if (answeredInTls)
        return error;
    return NatsError(NatsError::TlsError,
                     tr("%1 did not take the TLS handshake first (tls_first): that needs nats-server 2.10 or "
                        "later with tls { handshake_first: true } (%2)")
                         .arg(server.toDisplayString(QUrl::RemoveUserInfo), error.message()));
}
