#include "clitable.h"

#include "kvformat.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString rule(const QList<int> &widths, QChar left, QChar middle, QChar right)
{
    QString text(left);
    for (qsizetype i = 0; i < widths.size(); ++i) {
        if (i > 0)
            text += middle;
        text += QString(widths[i] + 2, u'\u2500');
    }
    return text + right + u'\n';
}

// East Asian wide and fullwidth characters (and emoji) take two columns of a terminal.
bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) || (c >= 0xAC00 && c <= 0xD7A3)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60)
        || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) || (c >= 0x1F900 && c <= 0x1F9FF)
        || (c >= 0x20000 && c <= 0x3FFFD);
}

// How many terminal columns text takes: wide characters two, combining marks none (as wcwidth(3) has it,
// without depending on the locale).
int columnsOf(const QString &text)
{
    int columns = 0;
    for (const char32_t c : text.toUcs4()) {
        const QChar::Category category = QChar::category(c);
        if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing || c == 0x200B)
            continue;
        columns += isWide(c) ? 2 : 1;
    }
    return columns;
}

QString padded(const QString &text, int columns, bool right)
{
    const QString fill(std::max(0, columns - columnsOf(text)), u' ');
    return right ? fill + text : text + fill;
}

} // namespace

CliTable::CliTable(const QString &title)
    : m_title(KvFormat::withControlsEscaped(title))
{
}

void CliTable::addRow(const QStringList &cells)
{
    QStringList shown;
    shown.reserve(cells.size());
    for (const QString &cell : cells)
        shown.append(KvFormat::withControlsEscaped(cell));
    m_rows.append(shown);
}

QString CliTable::line(const QStringList &cells, const QList<int> &widths) const
{
    QString text(u'\u2502');
    for (qsizetype i = 0; i < widths.size(); ++i) {
        text += u' ' + padded(cells.value(i), widths[i], m_rightAligned.contains(int(i))) + u' ' + u'\u2502';
    }
    return text + u'\n';
}

QString CliTable::render() const
{
    const qsizetype columns = m_headers.size();
    QList<int> widths(columns, 0);
    for (qsizetype i = 0; i < columns; ++i) {
        widths[i] = columnsOf(m_headers[i]);
        for (const QStringList &row : m_rows)
            widths[i] = std::max(widths[i], columnsOf(row.value(i)));
    }
    // Inner width: every cell with its two spaces, plus the separators between cells.
    int inner = int(columns) - 1;
    for (const int width : std::as_const(widths))
        inner += width + 2;
    const int titleColumns = columnsOf(m_title);
    if (!m_title.isEmpty() && titleColumns + 2 > inner && columns > 0) {
        widths.last() += titleColumns + 2 - inner;
        inner = titleColumns + 2;
    }

    QString text;
    if (!m_title.isEmpty()) {
        text += u'\u256d' + QString(inner, u'\u2500') + u'\u256e' + u'\n';
        const int before = (inner - titleColumns) / 2;
        const int after = inner - titleColumns - before;
        text += u'\u2502' + QString(before, u' ') + m_title + QString(after, u' ') + u'\u2502' + u'\n';
        text += rule(widths, u'\u251c', u'\u252c', u'\u2524');
    } else {
        text += rule(widths, u'\u256d', u'\u252c', u'\u256e');
    }
    text += line(m_headers, widths);
    text += rule(widths, u'\u251c', u'\u253c', u'\u2524');
    for (const QStringList &row : m_rows)
        text += line(row, widths);
    text += rule(widths, u'\u2570', u'\u2534', u'\u256f');
    return text;
}
