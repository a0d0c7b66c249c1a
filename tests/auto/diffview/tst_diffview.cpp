#include "diffview.h"

#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>

using namespace Qt::StringLiterals;

// The diff panes (history, conflict, as-of): a changed line is marked in its text, not only by its
// red or green background (issue 14: no information in colour alone).
class tst_DiffView final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sideBySideMarksChangedLines();
    void unifiedMarksChangedLines();
    void summaryCountsRemovedAndAdded();
    void anEmptySideHasNoLines();
};

void tst_DiffView::sideBySideMarksChangedLines()
{
    DiffView view;
    view.setTexts(u"mine"_s, u"same\nold\nkept"_s, u"theirs"_s, u"same\nnew\nkept\nadded"_s);
    const QStringList left = view.findChild<QPlainTextEdit *>(u"diffLeft"_s)->toPlainText().split(u'\n');
    const QStringList right = view.findChild<QPlainTextEdit *>(u"diffRight"_s)->toPlainText().split(u'\n');
    QCOMPARE(left.size(), right.size()); // rows aligned
    QVERIFY2(left.contains(u"- old"_s), qPrintable(left.join(u" | "_s)));
    QVERIFY2(right.contains(u"+ new"_s), qPrintable(right.join(u" | "_s)));
    QVERIFY2(right.contains(u"+ added"_s), qPrintable(right.join(u" | "_s)));
    QVERIFY(left.contains(u"  same"_s) && right.contains(u"  same"_s));
    QVERIFY(left.contains(u"  kept"_s) && right.contains(u"  kept"_s));
}

void tst_DiffView::unifiedMarksChangedLines()
{
    DiffView view;
    view.setTexts(u"mine"_s, u"same\nold"_s, u"theirs"_s, u"same\nnew"_s);
    const QStringList lines = view.unifiedText().split(u'\n');
    QVERIFY(lines.contains(u"-old"_s) || lines.contains(u"- old"_s));
    QVERIFY(lines.contains(u"+new"_s) || lines.contains(u"+ new"_s));
}

QTEST_MAIN(tst_DiffView)

void tst_DiffView::summaryCountsRemovedAndAdded()
{
    // One edited line said "2 changed lines" (its old and its new line): a new user counted one.
    DiffView view;
    const auto summary = [&view] {
        const auto *label = view.findChild<QLabel *>(u"diffSummary"_s);
        return label ? label->text() : u"(no diffSummary label)"_s;
    };
    view.setTexts(u"mine"_s, u"same\nold"_s, u"theirs"_s, u"same\nnew"_s);
    QCOMPARE(summary(), u"1 line removed, 1 added"_s);
    view.setTexts(u"mine"_s, u"a\nb"_s, u"theirs"_s, u"a\nb\nc\nd"_s);
    QCOMPARE(summary(), u"2 lines added"_s);
    view.setTexts(u"mine"_s, u"a\nb\nc"_s, u"theirs"_s, u"a"_s);
    QCOMPARE(summary(), u"2 lines removed"_s);
    view.setTexts(u"mine"_s, u"a"_s, u"theirs"_s, u"a"_s);
    QCOMPARE(summary(), u"No differences"_s);
}

// An empty text has no lines, as diff(1) has it: a value against a key that is gone (or an empty value)
// showed a lone "+" on the empty side, an added empty line that is not there.
void tst_DiffView::anEmptySideHasNoLines()
{
    DiffView view;
    view.setTexts(u"mine"_s, u"hello\nworld"_s, u"theirs (the key is gone)"_s, QString());
    const QString right = view.findChild<QPlainTextEdit *>(u"diffRight"_s)->toPlainText();
    QVERIFY2(!right.contains(u'+'), qPrintable(right));
    QCOMPARE(view.changeCount(), 2);
    QCOMPARE(view.findChild<QLabel *>(u"diffSummary"_s)->text(), u"2 lines removed"_s);
    QVERIFY2(!view.unifiedText().split(u'\n').contains(u"+"_s), qPrintable(view.unifiedText()));
    view.setTexts(u"mine"_s, QString(), u"theirs"_s, u"new"_s);
    QCOMPARE(view.findChild<QLabel *>(u"diffSummary"_s)->text(), u"1 line added"_s);
    QVERIFY2(!view.findChild<QPlainTextEdit *>(u"diffLeft"_s)->toPlainText().contains(u'-'),
             qPrintable(view.findChild<QPlainTextEdit *>(u"diffLeft"_s)->toPlainText()));
}

#include "tst_diffview.moc"
