#include "kvclientoptions.h"

#include "natsclicontext.h"

KvClientOptions::KvClientOptions(const NatsConnectOptions &connectOptions)
    : connection(connectOptions)
{
}

KvClientOptions KvClientOptions::fromUrl(const QString &servers)
{
    return KvClientOptions(NatsConnectOptions::fromUrl(servers));
}

KvClientOptions KvClientOptions::fromCliContext(const NatsCliContext &context)
{
    KvClientOptions options;
    options.connection = context.toConnectOptions();
    options.jetStreamDomain = context.jetStreamDomain;
    options.jetStreamApiPrefix = context.jetStreamApiPrefix;
    return options;
}
