#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QFile>
#include <QtCore/QList>
#include <QtCore/QString>

// The process's peak resident memory in KiB (VmHWM; -1 when /proc does not say). Not getrusage():
// ru_maxrss survives exec and would report the parent's peak. Header-only and Qt Core only, so that
// qtfloor, which must link nothing of kvdesk's, shares it with the benchmarks that do.
namespace PeakMemory {

inline qint64 peakKiB()
{
    QFile file(QStringLiteral("/proc/self/status"));
    if (!file.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace PeakMemory
