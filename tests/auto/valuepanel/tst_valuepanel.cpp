#include "elidedlabel.h"
#include "errorlabel.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "uitestsupport.h"
#include "valueeditsession.h"
#include "valuepanel.h"
#include "valuepaneltestbase.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QScrollBar>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

// The value panel against a real server, driven as a user drives it: keys typed into the real editor.
// What is saved must differ from what was stored by exactly what was typed.
class tst_ValuePanel final : public ValuePanelTestBase
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-valuepanel"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void typingOneCharacterChangesOneCharacter_data();
    void typingOneCharacterChangesOneCharacter();
    void typingAtTheEndAddsOnlyThatCharacter_data();
    void typingAtTheEndAddsOnlyThatCharacter();
    void textViewRefusesWhatItCannotGiveBackAndOffersHex();
    void textViewRefusesMixedCrAndLfAndOffersHex();
    void reformatIsAnExplicitChoice();
    void emptyValueThenAChangeJustReloads();
    void hexDumpDoesNotWrap();
    void aShortHexDumpShowsItsAsciiInView();
    void aNumberBeyondADoubleIsJsonKeptExactly();
    void savedMessageGoesWhenTheValueChanges();
    void aKeyThatCannotBeOpenedKeepsSayingWhy();
    void anEditTakenBackLeavesNothingUnsaved_data();
    void anEditTakenBackLeavesNothingUnsaved();
    void aLargeEditTakenBackSavesNothing();
    void aRefusedSaveIsForgottenOnceTheTextCanBeSaved();
};

void tst_ValuePanel::initTestCase()
{
    QVERIFY2(startServer(u"panel"_s), qPrintable(problem()));
}

void tst_ValuePanel::init()
{
    QVERIFY(createPanel());
}

void tst_ValuePanel::cleanup()
{
    deletePanel();
}

void tst_ValuePanel::typingOneCharacterChangesOneCharacter_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("after"); // the character is typed right after this text

    QTest::newRow("CRLF") << "line one\r\nline two\r\n"_ba << int(View::Text) << u"two"_s;
    QTest::newRow("CR") << "line one\rline two\r"_ba << int(View::Text) << u"one"_s;
    QTest::newRow("mixed line endings") << "a\r\nb\nc\r\nd"_ba << int(View::Text) << u"b"_s;
    QTest::newRow("NBSP") << u"price:\u00A0100\u00A0EUR\n"_s.toUtf8() << int(View::Text) << u"100"_s;
    QTest::newRow("U+2028 and U+2029") << u"first\u2028second\u2029third"_s.toUtf8() << int(View::Text) << u"second"_s;
    QTest::newRow("byte order mark") << "\xEF\xBB\xBFhello"_ba << int(View::Text) << u"hello"_s;
    // The issue's case: 53 bytes of compact JSON and a newline, shown indented.
    QTest::newRow("compact JSON, trailing newline")
        << "{\"id\":170,\"status\":\"paid\",\"items\":[1,2,3],\"ok\":true}\n"_ba << int(View::Json) << u"paid"_s;
    QTest::newRow("JSON with its own layout")
        << "{\r\n    \"a\": \"v1\",\r\n\t\"b\": [ 1, 2 ]\r\n}\r\n"_ba << int(View::Json) << u"v1"_s;
    QTest::newRow("JSON with NBSP in a string")
        << u"{\"name\":\"a\u00A0b\",\"n\":1}"_s.toUtf8() << int(View::Json) << u"\"name"_s;
}

void tst_ValuePanel::typingOneCharacterChangesOneCharacter()
{
    QFETCH(QByteArray, stored);
    QFETCH(int, view);
    QFETCH(QString, after);
    const QString key
        = u"k%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'_').remove(u'+').remove(u',');
    WAIT_OK(m_bucket->put(key, stored));
    QVERIFY(openKey(key));
    QCOMPARE(int(m_panel->view()), view);
    if (stored.contains("\r\n") && view == int(View::Text))
        QVERIFY(m_panel->findChild<QLabel *>(u"layoutNote"_s)->text().contains(u"line endings"_s));

    // The cursor goes right after `after`, as a click would put it; then one key is typed.
    QTextCursor cursor = m_editor->document()->find(after);
    QVERIFY2(!cursor.isNull(), qPrintable(m_editor->toPlainText()));
    cursor.clearSelection();
    m_editor->setTextCursor(cursor);
    m_editor->setFocus();
    QTest::keyClicks(m_editor, u"X"_s);
    QVERIFY(m_panel->isModified());
    QVERIFY(m_panel->saveAction()->isEnabled());
    const quint64 opened = m_panel->openedRevision();
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);

    // Every byte the server holds: the stored value with one "X" after `after`, nothing else changed.
    const QByteArray marker = after.toUtf8();
    QByteArray expected = stored;
    expected.insert(stored.indexOf(marker) + marker.size(), 'X');
    QCOMPARE(KvTest::value(m_bucket, key), expected);
}

void tst_ValuePanel::typingAtTheEndAddsOnlyThatCharacter_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::addColumn<int>("view");
    QTest::addColumn<QString>("atStart"); // typed first at the start of the editor
    QTest::addColumn<QString>("atEnd");   // then at its end
    QTest::addColumn<bool>("valid");      // false: the save is refused (not JSON), nothing written

    const auto row = [](const char *name, const QByteArray &stored, View view, const QString &atStart,
                        const QString &atEnd,
                        bool valid = true) { QTest::newRow(name) << stored << int(view) << atStart << atEnd << valid; };
    row("CRLF", "line one\r\nline two\r\n", View::Text, {}, u"X"_s);
    row("lone CR", "line one\rline two\r", View::Text, {}, u"X"_s);
    row("NBSP", u"price:\u00A0100\u00A0EUR"_s.toUtf8(), View::Text, {}, u"X"_s);
    row("U+2028", u"first\u2028second"_s.toUtf8(), View::Text, {}, u"X"_s);
    row("U+2029", u"first\u2029second\u2029"_s.toUtf8(), View::Text, {}, u"X"_s);
    // The issue's case: 53 bytes of compact JSON and a newline; at its end only white space keeps it JSON.
    const QByteArray compact = "{\"id\":170,\"status\":\"paid\",\"items\":[1,2,3],\"ok\":true}\n";
    row("compact JSON, a space", compact, View::Json, {}, u" "_s);
    row("compact JSON, a letter", compact, View::Json, {}, u"X"_s, false);
    // Two edits apart: the bytes between them are kept as well.
    row("two edits, CRLF and LF", "a\r\nb\nc\r\nd", View::Text, u"X"_s, u"Y"_s);
    row("two edits, NBSP", u"1\u00A0000 EUR"_s.toUtf8(), View::Text, u"X"_s, u"Y"_s);
    row("two edits, U+2028 and LF", u"a\u2028b\nc"_s.toUtf8(), View::Text, u"X"_s, u"Y"_s);
}

void tst_ValuePanel::typingAtTheEndAddsOnlyThatCharacter()
{
    QFETCH(QByteArray, stored);
    QFETCH(int, view);
    QFETCH(QString, atStart);
    QFETCH(QString, atEnd);
    QFETCH(bool, valid);
    const QString key
        = u"end%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())).remove(QRegularExpression(u"[^A-Za-z0-9]"_s));
    WAIT_OK(m_bucket->put(key, stored));
    QVERIFY(openKey(key));
    QCOMPARE(int(m_panel->view()), view);

    m_editor->setFocus();
    m_editor->moveCursor(QTextCursor::Start);
    QTest::keyClicks(m_editor, atStart);
    m_editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(m_editor, atEnd);
    QVERIFY(m_panel->isModified());
    const QByteArray expected = atStart.toUtf8() + stored + atEnd.toUtf8();

    // The bytes the panel stands for (what Copy Value and Compare take, and a save writes): every one.
    QByteArray editorValue;
    QVERIFY(m_panel->editorValue(&editorValue));
    QCOMPARE(editorValue.toHex(' '), expected.toHex(' '));

    const quint64 opened = m_panel->openedRevision();
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    m_panel->saveAction()->trigger();
    if (!valid) {
        QVERIFY2(status->text().contains(u"not valid JSON"_s), qPrintable(status->text()));
        QCOMPARE(m_panel->openedRevision(), opened);
        QCOMPARE(KvTest::value(m_bucket, key), stored);
        return;
    }
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);
    QCOMPARE(KvTest::value(m_bucket, key).toHex(' '), expected.toHex(' '));
}

void tst_ValuePanel::textViewRefusesWhatItCannotGiveBackAndOffersHex()
{
    const QByteArray binary("\xff\xfe\x00\x01 not text", 14);
    WAIT_OK(m_bucket->put(u"binary"_s, binary));
    QVERIFY(openKey(u"binary"_s));
    QCOMPARE(m_panel->view(), View::Hex);
    auto *selector = m_panel->findChild<QComboBox *>(u"viewSelector"_s);
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    auto *showHex = m_panel->findChild<QPushButton *>(u"showHexButton"_s);
    m_panel->setView(View::Base64);
    QCOMPARE(m_panel->view(), View::Base64);

    // Chosen as a user chooses it: refused, with the reason, and the view that can show it offered.
    selector->setCurrentIndex(selector->findData(int(View::Text)));
    Q_EMIT selector->activated(selector->currentIndex());
    QCOMPARE(m_panel->view(), View::Base64);
    QCOMPARE(selector->currentData().toInt(), int(View::Base64));
    QVERIFY2(status->isVisible() && status->text().contains(u"not UTF-8"_s), qPrintable(status->text()));
    QVERIFY(showHex->isVisible());
    showHex->click();
    QCOMPARE(m_panel->view(), View::Hex);
    QVERIFY(!showHex->isVisible());
    QVERIFY(!m_panel->isModified());
}

void tst_ValuePanel::textViewRefusesMixedCrAndLfAndOffersHex()
{
    // A new line typed after the CR would join it into one CRLF: the editor cannot keep CR and LF apart.
    const QByteArray mixed = "one\rtwo\nthree\r\n"_ba;
    WAIT_OK(m_bucket->put(u"mixed"_s, mixed));
    QVERIFY(openKey(u"mixed"_s));
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    QCOMPARE(m_panel->view(), View::Hex);
    // Why it is not in the Text view, said where the user looks, and still said once the editor is filled.
    QVERIFY2(status->isVisible() && status->text().contains(u"CR and LF"_s), qPrintable(status->text()));

    auto *selector = m_panel->findChild<QComboBox *>(u"viewSelector"_s);
    auto *showHex = m_panel->findChild<QPushButton *>(u"showHexButton"_s);
    m_panel->setView(View::Base64);
    selector->setCurrentIndex(selector->findData(int(View::Text)));
    Q_EMIT selector->activated(selector->currentIndex());
    QCOMPARE(m_panel->view(), View::Base64);
    QVERIFY2(status->isVisible() && status->text().contains(u"CR and LF"_s), qPrintable(status->text()));
    QVERIFY2(status->text().contains(u"Hex"_s), qPrintable(status->text()));
    QVERIFY(showHex->isVisible());
    showHex->click();
    QCOMPARE(m_panel->view(), View::Hex);
    QCOMPARE(m_panel->currentValue(), mixed);
}

void tst_ValuePanel::reformatIsAnExplicitChoice()
{
    const QByteArray compact = "{\"a\":[1,2]}"_ba;
    WAIT_OK(m_bucket->put(u"reformat"_s, compact));
    QVERIFY(openKey(u"reformat"_s));
    QCOMPARE(m_panel->view(), View::Json);
    QCOMPARE(m_editor->toPlainText(), QString::fromUtf8(compact)); // as stored, until the user asks
    QVERIFY(!m_panel->saveAction()->isEnabled());
    QVERIFY(m_panel->reformatAction()->isEnabled());
    m_panel->reformatAction()->trigger();
    QVERIFY(m_panel->isModified());
    QCOMPARE(m_editor->toPlainText(), u"{\n  \"a\": [\n    1,\n    2\n  ]\n}"_s);
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isModified(), 10000);
    QCOMPARE(KvTest::value(m_bucket, u"reformat"_s), "{\n  \"a\": [\n    1,\n    2\n  ]\n}"_ba);
    // Laid out so already, it is the value as loaded: nothing to save.
    m_panel->reformatAction()->trigger();
    QVERIFY(!m_panel->isModified());
    QVERIFY(!m_panel->saveAction()->isEnabled());
}

void tst_ValuePanel::emptyValueThenAChangeJustReloads()
{
    // An empty value (or a deleted key's marker) leaves the editor empty and unmodified: a change by someone
    // else then just shows, with no banner about unsaved edits that do not exist.
    WAIT_OK(m_bucket->put(u"empty"_s, QByteArray()));
    QVERIFY(openKey(u"empty"_s));
    QVERIFY(!m_panel->isModified());
    QVERIFY(!m_panel->session()->isModified());
    WAIT_OK(m_bucket->put(u"empty"_s, "filled"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->currentValue(), "filled"_ba, 10000);
    QVERIFY(m_panel->session()->notice().isEmpty());
    WAIT_OK(m_bucket->remove(u"empty"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->session()->exists(), 10000);
    QVERIFY(!m_panel->session()->isModified());
    WAIT_OK(m_bucket->put(u"empty"_s, "again"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->currentValue(), "again"_ba, 10000);
    QVERIFY(m_panel->session()->notice().isEmpty());
}

void tst_ValuePanel::hexDumpDoesNotWrap()
{
    // Issue 14: 16 bytes and their ASCII on one line, however narrow the panel: it scrolls sideways.
    QByteArray binary;
    for (int i = 0; i < 64; ++i)
        binary.append(char(i * 7));
    WAIT_OK(m_bucket->put(u"wide"_s, binary));
    m_panel->resize(260, 400);
    m_panel->show();
    QVERIFY(openKey(u"wide"_s));
    QCOMPARE(m_panel->view(), View::Hex);
    QCOMPARE(m_editor->lineWrapMode(), QPlainTextEdit::NoWrap);
    QCOMPARE(m_editor->document()->lineCount(), m_editor->document()->blockCount()); // one line a block
    QTRY_VERIFY(m_editor->horizontalScrollBar()->maximum() > 0);

    // Text still wraps in the views where a line is a paragraph.
    m_panel->setView(View::Base64);
    QCOMPARE(m_editor->lineWrapMode(), QPlainTextEdit::WidgetWidth);
    m_panel->setView(View::Hex);
    QCOMPARE(m_editor->lineWrapMode(), QPlainTextEdit::NoWrap);
}

// A value of a few bytes is one line of hex: its ASCII column follows its bytes, in sight, as in the history
// dock's preview (padded to 16 bytes' width it sat past the panel's right edge, and looked missing).
void tst_ValuePanel::aShortHexDumpShowsItsAsciiInView()
{
    WAIT_OK(m_bucket->put(u"short.bin"_s, "a\0b\0\xff\xfe\x80zz"_ba));
    m_panel->resize(400, 400);
    QVERIFY(openKey(u"short.bin"_s));
    QCOMPARE(m_panel->view(), View::Hex);
    const QString dump = m_editor->toPlainText();
    QVERIFY2(dump.contains(u"|a.b....zz|"_s), qPrintable(dump));
    QTRY_COMPARE(m_editor->horizontalScrollBar()->maximum(), 0);
    QVERIFY2(m_editor->fontMetrics().horizontalAdvance(dump.trimmed()) < m_editor->viewport()->width(),
             qPrintable(dump));
}

// `{"a":1e400}` is JSON by the grammar; only its number is past what a double holds. It opens as JSON (it
// was "not valid JSON: illegal number"), Reformat lays it out and keeps every number's bytes as written,
// and a problem elsewhere in such a value is still said where it is.
void tst_ValuePanel::aNumberBeyondADoubleIsJsonKeptExactly()
{
    const QByteArray json = R"({"a":1e400,"b":[-1E-400,12345678901234567890123e99999],"c":1.10})"_ba;
    WAIT_OK(m_bucket->put(u"huge.json"_s, json));
    QVERIFY(openKey(u"huge.json"_s));
    QCOMPARE(m_panel->view(), View::Json);
    QCOMPARE(m_editor->toPlainText(), QString::fromUtf8(json));
    QVERIFY(m_panel->reformatAction()->isEnabled());
    m_panel->reformatAction()->trigger();
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isModified(), 10000);
    const QByteArray saved = KvTest::value(m_bucket, u"huge.json"_s);
    QCOMPARE(
        saved,
        "{\n  \"a\": 1e400,\n  \"b\": [\n    -1E-400,\n    12345678901234567890123e99999\n  ],\n  \"c\": 1.10\n}"_ba);

    const QByteArray bad = R"({"a":1e400,"b":tru})"_ba;
    WAIT_OK(m_bucket->put(u"huge.bad"_s, bad));
    QVERIFY(openKey(u"huge.bad"_s));
    QTRY_COMPARE(m_panel->currentValue(), bad);
    QCOMPARE(m_panel->view(), View::Text);
    m_panel->setView(View::Json);
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    QTRY_VERIFY(!status->text().isEmpty());
    // "tru", where the value without the large number is refused too; not the number.
    QVERIFY2(status->text().contains(u"illegal value at line 1, column 19"_s), qPrintable(status->text()));
}

// The header says why a key could not be opened, and a later change of state (read-only, busy) does not
// replace that with the description of an entry that is not there.
void tst_ValuePanel::aKeyThatCannotBeOpenedKeepsSayingWhy()
{
    m_panel->openKey(u"never.written"_s);
    auto *meta = m_panel->findChild<QLabel *>(u"valueMeta"_s);
    QTRY_VERIFY_WITH_TIMEOUT(meta->text().contains(u"not found"_s), 10000);
    const QString said = meta->text();
    m_panel->setReadOnly(true);
    m_panel->setReadOnly(false);
    QCOMPARE(meta->text(), said);
}

void tst_ValuePanel::anEditTakenBackLeavesNothingUnsaved_data()
{
    QTest::addColumn<QByteArray>("stored");
    QTest::newRow("text") << "hello world"_ba;
    QTest::newRow("JSON") << "{\"a\":1}"_ba;
    QTest::newRow("CRLF and NBSP") << u"one\r\ntwo\u00A0three\r\n"_s.toUtf8();
    // Put into the editor in parts, its one line shown in parts.
    QTest::newRow("600 KiB on one line") << QByteArray(600 * 1024, 'v');
}

// A character typed and deleted again leaves the text as it was loaded: nothing is unsaved, so Save and
// Revert are disabled and leaving the key asks nothing. Undo back to the loaded text is the same; undo
// that brings the character back is an edit again. A large value is compared once typing pauses, or at
// once when the user leaves the key.
void tst_ValuePanel::anEditTakenBackLeavesNothingUnsaved()
{
    QFETCH(QByteArray, stored);
    const QString key = u"back_"_s
        + QString::fromLatin1(QTest::currentDataTag()).replace(QRegularExpression(u"\\W"_s), u"_"_s);
    WAIT_OK(m_bucket->put(key, stored));
    QVERIFY(openKey(key));
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isFilling(), 10000);
    QVERIFY(!m_panel->isModified());
    // Any question is recorded and answered Cancel (it would wait for an answer forever).
    QStringList asked;
    QTimer questions;
    connect(&questions, &QTimer::timeout, this, [&asked] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked.append(box->text());
            box->reject();
        }
    });
    questions.start(10);

    m_editor->setFocus();
    m_editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(m_editor, u"x"_s);
    QVERIFY(m_panel->isModified());
    QVERIFY(m_panel->saveAction()->isEnabled());
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    QTRY_VERIFY(!m_panel->isModified());
    QVERIFY(!m_panel->session()->isModified());
    QVERIFY(!m_panel->saveAction()->isEnabled());
    QVERIFY(!m_panel->revertAction()->isEnabled());
    QVERIFY(m_panel->maybeDiscard());
    QVERIFY2(asked.isEmpty(), qPrintable(asked.join(u", "_s)));

    QTest::keyClick(m_editor, Qt::Key_Z, Qt::ControlModifier); // the "x" again
    QVERIFY(m_panel->isModified());
    QVERIFY(m_panel->saveAction()->isEnabled());
    QTest::keyClick(m_editor, Qt::Key_Z, Qt::ControlModifier); // and gone: leaving asks nothing, at once
    QVERIFY(m_panel->maybeDiscard());
    QVERIFY2(asked.isEmpty(), qPrintable(asked.join(u", "_s)));
    QVERIFY(!m_panel->isModified());
    QVERIFY(!m_panel->saveAction()->isEnabled());

    // Another character in its place is an edit, though the length is the loaded one.
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    QTest::keyClicks(m_editor, u"#"_s);
    QVERIFY(m_panel->isModified());
    QVERIFY(m_panel->saveAction()->isEnabled());
    QVERIFY(!m_panel->maybeDiscard());
    QCOMPARE(asked.size(), 1);
}

// Above LargeText characters a taken-back edit is compared once typing pauses; Ctrl+S before then wrote
// the same bytes again as a new revision. The save compares first.
void tst_ValuePanel::aLargeEditTakenBackSavesNothing()
{
    WAIT_OK(m_bucket->put(u"back_large_save"_s, QByteArray(600 * 1024, 'v')));
    QVERIFY(openKey(u"back_large_save"_s));
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isFilling(), 10000);
    const quint64 opened = m_panel->openedRevision();
    QSignalSpy saving(m_panel->session(), &ValueEditSession::info);
    m_editor->setFocus();
    m_editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(m_editor, u"x"_s);
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    m_panel->saveAction()->trigger();
    QVERIFY2(saving.isEmpty(), saving.isEmpty() ? "" : qPrintable(saving.first().first().toString()));
    QVERIFY(!m_panel->session()->isBusy());
    QVERIFY(!m_panel->isModified());
    QVERIFY(!m_panel->saveAction()->isEnabled());
    QCOMPARE(m_panel->openedRevision(), opened);
}

// Try-out 4: "Not saved: not valid JSON…" stayed under the editor after the ",," that caused it was taken
// back, beside a value that could be saved (and was the stored one); and the note beside View, elided at
// its start, showed "…ON: illegal value at line 1, column 75", hiding what kind of problem it was.
void tst_ValuePanel::aRefusedSaveIsForgottenOnceTheTextCanBeSaved()
{
    const QByteArray stored = "{\"service\":\"orders\",\"replicas\":3,\"regions\":[\"eu-west\",\"us-east\"]}"_ba;
    WAIT_OK(m_bucket->put(u"refused"_s, stored));
    QVERIFY(openKey(u"refused"_s));
    QCOMPARE(m_panel->view(), View::Json);
    auto *status = m_panel->findChild<ErrorLabel *>(u"valueStatus"_s);
    auto *note = m_panel->findChild<ElidedLabel *>(u"valueSize"_s);
    QVERIFY(status && note);
    m_editor->setFocus();
    m_editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(m_editor, u",,"_s);
    QVERIFY2(note->text().startsWith(u"not valid JSON"_s), qPrintable(note->text()));
    // Short of room, the note keeps its start in sight; the whole is its tooltip.
    m_panel->resize(300, 400);
    QTRY_VERIFY2(note->isElided(), qPrintable(note->text()));
    QVERIFY2(note->shownText().startsWith(u"not valid JSON"_s), qPrintable(note->shownText()));

    m_panel->saveAction()->trigger();
    QVERIFY2(status->isVisible() && status->message().startsWith(u"Not saved: not valid JSON"_s),
             qPrintable(status->message()));
    // One comma taken back: still not valid, still said.
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    QVERIFY2(status->isVisible() && status->message().startsWith(u"Not saved: not valid JSON"_s),
             qPrintable(status->message()));
    // Both: the value as stored, nothing to save, nothing refused.
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    QTRY_VERIFY(!m_panel->isModified());
    QVERIFY2(!status->isVisible() || status->message().isEmpty(), qPrintable(status->message()));

    // Refused again, then mended into other valid JSON: savable, so the refusal goes as well.
    QTest::keyClicks(m_editor, u",,"_s);
    m_panel->saveAction()->trigger();
    QVERIFY2(status->message().startsWith(u"Not saved: not valid JSON"_s), qPrintable(status->message()));
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    QTest::keyClick(m_editor, Qt::Key_Backspace);
    QTest::keyClicks(m_editor, u" "_s);
    QVERIFY(m_panel->isModified());
    QVERIFY2(!status->isVisible() || status->message().isEmpty(), qPrintable(status->message()));
    QVERIFY(m_panel->saveAction()->isEnabled());
}

QTEST_MAIN(tst_ValuePanel)

#include "tst_valuepanel.moc"

void tst_ValuePanel::savedMessageGoesWhenTheValueChanges()
{
    // "Saved as revision 3" stayed under the editor after someone else's change showed revision 4, and
    // later beside a banner about revision 8: it spoke of a value no longer shown.
    WAIT_OK(m_bucket->put(u"saved"_s, "one"));
    QVERIFY(openKey(u"saved"_s));
    m_editor->setFocus();
    m_editor->moveCursor(QTextCursor::End);
    QTest::keyClicks(m_editor, u"!"_s);
    const quint64 opened = m_panel->openedRevision();
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    const quint64 saved = m_panel->openedRevision();
    QTRY_VERIFY(status->isVisible() && status->text().contains(QString::number(saved)));

    WAIT_OK(m_bucket->put(u"saved"_s, "someone else's"));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->currentValue(), "someone else's"_ba, 10000);
    QVERIFY2(!status->isVisible() || !status->text().contains(u"Saved"_s), qPrintable(status->text()));
}
