#include "natsconnection.h"
#include "natsreply.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

class tst_NatsConnection final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void connectPublishSubscribe();
    void requestReply();
    void noResponders();

private:
    NatsConnection *connectTo(const QString &url, QObject *parent);

    NatsServerProcess m_server;
};

void tst_NatsConnection::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

NatsConnection *tst_NatsConnection::connectTo(const QString &url, QObject *parent)
{
    auto *connection = new NatsConnection(parent);
    connection->connectToServer(NatsConnectOptions::fromUrl(url));
    return connection;
}

void tst_NatsConnection::connectPublishSubscribe()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QSignalSpy connectedSpy(connection, &NatsConnection::connected);
    QVERIFY(connectedSpy.wait());
    QCOMPARE(connection->state(), NatsConnection::State::Connected);
    QCOMPARE(connection->serverInfo().version, u"2.9.10"_s);

    NatsSubscription *subscription = connection->subscribe("greet.*");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    QCOMPARE(connection->publish("greet.joe", "hello").code(), NatsError::NoError);
    QVERIFY(messages.wait());
    const auto message = messages.first().first().value<NatsMessage>();
    QCOMPARE(message.subject(), "greet.joe"_ba);
    QCOMPARE(message.data(), "hello"_ba);
}

void tst_NatsConnection::requestReply()
{
    QObject scope;
    NatsConnection *responder = connectTo(m_server.url(), &scope);
    NatsConnection *requester = connectTo(m_server.url(), &scope);
    QTRY_VERIFY(responder->isConnected() && requester->isConnected());

    NatsSubscription *service = responder->subscribe("svc.echo");
    connect(service, &NatsSubscription::messageReceived, responder, [responder](const NatsMessage &message) {
        QCOMPARE(responder->publish(message.replyTo(), "echo:" + message.data()).code(), NatsError::NoError);
    });
    NatsReply *flush = responder->flush();
    QTRY_VERIFY(flush->isFinished());
    QCOMPARE(flush->error(), NatsError::NoError);

    NatsReply *reply = requester->request("svc.echo", "ping", 2000);
    QSignalSpy finished(reply, &NatsReply::finished);
    QVERIFY(finished.wait());
    QCOMPARE(reply->error(), NatsError::NoError);
    QCOMPARE(reply->message().data(), "echo:ping"_ba);
}

void tst_NatsConnection::noResponders()
{
    QObject scope;
    NatsConnection *connection = connectTo(m_server.url(), &scope);
    QTRY_VERIFY(connection->isConnected());
    QElapsedTimer clock;
    clock.start();
    NatsReply *reply = connection->request("nobody.home", "x", 5000);
    QSignalSpy errors(reply, &NatsReply::errorOccurred);
    QVERIFY(errors.wait());
    QCOMPARE(reply->error(), NatsError::NoResponders);
    QVERIFY2(clock.elapsed() < 4000, "no responders must fail at once, not after the timeout");
}

QTEST_GUILESS_MAIN(tst_NatsConnection)

#include "tst_natsconnection.moc"
