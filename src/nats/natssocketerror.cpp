#include "natssocketerror.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>
#include <QtCore/QUrl>
#include <QtNetwork/QSslSocket>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("NatsSocketError", text);
}

NatsError describeTlsFailure(const QSslSocket &socket, const QString &where, bool serverVerifiesClients,
                             const QString &clientCertFile)
{
    // With verify on, the server ends the handshake with a bare alert when it does not like our
    // certificate (or we sent none); OpenSSL's "sslv3 alert bad certificate" alone does not say that.
    if (serverVerifiesClients && clientCertFile.isEmpty()) {
        return NatsError(NatsError::TlsError,
                         tr("TLS error with %1: the server requires a client certificate and none is "
                            "configured (%2)")
                             .arg(where, socket.errorString()));
    }
    if (serverVerifiesClients) {
        return NatsError(NatsError::TlsError,
                         tr("TLS error with %1: the server did not accept the client certificate %2 (%3)")
                             .arg(where, clientCertFile, socket.errorString()));
    }
    return NatsError(NatsError::TlsError, tr("TLS error with %1: %2").arg(where, socket.errorString()));
}

// The handshake's errors, said plainly first where they mean the server's certificate comes from no CA
// trusted here (OpenSSL's "issuer certificate of a locally looked up certificate could not be found"
// does not say that), then in OpenSSL's words.
NatsError describeHandshakeErrors(const QList<QSslError> &errors, const QString &where, const QString &caFile)
{
    static const QList<QSslError::SslError> untrusted{
        QSslError::UnableToGetIssuerCertificate,   QSslError::UnableToGetLocalIssuerCertificate,
        QSslError::UnableToVerifyFirstCertificate, QSslError::SelfSignedCertificate,
        QSslError::SelfSignedCertificateInChain,   QSslError::CertificateUntrusted};
    QStringList texts;
    bool notTrusted = false;
    for (const QSslError &sslError : errors) {
        texts.append(sslError.errorString());
        notTrusted = notTrusted || untrusted.contains(sslError.error());
    }
    const QString detail = texts.join("; "_L1);
    if (!notTrusted)
        return NatsError(NatsError::TlsError, tr("TLS handshake with %1 failed: %2").arg(where, detail));
    const QString plainly = caFile.isEmpty() ? tr("its certificate is not signed by a CA this system trusts")
                                             : tr("its certificate is not signed by the CA in %1").arg(caFile);
    return NatsError(NatsError::TlsError, tr("TLS handshake with %1 failed: %2 (%3)").arg(where, plainly, detail));
}

} // namespace

NatsError NatsSocketError::describe(const QTcpSocket &socket, const QUrl &server, bool serverVerifiesClients,
                                    const QString &clientCertFile, const QString &caFile)
{
    const QString where = server.toDisplayString(QUrl::RemoveUserInfo);
    const auto *tlsSocket = qobject_cast<const QSslSocket *>(&socket);
    const QList<QSslError> handshakeErrors = tlsSocket ? tlsSocket->sslHandshakeErrors() : QList<QSslError>();
    if (!handshakeErrors.isEmpty())
        return describeHandshakeErrors(handshakeErrors, where, caFile);
    switch (socket.error()) {
    case QAbstractSocket::ConnectionRefusedError:
        return NatsError(NatsError::ConnectionRefused, tr("connection to %1 refused").arg(where));
    case QAbstractSocket::HostNotFoundError:
        return NatsError(NatsError::HostNotFound, tr("host %1 not found").arg(server.host()));
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        if (!tlsSocket)
            break;
        return describeTlsFailure(*tlsSocket, where, serverVerifiesClients, clientCertFile);
    case QAbstractSocket::RemoteHostClosedError:
        return NatsError(NatsError::ConnectionLost, tr("%1 closed the connection").arg(where));
    default:
        break;
    }
    return NatsError(NatsError::SocketError, tr("%1: %2").arg(where, socket.errorString()));
}
