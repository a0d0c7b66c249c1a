#pragma once

#include "jsstreamconfig.h"

#include <QtCore/QByteArray>
#include <QtCore/QStringList>

class JetStreamContext;

// What the JetStream tests share: streams to test with, and a publish that waits for its ack.
namespace JsTest {

// A memory stream called name over subjects.
JsStreamConfig memoryStream(const QString &name, const QStringList &subjects);
// Creates the stream and waits (10 s); false (the server's error printed) when it was not created.
bool createStream(JetStreamContext *js, const JsStreamConfig &config);
// Publishes with an ack and returns the stream sequence (0 on failure).
quint64 publish(JetStreamContext *js, const QByteArray &subject, const QByteArray &data);

} // namespace JsTest
