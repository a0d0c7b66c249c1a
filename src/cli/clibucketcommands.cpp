#include "clibucketcommands.h"

#include "clijson.h"
#include "clioutput.h"
#include "clitable.h"
#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvbucketstatus.h"
#include "kvcontext.h"
#include "kvformat.h"
#include "kvkeylister.h"
#include "kvnames.h"
#include "kvndjson.h"
#include "kvunits.h"
#include "natsconnection.h"

#include <QtCore/QCommandLineParser>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

QString ttlText(qint64 ttlMs)
{
    return ttlMs > 0 ? KvUnits::humanizeDuration(ttlMs * KvUnits::NsPerMs) : u"unlimited"_s;
}

QString limitText(qint64 bytes)
{
    return bytes < 0 ? u"unlimited"_s : KvUnits::iBytes(bytes);
}

// Go's StorageType String(): "File", "Memory".
QString storageText(KvBucketConfig::Storage storage)
{
    return storage == KvBucketConfig::Storage::Memory ? u"Memory"_s : u"File"_s;
}

} // namespace

// ---- ls --------------------------------------------------------------------------------------------

LsCommand::LsCommand(QObject *parent)
    : CliCommand({u"ls"_s,
                  {u"list"_s},
                  tr("List buckets, or the keys of a bucket (streamed)"),
                  u"[BUCKET] [FILTER...]"_s,
                  0,
                  -1},
                 parent)
{
}

void LsCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption({u"n"_s, u"names"_s}, tr("Show just the bucket names")));
}

QString LsCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_namesOnly = parser.isSet(u"names"_s);
    if (arguments.isEmpty())
        return {};
    m_bucket = arguments.first();
    m_filters = arguments.mid(1);
    QString problem = checkBucket(m_bucket);
    for (const QString &filter : std::as_const(m_filters)) {
        if (problem.isEmpty())
            problem = KvNames::validateKeyFilter(filter);
    }
    return problem;
}

bool LsCommand::namesAlone() const
{
    return m_bucket.isEmpty() && m_namesOnly && !out()->json();
}

QString LsCommand::checkedAs() const
{
    return namesAlone() ? u"ls -n"_s : CliCommand::checkedAs();
}

void LsCommand::run()
{
    if (namesAlone())
        listBucketNames();
    else if (m_bucket.isEmpty())
        listBuckets();
    else
        listKeys();
}

void LsCommand::readEarly()
{
    if (namesAlone())
        m_early = kv()->bucketNames();
    else if (m_bucket.isEmpty())
        m_early = kv()->bucketStatuses();
}

void LsCommand::listBucketNames()
{
    whenDone(m_early ? m_early.data() : kv()->bucketNames(), [this](KvReply *reply) {
        for (const QString &name : reply->bucketNames())
            out()->printLine(name);
        finish();
    });
}

void LsCommand::listBuckets()
{
    whenDone(m_early ? m_early.data() : kv()->bucketStatuses(), [this](KvReply *reply) {
        QList<KvBucketStatus> statuses = reply->statuses();
        if (out()->json()) {
            for (const KvBucketStatus &status : std::as_const(statuses))
                out()->printJson(CliJson::status(status));
            finish();
            return;
        }
        if (statuses.isEmpty()) {
            out()->printLine(tr("No Key-Value buckets found"));
            finish();
            return;
        }
        // natscli orders the table by size, smallest first.
        std::stable_sort(statuses.begin(), statuses.end(),
                         [](const KvBucketStatus &a, const KvBucketStatus &b) { return a.bytes < b.bytes; });
        CliTable table(tr("Key-Value Buckets"));
        table.setHeaders({tr("Bucket"), tr("Description"), tr("Created"), tr("Size"), tr("Values"), tr("Last Update"),
                          tr("History"), tr("TTL"), tr("Marker TTL"), tr("Storage"), tr("Replicas")});
        table.setRightAligned({3, 4, 6, 10});
        for (const KvBucketStatus &status : std::as_const(statuses)) {
            const KvBucketConfig &config = status.config;
            table.addRow({status.bucket, config.description, KvFormat::localTime(status.created),
                          KvUnits::iBytes(qint64(status.bytes)), KvFormat::comma(qint64(status.values)),
                          KvFormat::since(status.lastUpdate), QString::number(config.history), ttlText(config.ttlMs),
                          config.markerTtlMs > 0 ? ttlText(config.markerTtlMs) : QString(), storageText(config.storage),
                          QString::number(config.replicas)});
        }
        out()->print(table.render());
        finish();
    });
}

void LsCommand::listKeys()
{
    KvKeyLister *lister = bucket(m_bucket)->listKeys(m_filters);
    connect(lister, &KvKeyLister::keysReceived, this, &LsCommand::moved);
    failWhenStalled(tr("listing the keys of bucket %1").arg(m_bucket));
    connect(lister, &KvKeyLister::keysReceived, this, [this](const QStringList &keys) {
        for (const QString &key : keys) {
            if (out()->json()) {
                QJsonObject object;
                KvNdjson::insertKey(&object, key);
                out()->printJson(object);
            } else {
                KvFormat::appendUtf8(out()->pending(), KvNames::displayKey(key)); // no QByteArray per key
                out()->pending()->append('\n');
            }
        }
        out()->flush(); // each batch goes out as it arrives
    });
    connect(lister, &KvKeyLister::finished, this, [this, lister] {
        lister->deleteLater();
        if (lister->error() != NatsError::NoError) {
            fail(NatsError(lister->error(), lister->errorString()));
            return;
        }
        if (lister->receivedCount() == 0 && !out()->json()) {
            // natscli's words for an empty bucket; keys that match no filter are another thing.
            out()->note(m_filters.isEmpty()
                            ? tr("No keys found in bucket")
                            : tr("No keys in bucket %1 match %2").arg(m_bucket, m_filters.join(u", "_s)));
        }
        finish();
    });
}

// ---- add / edit ------------------------------------------------------------------------------------

BucketConfigCommand::BucketConfigCommand(Mode mode, QObject *parent)
    : CliCommand(mode == Mode::Add ? Info{u"add"_s, {u"new"_s}, tr("Add a new bucket"), u"BUCKET"_s, 1, 1}
                                   : Info{u"edit"_s, {}, tr("Change the settings of a bucket"), u"BUCKET"_s, 1, 1},
                 parent)
    , m_mode(mode)
{
}

void BucketConfigCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOptions({
        QCommandLineOption(u"description"_s, tr("A description for the bucket"), u"TEXT"_s),
        QCommandLineOption(u"history"_s, tr("How many historic values to keep per key (1-64, default 1)"), u"N"_s),
        QCommandLineOption(u"ttl"_s, tr("How long to keep values for (e.g. 1h, 7d; 0 forever)"), u"DURATION"_s),
        QCommandLineOption(u"max-value-size"_s, tr("Maximum size for any single value (e.g. 1MB; -1 unlimited)"),
                           u"BYTES"_s),
        QCommandLineOption(u"max-bucket-size"_s, tr("Maximum size for the bucket (e.g. 1GB; -1 unlimited)"),
                           u"BYTES"_s),
        QCommandLineOption(u"storage"_s, tr("Storage backend: file or memory"), u"TYPE"_s),
        QCommandLineOption(u"replicas"_s, tr("How many replicas of the data to store (default 1)"), u"N"_s),
        QCommandLineOption(u"republish-source"_s,
                           tr("Republish messages matching this subject to --republish-destination"), u"SRC"_s),
        QCommandLineOption(u"republish-destination"_s, tr("Republish destination for messages in --republish-source"),
                           u"DEST"_s),
        QCommandLineOption(u"republish-headers"_s, tr("Republish only message headers, no bodies")),
        QCommandLineOption(u"no-republish-headers"_s, tr("Republish whole messages, headers and bodies")),
    });
    CliBucketFeatures::addOptions(parser, m_mode == Mode::Edit);
}

// A size option (natscli's syntax; 0 and any negative size are unlimited, as in natscli), at most largest.
QString BucketConfigCommand::readSize(const QCommandLineParser &parser, const QString &name, qint64 largest,
                                      std::optional<qint64> *out)
{
    if (!parser.isSet(name))
        return {};
    qint64 value = 0;
    QString problem;
    if (!KvUnits::parseSize(parser.value(name), &value, &problem))
        return u"--"_s + name + u": "_s + problem;
    if (value > largest)
        return tr("--%1: at most %2 bytes, not %3").arg(name).arg(largest).arg(value);
    *out = value <= 0 ? -1 : value;
    return {};
}

QString BucketConfigCommand::readFlags(const QCommandLineParser &parser)
{
    const auto number = [&parser](const QString &name, int low, int high, std::optional<int> *out) -> QString {
        if (!parser.isSet(name))
            return {};
        bool ok = false;
        const int value = parser.value(name).toInt(&ok);
        if (!ok || value < low || value > high)
            return tr("--%1 must be a number from %2 to %3, not \"%4\"")
                .arg(name)
                .arg(low)
                .arg(high)
                .arg(parser.value(name));
        *out = value;
        return {};
    };
    if (parser.isSet(u"description"_s))
        m_description = parser.value(u"description"_s);
    QString problem = number(u"history"_s, 1, KvBucketConfig::MaxHistory, &m_history);
    if (problem.isEmpty())
        problem = number(u"replicas"_s, 1, 5, &m_replicas);
    if (problem.isEmpty())
        problem = readSize(parser, u"max-value-size"_s, KvBucketConfig::LargestMaxValueSize, &m_maxValueSize);
    if (problem.isEmpty())
        problem = readSize(parser, u"max-bucket-size"_s, std::numeric_limits<qint64>::max(), &m_maxBucketSize);
    if (!problem.isEmpty())
        return problem;
    if (parser.isSet(u"ttl"_s)) {
        // A negative duration parses ("-1h"); "-1" said it needed a unit.
        if (parser.value(u"ttl"_s).trimmed().startsWith(u'-'))
            return tr("--ttl must not be negative, not \"%1\"").arg(parser.value(u"ttl"_s));
        qint64 ttlMs = 0;
        if (!KvUnits::parseMilliseconds(parser.value(u"ttl"_s), &ttlMs, &problem))
            return u"--ttl: "_s + problem;
        m_ttlMs = ttlMs;
    }
    if (parser.isSet(u"storage"_s)) {
        const QString storage = parser.value(u"storage"_s).toLower();
        if (storage == "file"_L1 || storage == "f"_L1)
            m_storage = KvBucketConfig::Storage::File;
        else if (storage == "memory"_L1 || storage == "m"_L1)
            m_storage = KvBucketConfig::Storage::Memory;
        else
            return tr("--storage must be file or memory, not \"%1\"").arg(parser.value(u"storage"_s));
    }
    if (parser.isSet(u"republish-source"_s))
        m_republishSource = parser.value(u"republish-source"_s);
    if (parser.isSet(u"republish-destination"_s))
        m_republishDestination = parser.value(u"republish-destination"_s);
    if (parser.isSet(u"republish-headers"_s) && parser.isSet(u"no-republish-headers"_s))
        return tr("--republish-headers and --no-republish-headers cannot be combined");
    if (parser.isSet(u"republish-headers"_s) || parser.isSet(u"no-republish-headers"_s))
        m_republishHeaders = parser.isSet(u"republish-headers"_s);
    return m_features.read(parser);
}

QString BucketConfigCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments.first();
    QString problem = checkBucket(m_bucket);
    if (problem.isEmpty())
        problem = readFlags(parser);
    if (problem.isEmpty() && m_mode == Mode::Add) {
        if (m_republishSource && !m_republishDestination)
            return tr("--republish-source needs --republish-destination");
        problem = applied(KvBucketConfig{}).validate();
    }
    return problem;
}

KvBucketConfig BucketConfigCommand::applied(KvBucketConfig config) const
{
    config.bucket = m_bucket;
    config.description = m_description.value_or(config.description);
    config.history = m_history.value_or(config.history);
    config.ttlMs = m_ttlMs.value_or(config.ttlMs);
    config.maxValueSize = m_maxValueSize.value_or(config.maxValueSize);
    config.maxBytes = m_maxBucketSize.value_or(config.maxBytes);
    config.storage = m_storage.value_or(config.storage);
    config.replicas = m_replicas.value_or(config.replicas);
    if (m_republishSource)
        config.republish.source = *m_republishSource;
    if (m_republishDestination)
        config.republish.destination = *m_republishDestination;
    // What is not given stays as it is (an edit of the destination kept republishing whole values).
    config.republish.headersOnly = m_republishHeaders.value_or(config.republish.headersOnly);
    // An edit to no destination stops republishing (its other flags then say nothing).
    if (m_mode == Mode::Edit && m_republishDestination && m_republishDestination->isEmpty())
        config.republish = {};
    // Without a source the whole bucket is republished, as the server does for an empty source.
    if (!config.republish.destination.isEmpty() && config.republish.source.isEmpty())
        config.republish.source = QString::fromUtf8(KvNames::subjectPrefix(m_bucket)) + u'>';
    return m_features.applied(config);
}

void BucketConfigCommand::run()
{
    if (m_mode == Mode::Add) {
        submit(applied(KvBucketConfig{}));
        return;
    }
    whenDone(kv()->bucketStatus(m_bucket), [this](KvReply *reply) {
        const KvBucketConfig current = reply->status().config;
        const KvBucketConfig wanted = applied(current);
        if (const QString problem = m_features.problemWith(current); !problem.isEmpty()) {
            fail(problem);
            return;
        }
        if (const QString refusal = mirrorChangeRefusal(current, wanted); !refusal.isEmpty()) {
            fail(refusal);
            return;
        }
        if (wanted.storage != current.storage) {
            fail(tr("the storage of bucket \"%1\" cannot be changed (it is %2)")
                     .arg(m_bucket, KvBucketConfig::storageName(current.storage)));
            return;
        }
        const QString problem = wanted.validate();
        if (!problem.isEmpty()) {
            fail(problem, UsageError);
            return;
        }
        submit(wanted);
    });
}

void BucketConfigCommand::submit(const KvBucketConfig &config)
{
    KvReply *reply = m_mode == Mode::Add ? kv()->createBucket(config) : kv()->updateBucket(config);
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() == NatsError::StreamNameInUse) {
            fail(tr("bucket \"%1\" already exists with different settings (use edit to change them)").arg(m_bucket));
            return;
        }
        if (reply->error() != NatsError::NoError) {
            fail(reply->errorInfo());
            return;
        }
        InfoCommand::printStatus(out(), reply->status());
        noteSourcesKeepTheirNames(reply->status().config);
        noteFullBucketDropsOldValues(reply->status().config);
        // Done as asked (as natscli does it), but the server will not copy all the sources hold.
        for (const QString &warning : reply->warnings())
            out()->note(tr("kvdesk-cli: warning: %1").arg(warning));
        if (m_mode == Mode::Add)
            finishNotingMissingOrigin(reply->status().config);
        else
            finish();
    });
}

// nats-server before 2.10 does not always keep "discard new" at the byte limit of a file-backed stream: 2.9.10
// stored a put that did not fit into a 300-byte bucket and dropped the oldest values of other keys to make
// room (not so with 400 bytes; the memory store and 2.10+ refuse the put). kvdesk cannot prevent it: said when such a limit is set, so it is no surprise.
void BucketConfigCommand::noteFullBucketDropsOldValues(const KvBucketConfig &config)
{
    const NatsConnection *connection = kv()->jetStream()->connection();
    if (!m_maxBucketSize || *m_maxBucketSize <= 0 || config.storage != KvBucketConfig::Storage::File || !connection
        || !connection->serverInfo().isKnownBefore(2, 10))
        return;
    out()->note(tr("kvdesk-cli: note: nats-server %1 may not refuse a put to a full file-backed bucket: it can store "
                   "it and drop the oldest values of other keys instead, so bucket \"%2\" may lose keys silently "
                   "once it holds %3 (2.10 and later refuse the put, as memory storage does)")
                    .arg(connection->serverInfo().version, config.bucket, KvUnits::iBytes(config.maxBytes)));
}

// nats-server refuses both, with words about streams ("stream mirror configuration can not be updated",
// "stream mirrors can not contain subjects"): said here in the bucket's terms, before anything is sent.
QString BucketConfigCommand::mirrorChangeRefusal(const KvBucketConfig &current, const KvBucketConfig &wanted)
{
    const QString before = KvNames::sourceBucket(current.mirror.name);
    const QString after = KvNames::sourceBucket(wanted.mirror.name);
    if (before == after)
        return {};
    if (before.isEmpty())
        return tr("bucket \"%1\" cannot become a mirror: nats-server makes a bucket a mirror only when it is made "
                  "(add BUCKET --mirror \"%2\")")
            .arg(current.bucket, after);
    return tr("bucket \"%1\" mirrors \"%2\", which cannot be changed: nats-server sets what a bucket mirrors only "
              "when the bucket is made")
        .arg(current.bucket, before);
}

// nats-server makes a mirror of a bucket that does not exist (it may come later, and is then copied):
// said, so that a misspelt origin is not taken for an empty one.
void BucketConfigCommand::finishNotingMissingOrigin(const KvBucketConfig &config)
{
    const QString origin = KvNames::sourceBucket(config.mirror.name);
    if (origin.isEmpty()) {
        finish();
        return;
    }
    KvReply *status = kv()->bucketStatus(origin);
    connect(status, &NatsReply::finished, this, [this, status, origin, config] {
        status->deleteLater();
        if (status->error() == NatsError::BucketNotFound)
            out()->note(tr("kvdesk-cli: note: there is no bucket \"%1\" (yet): \"%2\" stays empty until it is made")
                            .arg(origin, config.bucket));
        finish();
    });
}

// Before 2.10 no subject transform moves a source's keys under this bucket's name (nats.go makes such a
// bucket the same way): it only collects them, and has no keys of its own to list or read. Said, as the
// window's form says it, so that a bucket that cannot be read is no surprise.
void BucketConfigCommand::noteSourcesKeepTheirNames(const KvBucketConfig &config)
{
    using Feature = JsServerCapabilities::Feature;
    JsServerCapabilities *server = kv()->jetStream()->capabilities();
    if (config.sources.isEmpty() || server->supports(Feature::SubjectTransforms))
        return;
    out()->note(
        tr("kvdesk-cli: note: %1: bucket \"%2\" collects the entries of its sources under their own names, and has "
           "no keys of its own to list or read")
            .arg(server->refusal(Feature::SubjectTransforms).message(), config.bucket));
}

// ---- info ------------------------------------------------------------------------------------------

InfoCommand::InfoCommand(QObject *parent)
    : CliCommand(
        {u"info"_s, {u"view"_s, u"status"_s}, tr("Show the settings and state of a bucket"), u"BUCKET"_s, 1, 1}, parent)
{
}

QString InfoCommand::prepare(const QCommandLineParser &, const QStringList &arguments)
{
    m_bucket = arguments.first();
    return checkBucket(m_bucket);
}

void InfoCommand::run()
{
    whenDone(kv()->bucketStatus(m_bucket), [this](KvReply *reply) {
        printStatus(out(), reply->status());
        finish();
    });
}

void InfoCommand::printStatus(CliOutput *out, const KvBucketStatus &status)
{
    if (out->json()) {
        out->printJson(CliJson::status(status));
        return;
    }
    const KvBucketConfig &config = status.config;
    QList<QPair<QString, QString>> rows{
        {tr("Bucket Name"), status.bucket},
        {tr("History Kept"), KvFormat::comma(config.history)},
        {tr("Values Stored"), KvFormat::comma(qint64(status.values))},
        {tr("Backing Store Kind"), status.backingStore},
    };
    if (!config.description.isEmpty())
        rows.append({tr("Description"), config.description});
    rows.append({tr("Bucket Size"), KvUnits::iBytes(qint64(status.bytes))});
    rows.append({tr("Maximum Bucket Size"), limitText(config.maxBytes)});
    rows.append({tr("Maximum Value Size"), limitText(config.maxValueSize)});
    rows.append({tr("Maximum Age"), ttlText(config.ttlMs)});
    rows.append({tr("JetStream Stream"), status.streamInfo.config.name});
    rows.append({tr("Storage"), storageText(config.storage)});
    rows.append({tr("Replicas"), QString::number(config.replicas)});
    rows.append({tr("Last Update"), KvFormat::since(status.lastUpdate)});
    if (!config.republish.isEmpty())
        rows.append({config.republish.headersOnly ? tr("Republishing Headers") : tr("Republishing"),
                     tr("%1 to %2").arg(config.republish.source, config.republish.destination)});
    rows.append(CliBucketFeatures::infoRows(status));
    qsizetype width = 0;
    for (const auto &row : std::as_const(rows))
        width = std::max(width, row.first.size());
    QString text = tr("Information for Key-Value Store Bucket %1 created %2\n\n%3:\n\n")
                       .arg(status.bucket, status.created.toLocalTime().toString(Qt::ISODate), tr("Configuration"));
    for (const auto &row : std::as_const(rows))
        text += row.first.rightJustified(width + 2) + ": "_L1 + KvFormat::withControlsEscaped(row.second) + u'\n';
    out->print(text);
}

// ---- rm / del --------------------------------------------------------------------------------------

DeleteCommand::DeleteCommand(QObject *parent)
    : CliCommand({u"rm"_s,
                  {u"del"_s},
                  tr("Delete a bucket (asks unless -f), or a key (writes a delete marker)"),
                  u"BUCKET [KEY]"_s,
                  1,
                  2,
                  true},
                 parent)
{
}

void DeleteCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(revisionGuardOption());
}

QString DeleteCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments.first();
    m_key = arguments.value(1);
    QString problem = checkBucket(m_bucket);
    if (problem.isEmpty() && arguments.size() > 1)
        problem = checkExistingKey(m_key, m_bucket);
    if (problem.isEmpty() && parser.isSet(u"revision"_s)) {
        problem = m_key.isEmpty() ? tr("--revision is for a key's delete (rm BUCKET KEY --revision N), not a bucket's")
                                  : parseRevision(parser.value(u"revision"_s), &m_revision);
    }
    return problem;
}

QString DeleteCommand::confirmation() const
{
    // A key's delete marker can be reverted; a deleted bucket is gone with its history.
    return m_key.isEmpty() ? tr("Delete bucket %1?").arg(m_bucket) : QString();
}

void DeleteCommand::run()
{
    if (m_key.isEmpty()) {
        whenDone(kv()->deleteBucket(m_bucket), [this](KvReply *) {
            if (out()->json())
                out()->printJson({{u"bucket"_s, m_bucket}, {u"deleted"_s, true}});
            finish();
        });
        return;
    }
    whenWritten(bucket(m_bucket)->remove(m_key, m_revision), m_key, m_revision, [this](KvReply *reply) {
        if (out()->json())
            out()->printJson(CliJson::write(m_bucket, m_key, reply->revision(), KvEntry::Operation::Delete));
        finish();
    });
}

// ---- compact ---------------------------------------------------------------------------------------

CompactCommand::CompactCommand(QObject *parent)
    : CliCommand({u"compact"_s,
                  {},
                  tr("Reclaim space used by deleted keys (purges old delete markers)"),
                  u"BUCKET"_s,
                  1,
                  1,
                  true},
                 parent)
{
}

void CompactCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(
        u"older-than"_s, tr("Remove markers older than this entirely; newer ones keep only the marker (default 30m)"),
        u"DURATION"_s));
}

QString CompactCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments.first();
    if (parser.isSet(u"older-than"_s)) {
        qint64 ns = 0;
        QString problem;
        if (!KvUnits::parseDuration(parser.value(u"older-than"_s), &ns, &problem))
            return u"--older-than: "_s + problem;
        if (ns < 0) // nats.go takes a negative age as "every marker": a typo would remove them all
            return tr("--older-than: \"%1\" is negative: give an age (0 removes every marker)")
                .arg(parser.value(u"older-than"_s));
        // 0 would mean "the default" to the library; here it means "every marker".
        m_olderThanMs = ns <= 0 ? -1 : std::max<qint64>(1, ns / KvUnits::NsPerMs);
    }
    return checkBucket(m_bucket);
}

QString CompactCommand::confirmation() const
{
    return tr("Purge all historic values and audit trails for deleted keys in bucket %1?").arg(m_bucket);
}

void CompactCommand::run()
{
    whenDone(bucket(m_bucket)->purgeDeletes(m_olderThanMs), [this](KvReply *reply) {
        if (out()->json())
            out()->printJson({{u"bucket"_s, m_bucket}, {u"purged_keys"_s, qint64(reply->revision())}});
        else if (reply->revision() == 0) // markers already as compact as they may be: a second run
            out()->printLine(tr("Compacted bucket %1: nothing to remove").arg(m_bucket));
        else
            out()->printLine(reply->revision() == 1
                                 ? tr("Compacted bucket %1: the history of 1 deleted key removed").arg(m_bucket)
                                 : tr("Compacted bucket %1: the history of %2 deleted keys removed")
                                       .arg(m_bucket)
                                       .arg(reply->revision()));
        finish();
    });
}
