#include "textfill.h"

#include <QtCore/QSignalBlocker>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtWidgets/QPlainTextEdit>

TextFill::TextFill(QPlainTextEdit *editor)
    : QObject(editor)
    , m_editor(editor)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(0);
    connect(&m_timer, &QTimer::timeout, this, &TextFill::step);
}

void TextFill::setText(const QString &text, bool modified)
{
    m_timer.stop();
    const bool wasFilling = isFilling();
    m_modified = modified;
    if (text.size() <= PartLength) {
        m_text.clear();
        m_at = -1;
        if (wasFilling)
            m_editor->document()->setUndoRedoEnabled(true);
        m_editor->setPlainText(text);
        m_editor->document()->setModified(modified);
        if (wasFilling)
            Q_EMIT finished();
        return;
    }
    m_text = text;
    m_at = partEnd(0);
    m_editor->document()->setUndoRedoEnabled(false);
    m_editor->setPlainText(m_text.left(m_at));
    m_editor->document()->setModified(modified);
    m_timer.start();
    Q_EMIT progressed();
}

QString TextFill::text() const
{
    return isFilling() ? m_text : m_editor->toPlainText();
}

int TextFill::percent() const
{
    return isFilling() ? int(m_at * 100 / std::max<qsizetype>(m_text.size(), 1)) : 100;
}

qsizetype TextFill::partEnd(qsizetype from) const
{
    const qsizetype end = std::min(from + PartLength, m_text.size());
    if (end == m_text.size())
        return end;
    // At a line break: a part going on from the last one would lay that line out again.
    const qsizetype lineEnd = m_text.lastIndexOf(u'\n', end - 1);
    return lineEnd >= from ? lineEnd + 1 : end;
}

void TextFill::step()
{
    if (!isFilling())
        return;
    const qsizetype end = partEnd(m_at);
    QTextDocument *document = m_editor->document();
    {
        // What the editor says of itself (text changed, modified) is not news: the text is only arriving.
        const QSignalBlocker quiet(m_editor);
        QTextCursor cursor(document);
        cursor.movePosition(QTextCursor::End);
        cursor.insertText(m_text.mid(m_at, end - m_at));
        document->setModified(m_modified);
    }
    if (end < m_text.size()) {
        m_at = end;
        m_timer.start();
        Q_EMIT progressed();
        return;
    }
    m_at = -1;
    m_text.clear();
    document->setUndoRedoEnabled(true);
    document->setModified(m_modified); // told to the editor's listeners now: the text is all in
    Q_EMIT finished();
}
