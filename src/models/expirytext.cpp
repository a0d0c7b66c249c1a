#include "expirytext.h"

#include "kvttl.h"

using namespace Qt::StringLiterals;

QString ExpiryText::remaining(qint64 ms)
{
    const qint64 seconds = std::max<qint64>(0, ms / 1000);
    const qint64 minutes = seconds / 60;
    const qint64 hours = minutes / 60;
    const qint64 days = hours / 24;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours % 24);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes % 60);
    if (minutes > 0)
        return tr("%1 min %2 s").arg(minutes).arg(seconds % 60);
    return tr("%1 s").arg(seconds);
}

QString ExpiryText::describe(const KvEntry &entry, const QDateTime &now)
{
    if (entry.ttlNs == KvTtl::Never)
        return tr("never expires (its TTL is \"never\")");
    const QDateTime at = entry.expires();
    if (!at.isValid())
        return {};
    const QString when = at.toUTC().toString(u"HH:mm:ss"_s) + u" UTC"_s;
    const qint64 left = now.msecsTo(at);
    if (left <= 0)
        return tr("expired at %1: the server removes it").arg(when);
    return tr("expires in %1, at %2").arg(remaining(left), when);
}
