#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QString>

// Durations and sizes as natscli reads and prints them, for the app and kvdesk-cli alike, so a bucket TTL
// or size limit means the same in both.
//
// Durations are Go's syntax (ns, us/µs, ms, s, m, h; fractions; a leading sign) plus natscli's units (its
// flag parser, choria-io/fisk ParseDuration): d = 24 h, w = 7 d, M = 30 d, y = 365 d. So "1M" is a
// month and "1m" a minute. As in natscli, a d/w/M/y part counts whole hours ("0.1d" is 2h) and upper-case
// D, W, Y are accepted, but not H, S or MS. Unlike natscli, text between the parts is refused, not
// skipped.
//
// Sizes are natscli's (ParseStringAsBytes): a whole number of bytes with an optional unit B, K, KB, KiB,
// M, MB, MiB, G, GB, GiB, T, TB or TiB (any case, all 1024-based); empty or negative means -1 (unlimited).
// Unlike natscli, a space may stand between number and unit and nothing may follow the unit.
class KvUnits
{
    Q_DECLARE_TR_FUNCTIONS(KvUnits)

public:
    static constexpr qint64 NsPerMs = 1000000;
    static constexpr qint64 NsPerSecond = 1000000000;

    // "1h30m", "90s", "1.5s", "2d", "1M", "-5m", "0". False with *error naming the problem.
    static bool parseDuration(const QString &text, qint64 *ns, QString *error);
    // A duration in whole milliseconds, as bucket settings and timeouts keep them: refuses a negative
    // duration and one above zero but under a millisecond (which would read as "none").
    static bool parseMilliseconds(const QString &text, qint64 *ms, QString *error);
    // "1024", "1K", "64KiB", "5 MB", "-1". False with *error naming the problem.
    static bool parseSize(const QString &text, qint64 *bytes, QString *error);

    // Go's time.Duration.String(): "1h30m0s", "1.5s", "250ms", "1.5µs", "0s" (exact, so it parses back).
    static QString goDuration(qint64 ns);
    // natscli's HumanizeDuration: Go's form below a second, then "5.00s", "2m5s", "1d2h0m0s",
    // "1y35d0h0m0s", and "never" for the largest duration.
    static QString humanizeDuration(qint64 ns);
    // go-humanize's IBytes: "9 B", "1.2 KiB", "12 MiB" (1024-based, one decimal below 10).
    static QString iBytes(qint64 bytes);
    // A limit as the user would type it, exactly (what is shown reads back as the same value, so a setting
    // saved unchanged stays): a duration of ms > 0 in days, hours, minutes and seconds ("1h", "1d12h",
    // "1m1.5s", "250ms"); a size of bytes > 0 in the largest 1024-based unit it is a whole number of
    // ("10MiB", "1536KiB"), else in bytes ("1000").
    static QString typedDuration(qint64 ms);
    static QString typedSize(qint64 bytes);
};
