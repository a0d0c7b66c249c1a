#include "jstimestamp.h"

#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

// JsTimestamp::parse as it was, one regular expression for every layout: the reference the layouts read
// without it must agree with.
QDateTime parseWithPattern(const QString &text)
{
    static const QRegularExpression pattern(
        uR"(^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?(?:\s+\w+)?$)"_s);
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return {};
    const QDate date = QDate::fromString(match.captured(1), Qt::ISODate);
    const QTime time = QTime::fromString(match.captured(2), u"HH:mm:ss"_s);
    if (!date.isValid() || !time.isValid() || date.year() <= 1)
        return {};
    const QString fraction = QString(match.captured(3) + u"000"_s).left(3);
    QDateTime result(date, time.addMSecs(fraction.toInt()), Qt::UTC);
    const QString zone = match.captured(4);
    if (!zone.isEmpty() && zone != "Z"_L1) {
        const int sign = zone.startsWith(u'-') ? -1 : 1;
        const QString digits = zone.mid(1).remove(u':');
        const int offsetSeconds = sign * (digits.left(2).toInt() * 3600 + digits.mid(2, 2).toInt() * 60);
        result = result.addSecs(-offsetSeconds);
    }
    return result;
}

} // namespace

// JetStream's times as servers write them, and everything near them: the same time (or none) as the
// regular expression that read them all before.
class tst_JsTimestamp final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownTimes_data();
    void knownTimes();
    void sameAsThePattern_data();
    void sameAsThePattern();
};

void tst_JsTimestamp::knownTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDateTime>("expected");
    const QDateTime t(QDate(2026, 11, 25), QTime(16, 12, 56, 750), Qt::UTC);
    QTest::newRow("RFC 3339 nanoseconds") << u"2026-11-25T16:12:56.750597061Z"_s << t;
    QTest::newRow("Go default layout") << u"2026-11-25 16:12:56.750597061 +0000 UTC"_s << t;
    QTest::newRow("offset") << u"2026-11-25T17:12:56.75+01:00"_s << t;
    QTest::newRow("offset without colon") << u"2026-11-25T11:12:56.75-0500"_s << t;
    QTest::newRow("no fraction") << u"2026-11-25T16:12:56Z"_s << t.addMSecs(-750);
    QTest::newRow("zero time") << u"0001-01-01T00:00:00Z"_s << QDateTime();
    QTest::newRow("not a time") << u"yesterday"_s << QDateTime();
    QTest::newRow("empty") << QString() << QDateTime();
}

void tst_JsTimestamp::knownTimes()
{
    QFETCH(QString, text);
    QFETCH(QDateTime, expected);
    QCOMPARE(JsTimestamp::parse(text), expected);
}

void tst_JsTimestamp::sameAsThePattern_data()
{
    QTest::addColumn<QString>("text");
    const QStringList dates{u"2026-11-25"_s, u"2024-02-29"_s, u"2026-02-29"_s,
                            u"2026-13-01"_s, u"0001-01-01"_s, u"0002-01-01"_s,
                            u"9999-12-31"_s, u"2026-1-05"_s,  u"\u0662\u0660\u0662\u0666-11-25"_s};
    const QStringList times{u"T16:12:56"_s, u" 16:12:56"_s, u"T23:59:59"_s, u"T24:00:00"_s,
                            u"T12:60:00"_s, u"t16:12:56"_s, u"T16:12"_s};
    const QStringList fractions{QString(), u".7"_s, u".75"_s, u".750597061"_s, u"."_s, u".x"_s};
    const QStringList zones{QString(),       u"Z"_s,        u" Z"_s,    u"+01:00"_s,    u"-0530"_s, u" +0000"_s,
                            u" +0000 UTC"_s, u"+01:0"_s,    u"+1:00"_s, u"Z UTC"_s,     u" UTC"_s,  u"  +0000"_s,
                            u" +0000 "_s,    u"+0000 U1"_s, u"z"_s,     u"+01:00junk"_s};
    for (const QString &date : dates) {
        for (const QString &time : times) {
            for (const QString &fraction : fractions) {
                for (const QString &zone : zones) {
                    const QString text = date + time + fraction + zone;
                    QTest::newRow(qPrintable(text)) << text;
                }
            }
        }
    }
    QTest::newRow("leading space") << u" 2026-11-25T16:12:56Z"_s;
    QTest::newRow("trailing space") << u"2026-11-25T16:12:56Z "_s;
    QTest::newRow("short") << u"2026-11-25T16:12:5"_s;
}

void tst_JsTimestamp::sameAsThePattern()
{
    QFETCH(QString, text);
    QCOMPARE(JsTimestamp::parse(text), parseWithPattern(text));
}

QTEST_GUILESS_MAIN(tst_JsTimestamp)

#include "tst_jstimestamp.moc"
