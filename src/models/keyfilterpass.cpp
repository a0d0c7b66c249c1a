#include "keyfilterpass.h"

#include <QtCore/QElapsedTimer>

namespace {
// Ids between two looks at the clock: ~0.1 ms of matching.
constexpr quint32 kChunk = 4096;
} // namespace

KeyFilterPass::KeyFilterPass(Accepts accepts)
    : m_accepts(std::move(accepts))
{
}

bool KeyFilterPass::step(quint32 size, int budgetMs)
{
    QElapsedTimer clock;
    clock.start();
    if (m_accepted.size() < size)
        m_accepted.resize(size, false);
    while (m_next < size) {
        const quint32 end = std::min(size, m_next + kChunk);
        for (quint32 id = m_next; id < end; ++id)
            m_accepted[id] = m_accepts(id);
        m_next = end;
        if (budgetMs >= 0 && m_next < size && clock.elapsed() >= budgetMs)
            return false;
    }
    return true;
}

void KeyFilterPass::update(quint32 id)
{
    if (id < m_next)
        m_accepted[id] = m_accepts(id);
}
