#include "humanformat.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLocale>
#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("HumanFormat", text);
}
} // namespace

namespace HumanFormat {

QString size(qint64 bytes)
{
    if (bytes < 1024)
        return u"%1 B"_s.arg(bytes);
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    return u"%1 %2"_s.arg(QString::number(value, 'f', value < 10 ? 1 : 0), QLatin1StringView(units[unit]));
}

QString count(qint64 value)
{
    QLocale locale(QLocale::English);
    return locale.toString(value);
}

QString duration(qint64 milliseconds)
{
    if (milliseconds == 0)
        return u"0s"_s;
    QString sign;
    if (milliseconds < 0) {
        sign = u"-"_s;
        milliseconds = -milliseconds;
    }
    if (milliseconds < 1000)
        return sign + u"%1ms"_s.arg(milliseconds);
    // Go prints hours, minutes and seconds (with a fraction) and never days: "26h0m0s".
    const qint64 hours = milliseconds / 3600000;
    const qint64 minutes = (milliseconds / 60000) % 60;
    const qint64 ms = milliseconds % 60000;
    QString seconds = QString::number(ms / 1000);
    if (ms % 1000 != 0) {
        QString fraction = u"%1"_s.arg(ms % 1000, 3, 10, QChar(u'0'));
        while (fraction.endsWith(u'0'))
            fraction.chop(1);
        seconds += u'.' + fraction;
    }
    QString text = sign;
    if (hours > 0)
        text += u"%1h"_s.arg(hours);
    if (hours > 0 || minutes > 0)
        text += u"%1m"_s.arg(minutes);
    return text + seconds + u's';
}

QString localTime(const QDateTime &time)
{
    if (!time.isValid())
        return tr("never");
    return time.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s);
}

QString utcTime(const QDateTime &time)
{
    if (!time.isValid())
        return tr("never");
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QString revision(quint64 revision)
{
    return tr("rev %1").arg(revision);
}

bool parseDuration(const QString &text, qint64 *milliseconds, QString *error)
{
    const QString trimmed = text.trimmed().toLower();
    if (trimmed == "0"_L1 || trimmed.isEmpty()) {
        *milliseconds = 0;
        return true;
    }
    static const QRegularExpression part(uR"((\d+(?:\.\d+)?)(ms|s|m|h|d|w|y))"_s);
    qint64 total = 0;
    qsizetype position = 0;
    auto it = part.globalMatch(trimmed);
    while (it.hasNext()) {
        const QRegularExpressionMatch match = it.next();
        if (match.capturedStart() != position)
            break;
        position = match.capturedEnd();
        const double value = match.captured(1).toDouble();
        const QString unit = match.captured(2);
        double factor = 1;
        if (unit == "s"_L1)
            factor = 1000;
        else if (unit == "m"_L1)
            factor = 60000;
        else if (unit == "h"_L1)
            factor = 3600000;
        else if (unit == "d"_L1)
            factor = 86400000;
        else if (unit == "w"_L1)
            factor = 7.0 * 86400000;
        else if (unit == "y"_L1)
            factor = 365.0 * 86400000;
        total += qint64(value * factor);
    }
    if (position != trimmed.size()) {
        if (error)
            *error = tr("\"%1\" is not a duration; use e.g. 90s, 1h30m, 2d").arg(text.trimmed());
        return false;
    }
    *milliseconds = total;
    return true;
}

bool parseSize(const QString &text, qint64 *bytes, QString *error)
{
    static const QRegularExpression pattern(uR"(^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$)"_s,
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch()) {
        if (error)
            *error = tr("\"%1\" is not a size; use e.g. 1024, 64KiB, 10MB").arg(text.trimmed());
        return false;
    }
    double value = match.captured(1).toDouble();
    const QString unit = match.captured(2).toLower();
    const double base = 1024.0; // natscli treats K, KB and KiB alike, as powers of 1024
    if (unit == "k"_L1)
        value *= base;
    else if (unit == "m"_L1)
        value *= base * base;
    else if (unit == "g"_L1)
        value *= base * base * base;
    else if (unit == "t"_L1)
        value *= base * base * base * base;
    *bytes = qint64(value);
    return true;
}

} // namespace HumanFormat
