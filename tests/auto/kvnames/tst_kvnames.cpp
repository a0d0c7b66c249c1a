#include "kvnames.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QRandomGenerator>
#include <QtCore/QStringList>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

// KvNames::validateKey as it was before its one-pass check (split into tokens, every character
// tested): the reference the rewrite is compared with, message for message.
namespace Reference {

QString tr(const char *text)
{
    return QCoreApplication::translate("KvNames", text);
}

bool isKeyChar(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'-'
        || c == u'/' || c == u'=' || c == u'.';
}

QString describeChar(QStringView text, qsizetype i)
{
    const QChar c = text[i];
    if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate())
        return u"\"%1\""_s.arg(text.mid(i, 2));
    if (c == u' ')
        return tr("a space");
    if (c.unicode() < 0x20 || c.unicode() == 0x7f)
        return tr("a control character (U+%1)").arg(QString::number(c.unicode(), 16).rightJustified(4, u'0').toUpper());
    return u"\"%1\""_s.arg(c);
}

QString validateKey(const QString &key)
{
    if (key.isEmpty())
        return tr("key is empty");
    QString problem;
    if (key.startsWith(u'.'))
        problem = tr("starts with a dot");
    else if (key.endsWith(u'.'))
        problem = tr("ends with a dot");
    const QStringList tokens = key.split(u'.');
    for (qsizetype i = 0; problem.isEmpty() && i < tokens.size(); ++i) {
        if (tokens[i].isEmpty()) {
            problem = tr("has an empty token between dots");
            break;
        }
        for (qsizetype at = 0; at < tokens[i].size(); ++at) {
            if (!isKeyChar(tokens[i][at])) {
                problem = tr("contains %1; allowed are ASCII letters, digits and - / _ = .")
                              .arg(describeChar(tokens[i], at));
                break;
            }
        }
    }
    return problem.isEmpty() ? QString() : tr("key \"%1\" is not valid: it %2").arg(key, problem);
}

} // namespace Reference

// Characters on both sides of every rule: each class of allowed character, the dot, wildcards,
// blanks, controls, DEL, non-ASCII (Latin-1, a surrogate half, units whose low byte is 'a' or '-').
const QString kAlphabet = u"aZ09-_/=.*> \t\x7f\u00e9"_s + QChar(0xd83d) + QChar(0x0161) + QChar(0x0200 | '-');

} // namespace

// Key and key filter names (nats.go's kv.go rules, and no empty tokens).
class tst_KvNames final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validateKey_data();
    void validateKey();
    void validateKeyAsBefore();
    void aKeyTooLongForAnyBucket();
    void validateKeyFilter_data();
    void validateKeyFilter();
};

void tst_KvNames::validateKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("problem"); // empty: valid

    QTest::newRow("plain") << u"a"_s << QString();
    QTest::newRow("every allowed") << u"aZ09-_/=.x"_s << QString();
    QTest::newRow("tokens") << u"a.b.c"_s << QString();
    QTest::newRow("empty") << QString() << u"key is empty"_s;
    QTest::newRow("leading dot") << u".a"_s << u"key \".a\" is not valid: it starts with a dot"_s;
    QTest::newRow("trailing dot") << u"a."_s << u"key \"a.\" is not valid: it ends with a dot"_s;
    QTest::newRow("only a dot") << u"."_s << u"key \".\" is not valid: it starts with a dot"_s;
    QTest::newRow("empty token") << u"a..b"_s << u"key \"a..b\" is not valid: it has an empty token between dots"_s;
    QTest::newRow("space")
        << u"a b"_s
        << u"key \"a b\" is not valid: it contains a space; allowed are ASCII letters, digits and - / _ = ."_s;
    QTest::newRow("star")
        << u"a.*"_s
        << u"key \"a.*\" is not valid: it contains \"*\"; allowed are ASCII letters, digits and - / _ = ."_s;
    QTest::newRow("gt")
        << u">"_s << u"key \">\" is not valid: it contains \">\"; allowed are ASCII letters, digits and - / _ = ."_s;
    QTest::newRow("tab") << u"a\tb"_s
                         << u"key \"a\tb\" is not valid: it contains a control character (U+0009); allowed are "
                            "ASCII letters, digits and - / _ = ."_s;
    QTest::newRow("non-ascii") << u"caf\u00e9"_s
                               << u"key \"caf\u00e9\" is not valid: it contains \"\u00e9\"; allowed are ASCII letters, "
                                  "digits and - / _ = ."_s;
    // Two UTF-16 units: named whole, not as "?" (half of it).
    QTest::newRow("beyond U+FFFF") << u"emoji\U0001F600"_s
                                   << u"key \"emoji\U0001F600\" is not valid: it contains \"\U0001F600\"; allowed "
                                      "are ASCII letters, digits and - / _ = ."_s;
    // U+0161's low byte is 'a' (0x61): a check on the low byte alone would take it.
    QTest::newRow("low byte a")
        << QString(QChar(0x0161))
        << u"key \"\u0161\" is not valid: it contains \"\u0161\"; allowed are ASCII letters, digits "
           "and - / _ = ."_s;
}

void tst_KvNames::validateKey()
{
    QFETCH(QString, key);
    QFETCH(QString, problem);
    QCOMPARE(KvNames::validateKey(key), problem);
    QCOMPARE(Reference::validateKey(key), problem);
}

// A key no write can send (its subject does not fit the server's 4096-byte protocol line, even in a bucket
// of one character) was valid here: refused as typed now, with its length and the limit.
void tst_KvNames::aKeyTooLongForAnyBucket()
{
    QCOMPARE(KvNames::validateKey(QString(4033, u'k')), QString());
    const QString problem = KvNames::validateKey(QString(4034, u'k'));
    QVERIFY2(problem.contains(u"4034 characters"_s) && problem.contains(u"at most 4033"_s), qPrintable(problem));
    QVERIFY2(problem.size() < 200, qPrintable(problem)); // the key is shown cut
}

// The one-pass check takes and refuses exactly the keys the token-by-token check did, with the same
// message: every key of up to four characters over kAlphabet, then random longer ones.
void tst_KvNames::validateKeyAsBefore()
{
    const qsizetype n = kAlphabet.size();
    QString key;
    qsizetype compared = 0;
    qsizetype valid = 0;
    const auto compare = [&](const QString &candidate) {
        const QString expected = Reference::validateKey(candidate);
        const QString actual = KvNames::validateKey(candidate);
        if (actual != expected) {
            QFAIL(qPrintable(u"key \"%1\": \"%2\", before \"%3\""_s.arg(candidate, actual, expected)));
        }
        ++compared;
        valid += expected.isEmpty() ? 1 : 0;
    };
    for (int length = 0; length <= 4; ++length) {
        qsizetype combinations = 1;
        for (int i = 0; i < length; ++i)
            combinations *= n;
        for (qsizetype index = 0; index < combinations; ++index) {
            key.resize(length);
            qsizetype rest = index;
            for (int i = 0; i < length; ++i, rest /= n)
                key[i] = kAlphabet[rest % n];
            compare(key);
            if (QTest::currentTestFailed())
                return;
        }
    }
    // Longer keys, mostly valid characters so that the rare bad one sits anywhere in them.
    QRandomGenerator random(13);
    for (int round = 0; round < 20000; ++round) {
        key.resize(5 + random.bounded(60));
        for (QChar &c : key)
            c = random.bounded(8) == 0 ? kAlphabet[random.bounded(int(n))] : QChar(u'a' + random.bounded(26));
        compare(key);
        if (QTest::currentTestFailed())
            return;
    }
    QVERIFY(valid > 1000); // the corpus holds both
    QVERIFY(compared - valid > 1000);
}

QTEST_GUILESS_MAIN(tst_KvNames)

#include "tst_kvnames.moc"

void tst_KvNames::validateKeyFilter_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("problem"); // empty: valid

    QTest::newRow("token wildcard") << u"widget.*"_s << QString();
    QTest::newRow("tail wildcard") << u"orders.>"_s << QString();
    // A new user typed widget.1* (a glob) and was told "*" is not allowed, though widget.* is.
    QTest::newRow("glob") << u"widget.1*"_s
                          << u"key filter \"widget.1*\" is not valid: it has \"*\" inside the token \"1*\"; a "
                             "wildcard stands for a whole token, as in widget.*"_s;
    QTest::newRow("tail inside") << u"a.b>"_s
                                 << u"key filter \"a.b>\" is not valid: it has \">\" inside the token \"b>\"; a "
                                    "wildcard stands for a whole token, as in a.>"_s;
    QTest::newRow("space") << u"a b"_s
                           << u"key filter \"a b\" is not valid: it contains a space; allowed are ASCII letters, "
                              "digits and - / _ = ."_s;
}

void tst_KvNames::validateKeyFilter()
{
    QFETCH(QString, filter);
    QFETCH(QString, problem);
    QCOMPARE(KvNames::validateKeyFilter(filter), problem);
}
