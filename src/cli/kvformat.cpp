#include "kvformat.h"

#include "kvunits.h"

#include <QtCore/QLocale>
#include <QtCore/QTimeZone>

#include <algorithm>
#include <ctime>
#include <limits>

using namespace Qt::StringLiterals;

QString KvFormat::since(const QDateTime &t, const QDateTime &now)
{
    // Go's time.Since(zero time) saturates at the maximum duration, which natscli prints as "never".
    if (!t.isValid() || t.toMSecsSinceEpoch() <= 0)
        return KvUnits::humanizeDuration(std::numeric_limits<qint64>::max());
    const qint64 ms = std::max<qint64>(0, t.msecsTo(now));
    return KvUnits::humanizeDuration(ms * KvUnits::NsPerMs);
}

QString KvFormat::comma(qint64 value)
{
    QString digits = QString::number(value < 0 ? -value : value);
    for (qsizetype at = digits.size() - 3; at > 0; at -= 3)
        digits.insert(at, u',');
    return value < 0 ? u'-' + digits : digits;
}

QString KvFormat::localTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s) : QString();
}

void KvFormat::appendLocalTime(QByteArray *out, qint64 msecsSinceEpoch)
{
    struct Cache
    {
        qint64 second = std::numeric_limits<qint64>::min();
        char text[20] = {};
        bool valid = false;
    };
    thread_local Cache cache;
    const qint64 second = msecsSinceEpoch >= 0 ? msecsSinceEpoch / 1000 : (msecsSinceEpoch - 999) / 1000;
    if (second != cache.second) {
        cache.second = second;
        const std::time_t t = std::time_t(second);
        std::tm local = {};
        cache.valid = ::localtime_r(&t, &local) && local.tm_year >= 1000 - 1900 && local.tm_year <= 9999 - 1900
            && std::strftime(cache.text, sizeof cache.text, "%Y-%m-%d %H:%M:%S", &local) == 19;
    }
    if (cache.valid)
        out->append(cache.text, 19);
    else
        out->append(localTime(QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC)).toUtf8());
}

void KvFormat::appendUtf8(QByteArray *out, QStringView text)
{
    const qsizetype start = out->size();
    out->resize(start + text.size());
    char *to = out->data() + start;
    for (const QChar c : text) {
        if (c.unicode() >= 0x80) {
            out->truncate(start);
            out->append(text.toUtf8());
            return;
        }
        *to++ = char(c.unicode());
    }
}

void KvFormat::appendValueText(QByteArray *out, const QByteArray &value)
{
    if (isText(value)) {
        out->append(value);
    } else {
        out->append("(base64) ");
        out->append(value.toBase64());
    }
}

bool KvFormat::isText(QByteArrayView value)
{
    if (value.startsWith("\xEF\xBB\xBF"))
        return false;
    for (qsizetype i = 0; i < value.size(); ++i) {
        const auto byte = uchar(value[i]);
        if ((byte < 0x20 && byte != '\t') || byte == 0x7F)
            return false;
        // U+0080..U+009F, the C1 controls (U+009B starts an escape sequence on some terminals).
        if (byte == 0xC2 && i + 1 < value.size() && uchar(value[i + 1]) < 0xA0)
            return false;
        // U+2028 and U+2029 break the line; U+202A..U+202E and U+2066..U+2069 turn the text after them
        // around where bidirectional text is shown: either would print something else than the value.
        if (byte == 0xE2 && i + 2 < value.size()) {
            const auto second = uchar(value[i + 1]);
            const auto third = uchar(value[i + 2]);
            if ((second == 0x80 && third >= 0xA8 && third <= 0xAE)
                || (second == 0x81 && third >= 0xA6 && third <= 0xA9))
                return false;
        }
    }
    return value.isValidUtf8();
}

QString KvFormat::withControlsEscaped(const QString &text)
{
    const auto isControl = [](QChar c) { return c.category() == QChar::Other_Control; };
    if (std::none_of(text.cbegin(), text.cend(), isControl))
        return text;
    QString escaped;
    escaped.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (isControl(c))
            escaped += "\\x"_L1 + QString::number(c.unicode(), 16).toUpper().rightJustified(2, u'0');
        else
            escaped += c;
    }
    return escaped;
}

QString KvFormat::rfc822(const QDateTime &t)
{
    const QDateTime local = t.toLocalTime();
    // Go prints the zone abbreviation; QDateTime::timeZoneAbbreviation() gives the same ("CEST", "UTC").
    return QLocale::c().toString(local, u"dd MMM yy HH:mm"_s) + u' ' + local.timeZoneAbbreviation();
}

QString KvFormat::isoTime(const QDateTime &t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QString KvFormat::valueText(const QByteArray &value)
{
    QByteArray shown;
    appendValueText(&shown, value);
    return QString::fromUtf8(shown);
}

QString KvFormat::abbreviate(const QString &text)
{
    if (text.size() <= 40)
        return text;
    // Never half of a character written as a surrogate pair (an emoji) at either cut.
    const qsizetype head = text.at(14).isHighSurrogate() ? 14 : 15;
    const qsizetype tail = text.at(text.size() - 15).isLowSurrogate() ? 14 : 15;
    return text.left(head) + "..."_L1 + text.right(tail);
}
