#include "stallmeter.h"

#include <algorithm>
#include <ctime>

StallMeter::StallMeter()
{
    m_timer.setInterval(1);
    QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    m_timer.start();
    reset();
}

void StallMeter::reset()
{
    m_longest = m_longestCpu = 0;
    m_clock.start();
    m_cpu = threadCpuNs();
}

void StallMeter::tick()
{
    m_longest = std::max(m_longest, m_clock.nsecsElapsed());
    m_longestCpu = std::max(m_longestCpu, threadCpuNs() - m_cpu);
    m_clock.restart();
    m_cpu = threadCpuNs();
}

qint64 StallMeter::threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}
