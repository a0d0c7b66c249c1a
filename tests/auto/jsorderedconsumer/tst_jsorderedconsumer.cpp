#include "jetstreamcontext.h"
#include "jsorderedconsumer.h"
#include "jstestsupport.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

// Ordered push consumers over a real nats-server: delivery in order, caught-up, flow control,
// heartbeats (missed, mismatched), gaps, reconnects, a deleted stream, a closed connection.

using JsTest::memoryStream;

namespace {

// Everything an ordered consumer hands out, in order.
struct Received
{
    QList<quint64> streamSequences;
    QList<NatsMessage> messages;
    QStringList recoveries;
};

std::shared_ptr<Received> collect(JsOrderedConsumer *consumer)
{
    auto received = std::make_shared<Received>();
    QObject::connect(consumer, &JsOrderedConsumer::messageReceived, consumer,
                     [received](const NatsMessage &message, const JsDeliveryInfo &info) {
                         received->streamSequences.append(info.streamSequence);
                         received->messages.append(message);
                     });
    QObject::connect(consumer, &JsOrderedConsumer::recovering, consumer,
                     [received](quint64, const QString &reason) { received->recoveries.append(reason); });
    return received;
}

QList<quint64> range(quint64 first, quint64 last)
{
    QList<quint64> list;
    for (quint64 i = first; i <= last; ++i)
        list.append(i);
    return list;
}

} // namespace

class tst_JsOrderedConsumer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void deliveryInfo_data();
    void deliveryInfo();

    void orderedConsumerDelivers();
    void orderedConsumerCaughtUpWhenEmpty();
    void orderedConsumerFlowControlBurst();
    void orderedConsumerHeartbeats();
    void orderedConsumerMissedHeartbeat();
    void orderedConsumerNewResumesWhereItStarted();
    void orderedConsumerGap();
    void orderedConsumerHeartbeatMismatch();
    void orderedConsumerLastPerSubjectReset();
    void orderedConsumerReconnect();
    void orderedConsumerStreamDeleted();
    void orderedConsumerConnectionClosed();
    void stoppedBeforeItsCreateReplyItIsDeletedAnyway();

private:
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    QByteArray uniqueSubject(const char *base) const { return QByteArray(base) + '.' + QByteArray::number(m_counter); }
    bool createStream(const JsStreamConfig &config) { return JsTest::createStream(m_js, config); }
    quint64 publish(const QByteArray &subject, const QByteArray &data) { return JsTest::publish(m_js, subject, data); }
    JsOrderedConsumer *startConsumer(const QString &stream, const QByteArray &filter, int heartbeatMs);
    NatsError::Code consumerInfoError(const QString &stream, const QString &consumer);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    int m_counter = 0;
};

void tst_JsOrderedConsumer::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js));
}

void tst_JsOrderedConsumer::init()
{
    ++m_counter;
}

JsOrderedConsumer *tst_JsOrderedConsumer::startConsumer(const QString &stream, const QByteArray &filter,
                                                        int heartbeatMs)
{
    JsOrderedConsumerConfig config;
    config.stream = stream;
    config.filterSubject = filter;
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::All;
    config.idleHeartbeatMs = heartbeatMs;
    return m_js->orderedConsumer(config);
}

NatsError::Code tst_JsOrderedConsumer::consumerInfoError(const QString &stream, const QString &consumer)
{
    JsApiReply *info = m_js->request("CONSUMER.INFO." + stream.toUtf8() + '.' + consumer.toUtf8());
    const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 5000);
    const NatsError::Code code = answered ? info->error() : NatsError::Timeout;
    info->deleteLater();
    return code;
}

void tst_JsOrderedConsumer::orderedConsumerDelivers()
{
    const QString name = unique(u"OC"_s);
    const QByteArray subject = uniqueSubject("oc");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    for (int i = 0; i < 5; ++i)
        QVERIFY(publish(subject + (i % 2 ? ".odd" : ".even"), QByteArray::number(i)) > 0);

    JsOrderedConsumer *consumer = startConsumer(name, subject + ".>", 5000);
    const auto received = collect(consumer);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    QCOMPARE(received->streamSequences, range(1, 5));
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Active);
    // Deliveries may come before the create reply; what it reports is known once it is in.
    QTRY_VERIFY(!consumer->consumerName().isEmpty());
    QCOMPARE(consumer->initialPending(), 5u);
    QCOMPARE(received->messages[3].data(), "3"_ba);
    QCOMPARE(received->messages[3].subject(), subject + ".odd");

    QVERIFY(publish(subject + ".live", "live") > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 6));
    QCOMPARE(caughtUp.size(), 1);
    QCOMPARE(consumer->resetCount(), 0);

    // Stopping deletes the consumer on the server.
    const QString consumerName = consumer->consumerName();
    consumer->stop();
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Stopped);
    QTRY_COMPARE(consumerInfoError(name, consumerName), NatsError::ConsumerNotFound);
    consumer->deleteLater();
}

// Review 6 F1: `kvdesk-cli ls` ends on the last delivery, which 2.10 may send before the create reply.
// The consumer was stopped with no name known yet: no CONSUMER.DELETE went, and it stayed on the server
// until its own clean-up 5 s later (a script listing in a loop kept dozens). Stopped, or superseded, before
// its create reply, a consumer is deleted all the same.
void tst_JsOrderedConsumer::stoppedBeforeItsCreateReplyItIsDeletedAnyway()
{
    const QString name = unique(u"SB"_s);
    const QByteArray subject = uniqueSubject("sb");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    QVERIFY(publish(subject + ".x", "x") > 0);
    // The connection hears its own requests (echo): the create's copy comes before its reply.
    NatsSubscription *creates = m_connection->subscribe("$JS.API.CONSUMER.CREATE.>"); // 2.9: no name after
    WAIT_OK(m_connection->flush());
    JsOrderedConsumer *consumer = startConsumer(name, subject + ".>", 5000);
    int seen = 0;
    connect(creates, &NatsSubscription::messageReceived, consumer, [consumer, &seen] {
        ++seen;
        consumer->stop();
    });
    QTRY_COMPARE(seen, 1);
    const auto consumers = [this, &name] {
        JsApiReply *info = m_js->streamInfo(name);
        const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 5000);
        info->deleteLater();
        return answered ? info->streamInfo().state.consumerCount : -1;
    };
    // The server's own clean-up of a consumer nobody listens to takes 5 s: well past this wait.
    QTRY_COMPARE_WITH_TIMEOUT(consumers(), 0, 2000);
    creates->deleteLater();
    consumer->deleteLater();
}

void tst_JsOrderedConsumer::orderedConsumerCaughtUpWhenEmpty()
{
    const QString name = unique(u"CE"_s);
    const QByteArray subject = uniqueSubject("ce");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    QVERIFY(publish(subject + ".x", "x") > 0);

    // Nothing matches the filter: caught up at once, from the create reply.
    JsOrderedConsumer *none = startConsumer(name, subject + ".nothing", 5000);
    QSignalSpy noneCaughtUp(none, &JsOrderedConsumer::caughtUp);
    QVERIFY(noneCaughtUp.wait());
    QVERIFY(!none->consumerName().isEmpty()); // only the create reply can say there is nothing
    QCOMPARE(none->initialPending(), 0u);

    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = subject + ".>";
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::New;
    JsOrderedConsumer *fresh = m_js->orderedConsumer(config);
    const auto received = collect(fresh);
    QSignalSpy freshCaughtUp(fresh, &JsOrderedConsumer::caughtUp);
    QVERIFY(freshCaughtUp.wait());
    QVERIFY(received->streamSequences.isEmpty());
    QVERIFY(publish(subject + ".y", "y") > 0);
    QTRY_COMPARE(received->streamSequences, QList<quint64>{2});
    delete none;
    delete fresh;
}

void tst_JsOrderedConsumer::orderedConsumerFlowControlBurst()
{
    // 200 x 60 KB while the consumer watches: without flow-control replies delivery stalls after ~35.
    constexpr int kMessages = 200;
    const QString name = unique(u"FC"_s);
    const QByteArray subject = uniqueSubject("fc");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsOrderedConsumer *consumer = startConsumer(name, subject, 5000);
    const auto received = collect(consumer);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());

    QList<JsApiReply *> publishes;
    for (int i = 0; i < kMessages; ++i) {
        QByteArray payload(60 * 1024, char('a' + i % 26));
        payload.replace(0, 8, QByteArray::number(i).rightJustified(8, '0'));
        publishes.append(m_js->publish(NatsMessage(subject, payload)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(received->streamSequences.size(), kMessages, 30000);
    QCOMPARE(received->streamSequences, range(1, kMessages));
    for (int i = 0; i < kMessages; ++i) {
        QCOMPARE(received->messages[i].data().size(), 60 * 1024);
        QCOMPARE(received->messages[i].data().left(8).toInt(), i);
    }
    QVERIFY2(consumer->flowControlCount() > 0, "the server never asked for flow control");
    QCOMPARE(consumer->resetCount(), 0);
    for (JsApiReply *reply : std::as_const(publishes))
        WAIT_OK(reply);
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerHeartbeats()
{
    const QString name = unique(u"HB"_s);
    const QByteArray subject = uniqueSubject("hb");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsOrderedConsumer *consumer = startConsumer(name, subject, 300);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    // Idle: heartbeats keep coming, and keep the consumer from being taken for dead.
    QTRY_VERIFY_WITH_TIMEOUT(consumer->heartbeatCount() >= 4, 5000);
    QCOMPARE(consumer->resetCount(), 0);
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Active);
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerMissedHeartbeat()
{
    const QString name = unique(u"MH"_s);
    const QByteArray subject = uniqueSubject("mh");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    for (int i = 0; i < 3; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    JsOrderedConsumer *consumer = startConsumer(name, subject, 300);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 3));
    // Deliveries may come before the create reply, which names the consumer.
    QTRY_VERIFY(!consumer->consumerName().isEmpty());
    const QString firstName = consumer->consumerName();

    // Delete the consumer behind its back: a push consumer says nothing, its heartbeats just stop. Its
    // info, asked at the first heartbeat missed, says it is gone (heartbeats that stop while the consumer
    // is there: tst_JsMisbehavingServer::silentConsumerIsMadeAgain).
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    WAIT_OK(m_js->deleteConsumer(name, firstName));
    QVERIFY(recovered.wait(5000));
    QCOMPARE(received->recoveries.size(), 1);
    QCOMPARE(received->recoveries.first(), u"the consumer is gone from the server"_s);
    QVERIFY(consumer->consumerName() != firstName);

    for (int i = 3; i < 6; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 6));
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerNewResumesWhereItStarted()
{
    // Deliver "new", nothing delivered yet, consumer lost, a message stored meanwhile: re-created as
    // "new" it would skip that message; it must resume right after where it first started.
    const QString name = unique(u"NR"_s);
    const QByteArray subject = uniqueSubject("nr");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    QVERIFY(publish(subject, "old") > 0);
    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = subject;
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::New;
    config.idleHeartbeatMs = 300;
    JsOrderedConsumer *consumer = m_js->orderedConsumer(config);
    const auto received = collect(consumer);
    QTRY_VERIFY(!consumer->consumerName().isEmpty());
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    WAIT_OK(m_js->deleteConsumer(name, consumer->consumerName()));
    QCOMPARE(publish(subject, "while lost"), 2u);
    QVERIFY(recovered.wait(5000));
    QTRY_COMPARE(received->streamSequences, QList<quint64>{2});
    QVERIFY(publish(subject, "after") > 0);
    QTRY_COMPARE(received->streamSequences, (QList<quint64>{2, 3}));
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerGap()
{
    const QString name = unique(u"GP"_s);
    const QByteArray subject = uniqueSubject("gp");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    for (int i = 0; i < 5; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    JsOrderedConsumer *consumer = startConsumer(name, subject, 5000);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 5));

    // A delivery whose consumer sequence skips ahead (7 where 6 is due): a message went missing on the
    // way. The server refuses $JS.ACK reply subjects from clients, so the lost message is simulated
    // where the connection hands deliveries over: on the consumer's own subscription.
    NatsSubscription *subscription = nullptr;
    for (NatsSubscription *candidate : m_connection->findChildren<NatsSubscription *>()) {
        if (candidate->isActive() && candidate->subject() == consumer->deliverSubject())
            subscription = candidate;
    }
    QVERIFY(subscription);
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    const NatsMessage forged(subject, "forged",
                             "$JS.ACK." + name.toUtf8() + '.' + consumer->consumerName().toUtf8()
                                 + ".1.99.7.1700000000000000000.0");
    Q_EMIT subscription->messageReceived(forged);
    QVERIFY(recovered.wait());
    QCOMPARE(received->recoveries.size(), 1);
    QVERIFY2(received->recoveries.first().contains(u"gap"_s), qPrintable(received->recoveries.first()));

    // Re-created from stream sequence 6: nothing lost, nothing twice, the forgery never delivered.
    for (int i = 5; i < 10; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 10));
    for (const NatsMessage &message : std::as_const(received->messages))
        QVERIFY(message.data() != "forged");
    QCOMPARE(consumer->resetCount(), 1);
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerHeartbeatMismatch()
{
    const QString name = unique(u"HM"_s);
    const QByteArray subject = uniqueSubject("hm");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    for (int i = 0; i < 2; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    JsOrderedConsumer *consumer = startConsumer(name, subject, 5000);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 2));

    // A heartbeat saying the server delivered more than arrived here.
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    NatsMessage heartbeat(consumer->deliverSubject(), {});
    heartbeat.headers().setStatus(100, "Idle Heartbeat");
    heartbeat.headers().append("Nats-Last-Consumer", "9");
    heartbeat.headers().append("Nats-Last-Stream", "9");
    QVERIFY(!m_connection->publish(heartbeat).isError());
    QVERIFY(recovered.wait());
    QVERIFY2(received->recoveries.first().contains(u"heartbeat"_s), qPrintable(received->recoveries.first()));
    QVERIFY(publish(subject, "2") > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 3));
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerLastPerSubjectReset()
{
    // Last per subject, reset after the first delivery (c at 1). Resuming "by_start_sequence 2" would
    // replay what is no subject's newest any more (a1, b1) and hand a out twice; it must deliver what the
    // last-per-subject view still owes, once each: a at 4 and b at 5.
    const QString name = unique(u"LP"_s);
    const QByteArray prefix = uniqueSubject("lp");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(prefix + ".*")})));
    const QList<QPair<QByteArray, QByteArray>> writes{{"c", "c1"}, {"a", "a1"}, {"b", "b1"}, {"a", "a2"}, {"b", "b2"}};
    for (const auto &[subject, data] : writes)
        QVERIFY(publish(prefix + '.' + subject, data) > 0);
    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = prefix + ".*";
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::LastPerSubject;
    JsOrderedConsumer *consumer = m_js->orderedConsumer(config);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    const auto received = collect(consumer);
    connect(consumer, &JsOrderedConsumer::messageReceived, this, [this, consumer, received] {
        if (received->streamSequences.size() == 1)
            QVERIFY(JsTest::forceGap(m_connection, consumer));
    });
    QTRY_COMPARE(caughtUp.size(), 1);
    QCOMPARE(consumer->resetCount(), 1);
    QCOMPARE(received->streamSequences, (QList<quint64>{1, 4, 5}));
    QCOMPARE(received->messages.last().data(), "b2"_ba);

    // Caught up, it goes on from the last delivery as before.
    QCOMPARE(publish(prefix + ".a", "a3"), 6u);
    QTRY_COMPARE(received->streamSequences, (QList<quint64>{1, 4, 5, 6}));
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerReconnect()
{
    // The server restarts (file store kept, in-memory consumer lost): re-created after the reconnect.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.reconnectWaitMs = 100;
    options.maxReconnectAttempts = -1;
    connection.connectToServer(options);
    QTRY_VERIFY(connection.isConnected());
    JetStreamContext js(&connection);
    JsStreamConfig config;
    config.name = u"RC"_s;
    config.subjects = {u"rc"_s};
    WAIT_OK(js.createStream(config));
    for (int i = 0; i < 3; ++i)
        WAIT_OK(js.publish(NatsMessage("rc", QByteArray::number(i))));

    JsOrderedConsumerConfig consumerConfig;
    consumerConfig.stream = u"RC"_s;
    consumerConfig.filterSubject = "rc";
    consumerConfig.idleHeartbeatMs = 1000;
    JsOrderedConsumer *consumer = js.orderedConsumer(consumerConfig);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 3));

    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    QVERIFY(server.kill());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(10000));
    QVERIFY(recovered.wait(10000));
    QVERIFY2(received->recoveries.first().contains(u"reconnect"_s), qPrintable(received->recoveries.first()));

    for (int i = 3; i < 6; ++i)
        WAIT_OK(js.publish(NatsMessage("rc", QByteArray::number(i))));
    QTRY_COMPARE(received->streamSequences, range(1, 6));
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerStreamDeleted()
{
    const QString name = unique(u"SD"_s);
    const QByteArray subject = uniqueSubject("sd");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsOrderedConsumer *consumer = startConsumer(name, subject, 300);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    // The stream goes: heartbeats stop, the consumer's info at the first one missed finds no stream, and
    // that is final. No recovery is tried first (it was, after two heartbeats missed).
    QSignalSpy failed(consumer, &JsOrderedConsumer::errorOccurred);
    QSignalSpy recovering(consumer, &JsOrderedConsumer::recovering);
    WAIT_OK(m_js->deleteStream(name));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().first().value<NatsError::Code>(), NatsError::StreamNotFound);
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Failed);
    QCOMPARE(recovering.count(), 0);
    QVERIFY(consumer->wasCreated());
    delete consumer;
}

void tst_JsOrderedConsumer::orderedConsumerConnectionClosed()
{
    const QString name = unique(u"CC"_s);
    const QByteArray subject = uniqueSubject("cc");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    NatsConnection connection;
    connection.connectToServer(NatsConnectOptions::fromUrl(m_server.url()));
    QTRY_VERIFY(connection.isConnected());
    JetStreamContext js(&connection);
    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = subject;
    JsOrderedConsumer *consumer = js.orderedConsumer(config);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    // Closed for good: the consumer says so instead of retrying forever.
    QSignalSpy failed(consumer, &JsOrderedConsumer::errorOccurred);
    connection.close();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(consumer->error(), NatsError::ConnectionClosed);
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Failed);
    delete consumer;
}

void tst_JsOrderedConsumer::deliveryInfo_data()
{
    // The ack subject of each delivery, read in place (v1 and v2 with domain and account hash).
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QByteArray>("domain");
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<quint64>("streamSequence");
    QTest::addColumn<qint64>("timestampNs");
    QTest::addColumn<quint64>("pending");
    QTest::newRow("v1") << "$JS.ACK.KV_b.c1.1.42.7.1700000000000000000.3"_ba << true << QByteArray() << "KV_b"_ba
                        << quint64(42) << qint64(1700000000000000000) << quint64(3);
    QTest::newRow("v2") << "$JS.ACK.hub.ACCHASH.S.c.2.18446744073709551615.1.-5.0.tok"_ba << true << "hub"_ba
                        << "S"_ba << quint64(18446744073709551615ull) << qint64(-5) << quint64(0);
    QTest::newRow("v2 no domain") << "$JS.ACK._.H.S.c.1.9.1.5.0"_ba << true << QByteArray() << "S"_ba << quint64(9)
                                  << qint64(5) << quint64(0);
    QTest::newRow("ten tokens") << "$JS.ACK.S.c.1.9.1.5.0.x"_ba << false << QByteArray() << QByteArray() << quint64(0)
                                << qint64(0) << quint64(0);
    QTest::newRow("not a number") << "$JS.ACK.S.c.1.x.1.5.0"_ba << false << QByteArray() << QByteArray() << quint64(0)
                                  << qint64(0) << quint64(0);
    QTest::newRow("overflow") << "$JS.ACK.S.c.1.18446744073709551616.1.5.0"_ba << false << QByteArray() << QByteArray()
                              << quint64(0) << qint64(0) << quint64(0);
    QTest::newRow("empty token") << "$JS.ACK.S.c.1..1.5.0"_ba << false << QByteArray() << QByteArray() << quint64(0)
                                 << qint64(0) << quint64(0);
    QTest::newRow("not an ack") << "_INBOX.a.b.c.d.e.f.g.h"_ba << false << QByteArray() << QByteArray() << quint64(0)
                                << qint64(0) << quint64(0);
}

void tst_JsOrderedConsumer::deliveryInfo()
{
    QFETCH(QByteArray, subject);
    QFETCH(bool, valid);
    JsDeliveryInfo info;
    QCOMPARE(JsDeliveryInfo::parse(subject, &info), valid);
    if (!valid)
        return;
    QFETCH(QByteArray, domain);
    QFETCH(QByteArray, stream);
    QFETCH(quint64, streamSequence);
    QFETCH(qint64, timestampNs);
    QFETCH(quint64, pending);
    QCOMPARE(info.domain, domain);
    QCOMPARE(info.stream, stream);
    QCOMPARE(info.streamSequence, streamSequence);
    QCOMPARE(info.timestampNs, timestampNs);
    QCOMPARE(info.pending, pending);
}

QTEST_GUILESS_MAIN(tst_JsOrderedConsumer)

#include "tst_jsorderedconsumer.moc"
