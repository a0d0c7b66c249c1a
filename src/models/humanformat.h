#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QString>
#include <QtCore/QStringList>

// How kvdesk shows counts and times to people: times in local time (the UTC value goes in tooltips).
// Durations and sizes are KvUnits' (src/kv), shared with kvdesk-cli.
namespace HumanFormat {

QString count(qint64 value);              // "12,408"
QString localTime(const QDateTime &time); // "2026-11-25 17:01:03", or "never" when invalid
QString utcTime(const QDateTime &time);   // "2026-11-25T16:01:03.123Z"
// For a column of times: today's as "17:01:03", another day's as "2026-11-25" (local time both, "never"
// when invalid); the whole time goes in the tooltip (fullTime()).
QString shortLocalTime(const QDateTime &time, const QDateTime &now = QDateTime::currentDateTime());
QString fullTime(const QDateTime &time); // "2026-11-25 17:01:03 (UTC 2026-11-25T16:01:03.123Z)"
QString revision(quint64 revision);      // "rev 88"
// The library's messages are worded to go inside a sentence ("bucket \"a\" is ..."); shown on their
// own, they start with a capital and end with a full stop.
QString sentence(const QString &text);
// Names for a question or a report, one a line: the first shown of them, then "and 3 more".
QString lines(const QStringList &names, qsizetype shown = 10);

} // namespace HumanFormat
