#include "clitable.h"

#include "kvformat.h"

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
        const QString cell = cells.value(i);
        const QString padded = m_rightAligned.contains(int(i)) ? cell.rightJustified(widths[i])
                                                               : cell.leftJustified(widths[i]);
        text += u' ' + padded + u' ' + u'\u2502';
    }
    return text + u'\n';
}

QString CliTable::render() const
{
    const qsizetype columns = m_headers.size();
    QList<int> widths(columns, 0);
    for (qsizetype i = 0; i < columns; ++i) {
        widths[i] = int(m_headers[i].size());
        for (const QStringList &row : m_rows)
            widths[i] = std::max(widths[i], int(row.value(i).size()));
    }
    // Inner width: every cell with its two spaces, plus the separators between cells.
    int inner = int(columns) - 1;
    for (const int width : std::as_const(widths))
        inner += width + 2;
    if (!m_title.isEmpty() && int(m_title.size()) + 2 > inner && columns > 0) {
        widths.last() += int(m_title.size()) + 2 - inner;
        inner = int(m_title.size()) + 2;
    }

    QString text;
    if (!m_title.isEmpty()) {
        text += u'\u256d' + QString(inner, u'\u2500') + u'\u256e' + u'\n';
        const int before = (inner - int(m_title.size())) / 2;
        const int after = inner - int(m_title.size()) - before;
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
