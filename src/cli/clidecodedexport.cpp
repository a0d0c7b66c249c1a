#include "clidecodedexport.h"

#include "kventry.h"
#include "kvndjson.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

QByteArray jsonString(const QString &text)
{
    const QByteArray quoted = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return quoted.mid(1, quoted.size() - 2);
}

} // namespace

CliDecodedExport::CliDecodedExport(QIODevice *target, const CliDecode *decode, QObject *parent)
    : QIODevice(parent)
    , m_target(target)
    , m_decode(decode)
{
    open(QIODevice::WriteOnly);
}

qint64 CliDecodedExport::readData(char *, qint64)
{
    return -1;
}

qint64 CliDecodedExport::writeData(const char *data, qint64 size)
{
    m_pending.append(data, qsizetype(size));
    qsizetype end;
    while ((end = m_pending.indexOf('\n')) >= 0) {
        const QByteArray line = decodedLine(m_pending.left(end)) + '\n';
        m_pending.remove(0, end + 1);
        if (m_target->write(line) != line.size()) {
            setErrorString(m_target->errorString());
            return -1;
        }
    }
    return size;
}

QByteArray CliDecodedExport::decodedLine(const QByteArray &line)
{
    KvEntry entry;
    QString error;
    // The job writes one JSON object a line: the fields go in before its closing brace, the key order of
    // the decoded value kept (a QJsonObject would sort it).
    if (!KvNdjson::decode(line, &entry, &error) || entry.operation != KvEntry::Operation::Put || !line.endsWith('}'))
        return line;
    QString json;
    QString chain;
    QByteArray fields;
    if (m_decode->decode(entry.value, &json, &chain, &error)) {
        fields = ",\"decoders\":" + jsonString(chain) + ",\"decoded\":" + CliDecode::compact(json).toUtf8();
    } else {
        if (m_undecoded.isEmpty())
            m_firstReason = error;
        m_undecoded.append(entry.key);
        fields = ",\"decode_error\":" + jsonString(error);
    }
    return line.left(line.size() - 1) + fields + '}';
}
