#include "humanformat.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLocale>

using namespace Qt::StringLiterals;

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("HumanFormat", text);
}
} // namespace

namespace HumanFormat {

QString count(qint64 value)
{
    QLocale locale(QLocale::English);
    return locale.toString(value);
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

QString shortLocalTime(const QDateTime &time, const QDateTime &now)
{
    if (!time.isValid())
        return tr("never");
    const QDateTime local = time.toLocalTime();
    return local.date() == now.toLocalTime().date() ? local.toString(u"HH:mm:ss"_s) : local.toString(u"yyyy-MM-dd"_s);
}

QString fullTime(const QDateTime &time)
{
    if (!time.isValid())
        return tr("never");
    return tr("%1 (UTC %2)").arg(localTime(time), utcTime(time));
}

QString revision(quint64 revision)
{
    return tr("rev %1").arg(revision);
}

QString sentence(const QString &text)
{
    if (text.isEmpty())
        return text;
    return text.front().toUpper() + text.mid(1) + (text.endsWith(u'.') ? QString() : u"."_s);
}

QString lines(const QStringList &names, qsizetype shown)
{
    QStringList listed = names.mid(0, shown);
    if (names.size() > shown)
        listed.append(tr("and %1 more").arg(count(names.size() - shown)));
    return listed.join(u'\n');
}

} // namespace HumanFormat
