#include "clikeycommands.h"

#include "clijson.h"
#include "clioutput.h"
#include "clitable.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvformat.h"
#include "kvnames.h"
#include "kvttl.h"
#include "kvunits.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <algorithm>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QString operationText(const KvEntry &entry)
{
    if (entry.isLimitMarker())
        return entry.operationLabel(); // EXPIRED (MaxAge): what the server did, not a client's marker
    const KvEntry::Operation operation = entry.operation;
    // natscli's strForOp: PUT, DELETE, PURGE.
    switch (operation) {
    case KvEntry::Operation::Put:
        return u"PUT"_s;
    case KvEntry::Operation::Delete:
        return u"DELETE"_s;
    case KvEntry::Operation::Purge:
        return u"PURGE"_s;
    }
    return u"PUT"_s;
}

} // namespace

// ---- put / create / update -------------------------------------------------------------------------

WriteCommand::WriteCommand(Mode mode, QObject *parent)
    : CliCommand(
        mode == Mode::Put ? Info{u"put"_s,
                                 {},
                                 tr("Put a value into a key (stdin when VALUE is absent)"),
                                 u"BUCKET KEY [VALUE]"_s,
                                 2,
                                 3}
            : mode == Mode::Create
            ? Info{u"create"_s, {}, tr("Put a value only if the key is new or deleted"), u"BUCKET KEY [VALUE]"_s, 2, 3}
            : Info{u"update"_s,
                   {},
                   tr("Put a value only if the key is still at REVISION (stdin when VALUE is absent)"),
                   u"BUCKET KEY [VALUE] REVISION"_s,
                   3,
                   4},
        parent)
    , m_mode(mode)
{
}

QString readKeyTtl(const QCommandLineParser &parser, qint64 *ns)
{
    if (!parser.isSet(u"ttl"_s))
        return {};
    const QString text = parser.value(u"ttl"_s);
    qint64 value = 0;
    QString problem;
    if (text.compare("never"_L1, Qt::CaseInsensitive) == 0)
        value = KvTtl::Never;
    else if (!KvUnits::parseDuration(text, &value, &problem))
        return u"--ttl: "_s + problem;
    problem = KvTtl::validate(value);
    if (!problem.isEmpty())
        return u"--ttl: "_s + problem;
    *ns = value;
    return {};
}

void WriteCommand::addOptions(QCommandLineParser *parser)
{
    if (m_mode == Mode::Create)
        parser->addOption(QCommandLineOption(
            u"ttl"_s,
            tr("The key expires after this long (at least 1s, or never; nats-server 2.11+ and a bucket with a "
               "marker TTL)"),
            u"DURATION"_s));
    else if (m_mode == Mode::Put)
        parser->addOption(QCommandLineOption(
            u"ttl"_s, tr("Not taken: a put has no TTL, as in every official client (use create --ttl)"),
            u"DURATION"_s));
}

QString WriteCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    if (m_mode == Mode::Put && parser.isSet(u"ttl"_s))
        return tr("put takes no TTL, as in every official client: when it expired, an older value of the key "
                  "could come back. Use create --ttl for a new key, or purge --ttl");
    if (m_mode == Mode::Create) {
        if (const QString problem = readKeyTtl(parser, &m_ttlNs); !problem.isEmpty())
            return problem;
    }
    m_bucket = arguments[0];
    m_key = arguments[1];
    QString problem = checkBucket(m_bucket);
    if (problem.isEmpty() && m_mode == Mode::Update)
        problem = parseRevision(arguments.last(), &m_revision);
    // An update goes only to a key that is there, named by whoever wrote it; put and create may make one.
    if (problem.isEmpty())
        problem = m_mode == Mode::Update && m_revision > 0 ? checkExistingKey(m_key, m_bucket)
                                                           : checkKey(m_key, m_bucket);
    if (!problem.isEmpty())
        return problem;
    m_valueGiven = arguments.size() > (m_mode == Mode::Update ? 3 : 2);
    // An update is guarded: an empty value from a terminal (put's way) is more likely a VALUE left out.
    if (!m_valueGiven && m_mode == Mode::Update && CliOutput::stdinIsTerminal())
        return tr("update BUCKET KEY REVISION reads the value from stdin, which is a terminal: give BUCKET KEY "
                  "VALUE REVISION, or the value on stdin");
    if (m_valueGiven)
        m_value = arguments[2].toUtf8();
    else if (!CliOutput::stdinIsTerminal()) { // natscli: no value and a terminal means an empty value
        QFile input;
        if (input.open(STDIN_FILENO, QIODevice::ReadOnly))
            return readValue(&input, tr("stdin"), &m_value);
    }
    return {};
}

void WriteCommand::run()
{
    KvBucket *target = bucket(m_bucket);
    KvReply *reply = m_mode == Mode::Put ? target->put(m_key, m_value)
        : m_mode == Mode::Create         ? target->create(m_key, m_value, m_ttlNs)
                                         : target->update(m_key, m_value, m_revision);
    whenWritten(reply, m_key, m_revision, [this, target](KvReply *written) {
        if (out()->json())
            out()->printJson(CliJson::write(m_bucket, m_key, written->revision(), KvEntry::Operation::Put));
        else if (m_valueGiven)
            out()->printLine(QString::fromUtf8(m_value)); // as natscli, which echoes the value
        noteRaisedTtl(target->boundStatus().config);
        finish();
    });
}

// The server raised the TTL asked for (a bucket keeping history: no key expires before its marker):
// the key lives longer than the user said, which they should know.
void WriteCommand::noteRaisedTtl(const KvBucketConfig &config)
{
    const qint64 kept = config.keptKeyTtl(m_ttlNs);
    if (m_mode != Mode::Create || kept == m_ttlNs)
        return;
    out()->note(
        tr("kvdesk-cli: key \"%1\" expires after %2, not %3: in a bucket keeping history, nats-server "
           "keeps a key at least as long as the bucket's marker TTL")
            .arg(m_key, QString::fromLatin1(KvTtl::toHeader(kept)), QString::fromLatin1(KvTtl::toHeader(m_ttlNs))));
}

// ---- get -------------------------------------------------------------------------------------------

GetCommand::GetCommand(QObject *parent)
    : CliCommand({u"get"_s, {}, tr("Get the value of a key"), u"BUCKET KEY"_s, 2, 2}, parent)
{
}

void GetCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(u"revision"_s, tr("Get a specific revision"), u"N"_s));
    parser->addOption(QCommandLineOption(u"raw"_s, tr("Print only the value, byte for byte")));
    CliDecode::addOptions(parser);
}

QString GetCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_key = arguments[1];
    m_raw = parser.isSet(u"raw"_s);
    QString problem = checkBucket(m_bucket);
    if (problem.isEmpty())
        problem = checkExistingKey(m_key, m_bucket);
    if (problem.isEmpty() && parser.isSet(u"revision"_s))
        problem = parseRevision(parser.value(u"revision"_s), &m_revision);
    if (problem.isEmpty())
        problem = m_decode.prepare(parser);
    if (m_decode.moduleFailed())
        setPrepareExitCode(Failure);
    if (problem.isEmpty() && m_raw && m_decode.isEnabled())
        problem = tr("--raw prints the bytes as stored: it cannot be combined with --decode");
    return problem;
}

void GetCommand::readEarly()
{
    m_early = bucket(m_bucket)->get(m_key, m_revision);
}

void GetCommand::run()
{
    KvReply *get = m_early ? m_early.data() : bucket(m_bucket)->get(m_key, m_revision);
    whenDone(get, [this](KvReply *reply) {
        const KvEntry entry = reply->entry();
        if (m_decode.isEnabled()) {
            printDecoded(entry);
            return;
        }
        if (out()->json()) {
            out()->printJson(CliJson::entry(entry));
        } else if (m_raw) {
            out()->write(entry.value);
        } else {
            out()->printLine(tr("%1 > %2 revision: %3 created @ %4\n")
                                 .arg(entry.bucket, KvNames::displayKey(entry.key))
                                 .arg(entry.revision)
                                 .arg(KvFormat::rfc822(entry.created)));
            const QString shown = KvFormat::valueText(entry.value);
            if (shown.size() > 120) {
                // natscli's line; a value shown in base64 is counted as what it is, bytes, and as shown.
                out()->printLine(
                    KvFormat::isText(entry.value)
                        ? tr("Showing the first 120 characters of %1, use --raw for full data\n")
                              .arg(KvFormat::comma(shown.size()))
                        : tr("Showing the first 120 characters of the value's %1 bytes in base64 (%2 characters), "
                             "use --raw for full data\n")
                              .arg(KvFormat::comma(entry.value.size()),
                                   KvFormat::comma((entry.value.size() + 2) / 3 * 4)));
                out()->printLine(shown.left(shown.at(119).isHighSurrogate() ? 119 : 120)); // no half a character
            } else {
                out()->printLine(shown);
            }
            out()->printLine({});
        }
        finish();
    });
}

// The decoded value as JSON; with --json, inside the entry record ("decoders", "decoded").
void GetCommand::printDecoded(const KvEntry &entry)
{
    QString json;
    QString chain;
    QString error;
    if (!m_decode.decode(entry.value, &json, &chain, &error)) {
        fail(tr("%1 > %2 revision %3: %4").arg(entry.bucket, entry.key).arg(entry.revision).arg(error));
        return;
    }
    if (out()->json()) {
        QJsonObject record = CliJson::entry(entry);
        record.insert(u"decoders"_s, chain);
        record.insert(u"decoded"_s, QJsonDocument::fromJson("[" + json.toUtf8() + "]").array().first());
        out()->printJson(record);
    } else {
        out()->printLine(json);
    }
    finish();
}

// ---- purge -----------------------------------------------------------------------------------------

PurgeCommand::PurgeCommand(QObject *parent)
    : CliCommand({u"purge"_s,
                  {},
                  tr("Delete a key and its history, leaving a purge marker (asks unless -f)"),
                  u"BUCKET KEY"_s,
                  2,
                  2,
                  true},
                 parent)
{
}

void PurgeCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(revisionGuardOption());
    parser->addOption(QCommandLineOption(
        u"ttl"_s,
        tr("The purge marker itself goes after this long (at least 1s; nats-server 2.11+ and a bucket "
           "with a marker TTL)"),
        u"DURATION"_s));
}

QString PurgeCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    if (const QString problem = readKeyTtl(parser, &m_ttlNs); !problem.isEmpty())
        return problem;
    if (parser.isSet(u"revision"_s)) {
        if (const QString problem = parseRevision(parser.value(u"revision"_s), &m_revision); !problem.isEmpty())
            return problem;
    }
    m_bucket = arguments[0];
    m_key = arguments[1];
    const QString problem = checkBucket(m_bucket);
    return problem.isEmpty() ? checkExistingKey(m_key, m_bucket) : problem;
}

QString PurgeCommand::confirmation() const
{
    return tr("Purge key %1 > %2?").arg(m_bucket, m_key);
}

void PurgeCommand::run()
{
    KvBucket *target = bucket(m_bucket);
    whenWritten(target->purge(m_key, m_revision, m_ttlNs), m_key, m_revision, [this, target](KvReply *reply) {
        if (out()->json())
            out()->printJson(CliJson::write(m_bucket, m_key, reply->revision(), KvEntry::Operation::Purge));
        // As create --ttl says it: the marker stays longer than asked.
        if (const qint64 kept = target->boundStatus().config.keptKeyTtl(m_ttlNs); kept != m_ttlNs) {
            out()->note(tr("kvdesk-cli: the purge marker of key \"%1\" goes after %2, not %3: in a bucket keeping "
                           "history, nats-server keeps a marker at least as long as the bucket's marker TTL")
                            .arg(m_key, QString::fromLatin1(KvTtl::toHeader(kept)),
                                 QString::fromLatin1(KvTtl::toHeader(m_ttlNs))));
        }
        finish();
    });
}

// ---- history ---------------------------------------------------------------------------------------

HistoryCommand::HistoryCommand(QObject *parent)
    : CliCommand({u"history"_s, {}, tr("Show the full history of a key"), u"BUCKET KEY"_s, 2, 2}, parent)
{
}

QString HistoryCommand::prepare(const QCommandLineParser &, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_key = arguments[1];
    const QString problem = checkBucket(m_bucket);
    return problem.isEmpty() ? checkExistingKey(m_key, m_bucket) : problem;
}

void HistoryCommand::run()
{
    whenDone(bucket(m_bucket)->history(m_key), [this](KvReply *reply) {
        printHistory(out(), m_bucket, m_key, reply->entries());
        finish();
    });
}

void HistoryCommand::printHistory(CliOutput *out, const QString &bucket, const QString &key,
                                  const QList<KvEntry> &entries)
{
    if (out->json()) {
        for (const KvEntry &entry : entries)
            out->printJson(CliJson::entry(entry));
        return;
    }
    CliTable table(tr("History for %1 > %2").arg(bucket, KvNames::displayKey(key)));
    table.setHeaders({tr("Key"), tr("Revision"), tr("Op"), tr("Created"), tr("Length"), tr("Value")});
    table.setRightAligned({1, 4});
    for (const KvEntry &entry : entries) {
        table.addRow({KvNames::displayKey(entry.key), QString::number(entry.revision), operationText(entry),
                      KvFormat::localTime(entry.created), KvFormat::comma(entry.value.size()),
                      KvFormat::abbreviate(KvFormat::valueText(entry.value))});
    }
    out->print(table.render());
}

// ---- revert ----------------------------------------------------------------------------------------

RevertCommand::RevertCommand(QObject *parent)
    : CliCommand({u"revert"_s,
                  {},
                  tr("Put the value of an earlier revision again (asks unless -f)"),
                  u"BUCKET KEY REVISION"_s,
                  3,
                  3,
                  true},
                 parent)
{
}

QString RevertCommand::prepare(const QCommandLineParser &, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_key = arguments[1];
    QString problem = checkBucket(m_bucket);
    if (problem.isEmpty())
        problem = checkExistingKey(m_key, m_bucket);
    return problem.isEmpty() ? parseRevision(arguments[2], &m_revision) : problem;
}

QString RevertCommand::confirmation() const
{
    return tr("Really revert %1 > %2 to revision %3?").arg(m_bucket, m_key).arg(m_revision);
}

void RevertCommand::run()
{
    // The key's revisions first: the one asked for must hold a value, and the newest is what the revert
    // is guarded on, read before the question so a value written while it waits is refused.
    whenDone(bucket(m_bucket)->history(m_key), [this](KvReply *history) {
        const QList<KvEntry> entries = history->entries();
        const auto it = std::find_if(entries.cbegin(), entries.cend(),
                                     [this](const KvEntry &entry) { return entry.revision == m_revision; });
        if (it != entries.cend() && it->isDeleted()) {
            fail(KvBucket::markerRevision(m_key, *it));
            return;
        }
        const quint64 latest = entries.last().revision;
        if (it != entries.cend()) {
            askThen([this, latest] { revertOn(latest); });
            return;
        }
        // Not among the key's revisions: the read of that revision says why (another key's, not written
        // yet, no longer kept).
        whenDone(bucket(m_bucket)->get(m_key, m_revision),
                 [this, latest](KvReply *) { askThen([this, latest] { revertOn(latest); }); });
    });
}

void RevertCommand::revertOn(quint64 latest)
{
    KvReply *revert = bucket(m_bucket)->revert(m_key, m_revision, latest);
    connect(revert, &NatsReply::finished, this, [this, revert, latest] {
        revert->deleteLater();
        if (revert->error() == NatsError::WrongRevision) {
            fail(tr("key \"%1\" changed after revision %2 was read (someone wrote it meanwhile): not reverted")
                     .arg(m_key)
                     .arg(latest));
            return;
        }
        if (revert->error() != NatsError::NoError) {
            fail(revert->errorInfo());
            return;
        }
        if (out()->json()) {
            out()->printJson(CliJson::write(m_bucket, m_key, revert->revision(), KvEntry::Operation::Put));
            finish();
            return;
        }
        whenDone(bucket(m_bucket)->history(m_key), [this](KvReply *after) {
            HistoryCommand::printHistory(out(), m_bucket, m_key, after->entries());
            finish();
        });
    });
}
