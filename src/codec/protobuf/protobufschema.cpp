#include "codecprotobufschema.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

using namespace Qt::StringLiterals;
namespace pb = google::protobuf;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecProtobuf", text);
}

std::string local(const QString &path)
{
    return QFile::encodeName(path).toStdString();
}

// Where the installed protobuf keeps google/protobuf/*.proto (timestamp, any, struct…).
QString wellKnownTypes()
{
    for (const QString &folder : {u"/usr/include"_s, u"/usr/local/include"_s}) {
        if (QFileInfo::exists(folder + u"/google/protobuf/timestamp.proto"_s))
            return folder;
    }
    return {};
}

// The first compile error, with its file, line and column.
class ErrorCollector final : public pb::compiler::MultiFileErrorCollector
{
public:
    void AddError(const std::string &filename, int line, int column, const std::string &message) override
    {
        if (m_first.isEmpty())
            m_first = tr("%1:%2:%3: %4")
                          .arg(QString::fromStdString(filename))
                          .arg(line + 1)
                          .arg(column + 1)
                          .arg(QString::fromStdString(message));
    }
    QString first() const { return m_first; }

private:
    QString m_first;
};

// The user's own .proto files, read at run time with protobuf's compiler::Importer (no code generated),
// and values of their messages to and from JSON with protobuf's JSON mapping
// (util::MessageToJsonString, util::JsonStringToMessage) through a DynamicMessageFactory.
class ProtobufSchema final : public CodecProtobufSchema
{
public:
    bool load(const QString &protoFile, const QStringList &importPaths, QString *error) override;
    bool hasMessage(const QString &messageType) const override;
    QStringList messageTypes() const override;
    // An empty message of that type, or null (and *error) when no loaded file defines it.
    std::unique_ptr<pb::Message> newMessage(const QString &messageType, QString *error) const;
    bool toJson(const QByteArray &data, const QString &messageType, QString *json, QString *error) const override;
    bool fromJson(const QString &json, const QString &messageType, QByteArray *data, QString *error) const override;

private:
    ErrorCollector m_errors;
    pb::compiler::DiskSourceTree m_sourceTree;
    std::unique_ptr<pb::compiler::Importer> m_importer;
    std::unique_ptr<pb::DynamicMessageFactory> m_factory;
    QStringList m_files;
};

} // namespace

extern "C" Q_DECL_EXPORT CodecProtobufSchema *kvdesk_protobuf_schema_create(const char *version)
{
    return qstrcmp(version, KVDESK_VERSION) == 0 ? new ProtobufSchema : nullptr;
}

bool ProtobufSchema::load(const QString &protoFile, const QStringList &importPaths, QString *error)
{
    const QFileInfo info(protoFile);
    if (!info.isFile()) {
        *error = tr("the .proto file %1 does not exist").arg(protoFile);
        return false;
    }
    m_sourceTree.MapPath("", local(info.absolutePath()));
    for (const QString &path : importPaths)
        m_sourceTree.MapPath("", local(QDir(path).absolutePath()));
    const QString wellKnown = wellKnownTypes();
    if (!wellKnown.isEmpty())
        m_sourceTree.MapPath("", local(wellKnown));
    if (!m_importer)
        m_importer = std::make_unique<pb::compiler::Importer>(&m_sourceTree, &m_errors);
    if (!m_importer->Import(local(info.fileName()))) {
        *error = tr("%1 does not compile: %2").arg(protoFile, m_errors.first());
        return false;
    }
    m_files.append(info.fileName());
    if (!m_factory)
        m_factory = std::make_unique<pb::DynamicMessageFactory>(m_importer->pool());
    return true;
}

bool ProtobufSchema::hasMessage(const QString &messageType) const
{
    return m_importer && m_importer->pool()->FindMessageTypeByName(messageType.toStdString());
}

QStringList ProtobufSchema::messageTypes() const
{
    QStringList names;
    if (!m_importer)
        return names;
    for (const QString &file : m_files) {
        const pb::FileDescriptor *descriptor = m_importer->pool()->FindFileByName(local(file));
        for (int i = 0; descriptor && i < descriptor->message_type_count(); ++i)
            names.append(QString::fromStdString(descriptor->message_type(i)->full_name()));
    }
    return names;
}

std::unique_ptr<pb::Message> ProtobufSchema::newMessage(const QString &messageType, QString *error) const
{
    const pb::Descriptor *descriptor = m_importer ? m_importer->pool()->FindMessageTypeByName(messageType.toStdString())
                                                  : nullptr;
    if (!descriptor) {
        *error = tr("no message %1 in the .proto files").arg(messageType);
        return nullptr;
    }
    return std::unique_ptr<pb::Message>(m_factory->GetPrototype(descriptor)->New());
}

bool ProtobufSchema::toJson(const QByteArray &data, const QString &messageType, QString *json, QString *error) const
{
    const std::unique_ptr<pb::Message> message = newMessage(messageType, error);
    if (!message)
        return false;
    if (!message->ParseFromArray(data.constData(), int(data.size()))) {
        *error = tr("not a %1 message").arg(messageType);
        return false;
    }
    pb::util::JsonPrintOptions options;
    options.add_whitespace = true;
    options.preserve_proto_field_names = true;
    std::string out;
    const auto status = pb::util::MessageToJsonString(*message, &out, options);
    if (!status.ok()) {
        *error = tr("%1 as JSON: %2").arg(messageType, QString::fromStdString(status.ToString()));
        return false;
    }
    *json = QString::fromStdString(out).trimmed();
    return true;
}

bool ProtobufSchema::fromJson(const QString &json, const QString &messageType, QByteArray *data, QString *error) const
{
    const std::unique_ptr<pb::Message> message = newMessage(messageType, error);
    if (!message)
        return false;
    const auto status = pb::util::JsonStringToMessage(json.toStdString(), message.get());
    if (!status.ok()) {
        *error = tr("not a %1 in JSON: %2").arg(messageType, QString::fromStdString(status.ToString()));
        return false;
    }
    std::string out;
    message->SerializeToString(&out);
    *data = QByteArray::fromStdString(out);
    return true;
}
