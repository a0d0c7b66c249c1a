#include "natsconnection.h"
#include "natsprotocol.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The core client against a real nats-server (docs/nats-protocol.md §1): headers, and the limits the
// client must enforce itself before anything is sent (payload size, subjects, queue groups, the
// server's control line).

using NatsTest::connectTo;
using NatsTest::messagesOf;
using NatsTest::waitForConnected;

namespace {

QByteArray allBytes()
{
    QByteArray bytes(256, '\0');
    for (int i = 0; i < 256; ++i)
        bytes[i] = char(i);
    return bytes;
}

} // namespace

class tst_NatsConnectionLimits final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void headersRoundTrip_data();
    void headersRoundTrip();
    void invalidHeader_data();
    void invalidHeader();
    void maxPayload_data();
    void maxPayload();
    void largeMessagesRoundTrip();
    void invalidSubjects_data();
    void invalidSubjects();
    void invalidQueueGroup();
    void controlLineTooLong();
    void subscribeControlLineTooLong();

private:
    NatsServerProcess m_server;
    NatsServerProcess m_limitedServer; // max_payload: 4096
    NatsServerProcess m_largeServer;   // max_payload: 8MB
};

void tst_NatsConnectionLimits::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    NatsServerProcess::Options limited;
    limited.config = "max_payload: 4096\n"_ba;
    limited.jetStream = false;
    limited.name = u"limited"_s;
    QVERIFY2(m_limitedServer.start(limited), qPrintable(m_limitedServer.errorString()));
    NatsServerProcess::Options large;
    large.config = "max_payload: 8MB\n"_ba;
    large.name = u"large"_s;
    QVERIFY2(m_largeServer.start(large), qPrintable(m_largeServer.errorString()));
}

void tst_NatsConnectionLimits::headersRoundTrip_data()
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

void tst_NatsConnectionLimits::headersRoundTrip()
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

void tst_NatsConnectionLimits::invalidHeader_data()
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

void tst_NatsConnectionLimits::invalidHeader()
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

void tst_NatsConnectionLimits::maxPayload_data()
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

void tst_NatsConnectionLimits::maxPayload()
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

void tst_NatsConnectionLimits::largeMessagesRoundTrip()
{
    // The client bounds what it buffers per message by its own limit, not the server's word; a server
    // that allows large messages must still get them through: a 4 MiB message, and a message of nearly
    // max_payload read back with STREAM.MSG.GET, whose reply carries it base64-encoded (a third larger).
    QObject scope;
    NatsConnection *sender = connectTo(m_largeServer.url(), &scope);
    NatsConnection *receiver = connectTo(m_largeServer.url(), &scope);
    QVERIFY(waitForConnected(sender));
    QVERIFY(waitForConnected(receiver));
    QVERIFY2(sender->maxPayload() >= 8000000, qPrintable(QString::number(sender->maxPayload())));
    NatsSubscription *subscription = receiver->subscribe("big.x");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QVERIFY(NatsTest::flushed(receiver));

    QByteArray payload(4 * 1024 * 1024, '\0');
    for (qsizetype i = 0; i < payload.size(); ++i)
        payload[i] = char((i * 7) % 251);
    NatsMessage message("big.x", payload);
    message.headers().set("Big", "yes");
    QCOMPARE(sender->publish(message).code(), NatsError::NoError);
    QVERIFY(messages.wait(10000));
    const NatsMessage received = messages.first().first().value<NatsMessage>();
    QCOMPARE(received.data().size(), payload.size());
    QVERIFY(received.data() == payload);
    QCOMPARE(received.headers().value("Big"), "yes"_ba);

    const auto call = [sender](const QByteArray &subject, const QByteArray &body) {
        NatsReply *reply = sender->request(subject, body, 10000);
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 15000))
            reply->abort();
        return reply;
    };
    NatsReply *created = call("$JS.API.STREAM.CREATE.BIG", R"({"name":"BIG","subjects":["bigstore.>"]})");
    QVERIFY2(created->error() == NatsError::NoError && !created->message().data().contains("\"error\""),
             qPrintable(created->errorString() + QString::fromUtf8(created->message().data())));
    const QByteArray nearlyMax = payload.repeated(2).left(sender->maxPayload() - 1024);
    NatsReply *stored = call("bigstore.one", nearlyMax);
    QVERIFY2(stored->error() == NatsError::NoError && stored->message().data().contains("\"seq\":1"),
             qPrintable(stored->errorString() + QString::fromUtf8(stored->message().data())));
    NatsReply *got = call("$JS.API.STREAM.MSG.GET.BIG", R"({"seq":1})");
    QCOMPARE(got->error(), NatsError::NoError);
    QVERIFY2(got->message().data().size() > nearlyMax.size() * 4 / 3,
             qPrintable(QString::number(got->message().data().size())));
    const QJsonObject answer = QJsonDocument::fromJson(got->message().data()).object();
    const QByteArray data = answer.value("message"_L1).toObject().value("data"_L1).toString().toLatin1();
    QVERIFY(QByteArray::fromBase64(data) == nearlyMax);
    QVERIFY(sender->isConnected());
}

void tst_NatsConnectionLimits::invalidSubjects_data()
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

void tst_NatsConnectionLimits::invalidSubjects()
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

void tst_NatsConnectionLimits::invalidQueueGroup()
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

void tst_NatsConnectionLimits::controlLineTooLong()
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

void tst_NatsConnectionLimits::subscribeControlLineTooLong()
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

QTEST_GUILESS_MAIN(tst_NatsConnectionLimits)

#include "tst_natsconnectionlimits.moc"
