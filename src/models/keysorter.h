#pragma once

#include <QtCore/QtGlobal>

#include <functional>
#include <vector>

// Sorts ids a little at a time, so that sorting a million keys never holds the event loop: a bottom-up
// merge sort (runs sorted with std::sort, then merged pairwise) that stops when its time slice is up and
// takes up again where it stopped. Stable and O(n log n) like std::stable_sort, in steps of a few ms.
class KeySorter final
{
public:
    using Less = std::function<bool(quint32, quint32)>;

    KeySorter(std::vector<quint32> ids, Less less);

    // Works for about budgetMs; true once the ids are sorted.
    bool step(int budgetMs);
    bool isDone() const { return m_done; }
    // The sorted ids (after step() returned true).
    std::vector<quint32> take() { return std::move(m_ids); }
    qsizetype size() const { return qsizetype(m_ids.size()); }
    // 0..1000, for a progress bar.
    int permille() const;

private:
    bool sortRuns(qint64 deadlineNs, const class QElapsedTimer &clock);
    bool mergePasses(qint64 deadlineNs, const class QElapsedTimer &clock);

    std::vector<quint32> m_ids;
    std::vector<quint32> m_buffer;
    Less m_less;
    size_t m_run = 0;   // next run to sort (phase one)
    size_t m_width = 0; // width of the runs being merged (phase two), 0 before
    size_t m_lo = 0;    // the pair being merged: [m_lo, mid) and [mid, hi)
    size_t m_i = 0;
    size_t m_j = 0;
    size_t m_out = 0;
    int m_passes = 0;
    bool m_done = false;
};
