#include "difftext.h"
#include "linediff.h"
#include "valueformat.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// What two values are compared as in the history panel's diffs.
class tst_DiffText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void forValue_data();
    void forValue();
    void keyOrderAndSpacingDoNotShow();
    void realJsonChangeShows();
    void notJson();
    void normalisedOnlyWhenBothAreJson();
};

void tst_DiffText::forValue_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("object sorted") << R"({"b":1,"a":{"d":true,"c":null}})"_ba
                                   << u"{\n  \"a\": {\n    \"c\": null,\n    \"d\": true\n  },\n  \"b\": 1\n}"_s;
    QTest::newRow("array") << "[1, 2,3]"_ba << u"[\n  1,\n  2,\n  3\n]"_s;
    QTest::newRow("big integer exact") << R"({"id":9007199254740993})"_ba << u"{\n  \"id\": 9007199254740993\n}"_s;
    QTest::newRow("scalar") << " 42 "_ba << u"42"_s;
    QTest::newRow("text") << "line one\nline two"_ba << u"line one\nline two"_s;
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("binary") << QByteArray("\x00\x01", 2) << ValueFormat::hexDump(QByteArray("\x00\x01", 2));
}

void tst_DiffText::forValue()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    QCOMPARE(DiffText::forValue(value), expected);
}

void tst_DiffText::keyOrderAndSpacingDoNotShow()
{
    const QByteArray left = R"({"name":"a","tags":["x","y"],"n":1})";
    const QByteArray right = "{\n    \"n\" : 1,\n    \"tags\": [ \"x\", \"y\" ],\n    \"name\": \"a\"\n}";
    const auto lines = LineDiff::diff(DiffText::forValue(left).split(u'\n'), DiffText::forValue(right).split(u'\n'));
    QCOMPARE(LineDiff::changeCount(lines), 0);
}

void tst_DiffText::realJsonChangeShows()
{
    const QByteArray left = R"({"status":"new","id":17,"total":12.5})";
    const QByteArray right = R"({"id":17,"total":12.5,"status":"paid"})";
    const auto lines = LineDiff::diff(DiffText::forValue(left).split(u'\n'), DiffText::forValue(right).split(u'\n'));
    QCOMPARE(LineDiff::changeCount(lines), 2); // one line removed, one added
    const QString unified = LineDiff::unified(lines);
    QVERIFY2(unified.contains(u"-   \"status\": \"new\""_s) && unified.contains(u"+   \"status\": \"paid\""_s),
             qPrintable(unified));
}

void tst_DiffText::notJson()
{
    QCOMPARE(DiffText::normalizedJson("{oops"), QString());
    QCOMPARE(DiffText::normalizedJson(""), QString());
    // JSON with a number past a double, which QJsonDocument does not read: laid out as written.
    QCOMPARE(DiffText::normalizedJson(R"({"b":1e400,"a":1})"), u"{\n  \"b\": 1e400,\n  \"a\": 1\n}"_s);
}

// JSON is normalised only when both sides are JSON: against an edit that is not (yet) valid JSON, or
// a key absent on one side, a revision showed reformatted and its keys sorted, under a title that said
// only "rev 2", and a one-character edit read as 13 lines removed.
void tst_DiffText::normalisedOnlyWhenBothAreJson()
{
    const QByteArray stored = R"({"name":"a","replicas":3,"nested":{"x":1}})";
    const QByteArray edited = R"(["name":"a","replicas":3,"nested":{"x":1}})";
    const DiffText::Pair broken = DiffText::forPair(stored, edited);
    QVERIFY(!broken.normalized);
    QCOMPARE(broken.left, QString::fromUtf8(stored));
    QCOMPARE(broken.right, QString::fromUtf8(edited));
    QCOMPARE(LineDiff::changeCount(LineDiff::diff(broken.left.split(u'\n'), broken.right.split(u'\n'))), 2);

    const DiffText::Pair absent = DiffText::forPair(stored, QByteArray());
    QVERIFY(!absent.normalized);
    QCOMPARE(absent.left, QString::fromUtf8(stored));

    const DiffText::Pair both = DiffText::forPair(stored, R"({"nested":{"x":1},"replicas":3,"name":"b"})");
    QVERIFY(both.normalized);
    QCOMPARE(both.left, DiffText::normalizedJson(stored));
}

QTEST_APPLESS_MAIN(tst_DiffText)

#include "tst_difftext.moc"
