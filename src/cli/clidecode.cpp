#include "clidecode.h"

#include "codecchain.h"
#include "codecprotobuf.h"
#include "kvunits.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QStringList>

using namespace Qt::StringLiterals;
using Step = CodecChain::Step;

void CliDecode::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(
        u"decode"_s, tr("Print the value decoded as JSON (Base64, gzip, zlib, zstd, MessagePack, CBOR, JSON, text)")));
    parser->addOption(
        QCommandLineOption(u"proto"_s, tr("Decode values as a Protobuf message of this .proto file"), u"FILE"_s));
    parser->addOption(QCommandLineOption(u"type"_s, tr("The message of --proto, by its full name"), u"MESSAGE"_s));
    // Written out: every get and watch builds this help line, and formatting the size would be the
    // process's first use of floating-point formatting (0.2 ms of a one-shot get).
    static_assert(CodecOptions::defaultMaxOutputSize == qsizetype(64) * 1024 * 1024, "say the new default below");
    parser->addOption(QCommandLineOption(
        u"max-decoded-size"_s,
        tr("The most a value may take once decompressed (default 64 MiB): a zip bomb stops there"), u"SIZE"_s));
}

QString CliDecode::prepare(const QCommandLineParser &parser)
{
    m_enabled = parser.isSet(u"decode"_s) || parser.isSet(u"proto"_s);
    if (parser.isSet(u"type"_s) && !parser.isSet(u"proto"_s))
        return tr("--type names a message of --proto FILE, which is missing");
    if (const QString problem = prepareCap(parser); !problem.isEmpty())
        return problem;
    if (!parser.isSet(u"proto"_s))
        return {};
    auto schema = std::make_shared<CodecProtobuf>();
    QString error;
    if (!schema->load(parser.value(u"proto"_s), {}, &error)) {
        m_moduleFailed = schema->moduleFailed();
        return error;
    }
    const QStringList types = schema->messageTypes();
    QString type = parser.value(u"type"_s);
    if (type.isEmpty() && types.size() == 1)
        type = types.first();
    if (type.isEmpty())
        return tr("--proto %1 defines %2 messages: name one with --type (%3)")
            .arg(parser.value(u"proto"_s))
            .arg(types.size())
            .arg(types.join(u", "_s));
    if (!schema->hasMessage(type))
        return tr("no message %1 in %2 (it defines %3)").arg(type, parser.value(u"proto"_s), types.join(u", "_s));
    m_options.protobuf = schema;
    m_options.messageType = type;
    return {};
}

QString CliDecode::prepareCap(const QCommandLineParser &parser)
{
    if (!parser.isSet(u"max-decoded-size"_s))
        return {};
    if (!m_enabled)
        return tr("--max-decoded-size limits --decode, which is missing");
    qint64 bytes = 0;
    QString error;
    if (!KvUnits::parseSize(parser.value(u"max-decoded-size"_s), &bytes, &error))
        return tr("--max-decoded-size: %1").arg(error);
    if (bytes <= 0)
        return tr("--max-decoded-size must be above zero, not %1").arg(parser.value(u"max-decoded-size"_s));
    m_options.maxOutputSize = bytes;
    return {};
}

bool CliDecode::decode(const QByteArray &value, QString *json, QString *chain, QString *error) const
{
    // The chain without the way back: nothing is edited here.
    const CodecChain decoded = CodecChain::identify(value, m_options);
    if (decoded.isOverLimit()) {
        *error = tr("decompressed, the value passes the cap of %1 (--max-decoded-size)")
                     .arg(KvUnits::iBytes(m_options.maxOutputSize));
        return false;
    }
    if (!decoded.isValid()) {
        *error = decoded.errorString();
        return false;
    }
    const QList<Step> steps = decoded.steps();
    QStringList names;
    for (const Step step : steps)
        names.append(CodecChain::stepName(step));
    if (steps.last() == Step::Bytes) {
        *error = tr("no decoder fits the %1 bytes after %2")
                     .arg(decoded.lastLayer().size())
                     .arg(names.mid(0, names.size() - 1).join(u" → "_s));
        return false;
    }
    if (steps.last() == Step::Text) {
        const QByteArray quoted = QJsonDocument(QJsonArray{decoded.text()}).toJson(QJsonDocument::Compact);
        *json = QString::fromUtf8(quoted.mid(1, quoted.size() - 2));
    } else {
        *json = decoded.text().trimmed();
    }
    *chain = names.join(u" → "_s);
    return true;
}

QString CliDecode::compact(const QString &json)
{
    QString out;
    out.reserve(json.size());
    bool inString = false;
    for (qsizetype i = 0; i < json.size(); ++i) {
        const QChar c = json[i];
        if (inString) {
            out += c;
            if (c == u'\\' && i + 1 < json.size())
                out += json[++i];
            else if (c == u'"')
                inString = false;
        } else if (c == u'"') {
            inString = true;
            out += c;
        } else if (c != u' ' && c != u'\n' && c != u'\r' && c != u'\t') {
            out += c;
        }
    }
    return out;
}
