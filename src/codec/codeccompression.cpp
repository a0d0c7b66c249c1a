#include "codeccompression.h"

#include <QtCore/QCoreApplication>

#include <zlib.h>
#include <zstd.h>

#include <algorithm>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecCompression", text);
}

constexpr qsizetype chunkSize = 64 * 1024;

QString tooBig(qsizetype maxOutput)
{
    return tr("decompressed, the value passes the limit of %1 bytes").arg(maxOutput);
}

} // namespace

bool CodecCompression::looksLike(Format format, const QByteArray &data)
{
    switch (format) {
    case Format::Gzip:
        return data.startsWith("\x1f\x8b");
    case Format::Zstd:
        return data.startsWith("\x28\xb5\x2f\xfd");
    case Format::Zlib: {
        // RFC 1950: deflate (CM 8), a window of at most 32 KiB, and the header a multiple of 31.
        if (data.size() < 2)
            return false;
        const int cmf = quint8(data[0]);
        const int flg = quint8(data[1]);
        return (cmf & 0x0f) == 8 && (cmf >> 4) <= 7 && (cmf * 256 + flg) % 31 == 0;
    }
    }
    return false;
}

bool CodecCompression::decompress(Format format, const QByteArray &data, qsizetype maxOutput, QByteArray *out,
                                  QString *error, bool *overLimit)
{
    bool ok = false;
    switch (format) {
    case Format::Gzip:
        ok = inflate(data, 15 + 16, maxOutput, out, error);
        break;
    case Format::Zlib:
        ok = inflate(data, 15, maxOutput, out, error);
        break;
    case Format::Zstd:
        ok = zstdDecompress(data, maxOutput, out, error);
        break;
    }
    if (overLimit)
        *overLimit = !ok && *error == tooBig(maxOutput);
    return ok;
}

QByteArray CodecCompression::compress(Format format, const QByteArray &data)
{
    switch (format) {
    case Format::Gzip:
        return deflate(data, 15 + 16);
    case Format::Zlib:
        return deflate(data, 15);
    case Format::Zstd: {
        QByteArray out(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
        const size_t written = ZSTD_compress(out.data(), size_t(out.size()), data.constData(), size_t(data.size()), 3);
        if (ZSTD_isError(written))
            return {};
        out.truncate(qsizetype(written));
        return out;
    }
    }
    return {};
}

bool CodecCompression::inflate(const QByteArray &data, int windowBits, qsizetype maxOutput, QByteArray *out,
                               QString *error)
{
    z_stream stream{};
    if (inflateInit2(&stream, windowBits) != Z_OK) {
        *error = tr("zlib could not start");
        return false;
    }
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    QByteArray result;
    int status = Z_OK;
    while (status == Z_OK) {
        const qsizetype done = result.size();
        const qsizetype room = std::min(chunkSize, maxOutput - done + 1); // one byte more shows the overflow
        result.resize(done + room);
        stream.next_out = reinterpret_cast<Bytef *>(result.data() + done);
        stream.avail_out = uInt(room);
        status = ::inflate(&stream, Z_NO_FLUSH);
        result.resize(done + room - qsizetype(stream.avail_out));
        if (result.size() > maxOutput) {
            inflateEnd(&stream);
            *error = tooBig(maxOutput);
            return false;
        }
        if (status == Z_BUF_ERROR && stream.avail_in == 0)
            break; // the input ends before the stream does
    }
    const bool complete = status == Z_STREAM_END && stream.avail_in == 0;
    const char *message = stream.msg;
    inflateEnd(&stream);
    if (!complete) {
        *error = status == Z_STREAM_END
            ? tr("bytes follow the compressed data")
            : tr("not valid compressed data: %1").arg(message ? QString::fromUtf8(message) : tr("truncated"));
        return false;
    }
    *out = result;
    return true;
}

bool CodecCompression::zstdDecompress(const QByteArray &data, qsizetype maxOutput, QByteArray *out, QString *error)
{
    ZSTD_DCtx *context = ZSTD_createDCtx();
    ZSTD_inBuffer input{data.constData(), size_t(data.size()), 0};
    QByteArray result;
    size_t status = 1;
    while (input.pos < input.size || status != 0) {
        const qsizetype done = result.size();
        const qsizetype room = std::min(chunkSize, maxOutput - done + 1);
        result.resize(done + room);
        ZSTD_outBuffer output{result.data() + done, size_t(room), 0};
        const size_t before = input.pos;
        status = ZSTD_decompressStream(context, &output, &input);
        result.resize(done + qsizetype(output.pos));
        if (ZSTD_isError(status)) {
            *error = tr("not valid zstd data: %1").arg(QString::fromUtf8(ZSTD_getErrorName(status)));
            break;
        }
        if (result.size() > maxOutput) {
            *error = tooBig(maxOutput);
            status = size_t(-1);
            break;
        }
        if (output.pos == 0 && input.pos == before) {
            *error = tr("not valid zstd data: truncated");
            status = size_t(-1);
            break;
        }
    }
    ZSTD_freeDCtx(context);
    if (status != 0)
        return false;
    *out = result;
    return true;
}

QByteArray CodecCompression::deflate(const QByteArray &data, int windowBits)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    const int status = ::deflate(&stream, Z_FINISH);
    out.truncate(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return status == Z_STREAM_END ? out : QByteArray();
}
