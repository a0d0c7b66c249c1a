#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QDateTime>
#include <QtCore/QString>

// How natscli prints and parses values, so kvdesk-cli output reads (and scripts parse) the same:
// sizes as go-humanize's IBytes ("1.2 KiB"), counts with thousands commas, times as local
// "2006-01-02 15:04:05", durations as natscli's HumanizeDuration ("1h30m0s", "5.00s", "never") or Go's
// time.Duration String() ("1h30m0s", "5s", "250ms"), and duration/size flags in their syntax.
class KvFormat
{
public:
    static constexpr qint64 NsPerMs = 1000000;
    static constexpr qint64 NsPerSecond = 1000000000;

    // Go's time.Duration.String().
    static QString goDuration(qint64 ns);
    // natscli's HumanizeDuration: Go's form below a second, "%dm%ds"-style above, "never" for the maximum.
    static QString humanizeDuration(qint64 ns);
    // natscli's "Last Update": time since t, or "never" when t is invalid.
    static QString since(const QDateTime &t, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // Go duration syntax ("1h30m", "1.5s", "300ms") plus natscli's d (day), w (week), M (30 days), y (year).
    static bool parseDuration(const QString &text, qint64 *ns, QString *error);
    // natscli's byte sizes: "1024", "1K", "1KB", "1KiB", "5M", "2G", "1T" (1024-based); negative means -1.
    static bool parseBytes(const QString &text, qint64 *bytes, QString *error);
    // go-humanize IBytes: "9 B", "1.2 KiB", "12 MiB".
    static QString iBytes(quint64 bytes);
    // go-humanize Comma: "1,234,567".
    static QString comma(qint64 value);
    // natscli's time form, local time: "2006-01-02 15:04:05".
    static QString localTime(const QDateTime &t);
    // Go's RFC822 layout, local time: "02 Jan 06 15:04 CEST" (natscli's `kv get` header).
    static QString rfc822(const QDateTime &t);
    // UTC RFC 3339 with milliseconds, for JSON: "2024-05-01T10:00:00.123Z".
    static QString isoTime(const QDateTime &t);
    // natscli's Base64IfNotPrintable: the bytes when all are printable ASCII, else standard base64.
    static QString base64IfNotPrintable(const QByteArray &value);
    // natscli's table cut: longer than 40 characters becomes "first 15...last 15".
    static QString abbreviate(const QString &text);
};
