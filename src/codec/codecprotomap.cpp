#include "codecprotomap.h"

#include "codecprotobuf.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRegularExpression>
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

QString CodecProtoMap::toText(const QList<Entry> &entries)
{
    QStringList lines;
    for (const Entry &entry : entries)
        lines.append(QStringList{entry.bucket.isEmpty() ? u"*"_s : entry.bucket, entry.keyPattern, entry.messageType,
                                 entry.protoFile}
                         .join(u' '));
    return lines.join(u'\n');
}

bool CodecProtoMap::fromText(const QString &text, QList<Entry> *entries, QString *error)
{
    static const QRegularExpression line(uR"(^\s*(\S+)\s+(\S+)\s+(\S+)\s+(.*\S)\s*$)"_s);
    entries->clear();
    const QStringList lines = text.split(u'\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString trimmed = lines[i].trimmed();
        if (trimmed.isEmpty() || trimmed.startsWith(u'#'))
            continue;
        const QRegularExpressionMatch match = line.match(lines[i]);
        if (!match.hasMatch()) {
            *error = tr("line %1: \"%2\" is not BUCKET KEY-PATTERN MESSAGE FILE").arg(i + 1).arg(trimmed);
            return false;
        }
        entries->append({match.captured(1) == u"*"_s ? QString() : match.captured(1), match.captured(2),
                         match.captured(4), match.captured(3)});
    }
    return true;
}
