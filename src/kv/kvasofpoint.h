#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QString>

// A point in a bucket's past: right after a revision (a stream sequence), at a time, or now.
struct KvAsOfPoint
{
    enum class Kind {
        Latest,
        Revision,
        Time
    };

    Kind kind = Kind::Latest;
    quint64 revision = 0; // Revision
    QDateTime time;       // Time (UTC)

    static KvAsOfPoint latest() { return {}; }
    static KvAsOfPoint atRevision(quint64 revision) { return {Kind::Revision, revision, {}}; }
    static KvAsOfPoint atTime(const QDateTime &time) { return {Kind::Time, 0, time.toUTC()}; }

    // "1234" is a revision; an RFC 3339 time ("2026-11-30T10:42:00Z") a time; a duration as natscli takes
    // it ("1h", "90s", read by KvUnits) that long before now. False, with *error saying why, otherwise.
    static bool parse(const QString &text, KvAsOfPoint *point, QString *error,
                      const QDateTime &now = QDateTime::currentDateTimeUtc());
    // "revision 1234", "2026-11-30T10:42:00Z", "now".
    QString describe() const;
};
