#pragma once

#include "kvasofpoint.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>
#include <QtCore/QStringList>

class CliOutput;

// What `export --as-of`, `diff` and `restore` share: reading a REVISION|TIME argument, and telling which
// keys the bucket can no longer answer for, or that keys may be missing (an incomplete read).
class CliAsOf final
{
    Q_DECLARE_TR_FUNCTIONS(CliAsOf)

public:
    // Why text is no point (naming the option), or an empty string when *point was set.
    static QString parse(const QString &option, const QString &text, KvAsOfPoint *point);
    // "bucket B cannot tell the value as of P of 2 keys (history limit, age or purge): a, b" (the first 20).
    static QString unanswerable(const QString &bucket, const KvAsOfPoint &point, const QStringList &keys);
    // Says every problem but the last on stderr (as errors) and returns the last, for the command's
    // fail(): an empty string when there are none.
    static QString allButLast(CliOutput *out, const QStringList &problems);
};
