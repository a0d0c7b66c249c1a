#include "codecprotobuf.h"

#include "codecprotobufschema.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QFileInfo>
#include <QtCore/QLibrary>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecProtobuf", text);
}

// Where the module may be: KVDESK_PROTOBUF_MODULE if set; the build tree's for a program of the build
// tree; else beside an installed program, in its package's folder (lib/kvdesk/modules or
// lib/kvdesk-cli/modules: each package ships one), its own package's first.
QStringList moduleCandidates()
{
    if (const QString forced = qEnvironmentVariable("KVDESK_PROTOBUF_MODULE"); !forced.isEmpty())
        return {forced};
    const QFileInfo program(QFileInfo(u"/proc/self/exe"_s).canonicalFilePath());
    const QString buildTree = QFileInfo(QStringLiteral(KVDESK_BUILD_DIR)).canonicalFilePath(); // (symlinks too)
    if (!buildTree.isEmpty() && program.filePath().startsWith(buildTree + u'/'))
        return {QStringLiteral(KVDESK_PROTOBUF_BUILD_MODULE)};
    const QString libraries = program.absolutePath() + u'/' + QStringLiteral(KVDESK_LIBDIR_FROM_BINDIR);
    QStringList candidates;
    for (const QString &package : {program.fileName(), u"kvdesk"_s, u"kvdesk-cli"_s}) {
        const QString path = libraries + u'/' + package + u"/modules/kvdesk-protobuf.so"_s;
        if (!candidates.contains(path))
            candidates.append(path);
    }
    return candidates;
}

// The module's entry point, loaded once (and never unloaded: libprotobuf keeps global state).
CodecProtobufSchemaCreate moduleEntry(QString *error)
{
    static CodecProtobufSchemaCreate create = nullptr;
    if (create)
        return create;
    QStringList tried;
    for (const QString &path : moduleCandidates()) {
        QLibrary library(path);
        if (!library.load()) {
            tried.append(library.errorString());
            continue;
        }
        create = reinterpret_cast<CodecProtobufSchemaCreate>(library.resolve(kCodecProtobufSchemaCreate));
        if (create)
            return create;
        tried.append(tr("%1 has no %2").arg(path, QLatin1StringView(kCodecProtobufSchemaCreate)));
    }
    *error
        = tr("Protobuf values cannot be decoded: kvdesk's Protobuf module did not load (%1)").arg(tried.join(u"; "_s));
    return nullptr;
}

} // namespace

CodecProtobuf::CodecProtobuf() = default;

CodecProtobuf::~CodecProtobuf() = default;

bool CodecProtobuf::load(const QString &protoFile, const QStringList &importPaths, QString *error)
{
    if (!m_schema) {
        m_moduleFailed = true;
        const CodecProtobufSchemaCreate create = moduleEntry(error);
        if (!create)
            return false;
        m_schema.reset(create(KVDESK_VERSION));
        if (!m_schema) {
            *error = tr("Protobuf values cannot be decoded: kvdesk's Protobuf module is not of version %1")
                         .arg(QLatin1StringView(KVDESK_VERSION));
            return false;
        }
        m_moduleFailed = false;
    }
    return m_schema->load(protoFile, importPaths, error);
}

bool CodecProtobuf::hasMessage(const QString &messageType) const
{
    return m_schema && m_schema->hasMessage(messageType);
}

QStringList CodecProtobuf::messageTypes() const
{
    return m_schema ? m_schema->messageTypes() : QStringList();
}

bool CodecProtobuf::toJson(const QByteArray &data, const QString &messageType, QString *json, QString *error) const
{
    if (!m_schema) {
        *error = tr("no message %1 in the .proto files").arg(messageType);
        return false;
    }
    return m_schema->toJson(data, messageType, json, error);
}

bool CodecProtobuf::fromJson(const QString &json, const QString &messageType, QByteArray *data, QString *error) const
{
    if (!m_schema) {
        *error = tr("no message %1 in the .proto files").arg(messageType);
        return false;
    }
    return m_schema->fromJson(json, messageType, data, error);
}
