#pragma once

#include "jsstreamconfig.h"

#include <QtCore/QByteArray>
#include <QtCore/QStringList>

class JetStreamContext;
class JsOrderedConsumer;
class NatsConnection;

// What the JetStream tests share: streams to test with, and a publish that waits for its ack.
namespace JsTest {

// A memory stream called name over subjects.
JsStreamConfig memoryStream(const QString &name, const QStringList &subjects);
// Creates the stream and waits (10 s); false (the server's error printed) when it was not created.
bool createStream(JetStreamContext *js, const JsStreamConfig &config);
// Publishes with an ack and returns the stream sequence (0 on failure).
quint64 publish(JetStreamContext *js, const QByteArray &subject, const QByteArray &data);

// Makes consumer see a sequence gap at once, as if a delivery had been lost, so it resets right now
// (wherever it is: mid-way through its initial deliveries too). The server refuses $JS.ACK reply subjects
// from clients, so the forged delivery is handed to the consumer's own subscription on connection.
// False when the consumer has no subscription there.
bool forceGap(NatsConnection *connection, JsOrderedConsumer *consumer);

} // namespace JsTest
