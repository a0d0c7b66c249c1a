#include "jstimestamp.h"

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

// The number written by count ASCII digits at text[at], or -1.
int number(QStringView text, qsizetype at, qsizetype count)
{
    if (at + count > text.size())
        return -1;
    int value = 0;
    for (qsizetype i = at; i < at + count; ++i) {
        const char16_t c = text[i].unicode();
        if (c < u'0' || c > u'9')
            return -1;
        value = value * 10 + (c - u'0');
    }
    return value;
}

// The two layouts servers write ("2026-11-25T16:12:56.750597061Z", "2006-01-02 15:04:05.999 +0000 UTC"),
// read without the regular expression, which a whole `kvdesk-cli get` spent 7 % of its instructions
// compiling and running. True only for text that the pattern reads the same way, to the same time;
// anything else (other spacing, Unicode digits, invalid dates) goes to the pattern.
bool parseCommon(QStringView text, QDateTime *result)
{
    const int year = number(text, 0, 4);
    const int month = number(text, 5, 2);
    const int day = number(text, 8, 2);
    const int hour = number(text, 11, 2);
    const int minute = number(text, 14, 2);
    const int second = number(text, 17, 2);
    if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || text[4] != u'-' || text[7] != u'-'
        || (text[10] != u'T' && text[10] != u' ') || text[13] != u':' || text[16] != u':')
        return false;
    qsizetype at = 19;
    int ms = 0;
    if (at < text.size() && text[at] == u'.') {
        const qsizetype first = ++at;
        while (at < text.size() && number(text, at, 1) >= 0)
            ++at;
        if (at == first)
            return false;
        for (qsizetype i = first; i < first + 3; ++i)
            ms = ms * 10 + (i < at ? number(text, i, 1) : 0);
    }
    int offsetSeconds = 0;
    if (at < text.size() && text[at] == u'Z') {
        ++at;
    } else if (at < text.size()) {
        if (text[at] == u' ')
            ++at;
        const int sign = at < text.size() && text[at] == u'-' ? -1 : 1;
        if (at >= text.size() || (text[at] != u'+' && text[at] != u'-'))
            return false;
        const bool colon = at + 3 < text.size() && text[at + 3] == u':';
        const int hours = number(text, at + 1, 2);
        const int minutes = number(text, at + (colon ? 4 : 3), 2);
        if (hours < 0 || minutes < 0)
            return false;
        offsetSeconds = sign * (hours * 3600 + minutes * 60);
        at += colon ? 6 : 5;
        if (at < text.size()) { // " UTC": a zone name after the offset
            if (text[at] != u' ' || at + 1 == text.size())
                return false;
            for (++at; at < text.size(); ++at) {
                if (!((text[at] >= u'A' && text[at] <= u'Z') || (text[at] >= u'a' && text[at] <= u'z')))
                    return false;
            }
        }
    }
    if (at != text.size())
        return false;
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (!date.isValid() || !time.isValid() || year <= 1)
        return false;
    *result = QDateTime(date, time.addMSecs(ms), Qt::UTC).addSecs(-offsetSeconds);
    return true;
}

} // namespace

namespace JsTimestamp {

QDateTime parse(const QString &text)
{
    QDateTime common;
    if (parseCommon(text, &common))
        return common;
    // 1: date, 2: time, 3: fraction, 4: zone (Z, +hh:mm, or " +0000 UTC")
    static const QRegularExpression pattern(
        uR"(^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?(?:\s+\w+)?$)"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return {};
    const QDate date = QDate::fromString(match.captured(1), Qt::ISODate);
    const QTime time = QTime::fromString(match.captured(2), u"HH:mm:ss"_s);
    if (!date.isValid() || !time.isValid() || date.year() <= 1)
        return {};
    const QString fraction = QString(match.captured(3) + u"000"_s).left(3);
    QDateTime result(date, time.addMSecs(fraction.toInt()), Qt::UTC);
    const QString zone = match.captured(4);
    if (!zone.isEmpty() && zone != "Z"_L1) {
        const int sign = zone.startsWith(u'-') ? -1 : 1;
        const QString digits = zone.mid(1).remove(u':');
        const int offsetSeconds = sign * (digits.left(2).toInt() * 3600 + digits.mid(2, 2).toInt() * 60);
        result = result.addSecs(-offsetSeconds);
    }
    return result;
}

QDateTime fromNanoseconds(qint64 nanoseconds)
{
    if (nanoseconds <= 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(nanoseconds / 1000000, Qt::UTC);
}

} // namespace JsTimestamp
