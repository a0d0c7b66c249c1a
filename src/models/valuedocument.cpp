#include "valuedocument.h"

#include "kvunits.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValueDocument", text);
}

// "a", "a and b", "a, b and c".
QString listed(const QStringList &parts)
{
    if (parts.size() < 2)
        return parts.value(0);
    return tr("%1 and %2").arg(parts.mid(0, parts.size() - 1).join(u", "_s), parts.last());
}

} // namespace

void ValueDocument::clear()
{
    m_value.clear();
    m_view = View::Text;
    m_text = EditorText();
    m_chain = CodecChain();
    m_readOnlyReason.clear();
}

bool ValueDocument::setValue(const QByteArray &value, View view, QString *error)
{
    ValueDocument next;
    next.m_codecOptions = m_codecOptions;
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
    case View::Decoded:
        ok = next.setDecoded(value, error);
        break;
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
    // Its own layout, compact or not, shown and saved as it is: laying it out anew is reformat()'s job.
    return setEditorText(text, error);
}

bool ValueDocument::setDecoded(const QByteArray &value, QString *error)
{
    m_chain = CodecChain::decode(value, m_codecOptions);
    if (m_chain.isOverLimit()) {
        *error = tr("decompressed, the value passes the cap of %1 for decoded values; use the Hex view, or raise "
                    "the cap (View → Decoded Size Cap…)")
                     .arg(KvUnits::iBytes(m_codecOptions.maxOutputSize));
        return false;
    }
    if (!m_chain.isValid()) {
        *error = tr("%1; use the Hex view").arg(m_chain.errorString());
        return false;
    }
    // JSON as it was written, as the JSON view shows it: laid out anew, a save would write the new layout
    // through the chain too, not only what was typed.
    const QString shown = m_chain.steps().last() == CodecChain::Step::Bytes ? ValueFormat::hexDump(m_chain.lastLayer())
                                                                            : m_chain.text();
    m_text = EditorText(shown);
    m_readOnlyReason = m_chain.readOnlyReason();
    // The editor's own limits (CR and LF mixed) make the decoded text one it cannot give back either.
    if (m_readOnlyReason.isEmpty() && !m_text.problem().isEmpty())
        m_readOnlyReason = tr("the editor cannot keep the decoded text as it is: %1").arg(m_text.problem());
    return true;
}

bool ValueDocument::isEditable() const
{
    if (m_view == View::Decoded)
        return m_chain.isValid() && m_readOnlyReason.isEmpty();
    return ValueFormat::isEditable(m_view);
}

QString ValueDocument::chainDescription() const
{
    return m_view == View::Decoded ? m_chain.description() : QString();
}

QString ValueDocument::readOnlyReason() const
{
    return m_view == View::Decoded ? m_readOnlyReason : QString();
}

bool ValueDocument::showsJson() const
{
    return m_view == View::Json || (m_view == View::Decoded && m_chain.isJson());
}

bool ValueDocument::setEditorText(const QString &source, QString *error)
{
    m_text = EditorText(source);
    const QString problem = m_text.problem();
    if (problem.isEmpty())
        return true;
    *error = tr("the %1 view cannot keep this value byte for byte: %2; use the Hex or Base64 view")
                 .arg(ValueFormat::viewName(m_view), problem);
    return false;
}

QString ValueDocument::layoutNote() const
{
    if (m_view != View::Text && m_view != View::Json)
        return {};
    const QString source = m_text.source();
    const qsizetype crlf = source.count(u"\r\n"_s);
    const qsizetype cr = source.count(u'\r') - crlf;
    const qsizetype lf = source.count(u'\n') - crlf;
    QStringList kept;
    if (m_text.hasByteOrderMark())
        kept.append(tr("a byte order mark"));
    if (crlf > 0 && cr == 0 && lf == 0)
        kept.append(tr("CRLF line endings"));
    else if (cr > 0 && crlf == 0 && lf == 0)
        kept.append(tr("CR line endings"));
    else if (int(crlf > 0) + int(cr > 0) + int(lf > 0) > 1)
        kept.append(tr("mixed line endings"));
    // The editor shows these as a space and as line breaks.
    if (source.contains(QChar(0x00a0)))
        kept.append(tr("no-break spaces"));
    if (source.contains(QChar(0x2028)) || source.contains(QChar(0x2029)))
        kept.append(tr("Unicode line separators"));
    // The editor draws nothing for a NUL (and for most other control characters): a value holding one
    // looked like plain text. Tab, LF and CR are shown (or said above).
    qsizetype nul = 0;
    qsizetype control = 0;
    for (const QChar c : source) {
        if (c.isNull())
            ++nul;
        else if (c.category() == QChar::Other_Control && c != u'\t' && c != u'\n' && c != u'\r')
            ++control;
    }
    if (nul > 0)
        kept.append(nul == 1 ? tr("a NUL byte") : tr("%1 NUL bytes").arg(nul));
    if (control > 0)
        kept.append(control == 1 ? tr("a control character") : tr("%1 control characters").arg(control));
    // Shown broken by the editor's own line breaks (EditorText): a save has none of them.
    if (m_text.hasDisplayBreaks())
        kept.append(tr("long lines (shown in parts)"));
    return kept.isEmpty() ? QString() : tr("%1, kept").arg(listed(kept));
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
    case View::Json:
        // Validated as JSON, saved as the very text: never re-serialised.
        return ValueFormat::parse(m_text.applied(editedText), View::Json, value, error);
    case View::Base64:
    case View::Hex:
    case View::Cbor:
        return ValueFormat::parse(editedText, m_view, value, error);
    case View::Decoded:
        if (!isEditable()) {
            *error = tr("the decoded form is read-only: %1").arg(m_readOnlyReason);
            return false;
        }
        return m_chain.encode(m_text.applied(editedText), value, error);
    }
    return false;
}

bool ValueDocument::toBytes(const QString &editedText, QByteArray *value) const
{
    if (editedText == m_text.shown()) {
        *value = m_value;
        return true;
    }
    if (m_view != View::Text && m_view != View::Json)
        return false;
    *value = m_text.applied(editedText).toUtf8();
    return true;
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
    return true;
}
