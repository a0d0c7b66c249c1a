#include "kvttl.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace {

qint64 unitNs(QStringView unit)
{
    if (unit == u"ns")
        return 1;
    if (unit == u"us" || unit == u"\u00b5s" || unit == u"\u03bcs")
        return 1000;
    if (unit == u"ms")
        return 1000 * 1000;
    if (unit == u"s")
        return 1000LL * 1000 * 1000;
    if (unit == u"m")
        return 60LL * 1000 * 1000 * 1000;
    return 3600LL * 1000 * 1000 * 1000; // h
}

} // namespace

bool KvTtl::fromHeader(const QByteArray &value, qint64 *ns)
{
    const QString text = QString::fromUtf8(value.trimmed());
    if (text.compare("never"_L1, Qt::CaseInsensitive) == 0) {
        *ns = Never;
        return true;
    }
    bool isNumber = false;
    const qint64 seconds = text.toLongLong(&isNumber);
    if (isNumber) {
        if (seconds < 0)
            return false;
        *ns = seconds * unitNs(u"s");
        return true;
    }
    static const QRegularExpression part(uR"((\d+(?:\.\d*)?|\.\d+)(ns|us|\x{b5}s|\x{3bc}s|ms|s|m|h))"_s);
    double total = 0;
    qsizetype at = 0;
    while (at < text.size()) {
        const QRegularExpressionMatch match = part.match(text, at, QRegularExpression::NormalMatch,
                                                         QRegularExpression::AnchorAtOffsetMatchOption);
        if (!match.hasMatch())
            return false;
        total += match.captured(1).toDouble() * double(unitNs(match.capturedView(2)));
        at = match.capturedEnd();
    }
    if (text.isEmpty() || total > 9.2e18)
        return false;
    *ns = qint64(total);
    return true;
}

QByteArray KvTtl::toHeader(qint64 ns)
{
    if (ns == Never)
        return QByteArrayLiteral("never");
    // Go prints whole hours and minutes, then seconds with their fraction: 1h30m0s, 1m0s, 1.5s.
    const qint64 second = unitNs(u"s");
    QByteArray text;
    const qint64 hours = ns / unitNs(u"h");
    const qint64 minutes = (ns % unitNs(u"h")) / unitNs(u"m");
    const qint64 rest = ns % unitNs(u"m");
    if (hours > 0)
        text += QByteArray::number(hours) + 'h';
    if (hours > 0 || minutes > 0)
        text += QByteArray::number(minutes) + 'm';
    text += QByteArray::number(rest / second);
    if (const qint64 fraction = rest % second; fraction != 0) {
        QByteArray digits = QByteArray::number(fraction).rightJustified(9, '0');
        while (digits.endsWith('0'))
            digits.chop(1);
        text += '.' + digits;
    }
    return text + 's';
}

QString KvTtl::validate(qint64 ns)
{
    if (ns == Never || ns >= MinimumNs)
        return {};
    return QCoreApplication::translate("KvTtl", "a per-key TTL must be at least 1 second (the server's minimum)");
}
