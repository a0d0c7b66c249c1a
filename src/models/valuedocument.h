#pragma once

#include "editortext.h"
#include "valueformat.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

// One value as the editor shows it in one view, and the editor's text back to bytes that differ from the
// value only where the user typed. The Text view keeps the value's line endings, no-break spaces, line
// and paragraph separators and byte order mark (see EditorText), and refuses a value it could not give
// back byte for byte. The JSON view shows JSON as it is stored, except compact JSON (no white space
// between tokens), which is shown indented and saved compact again, with the white space around it kept;
// only an explicit reformat() saves it indented.
class ValueDocument
{
public:
    using View = ValueFormat::View;

    // Shows value in view. False (and *error says why, naming the view to use instead) when view cannot
    // show it, or could not save it back unchanged.
    bool setValue(const QByteArray &value, View view, QString *error);
    void clear();

    QByteArray value() const { return m_value; }
    View view() const { return m_view; }
    // What the editor shows.
    QString text() const { return m_text.shown(); }
    bool isEditable() const { return ValueFormat::isEditable(m_view); }
    // JSON stored compact, shown indented: a save writes it compact again.
    bool isCompactJsonShownIndented() const { return m_compactJson; }
    // What the editor does not show but a save keeps ("compact JSON…", "CRLF line endings…"), or empty.
    QString layoutNote() const;

    // The bytes editedText stands for; false (and *error) when it is not valid for the view.
    bool toValue(const QString &editedText, QByteArray *value, QString *error) const;
    // The user's explicit choice in the JSON view: editedText indented, and saved so. False (and *error)
    // when it is not JSON.
    bool reformat(const QString &editedText, QString *error);

private:
    bool setText(const QByteArray &value, QString *error);
    bool setJson(const QByteArray &value, QString *error);
    bool setEditorText(const QString &source, QString *error);

    QByteArray m_value;
    View m_view = View::Text;
    EditorText m_text;
    bool m_compactJson = false;
    QString m_leadingSpace;  // compact JSON: the white space before it, kept on save
    QString m_trailingSpace; // and after it (a final newline)
};
