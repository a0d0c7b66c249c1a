#include "kvndjson.h"

#include "kvbase64.h"
#include "kvnames.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSet>
#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("KvNdjson", text);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool parseOperation(const QString &name, KvEntry::Operation *operation)
{
    if (name.isEmpty() || name == "PUT"_L1)
        *operation = KvEntry::Operation::Put;
    else if (name == "DEL"_L1 || name == "DELETE"_L1)
        *operation = KvEntry::Operation::Delete;
    else if (name == "PURGE"_L1)
        *operation = KvEntry::Operation::Purge;
    else
        return false;
    return true;
}

// JSON numbers are doubles: converting one of 2^63 or more to a qint64 is undefined behaviour (x86 gives
// INT64_MIN), and a revision that large could not be exported again (encode writes a qint64).
constexpr double kTwoTo63 = 9223372036854775808.0;

// A member's name as every JSON reader reads it, from its quoted text: "\u0076alue" is "value".
QByteArray memberName(const QByteArray &quoted)
{
    if (!quoted.contains('\\'))
        return quoted.mid(1, quoted.size() - 2);
    return QJsonDocument::fromJson('[' + quoted + ']').array().at(0).toString().toUtf8();
}

// The name of a member the object has twice, or empty: Qt's reader keeps one of them without a word, and an
// import would write a value the line also contradicts. json is a valid JSON object.
QString memberTwice(const QByteArray &json)
{
    QSet<QByteArray> names;
    int depth = 0;
    bool nameNext = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const char c = json[i];
        if (c == '"') {
            qsizetype end = i + 1;
            while (end < json.size() && json[end] != '"')
                end += json[end] == '\\' ? 2 : 1;
            if (depth == 1 && nameNext) {
                const QByteArray name = memberName(json.mid(i, end - i + 1));
                if (names.contains(name))
                    return QString::fromUtf8(name);
                names.insert(name);
                nameNext = false;
            }
            i = end;
        } else if (c == '{' || c == '[') {
            ++depth;
            nameNext = depth == 1;
        } else if (c == '}' || c == ']') {
            --depth;
        } else if (c == ',' && depth == 1) {
            nameNext = true;
        }
    }
    return {};
}

// The first UTF-16 surrogate of text that is not half of a pair ("\ud800" in JSON), or 0: it stands for no
// character, and UTF-8 has no bytes for it (QString::toUtf8() writes '?').
char16_t loneSurrogate(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i].isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
            ++i;
        else if (text[i].isSurrogate())
            return text[i].unicode();
    }
    return 0;
}

// The entry's key from the object's "key", or from "key_base64" for one whose bytes are not UTF-8 text.
bool decodeKey(const QJsonObject &object, KvEntry *decoded, QString *error)
{
    const QJsonValue key = object.value("key"_L1);
    const QJsonValue keyBase64 = object.value(QLatin1StringView(KvNdjson::KeyBase64Field));
    if (keyBase64.isUndefined()) {
        if (!key.isString() || key.toString().isEmpty())
            return fail(error, tr("the \"key\" field is missing"));
        decoded->key = key.toString();
        if (const char16_t surrogate = loneSurrogate(decoded->key))
            return fail(error,
                        tr("the key \"%1\" holds a lone UTF-16 surrogate (\\u%2), which is no character: a key "
                           "whose bytes are not UTF-8 text goes in \"key_base64\"")
                            .arg(KvNames::displayKey(decoded->key), QString::number(surrogate, 16)));
        return true;
    }
    const auto bytes = keyBase64.isString() ? KvBase64::decode(keyBase64.toString().toLatin1()) : std::nullopt;
    if (!bytes || bytes->isEmpty())
        return fail(error, tr("the \"key_base64\" of key \"%1\" is not valid base64 of a key").arg(key.toString()));
    decoded->key = KvNames::keyFromSubject(*bytes);
    // "key" is the same key for people: one that names another key is a line that contradicts itself.
    if (!key.isUndefined() && key.toString() != KvNames::displayKey(decoded->key) && key.toString() != decoded->key)
        return fail(error,
                    tr("the \"key\" \"%1\" and the \"key_base64\" (key \"%2\") name different keys")
                        .arg(key.toString(), KvNames::displayKey(decoded->key)));
    return true;
}

// The entry's value from the object's "value" and "encoding".
bool decodeValue(const QJsonObject &object, KvEntry *decoded, QString *error)
{
    const QJsonValue value = object.value("value"_L1);
    if (!value.isUndefined() && !value.isNull() && !value.isString())
        return fail(error, tr("the \"value\" of key \"%1\" is not a string").arg(decoded->key));
    const QString encoding = object.value("encoding"_L1).toString(QLatin1StringView(KvNdjson::TextEncoding));
    if (encoding == QLatin1StringView(KvNdjson::TextEncoding)) {
        const QString text = value.toString();
        if (const char16_t surrogate = loneSurrogate(text))
            return fail(error,
                        tr("the value of key \"%1\" holds a lone UTF-16 surrogate (\\u%2), which is no "
                           "character: bytes that are not UTF-8 text go in base64 (\"encoding\":\"base64\")")
                            .arg(decoded->key, QString::number(surrogate, 16)));
        decoded->value = text.toUtf8();
    } else if (encoding == QLatin1StringView(KvNdjson::Base64Encoding)) {
        const auto result = KvBase64::decode(value.toString().toLatin1());
        if (!result)
            return fail(error, tr("the value of key \"%1\" is not valid base64").arg(decoded->key));
        decoded->value = *result;
    } else {
        return fail(error,
                    tr("unknown encoding \"%1\" for key \"%2\" (use text or base64)").arg(encoding, decoded->key));
    }
    return true;
}

} // namespace

namespace {
constexpr char kBom[] = "\xEF\xBB\xBF"; // U+FEFF in UTF-8
constexpr char kBomEscaped[] = "\\ufeff";
} // namespace

QByteArray KvNdjson::encode(const KvEntry &entry)
{
    // U+FEFF escaped: Qt's JSON reader drops one that starts a string (a value starting with a byte order
    // mark would lose it), and other readers may take it for a mark too. The escape reads back as it.
    return QJsonDocument(toJson(entry)).toJson(QJsonDocument::Compact).replace(kBom, kBomEscaped);
}

QJsonObject KvNdjson::toJson(const KvEntry &entry)
{
    // A byte order mark is part of the value: kept as U+FEFF (the decoder drops a leading one by default).
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom);
    const QString text = decoder.decode(entry.value);
    const bool isText = !decoder.hasError();
    QJsonObject object{
        {u"value"_s, isText ? text : QString::fromLatin1(entry.value.toBase64())},
        {u"encoding"_s, QLatin1StringView(isText ? TextEncoding : Base64Encoding)},
        {u"revision"_s, qint64(entry.revision)},
        {u"operation"_s, KvEntry::operationName(entry.operation)},
    };
    insertKey(&object, entry.key);
    if (entry.created.isValid())
        object.insert(u"created"_s, entry.created.toUTC().toString(Qt::ISODateWithMs));
    if (entry.ttlNs != 0)
        object.insert(u"ttl"_s, entry.ttlNs);
    if (entry.isLimitMarker())
        object.insert(u"marker_reason"_s, QString::fromUtf8(entry.markerReason));
    return object;
}

void KvNdjson::insertKey(QJsonObject *object, const QString &key)
{
    if (!KvNames::keyHasRawBytes(key)) {
        object->insert(u"key"_s, key);
        return;
    }
    // JSON has no bytes that are not UTF-8 (Qt would write "\udcff", other readers U+FFFD): the key's
    // bytes go in base64, and "key" says it for people.
    object->insert(u"key"_s, KvNames::displayKey(key));
    object->insert(QLatin1StringView(KeyBase64Field), QString::fromLatin1(KvNames::keySubject(key).toBase64()));
}

bool KvNdjson::decode(const QByteArray &line, KvEntry *entry, QString *error)
{
    // A byte order mark before the object is one (a file saved with it); any other is U+FEFF in a string,
    // escaped before Qt's reader sees it (it drops one that starts a string).
    QByteArray json = line.trimmed();
    if (json.startsWith(kBom))
        json.remove(0, 3);
    json.replace(kBom, kBomEscaped);
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, tr("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return fail(error, tr("not a JSON object"));
    if (const QString twice = memberTwice(json); !twice.isEmpty())
        return fail(error, tr("the line has \"%1\" twice").arg(twice));
    const QJsonObject object = document.object();
    KvEntry decoded;
    if (!decodeKey(object, &decoded, error))
        return false;
    if (!decodeValue(object, &decoded, error))
        return false;
    const QString operation = object.value("operation"_L1).toString();
    if (!parseOperation(operation, &decoded.operation))
        return fail(error, tr("unknown operation \"%1\" for key \"%2\"").arg(operation, decoded.key));
    const double revision = object.value("revision"_L1).toDouble(0);
    if (revision >= kTwoTo63)
        return fail(error, tr("the \"revision\" of key \"%1\" is out of range").arg(decoded.key));
    decoded.revision = revision > 0 ? quint64(revision) : 0;
    const QJsonValue ttl = object.value("ttl"_L1);
    if (!ttl.isUndefined() && !ttl.isNull()) {
        const double ns = ttl.toDouble(-2);
        if (!ttl.isDouble() || (ns < 0 && ns != -1) || ns >= kTwoTo63)
            return fail(
                error,
                tr("the \"ttl\" of key \"%1\" is not a number of nanoseconds (or -1 for never)").arg(decoded.key));
        decoded.ttlNs = qint64(ns);
    }
    // A put's value is never left out (an empty one is "value":""): a line without one is not made up.
    const QJsonValue value = object.value("value"_L1);
    if (decoded.operation == KvEntry::Operation::Put && value.isNull())
        return fail(error,
                    tr("the \"value\" of key \"%1\" is null: a value is a string (an empty one is \"value\":\"\")")
                        .arg(decoded.key));
    if (decoded.operation == KvEntry::Operation::Put && value.isUndefined())
        return fail(error,
                    tr("the \"value\" of key \"%1\" is missing (an empty value is \"value\":\"\")").arg(decoded.key));
    decoded.markerReason = object.value("marker_reason"_L1).toString().toUtf8();
    const QString created = object.value("created"_L1).toString();
    if (!created.isEmpty())
        decoded.created = QDateTime::fromString(created, Qt::ISODateWithMs);
    *entry = decoded;
    return true;
}
