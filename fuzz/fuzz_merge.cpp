#include "fuzzsupport.h"

#include "kvjsonmerge.h"
#include "kvmerge.h"

// KvMerge::merge on three values (a user's edit, and two revisions from a server): the input is the base,
// ours and theirs, separated by lines "=====".
//
// Properties: a merge where only one side changed gives that side's bytes exactly; a clean JSON merge
// is JSON; a refusal says why; conflicts are listed, and JSON conflicts all decided (theirs) merge into
// JSON.

namespace {

void checkJsonMerged(const KvMergeResult &result)
{
    if (result.kind == KvMergeResult::Kind::Json && result.isMerged())
        FUZZ_CHECK(KvJsonMerge::isJson(result.merged));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input = fuzzInput(data, size);
    QList<QByteArray> values;
    qsizetype from = 0;
    for (qsizetype at = input.indexOf("\n=====\n"); at >= 0 && values.size() < 2;
         at = input.indexOf("\n=====\n", from)) {
        values.append(input.mid(from, at - from));
        from = at + 7;
    }
    values.append(input.mid(from));
    while (values.size() < 3)
        values.append(values.first());
    const QByteArray &base = values[0];
    const QByteArray &ours = values[1];
    const QByteArray &theirs = values[2];

    const KvMergeResult result = KvMerge::merge(base, ours, theirs);
    switch (result.status) {
    case KvMergeResult::Status::Refused:
        FUZZ_CHECK(!result.reason.isEmpty());
        return 0;
    case KvMergeResult::Status::Conflicts:
        FUZZ_CHECK(!result.conflicts.isEmpty());
        if (result.kind == KvMergeResult::Kind::Json) {
            KvJsonMerge::Choices theirsEverywhere;
            for (const KvMergeConflict &conflict : result.conflicts)
                theirsEverywhere.insert(conflict.where, KvJsonMerge::Side::Theirs);
            const KvMergeResult decided = KvJsonMerge::merge(base, ours, theirs, theirsEverywhere);
            FUZZ_CHECK(decided.isMerged());
            checkJsonMerged(decided);
        }
        break;
    case KvMergeResult::Status::Merged:
        checkJsonMerged(result);
        break;
    }
    // One side changed: that side, byte for byte.
    FUZZ_CHECK(KvMerge::merge(base, ours, base).merged == ours);
    FUZZ_CHECK(KvMerge::merge(base, base, theirs).merged == theirs);
    return 0;
}
