#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

// A table drawn like natscli's (go-pretty's rounded style): an optional centred title, a header row,
// one line per row, columns as wide as their widest cell, numbers aligned right.
class CliTable
{
public:
    explicit CliTable(const QString &title = {});

    void setHeaders(const QStringList &headers) { m_headers = headers; }
    // Columns whose cells align right (sizes, counts).
    void setRightAligned(const QList<int> &columns) { m_rightAligned = columns; }
    // Control characters in a cell are shown escaped (KvFormat::withControlsEscaped()).
    void addRow(const QStringList &cells);
    qsizetype rowCount() const { return m_rows.size(); }

    // The whole table, each line ending in "\n".
    QString render() const;

private:
    QString line(const QStringList &cells, const QList<int> &widths) const;

    QString m_title;
    QStringList m_headers;
    QList<QStringList> m_rows;
    QList<int> m_rightAligned;
};
