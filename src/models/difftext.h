#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// The text two values are compared as, line by line. JSON is normalised — object keys sorted, one
// member per line, the spacing of ValueFormat::prettyJson — so a reordered or reformatted document
// shows only its real change; text is compared as is; CBOR as diagnostic notation; anything else as a
// hex dump (16 bytes a line).
namespace DiffText {

QString forValue(const QByteArray &value);

// Two values as they are compared: JSON normalised only when both are JSON (normalized then says so, for
// the titles); otherwise a JSON side as written, so an edit that is not valid JSON yet, or a key absent
// on one side, does not show the other reformatted.
struct Pair
{
    QString left;
    QString right;
    bool normalized = false;
};
Pair forPair(const QByteArray &left, const QByteArray &right);
// The normalised form of a JSON value, or an empty string when value is not JSON.
QString normalizedJson(const QByteArray &value);

} // namespace DiffText
