#include "natsconnection.h"
#include "natsprotocol.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The core client against a real nats-server (docs/nats-protocol.md §1): pub/sub, wildcards, queue
// groups, request/reply, headers, the limits the client must enforce itself, flush, drain and close.

namespace {

QList<NatsMessage> messagesOf(const QSignalSpy &spy)
{
    QList<NatsMessage> messages;
    for (const QList<QVariant> &arguments : spy)
        messages.append(arguments.first().value<NatsMessage>());
    return messages;
}

QList<QByteArray> subjectsOf(const QSignalSpy &spy)
{
    QList<QByteArray> subjects;
    for (const NatsMessage &message : messagesOf(spy))
        subjects.append(message.subject());
    return subjects;
}

bool waitForConnected(NatsConnection *connection)
{
    return QTest::qWaitFor([connection] {
               return connection->state() == NatsConnection::State::Connected
                   || connection->state() == NatsConnection::State::Closed;
           })
        && connection->isConnected();
}

QByteArray allBytes()
{
    QByteArray bytes(256, '\0');
    for (int i = 0; i < 256; ++i)
        bytes[i] = char(i);
    return bytes;
}

} // namespace

class tst_NatsConnection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void connectPublishSubscribe();
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
    void manyRequestsInFlight();
    void requestTimeout();
    void noResponders();
    void headersRoundTrip_data();
    void headersRoundTrip();
    void invalidHeader_data();
    void invalidHeader();
    void maxPayload_data();
    void maxPayload();
    void invalidSubjects_data();
    void invalidSubjects();
    void invalidQueueGroup();
    void controlLineTooLong();
    void subscribeControlLineTooLong();
    void flush();
    void keepAlivePings();
    void drainDeliversMessagesInFlight();
    void drainAnswersPendingRequests();
    void drainWhenIdle();
    void drainTimeout();
    void closeFailsPendingRequests();
    void statistics();

private:
    NatsConnection *connectTo(const QString &url, QObject *parent, NatsConnectOptions options = {});

    NatsServerProcess m_server;
    NatsServerProcess m_limitedServer; // max_payload: 4096
};

void tst_NatsConnection::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    NatsServerProcess::Options limited;
    limited.config = "max_payload: 4096\n"_ba;
    limited.jetStream = false;
    limited.name = u"limited"_s;
    QVERIFY2(m_limitedServer.start(limited), qPrintable(m_limitedServer.errorString()));
}

NatsConnection *tst_NatsConnection::connectTo(const QString &url, QObject *parent, NatsConnectOptions options)
{
    auto *connection = new NatsConnection(parent);
    options.serversText = url;
    QString problem;
    if (!NatsConnectOptions::parseServers(url, &options.servers, &problem))
        qWarning("%s", qPrintable(problem));
    connection->connectToServer(options);
    return connection;
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

    // The context-object convenience runs the functor once.
    int calls = 0;
    NatsReply *second = requester->request("svc.echo", "again", 2000);
    second->onFinished(this, [&calls] { ++calls; });
    QTRY_COMPARE(calls, 1);
    QCOMPARE(second->message().data(), "echo:again"_ba);
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

void tst_NatsConnection::headersRoundTrip_data()
{
    QTest::addColumn<QList<NatsHeaders::Entry>>("entries");
    QTest::addColumn<QByteArray>("payload");

    using E = NatsHeaders::Entry;
    QTest::newRow("one") << QList<E>{{"Key", "value"}} << "hello"_ba;
    QTest::newRow("multi-valued") << QList<E>{{"A", "b"}, {"A", "c"}, {"X-Key", "v v"}, {"A", "d"}} << "hello"_ba;
    QTest::newRow("case preserved") << QList<E>{{"X-Case", "upper"}, {"x-case", "lower"}, {"X-CASE", "shout"}}
                                    << "p"_ba;
    QTest::newRow("binary value") << QList<E>{{"Bin", "\x01\x02\x7f\x80\xfe\xff"_ba}, {"Utf8", "h\xc3\xa9llo"_ba}}
                                  << allBytes();
    QTest::newRow("empty payload") << QList<E>{{"KV-Operation", "DEL"}} << QByteArray();
    QTest::newRow("empty value") << QList<E>{{"Empty", ""}, {"After", "x"}} << "data"_ba;
    QTest::newRow("no headers, binary payload") << QList<E>{} << allBytes();
    QTest::newRow("no headers, empty payload") << QList<E>{} << QByteArray();
    QTest::newRow("payload of CRLFs") << QList<E>{{"K", "v"}} << "\r\n\r\nMSG x 1 2\r\n\r\n"_ba;
}

void tst_NatsConnection::headersRoundTrip()
{
    QFETCH(QList<NatsHeaders::Entry>, entries);
    QFETCH(QByteArray, payload);

    QObject scope;
    NatsConnection *sender = connectTo(m_server.url(), &scope);
    NatsConnection *receiver = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(sender));
    QVERIFY(waitForConnected(receiver));
    NatsSubscription *subscription = receiver->subscribe("hdr.test");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(receiver));

    NatsMessage message("hdr.test", payload);
    for (const NatsHeaders::Entry &entry : std::as_const(entries))
        message.headers().append(entry.first, entry.second);
    QCOMPARE(sender->publish(message).code(), NatsError::NoError);
    QVERIFY(messages.wait());
    const NatsMessage received = messages.first().first().value<NatsMessage>();
    QCOMPARE(received.data(), payload);
    QCOMPARE(received.data().size(), payload.size());
    QCOMPARE(received.hasHeaders(), !entries.isEmpty());
    QCOMPARE(received.headers().entries(), entries);
    QCOMPARE(received.status(), 0);
    for (const NatsHeaders::Entry &entry : std::as_const(entries))
        QVERIFY(received.headers().values(entry.first).contains(entry.second));
}

void tst_NatsConnection::invalidHeader_data()
{
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value");

    QTest::newRow("colon in key") << "a:b"_ba
                                  << "v"_ba;
    QTest::newRow("space in key") << "a b"_ba
                                  << "v"_ba;
    QTest::newRow("CR in value") << "Key"_ba
                                 << "a\rb"_ba;
    QTest::newRow("LF in value") << "Key"_ba
                                 << "a\nb"_ba;
    QTest::newRow("empty key") << QByteArray() << "v"_ba;
}

void tst_NatsConnection::invalidHeader()
{
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsMessage message("hdr.bad", "x");
    message.headers().append(key, value);
    const NatsError error = connection->publish(message);
    QCOMPARE(error.code(), NatsError::InvalidHeader);
    QVERIFY(!error.message().isEmpty());
    QVERIFY(NatsTest::flushed(connection));
    QVERIFY(connection->isConnected());
}

void tst_NatsConnection::maxPayload_data()
{
    QTest::addColumn<qsizetype>("payloadSize");
    QTest::addColumn<bool>("withHeaders");
    QTest::addColumn<bool>("accepted");

    QTest::newRow("exactly max_payload") << qsizetype(4096) << false << true;
    QTest::newRow("one byte over") << qsizetype(4097) << false << false;
    QTest::newRow("way over") << qsizetype(100000) << false << false;
    // max_payload limits header+payload together (§1.2).
    QTest::newRow("headers: exactly max_payload") << qsizetype(4096) << true << true;
    QTest::newRow("headers: one byte over") << qsizetype(4097) << true << false;
}

void tst_NatsConnection::maxPayload()
{
    QFETCH(qsizetype, payloadSize);
    QFETCH(bool, withHeaders);
    QFETCH(bool, accepted);

    QObject scope;
    NatsConnection *connection = connectTo(m_limitedServer.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QCOMPARE(connection->maxPayload(), qint64(4096));
    NatsSubscription *subscription = connection->subscribe("big");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy connectionErrors(connection, &NatsConnection::errorOccurred);
    QVERIFY(NatsTest::flushed(connection));

    NatsMessage message("big", {});
    qsizetype dataSize = payloadSize;
    if (withHeaders) {
        message.headers().append("Filler", "0123456789");
        dataSize -= message.headers().toWire().size();
    }
    message.setData(QByteArray(dataSize, 'x'));
    const NatsError error = connection->publish(message);
    if (accepted) {
        QCOMPARE(error.code(), NatsError::NoError);
        QVERIFY(messages.wait());
        QCOMPARE(messagesOf(messages).first().data().size(), dataSize);
    } else {
        QCOMPARE(error.code(), NatsError::PayloadTooLarge);
        QVERIFY2(error.message().contains(QString::number(payloadSize)) && error.message().contains(u"4096"_s),
                 qPrintable(error.message()));
        // Refused locally: nothing was sent, so the server did not close the connection.
        QVERIFY(NatsTest::flushed(connection));
        QCOMPARE(messages.count(), 0);
    }
    QVERIFY(connection->isConnected());
    QCOMPARE(connectionErrors.count(), 0);

    // A request carries the same limit.
    if (!accepted) {
        NatsReply *reply = connection->request(message);
        QSignalSpy errors(reply, &NatsReply::errorOccurred);
        QVERIFY(errors.wait());
        QCOMPARE(reply->error(), NatsError::PayloadTooLarge);
    }
}

void tst_NatsConnection::invalidSubjects_data()
{
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<bool>("forPublish");

    QTest::newRow("pub: double dot") << "a..b"_ba << true;
    QTest::newRow("pub: space") << "a b"_ba << true;
    QTest::newRow("pub: tab") << "a\tb"_ba << true;
    QTest::newRow("pub: CRLF") << "a\r\nPUB x 1"_ba << true;
    QTest::newRow("pub: star") << "foo.*"_ba << true;
    QTest::newRow("pub: gt") << "foo.>"_ba << true;
    QTest::newRow("pub: leading dot") << ".foo"_ba << true;
    QTest::newRow("pub: trailing dot") << "foo."_ba << true;
    QTest::newRow("pub: empty") << QByteArray() << true;
    QTest::newRow("sub: gt not last") << ">.a"_ba << false;
    QTest::newRow("sub: double dot") << "a..b"_ba << false;
    QTest::newRow("sub: space") << "a b"_ba << false;
    QTest::newRow("sub: tab") << "a\tb"_ba << false;
    QTest::newRow("sub: trailing dot") << "a."_ba << false;
    QTest::newRow("sub: empty") << QByteArray() << false;
}

void tst_NatsConnection::invalidSubjects()
{
    QFETCH(QByteArray, subject);
    QFETCH(bool, forPublish);

    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QSignalSpy connectionErrors(connection, &NatsConnection::errorOccurred);
    const QString shown = QString::fromUtf8(subject).simplified();

    if (forPublish) {
        const NatsError error = connection->publish(subject, "x");
        QCOMPARE(error.code(), NatsError::InvalidSubject);
        QVERIFY2(error.message().contains(u"subject"_s), qPrintable(error.message()));
        if (!subject.isEmpty())
            QVERIFY2(error.message().contains(shown), qPrintable(error.message()));
        // The same subject as a reply subject is refused too (empty means no reply), and so is a request.
        if (!subject.isEmpty())
            QCOMPARE(connection->publish("valid.subject", "x", subject).code(), NatsError::InvalidSubject);
        NatsReply *reply = connection->request(subject, "x");
        QSignalSpy replyErrors(reply, &NatsReply::errorOccurred);
        QVERIFY(replyErrors.wait());
        QCOMPARE(reply->error(), NatsError::InvalidSubject);
    } else {
        NatsSubscription *subscription = connection->subscribe(subject);
        QVERIFY(subscription);
        QVERIFY(!subscription->isActive());
        QSignalSpy errors(subscription, &NatsSubscription::errorOccurred);
        QVERIFY(errors.wait());
        QCOMPARE(errors.first().first().value<NatsError::Code>(), NatsError::InvalidSubject);
        QCOMPARE(subscription->error(), NatsError::InvalidSubject);
        if (!subject.isEmpty())
            QVERIFY2(subscription->errorString().contains(shown), qPrintable(subscription->errorString()));
    }
    // Refused locally: the server never saw it and the connection is unharmed.
    QVERIFY(NatsTest::flushed(connection));
    QVERIFY(connection->isConnected());
    QCOMPARE(connectionErrors.count(), 0);
}

void tst_NatsConnection::invalidQueueGroup()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("q.test", "bad group");
    QSignalSpy errors(subscription, &NatsSubscription::errorOccurred);
    QVERIFY(errors.wait());
    QCOMPARE(subscription->error(), NatsError::InvalidQueueGroup);
    QVERIFY2(subscription->errorString().contains(u"bad group"_s), qPrintable(subscription->errorString()));
}

void tst_NatsConnection::controlLineTooLong()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("long.>");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(connection));

    // "PUB <subject> 1": the longest subject the client lets through must also pass the server (§1.6:
    // the server closes on a control line over 4096 bytes), and one more character is refused locally.
    const qsizetype longest = NatsProtocol::MaxControlLine - qsizetype(sizeof("PUB  1") - 1);
    const QByteArray fits = "long." + QByteArray(longest - 5, 'k');
    QCOMPARE(NatsProtocol::publishLineLength(fits, {}, 0, 1), NatsProtocol::MaxControlLine);
    QCOMPARE(connection->publish(fits, "1").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    QCOMPARE(messagesOf(messages).first().subject(), fits);

    const NatsError error = connection->publish(fits + 'k', "1");
    QCOMPARE(error.code(), NatsError::ControlLineTooLong);
    QVERIFY2(error.message().contains(u"4096"_s), qPrintable(error.message()));
    // A long reply subject counts too.
    QCOMPARE(connection->publish("long.a", "1", fits).code(), NatsError::ControlLineTooLong);
    NatsReply *reply = connection->request(fits, "1");
    QSignalSpy replyErrors(reply, &NatsReply::errorOccurred);
    QVERIFY(replyErrors.wait());
    QCOMPARE(reply->error(), NatsError::ControlLineTooLong);

    QVERIFY(NatsTest::flushed(connection));
    QVERIFY(connection->isConnected());
    QCOMPARE(messages.count(), 1);
}

void tst_NatsConnection::subscribeControlLineTooLong()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QSignalSpy connectionErrors(connection, &NatsConnection::errorOccurred);
    // A SUB line over 4096 bytes would make the server close the connection (§1.6): refuse it locally.
    NatsSubscription *subscription = connection->subscribe("sub." + QByteArray(4100, 's'));
    QSignalSpy errors(subscription, &NatsSubscription::errorOccurred);
    QVERIFY(errors.wait());
    QCOMPARE(subscription->error(), NatsError::ControlLineTooLong);
    QVERIFY(!subscription->isActive());
    QVERIFY(NatsTest::flushed(connection));
    QVERIFY(connection->isConnected());
    QCOMPARE(connectionErrors.count(), 0);

    // A long subject that fits is accepted by the server.
    const QByteArray fits = "sub." + QByteArray(3900, 's');
    NatsSubscription *fine = connection->subscribe(fits);
    QSignalSpy messages(fine, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(connection));
    QCOMPARE(connection->publish(fits, "ok").code(), NatsError::NoError);
    QVERIFY(messages.wait());
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
        each->onFinished(this, [&order, i] { order.append(i); });
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

void tst_NatsConnection::drainDeliversMessagesInFlight()
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

void tst_NatsConnection::drainAnswersPendingRequests()
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

void tst_NatsConnection::drainWhenIdle()
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

void tst_NatsConnection::drainTimeout()
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

void tst_NatsConnection::closeFailsPendingRequests()
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
