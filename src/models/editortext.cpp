#include "editortext.h"

#include "linediff.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>
#include <QtGui/QTextDocument>

#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr char16_t kNbsp = 0x00a0;
constexpr QChar kByteOrderMark(0xfeff);
constexpr char16_t kLineSeparator = 0x2028;
constexpr char16_t kParagraphSeparator = 0x2029;
// Qt's frame markers (QTextBeginningOfFrame, QTextEndOfFrame): the editor makes them line breaks.
constexpr char16_t kBeginningOfFrame = 0xfdd0;
constexpr char16_t kEndOfFrame = 0xfdd1;

// A character diff costs about (characters × edits): past this budget the edit is applied as one span.
constexpr qsizetype kDiffBudget = 20'000'000;
constexpr int kMaxEdits = 1000;

QString tr(const char *text)
{
    return QCoreApplication::translate("EditorText", text);
}

// What QTextDocument::toPlainText() gives for a source character ("\r\n" is handled by the caller).
QChar shownChar(QChar c)
{
    switch (c.unicode()) {
    case u'\r':
    case kLineSeparator:
    case kParagraphSeparator:
        return u'\n';
    case kNbsp:
        return u' ';
    default:
        return c;
    }
}

// For each character of edited[from, from + at.size()), the character of the shown text it still is, or -1
// when it was typed. Only the part between the common head and tail: 2 MiB a keystroke is 16 MB otherwise.
struct Kept
{
    qsizetype from = 0;
    QList<qsizetype> at;
    qsizetype &operator[](qsizetype i) { return at[i - from]; }
};

// Myers' greedy O(ND) search between a[aFrom, aTo) and b[bFrom, bTo): for each character of b the diff
// keeps, (*kept)[its index in b] = its index in a. Each round's frontier is kept for the walk back. False
// (and kept untouched) when they differ in more places than the budget allows.
bool diffCharacters(const QString &a, qsizetype aFrom, qsizetype aTo, const QString &b, qsizetype bFrom, qsizetype bTo,
                    Kept *kept)
{
    const int n = int(aTo - aFrom);
    const int m = int(bTo - bFrom);
    const qsizetype length = std::max<qsizetype>(n + m, 1);
    const int maxEdits = int(std::max<qsizetype>(std::min<qsizetype>({kMaxEdits, kDiffBudget / length, length}), 1));
    const int offset = maxEdits + 1;
    std::vector<int> v(size_t(2 * offset + 1), 0);
    std::vector<std::vector<int>> before; // before[d]: the frontier on diagonals [-d-1, d+1] before round d
    int found = -1;
    for (int d = 0; d <= maxEdits && found < 0; ++d) {
        before.emplace_back(v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
        for (int k = -d; k <= d; k += 2) {
            const bool down = k == -d || (k != d && v[size_t(offset + k - 1)] < v[size_t(offset + k + 1)]);
            int x = down ? v[size_t(offset + k + 1)] : v[size_t(offset + k - 1)] + 1;
            int y = x - k;
            while (x < n && y < m && a[aFrom + x] == b[bFrom + y]) {
                ++x;
                ++y;
            }
            v[size_t(offset + k)] = x;
            if (x >= n && y >= m) {
                found = d;
                break;
            }
        }
    }
    if (found < 0)
        return false;
    int x = n;
    int y = m;
    for (int d = found; d > 0; --d) {
        const std::vector<int> &frontier = before[size_t(d)];
        const auto at = [&frontier, d](int k) { return frontier[size_t(k + d + 1)]; };
        const int k = x - y;
        const bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
        const int prevK = down ? k + 1 : k - 1;
        const int prevX = at(prevK);
        const int prevY = prevX - prevK;
        for (; x > prevX && y > prevY; --x, --y)
            (*kept)[bFrom + y - 1] = aFrom + x - 1;
        if (down)
            --y; // b[y] was typed
        else
            --x; // a[x] was removed
    }
    for (; x > 0 && y > 0; --x, --y)
        (*kept)[bFrom + y - 1] = aFrom + x - 1;
    return true;
}

// text[from, to) as lines, each with its "\n".
QStringList linesOf(const QString &text, qsizetype from, qsizetype to)
{
    QStringList lines;
    for (qsizetype start = from; start < to;) {
        const qsizetype newline = text.indexOf(u'\n', start);
        const qsizetype end = newline < 0 || newline >= to ? to : newline + 1;
        lines.append(text.mid(start, end - start));
        start = end;
    }
    return lines;
}

// What diffCharacters does when a span is too large for it (many edits far apart in a long value): lines
// the edits left alone keep all their characters, and each changed run of lines is diffed by character.
void diffLines(const QString &a, qsizetype aFrom, qsizetype aTo, const QString &b, qsizetype bFrom, qsizetype bTo,
               Kept *kept)
{
    qsizetype aPos = aFrom;
    qsizetype bPos = bFrom;
    qsizetype runA = aPos; // where the current run of changed lines starts
    qsizetype runB = bPos;
    const auto flush = [&] {
        if (aPos > runA || bPos > runB)
            diffCharacters(a, runA, aPos, b, runB, bPos, kept); // too large still: taken as typed
    };
    for (const LineDiff::Line &line : LineDiff::diff(linesOf(a, aFrom, aTo), linesOf(b, bFrom, bTo))) {
        if (line.op == LineDiff::Op::Equal) {
            flush();
            for (qsizetype i = 0; i < line.text.size(); ++i)
                (*kept)[bPos + i] = aPos + i;
            aPos += line.text.size();
            bPos += line.text.size();
            runA = aPos;
            runB = bPos;
        } else if (line.op == LineDiff::Op::Removed) {
            aPos += line.text.size();
        } else {
            bPos += line.text.size();
        }
    }
    flush();
}

// A span of the shown and edited texts still to be diffed: a[aFrom, aTo) against b[bFrom, bTo).
struct Span
{
    qsizetype aFrom;
    qsizetype aTo;
    qsizetype bFrom;
    qsizetype bTo;
};

// Spans longer than this are split at an anchor before a character diff is tried: a few edits far apart in
// 2 MiB are past its budget, and the line diff it fell back on could pair the identical parts of a long
// line wrongly, taking a whole part (with the editor's own break after it) for typed.
constexpr qsizetype kSplitAbove = 64 * 1024;
constexpr qsizetype kAnchorLength = 48;
constexpr int kMaxSplits = 40;

// Whether chunk occurs in text within radius of at, other than at at.
bool occursNear(QStringView text, QStringView chunk, qsizetype at, qsizetype radius)
{
    const qsizetype after = text.indexOf(chunk, at + 1);
    if (after >= 0 && after - at <= radius)
        return true;
    const qsizetype before = at > 0 ? text.lastIndexOf(chunk, at - 1) : -1;
    return before >= 0 && at - before <= radius;
}

// Where a[at, at + kAnchorLength) is in b's part of span: the occurrence nearest to where it would be with
// the edits spread evenly, and only if no other one, in a or in b, is near enough to be taken for it (in
// repeating text the nearest one could be a repeat; a diff takes the alignment of fewest edits). -1: none.
qsizetype findAnchor(const QString &a, qsizetype at, const QString &b, const Span &span)
{
    const QStringView inA = QStringView(a).mid(span.aFrom, span.aTo - span.aFrom);
    const QStringView inB = QStringView(b).mid(span.bFrom, span.bTo - span.bFrom);
    if (inB.size() < kAnchorLength)
        return -1;
    const QStringView chunk = QStringView(a).mid(at, kAnchorLength);
    const qsizetype aAt = at - span.aFrom;
    const qsizetype expected = qsizetype(double(aAt) * double(inB.size()) / double(inA.size()));
    const qsizetype last = inB.size() - kAnchorLength;
    const qsizetype after = inB.indexOf(chunk, std::clamp<qsizetype>(expected, 0, last));
    const qsizetype before = inB.lastIndexOf(chunk, std::clamp<qsizetype>(expected, 0, last));
    qsizetype found = after < 0 ? before : before < 0 ? after : (after - expected < expected - before ? after : before);
    if (found < 0)
        return -1;
    const qsizetype radius = 4 * std::abs(found - expected) + 2 * kAnchorLength + 64;
    if (occursNear(inB, chunk, found, radius) || occursNear(inA, chunk, aAt, radius))
        return -1;
    return span.bFrom + found;
}

void diffSpan(const QString &a, Span span, const QString &b, Kept *kept, int splits);

// Splits span at an anchor near its middle (centred on a line break where there is one: a line's end is the
// likeliest place to be unique) and diffs both sides. False when no anchor is found.
bool splitAtAnchor(const QString &a, const Span &span, const QString &b, Kept *kept, int splits)
{
    const qsizetype middle = span.aFrom + (span.aTo - span.aFrom) / 2;
    const qsizetype nextBreak = a.indexOf(u'\n', middle);
    const qsizetype previousBreak = a.lastIndexOf(u'\n', middle);
    for (const qsizetype centre : {nextBreak, previousBreak, middle}) {
        const qsizetype at = centre - kAnchorLength / 2;
        if (centre < 0 || at < span.aFrom || at + kAnchorLength > span.aTo)
            continue;
        const qsizetype inB = findAnchor(a, at, b, span);
        if (inB < 0)
            continue;
        diffSpan(a, {span.aFrom, at, span.bFrom, inB}, b, kept, splits + 1);
        for (qsizetype i = 0; i < kAnchorLength; ++i)
            (*kept)[inB + i] = at + i;
        diffSpan(a, {at + kAnchorLength, span.aTo, inB + kAnchorLength, span.bTo}, b, kept, splits + 1);
        return true;
    }
    return false;
}

// The diff of span: its common head and tail, then a character diff where it is short enough, else split at
// an anchor; the line diff only where neither works.
void diffSpan(const QString &a, Span span, const QString &b, Kept *kept, int splits)
{
    while (span.aFrom < span.aTo && span.bFrom < span.bTo && a[span.aFrom] == b[span.bFrom])
        (*kept)[span.bFrom++] = span.aFrom++;
    while (span.aFrom < span.aTo && span.bFrom < span.bTo && a[span.aTo - 1] == b[span.bTo - 1])
        (*kept)[--span.bTo] = --span.aTo;
    if (span.aFrom == span.aTo || span.bFrom == span.bTo)
        return; // only typed, or only removed
    const qsizetype length = (span.aTo - span.aFrom) + (span.bTo - span.bFrom);
    if (length <= kSplitAbove && diffCharacters(a, span.aFrom, span.aTo, b, span.bFrom, span.bTo, kept))
        return;
    if (splits < kMaxSplits && splitAtAnchor(a, span, b, kept, splits))
        return;
    if (!diffCharacters(a, span.aFrom, span.aTo, b, span.bFrom, span.bTo, kept))
        diffLines(a, span.aFrom, span.aTo, b, span.bFrom, span.bTo, kept);
}

} // namespace

EditorText::EditorText(const QString &source)
    : m_source(source)
{
    // A leading byte order mark is not shown: the editor shows nothing for it, so a character typed at the
    // start would go before it unseen. It stays the first character of every text applied.
    if (m_source.startsWith(kByteOrderMark)) {
        m_source.remove(0, 1);
        m_hasByteOrderMark = true;
    }
    // Written in place: appending a character at a time took 100 ms for 2 MiB.
    m_shown.resize(m_source.size() + m_source.size() / SoftLineLength + 1);
    char16_t *shown = reinterpret_cast<char16_t *>(m_shown.data());
    qsizetype n = 0;
    qsizetype delta = 0; // where the source is, against the shown text
    const auto from = [&](qsizetype sourcePos) {
        if (sourcePos - n != delta) {
            delta = sourcePos - n;
            m_shifts.append({n, delta});
        }
    };
    qsizetype line = 0; // characters shown since the last line break
    for (qsizetype i = 0; i < m_source.size(); ++i) {
        const QChar c = m_source[i];
        from(i);
        shown[n++] = shownChar(c).unicode();
        if (c == u'\r' && i + 1 < m_source.size() && m_source[i + 1] == u'\n')
            ++i; // one line break in the editor
        line = shown[n - 1] == u'\n' ? 0 : line + 1;
        if (line >= SoftLineLength && breaksAfter(m_source, i, line)) {
            from(i + 1); // a break of the editor's own: it stands for no character of the source
            shown[n++] = u'\n';
            line = 0;
            ++m_displayBreaks;
        }
    }
    from(m_source.size());
    m_shown.truncate(n);
}

qsizetype EditorText::sourceIndex(qsizetype shownIndex) const
{
    const auto after = std::upper_bound(m_shifts.cbegin(), m_shifts.cend(), shownIndex,
                                        [](qsizetype index, const Shift &shift) { return index < shift.at; });
    return shownIndex + (after == m_shifts.cbegin() ? 0 : (after - 1)->delta);
}

// After source[i], on a line of length characters: at a comma, an opening bracket or a space past
// SoftLineLength, anywhere (but inside a surrogate pair) past HardLineLength; never right before a line
// break or at the end.
bool EditorText::breaksAfter(const QString &source, qsizetype i, qsizetype length)
{
    if (i + 1 >= source.size() || shownChar(source[i + 1]) == u'\n')
        return false;
    const QChar c = source[i];
    if (c == u',' || c == u'{' || c == u'[' || c == u' ')
        return true;
    return length >= HardLineLength && !c.isHighSurrogate();
}

QString EditorText::source() const
{
    return m_hasByteOrderMark ? QString(kByteOrderMark) + m_source : m_source;
}

QString EditorText::applied(const QString &edited) const
{
    if (edited == m_shown)
        return source();
    // The common head and tail are kept as they are; only what lies between them is diffed.
    const qsizetype shortest = std::min(edited.size(), m_shown.size());
    qsizetype prefix = 0;
    while (prefix < shortest && edited[prefix] == m_shown[prefix])
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < shortest - prefix && edited[edited.size() - 1 - suffix] == m_shown[m_shown.size() - 1 - suffix])
        ++suffix;
    const qsizetype shownEnd = m_shown.size() - suffix;
    const qsizetype editedEnd = edited.size() - suffix;
    Kept kept{prefix, QList<qsizetype>(editedEnd - prefix, -1)};
    diffSpan(m_shown, {prefix, shownEnd, prefix, editedEnd}, edited, &kept, 0);
    const QString applied = rebuilt(edited, prefix, kept.at, shownEnd - editedEnd);
    return m_hasByteOrderMark ? QString(kByteOrderMark) + applied : applied;
}

QString EditorText::rebuilt(const QString &edited, qsizetype from, const QList<qsizetype> &middle,
                            qsizetype tailShift) const
{
    // Which character of m_shown edited[j] still is (-1: typed): the head and tail as they are.
    const auto keptAt = [&](qsizetype j) {
        return j < from ? j : j < from + middle.size() ? middle[j - from] : j + tailShift;
    };
    QString out;
    out.reserve(m_source.size() + edited.size() - m_shown.size());
    qsizetype next = 0; // the shown character after the last one kept: where typing goes in
    qsizetype lineBreakAt = -1;
    QString lineBreak;
    for (qsizetype j = 0; j < edited.size();) {
        const qsizetype first = keptAt(j);
        if (first >= 0) {
            // A run of characters kept in a row: their source characters in one piece.
            qsizetype end = j + 1;
            while (end < edited.size() && keptAt(end) == first + (end - j))
                ++end;
            const qsizetype start = sourceIndex(first);
            next = first + (end - j);
            out += QStringView(m_source).mid(start, sourceIndex(next) - start);
            j = end;
            continue;
        }
        if (edited[j] == u'\n') {
            if (lineBreakAt != next) {
                lineBreak = lineBreakNear(sourceIndex(next));
                lineBreakAt = next;
            }
            out += lineBreak;
        } else {
            out += edited[j];
        }
        ++j;
    }
    return out;
}

QString EditorText::lineBreakNear(qsizetype sourcePos) const
{
    const auto breakAt = [this](qsizetype i) -> QString {
        if (m_source[i] == u'\r')
            return i + 1 < m_source.size() && m_source[i + 1] == u'\n' ? u"\r\n"_s : u"\r"_s;
        return i > 0 && m_source[i - 1] == u'\r' ? u"\r\n"_s : u"\n"_s;
    };
    // The break that ends the line being edited, else the one before it.
    for (qsizetype i = sourcePos; i < m_source.size(); ++i) {
        if (m_source[i] == u'\n' || m_source[i] == u'\r')
            return breakAt(i);
    }
    for (qsizetype i = std::min(sourcePos, m_source.size()) - 1; i >= 0; --i) {
        if (m_source[i] == u'\n' || m_source[i] == u'\r')
            return breakAt(i);
    }
    return u"\n"_s;
}

QString EditorText::problem() const
{
    bool loneCr = false;
    bool loneLf = false;
    for (qsizetype i = 0; i < m_source.size(); ++i) {
        const char16_t c = m_source[i].unicode();
        if (c == u'\r' && (i + 1 == m_source.size() || m_source[i + 1] != u'\n'))
            loneCr = true;
        else if (c == u'\n' && (i == 0 || m_source[i - 1] != u'\r'))
            loneLf = true;
        else if (c == kBeginningOfFrame || c == kEndOfFrame)
            return tr("it holds U+%1 at character %2, which the editor shows as a line break")
                .arg(QString::number(c, 16).toUpper().rightJustified(4, u'0'))
                .arg(i + 1);
    }
    if (loneCr && loneLf)
        return tr("it mixes CR and LF line endings, which the editor cannot keep apart (a new line typed after a "
                  "CR would make one CRLF of them)");
    if (!survivesTextDocument())
        return tr("the editor would change some of its characters");
    return {};
}

bool EditorText::survivesTextDocument() const
{
    const bool plain = std::all_of(m_source.cbegin(), m_source.cend(), [](QChar c) {
        return (c.unicode() >= 0x20 && c.unicode() < 0x7f) || c == u'\n' || c == u'\t';
    });
    if (plain)
        return true; // nothing for the editor to change
    QTextDocument document;
    document.setPlainText(m_source);
    if (m_displayBreaks == 0)
        return document.toPlainText() == m_shown;
    // Given the source, the editor has none of the breaks added here: where the source stops moving on.
    QString expected;
    expected.reserve(m_shown.size());
    qsizetype copied = 0;
    qsizetype delta = 0;
    for (const Shift &shift : m_shifts) {
        if (shift.delta == delta - 1) {
            expected += QStringView(m_shown).mid(copied, shift.at - 1 - copied);
            copied = shift.at;
        }
        delta = shift.delta;
    }
    expected += QStringView(m_shown).mid(copied);
    return document.toPlainText() == expected;
}
