// Throughput of the core client against a local nats-server: publish (N messages then one flush) for
// small and 1 KiB payloads, and request/reply round trips, one at a time and with 100 in flight.
// Starts its own nats-server unless --server is given. Prints one line per figure; not a test.

#include "benchsupport.h"
#include "kvclient.h"
#include "natsconnection.h"
#include "natsreply.h"
#include "natssubscription.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QLocale>
#include <QtCore/QTextStream>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

std::unique_ptr<KvClient> connectTo(const QString &url)
{
    KvClientOptions options = KvClientOptions::fromUrl(url);
    options.connection.name = u"natscorebench"_s;
    // Room for a whole publish run while the first flush is under way.
    options.connection.reconnectBufferSize = 512 * 1024 * 1024;
    return Bench::connect(options);
}

QString rate(double perSecond)
{
    return QLocale::c().toString(perSecond, 'f', 0).rightJustified(10);
}

void report(const QString &what, qsizetype size, qint64 count, qint64 nsecs, const QString &figures)
{
    const double seconds = double(nsecs) / 1e9;
    out() << what.leftJustified(24) << u"size=%1 B"_s.arg(size).leftJustified(12)
          << u"count=%1"_s.arg(count).leftJustified(14) << u"time=%1 s"_s.arg(seconds, 0, 'f', 3).leftJustified(14)
          << figures << Qt::endl;
}

void benchPublish(NatsConnection *connection, qsizetype size, qint64 count)
{
    const QByteArray payload(size, 'x');
    const QByteArray subject = "bench.publish"_ba;
    QElapsedTimer clock;
    clock.start();
    for (qint64 i = 0; i < count; ++i) {
        const NatsError error = connection->publish(subject, payload);
        if (error.isError())
            Bench::fail(error.message());
        // Let the socket drain now and then; otherwise every byte waits in its buffer until the end.
        if ((i & 1023) == 1023)
            QCoreApplication::processEvents();
    }
    if (!Bench::wait(connection->flush(60000)))
        Bench::fail(u"flush failed"_s);
    const qint64 nsecs = clock.nsecsElapsed();
    const double seconds = double(nsecs) / 1e9;
    const double messagesPerSecond = double(count) / seconds;
    const double megabytesPerSecond = double(count) * double(size) / seconds / (1024.0 * 1024.0);
    report(u"publish"_s, size, count, nsecs,
           u"%1 msgs/s %2 MB/s"_s.arg(rate(messagesPerSecond)).arg(megabytesPerSecond, 9, 'f', 1));
}

// Keeps `inFlight` requests outstanding until `count` have completed.
void benchRequests(NatsConnection *requester, qsizetype size, qint64 count, int inFlight)
{
    const QByteArray payload(size, 'r');
    qint64 failed = 0;
    QElapsedTimer clock;
    clock.start();
    Bench::pipeline(
        count, inFlight, [&](qint64) { return requester->request("bench.echo", payload, 10000); },
        [&](NatsReply *reply) {
            if (reply->error() != NatsError::NoError || reply->message().data().size() != size)
                ++failed;
        });
    const qint64 nsecs = clock.nsecsElapsed();
    if (failed > 0)
        Bench::fail(u"%1 of %2 requests failed"_s.arg(failed).arg(count));
    const QString what = inFlight == 1 ? u"request (sequential)"_s : u"request (%1 in flight)"_s.arg(inFlight);
    QString figures = u"%1 round trips/s"_s.arg(rate(double(count) / (double(nsecs) / 1e9)));
    if (inFlight == 1)
        figures += u"  %1 us each"_s.arg(double(nsecs) / 1e3 / double(count), 0, 'f', 1);
    report(what, size, count, nsecs, figures);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"natscorebench"_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Publish and request/reply throughput of the kvdesk NATS client."_s);
    parser.addHelpOption();
    const QCommandLineOption serverOption(u"server"_s, u"Use this server instead of starting nats-server."_s, u"url"_s);
    const QCommandLineOption smallOption(u"small-count"_s, u"Messages in the 16 B publish run."_s, u"n"_s, u"500000"_s);
    const QCommandLineOption largeOption(u"large-count"_s, u"Messages in the 1 KiB publish run."_s, u"n"_s,
                                         u"100000"_s);
    const QCommandLineOption sequentialOption(u"sequential-count"_s, u"Sequential requests."_s, u"n"_s, u"10000"_s);
    const QCommandLineOption pipelinedOption(u"pipelined-count"_s, u"Requests with 100 in flight."_s, u"n"_s,
                                             u"50000"_s);
    parser.addOptions({serverOption, smallOption, largeOption, sequentialOption, pipelinedOption});
    parser.process(app);

    std::unique_ptr<BenchServer> localServer;
    QString url = parser.value(serverOption);
    if (url.isEmpty()) {
        localServer = std::make_unique<BenchServer>();
        url = localServer->start();
    }

    const auto publisherClient = connectTo(url);
    NatsConnection *publisher = publisherClient->connection();
    out() << "natscorebench: kvdesk " << KVDESK_VERSION << " against nats-server " << publisher->serverInfo().version
          << " at " << url << Qt::endl;

    benchPublish(publisher, 16, parser.value(smallOption).toLongLong());
    benchPublish(publisher, 1024, parser.value(largeOption).toLongLong());

    // The responder echoes the payload back from a connection of its own.
    const auto responderClient = connectTo(url);
    NatsConnection *responder = responderClient->connection();
    NatsSubscription *service = responder->subscribe("bench.echo");
    QObject::connect(service, &NatsSubscription::messageReceived, responder, [responder](const NatsMessage &message) {
        responder->publish(message.replyTo(), message.data());
    });
    if (!Bench::wait(responder->flush()))
        Bench::fail(u"the responder could not subscribe"_s);
    const auto requesterClient = connectTo(url);
    NatsConnection *requester = requesterClient->connection();
    benchRequests(requester, 16, parser.value(sequentialOption).toLongLong(), 1);
    benchRequests(requester, 16, parser.value(pipelinedOption).toLongLong(), 100);
    benchRequests(requester, 1024, parser.value(pipelinedOption).toLongLong(), 100);
    return 0;
}
