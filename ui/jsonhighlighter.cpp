#include "jsonhighlighter.h"

#include "appearance.h"

#include <QtCore/QCoreApplication>
#include <QtGui/QGuiApplication>
#include <QtGui/QPalette>

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    pickColors();
    // The colours again when the application palette changes (View → Theme).
    Appearance::followPalette(this, [this] {
        pickColors();
        if (this->document())
            rehighlight();
    });
    m_turnEnd.setSingleShot(true);
    m_turnEnd.setInterval(0);
    connect(&m_turnEnd, &QTimer::timeout, this, [this] { m_budget = CharactersPerTurn; });
    m_resume.setSingleShot(true);
    m_resume.setInterval(0);
    connect(&m_resume, &QTimer::timeout, this, &JsonHighlighter::resume);
}

bool JsonHighlighter::spend(qsizetype characters)
{
    if (m_budget <= 0)
        return false;
    m_budget -= characters; // a block is coloured whole: the last one may go past the share
    if (!m_turnEnd.isActive())
        m_turnEnd.start();
    return true;
}

void JsonHighlighter::resume()
{
    m_budget = CharactersPerTurn; // a turn of its own
    while (document() && m_pendingFrom >= 0 && m_budget > 0) {
        const QTextBlock block = document()->findBlockByNumber(m_pendingFrom);
        if (!block.isValid()) {
            m_pendingFrom = -1;
            break;
        }
        rehighlightBlock(block); // colours it and moves m_pendingFrom on, and the blocks after it as needed
    }
    if (m_pendingFrom >= 0 && document())
        m_resume.start();
    else
        m_pendingFrom = -1;
}

void JsonHighlighter::pickColors()
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    m_key.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x00, 0x45, 0x9e));
    m_string.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_number.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_keyword.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
    m_keyword.setFontWeight(QFont::Bold);
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    const int number = currentBlock().blockNumber();
    if (!spend(text.size() + 1)) {
        // Later, in order from here. Its state stays as it was, so this pass ends here; its colours go
        // until then.
        if (m_pendingFrom < 0 || number < m_pendingFrom)
            m_pendingFrom = number;
        m_resume.start();
        return;
    }
    if (number == m_pendingFrom)
        m_pendingFrom = currentBlock().next().isValid() ? number + 1 : -1;
    m_highlighted += text.size();
    highlightJson(text);
}

void JsonHighlighter::highlightJson(const QString &text)
{
    // JSON is shown with its own layout, so a block is any part of it: a string may go on from the block
    // before (a raw U+2028 or U+2029 in it is a line break to the editor). Block state 1: inside a string.
    setCurrentBlockState(0);
    qsizetype i = previousBlockState() == 1 ? highlightString(text, 0, 0) : 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == u'"') {
            i = highlightString(text, i, i + 1);
        } else if (c.isDigit() || c == u'-') {
            qsizetype end = i + 1;
            while (end < text.size()
                   && (text[end].isDigit() || text[end] == u'.' || text[end] == u'e' || text[end] == u'E'
                       || text[end] == u'+' || text[end] == u'-'))
                ++end;
            setFormat(int(i), int(end - i), m_number);
            i = end;
        } else if (c.isLetter()) {
            qsizetype end = i;
            while (end < text.size() && text[end].isLetter())
                ++end;
            const QStringView word = QStringView(text).mid(i, end - i);
            if (word == u"true" || word == u"false" || word == u"null")
                setFormat(int(i), int(end - i), m_keyword);
            i = end;
        } else {
            ++i;
        }
    }
}

qsizetype JsonHighlighter::highlightString(const QString &text, qsizetype start, qsizetype from)
{
    qsizetype end = from;
    while (end < text.size() && text[end] != u'"') {
        if (text[end] == u'\\')
            ++end;
        ++end;
    }
    if (end >= text.size()) {
        setFormat(int(start), int(text.size() - start), m_string);
        setCurrentBlockState(1); // goes on in the next block
        return text.size();
    }
    const qsizetype length = end + 1 - start;
    qsizetype next = start + length;
    while (next < text.size() && text[next].isSpace())
        ++next;
    const bool isKey = next < text.size() && text[next] == u':';
    setFormat(int(start), int(length), isKey ? m_key : m_string);
    return start + length;
}
