#include "valueformat.h"

#include <QtCore/QCborValue>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// How values are laid out for reading (issue 14): CBOR and JSON indented alike, a hex dump line per 16
// bytes.
class tst_ValueFormat final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cborAndJsonAreIndentedAlike_data();
    void cborAndJsonAreIndentedAlike();
    void hexDumpHasSixteenBytesALine();
    void jsonIsValidWhereQtSaysSo_data();
    void jsonIsValidWhereQtSaysSo();
    void jsonErrorsSayLineAndColumn_data();
    void jsonErrorsSayLineAndColumn();
};

namespace {

QList<int> indents(const QString &text)
{
    QList<int> result;
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts)) {
        int spaces = 0;
        while (spaces < line.size() && line[spaces] == u' ')
            ++spaces;
        result.append(spaces);
    }
    return result;
}

} // namespace

void tst_ValueFormat::cborAndJsonAreIndentedAlike_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::newRow("nested") << R"({"a":{"b":[1,2,{"c":"x"}]},"d":"e"})"_ba;
    QTest::newRow("empty containers") << R"({"a":[],"b":{},"c":[[]]})"_ba;
    QTest::newRow("array") << R"([1,[2,[3]]])"_ba;
}

void tst_ValueFormat::cborAndJsonAreIndentedAlike()
{
    QFETCH(QByteArray, json);
    const QByteArray cbor = QCborValue::fromVariant(QJsonDocument::fromJson(json).toVariant()).toCbor();
    QString jsonText;
    QString cborText;
    QString error;
    QVERIFY2(ValueFormat::render(json, ValueFormat::View::Json, &jsonText, &error), qPrintable(error));
    QVERIFY2(ValueFormat::render(cbor, ValueFormat::View::Cbor, &cborText, &error), qPrintable(error));
    QCOMPARE(indents(cborText), indents(jsonText));
    for (const int indent : indents(jsonText))
        QCOMPARE(indent % ValueFormat::IndentSpaces, 0);
    QVERIFY(indents(jsonText).contains(ValueFormat::IndentSpaces));
}

void tst_ValueFormat::hexDumpHasSixteenBytesALine()
{
    QByteArray bytes;
    for (int i = 0; i < 40; ++i)
        bytes.append(char(0x41 + i % 26));
    const QStringList lines = ValueFormat::hexDump(bytes).split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QVERIFY2(lines[0].startsWith(u"00000000  41 42 43"_s) && lines[0].endsWith(u"|ABCDEFGHIJKLMNOP|"_s),
             qPrintable(lines[0]));
    QCOMPARE(lines[0].size(), lines[1].size());
}

void tst_ValueFormat::jsonIsValidWhereQtSaysSo_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("beyondDouble");
    const auto row = [](const char *name, const QByteArray &value, bool beyondDouble = false) {
        QTest::newRow(name) << value << beyondDouble;
    };
    row("object", R"({"a":[1,-2.5e3,true,false,null,"x\"\\\/\b\f\n\r\t\u00e9"],"b":{}})");
    row("spaces around", " \r\n\t[ 1 , 2 ]\n");
    row("scalar", "42");
    row("string", R"("é ☃ 😀")");
    row("two values", "1,2");
    row("two values, spaced", "1 2");
    row("blank", " \n");
    row("empty", "");
    row("trailing comma", "[1,]");
    row("leading zero", "[01]");
    row("bare minus", "[-]");
    row("dot alone", "[1.]");
    row("exponent alone", "[1e]");
    row("big exponent", "[1e999]", true);
    row("tiny exponent", "[1e-999]", true);
    row("long integer", "[123456789012345678901234567890]");
    row("tab in string", "[\"a\tb\"]");
    row("newline in string", "[\"a\nb\"]");
    row("bad escape", R"(["\x41"])");
    row("lone surrogate escape", R"(["\ud800"])");
    row("surrogate pair escape", R"(["\ud83d\ude00"])");
    row("short unicode escape", R"(["\u12"])");
    row("byte order mark", "\xEF\xBB\xBF{}");
    row("invalid UTF-8", "[\"\xC3\x28\"]");
    row("overlong UTF-8", "[\"\xC0\xAF\"]");
    row("encoded surrogate", "[\"\xED\xA0\x80\"]");
    row("unterminated", R"({"a":"b)");
    row("key not a string", "{a:1}");
    row("single quotes", "['a']");
    row("words", "[tru, nul, falsey]");
    row("deep", QByteArray(300, '[') + QByteArray(300, ']'));
    row("too deep", QByteArray(2000, '[') + QByteArray(2000, ']'));
}

// The quick check settles most values without QJsonDocument: whatever it says, it agrees with it, but for
// a number the grammar allows and a double cannot hold, which Qt calls illegal and kvdesk keeps as JSON.
void tst_ValueFormat::jsonIsValidWhereQtSaysSo()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, beyondDouble);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + value + "]", &error);
    const bool qtSays = error.error == QJsonParseError::NoError && document.array().size() == 1
        && !value.trimmed().isEmpty();
    QVERIFY(!(qtSays && beyondDouble)); // that difference is what the row is about
    QCOMPARE(ValueFormat::isValidJson(value), qtSays || beyondDouble);
}

void tst_ValueFormat::jsonErrorsSayLineAndColumn_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("place");
    // Where the problem is as an editor counts it, from 1, a column in characters: the error said "at byte
    // 31", which users had to count out themselves, and which counts é and ü twice.
    QTest::newRow("third line") << "{\n  \"name\": \"Zoë\",\n  \"n\": x\n}"_ba << u"line 3, column 8"_s;
    QTest::newRow("after wide characters") << "{\"é\": ü}"_ba << u"line 1, column 7"_s;
    QTest::newRow("emoji and CJK before") << "[\"😀字\", 2 3]"_ba << u"line 1, column 10"_s;
    QTest::newRow("trailing comma") << "{\n  \"a\": 1,\n}"_ba << u"line 3, column 1"_s;
    QTest::newRow("first character") << "tru"_ba << u"line 1, column 1"_s;
    QTest::newRow("cut short") << "{\"a\": \"b"_ba << u"line 1, column 9"_s;
    QTest::newRow("invalid UTF-8") << "{\"ä\":\"xy\xff\"}"_ba << u"line 1, column 9"_s;
    QTest::newRow("Windows line ends") << "{\r\n\"a\": 1\r\n\"b\": 2}"_ba << u"line 3, column 1"_s;
}

void tst_ValueFormat::jsonErrorsSayLineAndColumn()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, place);
    QString error;
    QVERIFY(!ValueFormat::isValidJson(value, &error));
    QVERIFY2(error.contains(place) && !error.contains(u"byte"_s), qPrintable(error));
    // What the value panel and the editor say.
    QString text;
    QVERIFY(!ValueFormat::render(value, ValueFormat::View::Json, &text, &error));
    QVERIFY2(error.contains(place), qPrintable(error));
    if (value.contains('\xff'))
        return; // as the editor's text, the byte is U+FFFD: valid JSON
    QByteArray parsed;
    QVERIFY(!ValueFormat::parse(QString::fromUtf8(value), ValueFormat::View::Json, &parsed, &error));
    QVERIFY2(error.contains(place), qPrintable(error));
}

QTEST_GUILESS_MAIN(tst_ValueFormat)

#include "tst_valueformat.moc"
