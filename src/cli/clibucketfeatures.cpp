#include "clibucketfeatures.h"

#include "kvbucketstatus.h"
#include "kvnames.h"
#include "kvunits.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

namespace {

QString sourceName(const JsStreamSource &source)
{
    return KvNames::sourceBucket(source.name);
}

} // namespace

void CliBucketFeatures::addOptions(QCommandLineParser *parser, bool edit)
{
    if (edit) {
        parser->addOption(QCommandLineOption(u"remove-metadata"_s,
                                             tr("Remove this key from the bucket's metadata, repeatable"), u"KEY"_s));
    }
    parser->addOptions({
        QCommandLineOption(u"marker-ttl"_s,
                           tr("Enables per-key TTLs and limit markers: how long a marker stays when a key "
                              "expires or is removed by a limit (at least 1s; nats-server 2.11+)"),
                           u"DURATION"_s),
        QCommandLineOption(u"compression"_s, tr("Compress the stored values: s2 or none (nats-server 2.10+)"),
                           u"s2|none"_s),
        QCommandLineOption(u"metadata"_s,
                           tr("Set a metadata key of the bucket, repeatable; other keys stay (nats-server 2.10+)"),
                           u"KEY=VALUE"_s),
        QCommandLineOption(u"mirror"_s,
                           tr("Make the bucket a mirror of another bucket (only when it is made; writes through it go "
                              "to that bucket)"),
                           u"BUCKET"_s),
        QCommandLineOption(u"source"_s, tr("Collect the keys of another bucket, repeatable"), u"BUCKET"_s),
    });
}

QString CliBucketFeatures::read(const QCommandLineParser &parser)
{
    if (parser.isSet(u"marker-ttl"_s)) {
        qint64 ns = 0;
        QString problem;
        if (!KvUnits::parseDuration(parser.value(u"marker-ttl"_s), &ns, &problem))
            return u"--marker-ttl: "_s + problem;
        if (ns != 0 && ns < KvUnits::NsPerSecond)
            return tr("--marker-ttl must be at least 1 second (the server's minimum), not \"%1\"")
                .arg(parser.value(u"marker-ttl"_s));
        m_markerTtlMs = ns / KvUnits::NsPerMs;
    }
    if (parser.isSet(u"compression"_s)) {
        const QString value = parser.value(u"compression"_s).toLower();
        if (value != "s2"_L1 && value != "none"_L1)
            return tr("--compression must be s2 or none, not \"%1\"").arg(parser.value(u"compression"_s));
        m_compressed = value == "s2"_L1;
    }
    if (const QString problem = readMetadata(parser); !problem.isEmpty())
        return problem;
    QStringList buckets;
    if (parser.isSet(u"mirror"_s))
        buckets.append(parser.value(u"mirror"_s));
    if (parser.isSet(u"source"_s))
        buckets.append(parser.values(u"source"_s));
    for (const QString &bucket : std::as_const(buckets)) {
        QString name = bucket;
        if (name.startsWith("KV_"_L1))
            name = name.mid(3);
        if (const QString problem = KvNames::validateBucketName(name); !problem.isEmpty())
            return problem;
    }
    if (parser.isSet(u"mirror"_s))
        m_mirror = parser.value(u"mirror"_s);
    if (parser.isSet(u"source"_s))
        m_sources = parser.values(u"source"_s);
    return {};
}

KvBucketConfig CliBucketFeatures::applied(KvBucketConfig config) const
{
    if (m_markerTtlMs)
        config.markerTtlMs = *m_markerTtlMs;
    if (m_compressed)
        config.compressed = *m_compressed;
    for (const QString &key : m_removedMetadata)
        config.metadata.remove(key);
    for (auto it = m_metadata.cbegin(); it != m_metadata.cend(); ++it)
        config.metadata.insert(it.key(), it.value());
    if (m_mirror) {
        config.mirror = JsStreamSource();
        config.mirror.name = *m_mirror;
    }
    if (m_sources) {
        config.sources.clear();
        for (const QString &name : *m_sources) {
            JsStreamSource source;
            source.name = name;
            config.sources.append(source);
        }
    }
    return config;
}

QString CliBucketFeatures::readMetadata(const QCommandLineParser &parser)
{
    for (const QString &pair : parser.values(u"metadata"_s)) {
        const qsizetype equals = pair.indexOf(u'=');
        if (equals <= 0)
            return tr("--metadata takes KEY=VALUE, not \"%1\"").arg(pair);
        m_metadata.insert(pair.left(equals), pair.mid(equals + 1));
    }
    const bool edit = parser.optionNames().contains(u"remove-metadata"_s);
    for (const QString &key : edit ? parser.values(u"remove-metadata"_s) : QStringList()) {
        if (key.isEmpty() || key.contains(u'='))
            return tr("--remove-metadata takes a KEY, not \"%1\"").arg(key);
        if (key.startsWith("_nats."_L1))
            return tr("--remove-metadata: metadata key \"%1\" is the server's (_nats.), not the bucket's").arg(key);
        if (m_metadata.contains(key))
            return tr("--metadata and --remove-metadata both name \"%1\"").arg(key);
        m_removedMetadata.append(key);
    }
    return {};
}

QString CliBucketFeatures::problemWith(const KvBucketConfig &current) const
{
    for (const QString &key : m_removedMetadata) {
        if (!current.metadata.contains(key))
            return tr("bucket \"%1\" has no metadata key \"%2\" to remove").arg(current.bucket, key);
    }
    return {};
}

QList<QPair<QString, QString>> CliBucketFeatures::infoRows(const KvBucketStatus &status)
{
    const KvBucketConfig &config = status.config;
    QList<QPair<QString, QString>> rows;
    rows.append({tr("Per-Key TTL Supported"), config.allowsKeyTtl() ? tr("true") : tr("false")});
    if (config.markerTtlMs > 0)
        rows.append({tr("Limit Marker TTL"), KvUnits::humanizeDuration(config.markerTtlMs * KvUnits::NsPerMs)});
    rows.append({tr("Compressed"), config.compressed ? tr("true") : tr("false")});
    for (auto it = config.metadata.cbegin(); it != config.metadata.cend(); ++it)
        rows.append({tr("Metadata %1").arg(it.key()), it.value()});
    for (auto it = status.serverMetadata.cbegin(); it != status.serverMetadata.cend(); ++it)
        rows.append({tr("Server Metadata %1").arg(it.key()), it.value()});
    if (!config.mirror.isEmpty())
        rows.append({tr("Mirror"), sourceName(config.mirror)});
    for (const JsStreamSource &source : config.sources)
        rows.append({tr("Source"), sourceName(source)});
    return rows;
}

void CliBucketFeatures::addJson(QJsonObject *object, const KvBucketStatus &status)
{
    const KvBucketConfig &config = status.config;
    object->insert(u"marker_ttl"_s, config.markerTtlMs * KvUnits::NsPerMs);
    object->insert(u"allow_msg_ttl"_s, config.allowsKeyTtl());
    object->insert(u"compression"_s, config.compressed ? u"s2"_s : u"none"_s);
    const auto toJson = [](const QMap<QString, QString> &map) {
        QJsonObject json;
        for (auto it = map.cbegin(); it != map.cend(); ++it)
            json.insert(it.key(), it.value());
        return json;
    };
    object->insert(u"metadata"_s, toJson(config.metadata));
    object->insert(u"server_metadata"_s, toJson(status.serverMetadata));
    if (!config.mirror.isEmpty())
        object->insert(u"mirror"_s, sourceName(config.mirror));
    if (!config.sources.isEmpty()) {
        QJsonArray sources;
        for (const JsStreamSource &source : config.sources)
            sources.append(sourceName(source));
        object->insert(u"sources"_s, sources);
    }
}
