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
// Publishes headerBlock and payload to subject as another client could, bytes as given (kvdesk's own
// client writes only what it can parse back), and waits (10 s) for the reply to it: the JetStream ack
// when subject is a stream's. Returns the reply's payload, or an empty array with *problem said.
QByteArray publishRaw(const QString &url, const QByteArray &subject, const QByteArray &headerBlock,
                      const QByteArray &payload, QString *problem);
// The messages a messageReceived(NatsMessage) spy recorded, in order.
QList<NatsMessage> messagesOf(const QSignalSpy &spy);

} // namespace NatsTest
