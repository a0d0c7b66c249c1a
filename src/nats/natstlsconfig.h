#pragma once

#include "natserror.h"

#include <QtNetwork/QSslConfiguration>

struct NatsConnectOptions;

// The TLS side of the connect options: peer verification, the CA certificates to trust and the client
// certificate and key, read from their PEM files. Pure apart from reading the files, so a wrong path or
// an unreadable key shows as an error naming the file before any socket is involved.
class NatsTlsConfig final
{
public:
    // The configuration for options. On failure returns a default configuration and sets *error to a
    // TlsError naming the file at fault.
    static QSslConfiguration build(const NatsConnectOptions &options, NatsError *error);

    NatsTlsConfig() = delete;
};
