#include "natsconnection.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Ending a connection against a real nats-server (docs/nats-protocol.md §1): drain delivers what is in
// flight and answers pending requests (within its timeout); close fails what is pending at once.

using NatsTest::connectTo;
using NatsTest::waitForConnected;

class tst_NatsConnectionDrain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void drainDeliversMessagesInFlight();
    void drainAnswersPendingRequests();
    void drainWhenIdle();
    void drainTimeout();
    void closeFailsPendingRequests();

private:
    NatsServerProcess m_server;
};

void tst_NatsConnectionDrain::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void tst_NatsConnectionDrain::drainDeliversMessagesInFlight()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("drain.flight");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QSignalSpy states(connection, &NatsConnection::stateChanged);
    QSignalSpy closed(connection, &NatsConnection::closed);
    QVERIFY(NatsTest::flushed(connection));

    // Published just before drain(): the server routes them back before it handles the UNSUB, so they
    // are in flight while draining and must still be delivered (drain, unlike close, loses nothing).
    constexpr int count = 200;
    for (int i = 0; i < count; ++i)
        QCOMPARE(connection->publish("drain.flight", QByteArray::number(i)).code(), NatsError::NoError);
    NatsReply *drain = connection->drain();
    QCOMPARE(connection->state(), NatsConnection::State::Draining);
    QSignalSpy drained(drain, &NatsReply::finished);
    QVERIFY(drained.wait());
    QCOMPARE(drain->error(), NatsError::NoError);
    QCOMPARE(messages.count(), count);
    QCOMPARE(ended.count(), 1);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(connection->state(), NatsConnection::State::Closed);
    QCOMPARE(states.first().first().value<NatsConnection::State>(), NatsConnection::State::Draining);
    QCOMPARE(states.last().first().value<NatsConnection::State>(), NatsConnection::State::Closed);
}

void tst_NatsConnectionDrain::drainAnswersPendingRequests()
{
    QObject scope;
    NatsConnection *responder = connectTo(m_server.url(), &scope);
    NatsConnection *requester = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(responder));
    QVERIFY(waitForConnected(requester));
    NatsSubscription *service = responder->subscribe("svc.slow");
    QSignalSpy requests(service, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(responder));
    NatsSubscription *ownSubscription = requester->subscribe("own.sub");
    QSignalSpy ownEnded(ownSubscription, &NatsSubscription::unsubscribed);

    NatsReply *pending = requester->request("svc.slow", "work", 10000);
    QSignalSpy pendingFinished(pending, &NatsReply::finished);
    QVERIFY(requests.wait());

    NatsReply *drain = requester->drain();
    QSignalSpy drained(drain, &NatsReply::finished);
    QCOMPARE(requester->state(), NatsConnection::State::Draining);
    // Subscriptions end first (once the server confirmed their UNSUB), while the request still waits.
    QVERIFY(ownEnded.wait());
    QVERIFY(!ownSubscription->isActive());

    // Nothing new while draining.
    QCOMPARE(requester->publish("x", "y").code(), NatsError::ConnectionDraining);
    NatsReply *refused = requester->request("svc.slow", "more");
    QSignalSpy refusedErrors(refused, &NatsReply::errorOccurred);
    QVERIFY(refusedErrors.wait());
    QCOMPARE(refused->error(), NatsError::ConnectionDraining);
    NatsSubscription *late = requester->subscribe("late");
    QSignalSpy lateErrors(late, &NatsSubscription::errorOccurred);
    QVERIFY(lateErrors.wait());
    QCOMPARE(late->error(), NatsError::ConnectionDraining);
    QVERIFY(!drain->isFinished());
    QVERIFY(!pending->isFinished());

    // The answer to the request made before drain() still arrives, then the connection closes.
    const NatsMessage request = requests.first().first().value<NatsMessage>();
    QCOMPARE(responder->publish(request.replyTo(), "done").code(), NatsError::NoError);
    QVERIFY(drained.wait());
    QCOMPARE(pendingFinished.count(), 1);
    QCOMPARE(pending->error(), NatsError::NoError);
    QCOMPARE(pending->message().data(), "done"_ba);
    QCOMPARE(drain->error(), NatsError::NoError);
    QCOMPARE(requester->state(), NatsConnection::State::Closed);
    QCOMPARE(ownEnded.count(), 1);
}

void tst_NatsConnectionDrain::drainWhenIdle()
{
    NatsConnection connection;
    NatsReply *notOpen = connection.drain();
    QSignalSpy notOpenErrors(notOpen, &NatsReply::errorOccurred);
    QVERIFY(notOpenErrors.wait());
    QCOMPARE(notOpen->error(), NatsError::ConnectionClosed);

    connection.connectToServer(NatsConnectOptions::fromUrl(m_server.url()));
    QVERIFY(waitForConnected(&connection));
    QSignalSpy closed(&connection, &NatsConnection::closed);
    NatsReply *drain = connection.drain();
    QSignalSpy drained(drain, &NatsReply::finished);
    QVERIFY(drained.wait());
    QCOMPARE(drain->error(), NatsError::NoError);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
}

void tst_NatsConnectionDrain::drainTimeout()
{
    QObject scope;
    NatsConnection *silent = connectTo(m_server.url(), &scope);
    NatsConnectOptions options;
    options.drainTimeoutMs = 300;
    NatsConnection *requester = connectTo(m_server.url(), &scope, options);
    QVERIFY(waitForConnected(silent));
    QVERIFY(waitForConnected(requester));
    NatsSubscription *sink = silent->subscribe("svc.mute");
    QVERIFY(NatsTest::flushed(silent));

    NatsReply *pending = requester->request("svc.mute", "x", 10000);
    QVERIFY(NatsTest::flushed(requester));
    QElapsedTimer clock;
    clock.start();
    NatsReply *drain = requester->drain();
    QSignalSpy drainErrors(drain, &NatsReply::errorOccurred);
    QSignalSpy closed(requester, &NatsConnection::closed);
    QVERIFY(drainErrors.wait());
    QCOMPARE(drain->error(), NatsError::Timeout);
    QVERIFY2(drain->errorString().contains(u"300"_s), qPrintable(drain->errorString()));
    QVERIFY(clock.elapsed() >= 250);
    QVERIFY(pending->isFinished());
    QCOMPARE(pending->error(), NatsError::ConnectionClosed);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(requester->state(), NatsConnection::State::Closed);
    QVERIFY(sink->isActive());

    // The connection object can be used again after a timed-out drain.
    requester->connectToServer();
    QVERIFY(waitForConnected(requester));
    NatsReply *again = requester->drain();
    QSignalSpy drainedAgain(again, &NatsReply::finished);
    QVERIFY(drainedAgain.wait());
    QCOMPARE(again->error(), NatsError::NoError);
}

void tst_NatsConnectionDrain::closeFailsPendingRequests()
{
    QObject scope;
    NatsConnection *silent = connectTo(m_server.url(), &scope);
    NatsConnection *requester = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(silent));
    QVERIFY(waitForConnected(requester));
    NatsSubscription *sink = silent->subscribe("svc.never");
    QSignalSpy received(sink, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(silent));

    NatsSubscription *subscription = requester->subscribe("close.sub");
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QList<NatsReply *> replies;
    for (int i = 0; i < 3; ++i)
        replies.append(requester->request("svc.never", "x", 10000));
    QTRY_COMPARE(received.count(), 3);
    NatsReply *pendingFlush = requester->flush();
    QSignalSpy closed(requester, &NatsConnection::closed);

    requester->close();
    // At once, not at the request timeout.
    for (NatsReply *reply : std::as_const(replies)) {
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->error(), NatsError::ConnectionClosed);
        QVERIFY(!reply->errorString().isEmpty());
    }
    QVERIFY(pendingFlush->isFinished());
    QCOMPARE(pendingFlush->error(), NatsError::ConnectionClosed);
    QCOMPARE(ended.count(), 1);
    QCOMPARE(closed.count(), 1);
    QCOMPARE(requester->state(), NatsConnection::State::Closed);
    // Closing twice is harmless.
    requester->close();
    QCOMPARE(closed.count(), 1);
}

QTEST_GUILESS_MAIN(tst_NatsConnectionDrain)

#include "tst_natsconnectiondrain.moc"
