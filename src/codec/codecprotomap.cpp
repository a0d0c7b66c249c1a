#include "codecprotomap.h"

#include "codecprotobuf.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("CodecProtoMap", text);
}

} // namespace

CodecProtoMap::CodecProtoMap(const QList<Entry> &entries)
    : m_entries(entries)
{
}

bool CodecProtoMap::matches(const QString &pattern, const QString &key)
{
    const QStringList want = pattern.split(u'.');
    const QStringList have = key.split(u'.');
    for (qsizetype i = 0; i < want.size(); ++i) {
        if (want[i] == u">"_s)
            return i + 1 == want.size() && have.size() > i;
        if (i >= have.size() || (want[i] != u"*"_s && want[i] != have[i]))
            return false;
    }
    return want.size() == have.size();
}

CodecOptions CodecProtoMap::optionsFor(const QString &bucket, const QString &key, QString *error) const
{
    CodecOptions options;
    for (const Entry &entry : m_entries) {
        if ((!entry.bucket.isEmpty() && entry.bucket != bucket) || !matches(entry.keyPattern, key))
            continue;
        if (!m_loaded.contains(entry.protoFile) && !m_failed.contains(entry.protoFile)) {
            auto schema = std::make_shared<CodecProtobuf>();
            QString why;
            if (schema->load(entry.protoFile, {}, &why))
                m_loaded.insert(entry.protoFile, schema);
            else
                m_failed.insert(entry.protoFile, why);
        }
        const std::shared_ptr<const CodecProtobuf> schema = m_loaded.value(entry.protoFile);
        if (!schema) {
            *error = m_failed.value(entry.protoFile);
        } else if (!schema->hasMessage(entry.messageType)) {
            *error = tr("no message %1 in %2").arg(entry.messageType, entry.protoFile);
        } else {
            options.protobuf = schema;
            options.messageType = entry.messageType;
        }
        return options;
    }
    return options;
}
