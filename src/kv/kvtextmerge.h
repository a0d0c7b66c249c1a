#pragma once

#include "kvmergeresult.h"

#include <QtCore/QCoreApplication>

// Three-way merge of text by lines, with libgit2's git_merge_file (the merge git itself does): changes
// to different lines combine; lines changed on both sides differently are a conflict, marked in diff3
// style (<<<<<<< ours, ||||||| base, =======, >>>>>>> theirs) for the user to edit, and listed.
class KvTextMerge final
{
    Q_DECLARE_TR_FUNCTIONS(KvTextMerge)

public:
    using Labels = KvMergeLabels;

    static KvMergeResult merge(const QByteArray &base, const QByteArray &ours, const QByteArray &theirs,
                               const Labels &labels = {});
    // Why value is not text that can be merged by lines (NUL bytes, not UTF-8), or an empty string.
    static QString textProblem(const QByteArray &value);
    // The conflicts marked in text (as merge() writes them).
    static QList<KvMergeConflict> markedConflicts(const QByteArray &text);
};
