#include "linediff.h"

#include <QtCore/QRandomGenerator>
#include <QtTest/QtTest>

#include <vector>

using namespace Qt::StringLiterals;

// LineDiff against a reference: every pair of short texts over a tiny alphabet, checked for a diff that
// rebuilds both sides and is minimal (its change count is n + m - 2 * LCS). The test target compiles
// linediff.cpp itself under AddressSanitizer, so a read past any buffer fails here too.
class tst_LineDiff : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everySmallPairRebuildsAndIsMinimal();
    void randomLongerPairs();
    void giveUpStillRebuilds();
    void sideBySidePairsChangedBlocks();
};

namespace {

int lcs(const QStringList &a, const QStringList &b)
{
    std::vector<std::vector<int>> t(size_t(a.size() + 1), std::vector<int>(size_t(b.size() + 1), 0));
    for (qsizetype i = a.size() - 1; i >= 0; --i)
        for (qsizetype j = b.size() - 1; j >= 0; --j)
            t[size_t(i)][size_t(j)] = a[i] == b[j] ? t[size_t(i + 1)][size_t(j + 1)] + 1
                                                   : std::max(t[size_t(i + 1)][size_t(j)], t[size_t(i)][size_t(j + 1)]);
    return t[0][0];
}

// Empty string when the diff is sound, otherwise what is wrong.
QString check(const QStringList &a, const QStringList &b, const QList<LineDiff::Line> &lines, bool minimal)
{
    QStringList left;
    QStringList right;
    for (const LineDiff::Line &line : lines) {
        if (line.op != LineDiff::Op::Added) {
            if (line.leftLine != left.size() || line.text != a.value(line.leftLine))
                return u"left line %1 out of place"_s.arg(line.leftLine);
            left.append(line.text);
        }
        if (line.op != LineDiff::Op::Removed) {
            if (line.rightLine != right.size() || line.text != b.value(line.rightLine))
                return u"right line %1 out of place"_s.arg(line.rightLine);
            right.append(line.text);
        }
    }
    if (left != a || right != b)
        return u"does not rebuild both sides"_s;
    if (minimal && LineDiff::changeCount(lines) != a.size() + b.size() - 2 * lcs(a, b))
        return u"%1 changes, minimum %2"_s.arg(LineDiff::changeCount(lines)).arg(a.size() + b.size() - 2 * lcs(a, b));
    return {};
}

QStringList fromDigits(int value, int length)
{
    QStringList lines;
    for (int i = 0; i < length; ++i, value /= 3)
        lines.append(QString(QChar(u'a' + value % 3)));
    return lines;
}

int power3(int length)
{
    int p = 1;
    for (int i = 0; i < length; ++i)
        p *= 3;
    return p;
}

} // namespace

void tst_LineDiff::everySmallPairRebuildsAndIsMinimal()
{
    int pairs = 0;
    for (int n = 0; n <= 4; ++n) {
        for (int m = 0; m <= 4; ++m) {
            for (int x = 0; x < power3(n); ++x) {
                for (int y = 0; y < power3(m); ++y) {
                    const QStringList a = fromDigits(x, n);
                    const QStringList b = fromDigits(y, m);
                    const QString problem = check(a, b, LineDiff::diff(a, b), true);
                    if (!problem.isEmpty())
                        QFAIL(qPrintable(u"%1 → %2: %3"_s.arg(a.join(u""), b.join(u""), problem)));
                    ++pairs;
                }
            }
        }
    }
    QVERIFY(pairs > 10000);
}

void tst_LineDiff::randomLongerPairs()
{
    QRandomGenerator random(20261204);
    for (int round = 0; round < 300; ++round) {
        QStringList a;
        QStringList b;
        const int n = int(random.bounded(40));
        const int m = int(random.bounded(40));
        for (int i = 0; i < n; ++i)
            a.append(QString::number(random.bounded(4)));
        for (int i = 0; i < m; ++i)
            b.append(QString::number(random.bounded(4)));
        const QString problem = check(a, b, LineDiff::diff(a, b), true);
        if (!problem.isEmpty())
            QFAIL(qPrintable(u"round %1: %2"_s.arg(round).arg(problem)));
    }
}

void tst_LineDiff::giveUpStillRebuilds()
{
    // Beyond maxEdits the middle is reported removed-then-added: coarser, still a correct diff.
    QStringList a;
    QStringList b;
    for (int i = 0; i < 50; ++i) {
        a.append(QString::number(i));
        b.append(QString::number(i + 1000));
    }
    a.prepend(u"head"_s);
    b.prepend(u"head"_s);
    const QList<LineDiff::Line> lines = LineDiff::diff(a, b, 10);
    QCOMPARE(check(a, b, lines, false), QString());
    QCOMPARE(LineDiff::changeCount(lines), 100);
    QCOMPARE(lines.first().op, LineDiff::Op::Equal);
}

void tst_LineDiff::sideBySidePairsChangedBlocks()
{
    const QStringList a{u"x"_s, u"old1"_s, u"old2"_s, u"y"_s};
    const QStringList b{u"x"_s, u"new"_s, u"y"_s};
    const QList<LineDiff::Row> rows = LineDiff::sideBySide(LineDiff::diff(a, b));
    QCOMPARE(rows.size(), 4);
    QCOMPARE(rows[0].changed, false);
    QCOMPARE(rows[1].leftLine, 1);
    QCOMPARE(rows[1].rightLine, 1);
    QCOMPARE(rows[2].leftLine, 2);
    QCOMPARE(rows[2].rightLine, -1);
    QVERIFY(rows[2].changed);
    QCOMPARE(rows[3].leftLine, 3);
    QCOMPARE(rows[3].rightLine, 2);
}

QTEST_GUILESS_MAIN(tst_LineDiff)
#include "tst_linediff.moc"
