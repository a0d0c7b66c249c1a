#pragma once

#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

// A line diff (Myers' O(ND) algorithm after trimming the common head and tail), for comparing two
// revisions of a value or a revision with the editor's text.
namespace LineDiff {

enum class Op {
    Equal,
    Removed,
    Added
};

struct Line
{
    Op op = Op::Equal;
    int leftLine = -1;  // 0-based line in the left text, -1 for an added line
    int rightLine = -1; // 0-based line in the right text, -1 for a removed line
    QString text;
    bool operator==(const Line &) const = default;
};

// A row of a side-by-side view: a changed block pairs removed with added lines, padding the shorter side.
struct Row
{
    int leftLine = -1; // -1: nothing on this side
    int rightLine = -1;
    bool changed = false;
};

// Edits turning left into right, in order. Beyond maxEdits differences it gives up on a minimal diff
// and reports the differing middle as removed-then-added (still correct, just coarser).
QList<Line> diff(const QStringList &left, const QStringList &right, int maxEdits = 4000);
QList<Row> sideBySide(const QList<Line> &lines);
// "  same", "- removed", "+ added", one per line.
QString unified(const QList<Line> &lines);
int changeCount(const QList<Line> &lines);

} // namespace LineDiff
