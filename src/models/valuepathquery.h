#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QString>

// A JSON path with an optional comparison, for Find in Values over decoded values:
//
//   $.customer.id == 42      customer.id = 42      $.items[0].sku != "A-1"      $.tags[*] ~ urgent
//   $.total >= 100           $["odd.name"] == x    $.deleted   (no comparison: the path exists)
//
// The path: names joined by dots ("$." in front may be left out), [N] an array element, * or [*] every
// member or element, ["name"] a name with dots, spaces or brackets. The comparison: == (or =), !=, <, <=,
// >, >= (numbers with numbers, text with text), ~ (contains, ignoring case; other values as compact JSON).
// The value: a JSON literal (42, "text", true, false, null) or a bare word, taken as text. A value
// matches when any place the path reaches satisfies the comparison.
class ValuePathQuery
{
    Q_DECLARE_TR_FUNCTIONS(ValuePathQuery)

public:
    struct Hit
    {
        QString path; // where, with concrete indexes and names ("$.tags[1]")
        QJsonValue value;
    };

    // Invalid (isValid() false, errorString() says where) when query does not follow the syntax.
    static ValuePathQuery parse(const QString &query);

    bool isValid() const { return m_error.isEmpty() && !m_segments.isEmpty(); }
    QString errorString() const { return m_error; }

    // The places in json (a decoded value) the path reaches and whose value satisfies the comparison.
    QList<Hit> hits(const QJsonValue &json) const;
    // The value as JSON text (a decoded value as shown); no hits when it is not JSON.
    QList<Hit> hits(const QString &jsonText) const;

private:
    enum class Op {
        Exists,
        Equal,
        NotEqual,
        Less,
        LessOrEqual,
        Greater,
        GreaterOrEqual,
        Contains
    };
    struct Segment
    {
        QString name; // a member; empty with index < 0: every member or element
        qsizetype index = -1;
        bool any = false;
    };

    bool parsePath(const QString &query, qsizetype *at);
    bool parseSegment(const QString &query, qsizetype *at, bool dotted);
    bool parseComparison(const QString &rest);
    void collect(const QJsonValue &value, qsizetype segment, const QString &path, QList<Hit> *hits) const;
    bool satisfies(const QJsonValue &value) const;

    QList<Segment> m_segments;
    Op m_op = Op::Exists;
    QJsonValue m_value;
    QString m_error;
};
