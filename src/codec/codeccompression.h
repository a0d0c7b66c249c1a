#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// gzip, zlib and zstd through their libraries (zlib, libzstd), both ways. Decompression is bounded: it
// stops with an error as soon as the output would pass maxOutput bytes, and refuses trailing bytes, so a
// trial decode of something that merely starts like a frame fails.
class CodecCompression final
{
public:
    enum class Format {
        Gzip,
        Zlib,
        Zstd
    };

    // By the magic bytes (gzip 1f 8b, zstd 28 b5 2f fd, zlib's header checksum).
    static bool looksLike(Format format, const QByteArray &data);
    // *overLimit (when given) tells the cap apart from data that is not valid.
    static bool decompress(Format format, const QByteArray &data, qsizetype maxOutput, QByteArray *out, QString *error,
                           bool *overLimit = nullptr);
    static QByteArray compress(Format format, const QByteArray &data);

private:
    static bool inflate(const QByteArray &data, int windowBits, qsizetype maxOutput, QByteArray *out, QString *error);
    static bool zstdDecompress(const QByteArray &data, qsizetype maxOutput, QByteArray *out, QString *error);
    static QByteArray deflate(const QByteArray &data, int windowBits);
};
