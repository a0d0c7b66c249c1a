#include "valuepathquery.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The JSON-path queries of Find in Values (ValuePathQuery): the syntax, what is refused and why, and
// which places of a document each query reaches.
class tst_ValuePathQuery final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hits_data();
    void hits();
    void refused_data();
    void refused();
    void notJson();
};

static const QString kOrder = uR"({"customer":{"id":42,"name":"Ada Lovelace","vip":true},
    "items":[{"sku":"A-1","qty":2},{"sku":"B-7","qty":1}],"tags":["new","urgent"],"total":99.5,
    "note":null,"odd.name":"x","id":"42"})"_s;

void tst_ValuePathQuery::hits_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("hits"); // "path = value as compact JSON"
    QTest::newRow("number ==") << u"$.customer.id == 42"_s << QStringList{u"$.customer.id = 42"_s};
    QTest::newRow("dotted without $, =") << u"customer.id = 42"_s << QStringList{u"$.customer.id = 42"_s};
    QTest::newRow("number as decimal") << u"$.customer.id == 42.0"_s << QStringList{u"$.customer.id = 42"_s};
    QTest::newRow("number is not text") << u"$.id == 42"_s << QStringList();
    QTest::newRow("quoted text") << u"$.id == \"42\""_s << QStringList{u"$.id = \"42\""_s};
    QTest::newRow("no match") << u"$.customer.id == 43"_s << QStringList();
    QTest::newRow("bare word is text") << u"$.items[0].sku == A-1"_s << QStringList{u"$.items[0].sku = \"A-1\""_s};
    QTest::newRow("!=") << u"$.items[*].sku != \"A-1\""_s << QStringList{u"$.items[1].sku = \"B-7\""_s};
    QTest::newRow("wildcard element") << u"$.items[*].qty >= 1"_s
                                      << QStringList{u"$.items[0].qty = 2"_s, u"$.items[1].qty = 1"_s};
    QTest::newRow("wildcard dot") << u"$.items.*.qty > 1"_s << QStringList{u"$.items[0].qty = 2"_s};
    QTest::newRow("<") << u"$.total < 100"_s << QStringList{u"$.total = 99.5"_s};
    QTest::newRow("<=") << u"total <= 99.5"_s << QStringList{u"$.total = 99.5"_s};
    QTest::newRow("> fails") << u"$.total > 99.5"_s << QStringList();
    QTest::newRow("text <") << u"$.customer.name < B"_s << QStringList{u"$.customer.name = \"Ada Lovelace\""_s};
    QTest::newRow("contains, any case") << u"$.customer.name ~ lovelace"_s
                                        << QStringList{u"$.customer.name = \"Ada Lovelace\""_s};
    QTest::newRow("contains in an array") << u"$.tags[*] ~ URG"_s << QStringList{u"$.tags[1] = \"urgent\""_s};
    QTest::newRow("contains in an object")
        << u"$.customer ~ \"vip\":true"_s
        << QStringList{u"$.customer = {\"id\":42,\"name\":\"Ada Lovelace\",\"vip\":true}"_s};
    QTest::newRow("bool") << u"$.customer.vip == true"_s << QStringList{u"$.customer.vip = true"_s};
    QTest::newRow("null") << u"$.note == null"_s << QStringList{u"$.note = null"_s};
    QTest::newRow("exists") << u"$.note"_s << QStringList{u"$.note = null"_s};
    QTest::newRow("exists not") << u"$.customer.email"_s << QStringList();
    QTest::newRow("index") << u"$.tags[0]"_s << QStringList{u"$.tags[0] = \"new\""_s};
    QTest::newRow("index out of range") << u"$.tags[5]"_s << QStringList();
    QTest::newRow("index on an object") << u"$.customer[0]"_s << QStringList();
    QTest::newRow("quoted name") << u"$[\"odd.name\"] == x"_s << QStringList{u"$[\"odd.name\"] = \"x\""_s};
    QTest::newRow("spaces around") << u"  $.customer.id   ==   42  "_s << QStringList{u"$.customer.id = 42"_s};
    QTest::newRow("root") << u"$.*.id == 42"_s << QStringList{u"$.customer.id = 42"_s};
}

void tst_ValuePathQuery::hits()
{
    QFETCH(QString, query);
    QFETCH(QStringList, hits);
    const ValuePathQuery parsed = ValuePathQuery::parse(query);
    QVERIFY2(parsed.isValid(), qPrintable(parsed.errorString()));
    QStringList found;
    for (const ValuePathQuery::Hit &hit : parsed.hits(kOrder)) {
        const QString value = hit.value.isString() ? u'"' + hit.value.toString() + u'"'
            : hit.value.isNull()                   ? u"null"_s
            : hit.value.isBool()                   ? (hit.value.toBool() ? u"true"_s : u"false"_s)
            : hit.value.isDouble()
            ? QString::number(hit.value.toDouble())
            : QString::fromUtf8(QJsonDocument(hit.value.toObject()).toJson(QJsonDocument::Compact));
        found.append(hit.path + u" = "_s + value);
    }
    QCOMPARE(found, hits);
}

void tst_ValuePathQuery::refused_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("reason"); // a part of errorString()
    QTest::newRow("empty") << QString() << u"a path"_s;
    QTest::newRow("only $") << u"$"_s << u"a path"_s;
    QTest::newRow("no value") << u"$.a =="_s << u"a value after =="_s;
    QTest::newRow("no comparison") << u"$.a 42"_s << u"==, !=, <, <=, >, >= or ~"_s;
    QTest::newRow("empty name") << u"$.a..b"_s << u"a name"_s;
    QTest::newRow("unclosed bracket") << u"$.a[1"_s << u"]"_s;
    QTest::newRow("bad index") << u"$.a[x]"_s << u"[N]"_s;
    QTest::newRow("unclosed quote") << u"$[\"a]"_s << u"\""_s;
}

void tst_ValuePathQuery::refused()
{
    QFETCH(QString, query);
    QFETCH(QString, reason);
    const ValuePathQuery parsed = ValuePathQuery::parse(query);
    QVERIFY(!parsed.isValid());
    QVERIFY2(parsed.errorString().contains(reason), qPrintable(parsed.errorString()));
}

void tst_ValuePathQuery::notJson()
{
    const ValuePathQuery parsed = ValuePathQuery::parse(u"$.a"_s);
    QVERIFY(parsed.isValid());
    QVERIFY(parsed.hits(u"a: 1"_s).isEmpty());
    QCOMPARE(parsed.hits(u"{\"a\": 1}"_s).size(), 1);
    QCOMPARE(parsed.hits(u"[{\"a\": 1}]"_s).size(), 0);
    QCOMPARE(ValuePathQuery::parse(u"$[0].a"_s).hits(u"[{\"a\": 1}]"_s).size(), 1);
}

QTEST_GUILESS_MAIN(tst_ValuePathQuery)

#include "tst_valuepathquery.moc"
