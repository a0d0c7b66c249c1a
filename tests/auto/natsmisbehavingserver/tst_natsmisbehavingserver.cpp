#include "fakenatsserver.h"
#include "natsconnection.h"
#include "natsreply.h"
#include "natssubscription.h"
#include "natstestsupport.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// What a real nats-server never sends, from a scripted fake (tests/shared/fakenatsserver): malformed and
// oversized protocol. Each case must end in one clear ProtocolError and a clean close, never a crash, a
// hang, or a connection that claims to be connected without a socket.

class tst_NatsMisbehavingServer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void brokenProtocol_data();
    void brokenProtocol();
    void brokenProtocolWithReconnect();
    void malformedResponseFailsTheRequest_data();
    void malformedResponseFailsTheRequest();
    void silentServer();
    void serverClosesDuringHandshake();
    void answersServerPing();
    void messageForUnknownSubscription();
    void asyncInfo();
};

void tst_NatsMisbehavingServer::brokenProtocol_data()
{
    QTest::addColumn<QByteArray>("greeting");     // empty: a valid INFO
    QTest::addColumn<QByteArray>("afterConnect"); // sent once the handshake's PING was answered
    QTest::addColumn<NatsError::Code>("expected");
    QTest::addColumn<QString>("expectedText"); // in errorString()

    const QByteArray none;
    const NatsError::Code protocol = NatsError::ProtocolError;

    QTest::newRow("garbage op") << none << "FOO bar\r\n"_ba << protocol << u"unknown protocol operation \"FOO bar\""_s;
    QTest::newRow("binary garbage") << none << "\x01\x02\xff\xfe\r\n"_ba << protocol << u"unknown protocol operation"_s;
    QTest::newRow("MSG with a bad size") << none << "MSG foo 1 abc\r\nabc\r\n"_ba << protocol
                                         << u"invalid size \"abc\""_s;
    QTest::newRow("MSG with a negative size") << none << "MSG foo 1 -3\r\nabc\r\n"_ba << protocol << u"invalid size"_s;
    QTest::newRow("MSG with too few arguments") << none << "MSG foo\r\n"_ba << protocol << u"MSG with 1 arguments"_s;
    QTest::newRow("MSG with too many arguments")
        << none << "MSG a 1 b c 5\r\nhello\r\n"_ba << protocol << u"MSG with 5 arguments"_s;
    QTest::newRow("MSG with a bad sid") << none << "MSG foo x 3\r\nabc\r\n"_ba << protocol
                                        << u"invalid subscription id"_s;
    QTest::newRow("MSG payload longer than its size")
        << none << "MSG foo 1 3\r\nabcdef\r\n"_ba << protocol << u"not followed by CRLF"_s;
    QTest::newRow("HMSG header larger than total") << none << "HMSG foo 1 20 10\r\nNATS/1.0\r\n\r\n\r\n"_ba << protocol
                                                   << u"header size 20 larger than total size 10"_s;
    QTest::newRow("payload size over the cap")
        << none << "MSG foo 1 999999999999\r\n"_ba << protocol << u"exceeds the limit"_s;
    // The size limit is the client's: an INFO announcing a huge max_payload does not lift it, and a
    // size past it is refused from the control line, before any of the payload is buffered.
    QByteArray hugeInfo = FakeNatsServer::defaultInfo(0);
    hugeInfo.replace("\"max_payload\":1048576", "\"max_payload\":1000000000000");
    QTest::newRow("payload size over the cap, INFO max_payload 10^12")
        << hugeInfo << "MSG foo 1 999999999999\r\n"_ba + QByteArray(4 * 1024 * 1024, 'x') << protocol
        << u"999999999999"_s;
    QTest::newRow("HMSG size over the cap, INFO max_payload 10^12")
        << hugeInfo << "HMSG foo 1 12 500000000\r\nNATS/1.0\r\n\r\n"_ba << protocol << u"500000000"_s;
    QTest::newRow("oversized control line without CRLF")
        << none << QByteArray(200 * 1024, 'A') << protocol << u"control line longer than"_s;
    QTest::newRow("LF without CR") << none << "PING\n"_ba << protocol << u"not terminated by CRLF"_s;
    QTest::newRow("PONG with arguments") << none << "PONG now\r\n"_ba << protocol << u"unexpected arguments"_s;
    QTest::newRow("INFO not JSON") << "INFO {not json\r\n"_ba << none << protocol << u"not valid JSON"_s;
    QTest::newRow("INFO a JSON array") << "INFO [1,2,3]\r\n"_ba << none << protocol << u"not valid JSON"_s;
    QTest::newRow("INFO without body") << "INFO\r\n"_ba << none << protocol << u"INFO without a JSON body"_s;
    QTest::newRow("no INFO, something else")
        << "HELLO there\r\n"_ba << none << protocol << u"unknown protocol operation"_s;
    QTest::newRow("oversized greeting") << QByteArray(200 * 1024, 'I') << none << protocol
                                        << u"control line longer than"_s;
    // A later INFO (cluster changes, lame duck mode) can be broken too.
    QTest::newRow("async INFO not JSON") << none << "INFO {\"connect_urls\":[\r\n"_ba << protocol
                                         << u"not valid JSON"_s;
    // -ERR texts that close the connection are server errors, not protocol errors.
    QTest::newRow("-ERR unknown text") << none << "-ERR 'Something Odd'\r\n"_ba << NatsError::ServerError
                                       << u"Something Odd"_s;
    QTest::newRow("-ERR stale connection")
        << none << "-ERR 'Stale Connection'\r\n"_ba << NatsError::StaleConnection << u"Stale Connection"_s;
}

void tst_NatsMisbehavingServer::brokenProtocol()
{
    QFETCH(QByteArray, greeting);
    QFETCH(QByteArray, afterConnect);
    QFETCH(NatsError::Code, expected);
    QFETCH(QString, expectedText);

    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    if (!greeting.isEmpty())
        server.setGreeting(greeting);
    server.setAfterConnect(afterConnect);

    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.allowReconnect = false;
    NatsConnection connection;
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy closed(&connection, &NatsConnection::closed);
    QSignalSpy connected(&connection, &NatsConnection::connected);
    connection.connectToServer(options);
    NatsSubscription *subscription = connection.subscribe("any.thing");
    QSignalSpy ended(subscription, &NatsSubscription::unsubscribed);

    QVERIFY(closed.wait(5000));
    QCOMPARE(closed.count(), 1);
    QCOMPARE(NatsTest::codesOf(errors), QList<NatsError::Code>{expected});
    QCOMPARE(connection.error(), expected);
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
    const QString message = connection.errorString();
    QVERIFY2(message.contains(expectedText), qPrintable(message));
    QVERIFY2(message.contains(QString::number(server.port())), qPrintable(message));
    QCOMPARE(ended.count(), 1);
    // Cases after the handshake got as far as connected(); the others never did.
    QCOMPARE(connected.count(), afterConnect.isEmpty() ? 0 : 1);
    // The client let go of the socket.
    QTRY_COMPARE(server.openConnections(), 0);
    QCOMPARE(server.connectionCount(), 1);
    QCOMPARE(connection.publish("x", "y").code(), NatsError::ConnectionClosed);
}

void tst_NatsMisbehavingServer::brokenProtocolWithReconnect()
{
    // With reconnects on, the first error is still reported, the client reconnects (the fake takes it
    // back and misbehaves again), and close() ends it all.
    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.setAfterConnect("MSG foo 1 abc\r\n"_ba);
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.reconnectWaitMs = 50;
    options.reconnectJitterMs = 0;
    NatsConnection connection;
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    QSignalSpy closed(&connection, &NatsConnection::closed);
    connection.connectToServer(options);

    QVERIFY(errors.wait(5000));
    QCOMPARE(NatsTest::codesOf(errors).first(), NatsError::ProtocolError);
    QVERIFY2(connection.errorString().contains(u"invalid size"_s), qPrintable(connection.errorString()));
    QTRY_VERIFY(reconnected.count() >= 1);
    QTRY_VERIFY(server.connectionCount() >= 2);
    QCOMPARE(closed.count(), 0);
    for (const NatsError::Code code : NatsTest::codesOf(errors))
        QCOMPARE(code, NatsError::ProtocolError);

    connection.close();
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
    QCOMPARE(closed.count(), 1);
    QTRY_COMPARE(server.openConnections(), 0);
}

void tst_NatsMisbehavingServer::malformedResponseFailsTheRequest_data()
{
    QTest::addColumn<QByteArray>("sizes"); // what follows "<reply> <sid> " on the MSG/HMSG line
    QTest::addColumn<bool>("withHeaders");
    QTest::addColumn<QString>("expectedText");

    QTest::newRow("negative size") << "-3"_ba << false << u"invalid size \"-3\""_s;
    QTest::newRow("non-numeric size") << "3x"_ba << false << u"invalid size \"3x\""_s;
    QTest::newRow("header size larger than total") << "20 10"_ba << true << u"header size 20 larger"_s;
    QTest::newRow("negative header size") << "-1 10"_ba << true << u"invalid size \"-1\""_s;
    QTest::newRow("size over the cap") << "999999999999"_ba << false << u"999999999999"_s;
}

void tst_NatsMisbehavingServer::malformedResponseFailsTheRequest()
{
    // The answer to a pending request is broken. The client drops the connection (and, reconnects
    // being on, comes back); the request must end at once with the protocol error, not wait for its
    // timeout and report "timed out" as though nothing had happened.
    QFETCH(QByteArray, sizes);
    QFETCH(bool, withHeaders);
    QFETCH(QString, expectedText);

    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.reconnectWaitMs = 50;
    options.reconnectJitterMs = 0;
    NatsConnection connection;
    QSignalSpy connected(&connection, &NatsConnection::connected);
    connection.connectToServer(options);
    QVERIFY(connected.wait(5000));

    // The payload has no line break: the fake reads what clients send as lines.
    NatsReply *request = connection.request("svc.x", "q", 4000);
    QSignalSpy requestErrors(request, &NatsReply::errorOccurred);
    QByteArray sub;
    QByteArray pub;
    QVERIFY(QTest::qWaitFor([&] {
        for (const QByteArray &line : server.received().split('\n')) {
            if (line.startsWith("SUB _INBOX."))
                sub = line.trimmed();
            else if (line.startsWith("PUB svc.x "))
                pub = line.trimmed();
        }
        return !sub.isEmpty() && !pub.isEmpty();
    }));
    const QByteArray sid = sub.split(' ').last();
    const QByteArray replyTo = pub.split(' ').value(2);
    server.sendToClients((withHeaders ? "HMSG "_ba : "MSG "_ba) + replyTo + ' ' + sid + ' ' + sizes + "\r\n");

    QVERIFY(requestErrors.wait(3000));
    QCOMPARE(request->error(), NatsError::ProtocolError);
    QVERIFY2(request->errorString().contains(expectedText), qPrintable(request->errorString()));
    QVERIFY2(request->errorString().contains(u"svc.x"_s), qPrintable(request->errorString()));
    connection.close();
}

void tst_NatsMisbehavingServer::silentServer()
{
    // Accepts TCP but never sends INFO.
    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.setGreeting({});
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.connectTimeoutMs = 300;
    NatsConnection connection;
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy closed(&connection, &NatsConnection::closed);
    connection.connectToServer(options);
    QVERIFY(closed.wait(5000));
    QCOMPARE(NatsTest::codesOf(errors), QList<NatsError::Code>{NatsError::ConnectionTimeout});
    QVERIFY2(connection.errorString().contains(QString::number(server.port())), qPrintable(connection.errorString()));
    QTRY_COMPARE(server.openConnections(), 0);
}

void tst_NatsMisbehavingServer::serverClosesDuringHandshake()
{
    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    // INFO, then hang up instead of answering CONNECT/PING.
    connect(&server, &FakeNatsServer::clientConnected, &server, &FakeNatsServer::disconnectClients);
    NatsConnection connection;
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy closed(&connection, &NatsConnection::closed);
    connection.connectToServer(NatsConnectOptions::fromUrl(server.url()));
    QVERIFY(closed.wait(5000));
    QCOMPARE(errors.count(), 1);
    QCOMPARE(connection.state(), NatsConnection::State::Closed);
    QVERIFY(connection.error() == NatsError::ConnectionLost || connection.error() == NatsError::SocketError);
}

void tst_NatsMisbehavingServer::answersServerPing()
{
    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NatsConnection connection;
    QSignalSpy connected(&connection, &NatsConnection::connected);
    connection.connectToServer(NatsConnectOptions::fromUrl(server.url()));
    QVERIFY(connected.wait(5000));
    const QByteArray handshake = server.received();
    QVERIFY2(handshake.startsWith("CONNECT {"), handshake.constData());
    QVERIFY(handshake.endsWith("\r\nPING\r\n"));
    QVERIFY(handshake.contains("\"headers\":true"));
    QVERIFY(handshake.contains("\"no_responders\":true"));
    QVERIFY(handshake.contains("\"protocol\":1"));

    // Ping split across writes, lower case: the client answers PONG all the same.
    server.sendToClients("PI"_ba);
    QVERIFY(QTest::qWaitFor([&connection] { return connection.isConnected(); }));
    server.sendToClients("NG\r\nping\r\n"_ba);
    QTRY_COMPARE(server.received().count("PONG\r\n"), 2);
    QVERIFY(connection.isConnected());
}

void tst_NatsMisbehavingServer::messageForUnknownSubscription()
{
    // A MSG for a sid the client never used is ignored; the connection goes on.
    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    server.setAfterConnect("MSG foo 999 5\r\nhello\r\nHMSG bar 998 12 12\r\nNATS/1.0\r\n\r\n\r\n"_ba);
    NatsConnection connection;
    QSignalSpy errors(&connection, &NatsConnection::errorOccurred);
    QSignalSpy connected(&connection, &NatsConnection::connected);
    connection.connectToServer(NatsConnectOptions::fromUrl(server.url()));
    QVERIFY(connected.wait(5000));
    NatsReply *flush = connection.flush();
    QSignalSpy flushed(flush, &NatsReply::finished);
    QVERIFY(flushed.wait());
    QCOMPARE(flush->error(), NatsError::NoError);
    QCOMPARE(errors.count(), 0);
    QCOMPARE(connection.statistics().inMessages, quint64(2));
}

void tst_NatsMisbehavingServer::asyncInfo()
{
    // Not misbehaviour, but only a fake can send it on cue: a later INFO adds cluster URLs to the pool
    // and announces lame duck mode.
    FakeNatsServer server;
    QVERIFY2(server.listen(), qPrintable(server.errorString()));
    NatsConnection connection;
    QSignalSpy connected(&connection, &NatsConnection::connected);
    QSignalSpy infoChanged(&connection, &NatsConnection::serverInfoChanged);
    QSignalSpy lameDuck(&connection, &NatsConnection::lameDuckModeEntered);
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    connection.connectToServer(options);
    QVERIFY(connected.wait(5000));
    QCOMPARE(connection.serverPool().size(), 1);

    QByteArray info = FakeNatsServer::defaultInfo(server.port());
    info.replace("\"headers\"", "\"connect_urls\":[\"127.0.0.1:4999\",\"10.0.0.2:4222\"],\"ldm\":true,\"headers\"");
    server.sendToClients(info);
    QVERIFY(lameDuck.wait());
    QCOMPARE(lameDuck.count(), 1);
    QVERIFY(infoChanged.count() >= 2);
    QCOMPARE(connection.serverPool().size(), 3);
    QVERIFY(connection.serverPool().contains(QUrl(u"nats://10.0.0.2:4222"_s)));
    QVERIFY(connection.isConnected());
    // The same INFO again announces nothing new.
    server.sendToClients(info);
    QTRY_VERIFY(infoChanged.count() >= 3);
    QCOMPARE(lameDuck.count(), 1);
    QCOMPARE(connection.serverPool().size(), 3);
}

QTEST_GUILESS_MAIN(tst_NatsMisbehavingServer)

#include "tst_natsmisbehavingserver.moc"
