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
    const auto row = [](const char *name, const QByteArray &value) { QTest::newRow(name) << value; };
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
    row("big exponent", "[1e999]");
    row("tiny exponent", "[1e-999]");
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

// The quick check settles most values without QJsonDocument: whatever it says, it agrees with it.
void tst_ValueFormat::jsonIsValidWhereQtSaysSo()
{
    QFETCH(QByteArray, value);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson("[" + value + "]", &error);
    const bool qtSays = error.error == QJsonParseError::NoError && document.array().size() == 1
        && !value.trimmed().isEmpty();
    QCOMPARE(ValueFormat::isValidJson(value), qtSays);
}

QTEST_GUILESS_MAIN(tst_ValueFormat)

#include "tst_valueformat.moc"
