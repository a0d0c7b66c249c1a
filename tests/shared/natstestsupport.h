#pragma once

#include "natserror.h"

#include <QtCore/QList>

class NatsConnection;
class QSignalSpy;

// What the core-client tests share.
namespace NatsTest {

// The codes an errorOccurred(NatsError::Code) spy recorded, in order.
QList<NatsError::Code> codesOf(const QSignalSpy &spy);

// A PING/PONG round trip: once it is back, the server has handled everything sent before, and every
// message it routed to this same connection before the PONG has been delivered.
bool flushed(NatsConnection *connection);

} // namespace NatsTest
