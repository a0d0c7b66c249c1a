#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// The text two values are compared as, line by line. JSON is normalised — object keys sorted, one
// member per line, the spacing of ValueFormat::prettyJson — so a reordered or reformatted document
// shows only its real change; text is compared as is; CBOR as diagnostic notation; anything else as a
// hex dump (16 bytes a line).
namespace DiffText {

QString forValue(const QByteArray &value);
// The normalised form of a JSON value, or an empty string when value is not JSON.
QString normalizedJson(const QByteArray &value);

} // namespace DiffText
