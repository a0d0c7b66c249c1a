#include "natslogging.h"

Q_LOGGING_CATEGORY(lcNatsProtocol, "kvdesk.protocol", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNatsWire, "kvdesk.protocol.wire", QtWarningMsg)
Q_LOGGING_CATEGORY(lcNatsConnection, "kvdesk.connection", QtWarningMsg)
Q_LOGGING_CATEGORY(lcJetStream, "kvdesk.jetstream", QtWarningMsg)
Q_LOGGING_CATEGORY(lcKv, "kvdesk.kv", QtWarningMsg)
