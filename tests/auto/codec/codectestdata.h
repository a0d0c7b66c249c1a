#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// Encoded data for the decoder tests, made with the libraries themselves (never with kvdesk's codec):
// zlib, libzstd, msgpack-cxx and libprotobuf's reflection.
namespace CodecTestData {

QByteArray gzip(const QByteArray &data);
QByteArray zlib(const QByteArray &data);
QByteArray zstd(const QByteArray &data);
QByteArray zlibStored(const QByteArray &data); // level 0: as big as data, and compressible again
QByteArray gunzip(const QByteArray &data);
QByteArray unzstd(const QByteArray &data);

// {"name": "Ada", "age": 36, "tags": ["x", "y"]} in that key order.
QByteArray messagePackRecord();
// {"z": 1, "a": 2}: keys not sorted.
QByteArray messagePackUnsorted();
// {"blob": <bin 3 bytes>}.
QByteArray messagePackBinary();
// {"f": <float32 1.5>}.
QByteArray messagePackFloat32();
// A map keyed by a map keyed by a map… depth deep, "x" innermost, each value 1.
QByteArray messagePackNestedKeys(int depth);
// The map at data as JSON text written by msgpack-cxx (keys in order).
QString messagePackToJson(const QByteArray &data);

QString protoFile(); // shop.proto beside the test
// shop.Order {id, customer, one item} serialised by protobuf.
QByteArray protobufOrder(qint64 id, const QString &customer, bool withUnknownField = false);
// The field customer of a serialised shop.Order.
QString protobufCustomer(const QByteArray &data);

} // namespace CodecTestData
