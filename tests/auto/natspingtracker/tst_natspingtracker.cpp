#include "natserror.h"
#include "natspingtracker.h"
#include "natsreply.h"

#include <QtCore/QThread>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// PING/PONG bookkeeping without a server: the test sends the PONGs, and holds the event loop.
class tst_NatsPingTracker final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void staleAfterMaxOutstanding();
    void pongResetsOutstanding();
    void pongsMatchPingsInOrder();
    void pongWithoutPing();
    void roundTripTime();
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

void tst_NatsPingTracker::roundTripTime()
{
    NatsPingTracker pings;
    QCOMPARE(pings.roundTripTime(), -1);
    QVERIFY(pings.keepAlive(2));
    QPointer<NatsReply> reply;
    QVERIFY(pings.pongReceived(&reply));
    QVERIFY(pings.roundTripTime() >= 0);
}

namespace {
// Nothing else runs in this thread meanwhile, as under a modal dialog: the condition under test.
void holdEventLoop()
{
    QThread::msleep(NatsPingTracker::LoopCheckMs + NatsPingTracker::HeldLoopUs / 1000 + 50);
}
} // namespace

void tst_NatsPingTracker::heldLoopDropsSample()
{
    NatsPingTracker pings;
    QVERIFY(pings.keepAlive(2));
    holdEventLoop();
    QPointer<NatsReply> reply;
    bool measured = true;
    QVERIFY(pings.pongReceived(&reply, &measured));
    QVERIFY(!measured);
    QCOMPARE(pings.roundTripTime(), -1);
    QVERIFY(pings.remeasure());
    QVERIFY(!pings.remeasure()); // once per dropped sample

    QVERIFY(pings.keepAlive(2)); // the new measurement, with the loop free
    QVERIFY(pings.pongReceived(&reply, &measured));
    QVERIFY(measured);
    QVERIFY(pings.roundTripTime() >= 0);
    QVERIFY(pings.roundTripTime() < NatsPingTracker::HeldLoopUs);
    QVERIFY(!pings.remeasure());
}

void tst_NatsPingTracker::remeasuresAreBounded()
{
    NatsPingTracker pings;
    QPointer<NatsReply> reply;
    int remeasured = 0;
    for (int i = 0; i < 6; ++i) {
        QVERIFY(pings.keepAlive(2));
        holdEventLoop();
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
