#include "valueformat.h"

#include <QtCore/QCborValue>
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

QTEST_GUILESS_MAIN(tst_ValueFormat)

#include "tst_valueformat.moc"
