#include "codecchain.h"

#include "codeccompression.h"
#include "codecjson.h"
#include "codecmessagepack.h"
#include "codecprotobuf.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringDecoder>
#include <QtCore/QStringList>

using namespace Qt::StringLiterals;
using Format = CodecCompression::Format;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecChain", text);
}

bool isPrintableText(const QByteArray &data, QString *text)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringConverter::Flag::Stateless);
    *text = decoder.decode(data);
    if (decoder.hasError())
        return false;
    for (const QChar c : *text) {
        if ((c.unicode() < 0x20 && c != u'\n' && c != u'\r' && c != u'\t') || c.unicode() == 0x7f)
            return false;
    }
    return true;
}

// Base64 (standard or URL alphabet, white space between), as a whole: none of its characters is left over.
bool fromBase64(const QByteArray &data, QByteArray *out)
{
    QByteArray compact = data.simplified();
    compact.replace(' ', "");
    if (compact.size() < 4)
        return false;
    for (const auto encoding : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        const auto result = QByteArray::fromBase64Encoding(compact, encoding | QByteArray::AbortOnBase64DecodingErrors);
        if (result) {
            *out = *result;
            return true;
        }
    }
    return false;
}

bool isStructured(CodecChain::Step step)
{
    return step == CodecChain::Step::MessagePack || step == CodecChain::Step::Cbor
        || step == CodecChain::Step::Protobuf;
}

// What the JSON mapping of each structured format cannot hold.
QString lostInJson(CodecChain::Step step)
{
    switch (step) {
    case CodecChain::Step::MessagePack:
        return tr("binary data, extension types, 32-bit floats, keys that are not text, duplicate keys or "
                  "integers beyond 64 bits have no exact JSON form");
    case CodecChain::Step::Cbor:
        return tr("byte strings, tags, keys that are not text, duplicate keys, undefined or 16/32-bit floats have "
                  "no exact JSON form");
    case CodecChain::Step::Protobuf:
        return tr("unknown fields, default values written out, or fields in another order are not kept by "
                  "Protobuf's JSON mapping");
    default:
        return {};
    }
}

} // namespace

QString CodecChain::stepName(Step step)
{
    switch (step) {
    case Step::Base64:
        return tr("Base64");
    case Step::Gzip:
        return tr("gzip");
    case Step::Zlib:
        return tr("zlib");
    case Step::Zstd:
        return tr("zstd");
    case Step::MessagePack:
        return tr("MessagePack");
    case Step::Cbor:
        return tr("CBOR");
    case Step::Protobuf:
        return tr("Protobuf");
    case Step::Json:
        return tr("JSON");
    case Step::Text:
        return tr("text");
    case Step::Bytes:
        return tr("bytes");
    }
    return {};
}

CodecChain CodecChain::decode(const QByteArray &value, const CodecOptions &options)
{
    CodecChain chain = identify(value, options);
    if (!chain.isValid())
        return chain;
    if (chain.m_steps.last() == Step::Bytes) {
        chain.m_readOnlyReason = tr("no decoder fits the bytes after %1: they are shown as hex, which is read-only")
                                     .arg(stepName(chain.m_steps.value(chain.m_steps.size() - 2)));
    } else {
        QByteArray again;
        QString why;
        if (!chain.encodeChain(chain.m_text, true, &again, &why))
            chain.m_readOnlyReason = why;
    }
    return chain;
}

CodecChain CodecChain::identify(const QByteArray &value, const CodecOptions &options)
{
    CodecChain chain;
    chain.m_options = options;
    if (value.isEmpty() || !chain.decodeLayer(value, 0)) {
        const QString why = chain.m_error;
        const bool overLimit = chain.m_overLimit;
        chain = CodecChain();
        chain.m_options = options;
        // Past the cap a decoder did fit: the value is too large, not of an unknown kind.
        chain.m_overLimit = overLimit;
        chain.m_error = value.isEmpty() ? tr("the value is empty")
            : overLimit                 ? why
                                        : tr("no decoder fits: the value is not Base64, gzip, zlib, zstd, "
                                                             "a MessagePack or CBOR map or array, JSON or text%1")
                              .arg(why.isEmpty() ? QString() : u" ("_s + why + u')');
    }
    return chain;
}

bool CodecChain::decodeLayer(const QByteArray &data, int depth)
{
    if (depth >= m_options.maxSteps) {
        m_error = tr("more than %1 steps").arg(m_options.maxSteps);
        return false;
    }
    if (decodeCompressed(data, depth))
        return true;
    if (m_overLimit)
        return false;
    m_layers.append(data);
    if (CodecJson::isJson(data)) {
        m_steps.append(Step::Json);
        m_text = QString::fromUtf8(data);
        return true;
    }
    // Printable text is tried as Base64 first (what it wraps may be anything, a Protobuf message too);
    // no MessagePack or CBOR map or array starts with a byte that begins UTF-8 text.
    QString text;
    const bool printable = isPrintableText(data, &text);
    if (printable) {
        m_layers.removeLast();
        if (decodeBase64(data, depth))
            return true;
        if (m_overLimit)
            return false;
        m_layers.append(data);
    }
    if (decodeStructured(data))
        return true;
    if (printable) {
        m_steps.append(Step::Text);
        m_text = text;
        return true;
    }
    if (depth > 0) {
        m_steps.append(Step::Bytes);
        return true;
    }
    m_layers.removeLast();
    return false;
}

bool CodecChain::decodeCompressed(const QByteArray &data, int depth)
{
    static const struct
    {
        Format format;
        Step step;
    } formats[] = {{Format::Gzip, Step::Gzip}, {Format::Zstd, Step::Zstd}, {Format::Zlib, Step::Zlib}};
    // One cap for all layers: a layer that decompresses to another compressed layer (stored deflate
    // compresses again) would otherwise hold the cap once per layer.
    qsizetype budget = m_options.maxOutputSize - (depth > 0 ? data.size() : 0);
    for (qsizetype i = 1; i < m_layers.size(); ++i)
        budget -= m_layers[i].size();
    for (const auto &format : formats) {
        if (!CodecCompression::looksLike(format.format, data))
            continue;
        QByteArray inner;
        QString error;
        bool overLimit = budget <= 0;
        if (overLimit || !CodecCompression::decompress(format.format, data, budget, &inner, &error, &overLimit)) {
            m_error = overLimit ? tr("%1: decompressed, the value passes the limit of %2 bytes")
                                      .arg(stepName(format.step))
                                      .arg(m_options.maxOutputSize)
                                : tr("%1: %2").arg(stepName(format.step), error);
            // Past the cap the value is refused, not shown as the bytes before it.
            m_overLimit = m_overLimit || overLimit;
            continue;
        }
        m_steps.append(format.step);
        m_layers.append(data);
        if (decodeLayer(inner, depth + 1))
            return true;
        m_steps.removeLast();
        m_layers.removeLast();
    }
    return false;
}

// The last step for a structured format (shown as JSON); data is the last of m_layers.
bool CodecChain::decodeStructured(const QByteArray &data)
{
    QString error;
    if (m_options.hasProtobuf() && m_options.protobuf->toJson(data, m_options.messageType, &m_text, &error)) {
        m_steps.append(Step::Protobuf);
        return true;
    }
    if (m_options.hasProtobuf())
        m_error = error;
    if (CodecMessagePack::decode(data, &m_structured, &error)) {
        m_steps.append(Step::MessagePack);
        m_text = CodecJson::write(m_structured);
        return true;
    }
    QCborParserError cborError;
    const QCborValue cbor = QCborValue::fromCbor(data, &cborError);
    if (cborError.error == QCborError::NoError && cborError.offset == data.size() && (cbor.isMap() || cbor.isArray())) {
        m_structured = cbor;
        m_steps.append(Step::Cbor);
        m_text = CodecJson::write(cbor);
        return true;
    }
    m_structured = QCborValue();
    return false;
}

// Base64 counts only when what it holds is more than plain text or bytes: "abcd" is Base64 too.
bool CodecChain::decodeBase64(const QByteArray &data, int depth)
{
    QByteArray inner;
    if (!fromBase64(data, &inner))
        return false;
    CodecChain rest;
    rest.m_options = m_options;
    const bool decoded = rest.decodeLayer(inner, depth + 1);
    if (rest.m_overLimit) {
        m_overLimit = true;
        m_error = rest.m_error;
        return false;
    }
    if (!decoded
        || (rest.m_steps.size() == 1 && (rest.m_steps.last() == Step::Text || rest.m_steps.last() == Step::Bytes)))
        return false;
    m_steps.append(Step::Base64);
    m_layers.append(data);
    m_steps += rest.m_steps;
    m_layers += rest.m_layers;
    m_structured = rest.m_structured;
    m_text = rest.m_text;
    return true;
}

bool CodecChain::isTransformed() const
{
    return m_steps.size() > 1
        || (m_steps.size() == 1 && m_steps.first() != Step::Json && m_steps.first() != Step::Text);
}

bool CodecChain::isJson() const
{
    return !m_steps.isEmpty() && (m_steps.last() == Step::Json || isStructured(m_steps.last()));
}

QString CodecChain::description() const
{
    if (m_steps.isEmpty())
        return {};
    QStringList names;
    for (const Step step : m_steps)
        names.append(stepName(step));
    QString out = names.join(u" → "_s);
    if (isStructured(m_steps.last()))
        out = tr("%1, shown as JSON").arg(out);
    else if (m_steps.last() == Step::Bytes)
        out = tr("%1, shown as hex").arg(out);
    return out;
}

bool CodecChain::encode(const QString &editedText, QByteArray *value, QString *error) const
{
    if (!isValid()) {
        *error = m_error;
        return false;
    }
    return encodeChain(editedText, false, value, error);
}

bool CodecChain::encodeLast(const QString &text, QByteArray *data, QString *error) const
{
    QCborValue value;
    switch (m_steps.last()) {
    case Step::Json:
        *data = text.toUtf8();
        if (CodecJson::isJson(*data))
            return true;
        return CodecJson::read(text, {}, &value, error); // only for the reason
    case Step::Text:
        *data = text.toUtf8();
        return true;
    case Step::MessagePack:
        if (!CodecJson::read(text, m_structured, &value, error))
            return false;
        *data = CodecMessagePack::encode(value);
        return true;
    case Step::Cbor:
        if (!CodecJson::read(text, m_structured, &value, error))
            return false;
        *data = value.toCbor();
        return true;
    case Step::Protobuf:
        return m_options.protobuf->fromJson(text, m_options.messageType, data, error);
    default:
        *error = tr("bytes shown as hex cannot be edited in the decoded form");
        return false;
    }
}

bool CodecChain::encodeChain(const QString &text, bool exact, QByteArray *value, QString *error) const
{
    QByteArray data;
    if (!encodeLast(text, &data, error))
        return false;
    const Step last = m_steps.last();
    if (exact && isStructured(last) && data != m_layers.last()) {
        *error
            = tr("encoded again, the %1 bytes differ from the stored ones: %2").arg(stepName(last), lostInJson(last));
        return false;
    }
    for (qsizetype i = m_steps.size() - 2; i >= 0; --i) {
        if (m_steps[i] == Step::Base64)
            data = data.toBase64();
        else
            data = CodecCompression::compress(m_steps[i] == Step::Gzip       ? Format::Gzip
                                                  : m_steps[i] == Step::Zlib ? Format::Zlib
                                                                             : Format::Zstd,
                                              data);
    }
    const CodecChain back = identify(data, m_options);
    if (back.m_steps != m_steps) {
        *error = tr("encoded again, the value would read as %1 instead of %2")
                     .arg(back.isValid() ? back.description() : back.errorString(), description());
        return false;
    }
    const bool same = last == Step::Text ? back.m_text == text : CodecJson::sameJson(back.m_text, text);
    if (!same) {
        *error = tr("encoded again with %1, the value does not read back as it is shown").arg(description());
        return false;
    }
    *value = data;
    return true;
}
