#include "kvformat.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>
#include <QtCore/QTimeZone>

#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("KvFormat", text);
}

// value/unit with Go's formatting of the fraction: up to 9 digits, trailing zeros dropped.
QString fraction(quint64 value, quint64 unit)
{
    QString text = QString::number(value / unit);
    quint64 rest = value % unit;
    if (rest == 0)
        return text;
    QString digits;
    for (quint64 scale = unit / 10; scale > 0; scale /= 10) {
        digits.append(QChar(u'0' + int(rest / scale)));
        rest %= scale;
    }
    while (digits.endsWith(u'0'))
        digits.chop(1);
    return text + u'.' + digits;
}

qint64 unitNs(const QString &unit)
{
    static const QHash<QString, qint64> units{
        {u"ns"_s, 1},
        {u"us"_s, 1000},
        {u"\u00b5s"_s, 1000},
        {u"\u03bcs"_s, 1000},
        {u"ms"_s, KvFormat::NsPerMs},
        {u"s"_s, KvFormat::NsPerSecond},
        {u"m"_s, 60 * KvFormat::NsPerSecond},
        {u"h"_s, 3600 * KvFormat::NsPerSecond},
        {u"d"_s, 24 * 3600 * KvFormat::NsPerSecond},
        {u"w"_s, 7 * 24 * 3600 * KvFormat::NsPerSecond},
        {u"M"_s, 30 * 24 * 3600 * KvFormat::NsPerSecond},
        {u"y"_s, 365 * 24 * 3600 * KvFormat::NsPerSecond},
    };
    return units.value(unit, 0);
}

} // namespace

QString KvFormat::goDuration(qint64 ns)
{
    if (ns == 0)
        return u"0s"_s;
    const QString sign = ns < 0 ? u"-"_s : QString();
    const quint64 u = ns < 0 ? quint64(0) - quint64(ns) : quint64(ns);
    if (u < quint64(NsPerSecond)) {
        if (u < 1000)
            return sign + QString::number(u) + "ns"_L1;
        if (u < quint64(NsPerMs))
            return sign + fraction(u, 1000) + u"\u00b5s"_s;
        return sign + fraction(u, NsPerMs) + "ms"_L1;
    }
    const quint64 hours = u / (3600 * quint64(NsPerSecond));
    const quint64 minutes = (u / (60 * quint64(NsPerSecond))) % 60;
    const quint64 seconds = u % (60 * quint64(NsPerSecond));
    QString text = sign;
    if (hours > 0)
        text += QString::number(hours) + u'h';
    if (hours > 0 || minutes > 0)
        text += QString::number(minutes) + u'm';
    return text + fraction(seconds, NsPerSecond) + u's';
}

QString KvFormat::humanizeDuration(qint64 ns)
{
    if (ns < NsPerMs) // Go: d.Round(time.Microsecond).String()
        return goDuration(std::llround(double(ns) / 1000.0) * 1000);
    if (ns < NsPerSecond)
        return goDuration(std::llround(double(ns) / double(NsPerMs)) * NsPerMs);
    if (ns == std::numeric_limits<qint64>::max())
        return u"never"_s;
    const qint64 secs = ns / NsPerSecond;
    const qint64 mins = secs / 60;
    const qint64 hours = mins / 60;
    const qint64 days = hours / 24;
    const qint64 years = days / 365;
    if (years > 0)
        return u"%1y%2d%3h%4m%5s"_s.arg(years).arg(days % 365).arg(hours % 24).arg(mins % 60).arg(secs % 60);
    if (days > 0)
        return u"%1d%2h%3m%4s"_s.arg(days).arg(hours % 24).arg(mins % 60).arg(secs % 60);
    if (hours > 0)
        return u"%1h%2m%3s"_s.arg(hours).arg(mins % 60).arg(secs % 60);
    if (mins > 0)
        return u"%1m%2s"_s.arg(mins).arg(secs % 60);
    return QString::number(double(ns) / double(NsPerSecond), 'f', 2) + u's';
}

QString KvFormat::since(const QDateTime &t, const QDateTime &now)
{
    // Go's time.Since(zero time) saturates at the maximum duration, which natscli prints as "never".
    if (!t.isValid() || t.toMSecsSinceEpoch() <= 0)
        return humanizeDuration(std::numeric_limits<qint64>::max());
    const qint64 ms = std::max<qint64>(0, t.msecsTo(now));
    return humanizeDuration(ms * NsPerMs);
}

bool KvFormat::parseDuration(const QString &text, qint64 *ns, QString *error)
{
    static const QRegularExpression part(uR"((\d+(?:\.\d*)?|\.\d+)(ns|us|\x{b5}s|\x{3bc}s|ms|s|m|h|d|w|M|y))"_s);
    QString rest = text.trimmed();
    const bool negative = rest.startsWith(u'-');
    if (negative || rest.startsWith(u'+'))
        rest = rest.mid(1);
    if (rest == "0"_L1) {
        *ns = 0;
        return true;
    }
    double total = 0;
    qsizetype at = 0;
    while (at < rest.size()) {
        const QRegularExpressionMatch match = part.match(rest, at, QRegularExpression::NormalMatch,
                                                         QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch())
            break;
        total += match.captured(1).toDouble() * double(unitNs(match.captured(2)));
        at = match.capturedEnd();
    }
    if (rest.isEmpty() || at != rest.size() || total > double(std::numeric_limits<qint64>::max())) {
        *error = tr("invalid duration \"%1\" (examples: 90s, 1h30m, 2d, 500ms)").arg(text);
        return false;
    }
    *ns = qint64(total) * (negative ? -1 : 1);
    return true;
}

bool KvFormat::parseBytes(const QString &text, qint64 *bytes, QString *error)
{
    static const QRegularExpression sized(uR"(^(\d+)\s*([A-Za-z]+)$)"_s);
    static const QHash<QString, int> shifts{
        {u"B"_s, 0},  {u"K"_s, 10},  {u"KB"_s, 10},  {u"KIB"_s, 10}, {u"M"_s, 20},  {u"MB"_s, 20},  {u"MIB"_s, 20},
        {u"G"_s, 30}, {u"GB"_s, 30}, {u"GIB"_s, 30}, {u"T"_s, 40},   {u"TB"_s, 40}, {u"TIB"_s, 40},
    };
    const QString trimmed = text.trimmed();
    if (trimmed.startsWith(u'-')) {
        *bytes = -1;
        return true;
    }
    bool ok = false;
    const qint64 plain = trimmed.toLongLong(&ok);
    if (ok) {
        *bytes = plain;
        return true;
    }
    const QRegularExpressionMatch match = sized.match(trimmed);
    const int shift = match.hasMatch() ? shifts.value(match.captured(2).toUpper(), -1) : -1;
    const qint64 number = match.hasMatch() ? match.captured(1).toLongLong(&ok) : 0;
    if (shift < 0 || !ok || number > (std::numeric_limits<qint64>::max() >> shift)) {
        *error = tr("invalid size \"%1\": bytes must end in B, K, KB, M, MB, G, GB, T or TB").arg(text);
        return false;
    }
    *bytes = number << shift;
    return true;
}

QString KvFormat::iBytes(quint64 bytes)
{
    static const char *const sizes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 10)
        return QString::number(bytes) + " B"_L1;
    const int exponent = int(std::floor(std::log(double(bytes)) / std::log(1024.0)));
    const double value = std::floor(double(bytes) / std::pow(1024.0, exponent) * 10 + 0.5) / 10;
    return QString::number(value, 'f', value < 10 ? 1 : 0) + u' ' + QLatin1StringView(sizes[exponent]);
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

QString KvFormat::base64IfNotPrintable(const QByteArray &value)
{
    for (const char c : value) {
        if (c < 0x20 || c > 0x7e)
            return QString::fromLatin1(value.toBase64());
    }
    return QString::fromLatin1(value);
}

QString KvFormat::abbreviate(const QString &text)
{
    if (text.size() <= 40)
        return text;
    return text.left(15) + "..."_L1 + text.right(15);
}
