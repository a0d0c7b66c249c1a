#include "natsconnection.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtNetwork/QTcpSocket>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Publishes are batched: encoded into a buffer of the connection and handed to the socket once per
// event-loop turn, or at once past a size. What the batch must keep: the order of everything written,
// flush() covering the batch, and a request whose bytes are still in the batch counting as not sent.

using NatsTest::connectTo;
using NatsTest::messagesOf;
using NatsTest::waitForConnected;

namespace {

// A JetStream API call (one try); its answer, or an empty object with *problem saying why.
QJsonObject jsApi(NatsConnection *connection, const QByteArray &subject, const QByteArray &body, QString *problem)
{
    NatsReply *reply = connection->request(subject, body, 5000);
    QScopedPointer<NatsReply> owner(reply);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000) || reply->error() != NatsError::NoError) {
        *problem = reply->errorString();
        return {};
    }
    const QJsonObject answer = QJsonDocument::fromJson(reply->message().data()).object();
    if (answer.contains("error"_L1)) {
        *problem = QString::fromUtf8(reply->message().data());
        return {};
    }
    return answer;
}

} // namespace

class tst_NatsConnectionBatch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void orderAcrossBatchBoundaries();
    void flushPushesTheBatch();
    void requestTimedOutInTheBatchDuringReconnectIsWithdrawn();
    void aBurstIsReadInBoundedRounds();
    void aSubjectPublishedBeforeIsComparedNotTrusted();
    void aStalledServerBoundsTheWriteBuffer();

private:
    NatsServerProcess m_server;
};

void tst_NatsConnectionBatch::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

void tst_NatsConnectionBatch::orderAcrossBatchBoundaries()
{
    // Several batches' worth (a batch goes out at 64 KiB) written without the event loop running, with
    // a PING (flush()) and a SUB in the middle: everything arrives once, in the order it was written.
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *first = connection->subscribe("batch.order.a");
    QSignalSpy firstReceived(first, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(connection));

    constexpr int Count = 3000;
    constexpr int FlushAt = Count / 3;
    constexpr int SubscribeAt = 2 * Count / 3;
    const QByteArray padding(100, 'p');
    NatsReply *midway = nullptr;
    NatsSubscription *second = nullptr;
    for (int i = 0; i < Count; ++i) {
        QCOMPARE(connection->publish("batch.order.a", QByteArray::number(i) + ' ' + padding).code(),
                 NatsError::NoError);
        if (i == FlushAt)
            midway = connection->flush();
        if (i == SubscribeAt)
            second = connection->subscribe("batch.order.a");
    }
    QVERIFY(connection->bytesToWrite() > 0);
    // The PING went after the publishes before it: they are all back when its PONG is.
    int receivedAtMidway = -1;
    connect(midway, &NatsReply::finished, this, [&] { receivedAtMidway = int(firstReceived.size()); });
    // The SUB went after the publishes before it: it gets only those written after it.
    QSignalSpy secondReceived(second, &NatsSubscription::messageReceived);

    QVERIFY(NatsTest::flushed(connection));
    QTRY_COMPARE(firstReceived.size(), Count);
    const QList<NatsMessage> messages = messagesOf(firstReceived);
    for (int i = 0; i < Count; ++i)
        QCOMPARE(messages.at(i).data().split(' ').first().toInt(), i);
    QCOMPARE(midway->error(), NatsError::NoError);
    QVERIFY2(receivedAtMidway >= FlushAt + 1, qPrintable(QString::number(receivedAtMidway)));
    QTRY_COMPARE(secondReceived.size(), Count - SubscribeAt - 1);
    QCOMPARE(messagesOf(secondReceived).first().data().split(' ').first().toInt(), SubscribeAt + 1);
}

void tst_NatsConnectionBatch::flushPushesTheBatch()
{
    // flush() promises the server has handled everything published before it when it finishes: its
    // PING goes after the batch, so the messages routed back to this connection come before the PONG.
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    NatsSubscription *subscription = connection->subscribe("batch.flush");
    QSignalSpy received(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(connection));

    for (int i = 0; i < 10; ++i)
        QCOMPARE(connection->publish("batch.flush", QByteArray::number(i)).code(), NatsError::NoError);
    QVERIFY(connection->bytesToWrite() > 0); // still batched
    NatsReply *reply = connection->flush();
    int receivedWhenFlushed = -1;
    connect(reply, &NatsReply::finished, this, [&] { receivedWhenFlushed = int(received.size()); });
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->error(), NatsError::NoError);
    QCOMPARE(receivedWhenFlushed, 10);
}

void tst_NatsConnectionBatch::requestTimedOutInTheBatchDuringReconnectIsWithdrawn()
{
    // The connection drops while a request's bytes are still in the batch: they never reached the
    // socket, so the request is not "sent" (no OutcomeUnknown); it waits for the next connection, and
    // timing out first it is withdrawn, never sent later. Another one in the same batch goes out on
    // the reconnect. A stream counts what reached the server, across the restart.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.reconnectWaitMs = 50;
    options.reconnectJitterMs = 0;
    options.maxReconnectAttempts = -1;
    NatsConnection connection;
    connection.connectToServer(options);
    QVERIFY(waitForConnected(&connection));
    QString problem;
    QVERIFY2(
        !jsApi(&connection, "$JS.API.STREAM.CREATE.BW", R"({"name":"BW","subjects":["bw.>"]})", &problem).isEmpty(),
        qPrintable(problem));
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    auto *socket = connection.findChild<QTcpSocket *>();
    QVERIFY(socket);

    QVERIFY(server.kill());
    // The event loop has not run since: the connection does not know yet, and both go into the batch.
    QCOMPARE(connection.state(), NatsConnection::State::Connected);
    NatsReply *timedOut = connection.request("bw.timedout", "must not land", 200);
    NatsReply *kept = connection.request("bw.kept", "lands", 60000);
    QVERIFY(connection.bytesToWrite() > 0);
    QSignalSpy timedOutErrors(timedOut, &NatsReply::errorOccurred);
    // Noticed now, before the batch's turn ends (abort() reports the disconnect at once).
    socket->abort();
    QCOMPARE(connection.state(), NatsConnection::State::Reconnecting);
    QVERIFY2(!timedOut->isFinished(), qPrintable(timedOut->errorString())); // not sent: no OutcomeUnknown
    QVERIFY2(!kept->isFinished(), qPrintable(kept->errorString()));

    QVERIFY(timedOutErrors.wait());
    QCOMPARE(timedOut->error(), NatsError::Timeout);
    QVERIFY2(timedOut->errorString().contains(u"not sent"_s), qPrintable(timedOut->errorString()));
    QVERIFY(!kept->isFinished());

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(15000));
    QTRY_VERIFY_WITH_TIMEOUT(kept->isFinished(), 10000);
    QCOMPARE(kept->error(), NatsError::NoError); // the stream's ack
    QVERIFY(NatsTest::flushed(&connection));
    const QJsonObject info = jsApi(&connection, "$JS.API.STREAM.INFO.BW", {}, &problem);
    QVERIFY2(!info.isEmpty(), qPrintable(problem));
    QCOMPARE(info.value("state"_L1).toObject().value("messages"_L1).toInt(), 1);
    const QJsonObject stored = jsApi(&connection, "$JS.API.STREAM.MSG.GET.BW", R"({"seq":1})", &problem);
    QCOMPARE(stored.value("message"_L1).toObject().value("subject"_L1).toString(), u"bw.kept"_s);
}

void tst_NatsConnectionBatch::aBurstIsReadInBoundedRounds()
{
    // A subscriber that falls behind (its handler holds the event loop while a burst arrives) takes the
    // burst in rounds of a bounded size and leaves the rest to the kernel and TCP's flow control, instead
    // of reading as much as the socket takes at once (1 MiB a read in Qt 6.4) and copying all of it into
    // the parser (issue 13's core publish + subscribe peak). Nothing is lost or reordered by reading less.
    QObject scope;
    NatsConnection *subscriber = connectTo(m_server.url(), &scope);
    NatsConnection *publisher = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(subscriber));
    QVERIFY(waitForConnected(publisher));
    NatsSubscription *subscription = subscriber->subscribe("batch.burst");
    QVERIFY(NatsTest::flushed(subscriber));

    constexpr int Count = 20000;
    const QByteArray padding(400, 'p'); // some 8 MiB in all
    int received = 0;
    int outOfOrder = 0;
    qint64 mostBuffered = 0;
    bool burstSent = false;
    connect(subscription, &NatsSubscription::messageReceived, this, [&](const NatsMessage &message) {
        if (message.data().split(' ').first().toInt() != received)
            ++outOfOrder;
        ++received;
        mostBuffered = std::max(mostBuffered, subscriber->bytesToRead());
        if (burstSent)
            return;
        burstSent = true;
        // Inside the first message's handler: the rest is published, routed and arrives meanwhile.
        for (int i = 1; i < Count; ++i)
            (void)publisher->publish("batch.burst", QByteArray::number(i) + ' ' + padding);
        NatsReply *routed = publisher->flush(20000);
        if (!QTest::qWaitFor([routed] { return routed->isFinished(); }, 20000))
            ++outOfOrder; // counted as a failure below
        mostBuffered = std::max(mostBuffered, subscriber->bytesToRead());
    });
    QCOMPARE(publisher->publish("batch.burst", "0 "_ba + padding).code(), NatsError::NoError);
    QTRY_COMPARE_WITH_TIMEOUT(received, Count, 20000);
    QCOMPARE(outOfOrder, 0);
    QVERIFY2(mostBuffered <= 768 * 1024, qPrintable(u"%1 bytes read ahead"_s.arg(mostBuffered)));
}

void tst_NatsConnectionBatch::aSubjectPublishedBeforeIsComparedNotTrusted()
{
    // publish() skips checking a subject that passed last time: by its bytes, not by where they are, so
    // a buffer changed in place, or another subject of the same size, is checked again.
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QVERIFY(waitForConnected(connection));
    QCOMPARE(connection->publish({}, "0").code(), NatsError::InvalidSubject); // none passed yet: an empty one neither
    QByteArray subject = "a.b"_ba;
    subject.detach();
    QCOMPARE(connection->publish(subject, "1").code(), NatsError::NoError);
    QCOMPARE(connection->publish(subject, "2").code(), NatsError::NoError);
    subject[1] = ' ';
    QCOMPARE(connection->publish(subject, "3").code(), NatsError::InvalidSubject);
    QCOMPARE(connection->publish("a.>", "4").code(), NatsError::InvalidSubject);
    QCOMPARE(connection->publish("a..", "5").code(), NatsError::InvalidSubject);
    QCOMPARE(connection->publish("a.b", "6", "r .x").code(), NatsError::InvalidSubject);
    QCOMPARE(connection->publish("a.b", QByteArray(int(connection->maxPayload()) + 1, 'x')).code(),
             NatsError::PayloadTooLarge);
    QCOMPARE(connection->publish("a.b", "7").code(), NatsError::NoError);
}

void tst_NatsConnectionBatch::aStalledServerBoundsTheWriteBuffer()
{
    // A server that stops reading (frozen here) fills the kernel's buffers; then the socket's buffer in
    // the process would grow with every publish. Past writeBufferSize a publish waits (writeTimeoutMs)
    // for the kernel to take bytes, then is refused, not queued: the buffer stays bounded, and what was
    // accepted all arrives once the server reads again, nothing refused among it.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QObject scope;
    NatsConnection *subscriber = connectTo(server.url(), &scope);
    NatsConnectOptions options;
    options.writeBufferSize = 512 * 1024;
    options.writeTimeoutMs = 300;
    options.pingIntervalMs = 60 * 1000; // the frozen server must not look stale meanwhile
    NatsConnection *publisher = connectTo(server.url(), &scope, options);
    QVERIFY(waitForConnected(subscriber));
    QVERIFY(waitForConnected(publisher));
    NatsSubscription *subscription = subscriber->subscribe("batch.stalled");
    QVERIFY(NatsTest::flushed(subscriber));
    int received = 0;
    connect(subscription, &NatsSubscription::messageReceived, this, [&received] { ++received; });

    QVERIFY(server.freeze());
    const QByteArray value(1024, 'v');
    int accepted = 0;
    NatsError refused;
    qint64 mostWaiting = 0;
    // The kernel takes some megabytes first (both ends' socket buffers); at most 256 MiB are tried.
    for (int i = 0; i < 256 * 1024 && !refused.isError(); ++i) {
        refused = publisher->publish("batch.stalled", value);
        if (!refused.isError())
            ++accepted;
        mostWaiting = std::max(mostWaiting, publisher->bytesToWrite());
    }
    QVERIFY(server.thaw());
    QCOMPARE(refused.code(), NatsError::WriteBufferFull);
    QVERIFY2(refused.message().contains("not sent"_L1), qPrintable(refused.message()));
    // The bound, a batch (64 KiB) and one message.
    QVERIFY2(mostWaiting <= options.writeBufferSize + 64 * 1024 + 2048,
             qPrintable(u"%1 bytes waiting"_s.arg(mostWaiting)));
    QCOMPARE(publisher->state(), NatsConnection::State::Connected);
    QVERIFY(NatsTest::flushed(publisher));
    QTRY_COMPARE_WITH_TIMEOUT(received, accepted, 20000);
    QVERIFY(NatsTest::flushed(subscriber)); // and no more than that
    QCOMPARE(received, accepted);
}

QTEST_GUILESS_MAIN(tst_NatsConnectionBatch)

#include "tst_natsconnectionbatch.moc"
