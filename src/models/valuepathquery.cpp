#include "valuepathquery.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

namespace {

// Characters that end a name written without quotes.
bool endsName(QChar c)
{
    return c.isSpace() || u".[]=!<>~"_s.contains(c);
}

// One JSON value written as text ("[…]" parsed: QJsonDocument holds no bare scalars).
bool parseJsonValue(const QString &text, QJsonValue *value)
{
    QJsonParseError error;
    const QJsonDocument wrapped = QJsonDocument::fromJson((u'[' + text + u']').toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !wrapped.isArray() || wrapped.array().size() != 1)
        return false;
    *value = wrapped.array().first();
    return true;
}

QString compactJson(const QJsonValue &value)
{
    const QByteArray json = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString textOf(const QJsonValue &value)
{
    return value.isString() ? value.toString() : compactJson(value);
}

QString nameStep(const QString &name)
{
    for (const QChar c : name) {
        if (!c.isLetterOrNumber() && c != u'_' && c != u'-')
            return u"[\""_s + name + u"\"]"_s;
    }
    return name.isEmpty() ? u"[\"\"]"_s : u'.' + name;
}

} // namespace

ValuePathQuery ValuePathQuery::parse(const QString &query)
{
    ValuePathQuery parsed;
    const QString text = query.trimmed();
    qsizetype at = 0;
    if (!parsed.parsePath(text, &at))
        return parsed;
    if (parsed.m_segments.isEmpty()) {
        parsed.m_error = tr("Find needs a path, such as $.customer.id or customer.id == 42");
        return parsed;
    }
    parsed.parseComparison(text.mid(at).trimmed());
    return parsed;
}

bool ValuePathQuery::parsePath(const QString &query, qsizetype *at)
{
    const bool rooted = query.startsWith(u'$');
    if (rooted)
        *at = 1;
    bool first = true;
    while (*at < query.size() && !query[*at].isSpace() && !u"=!<>~"_s.contains(query[*at])) {
        const QChar c = query[*at];
        if (c == u'.') {
            ++*at;
            if (!parseSegment(query, at, true))
                return false;
        } else if (c == u'[') {
            if (!parseSegment(query, at, false))
                return false;
        } else if (first && !rooted) {
            if (!parseSegment(query, at, true))
                return false;
        } else {
            m_error = tr("unexpected \"%1\" at position %2 of the path").arg(c).arg(*at + 1);
            return false;
        }
        first = false;
    }
    return true;
}

bool ValuePathQuery::parseSegment(const QString &query, qsizetype *at, bool dotted)
{
    if (dotted) {
        const qsizetype start = *at;
        while (*at < query.size() && !endsName(query[*at]))
            ++*at;
        const QString name = query.mid(start, *at - start);
        if (name.isEmpty()) {
            m_error = tr("expected a name at position %1 of the path").arg(start + 1);
            return false;
        }
        m_segments.append(name == "*"_L1 ? Segment{{}, -1, true} : Segment{name, -1, false});
        return true;
    }
    // [N], [*] or ["name"] (no escapes inside the quotes).
    const qsizetype open = *at;
    const qsizetype close = query.indexOf(u']', open + 1);
    const QString inside = close < 0 ? QString() : query.mid(open + 1, close - open - 1);
    if (close < 0) {
        m_error = tr("expected ] to close the [ at position %1 of the path").arg(open + 1);
        return false;
    }
    bool isNumber = false;
    const qsizetype index = inside.toLongLong(&isNumber);
    if (inside == "*"_L1) {
        m_segments.append({{}, -1, true});
    } else if (isNumber && index >= 0) {
        m_segments.append({{}, index, false});
    } else if (inside.size() >= 2 && inside.startsWith(u'"') && inside.endsWith(u'"')) {
        m_segments.append({inside.mid(1, inside.size() - 2), -1, false});
    } else if (inside.startsWith(u'"')) {
        m_error = tr("expected a closing \" in the [ at position %1 of the path").arg(open + 1);
        return false;
    } else {
        m_error = tr("expected an index [N], [*] or a quoted name [\"…\"] at position %1 of the path").arg(open + 1);
        return false;
    }
    *at = close + 1;
    return true;
}

bool ValuePathQuery::parseComparison(const QString &rest)
{
    if (rest.isEmpty())
        return true;
    static const QList<std::pair<QString, Op>> operators{
        {u"=="_s, Op::Equal}, {u"!="_s, Op::NotEqual}, {u"<="_s, Op::LessOrEqual}, {u">="_s, Op::GreaterOrEqual},
        {u"="_s, Op::Equal},  {u"<"_s, Op::Less},      {u">"_s, Op::Greater},      {u"~"_s, Op::Contains},
    };
    for (const auto &[text, op] : operators) {
        if (!rest.startsWith(text))
            continue;
        const QString value = rest.mid(text.size()).trimmed();
        if (value.isEmpty()) {
            m_error = tr("expected a value after %1").arg(text);
            return false;
        }
        m_op = op;
        // A JSON literal (42, "text", true, null), else the words as they are, as text.
        if (!parseJsonValue(value, &m_value))
            m_value = value;
        return true;
    }
    m_error = tr("expected ==, !=, <, <=, >, >= or ~ after the path, not \"%1\"").arg(rest);
    return false;
}

QList<ValuePathQuery::Hit> ValuePathQuery::hits(const QJsonValue &json) const
{
    QList<Hit> found;
    if (isValid())
        collect(json, 0, u"$"_s, &found);
    return found;
}

QList<ValuePathQuery::Hit> ValuePathQuery::hits(const QString &jsonText) const
{
    QJsonValue json;
    if (!isValid() || !parseJsonValue(jsonText, &json))
        return {};
    return hits(json);
}

void ValuePathQuery::collect(const QJsonValue &value, qsizetype segment, const QString &path, QList<Hit> *hits) const
{
    if (segment == m_segments.size()) {
        if (satisfies(value))
            hits->append({path, value});
        return;
    }
    const Segment &step = m_segments[segment];
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (step.any || step.index == i)
                collect(array[i], segment + 1, path + u"[%1]"_s.arg(i), hits);
        }
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (step.any || (step.index < 0 && it.key() == step.name))
                collect(it.value(), segment + 1, path + nameStep(it.key()), hits);
        }
    }
}

bool ValuePathQuery::satisfies(const QJsonValue &value) const
{
    const bool numbers = value.isDouble() && m_value.isDouble();
    const bool texts = value.isString() && m_value.isString();
    // Which way value compares with the query's value: <0, 0, >0; comparable says whether it does at all.
    const int order = numbers ? (value.toDouble() < m_value.toDouble()       ? -1
                                     : value.toDouble() > m_value.toDouble() ? 1
                                                                             : 0)
                              : (texts ? value.toString().compare(m_value.toString()) : 0);
    const bool comparable = numbers || texts;
    switch (m_op) {
    case Op::Exists:
        return true;
    case Op::Equal:
        return comparable ? order == 0 : value == m_value;
    case Op::NotEqual:
        return comparable ? order != 0 : value != m_value;
    case Op::Less:
        return comparable && order < 0;
    case Op::LessOrEqual:
        return comparable && order <= 0;
    case Op::Greater:
        return comparable && order > 0;
    case Op::GreaterOrEqual:
        return comparable && order >= 0;
    case Op::Contains:
        return textOf(value).contains(textOf(m_value), Qt::CaseInsensitive);
    }
    return false;
}
