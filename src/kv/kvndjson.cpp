#include "kvndjson.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
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

} // namespace

QByteArray KvNdjson::encode(const KvEntry &entry)
{
    return QJsonDocument(toJson(entry)).toJson(QJsonDocument::Compact);
}

QJsonObject KvNdjson::toJson(const KvEntry &entry)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    const QString text = decoder.decode(entry.value);
    const bool isText = !decoder.hasError();
    QJsonObject object{
        {u"key"_s, entry.key},
        {u"value"_s, isText ? text : QString::fromLatin1(entry.value.toBase64())},
        {u"encoding"_s, QLatin1StringView(isText ? TextEncoding : Base64Encoding)},
        {u"revision"_s, qint64(entry.revision)},
        {u"operation"_s, KvEntry::operationName(entry.operation)},
    };
    if (entry.created.isValid())
        object.insert(u"created"_s, entry.created.toUTC().toString(Qt::ISODateWithMs));
    if (entry.ttlNs != 0)
        object.insert(u"ttl"_s, entry.ttlNs);
    if (entry.isLimitMarker())
        object.insert(u"marker_reason"_s, QString::fromUtf8(entry.markerReason));
    return object;
}

bool KvNdjson::decode(const QByteArray &line, KvEntry *entry, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line.trimmed(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, tr("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!document.isObject())
        return fail(error, tr("not a JSON object"));
    const QJsonObject object = document.object();
    if (!object.value("key"_L1).isString() || object.value("key"_L1).toString().isEmpty())
        return fail(error, tr("the \"key\" field is missing"));
    KvEntry decoded;
    decoded.key = object.value("key"_L1).toString();
    const QJsonValue value = object.value("value"_L1);
    if (!value.isUndefined() && !value.isNull() && !value.isString())
        return fail(error, tr("the \"value\" of key \"%1\" is not a string").arg(decoded.key));
    const QString encoding = object.value("encoding"_L1).toString(QLatin1StringView(TextEncoding));
    if (encoding == QLatin1StringView(TextEncoding)) {
        decoded.value = value.toString().toUtf8();
    } else if (encoding == QLatin1StringView(Base64Encoding)) {
        const auto result = QByteArray::fromBase64Encoding(value.toString().toLatin1(),
                                                           QByteArray::AbortOnBase64DecodingErrors);
        if (!result)
            return fail(error, tr("the value of key \"%1\" is not valid base64").arg(decoded.key));
        decoded.value = *result;
    } else {
        return fail(error,
                    tr("unknown encoding \"%1\" for key \"%2\" (use text or base64)").arg(encoding, decoded.key));
    }
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
    decoded.markerReason = object.value("marker_reason"_L1).toString().toUtf8();
    const QString created = object.value("created"_L1).toString();
    if (!created.isEmpty())
        decoded.created = QDateTime::fromString(created, Qt::ISODateWithMs);
    *entry = decoded;
    return true;
}
