#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

// A text as a plain-text editor (QTextDocument, QPlainTextEdit) holds it, and the way back. The editor
// turns every line break ("\r\n", "\r", U+2028, U+2029) into "\n" and U+00A0 into a space, so its text
// alone cannot say what the value held. EditorText keeps the source and where each character the editor
// shows came from: an edit is applied to the source as a character diff between what was shown and what
// the editor holds now, so every character the user did not touch keeps its exact source characters,
// however many places were edited. Line breaks the user types are written as the line they are typed in
// ends.
class EditorText
{
public:
    EditorText() = default;
    explicit EditorText(const QString &source);

    QString source() const { return m_source; }
    // What the editor holds while nothing is edited.
    QString shown() const { return m_shown; }
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
    // edited, each character kept (kept[i]: its index in m_shown, else -1) as its source characters.
    QString rebuilt(const QString &edited, const QList<qsizetype> &kept) const;
    // The line break to write for one typed at sourcePos: the one ending that line in the source (else
    // the one before it), "\n" when the source has none.
    QString lineBreakNear(qsizetype sourcePos) const;

    QString m_source;
    QString m_shown;
    // For each character of m_shown (and one past the end): where it starts in m_source.
    QList<qsizetype> m_sourceIndex;
};
