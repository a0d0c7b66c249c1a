#pragma once

#include "kventry.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QString>

// The NDJSON entry format of `kvdesk-cli export`/`import` and of the app's watch-panel export: one JSON
// object per line,
//   {"key":"a.b","value":"hello","encoding":"text","revision":3,"operation":"PUT","created":"2024-05-01T10:00:00.123Z"}
// value is the text itself when the bytes are valid UTF-8 ("encoding":"text"), else standard base64
// ("encoding":"base64"), so any value round-trips byte for byte while text stays readable and greppable.
// operation is "PUT", "DEL" or "PURGE" (markers carry an empty value); created is UTC ISO 8601. An entry
// with its own TTL (nats-server 2.11+) adds "ttl" in nanoseconds (-1: never), like a bucket's ttl; a limit
// marker the server wrote adds "marker_reason" (MaxAge, Purge, Remove) to its PURGE or DEL. A key whose
// bytes are not UTF-8 (another client may write any bytes but whitespace in a subject) is written as
// "key_base64", its bytes in standard base64, beside a "key" for people with each such byte as "\xFF" (and
// a backslash as "\\": KvNames::displayKey()); decode() takes the key from "key_base64" when it is there.
class KvNdjson
{
public:
    static constexpr const char *TextEncoding = "text";
    static constexpr const char *Base64Encoding = "base64";
    static constexpr const char *KeyBase64Field = "key_base64";

    // One line without the trailing newline.
    static QByteArray encode(const KvEntry &entry);
    // The same record as a JSON object (for callers that add fields, such as the bucket name).
    static QJsonObject toJson(const KvEntry &entry);
    // Adds "key" (and "key_base64" for a key that is not UTF-8 text) to object, as toJson() writes them.
    static void insertKey(QJsonObject *object, const QString &key);
    // Parses one line (a trailing "\r" or "\n" is ignored). Only "key" (or "key_base64") is required; a missing encoding is
    // text, a missing operation PUT. On failure returns false and *error says what is wrong.
    static bool decode(const QByteArray &line, KvEntry *entry, QString *error);
};
