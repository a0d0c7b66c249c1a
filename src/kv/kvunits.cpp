#include "kvunits.h"

#include <QtCore/QHash>

#include <cmath>
#include <iterator>
#include <limits>
#include <optional>
#include <utility>

using namespace Qt::StringLiterals;

namespace {

constexpr qint64 kMax = std::numeric_limits<qint64>::max();
constexpr qint64 kNsPerHour = 3600 * KvUnits::NsPerSecond;

// Go's units (time.ParseDuration), in nanoseconds.
qint64 goUnitNs(const QString &unit)
{
    static const QHash<QString, qint64> units{
        {u"ns"_s, 1},
        {u"us"_s, 1000},
        {u"\u00b5s"_s, 1000}, // micro sign, as Go prints it
        {u"\u03bcs"_s, 1000}, // Greek small mu
        {u"ms"_s, KvUnits::NsPerMs},
        {u"s"_s, KvUnits::NsPerSecond},
        {u"m"_s, 60 * KvUnits::NsPerSecond},
        {u"h"_s, kNsPerHour},
    };
    return units.value(unit, 0);
}

// natscli's added units, in hours (fisk: "d"/"D", "w"/"W", "M", "y"/"Y").
double calendarUnitHours(const QString &unit)
{
    static const QHash<QString, double> units{
        {u"d"_s, 24},      {u"D"_s, 24},       {u"w"_s, 7 * 24},   {u"W"_s, 7 * 24},
        {u"M"_s, 24 * 30}, {u"y"_s, 24 * 365}, {u"Y"_s, 24 * 365},
    };
    return units.value(unit, 0);
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isUnitChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'\u00b5' || c == u'\u03bc';
}

// Go's time.ParseDuration for one "<digits>[.<digits>]<unit>" part: the whole number exactly, the fraction
// scaled in floating point, overflow refused. Empty when it does not fit in a duration.
std::optional<qint64> goPart(const QString &number, qint64 unit)
{
    const qsizetype dot = number.indexOf(u'.');
    const QString whole = number.left(dot < 0 ? number.size() : dot);
    qint64 value = 0;
    for (const QChar c : whole) {
        const int digit = c.unicode() - u'0';
        if (value > (kMax - digit) / 10)
            return std::nullopt;
        value = value * 10 + digit;
    }
    if (value > kMax / unit)
        return std::nullopt;
    value *= unit;
    if (dot < 0)
        return value;
    // As Go: digits beyond what 63 bits hold are ignored.
    qint64 fraction = 0;
    double scale = 1;
    for (const QChar c : number.mid(dot + 1)) {
        const int digit = c.unicode() - u'0';
        if (fraction > (kMax - digit) / 10)
            break;
        fraction = fraction * 10 + digit;
        scale *= 10;
    }
    const double extra = double(fraction) * (double(unit) / scale);
    if (extra >= double(kMax - value))
        return std::nullopt;
    return value + qint64(extra);
}

// fisk's d/w/M/y: the number read as a 32-bit float (strconv.ParseFloat(s, 32)), times the unit's hours,
// truncated to whole hours.
std::optional<qint64> calendarPart(const QString &number, double unitHours)
{
    const double value = double(float(number.toDouble()));
    const double hours = std::trunc(value * unitHours);
    if (hours >= double(kMax / kNsPerHour))
        return std::nullopt;
    return qint64(hours) * kNsPerHour;
}

bool validNumber(const QString &number)
{
    const qsizetype dot = number.indexOf(u'.');
    return number != "."_L1 && (dot < 0 || number.indexOf(u'.', dot + 1) < 0);
}

} // namespace

bool KvUnits::parseDuration(const QString &text, qint64 *ns, QString *error)
{
    const QString trimmed = text.trimmed();
    const auto invalid = [&](const QString &why) {
        *error = tr("invalid duration \"%1\": %2").arg(trimmed, why);
        return false;
    };
    if (trimmed == "0"_L1) {
        *ns = 0;
        return true;
    }
    const bool negative = trimmed.startsWith(u'-');
    qsizetype at = negative || trimmed.startsWith(u'+') ? 1 : 0;
    if (at == trimmed.size())
        return invalid(tr("it is empty (use e.g. 90s, 1h30m, 2d)"));
    qint64 total = 0;
    while (at < trimmed.size()) {
        const qsizetype start = at;
        while (at < trimmed.size() && (isDigit(trimmed.at(at)) || trimmed.at(at) == u'.'))
            ++at;
        const QString number = trimmed.mid(start, at - start);
        const qsizetype unitStart = at;
        while (at < trimmed.size() && isUnitChar(trimmed.at(at)))
            ++at;
        const QString unit = trimmed.mid(unitStart, at - unitStart);
        if (number.isEmpty())
            return invalid(tr("expected a number at \"%1\" (use e.g. 90s, 1h30m, 2d)").arg(trimmed.mid(start)));
        if (!validNumber(number))
            return invalid(tr("\"%1\" is not a number").arg(number));
        if (unit.isEmpty())
            return invalid(tr("%1 needs a unit: ns, us, ms, s, m, h, d, w, M or y").arg(number));
        const qint64 goUnit = goUnitNs(unit);
        const double calendarUnit = calendarUnitHours(unit);
        if (goUnit == 0 && calendarUnit == 0)
            return invalid(tr("unknown unit \"%1\" (use ns, us, ms, s, m, h, d, w, M for months or y)").arg(unit));
        const std::optional<qint64> part = goUnit > 0 ? goPart(number, goUnit) : calendarPart(number, calendarUnit);
        if (!part || *part > kMax - total)
            return invalid(tr("it is too long (at most about 292 years)"));
        total += *part;
    }
    *ns = negative ? -total : total;
    return true;
}

bool KvUnits::parseMilliseconds(const QString &text, qint64 *ms, QString *error)
{
    qint64 ns = 0;
    if (!parseDuration(text, &ns, error))
        return false;
    if (ns < 0) {
        *error = tr("%1 is negative").arg(text.trimmed());
        return false;
    }
    if (ns > 0 && ns < NsPerMs) {
        *error = tr("%1 is less than a millisecond").arg(text.trimmed());
        return false;
    }
    *ms = ns / NsPerMs;
    return true;
}

bool KvUnits::parseSize(const QString &text, qint64 *bytes, QString *error)
{
    static const QHash<QString, int> shifts{
        {u"B"_s, 0},  {u"K"_s, 10},  {u"KB"_s, 10},  {u"KIB"_s, 10}, {u"M"_s, 20},  {u"MB"_s, 20},  {u"MIB"_s, 20},
        {u"G"_s, 30}, {u"GB"_s, 30}, {u"GIB"_s, 30}, {u"T"_s, 40},   {u"TB"_s, 40}, {u"TIB"_s, 40},
    };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.startsWith(u'-')) {
        *bytes = -1; // natscli: unlimited
        return true;
    }
    qsizetype digits = 0;
    while (digits < trimmed.size() && isDigit(trimmed.at(digits)))
        ++digits;
    const QString unit = trimmed.mid(digits).trimmed().toUpper();
    const int shift = unit.isEmpty() ? 0 : shifts.value(unit, -1);
    if (digits == 0 || shift < 0) {
        *error = tr("invalid size \"%1\": a whole number of bytes, optionally ending in B, K, KB, KiB, M, MB, MiB, G, "
                    "GB, GiB, T, TB or TiB")
                     .arg(trimmed);
        return false;
    }
    bool ok = false;
    const qint64 number = trimmed.left(digits).toLongLong(&ok);
    if (!ok || number > (kMax >> shift)) {
        *error = tr("invalid size \"%1\": more than the largest size, %2 bytes").arg(trimmed).arg(kMax);
        return false;
    }
    *bytes = number << shift;
    return true;
}

// ---- printing --------------------------------------------------------------------------------------

namespace {

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

} // namespace

QString KvUnits::goDuration(qint64 ns)
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
    const quint64 hours = u / quint64(kNsPerHour);
    const quint64 minutes = (u / (60 * quint64(NsPerSecond))) % 60;
    const quint64 seconds = u % (60 * quint64(NsPerSecond));
    QString text = sign;
    if (hours > 0)
        text += QString::number(hours) + u'h';
    if (hours > 0 || minutes > 0)
        text += QString::number(minutes) + u'm';
    return text + fraction(seconds, NsPerSecond) + u's';
}

QString KvUnits::humanizeDuration(qint64 ns)
{
    if (ns < NsPerMs) // Go: d.Round(time.Microsecond).String()
        return goDuration(std::llround(double(ns) / 1000.0) * 1000);
    if (ns < NsPerSecond)
        return goDuration(std::llround(double(ns) / double(NsPerMs)) * NsPerMs);
    if (ns == kMax)
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

QString KvUnits::iBytes(qint64 bytes)
{
    static const char *const sizes[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 10)
        return QString::number(bytes) + " B"_L1;
    int exponent = int(std::floor(std::log(double(bytes)) / std::log(1024.0)));
    double value = std::floor(double(bytes) / std::pow(1024.0, exponent) * 10 + 0.5) / 10;
    if (value >= 1024 && exponent + 1 < int(std::size(sizes))) { // 1,048,550 B is "1.0 MiB", not "1024 KiB"
        ++exponent;
        value = 1.0;
    }
    return QString::number(value, 'f', value < 10 ? 1 : 0) + u' ' + QLatin1StringView(sizes[exponent]);
}

QString KvUnits::typedDuration(qint64 ms)
{
    // Days, not Go's hours only ("720h0m0s"): KvUnits reads "d" as 24 hours. Not w, M or y: "30d" says
    // what it is, "1M" reads as a minute to many.
    constexpr qint64 second = 1000;
    constexpr qint64 minute = 60 * second;
    constexpr qint64 hour = 60 * minute;
    constexpr qint64 day = 24 * hour;
    QString text;
    for (const auto &[length, unit] : {std::pair{day, u'd'}, std::pair{hour, u'h'}, std::pair{minute, u'm'}}) {
        if (ms >= length) {
            text += QString::number(ms / length) + unit;
            ms %= length;
        }
    }
    if (ms == 0)
        return text;
    if (text.isEmpty() && ms < second)
        return QString::number(ms) + u"ms"_s;
    text += QString::number(ms / second);
    if (const qint64 fraction = ms % second; fraction > 0) {
        QString digits = u"%1"_s.arg(fraction, 3, 10, QChar(u'0'));
        while (digits.endsWith(u'0'))
            digits.chop(1);
        text += u'.' + digits;
    }
    return text + u's';
}

QString KvUnits::typedSize(qint64 bytes)
{
    // Only a whole number of a unit: "1.5MiB" would not read back (sizes are whole numbers), and a
    // rounded one would change the limit when the dialog is saved unchanged.
    static constexpr QStringView units[] = {u"KiB", u"MiB", u"GiB", u"TiB"};
    qsizetype unit = -1;
    qint64 count = bytes;
    while (unit + 1 < qsizetype(std::size(units)) && count >= 1024 && count % 1024 == 0) {
        count /= 1024;
        ++unit;
    }
    return unit < 0 ? QString::number(bytes) : QString::number(count) + units[unit];
}
