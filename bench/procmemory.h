#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QList>
#include <QtCore/QString>

// The process's memory as /proc/self/status says it, in KiB (-1 when it does not). Not getrusage():
// ru_maxrss survives exec and would report the parent's peak. Header-only and Qt Core only, so that
// qtfloor, which must link nothing of kvdesk's, shares it with the benchmarks that do.
namespace ProcMemory {

// The value of a "Field:" line of /proc/self/status ("VmHWM:", "VmRSS:").
inline qint64 statusKiB(const char *field)
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    const qsizetype length = qstrlen(field);
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(length).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// Peak resident memory (VmHWM).
inline qint64 peakKiB()
{
    return statusKiB("VmHWM:");
}

// Resident memory now (VmRSS).
inline qint64 residentKiB()
{
    return statusKiB("VmRSS:");
}

} // namespace ProcMemory
