#pragma once

#include "natsconnectoptions.h"
#include "natserror.h"
#include "natsmessage.h"

#include <QtCore/QList>

class NatsConnection;
class QObject;
class QSignalSpy;

// What the core-client tests share.
namespace NatsTest {

// The codes an errorOccurred(NatsError::Code) spy recorded, in order.
QList<NatsError::Code> codesOf(const QSignalSpy &spy);

// A PING/PONG round trip: once it is back, the server has handled everything sent before, and every
// message it routed to this same connection before the PONG has been delivered.
bool flushed(NatsConnection *connection);

// A connection (a child of parent) starting to connect to url with options.
NatsConnection *connectTo(const QString &url, QObject *parent, NatsConnectOptions options = {});
// Waits (5 s) until connection is connected or closed; true when connected.
bool waitForConnected(NatsConnection *connection);
// The messages a messageReceived(NatsMessage) spy recorded, in order.
QList<NatsMessage> messagesOf(const QSignalSpy &spy);

} // namespace NatsTest
