#pragma once

#include <QtCore/QList>
#include <QtCore/QtGlobal>

#include <array>

// Counts of events per second over the last minute, for the watch panel's rate chart. The caller passes
// the time (milliseconds since the epoch), so it is exact under test and costs one array write per event:
// cheap enough to record every message of a firehose. Seconds without events read as 0.
class RateHistory final
{
public:
    static constexpr int Seconds = 60;

    void record(qint64 nowMs, int count = 1);
    void clear();

    // The last Seconds seconds ending with the one holding nowMs, oldest first.
    QList<int> counts(qint64 nowMs) const;
    // Events in the last complete second before nowMs.
    int lastSecond(qint64 nowMs) const;
    // The highest per-second count in the window.
    int peak(qint64 nowMs) const;

private:
    int countAt(qint64 second, qint64 nowSecond) const;

    // A ring indexed by second % Seconds; each slot remembers which second it counts, so a slot left over
    // from a minute ago reads as 0 without a sweep.
    std::array<int, Seconds> m_counts{};
    std::array<qint64, Seconds> m_second{};
};
