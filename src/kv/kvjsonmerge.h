#pragma once

#include "kvmergeresult.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>

// Three-way merge of JSON values, member by member. A member added, removed or changed on one side only
// is taken from that side; changed the same way on both sides it is taken once. Objects changed on both
// sides are merged member by member, at any depth. An array is one value: changed on one side, or the
// same way on both, it merges; changed differently on both sides it is one conflict at the array's path
// (elements have no identity to match them by). Any other member changed differently on both sides (or
// removed on one and changed on the other) is a conflict, named by its JSON Pointer, with its text on
// each side; choices decide conflicts, and the merge is run again with them.
//
// Bytes: when only one side changed the value, the result is that side's bytes exactly. Otherwise the
// result is the current value (theirs) as written: members that did not change keep their exact text,
// members taken from ours keep ours' text, and only objects whose members changed are written again, in
// the layout of the current value's object (compact or indented, its indent and spacing), in the
// current value's member order, members added on our side after them.
class KvJsonMerge final
{
    Q_DECLARE_TR_FUNCTIONS(KvJsonMerge)

public:
    enum class Side {
        Base,
        Ours,
        Theirs
    };
    using Choices = QHash<QString, Side>; // conflict path (KvMergeConflict::where) -> the side taken

    // One JSON text (RFC 8259, any value at the top) without duplicate member names.
    static bool isJson(const QByteArray &value);
    // Both JSON and the same value: members in any order, scalars spelled alike, layout aside.
    static bool sameValue(const QByteArray &a, const QByteArray &b);
    // Refused only when one of the three is not JSON (isJson()).
    static KvMergeResult merge(const QByteArray &base, const QByteArray &ours, const QByteArray &theirs,
                               const Choices &choices = {});
    // A member's JSON text on one line (whitespace outside strings removed), or "(absent)".
    static QString oneLine(const std::optional<QByteArray> &member);
};
