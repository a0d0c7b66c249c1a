#include "cliwatchcommand.h"

#include "clijson.h"
#include "clioutput.h"
#include "kvbucket.h"
#include "kvformat.h"
#include "kvnames.h"

#include <QtCore/QCommandLineParser>

using namespace Qt::StringLiterals;

WatchCommand::WatchCommand(QObject *parent)
    : CliCommand({u"watch"_s, {}, tr("Watch the bucket or some keys for changes"), u"BUCKET [KEY-FILTER...]"_s, 1, -1},
                 parent)
{
}

void WatchCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOptions({
        QCommandLineOption(u"history"_s, tr("Start with every kept revision instead of the latest per key")),
        QCommandLineOption(u"no-deletes"_s, tr("Skip delete and purge markers")),
        QCommandLineOption(u"updates"_s, tr("Only changes from now on, no initial values")),
        QCommandLineOption(u"revision"_s, tr("Start at this revision"), u"N"_s),
    });
}

QString WatchCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_filters = arguments.mid(1);
    if (m_filters.isEmpty())
        m_filters.append(u">"_s);
    QString problem = checkBucket(m_bucket);
    for (const QString &filter : std::as_const(m_filters)) {
        if (problem.isEmpty())
            problem = KvNames::validateKeyFilter(filter);
    }
    m_options.includeHistory = parser.isSet(u"history"_s);
    m_options.ignoreDeletes = parser.isSet(u"no-deletes"_s);
    m_options.updatesOnly = parser.isSet(u"updates"_s);
    if (problem.isEmpty() && parser.isSet(u"revision"_s))
        problem = parseRevision(parser.value(u"revision"_s), &m_options.resumeFromRevision);
    return problem.isEmpty() ? m_options.validate() : problem;
}

void WatchCommand::run()
{
    KvWatcher *watcher = bucket(m_bucket)->watch(m_filters, m_options);
    connect(watcher, &KvWatcher::entryReceived, this, &WatchCommand::print);
    connect(watcher, &KvWatcher::errorOccurred, this,
            [this, watcher] { fail(NatsError(watcher->error(), watcher->errorString())); });
    connect(watcher, &KvWatcher::recovering, this, [this](quint64 fromRevision, const QString &reason) {
        out()->note(tr("watch interrupted (%1): resuming from revision %2").arg(reason).arg(fromRevision));
    });
}

void WatchCommand::print(const KvEntry &entry)
{
    if (out()->json()) {
        out()->printJson(CliJson::entry(entry, true));
    } else if (entry.isDeleted()) {
        const QString operation = entry.isLimitMarker()
            ? entry.operationLabel()
            : (entry.operation == KvEntry::Operation::Purge ? u"PURGE"_s : u"DELETE"_s);
        out()->printLine(
            u"[%1] %2 %3 > %4"_s.arg(KvFormat::localTime(entry.created), operation, entry.bucket, entry.key));
    } else {
        out()->printLine(u"[%1] PUT %2 > %3: "_s.arg(KvFormat::localTime(entry.created), entry.bucket, entry.key)
                         + QString::fromUtf8(entry.value));
    }
    out()->flush();
}
