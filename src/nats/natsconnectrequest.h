#pragma once

#include "natserror.h"

#include <QtCore/QByteArray>

class NatsServerInfo;
class QUrl;
struct NatsConnectOptions;

// Builds the JSON of the CONNECT a client sends after INFO: the client's options, plus its credentials
// (user and password or token, from the server URL or the options; an NKEY seed, a seed file, a .creds
// file or a JWT and seed given directly, signing the server's nonce). Pure: reads credential files but
// has no socket, so every kind of authentication can be tested without a server.
class NatsConnectRequest final
{
public:
    // The "lang" the client reports.
    static constexpr const char *Lang = "qt";

    // The compact CONNECT JSON for url (the server being connected, whose userinfo wins over the
    // options) over a connection that is encrypted or not. On a credentials problem returns an empty
    // array and sets *error to a CredentialsError naming the file or seed at fault.
    static QByteArray build(const NatsConnectOptions &options, const NatsServerInfo &info, const QUrl &url, bool tls,
                            NatsError *error);

    NatsConnectRequest() = delete;
};
