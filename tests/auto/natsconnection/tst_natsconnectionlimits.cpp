#include "natsconnection.h"
#include "natsprotocol.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"
#include "natstestsupport.h"

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
    void invalidSubjects_data();
    void invalidSubjects();
    void invalidQueueGroup();
    void controlLineTooLong();
    void subscribeControlLineTooLong();

private:
    NatsServerProcess m_server;
    NatsServerProcess m_limitedServer; // max_payload: 4096
};

void tst_NatsConnectionLimits::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    NatsServerProcess::Options limited;
    limited.config = "max_payload: 4096\n"_ba;
    limited.jetStream = false;
    limited.name = u"limited"_s;
    QVERIFY2(m_limitedServer.start(limited), qPrintable(m_limitedServer.errorString()));
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
