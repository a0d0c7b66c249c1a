#include "valueformat.h"

#include "codecchain.h"
#include "codecjson.h"
#include "kvbase64.h"

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

// A quick check of one JSON value (RFC 8259) over its UTF-8 bytes, building nothing. True only for a value
// QJsonDocument takes too; false for one it would not, and for what it is unsure of (deep nesting, long
// numbers, control characters and lone surrogates in strings, where QJsonDocument is laxer or stricter
// than the RFC): QJsonDocument then decides, and words the error.
class PlainJson final
{
public:
    explicit PlainJson(const QByteArray &value)
        : m_at(value.constData())
        , m_end(value.constData() + value.size())
    {
    }

    bool isValid()
    {
        skipSpace();
        if (!parseValue(0))
            return false;
        skipSpace();
        return m_at == m_end;
    }

private:
    static constexpr int MaxDepth = 256;

    void skipSpace()
    {
        while (m_at < m_end && (*m_at == ' ' || *m_at == '\n' || *m_at == '\r' || *m_at == '\t'))
            ++m_at;
    }
    bool take(char c)
    {
        skipSpace();
        if (m_at == m_end || *m_at != c)
            return false;
        ++m_at;
        return true;
    }
    bool parseValue(int depth)
    {
        if (m_at == m_end)
            return false;
        switch (*m_at) {
        case '{':
            return depth < MaxDepth && parseObject(depth + 1);
        case '[':
            return depth < MaxDepth && parseArray(depth + 1);
        case '"':
            return parseString();
        case 't':
            return parseWord("true");
        case 'f':
            return parseWord("false");
        case 'n':
            return parseWord("null");
        default:
            return parseNumber();
        }
    }
    bool parseObject(int depth)
    {
        ++m_at; // {
        if (take('}'))
            return true;
        do {
            skipSpace();
            if (m_at == m_end || *m_at != '"' || !parseString() || !take(':'))
                return false;
            skipSpace();
            if (!parseValue(depth))
                return false;
        } while (take(','));
        return take('}');
    }
    bool parseArray(int depth)
    {
        ++m_at; // [
        if (take(']'))
            return true;
        do {
            skipSpace();
            if (!parseValue(depth))
                return false;
        } while (take(','));
        return take(']');
    }
    bool parseWord(const char *word)
    {
        for (; *word; ++word, ++m_at) {
            if (m_at == m_end || *m_at != *word)
                return false;
        }
        return true;
    }
    qsizetype digits()
    {
        const char *from = m_at;
        while (m_at < m_end && *m_at >= '0' && *m_at <= '9')
            ++m_at;
        return m_at - from;
    }
    bool parseNumber()
    {
        if (m_at < m_end && *m_at == '-')
            ++m_at;
        const bool zero = m_at < m_end && *m_at == '0';
        qsizetype count = digits();
        if (count == 0 || (zero && count > 1))
            return false;
        if (m_at < m_end && *m_at == '.') {
            ++m_at;
            const qsizetype fraction = digits();
            if (fraction == 0)
                return false;
            count += fraction;
        }
        if (m_at < m_end && (*m_at == 'e' || *m_at == 'E')) {
            ++m_at;
            if (m_at < m_end && (*m_at == '+' || *m_at == '-'))
                ++m_at;
            const qsizetype exponent = digits();
            if (exponent == 0 || exponent > 2)
                return false;
        }
        return count <= 18; // far from what a double cannot hold
    }
    bool parseString()
    {
        ++m_at; // "
        while (m_at < m_end) {
            const auto c = quint8(*m_at);
            if (c == '"') {
                ++m_at;
                return true;
            }
            if (c == '\\') {
                if (!parseEscape())
                    return false;
            } else if (c < 0x20) {
                return false;
            } else if (c < 0x80) {
                ++m_at;
            } else if (!parseUtf8()) {
                return false;
            }
        }
        return false;
    }
    bool parseEscape()
    {
        ++m_at; // backslash
        if (m_at == m_end)
            return false;
        const char c = *m_at++;
        if (c != 'u')
            return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
        if (m_end - m_at < 4)
            return false;
        int code = 0;
        for (int i = 0; i < 4; ++i, ++m_at) {
            const char h = *m_at;
            const int digit = (h >= '0' && h <= '9') ? h - '0'
                : (h >= 'a' && h <= 'f')             ? h - 'a' + 10
                : (h >= 'A' && h <= 'F')             ? h - 'A' + 10
                                                     : -1;
            if (digit < 0)
                return false;
            code = code * 16 + digit;
        }
        return code < 0xd800 || code > 0xdfff; // surrogates: QJsonDocument pairs them its own way
    }
    // One UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF).
    bool parseUtf8()
    {
        const auto lead = quint8(*m_at);
        int more = 0;
        quint8 low = 0x80;
        quint8 high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            more = 1;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            more = 2;
            low = lead == 0xe0 ? 0xa0 : 0x80;
            high = lead == 0xed ? 0x9f : 0xbf;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            more = 3;
            low = lead == 0xf0 ? 0x90 : 0x80;
            high = lead == 0xf4 ? 0x8f : 0xbf;
        } else {
            return false;
        }
        if (m_end - m_at <= more)
            return false;
        ++m_at;
        for (int i = 0; i < more; ++i, ++m_at) {
            const auto c = quint8(*m_at);
            if (c < (i == 0 ? low : 0x80) || c > (i == 0 ? high : 0xbf))
                return false;
        }
        return true;
    }

    const char *m_at;
    const char *m_end;
};

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

// The length of the JSON number (RFC 8259 §6) at json[at], or 0 when none starts there.
static qsizetype jsonNumberLength(const QByteArray &json, qsizetype at)
{
    qsizetype i = at;
    const auto isDigit = [&json](qsizetype j) { return j < json.size() && json[j] >= '0' && json[j] <= '9'; };
    const auto digits = [&] {
        const qsizetype from = i;
        while (isDigit(i))
            ++i;
        return i > from;
    };
    if (i < json.size() && json[i] == '-')
        ++i;
    if (i < json.size() && json[i] == '0')
        ++i;
    else if (!digits())
        return 0;
    if (i < json.size() && json[i] == '.' && (++i, !digits()))
        return 0;
    if (i < json.size() && (json[i] == 'e' || json[i] == 'E')) {
        if (++i < json.size() && (json[i] == '+' || json[i] == '-'))
            ++i;
        if (!digits())
            return 0;
    }
    return isDigit(i) || (i < json.size() && json[i] == '.') ? 0 : i - at; // "01", "1.2.3": no number
}

// Numbers the JSON grammar allows and a double cannot hold (1e400): QJsonDocument calls them "illegal",
// reading them as it does (an integer of 64 bits, else a double). Each is written over with "0" and spaces,
// in place, so that a problem elsewhere is still said where it is. Returns how many there were.
static int blankNumbersPastADouble(QByteArray *json)
{
    int count = 0;
    bool inString = false;
    for (qsizetype i = 0; i < json->size(); ++i) {
        const char c = json->at(i);
        if (inString || c == '"') {
            if (inString && c == '\\')
                ++i;
            else if (c == '"')
                inString = !inString;
            continue;
        }
        const qsizetype length = (c == '-' || (c >= '0' && c <= '9')) ? jsonNumberLength(*json, i) : 0;
        if (length == 0)
            continue;
        const QByteArrayView number(json->constData() + i, length);
        bool ok = false;
        Q_UNUSED(number.toLongLong(&ok));
        if (!ok)
            Q_UNUSED(number.toDouble(&ok));
        if (!ok) {
            (*json)[i] = '0';
            std::fill_n(json->data() + i + 1, length - 1, ' ');
            ++count;
        }
        i += length - 1;
    }
    return count;
}

bool isValidJson(const QByteArray &value, QString *error)
{
    // The common case, a JSON value as a program writes it, is settled by a quick scan: QJsonDocument
    // builds the whole document, ~60 ms for 2 MiB, and is asked only about what the scan is unsure of.
    if (PlainJson(value).isValid())
        return true;
    // QJsonDocument only takes objects and arrays; wrapping also accepts scalars ("42", "\"x\"").
    QJsonParseError parseError;
    QByteArray wrapped = "[" + value + "]";
    QJsonDocument document = QJsonDocument::fromJson(wrapped, &parseError);
    // 1e400 is JSON all the same: shown, checked and laid out (prettyJson()) as written, never converted.
    if (parseError.error == QJsonParseError::IllegalNumber && blankNumbersPastADouble(&wrapped) > 0)
        document = QJsonDocument::fromJson(wrapped, &parseError);
    const bool blank = value.trimmed().isEmpty();
    if (parseError.error == QJsonParseError::NoError && !blank) {
        // "1,2" would parse as an array of two: make sure it was one value.
        if (document.array().size() == 1)
            return true;
        if (error)
            *error = tr("more than one JSON value");
        return false;
    }
    if (error)
        *error = blank ? tr("empty value")
                       : tr("%1 at %2").arg(parseError.errorString(), CodecJson::errorPlace(value, parseError, 1));
    return false;
}

// The index of the bracket closing the container opened at text[open] when only white space is between
// them, else -1: an empty container stays on one line.
static qsizetype emptyContainerEnd(const QString &text, qsizetype open)
{
    qsizetype j = open + 1;
    while (j < text.size() && text[j].isSpace())
        ++j;
    return j < text.size() && (text[j] == u'}' || text[j] == u']') ? j : -1;
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
    QString spaces; // indentation, grown as needed: no string made a line
    const auto newline = [&] {
        const qsizetype width = qsizetype(std::max(depth, 0)) * IndentSpaces;
        if (spaces.size() < width)
            spaces = QString(width * 2, u' ');
        out += u'\n';
        out += QStringView(spaces).left(width);
    };
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
            if (const qsizetype end = emptyContainerEnd(text, i); end >= 0) {
                out += c;
                out += text[end];
                i = end;
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
        default: // JSON's white space goes; the layout is ours
            if (c != u' ' && c != u'\t' && c != u'\n' && c != u'\r')
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
    // "00000010  41 42 …  48  49 …  50  |ABCDEFGHIJKLMNOP|\n": 79 characters a line, written in place (a
    // QString::arg() a byte took a second for 2 MiB). The last line is padded to keep its ASCII under the
    // others'; a value of one line is not, so that its ASCII follows its bytes (padded, it sat past the
    // edge of a narrow value panel, and looked missing).
    constexpr qsizetype LineLength = 79;
    const int padTo = value.size() > 16 ? 16 : int(value.size());
    static const char16_t digits[] = u"0123456789abcdef";
    QString out((value.size() + 15) / 16 * LineLength, Qt::Uninitialized);
    char16_t *at = reinterpret_cast<char16_t *>(out.data());
    for (qsizetype offset = 0; offset < value.size(); offset += 16) {
        for (int shift = 28; shift >= 0; shift -= 4)
            *at++ = digits[(quint64(offset) >> shift) & 0xf];
        *at++ = u' ';
        *at++ = u' ';
        const qsizetype count = std::min<qsizetype>(16, value.size() - offset);
        for (int i = 0; i < padTo; ++i) {
            const auto byte = quint8(i < count ? value[offset + i] : 0);
            *at++ = i < count ? digits[byte >> 4] : u' ';
            *at++ = i < count ? digits[byte & 0xf] : u' ';
            *at++ = u' ';
            if (i == 7)
                *at++ = u' ';
        }
        *at++ = u' ';
        *at++ = u'|';
        for (qsizetype i = 0; i < count; ++i) {
            const char c = value[offset + i];
            *at++ = (c >= 0x20 && c < 0x7f) ? char16_t(c) : u'.';
        }
        *at++ = u'|';
        *at++ = u'\n';
    }
    out.truncate(at - reinterpret_cast<const char16_t *>(out.constData()));
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
        const auto result = KvBase64::decode(compact);
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
