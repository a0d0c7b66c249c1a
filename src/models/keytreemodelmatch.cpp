#include "keyfilterpass.h"
#include "keylistmodel.h"
#include "keytreemodel.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>

// KeyTreeModel's counts of the keys a filter shows: a folder's count then says how many of the keys it
// holds are shown, and the filter proxy keeps a node while its count is above zero (one look instead of a
// walk through the node's subtree).

namespace {
// Up to this many keys a filter is counted at once (a few ms); beyond, in steps of kMatchStepMs.
constexpr size_t kMatchAtOnce = 100000;
constexpr int kMatchStepMs = 8;
// Nodes counted between two looks at the clock.
constexpr quint32 kCountChunk = 65536;
} // namespace

void KeyTreeModel::setMatchFilter(MatchFilter filter)
{
    m_matchTimer->stop();
    m_matchPass.reset();
    m_nextFilter = {};
    m_nextCount = {};
    if (filter && m_inTree.size() > kMatchAtOnce) {
        // The counts of the filter before stay (the proxy shows it) until this one is matched and counted.
        startMatchPass(std::move(filter));
        return;
    }
    m_matchFilter = std::move(filter);
    m_matchCount = {};
    m_matched = {};
    if (!m_matchFilter)
        return;
    // The keys in the order they are stored (the filter reads each key's bytes: in node order that is a
    // cache miss per key, ~3 times slower at a million keys).
    m_matched.assign(m_inTree.size(), false);
    for (quint32 id = 0; id < m_inTree.size(); ++id) {
        if (m_inTree[id] && m_matchFilter(id))
            m_matched[id] = true;
    }
    m_matchCount.assign(m_nodes.size(), 0);
    countMatches();
}

void KeyTreeModel::startMatchPass(MatchFilter filter)
{
    m_nextFilter = filter;
    m_matchPass = std::make_unique<KeyFilterPass>(
        [this, filter](quint32 id) { return id < m_inTree.size() && m_inTree[id] && filter(id); });
    m_countCursor = 0;
    m_recount = false;
    m_matchTimer->start();
}

void KeyTreeModel::matchStep()
{
    if (!m_matchPass)
        return;
    if (m_countCursor == 0) {
        // First the keys, in steps; the counting starts on the next turn.
        if (m_matchPass->step(quint32(m_inTree.size()), kMatchStepMs)) {
            m_countCursor = m_nodes.size();
            m_nextCount.clear();
        }
        m_matchTimer->start();
        return;
    }
    if (!countStep(kMatchStepMs)) {
        m_matchTimer->start();
        return;
    }
    m_matchFilter = std::exchange(m_nextFilter, {});
    m_matched = m_matchPass->take();
    m_matched.resize(m_inTree.size(), false);
    m_matchPass.reset();
    m_matchCount.swap(m_nextCount);
    m_nextCount = {};
    Q_EMIT matchFilterApplied();
}

bool KeyTreeModel::countStep(int budgetMs)
{
    // A key that came or changed while counting (its match is known, its count may be behind): again.
    if (std::exchange(m_recount, false)) {
        m_matchPass->step(quint32(m_inTree.size()), -1); // the keys that came
        m_countCursor = m_nodes.size();
        m_nextCount.clear();
    }
    QElapsedTimer clock;
    clock.start();
    // The zeroed counts grow in steps too (8 MB for a million keys: the first touch of each page costs).
    const quint32 nodes = m_nodes.size();
    m_nextCount.reserve(nodes);
    while (m_nextCount.size() < nodes) {
        m_nextCount.resize(std::min<size_t>(nodes, m_nextCount.size() + 4 * kCountChunk), 0);
        if (clock.elapsed() >= budgetMs)
            return false;
    }
    const std::vector<bool> &matched = m_matchPass->accepted();
    while (m_countCursor > 1) {
        const quint32 end = m_countCursor > kCountChunk ? m_countCursor - kCountChunk : 1;
        for (quint32 node = m_countCursor - 1; node >= end; --node) {
            const Node &n = m_nodes[node];
            if (n.keyId >= 0 && size_t(n.keyId) < matched.size() && matched[size_t(n.keyId)])
                ++m_nextCount[node];
            m_nextCount[n.parent] += m_nextCount[node];
        }
        m_countCursor = end;
        if (m_countCursor > 1 && clock.elapsed() >= budgetMs)
            return false;
    }
    return true;
}

void KeyTreeModel::countMatches()
{
    // A child's id is above its parent's (a path is created from the root down): one pass from the last
    // node up adds each node's count to its parent's after its own children have added theirs.
    for (quint32 node = m_nodes.size() - 1; node > 0; --node) {
        const Node &n = m_nodes[node];
        if (n.keyId >= 0 && m_matched[size_t(n.keyId)])
            ++m_matchCount[node];
        m_matchCount[n.parent] += m_matchCount[node];
    }
}

quint32 KeyTreeModel::matchCountOf(const QModelIndex &index) const
{
    return shownCount(index.isValid() ? quint32(index.internalId()) : 0);
}

quint32 KeyTreeModel::shownCount(quint32 node) const
{
    return m_matchFilter ? m_matchCount[node] : m_nodes[node].liveCount;
}

void KeyTreeModel::matchKey(quint32 id, quint32 node, quint32 firstNew, QSet<quint32> *touched)
{
    if (m_matchPass) {
        m_matchPass->update(id);
        m_recount = m_countCursor != 0;
    }
    if (!m_matchFilter)
        return;
    const bool matched = m_matchFilter(id);
    if (matched == m_matched[id])
        return;
    m_matched[id] = matched;
    adjustMatches(node, matched ? 1 : -1, firstNew, touched);
}

void KeyTreeModel::adjustMatches(quint32 node, int delta, quint32 firstNew, QSet<quint32> *touched)
{
    for (quint32 n = node;; n = m_nodes[n].parent) {
        m_matchCount[n] = quint32(int(m_matchCount[n]) + delta);
        if (n == 0)
            return;
        if (n < firstNew)
            touched->insert(n);
    }
}
