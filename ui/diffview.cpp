#include "diffview.h"

#include "appearance.h"
#include "linediff.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QEvent>
#include <QtGui/QTextBlock>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QScrollBar>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QPlainTextEdit *makeEdit(QWidget *parent, const QString &name)
{
    auto *edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    QFont font(u"monospace"_s);
    font.setStyleHint(QFont::Monospace);
    edit->setFont(font);
    return edit;
}

// Background colours that read on light and dark palettes alike.
QColor removedColor(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(0x5a, 0x1d, 0x1d) : QColor(0xff, 0xdc, 0xdc);
}

QColor addedColor(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128 ? QColor(0x1d, 0x4a, 0x26) : QColor(0xd6, 0xf5, 0xd6);
}

QList<QTextEdit::ExtraSelection> lineSelections(QPlainTextEdit *edit, const QList<int> &lines, const QColor &color)
{
    QList<QTextEdit::ExtraSelection> selections;
    for (const int line : lines) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(edit->document()->findBlockByNumber(line));
        selection.format.setBackground(color);
        selection.format.setProperty(QTextFormat::FullWidthSelection, true);
        selections.append(selection);
    }
    return selections;
}

void markLines(QPlainTextEdit *edit, const QList<int> &lines, const QColor &color)
{
    edit->setExtraSelections(lineSelections(edit, lines, color));
}

// An edited line is one removed and one added: counted as such, not as "2 changed lines".
QString summaryText(const QList<LineDiff::Line> &lines)
{
    const auto count = [&lines](LineDiff::Op op) {
        return int(
            std::count_if(lines.cbegin(), lines.cend(), [op](const LineDiff::Line &line) { return line.op == op; }));
    };
    const int removed = count(LineDiff::Op::Removed);
    const int added = count(LineDiff::Op::Added);
    const auto tr = [](const char *text) { return QCoreApplication::translate("DiffView", text); };
    const auto linesOf = [&tr](int n) { return n == 1 ? tr("1 line") : tr("%1 lines").arg(n); };
    if (removed == 0 && added == 0)
        return tr("No differences");
    if (removed == 0)
        return tr("%1 added").arg(linesOf(added));
    if (added == 0)
        return tr("%1 removed").arg(linesOf(removed));
    return tr("%1 removed, %2 added").arg(linesOf(removed)).arg(added);
}

} // namespace

DiffView::DiffView(QWidget *parent)
    : QWidget(parent)
    , m_leftTitle(new QLabel(this))
    , m_rightTitle(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_left(makeEdit(this, u"diffLeft"_s))
    , m_right(makeEdit(this, u"diffRight"_s))
    , m_unified(makeEdit(this, u"diffUnified"_s))
    , m_stack(new QStackedWidget(this))
    , m_unifiedButton(new QToolButton(this))
{
    auto *sideBySide = new QWidget(this);
    auto *columns = new QHBoxLayout(sideBySide);
    columns->setContentsMargins(0, 0, 0, 0);
    auto *leftColumn = new QVBoxLayout;
    leftColumn->addWidget(m_leftTitle);
    leftColumn->addWidget(m_left);
    auto *rightColumn = new QVBoxLayout;
    rightColumn->addWidget(m_rightTitle);
    rightColumn->addWidget(m_right);
    columns->addLayout(leftColumn);
    columns->addLayout(rightColumn);
    m_stack->addWidget(sideBySide);
    m_stack->addWidget(m_unified);
    // Named for a screen reader; setTexts() gives them the titles shown above them.
    m_left->setAccessibleName(tr("Left side"));
    m_right->setAccessibleName(tr("Right side"));
    m_unified->setAccessibleName(tr("Unified diff"));
    for (QWidget *side : {static_cast<QWidget *>(m_left), static_cast<QWidget *>(m_right)})
        side->setAccessibleDescription(tr("Lines removed start with a minus, lines added with a plus"));
    m_unified->setAccessibleDescription(tr("Lines removed start with a minus, lines added with a plus"));

    // The two sides scroll together.
    connect(m_left->verticalScrollBar(), &QScrollBar::valueChanged, m_right->verticalScrollBar(),
            &QScrollBar::setValue);
    connect(m_right->verticalScrollBar(), &QScrollBar::valueChanged, m_left->verticalScrollBar(),
            &QScrollBar::setValue);

    m_unifiedButton->setText(tr("Unified"));
    m_unifiedButton->setObjectName(u"unifiedToggle"_s);
    m_unifiedButton->setToolTip(tr("Show the two sides as one text with the changed lines marked, or side by side"));
    m_unifiedButton->setCheckable(true);
    connect(m_unifiedButton, &QToolButton::toggled, this, &DiffView::setUnified);
    Appearance::showCheckedState(m_unifiedButton);
    m_summary->setObjectName(u"diffSummary"_s);
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_unifiedButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_stack, 1);
}

void DiffView::setTexts(const QString &leftTitle, const QString &left, const QString &rightTitle, const QString &right)
{
    m_leftTitle->setText(leftTitle);
    m_rightTitle->setText(rightTitle);
    m_left->setAccessibleName(leftTitle.isEmpty() ? tr("Left side") : leftTitle);
    m_right->setAccessibleName(rightTitle.isEmpty() ? tr("Right side") : rightTitle);
    // An empty text has no lines (as diff(1) has it), not one empty line shown as added or removed.
    const auto linesOf = [](const QString &text) { return text.isEmpty() ? QStringList() : text.split(u'\n'); };
    const QStringList leftLines = linesOf(left);
    const QStringList rightLines = linesOf(right);
    const QList<LineDiff::Line> lines = LineDiff::diff(leftLines, rightLines);
    m_changes = LineDiff::changeCount(lines);
    m_summary->setText(summaryText(lines));

    // Side by side: rows aligned, blanks where one side has nothing. A changed line is marked "- " or
    // "+ " as in the unified view, so its colour is not all that says it changed.
    const auto marked = [](const QString &line, bool changed, QChar mark) -> QString {
        return (changed ? QString(mark) + u' ' : u"  "_s) + line;
    };
    QStringList leftRows;
    QStringList rightRows;
    m_removedRows.clear();
    m_addedRows.clear();
    const QList<LineDiff::Row> rows = LineDiff::sideBySide(lines);
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const LineDiff::Row &row = rows[i];
        leftRows.append(row.leftLine >= 0 ? marked(leftLines[row.leftLine], row.changed, u'-') : QString());
        rightRows.append(row.rightLine >= 0 ? marked(rightLines[row.rightLine], row.changed, u'+') : QString());
        if (row.changed && row.leftLine >= 0)
            m_removedRows.append(int(i));
        if (row.changed && row.rightLine >= 0)
            m_addedRows.append(int(i));
    }
    m_left->setPlainText(leftRows.join(u'\n'));
    m_right->setPlainText(rightRows.join(u'\n'));
    m_unified->setPlainText(LineDiff::unified(lines));
    m_unifiedRemoved.clear();
    m_unifiedAdded.clear();
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines[i].op != LineDiff::Op::Equal)
            (lines[i].op == LineDiff::Op::Removed ? m_unifiedRemoved : m_unifiedAdded).append(int(i));
    }
    markChanges();
}

void DiffView::clear()
{
    setTexts({}, {}, {}, {});
    m_summary->clear();
}

void DiffView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        markChanges();
}

// The marked lines' backgrounds, in the palette's pair: again when the palette changes.
void DiffView::markChanges()
{
    const QColor removed = removedColor(palette());
    const QColor added = addedColor(palette());
    markLines(m_left, m_removedRows, removed);
    markLines(m_right, m_addedRows, added);
    m_unified->setExtraSelections(lineSelections(m_unified, m_unifiedRemoved, removed)
                                  + lineSelections(m_unified, m_unifiedAdded, added));
}

void DiffView::setUnified(bool unified)
{
    m_stack->setCurrentIndex(unified ? 1 : 0);
    if (m_unifiedButton->isChecked() != unified)
        m_unifiedButton->setChecked(unified);
}

bool DiffView::isUnified() const
{
    return m_stack->currentIndex() == 1;
}

QString DiffView::unifiedText() const
{
    return m_unified->toPlainText();
}
