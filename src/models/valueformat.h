#pragma once

#include "codecoptions.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

// The ways a value can be shown and edited, the choice of the best one, and conversions both ways.
// JSON is pretty-printed by re-indenting the text, never by re-serialising it, so the key order and
// the numbers stay exactly as stored.
namespace ValueFormat {

enum class View {
    Text,
    Json,
    Hex,
    Base64,
    Cbor,
    Decoded // through the decoders' chain (CodecChain): Base64, gzip, zstd, MessagePack, Protobuf…
};

// Spaces a level of JSON and CBOR is indented by, alike in every view (issue 14).
constexpr int IndentSpaces = 2;

QString viewName(View view);
bool isEditable(View view);
// JSON when it parses, text when it is printable UTF-8, Decoded when the decoders find more than that
// (compression, Base64 around something, MessagePack, CBOR, the Protobuf message of options), else hex.
View detect(const QByteArray &value, const CodecOptions &options = {});

// The value as text for view. False (with *error saying why) when the value cannot be shown that way.
bool render(const QByteArray &value, View view, QString *text, QString *error);
// Text typed in view back to bytes. False (with *error) when it is not valid for that view.
bool parse(const QString &text, View view, QByteArray *value, QString *error);

bool isValidJson(const QByteArray &value, QString *error = nullptr);
QString prettyJson(const QByteArray &json);
// The value as UTF-8 text, a leading byte order mark included; false when it is not valid UTF-8.
bool decodeText(const QByteArray &value, QString *text);
QString hexDump(const QByteArray &value);

} // namespace ValueFormat
