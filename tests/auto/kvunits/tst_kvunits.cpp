#include "kvunits.h"

#include <QtTest/QTest>

#include <limits>

using namespace Qt::StringLiterals;

// The one reading and printing of durations and sizes, for the app and kvdesk-cli: natscli's meaning
// (Go durations plus d, w, M = 30 days, y; 1024-based sizes). Expected values are what natscli (fisk's
// ParseDuration, ParseStringAsBytes) and Go print.
class tst_KvUnits final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseDuration_data();
    void parseDuration();
    void invalidDuration_data();
    void invalidDuration();
    void parseMilliseconds_data();
    void parseMilliseconds();
    void parseSize_data();
    void parseSize();
    void goDuration_data();
    void goDuration();
    void humanizeDuration_data();
    void humanizeDuration();
    void iBytes_data();
    void iBytes();
};

namespace {

constexpr qint64 us = 1000;
constexpr qint64 ms = 1000 * us;
constexpr qint64 s = 1000 * ms;
constexpr qint64 minute = 60 * s;
constexpr qint64 hour = 60 * minute;
constexpr qint64 day = 24 * hour;

} // namespace

void tst_KvUnits::parseDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ns");
    QTest::newRow("zero") << u"0"_s << qint64(0);
    QTest::newRow("zero, spaced") << u" 0 "_s << qint64(0);
    QTest::newRow("ns") << u"10ns"_s << qint64(10);
    QTest::newRow("us") << u"1us"_s << us;
    QTest::newRow("micro sign") << u"1.5\u00b5s"_s << 1500 * qint64(1);
    QTest::newRow("greek mu") << u"2\u03bcs"_s << 2 * us;
    QTest::newRow("ms") << u"300ms"_s << 300 * ms;
    QTest::newRow("s") << u"90s"_s << 90 * s;
    QTest::newRow("fraction") << u"1.5s"_s << 1500 * ms;
    QTest::newRow("leading dot") << u".5s"_s << 500 * ms;
    QTest::newRow("trailing dot") << u"5.s"_s << 5 * s;
    QTest::newRow("m is minutes") << u"1m"_s << minute;
    QTest::newRow("go") << u"1h30m"_s << 90 * minute;
    QTest::newRow("go printed") << u"1h30m0s"_s << 90 * minute;
    QTest::newRow("fractional hours") << u"1.5h"_s << 90 * minute;
    QTest::newRow("day") << u"2d"_s << 2 * day;
    QTest::newRow("day, upper") << u"2D"_s << 2 * day;
    QTest::newRow("week") << u"1w"_s << 7 * day;
    QTest::newRow("week, upper") << u"1W"_s << 7 * day;
    QTest::newRow("M is a month of 30 days") << u"1M"_s << 30 * day;
    QTest::newRow("year") << u"1y"_s << 365 * day;
    QTest::newRow("year, upper") << u"1Y"_s << 365 * day;
    QTest::newRow("year and month") << u"1Y1M"_s << 395 * day;
    QTest::newRow("days, fraction") << u"1.5d"_s << 36 * hour;
    QTest::newRow("days count whole hours") << u"0.1d"_s << 2 * hour;
    QTest::newRow("weeks, fraction (fisk)") << u"1m1.1w"_s << 184 * hour + minute;
    QTest::newRow("negative (fisk)") << u"-1m1d"_s << -(minute + day);
    QTest::newRow("plus") << u"+5s"_s << 5 * s;
    QTest::newRow("spaces around") << u"  90s\t"_s << 90 * s;
    QTest::newRow("largest") << u"2562047h47m16.854775807s"_s << std::numeric_limits<qint64>::max();
}

void tst_KvUnits::parseDuration()
{
    QFETCH(QString, text);
    QFETCH(qint64, ns);
    qint64 parsed = -12345;
    QString error;
    QVERIFY2(KvUnits::parseDuration(text, &parsed, &error), qPrintable(error));
    QCOMPARE(parsed, ns);
}

void tst_KvUnits::invalidDuration_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QString() << u"invalid duration \"\": it is empty (use e.g. 90s, 1h30m, 2d)"_s;
    QTest::newRow("sign only") << u"-"_s << u"invalid duration \"-\": it is empty (use e.g. 90s, 1h30m, 2d)"_s;
    QTest::newRow("no unit") << u"5"_s
                             << u"invalid duration \"5\": 5 needs a unit: ns, us, ms, s, m, h, d, w, M or y"_s;
    QTest::newRow("negative, no unit (fisk)")
        << u"-1"_s << u"invalid duration \"-1\": 1 needs a unit: ns, us, ms, s, m, h, d, w, M or y"_s;
    QTest::newRow("word") << u"soon"_s
                          << u"invalid duration \"soon\": expected a number at \"soon\" (use e.g. 90s, 1h30m, 2d)"_s;
    QTest::newRow("unknown unit") << u"5sx"_s
                                  << u"invalid duration \"5sx\": unknown unit \"sx\" (use ns, us, ms, s, m, h, d, w, "
                                     "M for months or y)"_s;
    QTest::newRow("upper-case hours (Go refuses)")
        << u"1H"_s
        << u"invalid duration \"1H\": unknown unit \"H\" (use ns, us, ms, s, m, h, d, w, M for months or y)"_s;
    QTest::newRow("mo") << u"1mo"_s
                        << u"invalid duration \"1mo\": unknown unit \"mo\" (use ns, us, ms, s, m, h, d, w, M for "
                           "months or y)"_s;
    QTest::newRow("two dots") << u"1.2.3s"_s << u"invalid duration \"1.2.3s\": \"1.2.3\" is not a number"_s;
    QTest::newRow("dot only") << u".s"_s << u"invalid duration \".s\": \".\" is not a number"_s;
    QTest::newRow("space between parts")
        << u"1h 30m"_s << u"invalid duration \"1h 30m\": expected a number at \" 30m\" (use e.g. 90s, 1h30m, 2d)"_s;
    QTest::newRow("sign inside")
        << u"1h-5m"_s << u"invalid duration \"1h-5m\": expected a number at \"-5m\" (use e.g. 90s, 1h30m, 2d)"_s;
    QTest::newRow("too many hours") << u"2562048h"_s
                                    << u"invalid duration \"2562048h\": it is too long (at most about 292 years)"_s;
    QTest::newRow("too many years") << u"300y"_s
                                    << u"invalid duration \"300y\": it is too long (at most about 292 years)"_s;
    QTest::newRow("sum too long") << u"200y200y"_s
                                  << u"invalid duration \"200y200y\": it is too long (at most about 292 years)"_s;
}

void tst_KvUnits::invalidDuration()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    qint64 parsed = -12345;
    QString error;
    QVERIFY(!KvUnits::parseDuration(text, &parsed, &error));
    QCOMPARE(error, message);
    QCOMPARE(parsed, -12345); // untouched
}

void tst_KvUnits::parseMilliseconds_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero") << u"0"_s << qint64(0) << QString();
    QTest::newRow("seconds") << u"90s"_s << qint64(90000) << QString();
    QTest::newRow("month") << u"1M"_s << qint64(30) * 86400000 << QString();
    QTest::newRow("exactly a millisecond") << u"1000us"_s << qint64(1) << QString();
    QTest::newRow("under a millisecond") << u"500us"_s << qint64(-1) << u"500us is less than a millisecond"_s;
    QTest::newRow("negative") << u"-5s"_s << qint64(-1) << u"-5s is negative"_s;
    QTest::newRow("invalid") << u"5"_s << qint64(-1)
                             << u"invalid duration \"5\": 5 needs a unit: ns, us, ms, s, m, h, d, w, M or y"_s;
}

void tst_KvUnits::parseMilliseconds()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    QFETCH(QString, message);
    qint64 parsed = -1;
    QString error;
    QCOMPARE(KvUnits::parseMilliseconds(text, &parsed, &error), message.isEmpty());
    QCOMPARE(error, message);
    QCOMPARE(parsed, ms);
}

void tst_KvUnits::parseSize_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("message");
    const QString units = u"a whole number of bytes, optionally ending in B, K, KB, KiB, M, MB, MiB, G, GB, GiB, T, "
                          "TB or TiB"_s;
    QTest::newRow("plain") << u"1000"_s << qint64(1000) << QString();
    QTest::newRow("B") << u"10B"_s << qint64(10) << QString();
    QTest::newRow("K") << u"1K"_s << qint64(1024) << QString();
    QTest::newRow("KB") << u"2KB"_s << qint64(2048) << QString();
    QTest::newRow("KiB") << u"64KiB"_s << qint64(65536) << QString();
    QTest::newRow("lower case") << u"1kib"_s << qint64(1024) << QString();
    QTest::newRow("space before the unit") << u"64 KiB"_s << qint64(65536) << QString();
    QTest::newRow("MB") << u"5MB"_s << qint64(5) * 1024 * 1024 << QString();
    QTest::newRow("G") << u"1g"_s << (qint64(1) << 30) << QString();
    QTest::newRow("T") << u"2T"_s << (qint64(2) << 40) << QString();
    QTest::newRow("negative means unlimited") << u"-1"_s << qint64(-1) << QString();
    QTest::newRow("any negative") << u"-5MB"_s << qint64(-1) << QString();
    QTest::newRow("empty means unlimited") << QString() << qint64(-1) << QString();
    QTest::newRow("bad unit") << u"5Q"_s << qint64(0) << u"invalid size \"5Q\": "_s + units;
    QTest::newRow("word") << u"big"_s << qint64(0) << u"invalid size \"big\": "_s + units;
    QTest::newRow("fraction") << u"1.5GiB"_s << qint64(0) << u"invalid size \"1.5GiB\": "_s + units;
    QTest::newRow("trailing text") << u"5MB!"_s << qint64(0) << u"invalid size \"5MB!\": "_s + units;
    QTest::newRow("too large") << u"9223372036854775807K"_s << qint64(0)
                               << u"invalid size \"9223372036854775807K\": more than the largest size, "
                                  "9223372036854775807 bytes"_s;
    QTest::newRow("too many digits") << u"99999999999999999999"_s << qint64(0)
                                     << u"invalid size \"99999999999999999999\": more than the largest size, "
                                        "9223372036854775807 bytes"_s;
}

void tst_KvUnits::parseSize()
{
    QFETCH(QString, text);
    QFETCH(qint64, bytes);
    QFETCH(QString, message);
    qint64 parsed = 0;
    QString error;
    QCOMPARE(KvUnits::parseSize(text, &parsed, &error), message.isEmpty());
    QCOMPARE(error, message);
    QCOMPARE(parsed, bytes);
}

void tst_KvUnits::goDuration_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << u"0s"_s;
    QTest::newRow("ns") << qint64(5) << u"5ns"_s;
    QTest::newRow("us") << qint64(1500) << u"1.5\u00b5s"_s;
    QTest::newRow("ms") << 250 * ms << u"250ms"_s;
    QTest::newRow("s") << 5 * s << u"5s"_s;
    QTest::newRow("fraction") << 1500 * ms << u"1.5s"_s;
    QTest::newRow("minutes") << 125 * s << u"2m5s"_s;
    QTest::newRow("hours") << 5400 * s << u"1h30m0s"_s;
    QTest::newRow("day") << day << u"24h0m0s"_s;
    QTest::newRow("month") << 30 * day << u"720h0m0s"_s;
    QTest::newRow("negative") << -90 * s << u"-1m30s"_s;
    QTest::newRow("largest") << std::numeric_limits<qint64>::max() << u"2562047h47m16.854775807s"_s;
}

void tst_KvUnits::goDuration()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(KvUnits::goDuration(ns), text);
    // What it prints reads back as the same duration (the app's bucket dialog relies on that).
    qint64 parsed = 0;
    QString error;
    QVERIFY2(KvUnits::parseDuration(text, &parsed, &error), qPrintable(error));
    QCOMPARE(parsed, ns);
}

void tst_KvUnits::humanizeDuration_data()
{
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<QString>("text");
    QTest::newRow("micro") << qint64(1234) << u"1\u00b5s"_s;
    QTest::newRow("milli") << 64 * ms + 400000 << u"64ms"_s;
    QTest::newRow("seconds") << 5 * s << u"5.00s"_s;
    QTest::newRow("minutes") << 125 * s << u"2m5s"_s;
    QTest::newRow("hours") << 5400 * s << u"1h30m0s"_s;
    QTest::newRow("days") << (2 * 86400 + 3661) * s << u"2d1h1m1s"_s;
    QTest::newRow("month") << 30 * day << u"30d0h0m0s"_s;
    QTest::newRow("years") << (400LL * 86400) * s << u"1y35d0h0m0s"_s;
    QTest::newRow("never") << std::numeric_limits<qint64>::max() << u"never"_s;
}

void tst_KvUnits::humanizeDuration()
{
    QFETCH(qint64, ns);
    QFETCH(QString, text);
    QCOMPARE(KvUnits::humanizeDuration(ns), text);
}

void tst_KvUnits::iBytes_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("text");
    QTest::newRow("zero") << qint64(0) << u"0 B"_s;
    QTest::newRow("tiny") << qint64(9) << u"9 B"_s;
    QTest::newRow("bytes") << qint64(512) << u"512 B"_s;
    QTest::newRow("KiB") << qint64(1234) << u"1.2 KiB"_s;
    QTest::newRow("1 KiB") << qint64(1024) << u"1.0 KiB"_s;
    QTest::newRow("12 KiB") << qint64(12345) << u"12 KiB"_s;
    QTest::newRow("MiB") << qint64(50) * 1024 * 1024 << u"50 MiB"_s;
    // Rounded up to the next unit, it is said in that unit ("1024 KiB" before).
    QTest::newRow("just under 1 MiB") << qint64(1048550) << u"1.0 MiB"_s;
    QTest::newRow("a byte under 1 GiB") << (qint64(1) << 30) - 1 << u"1.0 GiB"_s;
    QTest::newRow("just under 10 KiB") << qint64(10230) << u"10 KiB"_s;
    QTest::newRow("GiB") << (qint64(3) << 30) + (qint64(1) << 29) << u"3.5 GiB"_s;
}

void tst_KvUnits::iBytes()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, text);
    QCOMPARE(KvUnits::iBytes(bytes), text);
}

QTEST_APPLESS_MAIN(tst_KvUnits)
#include "tst_kvunits.moc"
