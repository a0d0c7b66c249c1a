#include "natstlsconfig.h"

#include "natsconnectoptions.h"

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
