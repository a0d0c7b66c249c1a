#include "kvmerge.h"

#include "kvjsonmerge.h"

KvMergeResult KvMerge::merge(const QByteArray &base, const QByteArray &ours, const QByteArray &theirs,
                             const KvTextMerge::Labels &labels)
{
    const QList<std::pair<QString, const QByteArray *>> sides = {
        {labels.base, &base}, {labels.ours, &ours}, {labels.theirs, &theirs}};
    for (const auto &[label, value] : sides) {
        if (const QString problem = KvTextMerge::textProblem(*value); !problem.isEmpty())
            return KvMergeResult::refused(tr("cannot merge: %1 is not text (%2)").arg(label, problem));
    }
    // Refused by the JSON merge only when one of them is not JSON: then by lines.
    KvMergeResult json = KvJsonMerge::merge(base, ours, theirs);
    if (json.status == KvMergeResult::Status::Refused)
        return KvTextMerge::merge(base, ours, theirs, labels);
    const bool bothChanged = base != ours && base != theirs && ours != theirs;
    if (json.isMerged() && bothChanged) {
        // Merged by members, a side's layout-only change counts as none and is dropped. Where the sides
        // changed different lines, the merge by lines keeps every byte of both: that one, when it is the
        // same JSON value.
        KvMergeResult lines = KvTextMerge::merge(base, ours, theirs, labels);
        if (lines.isMerged() && KvJsonMerge::sameValue(lines.merged, json.merged)) {
            lines.kind = KvMergeResult::Kind::Json;
            return lines;
        }
    }
    return json;
}
