#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QString>

// How kvdesk shows numbers and times to people: sizes in B/KiB/MiB, durations as natscli prints them,
// times in local time (the UTC value goes in tooltips).
namespace HumanFormat {

QString size(qint64 bytes);               // "0 B", "512 B", "1.2 KiB", "3.4 MiB"
QString count(qint64 value);              // "12,408"
QString duration(qint64 milliseconds);    // "1h30m0s", "5s", "250ms", "0s" (Go's time.Duration)
QString localTime(const QDateTime &time); // "2026-11-25 17:01:03", or "never" when invalid
QString utcTime(const QDateTime &time);   // "2026-11-25T16:01:03.123Z"
QString revision(quint64 revision);       // "rev 88"

// Parses "1h30m", "90s", "2d", "500ms", "0" into milliseconds. False (with *error) when it is not a duration.
bool parseDuration(const QString &text, qint64 *milliseconds, QString *error);
// Parses "1024", "10KiB", "10K", "5MB", "1.5GiB" into bytes. False (with *error) when it is not a size.
bool parseSize(const QString &text, qint64 *bytes, QString *error);

} // namespace HumanFormat
