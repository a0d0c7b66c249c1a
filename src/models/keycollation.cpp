#include "keycollation.h"

#include "kvnames.h"

#include <cstring>

using namespace Qt::StringLiterals;

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

char folded(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

int plainCompare(QByteArrayView a, QByteArrayView b)
{
    const qsizetype common = std::min(a.size(), b.size());
    const int c = common ? std::memcmp(a.data(), b.data(), size_t(common)) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

// Compares the digit runs starting at a[*i] and b[*j] as numbers (leading zeros skipped: longer is
// bigger, then digit by digit) and moves both past them.
int compareNumbers(QByteArrayView a, qsizetype *i, QByteArrayView b, qsizetype *j)
{
    while (*i < a.size() && a[*i] == '0')
        ++*i;
    while (*j < b.size() && b[*j] == '0')
        ++*j;
    qsizetype ei = *i;
    qsizetype ej = *j;
    while (ei < a.size() && isDigit(a[ei]))
        ++ei;
    while (ej < b.size() && isDigit(b[ej]))
        ++ej;
    int result = 0;
    if (ei - *i != ej - *j)
        result = ei - *i < ej - *j ? -1 : 1;
    else if (ei > *i)
        result = std::memcmp(a.data() + *i, b.data() + *j, size_t(ei - *i));
    *i = ei;
    *j = ej;
    return result < 0 ? -1 : (result > 0 ? 1 : 0);
}

int naturalPrimary(QByteArrayView a, QByteArrayView b)
{
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(a[i]) && isDigit(b[j])) {
            if (const int c = compareNumbers(a, &i, b, &j))
                return c;
            continue;
        }
        const auto ca = uchar(folded(a[i]));
        const auto cb = uchar(folded(b[j]));
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size())
        return 1;
    return j < b.size() ? -1 : 0;
}

const char *findDot(QByteArrayView text, qsizetype from)
{
    if (from >= text.size())
        return nullptr;
    return static_cast<const char *>(std::memchr(text.data() + from, '.', size_t(text.size() - from)));
}

} // namespace

int KeyCollation::compareToken(QByteArrayView a, QByteArrayView b, Order order)
{
    if (order == Order::Natural) {
        if (const int c = naturalPrimary(a, b))
            return c;
    }
    return plainCompare(a, b);
}

int KeyCollation::compare(QByteArrayView a, QByteArrayView b, Order order)
{
    qsizetype i = 0;
    qsizetype j = 0;
    for (;;) {
        const char *da = findDot(a, i);
        const char *db = findDot(b, j);
        const qsizetype ei = da ? da - a.data() : a.size();
        const qsizetype ej = db ? db - b.data() : b.size();
        if (const int c = compareToken(a.sliced(i, ei - i), b.sliced(j, ej - j), order))
            return c;
        if (!da || !db)
            return da == db ? 0 : (da ? 1 : -1);
        i = ei + 1;
        j = ej + 1;
    }
}

int KeyCollation::compare(const QString &a, const QString &b, Order order)
{
    const QByteArray ua = KvNames::keySubject(a);
    const QByteArray ub = KvNames::keySubject(b);
    return compare(QByteArrayView(ua), QByteArrayView(ub), order);
}

QString KeyCollation::orderName(Order order)
{
    return order == Order::Plain ? u"plain"_s : u"natural"_s;
}

KeyCollation::Order KeyCollation::orderFromName(const QString &name)
{
    return name == "plain"_L1 ? Order::Plain : Order::Natural;
}
