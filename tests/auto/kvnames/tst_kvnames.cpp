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
    void keyFromSubject_data();
    void keyFromSubject();
    void everyKeyRoundTripsByteForByte();
    void aKeyThatIsNotUtf8IsNamedEscaped();
    void validateExistingKey_data();
    void validateExistingKey();
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

void tst_KvNames::keyFromSubject_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("shown");

    QTest::newRow("ascii") << "a.b"_ba << u"a.b"_s << u"a.b"_s;
    QTest::newRow("utf-8") << "caf\xC3\xA9"_ba << u"caf\u00e9"_s << u"caf\u00e9"_s;
    QTest::newRow("beyond U+FFFF") << "\xF0\x9F\x98\x80"_ba << u"\U0001F600"_s << u"\U0001F600"_s;
    QTest::newRow("a real U+FFFD") << "x\xEF\xBF\xBD"_ba << u"x\uFFFD"_s << u"x\uFFFD"_s;
    // Before, both of these were "x\uFFFD": two keys shown, listed and exported as one.
    QTest::newRow("0xFF") << "x\xFF"_ba << u"x"_s + QChar(0xDCFF) << u"x\\xFF"_s;
    QTest::newRow("0xFE") << "x\xFE"_ba << u"x"_s + QChar(0xDCFE) << u"x\\xFE"_s;
    QTest::newRow("latin-1") << "caf\xE9.a"_ba << u"caf"_s + QChar(0xDCE9) + u".a"_s << u"caf\\xE9.a"_s;
    QTest::newRow("cut sequence") << "\xC3"_ba << QString(QChar(0xDCC3)) << u"\\xC3"_s;
    QTest::newRow("overlong") << "\xC0\xAF"_ba << QString(QChar(0xDCC0)) + QChar(0xDCAF) << u"\\xC0\\xAF"_s;
    // UTF-8's form of a surrogate is not UTF-8: its bytes stay bytes, so it never reads as a kept byte.
    QTest::newRow("surrogate's bytes") << "\xED\xB3\xBF"_ba << QString(QChar(0xDCED)) + QChar(0xDCB3) + QChar(0xDCBF)
                                       << u"\\xED\\xB3\\xBF"_s;
    QTest::newRow("text around") << "\xE6\x97\xA5\xFF\xE6\x97\xA5"_ba << u"\u65e5"_s + QChar(0xDCFF) + u"\u65e5"_s
                                 << u"\u65e5\\xFF\u65e5"_s;
    // U+1004F3's low half is U+DCF3, which alone stands for the byte 0xF3: as half of a pair it is none.
    QTest::newRow("pair with a byte's half")
        << "\xF0\xF4\x80\x93\xB3\x80"_ba << QString(QChar(0xDCF0)) + QChar(0xDBC1) + QChar(0xDCF3) + QChar(0xDC80)
        << u"\\xF0"_s + QChar(0xDBC1) + QChar(0xDCF3) + u"\\x80"_s;
    QTest::newRow("backslash") << "a\\xFF"_ba << u"a\\xFF"_s << u"a\\\\xFF"_s;
}

void tst_KvNames::keyFromSubject()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, key);
    QFETCH(QString, shown);
    QCOMPARE(KvNames::keyFromSubject(bytes), key);
    QCOMPARE(KvNames::keySubject(key), bytes);
    QCOMPARE(KvNames::displayKey(key), shown);
    QCOMPARE(KvNames::keyHasRawBytes(key), !bytes.isValidUtf8());
}

// Any bytes read as a key are the same bytes as a subject again (so distinct keys are distinct strings).
void tst_KvNames::everyKeyRoundTripsByteForByte()
{
    QRandomGenerator random(7);
    const QByteArray pool = "a.\x80\xBF\xC2\xC3\xA9\xE0\xED\xEF\xF0\xF4\x8F\x90\xFF\xFE\x9F"_ba;
    for (int round = 0; round < 50000; ++round) {
        QByteArray bytes(1 + random.bounded(8), Qt::Uninitialized);
        for (char &b : bytes)
            b = random.bounded(2) ? pool[random.bounded(int(pool.size()))] : char(random.bounded(256));
        const QString key = KvNames::keyFromSubject(bytes);
        if (KvNames::keySubject(key) != bytes)
            QFAIL(qPrintable(u"%1 read as %2, written as %3"_s.arg(
                QString::fromLatin1(bytes.toHex()), QString::fromLatin1(key.toUtf8().toHex()),
                QString::fromLatin1(KvNames::keySubject(key).toHex()))));
        if (bytes.isValidUtf8() && key != QString::fromUtf8(bytes))
            QFAIL(qPrintable(u"UTF-8 %1 read as another key"_s.arg(QString::fromLatin1(bytes.toHex()))));
    }
}

// A key read from a server that is not a valid key to type is refused by name, its bytes escaped (printed
// as they are they come out as "?").
void tst_KvNames::aKeyThatIsNotUtf8IsNamedEscaped()
{
    QCOMPARE(KvNames::validateKey(KvNames::keyFromSubject("x\xFF"_ba)),
             u"key \"x\\xFF\" is not valid: it contains the byte \\xFF, which is not UTF-8; allowed are ASCII "
             "letters, digits and - / _ = ."_s);
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
    // Filters read keys, any a subject can hold: another client's "café" is found by "caf*"'s "café.>".
    QTest::newRow("beyond nats.go's characters") << u"caf\u00e9.>"_s << QString();
    QTest::newRow("space") << u"a b"_s
                           << u"key filter \"a b\" is not valid: it contains a space, which no key can hold"_s;
}

void tst_KvNames::validateKeyFilter()
{
    QFETCH(QString, filter);
    QFETCH(QString, problem);
    QCOMPARE(KvNames::validateKeyFilter(filter), problem);
}

// A key read, deleted or updated exists already: any a subject can hold (another client's "café",
// "user@example.com"), though kvdesk writes new keys only with nats.go's characters (validateKey).
void tst_KvNames::validateExistingKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("problem"); // empty: valid

    QTest::newRow("official") << u"a.b-c_d/e=f"_s << QString();
    QTest::newRow("non-ascii") << u"caf\u00e9"_s << QString();
    QTest::newRow("at") << u"user@example.com"_s << QString();
    QTest::newRow("beyond U+FFFF") << u"emoji\U0001F600"_s << QString();
    QTest::newRow("empty") << QString() << u"key is empty"_s;
    QTest::newRow("empty token") << u"a..b"_s << u"key \"a..b\" is not valid: it has an empty token between dots"_s;
    QTest::newRow("space") << u"a b"_s << u"key \"a b\" is not valid: it contains a space, which no key can hold"_s;
    QTest::newRow("tab") << u"a\tb"_s
                         << u"key \"a\tb\" is not valid: it contains a control character (U+0009), which no key can "
                            "hold"_s;
    QTest::newRow("wildcard") << u"a.*"_s << u"key \"a.*\" is not valid: it contains \"*\", which no key can hold"_s;
    QTest::newRow("not UTF-8") << KvNames::keyFromSubject("x\xFF"_ba)
                               << u"key \"x\\xFF\" is not valid: it contains the byte \\xFF, which is not UTF-8 "
                                  "text: such a key can be listed, watched and exported, not read or changed by "
                                  "name"_s;
}

void tst_KvNames::validateExistingKey()
{
    QFETCH(QString, key);
    QFETCH(QString, problem);
    QCOMPARE(KvNames::validateExistingKey(key), problem);
}
