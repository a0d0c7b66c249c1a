#include "difftext.h"

#include "valueformat.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace DiffText {

QString normalizedJson(const QByteArray &value)
{
    if (!ValueFormat::isValidJson(value))
        return {};
    // Wrapped in an array so scalars parse too. QJsonObject keeps its keys sorted, so writing the
    // document back out sorts every object; integers that fit 64 bits are written back exactly.
    // A number past a double (1e400) is valid JSON that QJsonDocument does not read: laid out as written.
    const QJsonArray wrapped = QJsonDocument::fromJson("[" + value + "]").array();
    if (wrapped.isEmpty())
        return ValueFormat::prettyJson(value);
    const QJsonValue parsed = wrapped.first();
    QByteArray compact;
    if (parsed.isObject())
        compact = QJsonDocument(parsed.toObject()).toJson(QJsonDocument::Compact);
    else if (parsed.isArray())
        compact = QJsonDocument(parsed.toArray()).toJson(QJsonDocument::Compact);
    else
        compact = value.trimmed();
    return ValueFormat::prettyJson(compact);
}

QString forValue(const QByteArray &value)
{
    const ValueFormat::View view = ValueFormat::detect(value);
    if (view == ValueFormat::View::Json)
        return normalizedJson(value);
    QString text;
    QString error;
    if (ValueFormat::render(value, view, &text, &error))
        return text;
    return ValueFormat::hexDump(value);
}

Pair forPair(const QByteArray &left, const QByteArray &right)
{
    const bool leftJson = ValueFormat::detect(left) == ValueFormat::View::Json;
    const bool rightJson = ValueFormat::detect(right) == ValueFormat::View::Json;
    if (leftJson && rightJson)
        return {normalizedJson(left), normalizedJson(right), true};
    // A JSON side is valid UTF-8 text: shown as written.
    const auto asIs = [](const QByteArray &value, bool json) {
        return json ? QString::fromUtf8(value) : forValue(value);
    };
    return {asIs(left, leftJson), asIs(right, rightJson), false};
}

} // namespace DiffText
