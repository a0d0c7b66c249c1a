#include "kvtextmerge.h"

#include <QtCore/QLibrary>
#include <QtCore/QUtf8StringView>

#include <git2.h> // types and initialisers only: the functions come through GitLibrary

#include <memory>

using namespace Qt::StringLiterals;

namespace {

// libgit2, loaded at the first merge rather than linked: it brings OpenSSL, libssh2 and PCRE with it,
// and loading those cost every kvdesk-cli process, a plain `get` included, the time tst_kvdeskclistartup
// guards. It keeps global state (its allocator, its error slots): set up once, released at exit.
class GitLibrary final
{
public:
    GitLibrary()
        : m_library(u"git2"_s, QStringLiteral(KVDESK_LIBGIT2_SOVERSION))
    {
        if (!m_library.load())
            return;
        init = reinterpret_cast<decltype(init)>(m_library.resolve("git_libgit2_init"));
        shutdown = reinterpret_cast<decltype(shutdown)>(m_library.resolve("git_libgit2_shutdown"));
        mergeFile = reinterpret_cast<decltype(mergeFile)>(m_library.resolve("git_merge_file"));
        resultFree = reinterpret_cast<decltype(resultFree)>(m_library.resolve("git_merge_file_result_free"));
        errorLast = reinterpret_cast<decltype(errorLast)>(m_library.resolve("git_error_last"));
        if (init && shutdown && mergeFile && resultFree && errorLast)
            init();
    }
    ~GitLibrary()
    {
        if (isLoaded())
            shutdown();
    }
    Q_DISABLE_COPY_MOVE(GitLibrary)

    bool isLoaded() const { return init && shutdown && mergeFile && resultFree && errorLast; }
    QString errorString() const { return m_library.errorString(); }

    decltype(&git_libgit2_init) init = nullptr;
    decltype(&git_libgit2_shutdown) shutdown = nullptr;
    decltype(&git_merge_file) mergeFile = nullptr;
    decltype(&git_merge_file_result_free) resultFree = nullptr;
    decltype(&git_error_last) errorLast = nullptr;

private:
    QLibrary m_library;
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
    if (!library.isLoaded())
        return KvMergeResult::refused(tr("the text merge needs libgit2: %1").arg(library.errorString()));
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
    if (library.mergeFile(&out, &baseInput, &oursInput, &theirsInput, &options) != 0) {
        const git_error *error = library.errorLast();
        return KvMergeResult::refused(
            tr("libgit2 could not merge the text: %1").arg(error ? QString::fromUtf8(error->message) : u"?"_s));
    }
    KvMergeResult result;
    result.kind = KvMergeResult::Kind::Text;
    result.merged = QByteArray(out.ptr, qsizetype(out.len));
    result.status = out.automergeable ? KvMergeResult::Status::Merged : KvMergeResult::Status::Conflicts;
    library.resultFree(&out);
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
