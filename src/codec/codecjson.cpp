#include "codecjson.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecJson", text);
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
    if (!parseOne(text.toUtf8(), &json, &parseError)) {
        *error = parseError.error == QJsonParseError::NoError
            ? tr("not one JSON value")
            : tr("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(std::max(0, parseError.offset - 1));
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

bool CodecJson::isJson(const QByteArray &text)
{
    QJsonValue value;
    QJsonParseError error;
    return parseOne(text, &value, &error);
}
