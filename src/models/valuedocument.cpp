#include "valuedocument.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValueDocument", text);
}

bool isJsonSpace(QChar c)
{
    return c == u' ' || c == u'\t' || c == u'\n' || c == u'\r';
}

} // namespace

void ValueDocument::clear()
{
    m_value.clear();
    m_view = View::Text;
    m_text = EditorText();
    m_compactJson = false;
    m_leadingSpace.clear();
    m_trailingSpace.clear();
}

bool ValueDocument::setValue(const QByteArray &value, View view, QString *error)
{
    ValueDocument next;
    next.m_value = value;
    next.m_view = view;
    bool ok = true;
    switch (view) {
    case View::Text:
        ok = next.setText(value, error);
        break;
    case View::Json:
        ok = next.setJson(value, error);
        break;
    case View::Hex:
    case View::Base64:
    case View::Cbor: {
        QString text;
        ok = ValueFormat::render(value, view, &text, error);
        next.m_text = EditorText(text);
        break;
    }
    }
    if (ok)
        *this = next;
    return ok;
}

bool ValueDocument::setText(const QByteArray &value, QString *error)
{
    QString text;
    if (!ValueFormat::decodeText(value, &text)) {
        *error = tr("the value is not UTF-8 text, and the Text view would change its bytes; use the Hex or "
                    "Base64 view");
        return false;
    }
    if (text.toUtf8() != value) {
        *error = tr("the Text view cannot give this value back byte for byte; use the Hex or Base64 view");
        return false;
    }
    return setEditorText(text, error);
}

bool ValueDocument::setJson(const QByteArray &value, QString *error)
{
    QString problem;
    QString text;
    if (!ValueFormat::isValidJson(value, &problem) || !ValueFormat::decodeText(value, &text)) {
        *error = tr("the value is not valid JSON: %1").arg(problem);
        return false;
    }
    m_compactJson = ValueFormat::isCompactJson(text);
    if (!m_compactJson)
        return setEditorText(text, error); // its own layout, shown and saved as it is
    qsizetype first = 0;
    while (first < text.size() && isJsonSpace(text[first]))
        ++first;
    qsizetype end = text.size();
    while (end > first && isJsonSpace(text[end - 1]))
        --end;
    m_leadingSpace = text.left(first);
    m_trailingSpace = text.mid(end);
    return setEditorText(ValueFormat::prettyJson(value), error);
}

bool ValueDocument::setEditorText(const QString &source, QString *error)
{
    m_text = EditorText(source);
    if (m_text.survivesTextDocument())
        return true;
    *error = tr("the editor would change characters of this value in the %1 view; use the Hex or Base64 view")
                 .arg(ValueFormat::viewName(m_view));
    return false;
}

QString ValueDocument::layoutNote() const
{
    if (m_compactJson)
        return tr("compact JSON, shown indented; saved compact");
    if (m_view != View::Text && m_view != View::Json)
        return {};
    const QString source = m_text.source();
    const qsizetype crlf = source.count(u"\r\n"_s);
    const qsizetype cr = source.count(u'\r') - crlf;
    const qsizetype lf = source.count(u'\n') - crlf;
    if (crlf > 0 && cr == 0 && lf == 0)
        return tr("CRLF line endings, kept");
    if (cr > 0 && crlf == 0 && lf == 0)
        return tr("CR line endings, kept");
    if (int(crlf > 0) + int(cr > 0) + int(lf > 0) > 1)
        return tr("mixed line endings, kept");
    return {};
}

bool ValueDocument::toValue(const QString &editedText, QByteArray *value, QString *error) const
{
    if (editedText == m_text.shown()) {
        *value = m_value;
        return true;
    }
    switch (m_view) {
    case View::Text:
        *value = m_text.applied(editedText).toUtf8();
        return true;
    case View::Json: {
        const QByteArray json = m_text.applied(editedText).toUtf8();
        if (!ValueFormat::parse(QString::fromUtf8(json), View::Json, value, error))
            return false;
        if (m_compactJson)
            *value = (m_leadingSpace + ValueFormat::compactJson(QString::fromUtf8(json)) + m_trailingSpace).toUtf8();
        return true;
    }
    case View::Base64:
    case View::Hex:
    case View::Cbor:
        return ValueFormat::parse(editedText, m_view, value, error);
    }
    return false;
}

bool ValueDocument::reformat(const QString &editedText, QString *error)
{
    QByteArray json;
    if (m_view != View::Json) {
        *error = tr("only JSON can be reformatted");
        return false;
    }
    if (!toValue(editedText, &json, error))
        return false;
    const QString pretty = ValueFormat::prettyJson(json);
    m_value = pretty.toUtf8();
    m_text = EditorText(pretty);
    m_compactJson = false;
    m_leadingSpace.clear();
    m_trailingSpace.clear();
    return true;
}
