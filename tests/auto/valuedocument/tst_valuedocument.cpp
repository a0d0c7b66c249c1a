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
    void editorTextKeepsEverythingBetweenManyEdits_data();
    void editorTextKeepsEverythingBetweenManyEdits();
    void editorTextTakesAVeryLargeEditAsTyped();
    void aLongLineReplacedByAFewCharacters();
    void editsAtBothEndsOfALongLineAddNoLineBreak_data();
    void editsAtBothEndsOfALongLineAddNoLineBreak();
    void unchangedTextGivesTheSameBytes_data();
    void unchangedTextGivesTheSameBytes();
    void typingAtTheEndAddsOnlyThatCharacter_data();
    void typingAtTheEndAddsOnlyThatCharacter();
    void textViewRefusesWhatItCannotGiveBack();
    void textViewRefusesWhatTheEditorCannotKeep_data();
    void textViewRefusesWhatTheEditorCannotKeep();
    void compactJsonIsShownAsStored();
    void jsonWithItsOwnLayoutIsShownAsStored();
    void reformatSavesIndented();
    void invalidJsonIsRefusedNamingTheProblem();
    void base64Edits();
    void layoutNoteSaysWhatIsKept_data();
    void layoutNoteSaysWhatIsKept();
    void longLinesAreShownInParts_data();
    void longLinesAreShownInParts();
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
    // The mark is not shown (the editor would show nothing for it, and a character typed at the start
    // would go before it, in the middle of the text): it stays the value's first character.
    QTest::newRow("byte order mark") << u"\uFEFFhi"_s << 2 << 2 << u"!"_s << u"\uFEFFhi!"_s;
    QTest::newRow("byte order mark, typed at the start") << u"\uFEFFhi"_s << 0 << 0 << u"S"_s << u"\uFEFFShi"_s;
    QTest::newRow("byte order mark, everything replaced") << u"\uFEFFhi"_s << 0 << 2 << u"x"_s << u"\uFEFFx"_s;
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
    document.setPlainText(source.startsWith(QChar(0xFEFF)) ? source.mid(1) : source); // a mark is not shown
    QCOMPARE(text.shown(), document.toPlainText()); // the prediction is what the editor really does
    QCOMPARE(text.applied(text.shown()), source);
    QCOMPARE(text.applied(typeInto(text.shown(), from, to, typed)), expected);
}

void tst_ValueDocument::editorTextKeepsEverythingBetweenManyEdits_data()
{
    QTest::addColumn<int>("repeats");
    QTest::addColumn<int>("every");
    QTest::newRow("a short value") << 50 << 7;
    // Too many edits too far apart for one character diff: lines first, then characters.
    QTest::newRow("a long value") << 20000 << 3001;
}

void tst_ValueDocument::editorTextKeepsEverythingBetweenManyEdits()
{
    QFETCH(int, repeats);
    QFETCH(int, every);
    // Mixed CRLF and LF, no-break spaces and separators, and a "#" typed at every so many places.
    QString source;
    for (int i = 0; i < repeats; ++i)
        source += u"ab\r\ncd\n e\u00A0f\u2028g\u2029"_s;
    const EditorText text(source);
    QVERIFY(text.problem().isEmpty());
    QList<qsizetype> sourceIndex; // of each character the editor shows
    for (qsizetype i = 0; i < source.size(); i += source.mid(i, 2) == u"\r\n"_s ? 2 : 1)
        sourceIndex.append(i);
    sourceIndex.append(source.size());
    QString edited = text.shown();
    QCOMPARE(edited.size() + 1, sourceIndex.size());
    QString expected = source;
    for (qsizetype at = edited.size() / every * every; at >= 0; at -= every) { // from the end: the rest stays put
        edited.insert(at, u'#');
        expected.insert(sourceIndex[at], u'#');
    }
    QCOMPARE(text.applied(edited), expected);
    QCOMPARE(EditorText(text.applied(edited)).shown(), edited);
}

void tst_ValueDocument::editsAtBothEndsOfALongLineAddNoLineBreak_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("atEnd"); // typed at the very end
    QTest::addColumn<int>("middle");    // where 'M' is typed in the first part, -1: at its end
    QTest::newRow("2 MiB of one character") << QString(2 * 1024 * 1024, u'x') << u"END"_s << -1;
    QTest::newRow("typed inside the first part") << QString(2 * 1024 * 1024, u'x') << u"END"_s << 1241;
    QTest::newRow("more edits than one diff may take") << QString(2 * 1024 * 1024, u'x') << u"THE END"_s << -1;
    QString json = u"["_s;
    while (json.size() < 1024 * 1024)
        json += u"{\"id\":1,\"n\":\"a\u00A0b\"},"_s;
    json += u"0]"_s;
    QTest::newRow("1 MiB of minified JSON, no-break spaces") << json << u"END"_s << -1;
}

// The tryout that found it: in a 2 MiB one-line value, a character typed at the start, one at the end of the
// first part the editor shows, and "END" at the very end stored a line break at the first part's end: too
// many edits for one character diff, and the line diff then took a whole part of the line for typed, with
// the editor's own break after it.
void tst_ValueDocument::editsAtBothEndsOfALongLineAddNoLineBreak()
{
    QFETCH(QString, source);
    QFETCH(QString, atEnd);
    QFETCH(int, middle);
    const EditorText text(source);
    QVERIFY(text.hasDisplayBreaks());
    const qsizetype firstBreak = middle >= 0 ? middle : text.shown().indexOf(u'\n');
    QString edited = text.shown();
    edited.append(atEnd);
    edited.insert(firstBreak, u'M');
    edited.insert(0, u'S');
    QString expected = source + atEnd;
    expected.insert(firstBreak, u'M'); // the first part is shown as it is in the source
    expected.insert(0, u'S');
    const QString applied = text.applied(edited);
    QCOMPARE(applied.size(), expected.size());
    QVERIFY(applied == expected);
}

// Nearly all of a long line replaced by a few characters: the span left after the common head and tail is
// long on one side and shorter than an anchor on the other.
void tst_ValueDocument::aLongLineReplacedByAFewCharacters()
{
    const QString source = QString(300 * 1024, u'x');
    const EditorText text(source);
    const QString edited = text.shown().left(10) + u"ab"_s + text.shown().right(10);
    QCOMPARE(text.applied(edited), QString(10, u'x') + u"ab"_s + QString(10, u'x'));
}

void tst_ValueDocument::editorTextTakesAVeryLargeEditAsTyped()
{
    // Past what a character diff may cost per keystroke the changed span is taken as typed: still what the
    // editor shows, and the bytes before and after it kept.
    // (Lines shorter than EditorText::SoftLineLength: a longer one is shown in parts.)
    QString middle;
    for (int i = 0; i < 12; ++i)
        middle += QString(500, u'x') + u"\r\n"_s;
    const QString source = u"head\u00A0\r\n"_s + middle + u"tail\u00A0"_s;
    const EditorText text(source);
    QString edited = text.shown();
    edited.replace(u'x', u'y');
    const QString applied = text.applied(edited);
    QCOMPARE(EditorText(applied).shown(), edited);
    QVERIFY(applied.startsWith(u"head\u00A0\r\n"_s));
    QVERIFY(applied.endsWith(u"\r\ntail\u00A0"_s));
    QVERIFY(applied.contains(u"y\r\ny"_s));
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

void tst_ValueDocument::typingAtTheEndAddsOnlyThatCharacter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("atStart"); // typed first at the start of the editor's text
    QTest::addColumn<QString>("atEnd");   // then at its end
    QTest::addColumn<QByteArray>("expected");

    const auto row = [](const char *name, const QByteArray &value, View view, const QString &atStart,
                        const QString &atEnd, const QByteArray &expected) {
        QTest::newRow(name) << value << int(view) << atStart << atEnd << expected;
    };
    row("CRLF", "one\r\ntwo\r\n", View::Text, {}, u"X"_s, "one\r\ntwo\r\nX");
    row("CRLF, a new line", "one\r\ntwo", View::Text, {}, u"\n"_s, "one\r\ntwo\r\n");
    row("lone CR", "one\rtwo\r", View::Text, {}, u"X"_s, "one\rtwo\rX");
    row("lone CR, a new line", "one\rtwo", View::Text, {}, u"\n"_s, "one\rtwo\r");
    row("NBSP", u"price:\u00A0100\u00A0EUR"_s.toUtf8(), View::Text, {}, u"X"_s,
        u"price:\u00A0100\u00A0EURX"_s.toUtf8());
    row("U+2028", u"first\u2028second"_s.toUtf8(), View::Text, {}, u"X"_s, u"first\u2028secondX"_s.toUtf8());
    row("U+2029", u"first\u2029second"_s.toUtf8(), View::Text, {}, u"X"_s, u"first\u2029secondX"_s.toUtf8());
    const QByteArray compact = "{\"id\":170,\"status\":\"paid\",\"items\":[1,2,3],\"ok\":true}\n";
    row("compact JSON, trailing newline", compact, View::Json, {}, u" "_s, compact + ' ');
    row("compact JSON, a new line", compact, View::Json, {}, u"\n"_s, compact + '\n');
    // Two edits apart: what lies between them keeps its bytes too.
    row("two edits, CRLF and LF", "a\r\nb\nc\r\nd", View::Text, u"X"_s, u"Y"_s, "Xa\r\nb\nc\r\ndY");
    row("two edits, NBSP", u"1\u00A0000 EUR"_s.toUtf8(), View::Text, u"X"_s, u"Y"_s, u"X1\u00A0000 EURY"_s.toUtf8());
    row("two edits, U+2028 and LF", u"a\u2028b\nc"_s.toUtf8(), View::Text, u"X"_s, u"Y"_s, u"Xa\u2028b\ncY"_s.toUtf8());
    row("two edits, compact JSON", compact, View::Json, u" "_s, u" "_s, ' ' + compact + ' ');
}

// A character typed where the editor's cursor is at its end (and at its start) must be all that changes.
void tst_ValueDocument::typingAtTheEndAddsOnlyThatCharacter()
{
    QFETCH(QByteArray, value);
    QFETCH(int, view);
    QFETCH(QString, atStart);
    QFETCH(QString, atEnd);
    QFETCH(QByteArray, expected);
    ValueDocument document;
    QString error;
    QVERIFY2(document.setValue(value, View(view), &error), qPrintable(error));
    QString edited = typeInto(document.text(), 0, 0, atStart);
    edited = typeInto(edited, int(edited.size()), int(edited.size()), atEnd);
    QByteArray saved;
    QVERIFY2(document.toValue(edited, &saved, &error), qPrintable(error));
    QCOMPARE(saved.toHex(' '), expected.toHex(' '));
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

void tst_ValueDocument::textViewRefusesWhatTheEditorCannotKeep_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("reason"); // part of the error
    // A line break typed after the CR would join it into one CRLF: the editor cannot keep them apart.
    QTest::newRow("CR and LF") << "one\rtwo\nthree"_ba << int(View::Text) << u"CR and LF"_s;
    QTest::newRow("CR and LF in JSON") << "{\"a\":1,\r\"b\":2\n}"_ba << int(View::Json) << u"CR and LF"_s;
    // Qt's frame markers: the editor shows them as line breaks.
    QTest::newRow("U+FDD0") << u"a\uFDD0b"_s.toUtf8() << int(View::Text) << u"U+FDD0"_s;
}

void tst_ValueDocument::textViewRefusesWhatTheEditorCannotKeep()
{
    QFETCH(QByteArray, value);
    QFETCH(int, view);
    QFETCH(QString, reason);
    ValueDocument document;
    QString error;
    QVERIFY(!document.setValue(value, View(view), &error));
    QVERIFY2(error.contains(reason) && error.contains(u"Hex"_s), qPrintable(error));
    QVERIFY2(document.setValue(value, View::Hex, &error), qPrintable(error));
}

void tst_ValueDocument::compactJsonIsShownAsStored()
{
    // The issue's case: 53 bytes of compact JSON and a newline. Shown as stored, never re-laid out.
    const QByteArray stored = "{\"id\":170,\"status\":\"paid\",\"items\":[1,2,3],\"ok\":true}\n"_ba;
    QCOMPARE(stored.size(), 53);
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(stored, View::Json, &error));
    QCOMPARE(document.text(), QString::fromUtf8(stored));
    QByteArray saved;
    const int at = int(document.text().indexOf(u"paid"_s));
    QVERIFY(document.toValue(typeInto(document.text(), at, at + 4, u"open"_s), &saved, &error));
    QCOMPARE(saved, "{\"id\":170,\"status\":\"open\",\"items\":[1,2,3],\"ok\":true}\n"_ba);
}

void tst_ValueDocument::jsonWithItsOwnLayoutIsShownAsStored()
{
    const QByteArray stored = "{\n    \"a\": 1,\n    \"b\": true\n}\n"_ba;
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(stored, View::Json, &error));
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
    QCOMPARE(document.text(), u"{\n  \"a\": [\n    1,\n    2\n  ]\n}"_s);
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
    // Cut short, or with bits no encoder leaves: refused, not saved as other bytes ("YWJjZ" gave "abc").
    for (const QString &text : {u"YWJjZ"_s, u"c"_s, u"YR=="_s}) {
        saved = "unchanged"_ba;
        QVERIFY2(!document.toValue(text, &saved, &error), qPrintable(text));
        QCOMPARE(saved, "unchanged"_ba);
    }
    QVERIFY(document.toValue(u"YWJj ZA=="_s, &saved, &error)); // white space between groups, as typed
    QCOMPARE(saved, "abcd"_ba);
    QVERIFY(document.toValue(u"YWJjZA"_s, &saved, &error)); // unpadded
    QCOMPARE(saved, "abcd"_ba);
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
    QTest::newRow("byte order mark") << "\xEF\xBB\xBFhi"_ba << int(View::Text) << u"a byte order mark, kept"_s;
    QTest::newRow("CRLF and NBSP") << u"a\u00A0b\r\n"_s.toUtf8() << int(View::Text)
                                   << u"CRLF line endings and no-break spaces, kept"_s;
    QTest::newRow("NBSP, U+2028") << u"a\u00A0b\u2028c"_s.toUtf8() << int(View::Text)
                                  << u"no-break spaces and Unicode line separators, kept"_s;
    // The editor draws nothing for a NUL or most other control characters: said, as they are kept.
    QTest::newRow("NUL") << QByteArray("line1\r\nline2\n\0tail", 18) << int(View::Text)
                         << u"mixed line endings and a NUL byte, kept"_s;
    QTest::newRow("NULs") << QByteArray("a\0b\0c", 5) << int(View::Text) << u"2 NUL bytes, kept"_s;
    QTest::newRow("control character") << "bell\a"_ba << int(View::Text) << u"a control character, kept"_s;
    QTest::newRow("NUL, ESC, DEL") << QByteArray("\0\x1b[0m\x7f", 6) << int(View::Text)
                                   << u"a NUL byte and 2 control characters, kept"_s;
    QTest::newRow("tab") << "a\tb"_ba << int(View::Text) << QString();
    QTest::newRow("compact JSON") << "{\"a\":1}"_ba << int(View::Json) << QString();
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

void tst_ValueDocument::longLinesAreShownInParts_data()
{
    QTest::addColumn<QString>("source");
    QString json = u"["_s;
    for (int i = 0; json.size() < 20000; ++i)
        json += u"{\"id\":%1,\"name\":\"n\u00E9 %1\"},"_s.arg(i);
    json += u"0]"_s;
    QTest::newRow("minified JSON") << json;
    QTest::newRow("no place to break") << QString(9000, u'x');
    QTest::newRow("CRLF lines, one long") << u"short\r\n"_s + QString(5000, u'y') + u"\r\nend\r\n"_s;
    QString pairs;
    for (int i = 0; i < 3000; ++i)
        pairs += u"\U0001F600"_s; // surrogate pairs: never broken apart
    QTest::newRow("surrogate pairs") << pairs;
}

// Issue 14: the editor lays a line out whole, so a long one is shown in parts, broken by line breaks of
// its own; they stand for nothing in the source, so removing one changes nothing, and typing keeps all
// the rest as it was.
void tst_ValueDocument::longLinesAreShownInParts()
{
    QFETCH(QString, source);
    const EditorText text(source);
    QVERIFY(text.hasDisplayBreaks());
    QVERIFY(text.problem().isEmpty());
    const QStringList lines = text.shown().split(u'\n');
    for (const QString &line : lines) {
        QVERIFY2(line.size() <= EditorText::HardLineLength, qPrintable(QString::number(line.size())));
        QVERIFY(line.isEmpty() || !line.back().isHighSurrogate());
    }
    QCOMPARE(text.applied(text.shown()), source);

    // The break after the first long line is the editor's own: removed, the source is as it was.
    qsizetype breakAt = 0;
    for (const QString &line : lines) {
        breakAt += line.size();
        if (line.size() >= EditorText::SoftLineLength)
            break;
        ++breakAt;
    }
    QCOMPARE(text.shown().at(breakAt), u'\n');
    QString joined = text.shown();
    joined.remove(breakAt, 1);
    QCOMPARE(text.applied(joined), source);
    // A character typed in the middle of the long line: that one, and nothing else.
    const qsizetype middle = text.shown().size() / 2;
    QString typed = text.shown();
    typed.insert(middle, u'Z');
    const QString applied = text.applied(typed);
    QCOMPARE(applied.size(), source.size() + 1);
    QCOMPARE(QString(applied).remove(u'Z'), QString(source).remove(u'Z'));

    // The JSON view keeps the value byte for byte, and says its lines are shown in parts.
    ValueDocument document;
    QString error;
    const QByteArray value = source.toUtf8();
    if (ValueFormat::isValidJson(value)) {
        QVERIFY2(document.setValue(value, View::Json, &error), qPrintable(error));
        QVERIFY2(document.layoutNote().contains(u"long lines"_s), qPrintable(document.layoutNote()));
        QByteArray saved;
        QVERIFY(document.toValue(joined, &saved, &error));
        QCOMPARE(saved, value);
    }
}

QTEST_MAIN(tst_ValueDocument)

#include "tst_valuedocument.moc"
