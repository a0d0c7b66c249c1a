#pragma once

#include <QtCore/QString>

#include <memory>

class CodecProtobuf;

// How far the decoders may go with one value: the size any decompression may reach (a few bytes of zstd
// or gzip can claim gigabytes: the cap stops a zip bomb before it is in memory), how many steps a chain
// may take, and the user's Protobuf message for the value, if one is mapped to its key.
struct CodecOptions
{
    static constexpr qsizetype defaultMaxOutputSize = qsizetype(64) * 1024 * 1024;

    bool hasProtobuf() const { return protobuf && !messageType.isEmpty(); }

    qsizetype maxOutputSize = defaultMaxOutputSize;
    int maxSteps = 8;
    std::shared_ptr<const CodecProtobuf> protobuf; // the user's .proto files, loaded
    QString messageType;                           // the message a value is, by its full name
};
