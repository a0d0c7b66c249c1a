#include "codecmessagepack.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QCoreApplication>
#include <QtCore/QtEndian>

#include <msgpack.hpp>

#include <bit>
#include <limits>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecMessagePack", text);
}

QCborValue toCbor(const msgpack::object &object)
{
    switch (object.type) {
    case msgpack::type::NIL:
        return QCborValue(nullptr);
    case msgpack::type::BOOLEAN:
        return QCborValue(object.via.boolean);
    case msgpack::type::POSITIVE_INTEGER:
        if (object.via.u64 > quint64(std::numeric_limits<qint64>::max()))
            return QCborValue(double(object.via.u64)); // beyond what a QCborValue integer holds
        return QCborValue(qint64(object.via.u64));
    case msgpack::type::NEGATIVE_INTEGER:
        return QCborValue(qint64(object.via.i64));
    case msgpack::type::FLOAT32:
    case msgpack::type::FLOAT64:
        return QCborValue(object.via.f64);
    case msgpack::type::STR:
        return QCborValue(QString::fromUtf8(object.via.str.ptr, qsizetype(object.via.str.size)));
    case msgpack::type::BIN:
        return QCborValue(QByteArray(object.via.bin.ptr, qsizetype(object.via.bin.size)));
    case msgpack::type::EXT:
        return QCborValue(QByteArray(object.via.ext.data(), qsizetype(object.via.ext.size)));
    case msgpack::type::ARRAY: {
        QCborArray array;
        for (uint32_t i = 0; i < object.via.array.size; ++i)
            array.append(toCbor(object.via.array.ptr[i]));
        return array;
    }
    case msgpack::type::MAP: {
        QCborMap map;
        for (uint32_t i = 0; i < object.via.map.size; ++i)
            map.insert(toCbor(object.via.map.ptr[i].key), toCbor(object.via.map.ptr[i].val));
        return map;
    }
    }
    return {};
}

// msgpack-c's pack_double() writes an integral double as an integer, and its range check lets 2^64 through
// (double(UINT64_MAX) rounds up to it), whose conversion to uint64_t is undefined (UBSan, found by fuzzing
// codecchain). Beyond the shortcut a double is a float64: that one value is written so here.
void packDouble(msgpack::packer<msgpack::sbuffer> &packer, double number)
{
    constexpr double twoTo64 = 18446744073709551616.0;
    if (number != twoTo64) {
        packer.pack_double(number);
        return;
    }
    char float64[9] = {char(0xcb)};
    qToBigEndian(std::bit_cast<quint64>(number), float64 + 1);
    packer.pack_v4raw_body(float64, 9); // raw bytes, as they are
}

void packValue(msgpack::packer<msgpack::sbuffer> &packer, const QCborValue &value)
{
    if (value.isTag()) {
        packValue(packer, value.taggedValue());
    } else if (value.isInteger()) {
        packer.pack_int64(value.toInteger());
    } else if (value.isDouble()) {
        packDouble(packer, value.toDouble());
    } else if (value.isBool()) {
        value.toBool() ? packer.pack_true() : packer.pack_false();
    } else if (value.isString()) {
        const QByteArray text = value.toString().toUtf8();
        packer.pack_str(uint32_t(text.size()));
        packer.pack_str_body(text.constData(), uint32_t(text.size()));
    } else if (value.isByteArray()) {
        const QByteArray bytes = value.toByteArray();
        packer.pack_bin(uint32_t(bytes.size()));
        packer.pack_bin_body(bytes.constData(), uint32_t(bytes.size()));
    } else if (value.isArray()) {
        const QCborArray array = value.toArray();
        packer.pack_array(uint32_t(array.size()));
        for (const QCborValue &item : array)
            packValue(packer, item);
    } else if (value.isMap()) {
        const QCborMap map = value.toMap();
        packer.pack_map(uint32_t(map.size()));
        for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
            packValue(packer, it.key());
            packValue(packer, it.value());
        }
    } else {
        packer.pack_nil();
    }
}

} // namespace

bool CodecMessagePack::decode(const QByteArray &data, QCborValue *value, QString *error)
{
    const quint8 first = data.isEmpty() ? 0 : quint8(data[0]);
    // fixmap, fixarray, array 16/32, map 16/32.
    const bool container = (first >= 0x80 && first <= 0x9f) || (first >= 0xdc && first <= 0xdf);
    if (!container) {
        *error = tr("not a MessagePack map or array");
        return false;
    }
    // Each element takes a byte at least: no count may claim more than the input has (msgpack-cxx would
    // reserve memory for it first), and nesting stays shallow enough for the recursion here.
    const std::size_t most = std::size_t(data.size());
    const msgpack::unpack_limit limit(most, most, most, most, most, 64);
    std::size_t offset = 0;
    try {
        const msgpack::object_handle handle = msgpack::unpack(data.constData(), std::size_t(data.size()), offset,
                                                              nullptr, nullptr, limit);
        if (offset != std::size_t(data.size())) {
            *error = tr("bytes follow the MessagePack value at byte %1").arg(offset);
            return false;
        }
        *value = toCbor(handle.get());
        return true;
    } catch (const std::exception &exception) {
        *error = tr("not valid MessagePack: %1").arg(QString::fromUtf8(exception.what()));
        return false;
    }
}

QByteArray CodecMessagePack::encode(const QCborValue &value)
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    packValue(packer, value);
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}
