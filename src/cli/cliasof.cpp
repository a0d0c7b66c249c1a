#include "cliasof.h"

#include "clioutput.h"

using namespace Qt::StringLiterals;

QString CliAsOf::parse(const QString &option, const QString &text, KvAsOfPoint *point)
{
    QString error;
    if (KvAsOfPoint::parse(text, point, &error))
        return {};
    return tr("--%1: %2").arg(option, error);
}

QString CliAsOf::unanswerable(const QString &bucket, const KvAsOfPoint &point, const QStringList &keys)
{
    constexpr int shown = 20;
    QString list = keys.mid(0, shown).join(", "_L1);
    if (keys.size() > shown)
        list += tr(" and %1 more").arg(keys.size() - shown);
    const QString text = keys.size() == 1
        ? tr("bucket \"%1\" no longer holds the value as of %2 of 1 key (history limit, age or purge): %3")
        : tr("bucket \"%1\" no longer holds the value as of %2 of %n keys (history limit, age or purge): %3", nullptr,
             int(keys.size()));
    return text.arg(bucket, point.describe(), list);
}

QString CliAsOf::allButLast(CliOutput *out, const QStringList &problems)
{
    for (qsizetype i = 0; i + 1 < problems.size(); ++i)
        out->error(problems[i]);
    return problems.isEmpty() ? QString() : problems.last();
}
