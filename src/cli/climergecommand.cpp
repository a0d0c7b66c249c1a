#include "climergecommand.h"

#include "clijson.h"
#include "clioutput.h"
#include "kvjsonmerge.h"
#include "kvmergeupdate.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QFile>
#include <QtCore/QJsonObject>

#include <unistd.h>

using namespace Qt::StringLiterals;

MergeCommand::MergeCommand(QObject *parent)
    : CliCommand({u"merge"_s,
                  {},
                  tr("Merge FILE (or stdin), edited from BASE_REVISION, with the key's value now, and write it"),
                  u"BUCKET KEY BASE_REVISION [FILE]"_s,
                  3,
                  4},
                 parent)
{
}

QString MergeCommand::prepare(const QCommandLineParser &, const QStringList &arguments)
{
    m_bucket = arguments[0];
    m_key = arguments[1];
    QString problem = checkBucket(m_bucket);
    if (problem.isEmpty())
        problem = checkExistingKey(m_key, m_bucket); // merged into the value it has
    if (problem.isEmpty())
        problem = parseRevision(arguments[2], &m_baseRevision);
    if (!problem.isEmpty())
        return problem;
    m_path = arguments.value(3);
    QFile input(m_path);
    const bool opened = m_path.isEmpty() || m_path == "-"_L1 ? input.open(STDIN_FILENO, QIODevice::ReadOnly)
                                                             : input.open(QIODevice::ReadOnly);
    if (m_path.isEmpty() && CliOutput::stdinIsTerminal())
        return tr("merge reads the edited value from FILE or stdin, and stdin is a terminal");
    if (!opened)
        return tr("cannot read %1: %2").arg(m_path, input.errorString());
    return readValue(&input, m_path.isEmpty() || m_path == "-"_L1 ? tr("stdin") : m_path, &m_ours);
}

void MergeCommand::run()
{
    const QString label = m_path.isEmpty() || m_path == "-"_L1 ? tr("stdin") : m_path;
    m_merge = new KvMergeUpdate(bucket(m_bucket), m_key, m_baseRevision, m_ours, label, this);
    connect(m_merge, &KvMergeUpdate::finished, this, &MergeCommand::done);
}

void MergeCommand::done()
{
    const KvEntry current = m_merge->current();
    switch (m_merge->outcome()) {
    case KvMergeUpdate::Outcome::Written:
        if (out()->json())
            out()->printJson(CliJson::write(m_bucket, m_key, m_merge->revision(), KvEntry::Operation::Put));
        else
            out()->printLine(tr("Merged %1 (from revision %2) with revision %3 of %4: saved as revision %5")
                                 .arg(m_path.isEmpty() ? tr("stdin") : m_path)
                                 .arg(m_baseRevision)
                                 .arg(current.revision)
                                 .arg(m_key)
                                 .arg(m_merge->revision()));
        finish();
        return;
    case KvMergeUpdate::Outcome::AlreadyMerged:
        if (m_ours != m_merge->base().value && KvJsonMerge::sameValue(m_ours, m_merge->base().value))
            out()->note(tr("%1 already holds the merged value (revision %2): nothing written. Your value changes "
                           "only the layout of revision %3 (spaces and line breaks), which a merge of JSON "
                           "members does not keep")
                            .arg(m_key)
                            .arg(current.revision)
                            .arg(m_baseRevision));
        else
            out()->note(tr("%1 already holds the merged value (revision %2): nothing written")
                            .arg(m_key)
                            .arg(current.revision));
        finish();
        return;
    case KvMergeUpdate::Outcome::Conflicts:
        printConflicts();
        fail(tr("%1 between your changes to %2 (from revision %3) and revision %4: nothing written")
                 .arg(m_merge->result().conflicts.size() == 1
                          ? tr("1 conflict")
                          : tr("%1 conflicts").arg(m_merge->result().conflicts.size()),
                      m_key)
                 .arg(m_baseRevision)
                 .arg(current.revision));
        return;
    case KvMergeUpdate::Outcome::Failed:
    case KvMergeUpdate::Outcome::Pending:
        fail(tr("%1: nothing written").arg(m_merge->errorString()));
        return;
    }
}

void MergeCommand::printConflicts()
{
    const KvMergeResult result = m_merge->result();
    const bool json = result.kind == KvMergeResult::Kind::Json;
    const auto text = [json](const std::optional<QByteArray> &side) {
        return json ? KvJsonMerge::oneLine(side) : side ? QString::fromUtf8(*side) : QString();
    };
    const QString theirs = tr("revision %1").arg(m_merge->current().revision);
    const QString base = tr("revision %1").arg(m_baseRevision);
    for (const KvMergeConflict &conflict : result.conflicts) {
        if (out()->json()) {
            const auto value = [&text](const std::optional<QByteArray> &side) {
                return side ? QJsonValue(text(side)) : QJsonValue(QJsonValue::Null);
            };
            out()->printJson({{u"key"_s, m_key},
                              {u"where"_s, conflict.where},
                              {u"base"_s, value(conflict.base)},
                              {u"ours"_s, value(conflict.ours)},
                              {u"theirs"_s, value(conflict.theirs)}});
            continue;
        }
        const QString where = conflict.where.isEmpty() && json ? tr("the whole value") : conflict.where;
        out()->printLine(tr("conflict at %1:").arg(where));
        const QList<std::pair<QString, QString>> sides = {{tr("base (%1)").arg(base), text(conflict.base)},
                                                          {tr("yours"), text(conflict.ours)},
                                                          {tr("theirs (%1)").arg(theirs), text(conflict.theirs)}};
        for (const auto &[name, value] : sides) {
            if (json || !value.contains(u'\n'))
                out()->printLine(u"  "_s + name + u": "_s + value);
            else
                out()->print(u"  "_s + name + u":\n"_s + u"    "_s + value.chopped(1).replace(u'\n', "\n    "_L1)
                             + u'\n');
        }
    }
}
