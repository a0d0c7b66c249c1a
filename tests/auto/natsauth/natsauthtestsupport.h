#pragma once

#include "natsconnection.h"
#include "natssubscription.h"

#include <QtCore/QFile>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

// What tst_natsauth and tst_natstls share: a connection attempt watched from the start, options that
// retry quickly, a round trip proving the session works.
namespace NatsAuthTest {

// One connection attempt, with spies attached before anything can happen.
struct Attempt
{
    explicit Attempt(const NatsConnectOptions &options) { connection->connectToServer(options); }

    // Waits until the attempt settled: connected, or closed for good.
    bool settle(int timeoutMs = 15000)
    {
        return QTest::qWaitFor(
            [this] {
                const NatsConnection::State state = connection->state();
                return state == NatsConnection::State::Connected || state == NatsConnection::State::Closed;
            },
            timeoutMs);
    }

    NatsError::Code firstError() const
    {
        return errors.isEmpty() ? NatsError::NoError : errors.first().first().value<NatsError::Code>();
    }

    std::unique_ptr<NatsConnection> connection = std::make_unique<NatsConnection>();
    QSignalSpy errors{connection.get(), &NatsConnection::errorOccurred};
    QSignalSpy connected{connection.get(), &NatsConnection::connected};
    QSignalSpy closed{connection.get(), &NatsConnection::closed};
};

inline NatsConnectOptions optionsFor(const QString &url)
{
    NatsConnectOptions options = NatsConnectOptions::fromUrl(url);
    options.reconnectWaitMs = 50;
    options.reconnectJitterMs = 0;
    options.reconnectJitterTlsMs = 0;
    return options;
}

// Subscribes, publishes and receives: proves the session works, not only that PONG came back.
inline bool roundTrip(NatsConnection *connection)
{
    NatsSubscription *subscription = connection->subscribe("auth.check");
    QSignalSpy messages(subscription, &NatsSubscription::messageReceived);
    if (connection->publish("auth.check", "ok").isError())
        return false;
    const bool received = messages.wait(5000) && messages.first().first().value<NatsMessage>().data() == "ok";
    delete subscription;
    return received;
}

inline bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(content) == content.size();
}

} // namespace NatsAuthTest
