#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QByteArrayView>
#include <QtCore/QDateTime>
#include <QtCore/QString>
#include <QtCore/QStringView>

// How natscli prints values, so kvdesk-cli output reads (and scripts parse) the same: counts with
// thousands commas, times as local "2006-01-02 15:04:05", table cells cut as natscli cuts them.
// Durations and sizes (reading and printing) are KvUnits', shared with the app.
class KvFormat
{
public:
    // natscli's "Last Update": time since t, or "never" when t is invalid.
    static QString since(const QDateTime &t, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // go-humanize Comma: "1,234,567".
    static QString comma(qint64 value);
    // natscli's time form, local time: "2006-01-02 15:04:05".
    static QString localTime(const QDateTime &t);
    // Appends localTime() of msecsSinceEpoch to out as UTF-8, the same 19 characters, without a QDateTime
    // or QString per call: a watch prints one per line, and lines of one second share the text worked out
    // once (a cache per thread). Falls back to localTime() for years it cannot write as four digits.
    static void appendLocalTime(QByteArray *out, qint64 msecsSinceEpoch);
    // Appends text as UTF-8 without a temporary (ASCII, which keys and bucket names mostly are, is copied).
    static void appendUtf8(QByteArray *out, QStringView text);
    // Appends a value for a line of text: the value itself when isText(), else "(base64) " and its base64.
    static void appendValueText(QByteArray *out, const QByteArray &value);
    // Whether value prints as what it is on one line of a terminal: UTF-8 without control characters but
    // the tab (a newline would print what reads as another line, an escape sequence would be run by the
    // terminal, C1 controls included) and without a leading byte order mark (shown as nothing). A byte
    // that is not UTF-8 would print as U+FFFD, the same as a real U+FFFD.
    static bool isText(QByteArrayView value);
    // text with each control character (tab, newline, escape, C1 controls) written as "\x1B", for one
    // line of a table or a listing: a description with an escape sequence or a newline printed as it is
    // would be run by the terminal or break the table's lines.
    static QString withControlsEscaped(const QString &text);
    // Go's RFC822 layout, local time: "02 Jan 06 15:04 CEST" (natscli's `kv get` header).
    static QString rfc822(const QDateTime &t);
    // UTC RFC 3339 with milliseconds, for JSON: "2024-05-01T10:00:00.123Z".
    static QString isoTime(const QDateTime &t);
    // A value for people, as appendValueText() writes it: its text, or "(base64) …" when it is not one
    // line of text. (natscli's Base64IfNotPrintable took any byte beyond ASCII for binary, and printed
    // "日本語" as unlabelled base64 that reads as the value.)
    static QString valueText(const QByteArray &value);
    // natscli's table cut: longer than 40 characters becomes "first 15...last 15".
    static QString abbreviate(const QString &text);
};
