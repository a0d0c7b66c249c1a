#pragma once

#include "kvmergeresult.h"
#include "kvtextmerge.h"

#include <QtCore/QCoreApplication>

// A three-way merge of a key's value: base is the revision an edit started from, ours the edit, theirs
// the key's value now. JSON values (all three) are merged member by member (KvJsonMerge), other text by
// lines (KvTextMerge); values that are not UTF-8 text are refused, saying which and why. The labels name
// the three in the reason and in text conflict markers.
class KvMerge final
{
    Q_DECLARE_TR_FUNCTIONS(KvMerge)

public:
    static KvMergeResult merge(const QByteArray &base, const QByteArray &ours, const QByteArray &theirs,
                               const KvTextMerge::Labels &labels = {});
};
