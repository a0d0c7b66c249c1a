#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <memory>

class CodecProtobufSchema;

// The user's own .proto files, read at run time with protobuf's compiler::Importer (no code generated),
// and values of their messages to and from JSON with protobuf's JSON mapping. The work is done by
// kvdesk's Protobuf module (CodecProtobufSchema), loaded with libprotobuf at the first load(): a program
// that never reads a .proto file never maps libprotobuf.
class CodecProtobuf final
{
public:
    CodecProtobuf();
    ~CodecProtobuf();
    Q_DISABLE_COPY_MOVE(CodecProtobuf)

    // Reads protoFile and what it imports (from its folder, importPaths, and the well-known types of the
    // installed protobuf). False (and *error naming file and line) when it does not compile, or when the
    // Protobuf module cannot be loaded (*error says where it was looked for).
    bool load(const QString &protoFile, const QStringList &importPaths, QString *error);
    // Whether the last load() failed for the module (missing, broken, of another version): a fault of
    // the installation, not of the .proto file.
    bool moduleFailed() const { return m_moduleFailed; }
    bool hasMessage(const QString &messageType) const;
    // Every message the loaded files define, by full name ("shop.Order").
    QStringList messageTypes() const;

    bool toJson(const QByteArray &data, const QString &messageType, QString *json, QString *error) const;
    bool fromJson(const QString &json, const QString &messageType, QByteArray *data, QString *error) const;

private:
    std::unique_ptr<CodecProtobufSchema> m_schema; // made by the module at the first load()
    bool m_moduleFailed = false;
};
