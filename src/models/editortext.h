#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

// A text as a plain-text editor (QTextDocument, QPlainTextEdit) holds it, and the way back. The editor
// turns every line break ("\r\n", "\r", U+2028, U+2029) into "\n" and U+00A0 into a space, so its text
// alone cannot say what the value held. EditorText keeps the source and where each character the editor
// shows came from: an edit is applied to the source as a character diff between what was shown and what
// the editor holds now, so every character the user did not touch keeps its exact source characters,
// however many places were edited. Line breaks the user types are written as the line they are typed in
// ends. A line longer than SoftLineLength is shown in parts, broken by line breaks of the editor's own that
// stand for no character of the source (an editor lays a line out whole: one of 2 MiB holds it for a
// second); removing one changes nothing, and the source keeps its line as it was.
class EditorText
{
public:
    static constexpr qsizetype SoftLineLength = 1000; // then a break after the next comma, bracket or space
    static constexpr qsizetype HardLineLength = 4000; // then a break anywhere

    EditorText() = default;
    explicit EditorText(const QString &source);

    QString source() const;
    // Whether the source starts with U+FEFF, which shown() leaves out and every applied text starts with.
    bool hasByteOrderMark() const { return m_hasByteOrderMark; }
    // What the editor holds while nothing is edited.
    QString shown() const { return m_shown; }
    // Whether shown() has breaks of its own: lines of the source too long to be shown whole.
    bool hasDisplayBreaks() const { return m_displayBreaks > 0; }
    // The source with edited (the editor's text now) applied: characters of shown() that edited still has
    // are their source characters, the others are what was typed. applied(shown()) == source().
    QString applied(const QString &edited) const;
    // Why an edit could change characters nobody touched, or empty when it cannot: a lone CR and a lone LF
    // in one text (a typed line break or a deletion could put them side by side, one CRLF), or a character
    // the editor changes in a way not predicted here.
    QString problem() const;
    // Whether a QTextDocument given source() really holds shown(): what the prediction above rests on,
    // checked whenever the source has a character it could treat specially.
    bool survivesTextDocument() const;

private:
    // From shown index at on, a shown character is at its index + delta in the source (until the next shift).
    struct Shift
    {
        qsizetype at;
        qsizetype delta;
    };

    static bool breaksAfter(const QString &source, qsizetype i, qsizetype length);
    // Where the shown character at shownIndex (or one past the end) starts in the source. A break of the
    // editor's own starts where the next character does: it stands for none.
    qsizetype sourceIndex(qsizetype shownIndex) const;
    // edited, each character kept as its source characters: edited[from, from + middle.size()) is
    // middle[j - from] of m_shown (-1: typed), those before from are the same index of m_shown, those after
    // it are at their index + tailShift.
    QString rebuilt(const QString &edited, qsizetype from, const QList<qsizetype> &middle, qsizetype tailShift) const;
    // The line break to write for one typed at sourcePos: the one ending that line in the source (else
    // the one before it), "\n" when the source has none.
    QString lineBreakNear(qsizetype sourcePos) const;

    QString m_source;
    QString m_shown;
    // Where the shown characters stop being at the same distance from their source ones (a CRLF shown as
    // one line break, a break of the editor's own): a few, where an index a character took 16 MB for 2 MiB.
    QList<Shift> m_shifts;
    qsizetype m_displayBreaks = 0;
    bool m_hasByteOrderMark = false; // then m_source is the source without it
};
