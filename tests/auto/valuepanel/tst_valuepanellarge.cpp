#include "editortext.h"
#include "jsonhighlighter.h"
#include "kvbucket.h"
#include "kvtestsupport.h"
#include "uitestsupport.h"
#include "valuepanel.h"
#include "valuepaneltestbase.h"

#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QTextBlock>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtGui/QTextLayout>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

namespace {

constexpr qint64 MostPerTurn = 256 * 1024; // characters put into the editor, or coloured, in one turn

// Minified JSON of about size bytes, on one line: objects with a number, strings, a flag and an array.
QByteArray minifiedJson(qsizetype size)
{
    QByteArray out = "[";
    for (int i = 0; out.size() < size; ++i) {
        if (i > 0)
            out += ',';
        out += R"({"id":)" + QByteArray::number(i) + R"(,"name":"item number )" + QByteArray::number(i)
            + R"(","price":)" + QByteArray::number(i * 1.25) + R"(,"ok":true,"tags":["a","b"]})";
    }
    return out + "]";
}

// What one turn of the event loop did to the editor: the characters put into its document and those the
// highlighter coloured, the most of each between two ticks of a 0 ms timer (a tick a turn).
class TurnProbe final : public QObject
{
public:
    TurnProbe(QTextDocument *document, const JsonHighlighter *highlighter)
        : m_highlighter(highlighter)
        , m_coloured(highlighter ? highlighter->highlightedCharacters() : 0)
    {
        connect(document, &QTextDocument::contentsChange, this, [this](int, int, int added) { m_added += added; });
        m_tick.setInterval(0);
        connect(&m_tick, &QTimer::timeout, this, [this] { tick(); });
        m_tick.start();
    }
    void tick()
    {
        mostAdded = std::max(mostAdded, m_added);
        m_added = 0;
        const qint64 coloured = m_highlighter ? m_highlighter->highlightedCharacters() : 0;
        mostColoured = std::max(mostColoured, coloured - m_coloured);
        m_coloured = coloured;
    }
    qint64 mostAdded = 0;
    qint64 mostColoured = 0;

private:
    const JsonHighlighter *m_highlighter;
    QTimer m_tick;
    qint64 m_added = 0;
    qint64 m_coloured = 0;
};

int longestBlock(const QTextDocument *document)
{
    int longest = 0;
    for (QTextBlock block = document->begin(); block.isValid(); block = block.next())
        longest = std::max(longest, block.length());
    return longest;
}

} // namespace

// Issue 14: a large value (2 MiB of JSON on one line, as programs write it) opens without holding the
// event loop: the editor gets it a part a turn, in lines it can lay out, and the highlighter colours a part
// a turn; the lines the editor broke are not in the value, and a save changes only what was typed.
class tst_ValuePanelLarge final : public ValuePanelTestBase
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-valuepanellarge"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void hugeOneLineJsonOpensInParts();
    void hugeBinaryValueOpensInParts();
    void aValueWithLongLinesOpensUnmodified_data();
    void aValueWithLongLinesOpensUnmodified();
};

void tst_ValuePanelLarge::initTestCase()
{
    QVERIFY2(startServer(u"large"_s, "max_payload: 8MB\n"), qPrintable(problem()));
}

void tst_ValuePanelLarge::init()
{
    QVERIFY(createPanel());
}

void tst_ValuePanelLarge::cleanup()
{
    deletePanel();
}

void tst_ValuePanelLarge::hugeOneLineJsonOpensInParts()
{
    const QByteArray json = minifiedJson(2 * 1024 * 1024);
    WAIT_OK(m_bucket->put(u"huge"_s, json));
    auto *highlighter = m_panel->findChild<JsonHighlighter *>();
    QVERIFY(highlighter);
    TurnProbe probe(m_editor->document(), highlighter);
    QVERIFY(openKey(u"huge"_s));
    QCOMPARE(m_panel->view(), View::Json);
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isFilling() && !highlighter->isPending(), 60000);

    // All of it is in the editor, in lines it can lay out; the value has none of those line breaks.
    QVERIFY(m_editor->toPlainText().remove(u'\n') == QString::fromLatin1(json));
    QVERIFY(m_editor->document()->blockCount() > json.size() / EditorText::HardLineLength);
    QVERIFY2(longestBlock(m_editor->document()) <= EditorText::HardLineLength + 1,
             qPrintable(QString::number(longestBlock(m_editor->document()))));
    const QString note = m_panel->findChild<QLabel *>(u"layoutNote"_s)->text();
    QVERIFY2(note.contains(u"long lines"_s), qPrintable(note));
    // No turn put the whole value into the editor or coloured all of it (an eighth of it at most, where a
    // turn takes a part of 64 Ki characters and colours 32 Ki); in the end all of it is coloured.
    QVERIFY2(probe.mostAdded <= MostPerTurn, qPrintable(QString::number(probe.mostAdded)));
    QVERIFY2(probe.mostColoured <= MostPerTurn, qPrintable(QString::number(probe.mostColoured)));
    QVERIFY(!m_editor->document()->lastBlock().layout()->formats().isEmpty());
    QVERIFY(!m_panel->isModified());

    // One space typed in the middle, and a line the editor broke joined again: only the space is new.
    const QByteArray marker = R"("id":20000,)";
    QTextCursor cursor = m_editor->document()->find(QString::fromLatin1(marker));
    QVERIFY(!cursor.isNull());
    cursor.clearSelection();
    m_editor->setTextCursor(cursor);
    m_editor->setFocus();
    QTest::keyClicks(m_editor, u" "_s);
    m_editor->moveCursor(QTextCursor::Start);
    m_editor->moveCursor(QTextCursor::EndOfBlock);
    QTest::keyClick(m_editor, Qt::Key_Delete);
    QVERIFY(m_panel->isModified());
    QByteArray expected = json;
    expected.insert(json.indexOf(marker) + marker.size(), ' ');
    QByteArray value;
    QVERIFY(m_panel->editorValue(&value));
    QVERIFY(value == expected);

    const quint64 opened = m_panel->openedRevision();
    QVERIFY(m_panel->saveAction()->isEnabled());
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);
    QVERIFY(KvTest::value(m_bucket, u"huge"_s) == expected);
}

void tst_ValuePanelLarge::aValueWithLongLinesOpensUnmodified_data()
{
    QTest::addColumn<QByteArray>("value");
    QByteArray items = "[";
    for (int i = 0; i < 3000; ++i)
        items += (i ? ", " : "") + QByteArray(R"({"id": )") + QByteArray::number(i) + R"(, "name": "item )"
            + QByteArray::number(i) + "\"}";
    items += ']';
    QTest::newRow("JSON, one line of 90 KB") << items;
    QTest::newRow("text, one line of 5,000 characters") << QByteArray(5000, 'x');
    QTest::newRow("text, two long lines") << QByteArray(4500, 'a') + '\n' + QByteArray(4500, 'b');
}

// Lines shown in parts are still the value as it is: opened and not touched, there is nothing to save and
// nothing to ask about when another key is chosen (it used to save an identical revision).
void tst_ValuePanelLarge::aValueWithLongLinesOpensUnmodified()
{
    QFETCH(QByteArray, value);
    const QString key = u"long%1"_s.arg(QTest::currentDataTag()[0] == 'J' ? 1 : value.size());
    WAIT_OK(m_bucket->put(key, value));
    QVERIFY(openKey(key));
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isFilling(), 60000);
    QTRY_VERIFY(m_panel->findChild<QLabel *>(u"layoutNote"_s)->text().contains(u"long lines"_s));
    QVERIFY(!m_panel->isModified());
    QVERIFY(!m_panel->saveAction()->isEnabled());
    QByteArray shown;
    QVERIFY(m_panel->editorValue(&shown));
    QVERIFY(shown == value);
}

void tst_ValuePanelLarge::hugeBinaryValueOpensInParts()
{
    // 1 MiB of bytes is a hex dump of 5 million characters.
    QByteArray binary(1024 * 1024, '\0');
    for (qsizetype i = 0; i < binary.size(); ++i)
        binary[i] = char(i * 7 + i / 256);
    WAIT_OK(m_bucket->put(u"blob"_s, binary));
    TurnProbe probe(m_editor->document(), nullptr);
    QVERIFY(openKey(u"blob"_s));
    QCOMPARE(m_panel->view(), View::Hex);
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->isFilling(), 60000);
    QCOMPARE(m_editor->document()->blockCount(), int(binary.size() / 16 + 1));
    QVERIFY2(probe.mostAdded <= MostPerTurn, qPrintable(QString::number(probe.mostAdded)));
    QVERIFY(!m_panel->isModified());
    QByteArray value;
    QVERIFY(m_panel->editorValue(&value));
    QVERIFY(value == binary);
}

QTEST_MAIN(tst_ValuePanelLarge)

#include "tst_valuepanellarge.moc"
