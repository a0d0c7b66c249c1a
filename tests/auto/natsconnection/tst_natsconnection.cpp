#include "natsconnection.h"
#include "natsprotocol.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtNetwork/QSslSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The core client against a real nats-server (docs/nats-protocol.md §1): pub/sub, wildcards, queue
// groups, request/reply, flush, statistics. Headers and the limits the client enforces itself are
// tst_natsconnectionlimits', drain and close tst_natsconnectiondrain's.

using NatsTest::connectTo;
using NatsTest::messagesOf;
using NatsTest::waitForConnected;

namespace {

QList<QByteArray> subjectsOf(const QSignalSpy &spy)
{
    QList<QByteArray> subjects;
    for (const NatsMessage &message : messagesOf(spy))
        subjects.append(message.subject());
    return subjects;
}

} // namespace

class tst_NatsConnection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void connectPublishSubscribe();
    void plainConnectionHasNoTls();
    void connectRefused();
    void invalidUrl();
    void publishBeforeConnectAndAfterClose();
    void wildcards_data();
    void wildcards();
    void noEcho();
    void verboseMode();
    void queueGroup();
    void unsubscribe();
    void autoUnsubscribe();
    void autoUnsubscribeAfterReceived();
    void requestReply();
    void handshakeRequestKeepsOrder();
    void manyRequestsInFlight();
    void requestTimeout();
    void noResponders();
    void flush();
    void keepAlivePings();
    void statistics();

private:
    NatsServerProcess m_server;
};
void tst_NatsConnection::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void tst_NatsConnection::connectPublishSubscribe()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QSignalSpy connectedSpy(connection, &NatsConnection::connected);
    QSignalSpy stateSpy(connection, &NatsConnection::stateChanged);
    QVERIFY(connectedSpy.wait());
    QCOMPARE(connection->state(), NatsConnection::State::Connected);
    QCOMPARE(stateSpy.last().first().value<NatsConnection::State>(), NatsConnection::State::Connected);
    // The version the server program itself reports (the suite runs against several releases).
    QVERIFY(!NatsServerProcess::programVersion().isEmpty());
    QCOMPARE(connection->serverInfo().version, NatsServerProcess::programVersion());
    QVERIFY(connection->serverInfo().headers);
    QCOMPARE(connection->currentServer().port(), m_server.port());
    QCOMPARE(connection->error(), NatsError::NoError);

    NatsSubscription *subscription = connection->subscribe("greet.*");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QCOMPARE(connection->publish("greet.joe", "hello").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    const auto message = messages.first().first().value<NatsMessage>();
    QCOMPARE(message.subject(), "greet.joe"_ba);
    QCOMPARE(message.data(), "hello"_ba);
    QVERIFY(message.replyTo().isEmpty());
    QVERIFY(!message.hasHeaders());

    // A reply subject travels with the message.
    QCOMPARE(connection->publish("greet.ann", "hi", "answers.here").code(), NatsError::NoError);
    QTRY_COMPARE(messages.count(), 2);
    QCOMPARE(messages.last().first().value<NatsMessage>().replyTo(), "answers.here"_ba);
}

void tst_NatsConnection::plainConnectionHasNoTls()
{
    // A nats:// URL to a server that does not ask for TLS: no QSslSocket, whose creation loads Qt's TLS
    // backend and initialises OpenSSL (most of a connect's time).
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QVERIFY(connection->findChildren<QTcpSocket *>().size() == 1);
    QVERIFY(connection->findChildren<QSslSocket *>().isEmpty());
}

void tst_NatsConnection::connectRefused()
{
    const int port = NatsServerProcess::freePort();
    QObject scope;
    NatsConnection *connection = connectTo(u"nats://127.0.0.1:%1"_s.arg(port), &scope);
    QSignalSpy errors(connection, &NatsConnection::errorOccurred);
    QSignalSpy closed(connection, &NatsConnection::closed);
    QVERIFY(closed.wait());
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.first().first().value<NatsError::Code>(), NatsError::ConnectionRefused);
    QCOMPARE(connection->state(), NatsConnection::State::Closed);
    QVERIFY2(connection->errorString().contains(QString::number(port)), qPrintable(connection->errorString()));

    // Several servers, none answering: each is named with what it said (only the last tried was).
    const int other = NatsServerProcess::freePort();
    NatsConnection *both = connectTo(u"nats://127.0.0.1:%1,nats://127.0.0.1:%2"_s.arg(port).arg(other), &scope);
    QSignalSpy bothClosed(both, &NatsConnection::closed);
    QVERIFY(bothClosed.wait());
    const QString said = both->errorString();
    QVERIFY2(said.contains(u"127.0.0.1:%1 refused"_s.arg(port)) && said.contains(u"127.0.0.1:%1 refused"_s.arg(other)),
             qPrintable(said));
    QCOMPARE(both->error(), NatsError::ConnectionRefused);
}

void tst_NatsConnection::invalidUrl()
{
    NatsConnection connection;
    QSignalSpy closed(&connection, &NatsConnection::closed);
    connection.connectToServer(NatsConnectOptions::fromUrl(u"http://example.com:80"_s));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(connection.error(), NatsError::InvalidUrl);
    QVERIFY2(connection.errorString().contains(u"http"_s), qPrintable(connection.errorString()));
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
}

void tst_NatsConnection::publishBeforeConnectAndAfterClose()
{
    NatsConnection connection;
    QCOMPARE(connection.publish("a", "b").code(), NatsError::NotConnected);
    NatsReply *flushReply = connection.flush();
    QSignalSpy flushErrors(flushReply, &NatsReply::errorOccurred);
    QVERIFY(flushErrors.wait());
    QCOMPARE(flushReply->error(), NatsError::NotConnected);

    connection.connectToServer(NatsConnectOptions::fromUrl(m_server.url()));
    QVERIFY(waitForConnected(&connection));
    connection.close();
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
    const NatsError error = connection.publish("a", "b");
    QCOMPARE(error.code(), NatsError::ConnectionClosed);
    QVERIFY(!error.message().isEmpty());

    NatsReply *request = connection.request("a", "b");
    QSignalSpy requestErrors(request, &NatsReply::errorOccurred);
    QVERIFY(requestErrors.wait());
    QCOMPARE(request->error(), NatsError::ConnectionClosed);

    NatsSubscription *subscription = connection.subscribe("a");
    QSignalSpy subscriptionErrors(subscription, &NatsSubscription::errorOccurred);
    QVERIFY(subscriptionErrors.wait());
    QCOMPARE(subscription->error(), NatsError::ConnectionClosed);
    QVERIFY(!subscription->isActive());
}

void tst_NatsConnection::wildcards_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QList<QByteArray>>("published");
    QTest::addColumn<QList<QByteArray>>("expected");

    const QList<QByteArray> subjects{"w.a", "w.b", "w.a.b", "w.a.b.c", "w", "x.a", "w.x.b"};
    QTest::newRow("literal") << "w.a"_ba << subjects << QList<QByteArray>{"w.a"};
    QTest::newRow("star last") << "w.*"_ba << subjects << QList<QByteArray>{"w.a", "w.b"};
    QTest::newRow("star first") << "*.a"_ba << subjects << QList<QByteArray>{"w.a", "x.a"};
    QTest::newRow("star middle") << "w.*.b"_ba << subjects << QList<QByteArray>{"w.a.b", "w.x.b"};
    QTest::newRow("gt") << "w.>"_ba << subjects << QList<QByteArray>{"w.a", "w.b", "w.a.b", "w.a.b.c", "w.x.b"};
    QTest::newRow("gt deeper") << "w.a.>"_ba << subjects << QList<QByteArray>{"w.a.b", "w.a.b.c"};
    QTest::newRow("star and gt") << "*.a.>"_ba << subjects << QList<QByteArray>{"w.a.b", "w.a.b.c"};
    QTest::newRow("gt alone") << ">"_ba << subjects << subjects;
    // A partial-token star is a literal (§1.9).
    QTest::newRow("partial star is literal") << "w.a*"_ba << QList<QByteArray>{"w.ab", "w.a"} << QList<QByteArray>{};
}

void tst_NatsConnection::wildcards()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QList<QByteArray>, published);
    QFETCH(QList<QByteArray>, expected);

    // A server of its own per row would be slow; a connection of its own keeps rows apart.
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe(pattern);
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(connection));
    for (const QByteArray &subject : std::as_const(published))
        QCOMPARE(connection->publish(subject, subject).code(), NatsError::NoError);
    // Messages to ourselves come before the PONG of a later PING.
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(subjectsOf(messages), expected);
    for (const NatsMessage &message : messagesOf(messages))
        QCOMPARE(message.data(), message.subject());
    QVERIFY(NatsProtocol::subjectMatches(pattern, expected.value(0, "w.a"_ba)) || expected.isEmpty());
}

void tst_NatsConnection::noEcho()
{
    QObject scope;
    NatsConnectOptions options;
    options.echo = false;
    NatsConnection *quiet = connectTo(m_server.url(), &scope, options);
    NatsConnection *other = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(quiet));
    QVERIFY(waitForConnected(other));
    NatsSubscription *subscription = quiet->subscribe("echo.test");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(quiet));
    QCOMPARE(quiet->publish("echo.test", "mine").code(), NatsError::NoError);
    QCOMPARE(other->publish("echo.test", "theirs").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    QVERIFY(NatsTest::flushed(quiet));
    QCOMPARE(messages.count(), 1);
    QCOMPARE(messagesOf(messages).first().data(), "theirs"_ba);
}

void tst_NatsConnection::verboseMode()
{
    // verbose: the server acknowledges every operation with +OK, which the client must take in its stride.
    QObject scope;
    NatsConnectOptions options;
    options.verbose = true;
    NatsConnection *connection = connectTo(m_server.url(), &scope, options);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("verbose.x");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QCOMPARE(connection->publish("verbose.x", "1").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    QVERIFY(NatsTest::flushed(connection));
    QVERIFY(connection->isConnected());
}

void tst_NatsConnection::queueGroup()
{
    QObject scope;
    NatsConnection *workerA = connectTo(m_server.url(), &scope);
    NatsConnection *workerB = connectTo(m_server.url(), &scope);
    NatsConnection *publisher = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(workerA));
    QVERIFY(waitForConnected(workerB));
    QVERIFY(waitForConnected(publisher));

    NatsSubscription *a = workerA->subscribe("jobs.run", "workers");
    NatsSubscription *b = workerB->subscribe("jobs.run", "workers");
    // A second member on the same connection belongs to the same group.
    NatsSubscription *b2 = workerB->subscribe("jobs.run", "workers");
    // A plain subscriber beside the group gets every message.
    NatsSubscription *monitor = publisher->subscribe("jobs.run");
    QCOMPARE(a->queueGroup(), "workers"_ba);
    QSignalSpy aMessages(a, &NatsSubscription::messageReceived);
    QSignalSpy bMessages(b, &NatsSubscription::messageReceived);
    QSignalSpy b2Messages(b2, &NatsSubscription::messageReceived);
    QSignalSpy monitorMessages(monitor, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(workerA));
    QVERIFY(NatsTest::flushed(workerB));
    QVERIFY(NatsTest::flushed(publisher));

    constexpr int count = 300;
    for (int i = 0; i < count; ++i)
        QCOMPARE(publisher->publish("jobs.run", QByteArray::number(i)).code(), NatsError::NoError);
    QTRY_COMPARE(monitorMessages.count(), count);
    QTRY_COMPARE(aMessages.count() + bMessages.count() + b2Messages.count(), count);
    QVERIFY(NatsTest::flushed(workerA));
    QVERIFY(NatsTest::flushed(workerB));
    QCOMPARE(aMessages.count() + bMessages.count() + b2Messages.count(), count);

    // Each message went to exactly one member, and the work was split (a random pick among three
    // members giving one of them nothing in 300 tries has probability ~1e-53).
    QSet<QByteArray> seen;
    for (const QSignalSpy *spy : {&aMessages, &bMessages, &b2Messages}) {
        QVERIFY2(spy->count() > 0, "a queue member got no message");
        for (const NatsMessage &message : messagesOf(*spy))
            seen.insert(message.data());
    }
    QCOMPARE(seen.size(), count);
}

void tst_NatsConnection::unsubscribe()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("unsub.test");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(connection->publish("unsub.test", "1").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    subscription->unsubscribe();
    QCOMPARE(ended.count(), 1);
    QVERIFY(!subscription->isActive());
    QCOMPARE(connection->publish("unsub.test", "2").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(messages.count(), 1);

    // Deleting a subscription unsubscribes it on the server too: a request to it finds nobody.
    NatsSubscription *doomed = connection->subscribe("unsub.deleted");
    QVERIFY(NatsTest::flushed(connection));
    delete doomed;
    NatsReply *reply = connection->request("unsub.deleted", "anyone?", 3000);
    QSignalSpy finished(reply, &NatsReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->error(), NatsError::NoResponders);
}

void tst_NatsConnection::autoUnsubscribe()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("auto.>");
    subscription->autoUnsubscribe(3);
    QCOMPARE(subscription->maxMessages(), quint64(3));
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QVERIFY(NatsTest::flushed(connection));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(connection->publish("auto." + QByteArray::number(i), "x").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(subjectsOf(messages), (QList<QByteArray>{"auto.0", "auto.1", "auto.2"}));
    QCOMPARE(ended.count(), 1);
    QVERIFY(!subscription->isActive());
    QCOMPARE(subscription->receivedCount(), quint64(3));

    // The server dropped the interest as well: nobody answers a request there any more.
    NatsReply *reply = connection->request("auto.5", "x", 3000);
    QSignalSpy finished(reply, &NatsReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->error(), NatsError::NoResponders);
}

void tst_NatsConnection::autoUnsubscribeAfterReceived()
{
    // A limit at or below what was already received ends the subscription at once.
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("auto2.x");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(connection->publish("auto2.x", "1").code(), NatsError::NoError);
    QCOMPARE(connection->publish("auto2.x", "2").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(messages.count(), 2);
    subscription->autoUnsubscribe(2);
    QCOMPARE(ended.count(), 1);
    QCOMPARE(connection->publish("auto2.x", "3").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(messages.count(), 2);
}

void tst_NatsConnection::requestReply()
{
    QObject scope;
    NatsConnection *responder = connectTo(m_server.url(), &scope);
    NatsConnection *requester = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(responder));
    QVERIFY(waitForConnected(requester));

    NatsSubscription *service = responder->subscribe("svc.echo");
    connect(service, &NatsSubscription::messageReceived, responder, [responder](const NatsMessage &message) {
        NatsMessage answer(message.replyTo(), "echo:" + message.data());
        answer.headers().append("Echoed-Subject", message.subject());
        QCOMPARE(responder->publish(answer).code(), NatsError::NoError);
    });
    QVERIFY(NatsTest::flushed(responder));

    NatsReply *reply = requester->request("svc.echo", "ping", 2000);
    QSignalSpy finished(reply, &NatsReply::finished);
    QSignalSpy errors(reply, &NatsReply::errorOccurred);
    QVERIFY(finished.wait());
    QCOMPARE(finished.count(), 1);
    QCOMPARE(errors.count(), 0);
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), NatsError::NoError);
    QCOMPARE(reply->message().data(), "echo:ping"_ba);
    QCOMPARE(reply->message().headers().value("Echoed-Subject"), "svc.echo"_ba);
}

// A question asked with the handshake does not jump ahead of a publish made before it while connecting:
// the connection keeps one order, so the responder has seen the publish when it answers.
void tst_NatsConnection::handshakeRequestKeepsOrder()
{
    int seen = 0;
    QObject scope;
    NatsConnection *responder = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(responder));
    NatsSubscription *events = responder->subscribe("order.event");
    connect(events, &NatsSubscription::messageReceived, responder, [&seen](const NatsMessage &) { ++seen; });
    NatsSubscription *service = responder->subscribe("order.seen");
    connect(service, &NatsSubscription::messageReceived, responder, [responder, &seen](const NatsMessage &message) {
        responder->publish(message.replyTo(), QByteArray::number(seen));
    });
    QVERIFY(NatsTest::flushed(responder));

    NatsConnection requester;
    QPointer<NatsReply> question;
    connect(&requester, &NatsConnection::serverInfoChanged, &requester, [&] {
        if (!question)
            question = requester.requestWithHandshake(NatsMessage("order.seen", {}), 5000);
    });
    requester.connectToServer(NatsConnectOptions::fromUrl(m_server.url()));
    QCOMPARE(requester.publish("order.event", "1").code(), NatsError::NoError); // kept until connected
    QTRY_VERIFY(question && question->isFinished());
    QVERIFY2(question->error() == NatsError::NoError, qPrintable(question->errorString()));
    QCOMPARE(question->message().data(), "1"_ba);
}

void tst_NatsConnection::manyRequestsInFlight()
{
    QObject scope;
    NatsConnection *responder = connectTo(m_server.url(), &scope);
    NatsConnection *requester = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(responder));
    QVERIFY(waitForConnected(requester));
    NatsSubscription *service = responder->subscribe("svc.double");
    connect(service, &NatsSubscription::messageReceived, responder, [responder](const NatsMessage &message) {
        responder->publish(message.replyTo(), QByteArray::number(message.data().toInt() * 2));
    });
    QVERIFY(NatsTest::flushed(responder));

    // Every reply must reach its own request through the shared inbox.
    constexpr int count = 500;
    QList<NatsReply *> replies;
    for (int i = 0; i < count; ++i)
        replies.append(requester->request("svc.double", QByteArray::number(i), 10000));
    QTRY_VERIFY_WITH_TIMEOUT(
        std::all_of(replies.cbegin(), replies.cend(), [](NatsReply *r) { return r->isFinished(); }), 15000);
    for (int i = 0; i < count; ++i) {
        QCOMPARE(replies[i]->error(), NatsError::NoError);
        QCOMPARE(replies[i]->message().data(), QByteArray::number(i * 2));
    }
}

void tst_NatsConnection::requestTimeout()
{
    QObject scope;
    NatsConnection *silent = connectTo(m_server.url(), &scope);
    NatsConnection *requester = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(silent));
    QVERIFY(waitForConnected(requester));
    NatsSubscription *sink = silent->subscribe("svc.silent");
    QSignalSpy received(sink, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(silent));

    QElapsedTimer clock;
    clock.start();
    NatsReply *reply = requester->request("svc.silent", "hello?", 300);
    QSignalSpy errors(reply, &NatsReply::errorOccurred);
    QVERIFY(errors.wait());
    QCOMPARE(reply->error(), NatsError::Timeout);
    QVERIFY2(clock.elapsed() >= 250, qPrintable(QString::number(clock.elapsed())));
    QVERIFY2(reply->errorString().contains(u"svc.silent"_s), qPrintable(reply->errorString()));
    QCOMPARE(received.count(), 1);

    // A reply arriving after the timeout is ignored, and the connection is fine.
    QCOMPARE(silent->publish(received.first().first().value<NatsMessage>().replyTo(), "late").code(),
             NatsError::NoError);
    QVERIFY(NatsTest::flushed(silent));
    QVERIFY(NatsTest::flushed(requester));
    QCOMPARE(reply->error(), NatsError::Timeout);
    QVERIFY(requester->isConnected());

    // An aborted request finishes at once with Cancelled.
    NatsReply *aborted = requester->request("svc.silent", "x", 5000);
    QSignalSpy abortedErrors(aborted, &NatsReply::errorOccurred);
    aborted->abort();
    QCOMPARE(abortedErrors.count(), 1);
    QCOMPARE(aborted->error(), NatsError::Cancelled);
}

void tst_NatsConnection::noResponders()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QElapsedTimer clock;
    clock.start();
    NatsReply *reply = connection->request("nobody.home", "x", 5000);
    QSignalSpy errors(reply, &NatsReply::errorOccurred);
    QVERIFY(errors.wait());
    QCOMPARE(reply->error(), NatsError::NoResponders);
    QVERIFY2(clock.elapsed() < 4000, "no responders must fail at once, not after the timeout");
    QVERIFY2(reply->errorString().contains(u"nobody.home"_s), qPrintable(reply->errorString()));
}

void tst_NatsConnection::flush()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QSignalSpy rtt(connection, &NatsConnection::roundTripTimeChanged);

    // Many publishes, then one flush: when it finishes, the server has them all.
    NatsSubscription *subscription = connection->subscribe("flush.test");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(connection->publish("flush.test", QByteArray::number(i)).code(), NatsError::NoError);
    NatsReply *reply = connection->flush();
    QSignalSpy finished(reply, &NatsReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->error(), NatsError::NoError);
    QCOMPARE(messages.count(), 1000);
    QCOMPARE(rtt.count(), 1);
    QVERIFY(connection->roundTripTime() >= 0);

    // Several flushes at once finish in order.
    QList<int> order;
    for (int i = 0; i < 3; ++i) {
        NatsReply *each = connection->flush();
        connect(each, &NatsReply::finished, this, [&order, i] { order.append(i); });
    }
    QTRY_COMPARE(order, (QList<int>{0, 1, 2}));
}

void tst_NatsConnection::keepAlivePings()
{
    QObject scope;
    NatsConnectOptions options;
    options.pingIntervalMs = 50;
    NatsConnection *connection = connectTo(m_server.url(), &scope, options);
    QVERIFY(waitForConnected(connection));
    QSignalSpy rtt(connection, &NatsConnection::roundTripTimeChanged);
    QSignalSpy lost(connection, &NatsConnection::disconnected);
    // Answered pings keep the connection up well past maxPingsOutstanding intervals.
    QTRY_VERIFY(rtt.count() >= 6);
    QCOMPARE(lost.count(), 0);
    QVERIFY(connection->isConnected());
}

void tst_NatsConnection::statistics()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("stats.x");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(connection));
    for (int i = 0; i < 10; ++i)
        QCOMPARE(connection->publish("stats.x", "12345").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(messages.count(), 10);
    const NatsConnection::Statistics stats = connection->statistics();
    QCOMPARE(stats.outMessages, quint64(10));
    QCOMPARE(stats.inMessages, quint64(10));
    QVERIFY(stats.outBytes > 10 * 5);
    QVERIFY(stats.inBytes > 10 * 5);
    QCOMPARE(stats.reconnects, quint64(0));
}

QTEST_GUILESS_MAIN(tst_NatsConnection)

#include "tst_natsconnection.moc"
