#pragma once

#include "natserror.h"

class QTcpSocket;
class QString;
class QUrl;

// Turns a socket's failure into the client's error vocabulary, naming the server: refused, host not
// found, closed by the server, TLS handshake failures, anything else as SocketError. When the server
// verifies client certificates, a failed handshake says whether ours was missing or refused, which
// OpenSSL's bare "alert bad certificate" does not.
class NatsSocketError final
{
public:
    // The error for socket's current failure while talking to server. serverVerifiesClients is INFO's
    // tls_verify; clientCertFile the client certificate configured, empty when none; caFile the CA file
    // trusted, empty for the system's CAs.
    static NatsError describe(const QTcpSocket &socket, const QUrl &server, bool serverVerifiesClients,
                              const QString &clientCertFile, const QString &caFile = {});

    NatsSocketError() = delete;
};
