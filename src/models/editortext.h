#pragma once

#include <QtCore/QList>
#include <QtCore/QString>

// A text as a plain-text editor (QTextDocument, QPlainTextEdit) holds it, and the way back. The editor
// turns every line break ("\r\n", "\r", U+2028, U+2029) into "\n" and U+00A0 into a space, so its text
// alone cannot say what the value held. EditorText keeps the source and where each character the editor
// shows came from: an edit is applied to the source as the span the user changed, and everything before
// and after that span keeps its exact characters. Line breaks the user types are written as the line
// they are typed in ends.
class EditorText
{
public:
    EditorText() = default;
    explicit EditorText(const QString &source);

    QString source() const { return m_source; }
    // What the editor holds while nothing is edited.
    QString shown() const { return m_shown; }
    // The source with edited (the editor's text now) applied: the span where it differs from shown() is
    // replaced, the rest of the source stays as it was. applied(shown()) == source().
    QString applied(const QString &edited) const;
    // Whether a QTextDocument given source() really holds shown(): what the prediction above rests on,
    // checked whenever the source has a character it could treat specially.
    bool survivesTextDocument() const;

private:
    // The line break to write for one typed at sourcePos: the one ending that line in the source (else
    // the one before it), "\n" when the source has none.
    QString lineBreakNear(qsizetype sourcePos) const;

    QString m_source;
    QString m_shown;
    // For each character of m_shown (and one past the end): where it starts in m_source.
    QList<qsizetype> m_sourceIndex;
};
