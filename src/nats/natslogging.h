#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QLoggingCategory>

// One category per layer, plus kvdesk.protocol.wire for raw bytes (off by default: it shows payloads).
// Enable with QT_LOGGING_RULES="kvdesk.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcNatsProtocol)
Q_DECLARE_LOGGING_CATEGORY(lcNatsWire)
Q_DECLARE_LOGGING_CATEGORY(lcNatsConnection)
Q_DECLARE_LOGGING_CATEGORY(lcJetStream)
Q_DECLARE_LOGGING_CATEGORY(lcKv)

// What a log may show of what went over the wire: never a credential, whoever turned the logging on.
class NatsLogging final
{
public:
    // bytes for the wire log: the string values of "pass", "auth_token", "jwt" and "sig" (the CONNECT's
    // secrets; a signature replays as well as a password for its nonce) as "***", then at most limit bytes.
    static QByteArray wireText(const QByteArray &bytes, qsizetype limit = 512);

    NatsLogging() = delete;
};
