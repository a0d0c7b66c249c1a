#include "natstlsconfig.h"

#include "natsconnectoptions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFile>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslKey>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsTlsConfig", text);
}

// The client certificate and its key; false with *error set when either cannot be used.
bool addClientCertificate(QSslConfiguration &config, const NatsConnectOptions &options, NatsError *error)
{
    const QList<QSslCertificate> certs = QSslCertificate::fromPath(options.tlsCertFile);
    QFile keyFile(options.tlsKeyFile);
    if (certs.isEmpty()) {
        *error = NatsError(NatsError::TlsError,
                           tr("no client certificate could be read from %1").arg(options.tlsCertFile));
        return false;
    }
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = NatsError(NatsError::TlsError,
                           tr("cannot read the client key %1: %2").arg(options.tlsKeyFile, keyFile.errorString()));
        return false;
    }
    // QSslKey needs the algorithm up front; nats-server setups use RSA or EC keys.
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Rsa);
    if (key.isNull())
        key = QSslKey(pem, QSsl::Ec);
    if (key.isNull()) {
        *error = NatsError(NatsError::TlsError,
                           tr("the client key %1 is not an RSA or EC key in PEM form").arg(options.tlsKeyFile));
        return false;
    }
    config.setLocalCertificate(certs.first());
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
