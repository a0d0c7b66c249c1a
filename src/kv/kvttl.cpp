#include "kvttl.h"

#include "kvunits.h"

#include <QtCore/QCoreApplication>

#include <limits>

using namespace Qt::StringLiterals;

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
        // Beyond 292 years the nanoseconds overflow a qint64: no TTL a server sends.
        if (seconds < 0 || seconds > std::numeric_limits<qint64>::max() / KvUnits::NsPerSecond)
            return false;
        *ns = seconds * KvUnits::NsPerSecond;
        return true;
    }
    // A Go duration, as nats.go sends it; the shared reader also takes natscli's units.
    qint64 parsed = 0;
    QString problem;
    if (text.isEmpty() || text.startsWith(u'-') || !KvUnits::parseDuration(text, &parsed, &problem))
        return false;
    *ns = parsed;
    return true;
}

QByteArray KvTtl::toHeader(qint64 ns)
{
    // Go's Duration.String(), as nats.go sends it: "1s", "1m0s", "1h30m0s", "1.5s".
    return ns == Never ? QByteArrayLiteral("never") : KvUnits::goDuration(ns).toUtf8();
}

QString KvTtl::validate(qint64 ns)
{
    if (ns == Never || ns >= MinimumNs)
        return {};
    return QCoreApplication::translate("KvTtl", "a per-key TTL must be at least 1 second (the server's minimum)");
}
