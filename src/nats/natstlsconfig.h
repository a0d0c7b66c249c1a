#pragma once

#include "natserror.h"

#include <QtNetwork/QSslConfiguration>

struct NatsConnectOptions;
class QSslSocket;
class QUrl;

// The TLS side of the connect options: peer verification, the CA certificates to trust and the client
// certificate and key, read from their PEM files. Pure apart from reading the files, so a wrong path or
// an unreadable key shows as an error naming the file before any socket is involved.
class NatsTlsConfig final
{
public:
    // The configuration for options. On failure returns a default configuration and sets *error to a
    // TlsError naming the file at fault.
    static QSslConfiguration build(const NatsConnectOptions &options, NatsError *error);
    // Whether the PEM key at path is encrypted (needs a passphrase); false when it cannot be read.
    static bool isKeyEncrypted(const QString &path);
    // Whether passphrase opens the key at path.
    static bool checkKeyPassphrase(const QString &path, const QByteArray &passphrase);
    // error, the failure of a tls_first handshake with server, told as what it most likely means when the
    // server did not answer in TLS (its INFO came in plain text, or it hung up): a server that does not
    // take the handshake first. Errors the server sent in TLS (a refused certificate) stay as they are.
    static NatsError explainTlsFirst(const NatsError &error, const QSslSocket &socket, const QUrl &server);

    NatsTlsConfig() = delete;
};
