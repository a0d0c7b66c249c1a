#include "codectestdata.h"

#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/dynamic_message.h>
#include <msgpack.hpp>
#include <zlib.h>
#include <zstd.h>

#include <map>
#include <memory>
#include <sstream>

using namespace Qt::StringLiterals;
namespace pb = google::protobuf;

namespace {

QByteArray deflateWith(const QByteArray &data, int windowBits, int level = 9)
{
    z_stream stream{};
    deflateInit2(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(qsizetype(deflateBound(&stream, uLong(data.size()))) + 64, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    deflate(&stream, Z_FINISH);
    out.truncate(qsizetype(stream.total_out));
    deflateEnd(&stream);
    return out;
}

QByteArray packed(const msgpack::sbuffer &buffer)
{
    return QByteArray(buffer.data(), qsizetype(buffer.size()));
}

class Errors final : public pb::compiler::MultiFileErrorCollector
{
public:
    void AddError(const std::string &, int, int, const std::string &) override {}
};

// The test's own copy of the schema, loaded once.
struct Schema
{
    Schema()
        : importer(&tree, &errors)
    {
        tree.MapPath("", QFileInfo(CodecTestData::protoFile()).absolutePath().toStdString());
        importer.Import("shop.proto");
        factory = std::make_unique<pb::DynamicMessageFactory>(importer.pool());
    }
    std::unique_ptr<pb::Message> order() const
    {
        return std::unique_ptr<pb::Message>(
            factory->GetPrototype(importer.pool()->FindMessageTypeByName("shop.Order"))->New());
    }
    Errors errors;
    pb::compiler::DiskSourceTree tree;
    pb::compiler::Importer importer;
    std::unique_ptr<pb::DynamicMessageFactory> factory;
};

const Schema &schema()
{
    static const Schema instance;
    return instance;
}

} // namespace

namespace CodecTestData {

QByteArray gzip(const QByteArray &data)
{
    return deflateWith(data, 15 + 16);
}

QByteArray zlib(const QByteArray &data)
{
    return deflateWith(data, 15);
}

QByteArray zlibStored(const QByteArray &data)
{
    return deflateWith(data, 15, 0);
}

QByteArray zstd(const QByteArray &data)
{
    QByteArray out(qsizetype(ZSTD_compressBound(size_t(data.size()))), Qt::Uninitialized);
    out.truncate(qsizetype(ZSTD_compress(out.data(), size_t(out.size()), data.constData(), size_t(data.size()), 19)));
    return out;
}

QByteArray gunzip(const QByteArray &data)
{
    z_stream stream{};
    inflateInit2(&stream, 15 + 16);
    QByteArray out(1 << 20, Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = uInt(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = uInt(out.size());
    inflate(&stream, Z_FINISH);
    out.truncate(qsizetype(stream.total_out));
    inflateEnd(&stream);
    return out;
}

QByteArray unzstd(const QByteArray &data)
{
    QByteArray out(1 << 20, Qt::Uninitialized);
    out.truncate(qsizetype(ZSTD_decompress(out.data(), size_t(out.size()), data.constData(), size_t(data.size()))));
    return out;
}

QByteArray messagePackRecord()
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    packer.pack_map(3);
    packer.pack(std::string("name"));
    packer.pack(std::string("Ada"));
    packer.pack(std::string("age"));
    packer.pack(36);
    packer.pack(std::string("tags"));
    packer.pack(std::vector<std::string>{"x", "y"});
    return packed(buffer);
}

QByteArray messagePackUnsorted()
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    packer.pack_map(2);
    packer.pack(std::string("z"));
    packer.pack(1);
    packer.pack(std::string("a"));
    packer.pack(2);
    return packed(buffer);
}

QByteArray messagePackBinary()
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    packer.pack_map(1);
    packer.pack(std::string("blob"));
    packer.pack_bin(3);
    packer.pack_bin_body("\x01\x02\x03", 3);
    return packed(buffer);
}

QByteArray messagePackFloat32()
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    packer.pack_map(1);
    packer.pack(std::string("f"));
    packer.pack_float(1.5f);
    return packed(buffer);
}

QByteArray messagePackNestedKeys(int depth)
{
    msgpack::sbuffer buffer;
    msgpack::packer<msgpack::sbuffer> packer(buffer);
    for (int i = 0; i < depth; ++i)
        packer.pack_map(1);
    packer.pack(std::string("x"));
    for (int i = 0; i < depth; ++i)
        packer.pack(1);
    return packed(buffer);
}

QString messagePackToJson(const QByteArray &data)
{
    const msgpack::object_handle handle = msgpack::unpack(data.constData(), std::size_t(data.size()));
    std::ostringstream out;
    out << handle.get();
    return QString::fromStdString(out.str());
}

QString protoFile()
{
    return QString::fromUtf8(qgetenv("KVDESK_SOURCE_DIR")) + u"/tests/auto/codec/shop.proto"_s;
}

QByteArray protobufOrder(qint64 id, const QString &customer, bool withUnknownField)
{
    const std::unique_ptr<pb::Message> order = schema().order();
    const pb::Reflection *reflection = order->GetReflection();
    const pb::Descriptor *descriptor = order->GetDescriptor();
    reflection->SetInt64(order.get(), descriptor->FindFieldByName("id"), id);
    reflection->SetString(order.get(), descriptor->FindFieldByName("customer"), customer.toStdString());
    pb::Message *item = reflection->AddMessage(order.get(), descriptor->FindFieldByName("items"));
    item->GetReflection()->SetString(item, item->GetDescriptor()->FindFieldByName("sku"), "A-1");
    item->GetReflection()->SetInt32(item, item->GetDescriptor()->FindFieldByName("count"), 2);
    std::string out;
    order->SerializeToString(&out);
    if (withUnknownField)
        out += std::string("\xa8\x06\x07", 3); // field 101, varint 7: not in shop.proto
    return QByteArray::fromStdString(out);
}

QString protobufCustomer(const QByteArray &data)
{
    const std::unique_ptr<pb::Message> order = schema().order();
    if (!order->ParseFromArray(data.constData(), int(data.size())))
        return u"<not an Order>"_s;
    return QString::fromStdString(
        order->GetReflection()->GetString(*order, order->GetDescriptor()->FindFieldByName("customer")));
}

} // namespace CodecTestData
