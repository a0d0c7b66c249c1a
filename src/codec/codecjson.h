#pragma once

#include <QtCore/QCborValue>
#include <QtCore/QJsonParseError>
#include <QtCore/QString>

// JSON text for the structured values the decoders give (MessagePack and CBOR as QCborValue), keeping the
// order of map keys: QJsonObject sorts them, and a value re-encoded in another order is not the value
// that was stored. Reading parses with Qt (QJsonDocument) and puts the keys back in the order of the
// value that was shown, new keys last.
class CodecJson final
{
public:
    // Indented JSON. What JSON cannot hold is written as near as it can be (bytes as Base64 text, tags
    // as their value, undefined as null); the caller sees it as a difference when encoding back.
    static QString write(const QCborValue &value);
    // text as a value, maps in order's key order where order has the same keys. False (and *error) when
    // text is not one JSON value.
    static bool read(const QString &text, const QCborValue &order, QCborValue *value, QString *error);
    // Whether a and b are the same JSON values (key order aside); false when either is not JSON.
    static bool sameJson(const QString &a, const QString &b);
    static bool isJson(const QByteArray &text);
    // Where Qt's JSON parser found error in text, as an editor counts: "line 3, column 8", both from 1, the
    // column in characters (Qt gives an offset in bytes of UTF-8, so a "é" before it counted twice).
    // prefix: the bytes the parser read before text (the "[" that lets it take a scalar).
    static QString errorPlace(const QByteArray &text, const QJsonParseError &error, qsizetype prefix);

private:
    static void writeValue(const QCborValue &value, int depth, QString *out);
    static QString scalar(const QCborValue &value);
    static QCborValue ordered(const QCborValue &value, const QCborValue &order);
};
