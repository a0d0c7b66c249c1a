#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

// What the three sides are called in conflict markers and reasons.
struct KvMergeLabels
{
    QString base = QStringLiteral("base");
    QString ours = QStringLiteral("ours");
    QString theirs = QStringLiteral("theirs");
};

// One place where both sides changed the same thing differently.
struct KvMergeConflict
{
    // JSON: a JSON Pointer (RFC 6901) to the member, "" for the whole value. Text: "line N" of the text
    // with conflict markers (KvMergeResult::merged).
    QString where;
    // That member's JSON text, or those lines, on each side; nullopt where the member is absent.
    std::optional<QByteArray> base;
    std::optional<QByteArray> ours;
    std::optional<QByteArray> theirs;
};

// What a three-way merge gave: the merged bytes, or the conflicts, or why the values cannot be merged.
struct KvMergeResult
{
    enum class Status {
        Merged,    // merged holds the result
        Conflicts, // conflicts lists them; for text, merged holds the text with conflict markers
        Refused    // reason says why (not UTF-8 text, ...)
    };
    enum class Kind {
        Text, // merged by lines (libgit2)
        Json  // merged member by member
    };

    Status status = Status::Refused;
    Kind kind = Kind::Text;
    QByteArray merged;
    QList<KvMergeConflict> conflicts;
    QString reason;

    bool isMerged() const { return status == Status::Merged; }
    static KvMergeResult refused(const QString &reason)
    {
        KvMergeResult result;
        result.reason = reason;
        return result;
    }
};
