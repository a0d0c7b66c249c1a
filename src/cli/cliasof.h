#pragma once

#include "kvasofpoint.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QString>
#include <QtCore/QStringList>

// What `export --as-of` and `diff` share: reading a REVISION|TIME argument, and telling which keys the
// bucket can no longer answer for.
class CliAsOf final
{
    Q_DECLARE_TR_FUNCTIONS(CliAsOf)

public:
    // Why text is no point (naming the option), or an empty string when *point was set.
    static QString parse(const QString &option, const QString &text, KvAsOfPoint *point);
    // "bucket B cannot tell the value as of P of 2 keys (history limit, age or purge): a, b" (the first 20).
    static QString unanswerable(const QString &bucket, const KvAsOfPoint &point, const QStringList &keys);
};
