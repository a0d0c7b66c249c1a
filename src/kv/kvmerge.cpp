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
    return json.status != KvMergeResult::Status::Refused ? json : KvTextMerge::merge(base, ours, theirs, labels);
}
