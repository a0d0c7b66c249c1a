#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

// The longest gap between two turns of a 1 ms timer since reset(): what a user feels as a freeze. Kept in
// wall time and in this thread's CPU time (what the turn costs when the machine is shared: the wall time
// includes waiting for a core). The window benchmarks share it.
class StallMeter final
{
public:
    StallMeter();

    void reset();
    void tick();
    double longestMs() const { return double(m_longest) / 1e6; }
    double longestCpuMs() const { return double(m_longestCpu) / 1e6; }

    // CPU time this thread has used, in ns.
    static qint64 threadCpuNs();

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_cpu = 0;
    qint64 m_longest = 0;
    qint64 m_longestCpu = 0;
};
