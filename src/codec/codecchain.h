#pragma once

#include "codecoptions.h"

#include <QtCore/QByteArray>
#include <QtCore/QCborValue>
#include <QtCore/QList>
#include <QtCore/QString>

// A value's decoders, found by magic bytes and trial decodes and chained: Base64 → gzip/zlib → zstd →
// MessagePack/CBOR/Protobuf/JSON/text ("zstd → MessagePack, shown as JSON"), and the way back: text in
// the decoded form encoded again with the same chain. Decoding back what was encoded must give what was
// shown, and the structured layer (MessagePack, CBOR, Protobuf) must come out byte for byte as it was
// stored; otherwise the decoded form is read-only and readOnlyReason() says why.
class CodecChain final
{
public:
    enum class Step {
        Base64,
        Gzip,
        Zlib,
        Zstd,
        MessagePack,
        Cbor,
        Protobuf,
        Json, // the last step: what is shown
        Text,
        Bytes // no decoder fits what the steps before gave: shown as hex
    };

    static QString stepName(Step step);
    static CodecChain decode(const QByteArray &value, const CodecOptions &options = {});
    // The chain alone, without trying the way back (isEditable() is not known): for choosing a view.
    static CodecChain identify(const QByteArray &value, const CodecOptions &options = {});

    // Some decoder fits the value; otherwise errorString() says why none does.
    bool isValid() const { return !m_steps.isEmpty(); }
    QString errorString() const { return m_error; }
    // The value was refused because decompressing it passed CodecOptions::maxOutputSize.
    bool isOverLimit() const { return m_overLimit; }
    QList<Step> steps() const { return m_steps; }
    // More than the value as it is (plain JSON or text): a Base64, compression or structured step.
    bool isTransformed() const;
    bool isJson() const;
    // "zstd → MessagePack, shown as JSON".
    QString description() const;
    // The decoded value as shown: JSON, text, or a hex dump of bytes.
    QString text() const { return m_text; }
    // The bytes the last step read (the input of the JSON, text or hex).
    QByteArray lastLayer() const { return m_layers.value(m_layers.size() - 1); }

    bool isEditable() const { return isValid() && m_readOnlyReason.isEmpty(); }
    QString readOnlyReason() const { return m_readOnlyReason; }
    // editedText encoded with the same chain; false (and *error) when it is not valid for the last step,
    // or would not decode back to what it says.
    bool encode(const QString &editedText, QByteArray *value, QString *error) const;

private:
    bool decodeLayer(const QByteArray &data, int depth);
    bool decodeCompressed(const QByteArray &data, int depth);
    bool decodeStructured(const QByteArray &data);
    bool decodeBase64(const QByteArray &data, int depth);
    bool encodeLast(const QString &text, QByteArray *data, QString *error) const;
    bool encodeChain(const QString &text, bool exact, QByteArray *value, QString *error) const;

    CodecOptions m_options;
    QList<Step> m_steps;
    QList<QByteArray> m_layers; // m_layers[i]: what step i decoded
    QCborValue m_structured;    // MessagePack or CBOR as decoded: the order of its keys
    QString m_text;
    QString m_error;
    QString m_readOnlyReason;
    bool m_overLimit = false; // a decompression passed maxOutputSize
};
