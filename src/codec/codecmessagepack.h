#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QCborValue>
#include <QtCore/QString>

// MessagePack through msgpack-cxx, to and from QCborValue (which keeps what JSON would lose: the order of
// map keys, integers apart from floats, binary data). Only a map or an array, taking all the bytes, counts
// as MessagePack: nearly any single byte is a valid MessagePack number.
class CodecMessagePack final
{
public:
    static bool decode(const QByteArray &data, QCborValue *value, QString *error);
    static QByteArray encode(const QCborValue &value);
};
