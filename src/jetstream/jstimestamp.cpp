#include "jstimestamp.h"

#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace JsTimestamp {

QDateTime parse(const QString &text)
{
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
