#pragma once

#include <QtCore/QtGlobal>

#include <functional>
#include <vector>

// Which keys a filter shows, worked out a little at a time: the key list's filter and the tree's folder
// counts look at every key when a filter changes (~30 ms for a million keys on an idle machine, twice
// that on a busy one), so above a few tens of thousands of keys they do it in steps of a few ms and
// change their rows once it is done. Ids are looked at in the store's order (where their bytes lie, one
// after the other); ids added meanwhile are reached at the end, ids that change behind the pass are
// looked at again (update()).
class KeyFilterPass final
{
public:
    using Accepts = std::function<bool(quint32 id)>;

    explicit KeyFilterPass(Accepts accepts);

    // Looks at the ids below size not looked at yet, for about budgetMs (all of them when budgetMs < 0);
    // true once every id below size has been looked at.
    bool step(quint32 size, int budgetMs);
    // The id changed: looked at again now if the pass is beyond it (else when the pass gets there).
    void update(quint32 id);
    // The result, by id (after step() returned true).
    std::vector<bool> take() { return std::move(m_accepted); }
    const std::vector<bool> &accepted() const { return m_accepted; }
    const Accepts &accepts() const { return m_accepts; }

private:
    Accepts m_accepts;
    std::vector<bool> m_accepted;
    quint32 m_next = 0;
};
