#include "keytreemodel.h"

// KeyTreeModel's counts of the keys a filter shows: a folder's count then says how many of the keys it
// holds are shown, and the filter proxy keeps a node while its count is above zero (one look instead of a
// walk through the node's subtree).

void KeyTreeModel::setMatchFilter(MatchFilter filter)
{
    m_matchFilter = std::move(filter);
    m_matchCount = {};
    m_matched = {};
    if (!m_matchFilter)
        return;
    m_matchCount.assign(m_nodes.size(), 0);
    // The keys in the order they are stored (the filter reads each key's bytes: in node order that is a
    // cache miss per key, ~3 times slower at a million keys).
    m_matched.assign(m_inTree.size(), false);
    for (quint32 id = 0; id < m_inTree.size(); ++id) {
        if (m_inTree[id] && m_matchFilter(id))
            m_matched[id] = true;
    }
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
