#include "keysorter.h"

#include <QtCore/QElapsedTimer>

#include <algorithm>
#include <cmath>

namespace {
// About 1 ms of natural-order comparisons per run.
constexpr size_t kRun = 1024;
// How many elements are merged between two looks at the clock.
constexpr size_t kCheckEvery = 2048;
} // namespace

KeySorter::KeySorter(std::vector<quint32> ids, Less less)
    : m_ids(std::move(ids))
    , m_less(std::move(less))
{
    m_done = m_ids.size() < 2;
}

int KeySorter::permille() const
{
    if (m_done)
        return 1000;
    const double total = 1 + std::ceil(std::log2(std::max<double>(2, double(m_ids.size()) / kRun)));
    double done = m_width == 0 ? double(m_run * kRun) / double(m_ids.size()) : 1 + m_passes;
    if (m_width != 0)
        done += double(m_out) / double(m_ids.size());
    return int(1000 * std::min(1.0, done / total));
}

bool KeySorter::step(int budgetMs)
{
    if (m_done)
        return true;
    QElapsedTimer clock;
    clock.start();
    const qint64 deadline = qint64(budgetMs) * 1000000;
    if (m_width == 0 && !sortRuns(deadline, clock))
        return false;
    m_done = mergePasses(deadline, clock);
    if (m_done)
        m_buffer = {};
    return m_done;
}

bool KeySorter::sortRuns(qint64 deadlineNs, const QElapsedTimer &clock)
{
    const size_t n = m_ids.size();
    while (m_run * kRun < n) {
        const auto first = m_ids.begin() + qsizetype(m_run * kRun);
        std::sort(first, m_ids.begin() + qsizetype(std::min(n, (m_run + 1) * kRun)), m_less);
        ++m_run;
        if (clock.nsecsElapsed() > deadlineNs && m_run * kRun < n)
            return false;
    }
    m_width = kRun;
    m_buffer.resize(n);
    m_lo = m_out = 0;
    m_i = 0;
    m_j = std::min(n, kRun);
    return true;
}

bool KeySorter::mergePasses(qint64 deadlineNs, const QElapsedTimer &clock)
{
    const size_t n = m_ids.size();
    size_t budget = kCheckEvery;
    while (m_width < n) {
        while (m_lo < n) {
            const size_t mid = std::min(n, m_lo + m_width);
            const size_t hi = std::min(n, m_lo + 2 * m_width);
            while (m_i < mid || m_j < hi) {
                // Take from the left on ties: stable.
                if (m_j >= hi || (m_i < mid && !m_less(m_ids[m_j], m_ids[m_i])))
                    m_buffer[m_out++] = m_ids[m_i++];
                else
                    m_buffer[m_out++] = m_ids[m_j++];
                // The clock every few thousand elements, whether a pair ends there or not.
                if (--budget == 0) {
                    if (clock.nsecsElapsed() > deadlineNs)
                        return false;
                    budget = kCheckEvery;
                }
            }
            m_lo = hi;
            m_i = m_lo;
            m_j = std::min(n, m_lo + m_width);
        }
        m_ids.swap(m_buffer);
        m_width *= 2;
        ++m_passes;
        m_lo = m_out = m_i = 0;
        m_j = std::min(n, m_width);
    }
    return true;
}
