#include "codecjson.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecJson", text);
}

// The length of the UTF-8 sequence at text[i]: a byte that starts no valid sequence is one character by
// itself (it shows as U+FFFD).
qsizetype sequenceLength(const QByteArray &text, qsizetype i)
{
    const auto lead = uchar(text[i]);
    const qsizetype length = lead < 0xC2 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 1;
    if (i + length > text.size())
        return 1;
    for (qsizetype k = 1; k < length; ++k) {
        if ((uchar(text[i + k]) & 0xC0) != 0x80)
            return 1;
    }
    return length;
}

// How many characters of text lie between from and to (one that to cuts through is not counted).
qsizetype characters(const QByteArray &text, qsizetype from, qsizetype to)
{
    qsizetype count = 0;
    for (qsizetype i = from; i < to; ++count) {
        const qsizetype length = sequenceLength(text, i);
        if (i + length > to)
            break;
        i += length;
    }
    return count;
}

// One JSON value as Qt writes it, without the array Qt needs around it (strings escaped, doubles in
// their shortest form).
QString qtJson(const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

// text as one JSON value: Qt takes only objects and arrays, so it is parsed inside one.
bool parseOne(const QByteArray &text, QJsonValue *value, QJsonParseError *error)
{
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]", error);
    if (error->error != QJsonParseError::NoError || document.array().size() != 1 || text.trimmed().isEmpty())
        return false;
    *value = document.array().first();
    return true;
}

// A map key as JSON shows it: text as it is; another key (a number, a map…) as its CBOR diagnostic
// notation, which quotes nothing inside it again: a key of a key of a key stays as long as it is, where
// the JSON text of each, escaped into the next, would double at every level.
QString keyText(const QCborValue &key)
{
    return key.isString() ? key.toString() : key.toDiagnosticNotation(QCborValue::Compact);
}

QString indent(int depth)
{
    return QString(depth * 2, u' ');
}

} // namespace

QString CodecJson::write(const QCborValue &value)
{
    QString out;
    writeValue(value, 0, &out);
    return out;
}

void CodecJson::writeValue(const QCborValue &value, int depth, QString *out)
{
    if (value.isTag()) {
        writeValue(value.taggedValue(), depth, out);
        return;
    }
    if (value.isArray()) {
        const QCborArray array = value.toArray();
        if (array.isEmpty()) {
            *out += u"[]"_s;
            return;
        }
        *out += u"[\n"_s;
        for (qsizetype i = 0; i < array.size(); ++i) {
            *out += indent(depth + 1);
            writeValue(array.at(i), depth + 1, out);
            *out += i + 1 < array.size() ? u",\n"_s : u"\n"_s;
        }
        *out += indent(depth) + u']';
        return;
    }
    if (value.isMap()) {
        const QCborMap map = value.toMap();
        if (map.isEmpty()) {
            *out += u"{}"_s;
            return;
        }
        *out += u"{\n"_s;
        qsizetype i = 0;
        for (auto it = map.constBegin(); it != map.constEnd(); ++it, ++i) {
            *out += indent(depth + 1) + qtJson(keyText(it.key())) + u": "_s; // JSON keys are text
            writeValue(it.value(), depth + 1, out);
            *out += i + 1 < map.size() ? u",\n"_s : u"\n"_s;
        }
        *out += indent(depth) + u'}';
        return;
    }
    *out += scalar(value);
}

QString CodecJson::scalar(const QCborValue &value)
{
    if (value.isInteger())
        return QString::number(value.toInteger());
    if (value.isByteArray())
        return qtJson(QString::fromLatin1(value.toByteArray().toBase64()));
    if (value.isArray() || value.isMap() || value.isTag()) {
        QString out;
        writeValue(value, 0, &out);
        return out;
    }
    return qtJson(value.toJsonValue()); // strings, doubles (non-finite ones as null), bools, null, simple types
}

bool CodecJson::read(const QString &text, const QCborValue &order, QCborValue *value, QString *error)
{
    QJsonValue json;
    QJsonParseError parseError;
    const QByteArray utf8 = text.toUtf8();
    if (!parseOne(utf8, &json, &parseError)) {
        *error = parseError.error == QJsonParseError::NoError
            ? tr("not one JSON value")
            : tr("not valid JSON: %1 at %2").arg(parseError.errorString(), errorPlace(utf8, parseError, 1));
        return false;
    }
    *value = ordered(QCborValue::fromJsonValue(json), order);
    return true;
}

QCborValue CodecJson::ordered(const QCborValue &value, const QCborValue &order)
{
    if (value.isArray()) {
        QCborArray array = value.toArray();
        const QCborArray orderArray = order.isArray() ? order.toArray() : QCborArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            array[i] = ordered(array.at(i), orderArray.at(i));
        return array;
    }
    if (!value.isMap())
        return value;
    const QCborMap map = value.toMap();
    const QCborMap orderMap = order.isMap() ? order.toMap() : QCborMap();
    QCborMap result;
    for (auto it = orderMap.constBegin(); it != orderMap.constEnd(); ++it) {
        // The key as JSON shows it: a map keyed by numbers was shown (and is read) with text keys.
        const QString key = keyText(it.key());
        if (map.contains(key) && !result.contains(key))
            result.insert(key, ordered(map.value(key), it.value()));
    }
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (!result.contains(it.key()))
            result.insert(it.key(), ordered(it.value(), QCborValue()));
    }
    return result;
}

bool CodecJson::sameJson(const QString &a, const QString &b)
{
    QJsonValue left;
    QJsonValue right;
    QJsonParseError error;
    return parseOne(a.toUtf8(), &left, &error) && parseOne(b.toUtf8(), &right, &error) && left == right;
}

QString CodecJson::errorPlace(const QByteArray &text, const QJsonParseError &error, qsizetype prefix)
{
    // Qt's offset is past the character it took last, except for a number or UTF-8 it could not read,
    // where it is at its start.
    const bool atStart = error.error == QJsonParseError::IllegalNumber
        || error.error == QJsonParseError::IllegalUTF8String;
    const qsizetype at = std::clamp(qsizetype(error.offset) - prefix - (atStart ? 0 : 1), qsizetype(0), text.size());
    const qsizetype lineStart = at == 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
    const qsizetype line = text.left(at).count('\n') + 1;
    return tr("line %1, column %2").arg(line).arg(characters(text, lineStart, at) + 1);
}

bool CodecJson::isJson(const QByteArray &text)
{
    QJsonValue value;
    QJsonParseError error;
    return parseOne(text, &value, &error);
}
