#include "editortext.h"
#include "valuedocument.h"

#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

namespace {

// What a plain-text editor holds after the user replaced [from, to) of what it showed with typed.
QString typeInto(const QString &shown, int from, int to, const QString &typed)
{
    QTextDocument document;
    document.setPlainText(shown);
    QTextCursor cursor(&document);
    cursor.setPosition(from);
    cursor.setPosition(to, QTextCursor::KeepAnchor);
    cursor.insertText(typed);
    return document.toPlainText();
}

} // namespace

// The way from a value to the editor's text and back, without a server or a window: the editor is a
// real QTextDocument, edited with a QTextCursor as typing does.
class tst_ValueDocument final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void editorTextKeepsWhatWasNotEdited_data();
    void editorTextKeepsWhatWasNotEdited();
    void unchangedTextGivesTheSameBytes_data();
    void unchangedTextGivesTheSameBytes();
    void textViewRefusesWhatItCannotGiveBack();
    void compactJsonIsShownIndentedAndSavedCompact();
    void jsonWithItsOwnLayoutIsShownAsStored();
    void reformatSavesIndented();
    void invalidJsonIsRefusedNamingTheProblem();
    void base64Edits();
    void layoutNoteSaysWhatIsKept_data();
    void layoutNoteSaysWhatIsKept();
};

void tst_ValueDocument::editorTextKeepsWhatWasNotEdited_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<int>("from"); // in the editor's text
    QTest::addColumn<int>("to");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("expected");

    QTest::newRow("CRLF, a character") << u"a\r\nb\r\n"_s << 3 << 3 << u"X"_s << u"a\r\nbX\r\n"_s;
    QTest::newRow("CRLF, a new line") << u"a\r\nb"_s << 1 << 1 << u"\n"_s << u"a\r\n\r\nb"_s;
    QTest::newRow("CR, a new line") << u"a\rb"_s << 3 << 3 << u"\n"_s << u"a\rb\r"_s;
    QTest::newRow("LF, a new line") << u"a\nb"_s << 1 << 1 << u"\n"_s << u"a\n\nb"_s;
    QTest::newRow("no line break yet") << u"abc"_s << 1 << 1 << u"\n"_s << u"a\nbc"_s;
    QTest::newRow("mixed: the line's own ending") << u"a\r\nb\nc"_s << 3 << 3 << u"\n"_s << u"a\r\nb\n\nc"_s;
    QTest::newRow("CRLF, a line joined") << u"a\r\nb"_s << 1 << 2 << QString() << u"ab"_s;
    QTest::newRow("everything replaced") << u"a\r\nb"_s << 0 << 3 << u"c\nd"_s << u"c\r\nd"_s;
    QTest::newRow("NBSP beside a deletion") << u"x\u00A0y z"_s << 4 << 5 << QString() << u"x\u00A0y "_s;
    QTest::newRow("NBSP, typed after") << u"1\u00A0000"_s << 5 << 5 << u"X"_s << u"1\u00A0000X"_s;
    QTest::newRow("U+2028, typed before") << u"a\u2028b"_s << 0 << 0 << u"X"_s << u"Xa\u2028b"_s;
    QTest::newRow("U+2029, deleted") << u"a\u2029b"_s << 1 << 2 << QString() << u"ab"_s;
    QTest::newRow("byte order mark") << u"\uFEFFhi"_s << 3 << 3 << u"!"_s << u"\uFEFFhi!"_s;
    QTest::newRow("repeated characters") << u"aa\r\naa"_s << 4 << 4 << u"a"_s << u"aa\r\naaa"_s;
}

void tst_ValueDocument::editorTextKeepsWhatWasNotEdited()
{
    QFETCH(QString, source);
    QFETCH(int, from);
    QFETCH(int, to);
    QFETCH(QString, typed);
    QFETCH(QString, expected);
    const EditorText text(source);
    QVERIFY(text.survivesTextDocument());
    QTextDocument document;
    document.setPlainText(source);
    QCOMPARE(text.shown(), document.toPlainText()); // the prediction is what the editor really does
    QCOMPARE(text.applied(text.shown()), source);
    QCOMPARE(text.applied(typeInto(text.shown(), from, to, typed)), expected);
}

void tst_ValueDocument::unchangedTextGivesTheSameBytes_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("view");
    const QByteArray mixed = u"crlf\r\ncr\rnbsp\u00A0ls\u2028ps\u2029\uFEFF"_s.toUtf8();
    QTest::newRow("text") << mixed << int(View::Text);
    QTest::newRow("compact JSON") << "\n {\"a\":[1,{}],\"b\":\"x y\"}\r\n"_ba << int(View::Json);
    QTest::newRow("JSON with layout") << "{\r\n\t\"a\" : 1 }"_ba << int(View::Json);
    QTest::newRow("base64") << mixed << int(View::Base64);
    QTest::newRow("hex") << "\x00\x01\xff"_ba << int(View::Hex);
}

void tst_ValueDocument::unchangedTextGivesTheSameBytes()
{
    QFETCH(QByteArray, value);
    QFETCH(int, view);
    ValueDocument document;
    QString error;
    QVERIFY2(document.setValue(value, View(view), &error), qPrintable(error));
    QTextDocument editor;
    editor.setPlainText(document.text());
    QByteArray back;
    QVERIFY2(document.toValue(editor.toPlainText(), &back, &error), qPrintable(error));
    QCOMPARE(back, value);
}

void tst_ValueDocument::textViewRefusesWhatItCannotGiveBack()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue("plain", View::Text, &error));
    QVERIFY(!document.setValue("\xff\xfe not UTF-8", View::Text, &error));
    QVERIFY2(error.contains(u"Hex"_s), qPrintable(error));
    QCOMPARE(document.value(), "plain"_ba); // a refused view leaves the document as it was
    QCOMPARE(document.view(), View::Text);
    QVERIFY(document.setValue("\xff\xfe not UTF-8", View::Hex, &error));
    QVERIFY(!document.isEditable());
}

void tst_ValueDocument::compactJsonIsShownIndentedAndSavedCompact()
{
    const QByteArray stored = "{\"a\":1,\"b\":[1,2],\"s\":\"x\u00A0y\"}\n"_ba;
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(stored, View::Json, &error));
    QVERIFY(document.isCompactJsonShownIndented());
    QVERIFY(document.text().contains(u"\n  \"a\": 1,\n"_s));

    // A number changed: only that changes.
    QByteArray saved;
    const int one = int(document.text().indexOf(u"1,"_s));
    QVERIFY(document.toValue(typeInto(document.text(), one, one + 1, u"10"_s), &saved, &error));
    QCOMPARE(saved, "{\"a\":10,\"b\":[1,2],\"s\":\"x\u00A0y\"}\n"_ba);

    // A member added the way one types it in the indented view: saved compact, its string untouched.
    const int end = int(document.text().lastIndexOf(u"\n}"_s));
    QVERIFY(document.toValue(typeInto(document.text(), end, end, u",\n  \"c\": \"p q\""_s), &saved, &error));
    QCOMPARE(saved, "{\"a\":1,\"b\":[1,2],\"s\":\"x\u00A0y\",\"c\":\"p q\"}\n"_ba);
}

void tst_ValueDocument::jsonWithItsOwnLayoutIsShownAsStored()
{
    const QByteArray stored = "{\n    \"a\": 1,\n    \"b\": true\n}\n"_ba;
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(stored, View::Json, &error));
    QVERIFY(!document.isCompactJsonShownIndented());
    QCOMPARE(document.text(), QString::fromUtf8(stored));
    QByteArray saved;
    const int at = int(document.text().indexOf(u"true"_s));
    QVERIFY(document.toValue(typeInto(document.text(), at, at + 4, u"false"_s), &saved, &error));
    QCOMPARE(saved, "{\n    \"a\": 1,\n    \"b\": false\n}\n"_ba);
}

void tst_ValueDocument::reformatSavesIndented()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue("{\"a\":[1,2]}", View::Json, &error));
    QVERIFY(document.reformat(document.text(), &error));
    QVERIFY(!document.isCompactJsonShownIndented());
    QByteArray saved;
    QVERIFY(document.toValue(document.text(), &saved, &error));
    QCOMPARE(saved, "{\n  \"a\": [\n    1,\n    2\n  ]\n}"_ba);

    QVERIFY(document.setValue("text", View::Text, &error));
    QVERIFY(!document.reformat(document.text(), &error));
}

void tst_ValueDocument::invalidJsonIsRefusedNamingTheProblem()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue("{\"a\":1}", View::Json, &error));
    QByteArray saved;
    QVERIFY(!document.toValue(u"{\n  \"a\": 1,\n}"_s, &saved, &error));
    QVERIFY2(error.contains(u"not valid JSON"_s), qPrintable(error));
    QVERIFY(!document.setValue("{oops", View::Json, &error));
    QVERIFY2(error.contains(u"not valid JSON"_s), qPrintable(error));
}

void tst_ValueDocument::base64Edits()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue("\x00\x01"_ba, View::Base64, &error));
    QCOMPARE(document.text(), u"AAE="_s);
    QByteArray saved;
    QVERIFY(document.toValue(u"AAEC"_s, &saved, &error));
    QCOMPARE(saved, "\x00\x01\x02"_ba);
    QVERIFY(!document.toValue(u"*"_s, &saved, &error));
}

void tst_ValueDocument::layoutNoteSaysWhatIsKept_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("note");
    QTest::newRow("LF") << "a\nb\n"_ba << int(View::Text) << QString();
    QTest::newRow("CRLF") << "a\r\nb\r\n"_ba << int(View::Text) << u"CRLF line endings, kept"_s;
    QTest::newRow("CR") << "a\rb"_ba << int(View::Text) << u"CR line endings, kept"_s;
    QTest::newRow("mixed") << "a\r\nb\n"_ba << int(View::Text) << u"mixed line endings, kept"_s;
    QTest::newRow("compact JSON") << "{\"a\":1}"_ba << int(View::Json)
                                  << u"compact JSON, shown indented; saved compact"_s;
    QTest::newRow("JSON with CRLF") << "{\r\n\"a\": 1\r\n}"_ba << int(View::Json) << u"CRLF line endings, kept"_s;
    QTest::newRow("hex") << "a\r\nb"_ba << int(View::Hex) << QString();
}

void tst_ValueDocument::layoutNoteSaysWhatIsKept()
{
    QFETCH(QByteArray, value);
    QFETCH(int, view);
    QFETCH(QString, note);
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(value, View(view), &error));
    QCOMPARE(document.layoutNote(), note);
}

QTEST_MAIN(tst_ValueDocument)

#include "tst_valuedocument.moc"
