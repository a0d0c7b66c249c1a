#include "ratehistory.h"

#include <algorithm>

namespace {

qint64 secondOf(qint64 ms)
{
    return ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
}

size_t slotOf(qint64 second)
{
    const qint64 slot = second % RateHistory::Seconds;
    return size_t(slot < 0 ? slot + RateHistory::Seconds : slot);
}

} // namespace

void RateHistory::record(qint64 nowMs, int count)
{
    const qint64 second = secondOf(nowMs);
    const size_t slot = slotOf(second);
    if (m_second[slot] != second) {
        m_second[slot] = second;
        m_counts[slot] = 0;
    }
    m_counts[slot] += count;
}

void RateHistory::clear()
{
    m_counts.fill(0);
    m_second.fill(0);
}

int RateHistory::countAt(qint64 second, qint64 nowSecond) const
{
    if (second > nowSecond || second <= nowSecond - Seconds)
        return 0;
    const size_t slot = slotOf(second);
    return m_second[slot] == second ? m_counts[slot] : 0;
}

QList<int> RateHistory::counts(qint64 nowMs) const
{
    const qint64 now = secondOf(nowMs);
    QList<int> result;
    result.reserve(Seconds);
    for (qint64 second = now - Seconds + 1; second <= now; ++second)
        result.append(countAt(second, now));
    return result;
}

int RateHistory::lastSecond(qint64 nowMs) const
{
    const qint64 now = secondOf(nowMs);
    return countAt(now - 1, now);
}

int RateHistory::peak(qint64 nowMs) const
{
    const QList<int> all = counts(nowMs);
    return all.isEmpty() ? 0 : *std::max_element(all.cbegin(), all.cend());
}
