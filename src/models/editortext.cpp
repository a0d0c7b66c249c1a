#include "editortext.h"

#include <QtGui/QTextDocument>

using namespace Qt::StringLiterals;

namespace {

constexpr char16_t kNbsp = 0x00a0;
constexpr char16_t kLineSeparator = 0x2028;
constexpr char16_t kParagraphSeparator = 0x2029;

// What QTextDocument::toPlainText() gives for a source character ("\r\n" is handled by the caller).
QChar shownChar(QChar c)
{
    switch (c.unicode()) {
    case u'\r':
    case kLineSeparator:
    case kParagraphSeparator:
        return u'\n';
    case kNbsp:
        return u' ';
    default:
        return c;
    }
}

} // namespace

EditorText::EditorText(const QString &source)
    : m_source(source)
{
    m_shown.reserve(source.size());
    m_sourceIndex.reserve(source.size() + 1);
    for (qsizetype i = 0; i < source.size(); ++i) {
        m_sourceIndex.append(i);
        m_shown.append(shownChar(source[i]));
        if (source[i] == u'\r' && i + 1 < source.size() && source[i + 1] == u'\n')
            ++i; // one line break in the editor
    }
    m_sourceIndex.append(source.size());
}

QString EditorText::applied(const QString &edited) const
{
    if (edited == m_shown)
        return m_source;
    // The changed span: what lies between the longest common prefix and the longest common suffix.
    const qsizetype shortest = std::min(edited.size(), m_shown.size());
    qsizetype prefix = 0;
    while (prefix < shortest && edited[prefix] == m_shown[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < shortest - prefix && edited[edited.size() - 1 - suffix] == m_shown[m_shown.size() - 1 - suffix])
        ++suffix;
    const qsizetype from = m_sourceIndex[prefix];
    const qsizetype to = m_sourceIndex[m_shown.size() - suffix];
    QString typed = edited.mid(prefix, edited.size() - suffix - prefix);
    if (typed.contains(u'\n')) {
        const QString lineBreak = lineBreakNear(from);
        if (lineBreak != "\n"_L1)
            typed.replace(u'\n', lineBreak);
    }
    return m_source.left(from) + typed + m_source.mid(to);
}

QString EditorText::lineBreakNear(qsizetype sourcePos) const
{
    const auto breakAt = [this](qsizetype i) -> QString {
        if (m_source[i] == u'\r')
            return i + 1 < m_source.size() && m_source[i + 1] == u'\n' ? u"\r\n"_s : u"\r"_s;
        return i > 0 && m_source[i - 1] == u'\r' ? u"\r\n"_s : u"\n"_s;
    };
    // The break that ends the line being edited, else the one before it.
    for (qsizetype i = sourcePos; i < m_source.size(); ++i) {
        if (m_source[i] == u'\n' || m_source[i] == u'\r')
            return breakAt(i);
    }
    for (qsizetype i = std::min(sourcePos, m_source.size()) - 1; i >= 0; --i) {
        if (m_source[i] == u'\n' || m_source[i] == u'\r')
            return breakAt(i);
    }
    return u"\n"_s;
}

bool EditorText::survivesTextDocument() const
{
    const bool plain = std::all_of(m_source.cbegin(), m_source.cend(), [](QChar c) {
        return (c.unicode() >= 0x20 && c.unicode() < 0x7f) || c == u'\n' || c == u'\t';
    });
    if (plain)
        return true; // nothing for the editor to change
    QTextDocument document;
    document.setPlainText(m_source);
    return document.toPlainText() == m_shown;
}
