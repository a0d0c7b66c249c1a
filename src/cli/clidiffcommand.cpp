#include "clidiffcommand.h"

#include "cliasof.h"
#include "clijson.h"
#include "clioutput.h"
#include "clitable.h"
#include "kvasofdiff.h"
#include "kvformat.h"
#include "kvnames.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QJsonObject>

using namespace Qt::StringLiterals;

DiffCommand::DiffCommand(QObject *parent)
    : CliCommand({u"diff"_s,
                  {},
                  tr("Show the keys added, removed and changed between two points of the bucket"),
                  u"BUCKET [FILTER]"_s,
                  1,
                  2},
                 parent)
{
}

void DiffCommand::addOptions(QCommandLineParser *parser)
{
    parser->addOption(QCommandLineOption(
        u"from"_s, tr("Compare from right after this revision, or this time (RFC 3339, or a duration ago: 1h)"),
        u"REVISION|TIME"_s));
    parser->addOption(
        QCommandLineOption(u"to"_s, tr("Compare to this revision or time (default: now)"), u"REVISION|TIME"_s));
}

QString DiffCommand::prepare(const QCommandLineParser &parser, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_filter = arguments.value(1);
    if (!parser.isSet(u"from"_s))
        return tr("diff needs --from REVISION|TIME");
    if (const QString problem = CliAsOf::parse(u"from"_s, parser.value(u"from"_s), &m_from); !problem.isEmpty())
        return problem;
    if (parser.isSet(u"to"_s))
        if (const QString problem = CliAsOf::parse(u"to"_s, parser.value(u"to"_s), &m_to); !problem.isEmpty())
            return problem;
    if (!m_filter.isEmpty())
        if (const QString problem = KvNames::validateKeyFilter(m_filter); !problem.isEmpty())
            return problem;
    return checkBucket(m_bucket);
}

void DiffCommand::run()
{
    m_diff = new KvAsOfDiff(bucket(m_bucket), m_from, m_to, m_filter, this);
    connect(m_diff, &KvAsOfDiff::finished, this, &DiffCommand::done);
}

void DiffCommand::done()
{
    if (m_diff->error() != NatsError::NoError) {
        fail(m_diff->errorInfo());
        return;
    }
    // Keys either point cannot answer for are left out of the rows (a guess would look like a real
    // difference), each named with the point that cannot; and keys may be missing from an incomplete read.
    QStringList problems;
    if (!m_diff->unanswerableFrom().isEmpty())
        problems.append(CliAsOf::unanswerable(m_bucket, m_from, m_diff->unanswerableFrom()));
    if (!m_diff->unanswerableTo().isEmpty())
        problems.append(CliAsOf::unanswerable(m_bucket, m_to, m_diff->unanswerableTo()));
    if (!m_diff->isComplete())
        problems.append(m_diff->incompleteReason());
    if (out()->json())
        printJson();
    else
        printTable(!problems.isEmpty());
    if (const QString last = CliAsOf::allButLast(out(), problems); !last.isEmpty()) {
        fail(last);
        return;
    }
    finish();
}

void DiffCommand::printJson()
{
    const auto entryJson = [](const std::optional<KvEntry> &entry) {
        return entry ? QJsonValue(CliJson::entry(*entry)) : QJsonValue(QJsonValue::Null);
    };
    for (const KvAsOfChange &change : m_diff->changes()) {
        out()->printJson({{u"key"_s, change.key},
                          {u"change"_s, KvAsOfChange::kindName(change.kind)},
                          {u"from"_s, entryJson(change.from)},
                          {u"to"_s, entryJson(change.to)}});
    }
}

void DiffCommand::printTable(bool partial)
{
    CliTable table(
        tr("Changes in %1 from revision %2 to %3").arg(m_bucket).arg(m_diff->fromRevision()).arg(m_diff->toRevision()));
    table.setHeaders({tr("Key"), tr("Change"), tr("From Rev"), tr("From"), tr("To Rev"), tr("To")});
    table.setRightAligned({2, 4});
    const auto revision = [](const std::optional<KvEntry> &entry) {
        return entry ? QString::number(entry->revision) : QString();
    };
    const auto value = [](const std::optional<KvEntry> &entry) {
        return entry ? KvFormat::abbreviate(KvFormat::valueText(entry->value)) : QString();
    };
    for (const KvAsOfChange &change : m_diff->changes()) {
        table.addRow({change.key, KvAsOfChange::kindName(change.kind), revision(change.from), value(change.from),
                      revision(change.to), value(change.to)});
    }
    // Keys left out (partial: unanswerable, or possibly missing from an incomplete read) may be exactly the
    // ones that changed: then no row proves nothing, and the line must not read as if every key was compared.
    if (table.rowCount() == 0 && partial)
        out()->printLine(tr("No changes found among the keys that could be compared in %1 from revision %2 to %3")
                             .arg(m_bucket)
                             .arg(m_diff->fromRevision())
                             .arg(m_diff->toRevision()));
    else if (table.rowCount() == 0)
        out()->printLine(tr("No changes in %1 from revision %2 to %3")
                             .arg(m_bucket)
                             .arg(m_diff->fromRevision())
                             .arg(m_diff->toRevision()));
    else
        out()->print(table.render());
}
