#pragma once

#include "kvbucketconfig.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QStringList>

#include <optional>

class QCommandLineParser;
struct KvBucketStatus;

// The bucket settings of nats-server 2.10 and 2.11+ for `add` and `edit`, as natscli names them:
// --marker-ttl (limit markers and per-key TTLs, 2.11+), --compression s2|none and --metadata KEY=VALUE
// (2.10+), --mirror BUCKET and --source BUCKET (KV sourcing with subject transforms on 2.10+); and how
// `info`, `ls` and --json show them. Whether the server has them is the library's to check
// (KvContext refuses before sending).
class CliBucketFeatures
{
    Q_DECLARE_TR_FUNCTIONS(CliBucketFeatures)

public:
    // edit: also --remove-metadata KEY (a new bucket has none to remove).
    static void addOptions(QCommandLineParser *parser, bool edit);
    // Reads the flags; returns the usage problem or an empty string.
    QString read(const QCommandLineParser &parser);
    // config with the flags given applied (edit keeps what is not given: --metadata sets or replaces
    // the keys it names, --remove-metadata takes keys out, the other keys stay).
    KvBucketConfig applied(KvBucketConfig config) const;
    // Why the flags cannot be applied to the bucket's current config (a key to remove that it does not
    // have), or an empty string.
    QString problemWith(const KvBucketConfig &current) const;

    // Rows for `info` (label, value), after the 2.9 ones.
    static QList<QPair<QString, QString>> infoRows(const KvBucketStatus &status);
    // Fields for --json: marker_ttl (ns), allow_msg_ttl, compression, metadata, server_metadata, mirror,
    // sources.
    static void addJson(QJsonObject *object, const KvBucketStatus &status);

private:
    QString readMetadata(const QCommandLineParser &parser);

    std::optional<qint64> m_markerTtlMs;
    std::optional<bool> m_compressed;
    QMap<QString, QString> m_metadata; // set or replaced
    QStringList m_removedMetadata;
    std::optional<QString> m_mirror;
    std::optional<QStringList> m_sources;
};
