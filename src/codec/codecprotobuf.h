#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>

namespace google::protobuf {
class DescriptorPool;
class DynamicMessageFactory;
namespace compiler {
class DiskSourceTree;
class Importer;
class MultiFileErrorCollector;
} // namespace compiler
} // namespace google::protobuf

// The user's own .proto files, read at run time with protobuf's compiler::Importer (no code generated),
// and values of their messages to and from JSON with protobuf's JSON mapping
// (util::MessageToJsonString, util::JsonStringToMessage) through a DynamicMessageFactory.
class CodecProtobuf final
{
public:
    CodecProtobuf();
    ~CodecProtobuf();
    Q_DISABLE_COPY_MOVE(CodecProtobuf)

    // Reads protoFile and what it imports (from its folder, importPaths, and the well-known types of the
    // installed protobuf). False (and *error naming file and line) when it does not compile.
    bool load(const QString &protoFile, const QStringList &importPaths, QString *error);
    bool hasMessage(const QString &messageType) const;
    // Every message the loaded files define, by full name ("shop.Order").
    QStringList messageTypes() const;

    bool toJson(const QByteArray &data, const QString &messageType, QString *json, QString *error) const;
    bool fromJson(const QString &json, const QString &messageType, QByteArray *data, QString *error) const;

private:
    class ErrorCollector;
    std::unique_ptr<ErrorCollector> m_errors;
    std::unique_ptr<google::protobuf::compiler::DiskSourceTree> m_sourceTree;
    std::unique_ptr<google::protobuf::compiler::Importer> m_importer;
    std::unique_ptr<google::protobuf::DynamicMessageFactory> m_factory;
    QStringList m_files;
};
