#include "natserror.h"
#include "natspingtracker.h"
#include "natsreply.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// PING/PONG bookkeeping without a server: the test sends the PONGs.
class tst_NatsPingTracker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void staleAfterMaxOutstanding();
    void pongResetsOutstanding();
    void pongsMatchPingsInOrder();
    void pongWithoutPing();
    void roundTripTime();
    void failAll();
};

void tst_NatsPingTracker::staleAfterMaxOutstanding()
{
    NatsPingTracker pings;
    QVERIFY(pings.keepAlive(2));
    QVERIFY(pings.keepAlive(2));
    QVERIFY(!pings.keepAlive(2)); // a third unanswered one: stale
}

void tst_NatsPingTracker::pongResetsOutstanding()
{
    NatsPingTracker pings;
    QVERIFY(pings.keepAlive(2));
    QVERIFY(pings.keepAlive(2));
    QPointer<NatsReply> reply;
    QVERIFY(pings.pongReceived(&reply)); // any PONG shows the server alive, even with PINGs still out
    QVERIFY(pings.keepAlive(2));
    QVERIFY(pings.keepAlive(2));
    QVERIFY(!pings.keepAlive(2));

    pings.resetOutstanding();
    QVERIFY(pings.keepAlive(1));
}

void tst_NatsPingTracker::pongsMatchPingsInOrder()
{
    NatsPingTracker pings;
    NatsReply first;
    NatsReply second;
    pings.expectPong(&first);
    QVERIFY(pings.keepAlive(2));
    pings.expectPong(&second);

    QPointer<NatsReply> reply;
    QVERIFY(pings.pongReceived(&reply));
    QCOMPARE(reply.data(), &first);
    QVERIFY(pings.pongReceived(&reply));
    QVERIFY(reply.isNull()); // the keep-alive
    QVERIFY(pings.pongReceived(&reply));
    QCOMPARE(reply.data(), &second);
    QVERIFY(!first.isFinished()); // finishing is the connection's part, after it reports the round trip
}

void tst_NatsPingTracker::pongWithoutPing()
{
    NatsPingTracker pings;
    QPointer<NatsReply> reply;
    QVERIFY(!pings.pongReceived(&reply));
    QCOMPARE(pings.roundTripTime(), -1);
}

void tst_NatsPingTracker::roundTripTime()
{
    NatsPingTracker pings;
    QCOMPARE(pings.roundTripTime(), -1);
    QVERIFY(pings.keepAlive(2));
    QPointer<NatsReply> reply;
    QVERIFY(pings.pongReceived(&reply));
    QVERIFY(pings.roundTripTime() >= 0);
}

void tst_NatsPingTracker::failAll()
{
    NatsPingTracker pings;
    auto *deleted = new NatsReply;
    NatsReply waiting;
    pings.expectPong(deleted);
    pings.expectPong(&waiting);
    QVERIFY(pings.keepAlive(1));
    delete deleted; // a reply dropped by its receiver is skipped
    pings.failAll(NatsError(NatsError::ConnectionLost, u"lost"_s));
    QCOMPARE(waiting.error(), NatsError::ConnectionLost);
    QPointer<NatsReply> reply;
    QVERIFY(!pings.pongReceived(&reply)); // nothing left to answer
    QVERIFY(pings.keepAlive(1));          // and nothing outstanding
}

QTEST_APPLESS_MAIN(tst_NatsPingTracker)

#include "tst_natspingtracker.moc"
