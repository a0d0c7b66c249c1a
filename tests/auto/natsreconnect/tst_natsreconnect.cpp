#include "natsconnection.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QScopeGuard>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <csignal>
#include <memory>
#include <sys/types.h>

using namespace Qt::StringLiterals;

// Losing the server and getting it back (docs/nats-protocol.md §1.7), against real nats-server processes
// that are killed, restarted on the same port and store, frozen with SIGSTOP, and a 3-node cluster (§8.2)
// that loses the node a client is connected to.

namespace {

NatsConnectOptions fastReconnect(const QString &url)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(url);
    options.reconnectWaitMs = 50;
    options.reconnectJitterMs = 0;
    options.reconnectJitterTlsMs = 0;
    options.maxReconnectAttempts = -1;
    return options;
}

bool waitForConnected(NatsConnection *connection, int timeoutMs = 10000)
{
    return QTest::qWaitFor([connection] { return connection->isConnected(); }, timeoutMs);
}

// A JetStream API call answered without an "error" member. Until a (meta) leader is elected the API
// does not answer at all (§8.2), so it is retried until deadlineMs.
QJsonObject jsApi(NatsConnection *connection, const QByteArray &subject, const QByteArray &body, QString *problem,
                  int deadlineMs = 20000)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < deadlineMs) {
        NatsReply *reply = connection->request(subject, body, 2000);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000))
            reply->abort();
        const NatsError::Code code = reply->error();
        const QByteArray data = reply->message().data();
        *problem = code == NatsError::NoError ? QString::fromUtf8(data) : reply->errorString();
        delete reply;
        if (code == NatsError::NoError) {
            const QJsonObject answer = QJsonDocument::fromJson(data).object();
            if (!answer.contains("error"_L1))
                return answer;
        }
        // Try again only where a later answer can differ: no reply yet, or a leader not yet elected.
        // Each try is a round trip (or its timeout), which paces the loop.
        if (code != NatsError::Timeout && code != NatsError::NoResponders && code != NatsError::NoError)
            break;
    }
    return {};
}

QByteArray streamConfig(const QByteArray &name, const QByteArray &subjects, int replicas)
{
    return R"({"name":")"_ba + name + R"(","subjects":[")"_ba + subjects + R"("],"num_replicas":)"_ba
        + QByteArray::number(replicas) + "}"_ba;
}

QList<NatsConnection::State> statesOf(const QSignalSpy &spy)
{
    QList<NatsConnection::State> states;
    for (const QList<QVariant> &arguments : spy)
        states.append(arguments.first().value<NatsConnection::State>());
    return states;
}

} // namespace

class tst_NatsReconnect final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void reconnectAfterKill();
    void reconnectBufferFull();
    void requestGivenUpWhileDownIsWithdrawn();
    void requestLostAfterSendingIsOutcomeUnknown();
    void autoUnsubscribeAcrossReconnect();
    void flushDuringReconnect();
    void noReconnect();
    void reconnectGivesUp();
    void staleConnection();

    void clusterForms();
    void clusterR3Stream();
    void failover();

private:
    NatsClusterProcess m_cluster;
};

void tst_NatsReconnect::initTestCase()
{
    QVERIFY2(!NatsServerProcess::executable().isEmpty(), "nats-server is not installed");
    QVERIFY2(m_cluster.start(3), qPrintable(m_cluster.errorString()));
}

void tst_NatsReconnect::reconnectAfterKill()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    connection.connectToServer(fastReconnect(server.url()));
    QVERIFY(waitForConnected(&connection));

    // The buffered publishes go to a stream, so a second connection can count them after the restart
    // however the reconnect and that connection race (the store survives the restart).
    QString problem;
    QVERIFY2(!jsApi(&connection, "$JS.API.STREAM.CREATE.BUF", streamConfig("BUF", "buffered.>", 1), &problem).isEmpty(),
             qPrintable(problem));
    NatsSubscription *live = connection.subscribe("live.>");
    QSignalSpy liveMessages(live, &NatsSubscription::messageReceived);
    QSignalSpy liveEnded(live, &NatsSubscription::unsubscribed);
    QVERIFY(NatsTest::flushed(&connection));

    QSignalSpy states(&connection, &NatsConnection::stateChanged);
    QSignalSpy disconnected(&connection, &NatsConnection::disconnected);
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy closed(&connection, &NatsConnection::closed);

    QVERIFY(server.kill());
    QVERIFY(disconnected.wait());
    QCOMPARE(connection.state(), NatsConnection::State::Reconnecting);
    QCOMPARE(NatsTest::codesOf(errors), QList<NatsError::Code>{NatsError::ConnectionLost});

    // While the server is down: publishes are buffered, and a new subscription waits for the reconnect.
    constexpr int buffered = 10;
    for (int i = 0; i < buffered; ++i)
        QCOMPARE(connection.publish("buffered." + QByteArray::number(i), "b" + QByteArray::number(i)).code(),
                 NatsError::NoError);
    NatsSubscription *late = connection.subscribe("late.sub");
    QSignalSpy lateMessages(late, &NatsSubscription::messageReceived);
    NatsReply *flushWhileDown = connection.flush();
    QSignalSpy flushErrors(flushWhileDown, &NatsReply::errorOccurred);
    QVERIFY(flushErrors.wait());
    QCOMPARE(flushWhileDown->error(), NatsError::NotConnected);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(15000));
    QCOMPARE(connection.state(), NatsConnection::State::Connected);
    QCOMPARE(reconnected.count(), 1);
    QCOMPARE(closed.count(), 0);
    QCOMPARE(liveEnded.count(), 0);
    QCOMPARE(connection.statistics().reconnects, quint64(1));
    const QList<NatsConnection::State> seen = statesOf(states);
    QCOMPARE(seen.first(), NatsConnection::State::Reconnecting);
    QCOMPARE(seen.last(), NatsConnection::State::Connected);
    QVERIFY(NatsTest::flushed(&connection));

    // Subscriptions resumed: a second connection publishes after the restart.
    NatsConnection other;
    other.connectToServer(NatsConnectOptions::fromUrl(server.url()));
    QVERIFY(waitForConnected(&other));
    QCOMPARE(other.publish("live.after", "1").code(), NatsError::NoError);
    QCOMPARE(other.publish("late.sub", "2").code(), NatsError::NoError);
    QVERIFY(liveMessages.wait());
    QTRY_COMPARE(lateMessages.count(), 1);
    QCOMPARE(liveMessages.first().first().value<NatsMessage>().subject(), "live.after"_ba);

    // Every buffered publish reached the server, in order.
    const QJsonObject info = jsApi(&other, "$JS.API.STREAM.INFO.BUF", {}, &problem);
    QVERIFY2(!info.isEmpty(), qPrintable(problem));
    QCOMPARE(info.value("state"_L1).toObject().value("messages"_L1).toInt(), buffered);
    for (const int sequence : {1, buffered}) {
        const QJsonObject stored = jsApi(&other, "$JS.API.STREAM.MSG.GET.BUF",
                                         "{\"seq\":"_ba + QByteArray::number(sequence) + "}"_ba, &problem);
        QVERIFY2(!stored.isEmpty(), qPrintable(problem));
        const QJsonObject message = stored.value("message"_L1).toObject();
        QCOMPARE(message.value("subject"_L1).toString(), u"buffered.%1"_s.arg(sequence - 1));
        QCOMPARE(QByteArray::fromBase64(message.value("data"_L1).toString().toLatin1()),
                 "b" + QByteArray::number(sequence - 1));
    }
}

void tst_NatsReconnect::reconnectBufferFull()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnectOptions options = fastReconnect(server.url());
    options.reconnectBufferSize = 1000;
    NatsConnection connection;
    connection.connectToServer(options);
    QVERIFY(waitForConnected(&connection));
    QString problem;
    QVERIFY2(!jsApi(&connection, "$JS.API.STREAM.CREATE.FULL", streamConfig("FULL", "full.>", 1), &problem).isEmpty(),
             qPrintable(problem));
    QSignalSpy disconnected(&connection, &NatsConnection::disconnected);
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);

    QVERIFY(server.kill());
    QVERIFY(disconnected.wait());

    // "PUB full.x 100\r\n" + 100 bytes + "\r\n" = 118 bytes: 8 fit in 1000, the 9th does not.
    const QByteArray payload(100, 'p');
    int accepted = 0;
    NatsError refused;
    for (int i = 0; i < 20 && !refused.isError(); ++i) {
        refused = connection.publish("full.x", payload);
        if (!refused.isError())
            ++accepted;
    }
    QCOMPARE(accepted, 1000 / 118);
    QCOMPARE(refused.code(), NatsError::ReconnectBufferFull);
    QVERIFY2(refused.message().contains(u"1000"_s), qPrintable(refused.message()));
    // Refused, not dropped: smaller messages that still fit are accepted, bigger ones keep failing.
    QCOMPARE(connection.publish("full.x", payload).code(), NatsError::ReconnectBufferFull);
    QCOMPARE(connection.publish("full.y", "small").code(), NatsError::NoError);
    NatsReply *request = connection.request("full.z", payload, 5000);
    QSignalSpy requestErrors(request, &NatsReply::errorOccurred);
    QVERIFY(requestErrors.wait());
    QCOMPARE(request->error(), NatsError::ReconnectBufferFull);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(15000));
    QVERIFY(NatsTest::flushed(&connection));
    const QJsonObject info = jsApi(&connection, "$JS.API.STREAM.INFO.FULL", {}, &problem);
    QVERIFY2(!info.isEmpty(), qPrintable(problem));
    QCOMPARE(info.value("state"_L1).toObject().value("messages"_L1).toInt(), accepted + 1);

    // Connected again, the buffer limit no longer applies.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(connection.publish("full.x", payload).code(), NatsError::NoError);
}

void tst_NatsReconnect::requestGivenUpWhileDownIsWithdrawn()
{
    // A request made while the server is down waits in the reconnect buffer. If it times out or is
    // aborted before the reconnect, its publish must not go out later: the caller was told it failed
    // (a save reported "timed out" must not land afterwards, nor twice when the user saves again).
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    connection.connectToServer(fastReconnect(server.url()));
    QVERIFY(waitForConnected(&connection));
    // The stream survives the restart and counts what reached the server, whenever it did.
    QString problem;
    QVERIFY2(!jsApi(&connection, "$JS.API.STREAM.CREATE.WD", streamConfig("WD", "wd.>", 1), &problem).isEmpty(),
             qPrintable(problem));
    QSignalSpy disconnected(&connection, &NatsConnection::disconnected);
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    QVERIFY(server.kill());
    QVERIFY(disconnected.wait());

    NatsReply *timedOut = connection.request("wd.timedout", "must not land", 200);
    NatsReply *aborted = connection.request("wd.aborted", "must not land either", 60000);
    NatsReply *kept = connection.request("wd.kept", "lands", 60000);
    QSignalSpy timedOutErrors(timedOut, &NatsReply::errorOccurred);
    QVERIFY(timedOutErrors.wait());
    QCOMPARE(timedOut->error(), NatsError::Timeout);
    QVERIFY2(timedOut->errorString().contains(u"not sent"_s), qPrintable(timedOut->errorString()));
    aborted->abort();
    QCOMPARE(aborted->error(), NatsError::Cancelled);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(15000));
    QTRY_VERIFY_WITH_TIMEOUT(kept->isFinished(), 10000);
    QCOMPARE(kept->error(), NatsError::NoError); // the stream's ack: the buffer itself was replayed
    QVERIFY(NatsTest::flushed(&connection));
    const QJsonObject info = jsApi(&connection, "$JS.API.STREAM.INFO.WD", {}, &problem);
    QVERIFY2(!info.isEmpty(), qPrintable(problem));
    QCOMPARE(info.value("state"_L1).toObject().value("messages"_L1).toInt(), 1);
    const QJsonObject stored = jsApi(&connection, "$JS.API.STREAM.MSG.GET.WD", R"({"seq":1})", &problem);
    QCOMPARE(stored.value("message"_L1).toObject().value("subject"_L1).toString(), u"wd.kept"_s);
}

void tst_NatsReconnect::requestLostAfterSendingIsOutcomeUnknown()
{
    // A request that reached the server before the connection died may have been acted on: its
    // answer is lost, and "timed out" (which says it was not sent) would be wrong. It ends at once.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    connection.connectToServer(fastReconnect(server.url()));
    QVERIFY(waitForConnected(&connection));
    NatsConnection service;
    service.connectToServer(NatsConnectOptions::fromUrl(server.url()));
    QVERIFY(waitForConnected(&service));
    NatsSubscription *silent = service.subscribe("svc.silent");
    QSignalSpy received(silent, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(&service));

    NatsReply *request = connection.request("svc.silent", "do it", 30000);
    QSignalSpy requestErrors(request, &NatsReply::errorOccurred);
    QVERIFY(received.wait()); // it reached the server (and the service)
    QVERIFY(server.kill());
    QVERIFY(requestErrors.wait());
    QCOMPARE(request->error(), NatsError::OutcomeUnknown);
    QVERIFY2(request->errorString().contains(u"svc.silent"_s), qPrintable(request->errorString()));
    QVERIFY2(request->errorString().contains(u"may have"_s), qPrintable(request->errorString()));
    QCOMPARE(connection.state(), NatsConnection::State::Reconnecting);
}

void tst_NatsReconnect::autoUnsubscribeAcrossReconnect()
{
    // After a reconnect the server learns only the messages still to come (UNSUB <sid> <remaining>).
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    connection.connectToServer(fastReconnect(server.url()));
    QVERIFY(waitForConnected(&connection));
    NatsSubscription *subscription = connection.subscribe("limited.x");
    subscription->autoUnsubscribe(5);
    NatsSubscription *queued = connection.subscribe("queued.x", "group");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy queuedMessages(queued, &NatsSubscription::messageReceived);
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QVERIFY(NatsTest::flushed(&connection));
    for (int i = 0; i < 2; ++i)
        QCOMPARE(connection.publish("limited.x", "before").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(&connection));
    QCOMPARE(messages.count(), 2);

    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    QVERIFY(server.kill());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(15000));
    for (int i = 0; i < 10; ++i)
        QCOMPARE(connection.publish("limited.x", "after").code(), NatsError::NoError);
    QCOMPARE(connection.publish("queued.x", "q").code(), NatsError::NoError);
    QVERIFY(NatsTest::flushed(&connection));
    QCOMPARE(messages.count(), 5);
    QCOMPARE(ended.count(), 1);
    // The queue subscription came back in its group.
    QCOMPARE(queuedMessages.count(), 1);
    QCOMPARE(queued->queueGroup(), "group"_ba);
}

void tst_NatsReconnect::flushDuringReconnect()
{
    // A flush waiting for its PONG when the connection drops fails with ConnectionLost, not a timeout.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    connection.connectToServer(fastReconnect(server.url()));
    QVERIFY(waitForConnected(&connection));
    // Frozen, the server cannot answer the PING before it dies.
    const pid_t pid = pid_t(server.pid());
    QVERIFY(::kill(pid, SIGSTOP) == 0);
    auto resume = qScopeGuard([pid] { ::kill(pid, SIGCONT); });
    NatsReply *pending = connection.flush(20000);
    QSignalSpy pendingErrors(pending, &NatsReply::errorOccurred);
    QVERIFY(server.kill());
    resume.dismiss();
    QVERIFY(pendingErrors.wait());
    QCOMPARE(pending->error(), NatsError::ConnectionLost);
    QCOMPARE(connection.state(), NatsConnection::State::Reconnecting);
}

void tst_NatsReconnect::noReconnect()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.allowReconnect = false;
    NatsConnection connection;
    connection.connectToServer(options);
    QVERIFY(waitForConnected(&connection));
    NatsSubscription *subscription = connection.subscribe("x");
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    NatsReply *request = connection.request("x", "y", 10000);
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy disconnected(&connection, &NatsConnection::disconnected);
    QSignalSpy closed(&connection, &NatsConnection::closed);

    QVERIFY(server.kill());
    QVERIFY(closed.wait());
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
    QCOMPARE(disconnected.count(), 1);
    QCOMPARE(NatsTest::codesOf(errors), QList<NatsError::Code>{NatsError::ConnectionLost});
    QVERIFY2(connection.errorString().contains(QString::number(server.port())), qPrintable(connection.errorString()));
    QCOMPARE(ended.count(), 1);
    QVERIFY(request->isFinished());
    QCOMPARE(request->error(), NatsError::OutcomeUnknown);
    QCOMPARE(connection.publish("x", "y").code(), NatsError::ConnectionClosed);
}

void tst_NatsReconnect::reconnectGivesUp()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnectOptions options = fastReconnect(server.url());
    options.maxReconnectAttempts = 3;
    NatsConnection connection;
    connection.connectToServer(options);
    QVERIFY(waitForConnected(&connection));
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy closed(&connection, &NatsConnection::closed);
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);

    QVERIFY(server.kill());
    QVERIFY(closed.wait(15000));
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
    QCOMPARE(reconnected.count(), 0);
    QVERIFY(connection.serverPool().isEmpty());
    QCOMPARE(errors.first().first().value<NatsError::Code>(), NatsError::ConnectionLost);
    QCOMPARE(errors.last().first().value<NatsError::Code>(), NatsError::ConnectionRefused);
    QCOMPARE(connection.publish("x", "y").code(), NatsError::ConnectionClosed);
}

void tst_NatsReconnect::staleConnection()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnectOptions options = fastReconnect(server.url());
    options.pingIntervalMs = 100;
    options.maxPingsOutstanding = 2;
    // A stopped server still completes TCP handshakes from its listen backlog but never sends INFO.
    options.connectTimeoutMs = 500;
    NatsConnection connection;
    connection.connectToServer(options);
    QVERIFY(waitForConnected(&connection));
    NatsSubscription *subscription = connection.subscribe("stale.x");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(&connection));
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy disconnected(&connection, &NatsConnection::disconnected);
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);

    // The process is frozen, the socket stays open: only unanswered PINGs can tell.
    const pid_t pid = pid_t(server.pid());
    QVERIFY(::kill(pid, SIGSTOP) == 0);
    auto resume = qScopeGuard([pid] { ::kill(pid, SIGCONT); });
    QVERIFY(disconnected.wait(5000));
    QCOMPARE(NatsTest::codesOf(errors).value(0), NatsError::StaleConnection);
    QVERIFY2(connection.errorString().contains(u"stale"_s, Qt::CaseInsensitive), qPrintable(connection.errorString()));
    QCOMPARE(connection.state(), NatsConnection::State::Reconnecting);

    resume.dismiss();
    QVERIFY(::kill(pid, SIGCONT) == 0);
    QVERIFY(reconnected.wait(15000));
    QCOMPARE(connection.publish("stale.x", "back").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    QCOMPARE(messages.first().first().value<NatsMessage>().data(), "back"_ba);
}

// ---- cluster --------------------------------------------------------------------------------------

void tst_NatsReconnect::clusterForms()
{
    QSet<int> clusterPorts;
    for (int i = 0; i < m_cluster.size(); ++i)
        clusterPorts.insert(m_cluster.node(i)->port());

    // Connected to any one node, a client learns the others from INFO connect_urls.
    for (int i = 0; i < m_cluster.size(); ++i) {
        NatsConnection connection;
        NatsConnectOptions options = NatsConnectOptions::fromUrl(m_cluster.node(i)->url());
        connection.connectToServer(options);
        QVERIFY(waitForConnected(&connection));
        QCOMPARE(connection.serverInfo().cluster, m_cluster.name());
        QCOMPARE(connection.serverInfo().serverName, u"n%1"_s.arg(i + 1));
        QTRY_COMPARE(connection.serverPool().size(), 3);
        QSet<int> poolPorts;
        for (const QUrl &url : connection.serverPool())
            poolPorts.insert(url.port());
        QCOMPARE(poolPorts, clusterPorts);
        QCOMPARE(connection.serverInfo().connectUrls.size(), 3);
    }
}

void tst_NatsReconnect::clusterR3Stream()
{
    NatsConnection connection;
    connection.connectToServer(NatsConnectOptions::fromUrl(m_cluster.urls()));
    QVERIFY(waitForConnected(&connection));

    QString problem;
    const QJsonObject created = jsApi(&connection, "$JS.API.STREAM.CREATE.ORDERS",
                                      streamConfig("ORDERS", "orders.>", 3), &problem);
    QVERIFY2(!created.isEmpty(), qPrintable(problem));
    QCOMPARE(created.value("config"_L1).toObject().value("num_replicas"_L1).toInt(), 3);

    // Publishing to a stream subject as a request returns the stream's ack.
    for (int i = 1; i <= 5; ++i) {
        NatsReply *ack = connection.request("orders.new", "order " + QByteArray::number(i), 5000);
        QSignalSpy finished(ack, &NatsReply::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(ack->error(), NatsError::NoError);
        const QJsonObject answer = QJsonDocument::fromJson(ack->message().data()).object();
        QCOMPARE(answer.value("stream"_L1).toString(), u"ORDERS"_s);
        QCOMPARE(answer.value("seq"_L1).toInt(), i);
    }

    // All three nodes hold it: a leader and two current replicas.
    QJsonObject info;
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            info = jsApi(&connection, "$JS.API.STREAM.INFO.ORDERS", {}, &problem);
            const QJsonArray replicas = info.value("cluster"_L1).toObject().value("replicas"_L1).toArray();
            return replicas.size() == 2 && std::all_of(replicas.begin(), replicas.end(), [](const QJsonValue &replica) {
                       return replica.toObject().value("current"_L1).toBool();
                   });
        }(),
        15000);
    QCOMPARE(info.value("config"_L1).toObject().value("num_replicas"_L1).toInt(), 3);
    QCOMPARE(info.value("state"_L1).toObject().value("messages"_L1).toInt(), 5);
    QVERIFY(!info.value("cluster"_L1).toObject().value("leader"_L1).toString().isEmpty());
}

void tst_NatsReconnect::failover()
{
    // Runs last: it kills a node.
    NatsServerProcess *first = m_cluster.node(0);
    NatsConnection client;
    client.connectToServer(fastReconnect(first->url()));
    QVERIFY(waitForConnected(&client));
    QTRY_COMPARE(client.serverPool().size(), 3);
    NatsSubscription *subscription = client.subscribe("fo.x");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);
    QVERIFY(NatsTest::flushed(&client));

    NatsConnection publisher;
    publisher.connectToServer(NatsConnectOptions::fromUrl(m_cluster.node(2)->url()));
    QVERIFY(waitForConnected(&publisher));
    const auto countOf = [&messages](const QByteArray &data) {
        return std::count_if(messages.cbegin(), messages.cend(), [&data](const QList<QVariant> &arguments) {
            return arguments.first().value<NatsMessage>().data() == data;
        });
    };
    // Interest crosses the route shortly after the SUB; publish until it has.
    QTRY_VERIFY((publisher.publish("fo.x", "before"), countOf("before") > 0));

    QSignalSpy disconnected(&client, &NatsConnection::disconnected);
    QSignalSpy reconnected(&client, &NatsConnection::reconnected);
    QVERIFY(first->kill());
    QVERIFY(disconnected.wait());
    QVERIFY(reconnected.wait(15000));
    QVERIFY(client.isConnected());
    QVERIFY(client.currentServer().port() != first->port());
    QVERIFY(client.serverPool().size() >= 2);

    QTRY_VERIFY_WITH_TIMEOUT((publisher.publish("fo.x", "after"), countOf("after") > 0), 10000);
    QCOMPARE(ended.count(), 0);
    QVERIFY(subscription->isActive());
}

QTEST_GUILESS_MAIN(tst_NatsReconnect)

#include "tst_natsreconnect.moc"
