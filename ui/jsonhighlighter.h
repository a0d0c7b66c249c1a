#pragma once

#include <QtCore/QTimer>
#include <QtGui/QSyntaxHighlighter>
#include <QtGui/QTextCharFormat>

// Colours JSON: keys, strings, numbers, true/false/null. Colours are picked against the palette, so a
// dark theme gets light colours. A turn of the event loop colours CharactersPerTurn characters or so: a
// large document (a text put in, a palette change, a quote typed that turns the rest into a string) is
// coloured from the top in the turns after, the blocks not reached yet left as they are.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    static constexpr qsizetype CharactersPerTurn = 32 * 1024;

    explicit JsonHighlighter(QTextDocument *document);

    // Characters coloured so far, all documents and passes together (for tests and benchmarks).
    qint64 highlightedCharacters() const { return m_highlighted; }
    // Blocks are waiting for a later turn.
    bool isPending() const { return m_pendingFrom >= 0; }

protected:
    void highlightBlock(const QString &text) override;

private:
    void pickColors();
    // Takes characters from this turn's share; false when it is spent.
    bool spend(qsizetype characters);
    // The next turn's share of the blocks waiting.
    void resume();
    void highlightJson(const QString &text);
    // Colours the string from start (its quote, or the block's start when it goes on from the block
    // before), scanning for its end from from; returns where the text after it starts.
    qsizetype highlightString(const QString &text, qsizetype start, qsizetype from);

    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_keyword;
    qsizetype m_budget = CharactersPerTurn;
    QTimer m_turnEnd;       // gives the next turn its share
    QTimer m_resume;        // colours the blocks waiting
    int m_pendingFrom = -1; // the first block waiting, -1 when none
    qint64 m_highlighted = 0;
};
