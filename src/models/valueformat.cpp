#include "valueformat.h"

#include "codecchain.h"

#include <QtCore/QCborValue>
#include <QtCore/QCoreApplication>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRegularExpression>
#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("ValueFormat", text);
}

bool decodeUtf8(const QByteArray &value, QString *text)
{
    // A leading byte order mark stays a character: dropped, it would be lost from the value on save.
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom);
    *text = decoder.decode(value);
    return !decoder.hasError();
}

bool isPrintableText(const QString &text)
{
    for (const QChar c : text) {
        if (c.unicode() < 0x20 && c != u'\n' && c != u'\r' && c != u'\t')
            return false;
        if (c.unicode() == 0x7f)
            return false;
    }
    return true;
}

// Qt lays CBOR's diagnostic notation out with 4 spaces a level and empty containers over two lines;
// prettyJson() with ValueFormat::IndentSpaces and "[]". Redone here so CBOR and JSON read alike. Its strings are
// escaped, so every line break and leading space in it is layout.
QString indentedLikeJson(const QString &diagnostic)
{
    constexpr int QtIndent = 4;
    QStringList lines = diagnostic.split(u'\n');
    for (QString &line : lines) {
        qsizetype spaces = 0;
        while (spaces < line.size() && line[spaces] == u' ')
            ++spaces;
        line = QString(spaces / QtIndent * ValueFormat::IndentSpaces, u' ') + line.mid(spaces);
    }
    static const QRegularExpression emptyContainer(uR"(([\[{])\n *([\]}]))"_s);
    return lines.join(u'\n').replace(emptyContainer, uR"(\1\2)"_s);
}

} // namespace

namespace ValueFormat {

QString viewName(View view)
{
    switch (view) {
    case View::Text:
        return tr("Text");
    case View::Json:
        return tr("JSON");
    case View::Hex:
        return tr("Hex");
    case View::Base64:
        return tr("Base64");
    case View::Cbor:
        return tr("CBOR");
    case View::Decoded:
        return tr("Decoded");
    }
    return {};
}

bool isEditable(View view)
{
    // Decoded: where its chain gives the value back exactly (ValueDocument::isEditable).
    return view == View::Text || view == View::Json || view == View::Base64 || view == View::Decoded;
}

bool isValidJson(const QByteArray &value, QString *error)
{
    // QJsonDocument only takes objects and arrays; wrapping also accepts scalars ("42", "\"x\"").
    QJsonParseError parseError;
    QJsonDocument::fromJson("[" + value + "]", &parseError);
    const bool blank = value.trimmed().isEmpty();
    if (parseError.error == QJsonParseError::NoError && !blank) {
        // "1,2" would parse as an array of two: make sure it was one value.
        if (QJsonDocument::fromJson("[" + value + "]").array().size() == 1)
            return true;
        if (error)
            *error = tr("more than one JSON value");
        return false;
    }
    if (error)
        *error = blank ? tr("empty value")
                       : tr("%1 at byte %2").arg(parseError.errorString()).arg(std::max(0, parseError.offset - 1));
    return false;
}

QString prettyJson(const QByteArray &json)
{
    QString text;
    if (!decodeUtf8(json, &text))
        return {};
    QString out;
    out.reserve(text.size() * 2);
    int depth = 0;
    bool inString = false;
    const auto newline = [&] { out += u'\n' + QString(depth * IndentSpaces, u' '); };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inString) {
            out += c;
            if (c == u'\\' && i + 1 < text.size())
                out += text[++i];
            else if (c == u'"')
                inString = false;
            continue;
        }
        switch (c.unicode()) {
        case u'"':
            inString = true;
            out += c;
            break;
        case u'{':
        case u'[': {
            // Keep empty containers on one line.
            qsizetype j = i + 1;
            while (j < text.size() && text[j].isSpace())
                ++j;
            if (j < text.size() && (text[j] == u'}' || text[j] == u']')) {
                out += c;
                out += text[j];
                i = j;
                break;
            }
            out += c;
            ++depth;
            newline();
            break;
        }
        case u'}':
        case u']':
            --depth;
            newline();
            out += c;
            break;
        case u',':
            out += c;
            newline();
            break;
        case u':':
            out += u": "_s;
            break;
        case u' ':
        case u'\t':
        case u'\n':
        case u'\r':
            break;
        default:
            out += c;
        }
    }
    return out;
}

bool decodeText(const QByteArray &value, QString *text)
{
    return decodeUtf8(value, text);
}

QString hexDump(const QByteArray &value)
{
    QString out;
    for (qsizetype offset = 0; offset < value.size(); offset += 16) {
        const QByteArray line = value.mid(offset, 16);
        out += u"%1  "_s.arg(offset, 8, 16, QChar(u'0'));
        for (int i = 0; i < 16; ++i) {
            out += i < line.size() ? u"%1 "_s.arg(quint8(line[i]), 2, 16, QChar(u'0')) : u"   "_s;
            if (i == 7)
                out += u' ';
        }
        out += u" |"_s;
        for (const char c : line)
            out += (c >= 0x20 && c < 0x7f) ? QChar(QLatin1Char(c)) : QChar(u'.');
        out += u"|\n"_s;
    }
    return out;
}

View detect(const QByteArray &value, const CodecOptions &options)
{
    if (value.isEmpty())
        return View::Text;
    // A mapped Protobuf message is the user's word for what the value is, before any guess.
    if (options.hasProtobuf() && CodecChain::identify(value, options).isTransformed())
        return View::Decoded;
    if (isValidJson(value))
        return View::Json;
    QString text;
    const bool printable = decodeUtf8(value, &text) && isPrintableText(text);
    // Text that is Base64 of something the decoders know (and not of more text) is shown decoded.
    if (CodecChain::identify(value, options).isTransformed())
        return View::Decoded;
    return printable ? View::Text : View::Hex;
}

bool render(const QByteArray &value, View view, QString *text, QString *error)
{
    switch (view) {
    case View::Text:
        if (!decodeUtf8(value, text)) {
            *error = tr("the value is not valid UTF-8 text; use the Hex or Base64 view");
            return false;
        }
        return true;
    case View::Json: {
        QString problem;
        if (!isValidJson(value, &problem)) {
            *error = tr("the value is not valid JSON: %1").arg(problem);
            return false;
        }
        *text = prettyJson(value);
        return true;
    }
    case View::Hex:
        *text = hexDump(value);
        return true;
    case View::Base64:
        *text = QString::fromLatin1(value.toBase64());
        return true;
    case View::Cbor: {
        QCborParserError cborError;
        const QCborValue cbor = QCborValue::fromCbor(value, &cborError);
        if (cborError.error != QCborError::NoError) {
            *error = tr("the value is not CBOR: %1 at byte %2").arg(cborError.errorString()).arg(cborError.offset);
            return false;
        }
        *text = indentedLikeJson(cbor.toDiagnosticNotation(QCborValue::LineWrapped));
        return true;
    }
    case View::Decoded: {
        const CodecChain chain = CodecChain::decode(value);
        if (!chain.isValid()) {
            *error = tr("%1; use the Hex view").arg(chain.errorString());
            return false;
        }
        const CodecChain::Step last = chain.steps().last();
        *text = last == CodecChain::Step::Bytes ? hexDump(chain.lastLayer())
            : last == CodecChain::Step::Json    ? prettyJson(chain.text().toUtf8())
                                                : chain.text();
        return true;
    }
    }
    return false;
}

bool parse(const QString &text, View view, QByteArray *value, QString *error)
{
    switch (view) {
    case View::Text:
        *value = text.toUtf8();
        return true;
    case View::Json: {
        const QByteArray bytes = text.toUtf8();
        QString problem;
        if (!isValidJson(bytes, &problem)) {
            *error = tr("not valid JSON: %1").arg(problem);
            return false;
        }
        *value = bytes;
        return true;
    }
    case View::Base64: {
        const QByteArray compact = text.toLatin1().simplified().replace(' ', "");
        const auto result = QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
        if (!result) {
            *error = tr("not valid Base64");
            return false;
        }
        *value = *result;
        return true;
    }
    case View::Hex:
    case View::Cbor:
    case View::Decoded: // encoded again through the chain it was decoded with: ValueDocument
        *error = tr("the %1 view is read-only; edit in Text, JSON or Base64").arg(viewName(view));
        return false;
    }
    return false;
}

} // namespace ValueFormat
