#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QStringList>

// What CodecProtobuf asks of kvdesk's Protobuf module (src/codec/protobuf/, kvdesk-protobuf.so): the
// user's .proto files read with libprotobuf, which comes into a process with the module, at the first
// .proto file, instead of at every start of every program (its static initialisers alone cost about
// 1.7 ms, most of the difference between a `kvdesk-cli get` and nats.go's). The calls are CodecProtobuf's.
class CodecProtobufSchema
{
public:
    virtual ~CodecProtobufSchema() = default;

    virtual bool load(const QString &protoFile, const QStringList &importPaths, QString *error) = 0;
    virtual bool hasMessage(const QString &messageType) const = 0;
    virtual QStringList messageTypes() const = 0;
    virtual bool toJson(const QByteArray &data, const QString &messageType, QString *json, QString *error) const = 0;
    virtual bool fromJson(const QString &json, const QString &messageType, QByteArray *data, QString *error) const = 0;
};

// The module's one entry point: a new schema, or null when the module was built for another version of
// kvdesk than the program's (the two halves share C++ types, so they must come from one build).
using CodecProtobufSchemaCreate = CodecProtobufSchema *(*)(const char *version);
inline constexpr char kCodecProtobufSchemaCreate[] = "kvdesk_protobuf_schema_create";
