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

// The library's log lines: qCDebug()/qCWarning() unless the library is muted, when the line does not
// even look at its category (nor evaluate its arguments).
#define kvCDebug(category)                                                                                             \
    for (bool kvLogOn = !NatsLogging::isMuted(); kvLogOn; kvLogOn = false)                                             \
    qCDebug(category)
#define kvCWarning(category)                                                                                           \
    for (bool kvLogOn = !NatsLogging::isMuted(); kvLogOn; kvLogOn = false)                                             \
    qCWarning(category)

// What a log may show of what went over the wire: never a credential, whoever turned the logging on.
class NatsLogging final
{
public:
    // Muted, the library logs nothing and touches none of its categories. kvdesk-cli mutes it when no
    // logging rules are given: its errors reach the user as one line from the command. Not touching a
    // category matters there: the first QLoggingCategory of a process makes Qt load its rules (the
    // environment, qtlogging.ini in two places, qt.conf), 0.2 ms of the 6 ms a kvdesk-cli get spends
    // after its libraries are loaded.
    static void setMuted(bool muted);
    static bool isMuted();
    // Whether the wire log (kvdesk.protocol.wire, debug) is on; false when muted.
    static bool wireLogEnabled();

    // bytes for the wire log: the string values of "pass", "auth_token", "jwt" and "sig" (the CONNECT's
    // secrets; a signature replays as well as a password for its nonce) as "***", then at most limit bytes.
    static QByteArray wireText(const QByteArray &bytes, qsizetype limit = 512);

    NatsLogging() = delete;
};
