#include "kvasofpoint.h"

#include "kvunits.h"

#include <QtCore/QCoreApplication>

#include <limits>

using namespace Qt::StringLiterals;

bool KvAsOfPoint::parse(const QString &text, KvAsOfPoint *point, QString *error, const QDateTime &now)
{
    const QString trimmed = text.trimmed();
    bool isNumber = false;
    const quint64 revision = trimmed.toULongLong(&isNumber);
    if (isNumber) {
        // A bare number is a revision, never a duration: revisions are what the history shows.
        if (revision == 0) {
            *error = QCoreApplication::translate("KvAsOfPoint", "revision 0 is before the bucket's first entry");
            return false;
        }
        if (revision > quint64(std::numeric_limits<qint64>::max())) {
            *error = QCoreApplication::translate("KvAsOfPoint",
                                                 "invalid revision %1: a revision is a number from 1 "
                                                 "to %2")
                         .arg(trimmed)
                         .arg(std::numeric_limits<qint64>::max());
            return false;
        }
        *point = atRevision(revision);
        return true;
    }
    // "2026-11-30 10:42" as well as RFC 3339's T: the window's field describes a time so, and people write
    // it so (RFC 3339 allows the space too).
    QString iso = trimmed;
    if (iso.size() > 10 && iso.at(10) == u' ')
        iso[10] = u'T';
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (time.isValid() && iso.contains(u'T')) {
        *point = atTime(time);
        return true;
    }
    // A duration ago: "1h", or "1h ago" as the window's field suggests it.
    QString duration = trimmed;
    if (duration.endsWith("ago"_L1, Qt::CaseInsensitive))
        duration = duration.chopped(3).trimmed();
    qint64 ns = 0;
    QString durationError;
    if (KvUnits::parseDuration(duration, &ns, &durationError) && ns > 0) {
        *point = atTime(now.addMSecs(-(ns / KvUnits::NsPerMs)));
        return true;
    }
    *error = QCoreApplication::translate("KvAsOfPoint",
                                         "\"%1\" is neither a revision, an RFC 3339 time nor a duration ago (1h)")
                 .arg(text);
    return false;
}

QString KvAsOfPoint::describe() const
{
    switch (kind) {
    case Kind::Latest:
        return QCoreApplication::translate("KvAsOfPoint", "now");
    case Kind::Revision:
        return QCoreApplication::translate("KvAsOfPoint", "revision %1").arg(revision);
    case Kind::Time:
        break;
    }
    return time.toString(Qt::ISODateWithMs);
}
