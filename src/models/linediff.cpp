#include "linediff.h"

#include <vector>

namespace LineDiff {

namespace {

// Myers' greedy forward search, keeping each round's frontier for the walk back.
bool myers(const QStringList &a, qsizetype aStart, qsizetype n, const QStringList &b, qsizetype bStart, qsizetype m,
           int maxEdits, QList<Line> *out)
{
    const int max = int(n + m);
    const int limit = std::min(max, maxEdits);
    // Diagonals -max-1 .. max+1: round d reads k±1 for |k| <= d and keeps the band [-d-1, d+1].
    const int offset = max + 1;
    std::vector<int> v(size_t(2 * offset + 1), 0);
    std::vector<std::vector<int>> trace;
    int found = -1;
    for (int d = 0; d <= limit && found < 0; ++d) {
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]))
                ? v[size_t(offset + k + 1)]
                : v[size_t(offset + k - 1)] + 1;
            int y = x - k;
            while (x < n && y < m && a[aStart + x] == b[bStart + y]) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
        // Only the band [-d-1, d+1] matters for the walk back; keep just that.
        trace.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    }
    if (found < 0)
        return false;

    QList<Line> reversed;
    int x = int(n);
    int y = int(m);
    for (int d = found; d > 0; --d) {
        const std::vector<int> &prev = trace[size_t(d - 1)];
        const auto at = [&prev, d](int k) { return prev[size_t(k + d)]; }; // prev covers [-d, d]
        const int k = x - y;
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = at(prevK);
        const int prevY = prevX - prevK;
        while (x > prevX && y > prevY) {
            --x;
            --y;
            reversed.append({Op::Equal, int(aStart + x), int(bStart + y), a[aStart + x]});
        }
        if (down) {
            --y;
            reversed.append({Op::Added, -1, int(bStart + y), b[bStart + y]});
        } else {
            --x;
            reversed.append({Op::Removed, int(aStart + x), -1, a[aStart + x]});
        }
    }
    while (x > 0 && y > 0) {
        --x;
        --y;
        reversed.append({Op::Equal, int(aStart + x), int(bStart + y), a[aStart + x]});
    }
    for (qsizetype i = reversed.size() - 1; i >= 0; --i)
        out->append(reversed[i]);
    return true;
}

} // namespace

QList<Line> diff(const QStringList &left, const QStringList &right, int maxEdits)
{
    QList<Line> result;
    qsizetype head = 0;
    while (head < left.size() && head < right.size() && left[head] == right[head]) {
        result.append({Op::Equal, int(head), int(head), left[head]});
        ++head;
    }
    qsizetype tail = 0;
    while (tail < left.size() - head && tail < right.size() - head
           && left[left.size() - 1 - tail] == right[right.size() - 1 - tail])
        ++tail;
    const qsizetype n = left.size() - head - tail;
    const qsizetype m = right.size() - head - tail;
    if (!myers(left, head, n, right, head, m, maxEdits, &result)) {
        for (qsizetype i = 0; i < n; ++i)
            result.append({Op::Removed, int(head + i), -1, left[head + i]});
        for (qsizetype i = 0; i < m; ++i)
            result.append({Op::Added, -1, int(head + i), right[head + i]});
    }
    for (qsizetype i = tail; i > 0; --i) {
        const qsizetype l = left.size() - i;
        const qsizetype r = right.size() - i;
        result.append({Op::Equal, int(l), int(r), left[l]});
    }
    return result;
}

QList<Row> sideBySide(const QList<Line> &lines)
{
    QList<Row> rows;
    qsizetype i = 0;
    while (i < lines.size()) {
        if (lines[i].op == Op::Equal) {
            rows.append({lines[i].leftLine, lines[i].rightLine, false});
            ++i;
            continue;
        }
        QList<int> removed;
        QList<int> added;
        while (i < lines.size() && lines[i].op != Op::Equal) {
            if (lines[i].op == Op::Removed)
                removed.append(lines[i].leftLine);
            else
                added.append(lines[i].rightLine);
            ++i;
        }
        for (qsizetype j = 0; j < std::max(removed.size(), added.size()); ++j)
            rows.append({j < removed.size() ? removed[j] : -1, j < added.size() ? added[j] : -1, true});
    }
    return rows;
}

QString unified(const QList<Line> &lines)
{
    QString out;
    for (const Line &line : lines) {
        out += line.op == Op::Equal ? QStringLiteral("  ")
                                    : (line.op == Op::Removed ? QStringLiteral("- ") : QStringLiteral("+ "));
        out += line.text;
        out += u'\n';
    }
    return out;
}

int changeCount(const QList<Line> &lines)
{
    return int(std::count_if(lines.cbegin(), lines.cend(), [](const Line &line) { return line.op != Op::Equal; }));
}

} // namespace LineDiff
