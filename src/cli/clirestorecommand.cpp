#include "clirestorecommand.h"

#include "cliasof.h"
#include "clioutput.h"
#include "clitable.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvreply.h"
#include "kvrestorejob.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonObject>

#include <algorithm>

using namespace Qt::StringLiterals;

RestoreCommand::RestoreCommand(QObject *parent)
    : CliCommand({u"restore"_s,
                  {},
                  tr("Put keys back to their values at a revision or time (asks unless -f)"),
                  u"BUCKET [KEY...]"_s,
                  1,
                  -1,
                  true},
                 parent)
{
}

void RestoreCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(
        u"as-of"_s,
        tr("The point to go back to: right after this revision, or this time (RFC 3339, or a duration ago: 1h)"),
        u"REVISION|TIME"_s));
}

QString RestoreCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_keys = arguments.mid(1);
    if (!parser.isSet(u"as-of"_s))
        return tr("restore needs --as-of REVISION|TIME");
    if (const QString problem = CliAsOf::parse(u"as-of"_s, parser.value(u"as-of"_s), &m_point); !problem.isEmpty())
        return problem;
    for (const QString &key : std::as_const(m_keys)) {
        // Keys the bucket held then; one absent now is made again only with nats.go's characters (KvBucket).
        if (const QString problem = checkExistingKey(key, m_bucket); !problem.isEmpty())
            return problem;
    }
    return checkBucket(m_bucket);
}

QString RestoreCommand::confirmation() const
{
    const QString which = m_keys.isEmpty() ? tr("every key of %1").arg(m_bucket)
                                           : tr("%1 > %2").arg(m_bucket, m_keys.join(u", "_s));
    return tr("Really put %1 back to the values as of %2?").arg(which, m_point.describe());
}

void RestoreCommand::run()
{
    m_read = new KvAsOfRead(bucket(m_bucket), m_point, {}, KvAsOfRead::Path::Auto, this);
    connect(m_read, &KvAsOfRead::finished, this, &RestoreCommand::onRead);
}

void RestoreCommand::onRead()
{
    if (m_read->error() != NatsError::NoError) {
        fail(m_read->errorInfo());
        return;
    }
    if (!m_keys.isEmpty()) {
        restore(m_keys);
        return;
    }
    // The whole bucket: every key then, and every key now (those absent then are deleted).
    whenDone(bucket(m_bucket)->keys(), [this](KvReply *now) {
        QStringList keys = now->keys() + m_read->unanswerableKeys();
        const QList<KvEntry> then = m_read->entries();
        for (const KvEntry &entry : then)
            keys.append(entry.key);
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        restore(keys);
    });
}

void RestoreCommand::restore(const QStringList &keys)
{
    // Asked now that the point and the bucket's last revision are read: a key written while the question
    // waits is newer than that revision, and reported as changed since, not overwritten.
    askThen([this, keys] {
        m_job = new KvRestoreJob(bucket(m_bucket),
                                 KvRestoreJob::itemsFor(keys, m_read->entries(), m_read->unanswerableKeys()),
                                 m_read->latestRevision(), this);
        connect(m_job, &KvRestoreJob::finished, this, &RestoreCommand::done);
    });
}

void RestoreCommand::done()
{
    using Outcome = KvRestoreJob::Outcome;
    const QList<KvRestoreJob::Result> results = m_job->results();
    // A time is followed by the revision it came to; a revision is named once.
    CliTable table(
        m_point.kind == KvAsOfPoint::Kind::Revision
            ? tr("Restore of %1 as of %2").arg(m_bucket, m_point.describe())
            : tr("Restore of %1 as of %2 (revision %3)").arg(m_bucket, m_point.describe()).arg(m_read->revision()));
    table.setHeaders({tr("Key"), tr("Result"), tr("Revision"), tr("Detail")});
    table.setRightAligned({2});
    for (const KvRestoreJob::Result &result : results) {
        const QString outcome = KvRestoreJob::outcomeName(result.outcome);
        if (out()->json()) {
            out()->printJson({{u"key"_s, result.key},
                              {u"result"_s, outcome},
                              {u"revision"_s, qint64(result.revision)},
                              {u"detail"_s, result.detail}});
        } else {
            table.addRow(
                {result.key, outcome, result.revision ? QString::number(result.revision) : QString(), result.detail});
        }
    }
    if (!out()->json())
        out()->print(table.rowCount() > 0 ? table.render() : tr("Nothing to restore\n"));
    if (m_job->error() != NatsError::NoError) {
        fail(m_job->errorInfo());
        return;
    }
    const int notDone = m_job->count(Outcome::ChangedSince) + m_job->count(Outcome::Unanswerable)
        + m_job->count(Outcome::Failed);
    QStringList problems;
    // A key named that the bucket knows neither then nor now is a mistyped name, most likely: said as get
    // says a missing key, and the exit status says it (it was "unchanged", exit status 0).
    for (const KvRestoreJob::Result &result : results) {
        if (result.outcome == Outcome::NotFound)
            problems.append(tr("key \"%1\" not found in bucket \"%2\", then (as of %3) or now")
                                .arg(result.key, m_bucket, m_point.describe()));
    }
    if (notDone > 0)
        problems.append(tr("%1: %2").arg(m_bucket, m_job->summary()));
    // Keys the bucket no longer names at all were not restored, nor named: said, never silently.
    if (!m_read->isComplete())
        problems.append(m_read->incompleteReason());
    if (const QString last = CliAsOf::allButLast(out(), problems); !last.isEmpty()) {
        fail(last);
        return;
    }
    finish();
}
