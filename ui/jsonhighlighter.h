#pragma once

#include <QtGui/QSyntaxHighlighter>
#include <QtGui/QTextCharFormat>

// Colours JSON: keys, strings, numbers, true/false/null. Colours are picked against the palette, so a
// dark theme gets light colours.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit JsonHighlighter(QTextDocument *document);

protected:
    // Picks the colours again when the application palette changes (View → Theme).
    bool eventFilter(QObject *watched, QEvent *event) override;
    void highlightBlock(const QString &text) override;

private:
    void pickColors();
    // Colours the string from start (its quote, or the block's start when it goes on from the block
    // before), scanning for its end from from; returns where the text after it starts.
    qsizetype highlightString(const QString &text, qsizetype start, qsizetype from);

    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_keyword;
};
