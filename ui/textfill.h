#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QTimer>

class QPlainTextEdit;

// Puts a text into a QPlainTextEdit, a large one a part a turn: the editor lays out (and a highlighter
// colours) what it is given at once, and 2 MiB given at once held the event loop for a second. The parts
// end at line breaks (EditorText keeps lines short), the editor's modified flag is the one given with the
// text until all of it is in, and undo starts then. A small text goes in at once.
class TextFill final : public QObject
{
    Q_OBJECT

public:
    static constexpr qsizetype PartLength = 64 * 1024; // characters a turn

    explicit TextFill(QPlainTextEdit *editor);

    // Replaces the editor's text: the first part now, the rest in the turns after (a text given before
    // that is done replaces what is left of it). The document says modified until then, whatever marks it
    // meanwhile: with undo off, a QTextDocument counts any change as an edit, a highlighter's colours too.
    void setText(const QString &text, bool modified = false);
    bool isFilling() const { return m_at >= 0; }
    // What the editor holds, or all it will hold once the text is in.
    QString text() const;
    // How much of the text is in, while filling.
    int percent() const;

Q_SIGNALS:
    void progressed(); // another part went in
    void finished();   // all of a text put in parts is in

private:
    void step();
    qsizetype partEnd(qsizetype from) const;

    QPlainTextEdit *m_editor;
    QTimer m_timer;
    QString m_text;
    qsizetype m_at = -1; // where the rest starts, -1 when all is in
    bool m_modified = false;
};
