#include "natslogging.h"

#include <QtCore/QRegularExpression>

Q_LOGGING_CATEGORY(lcNatsProtocol, "kvdesk.protocol", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNatsWire, "kvdesk.protocol.wire", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNatsConnection, "kvdesk.connection", QtWarningMsg)
Q_LOGGING_CATEGORY(lcJetStream, "kvdesk.jetstream", QtWarningMsg)
Q_LOGGING_CATEGORY(lcKv, "kvdesk.kv", QtWarningMsg)

namespace {
bool g_muted = false; // set by main() before any connection exists, read after
} // namespace

void NatsLogging::setMuted(bool muted)
{
    g_muted = muted;
}

bool NatsLogging::isMuted()
{
    return g_muted;
}

bool NatsLogging::wireLogEnabled()
{
    return !g_muted && lcNatsWire().isDebugEnabled();
}

QByteArray NatsLogging::wireText(const QByteArray &bytes, qsizetype limit)
{
    // Anywhere in the bytes, not only in a CONNECT: cheaper to be sure than to parse. A value cut off by
    // the window (no closing quote) is hidden to its end. A CONNECT fits the window whole.
    static const QRegularExpression secret(
        QStringLiteral(R"re("(pass|auth_token|jwt|sig)"\s*:\s*"(?:[^"\\]|\\.)*("|$))re"));
    const qsizetype window = std::max<qsizetype>(limit, 64 * 1024);
    QString text = QString::fromLatin1(bytes.left(window)); // byte for byte, whatever the encoding
    text.replace(secret, QStringLiteral(R"("\1":"***\2)"));
    return text.toLatin1().left(limit);
}
