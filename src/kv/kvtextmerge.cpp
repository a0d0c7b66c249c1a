#include "kvtextmerge.h"

#include <QtCore/QUtf8StringView>

#include <git2.h>

using namespace Qt::StringLiterals;

namespace {

// libgit2 keeps global state (its allocator, its error slots): set up at the first merge, released when
// the program ends.
class GitLibrary final
{
public:
    GitLibrary() { git_libgit2_init(); }
    ~GitLibrary() { git_libgit2_shutdown(); }
    Q_DISABLE_COPY_MOVE(GitLibrary)
};

git_merge_file_input input(const QByteArray &bytes)
{
    git_merge_file_input in = GIT_MERGE_FILE_INPUT_INIT;
    in.ptr = bytes.constData();
    in.size = size_t(bytes.size());
    return in;
}

} // namespace

QString KvTextMerge::textProblem(const QByteArray &value)
{
    if (value.contains('\0'))
        return tr("it holds NUL bytes (binary data)");
    if (!QUtf8StringView(value).isValidUtf8())
        return tr("it is not UTF-8 text");
    return {};
}

KvMergeResult KvTextMerge::merge(const QByteArray &base, const QByteArray &ours, const QByteArray &theirs,
                                 const Labels &labels)
{
    const QByteArray baseLabel = labels.base.toUtf8();
    const QByteArray oursLabel = labels.ours.toUtf8();
    const QByteArray theirsLabel = labels.theirs.toUtf8();
    static const GitLibrary library;
    const git_merge_file_input baseInput = input(base);
    const git_merge_file_input oursInput = input(ours);
    const git_merge_file_input theirsInput = input(theirs);
    git_merge_file_options options = GIT_MERGE_FILE_OPTIONS_INIT;
    options.ancestor_label = baseLabel.constData();
    options.our_label = oursLabel.constData();
    options.their_label = theirsLabel.constData();
    // diff3: the base lines are shown in each conflict too, so the user sees what both sides changed.
    options.flags = GIT_MERGE_FILE_STYLE_DIFF3;
    git_merge_file_result out = {};
    if (git_merge_file(&out, &baseInput, &oursInput, &theirsInput, &options) != 0) {
        const git_error *error = git_error_last();
        return KvMergeResult::refused(
            tr("libgit2 could not merge the text: %1").arg(error ? QString::fromUtf8(error->message) : u"?"_s));
    }
    KvMergeResult result;
    result.kind = KvMergeResult::Kind::Text;
    result.merged = QByteArray(out.ptr, qsizetype(out.len));
    result.status = out.automergeable ? KvMergeResult::Status::Merged : KvMergeResult::Status::Conflicts;
    git_merge_file_result_free(&out);
    if (!result.isMerged())
        result.conflicts = markedConflicts(result.merged);
    return result;
}

QList<KvMergeConflict> KvTextMerge::markedConflicts(const QByteArray &text)
{
    enum class Part {
        Outside,
        Ours,
        Base,
        Theirs
    };
    QList<KvMergeConflict> conflicts;
    Part part = Part::Outside;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (part == Part::Outside && line.startsWith("<<<<<<< ")) {
            conflicts.append({tr("line %1").arg(i + 1), QByteArray(), QByteArray(), QByteArray()});
            part = Part::Ours;
        } else if (part == Part::Ours && line.startsWith("||||||| ")) {
            part = Part::Base;
        } else if ((part == Part::Ours || part == Part::Base) && line == "=======") {
            part = Part::Theirs;
        } else if (part == Part::Theirs && line.startsWith(">>>>>>> ")) {
            part = Part::Outside;
        } else if (part != Part::Outside) {
            std::optional<QByteArray> &into = part == Part::Ours ? conflicts.last().ours
                : part == Part::Base                             ? conflicts.last().base
                                                                 : conflicts.last().theirs;
            into->append(line).append('\n');
        }
    }
    return conflicts;
}
