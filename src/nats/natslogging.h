#pragma once

#include <QtCore/QLoggingCategory>

// One category per layer, plus kvdesk.protocol.wire for raw bytes (off by default: it shows payloads).
// Enable with QT_LOGGING_RULES="kvdesk.*.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcNatsProtocol)
Q_DECLARE_LOGGING_CATEGORY(lcNatsWire)
Q_DECLARE_LOGGING_CATEGORY(lcNatsConnection)
Q_DECLARE_LOGGING_CATEGORY(lcJetStream)
Q_DECLARE_LOGGING_CATEGORY(lcKv)
