#include "natserror.h"
#include "natspingtracker.h"
#include "natsreply.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// PING/PONG bookkeeping without a server: the test sends the PONGs, and holds the event loop by moving
// the tracker's clock past what a working loop takes between two turns.
class tst_NatsPingTracker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void staleAfterMaxOutstanding();
    void pongResetsOutstanding();
    void pongsMatchPingsInOrder();
    void pongWithoutPing();
    void roundTripTime();
    void busyLoopIsMeasured();
    void heldLoopDropsSample();
    void remeasuresAreBounded();
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

namespace {
// A clock the test moves: a tracker made with it sees exactly the time the test says passed.
class TestClock
{
public:
    NatsPingTracker::Clock clock()
    {
        return [this] { return m_nowUs; };
    }
    void advance(qint64 us) { m_nowUs += us; }
    // Nothing else runs in this thread meanwhile, as under a modal dialog: the condition under test.
    void holdEventLoop() { advance(NatsPingTracker::LoopCheckMs * 1000 + NatsPingTracker::HeldLoopUs + 1); }

private:
    qint64 m_nowUs = 1000;
};
} // namespace

void tst_NatsPingTracker::roundTripTime()
{
    TestClock time;
    NatsPingTracker pings(time.clock());
    QCOMPARE(pings.roundTripTime(), -1);
    QVERIFY(pings.keepAlive(2));
    time.advance(1234);
    QPointer<NatsReply> reply;
    QVERIFY(pings.pongReceived(&reply));
    QCOMPARE(pings.roundTripTime(), 1234);
}

void tst_NatsPingTracker::busyLoopIsMeasured()
{
    // A loop late by less than the allowance is a busy one, not a held one: the sample counts.
    TestClock time;
    NatsPingTracker pings(time.clock());
    QVERIFY(pings.keepAlive(2));
    time.advance(NatsPingTracker::LoopCheckMs * 1000 + NatsPingTracker::HeldLoopUs);
    QPointer<NatsReply> reply;
    bool measured = false;
    QVERIFY(pings.pongReceived(&reply, &measured));
    QVERIFY(measured);
    QCOMPARE(pings.roundTripTime(), NatsPingTracker::LoopCheckMs * 1000 + NatsPingTracker::HeldLoopUs);
}

void tst_NatsPingTracker::heldLoopDropsSample()
{
    TestClock time;
    NatsPingTracker pings(time.clock());
    QVERIFY(pings.keepAlive(2));
    time.holdEventLoop();
    QPointer<NatsReply> reply;
    bool measured = true;
    QVERIFY(pings.pongReceived(&reply, &measured));
    QVERIFY(!measured);
    QCOMPARE(pings.roundTripTime(), -1);
    QVERIFY(pings.remeasure());
    QVERIFY(!pings.remeasure()); // once per dropped sample

    QVERIFY(pings.keepAlive(2)); // the new measurement, with the loop free
    time.advance(250);
    QVERIFY(pings.pongReceived(&reply, &measured));
    QVERIFY(measured);
    QCOMPARE(pings.roundTripTime(), 250);
    QVERIFY(!pings.remeasure());
}

void tst_NatsPingTracker::remeasuresAreBounded()
{
    TestClock time;
    NatsPingTracker pings(time.clock());
    QPointer<NatsReply> reply;
    int remeasured = 0;
    for (int i = 0; i < 6; ++i) {
        QVERIFY(pings.keepAlive(2));
        time.holdEventLoop();
        QVERIFY(pings.pongReceived(&reply));
        remeasured += pings.remeasure() ? 1 : 0;
    }
    QCOMPARE(remeasured, 3);
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

QTEST_GUILESS_MAIN(tst_NatsPingTracker)

#include "tst_natspingtracker.moc"
