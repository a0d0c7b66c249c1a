#include "expirytext.h"
#include "kvttl.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// What the value panel's countdown says for an entry with its own TTL (Nats-TTL), at a given moment.
class tst_ExpiryText final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void remaining_data();
    void remaining();
    void countsDownToTheServersTime();
    void neverAndNone();
};

void tst_ExpiryText::remaining_data()
{
    QTest::addColumn<qint64>("ms");
    QTest::addColumn<QString>("text");
    QTest::newRow("under a second") << qint64(999) << u"0 s"_s;
    QTest::newRow("seconds") << qint64(59'999) << u"59 s"_s;
    QTest::newRow("minutes and seconds") << qint64((4 * 60 + 12) * 1000 + 500) << u"4 min 12 s"_s;
    QTest::newRow("hours and minutes") << qint64((2 * 3600 + 3 * 60 + 59) * 1000) << u"2 h 3 min"_s;
    QTest::newRow("days and hours") << qint64((3 * 24 + 4) * 3600 * 1000LL + 1) << u"3 d 4 h"_s;
    QTest::newRow("past") << qint64(-5000) << u"0 s"_s;
}

void tst_ExpiryText::remaining()
{
    QFETCH(qint64, ms);
    QFETCH(QString, text);
    QCOMPARE(ExpiryText::remaining(ms), text);
}

void tst_ExpiryText::countsDownToTheServersTime()
{
    KvEntry entry;
    entry.created = QDateTime(QDate(2026, 12, 2), QTime(10, 37, 55), Qt::UTC);
    entry.ttlNs = qint64(4 * 60 + 12) * 1'000'000'000LL + 7'000'000'000LL; // 4 min 19 s
    QCOMPARE(entry.expires(), QDateTime(QDate(2026, 12, 2), QTime(10, 42, 14), Qt::UTC));
    QCOMPARE(ExpiryText::describe(entry, entry.created.addSecs(7)), u"expires in 4 min 12 s, at 10:42:14 UTC"_s);
    QCOMPARE(ExpiryText::describe(entry, entry.created.addSecs(258)), u"expires in 1 s, at 10:42:14 UTC"_s);
    // Past the time: the server removes it (a marker follows where the bucket has a marker TTL).
    QCOMPARE(ExpiryText::describe(entry, entry.expires()), u"expired at 10:42:14 UTC: the server removes it"_s);
    // The time is UTC whatever the zone the moment is given in.
    QCOMPARE(ExpiryText::describe(entry, entry.created.addSecs(7).toOffsetFromUtc(2 * 3600)),
             u"expires in 4 min 12 s, at 10:42:14 UTC"_s);
}

void tst_ExpiryText::neverAndNone()
{
    KvEntry entry;
    entry.created = QDateTime::currentDateTimeUtc();
    QCOMPARE(ExpiryText::describe(entry), QString()); // no TTL of its own: nothing to say
    entry.ttlNs = KvTtl::Never;
    QVERIFY(!entry.expires().isValid());
    QCOMPARE(ExpiryText::describe(entry), u"never expires (its TTL is \"never\")"_s);
}

QTEST_GUILESS_MAIN(tst_ExpiryText)

#include "tst_expirytext.moc"
