#pragma once

#include "natsconnectoptions.h"

#include <QtCore/QString>

class NatsCliContext;

// Everything a KvClient needs to know before connecting: the connection's options and how to reach
// JetStream (domain or API prefix, request timeout).
struct KvClientOptions
{
    KvClientOptions() = default;
    // The connection's options, with JetStream's defaults.
    explicit KvClientOptions(const NatsConnectOptions &connectOptions);

    // Options for the given server list (parse errors surface when connecting).
    static KvClientOptions fromUrl(const QString &servers);
    // Options for connecting as a natscli context: its servers, credentials and TLS files
    // (NatsCliContext::toConnectOptions), and its JetStream domain or API prefix.
    static KvClientOptions fromCliContext(const NatsCliContext &context);

    NatsConnectOptions connection;
    QString jetStreamDomain;     // "$JS.<domain>.API." instead of "$JS.API."
    QString jetStreamApiPrefix;  // a custom API prefix; wins over the domain
    int requestTimeoutMs = 5000; // JetStream API requests and publish acks
};
