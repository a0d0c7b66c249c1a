// qtfloor: the least a Qt program can do for what kvcompare times, to show what Qt itself costs.
//
//   qtfloor connect <url> [count]    seconds from parsing the URL (as nats.Connect() does) to the
//                                    server's PONG on a bare QTcpSocket, and the peak resident KiB
//                                    (kvcompare's peer output; count is ignored)
//   qtfloor get <url> <bucket> <key> one KV get as a whole process: prints the reply's first line
//
// kvcompare runs both beside the official clients (its "Qt alone" rows).
//
// It speaks the protocol by hand on a QTcpSocket: INFO, then CONNECT and PING (and for get, SUB and the
// STREAM.INFO the official clients send) in one write, then DIRECT.GET. It parses nothing and checks
// nothing, so it is no client: beside nats.go's figures it shows the part of kvdesk's that is Qt's loading
// and first use, and so how much is kvdesk's own.

#include "procmemory.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtNetwork/QTcpSocket>

#include <cstdio>

namespace {

enum class Stage {
    Info,
    Pong,
    StreamInfo,
    Get
};

int fail(const char *message)
{
    std::fprintf(stderr, "qtfloor: %s\n", message);
    return 1;
}

// What goes right after INFO: the handshake, and for get the bucket's STREAM.INFO, as kvdesk sends it.
QByteArray handshake(bool get, const QByteArray &bucket)
{
    QByteArray out = "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"no_responders\":true}\r\n"
                     "PING\r\n";
    if (get)
        out += "SUB _INBOX.qtfloor.* 1\r\nPUB $JS.API.STREAM.INFO.KV_" + bucket + " _INBOX.qtfloor.1 0\r\n\r\n";
    return out;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const bool get = args.size() == 5 && args.at(1) == QLatin1String("get");
    if (!get && ((args.size() != 3 && args.size() != 4) || args.at(1) != QLatin1String("connect")))
        return fail("usage: qtfloor connect <url> [count] | qtfloor get <url> <bucket> <key>");
    const QByteArray bucket = get ? args.at(3).toUtf8() : QByteArray();
    const QByteArray key = get ? args.at(4).toUtf8() : QByteArray();

    QElapsedTimer clock; // from where the official clients' connect starts: the URL is parsed first
    clock.start();
    const QUrl url(args.at(2));
    QTcpSocket socket;
    QByteArray received;
    Stage stage = Stage::Info;
    int exitCode = 0;
    QObject::connect(&socket, &QTcpSocket::readyRead, &app, [&] {
        received += socket.readAll();
        if (received.startsWith("-ERR")) {
            exitCode = fail(received.constData());
            app.quit();
        } else if (stage == Stage::Info && received.contains("\r\n")) {
            received.clear();
            stage = get ? Stage::StreamInfo : Stage::Pong;
            socket.write(handshake(get, bucket));
            socket.flush();
        } else if (stage == Stage::Pong && received.contains("PONG\r\n")) {
            const double seconds = double(clock.nsecsElapsed()) / 1e9;
            std::printf("%.6f %lld\n", seconds, ProcMemory::peakKiB());
            app.quit();
        } else if (stage == Stage::StreamInfo && received.contains("_INBOX.qtfloor.1") && received.endsWith("}\r\n")) {
            received.clear();
            stage = Stage::Get;
            socket.write("PUB $JS.API.DIRECT.GET.KV_" + bucket + ".$KV." + bucket + '.' + key
                         + " _INBOX.qtfloor.2 0\r\n\r\n");
            socket.flush();
        } else if (stage == Stage::Get && received.contains("_INBOX.qtfloor.2") && received.endsWith("\r\n")) {
            std::printf("%s\n", received.left(received.indexOf("\r\n")).constData());
            app.quit();
        }
    });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &app, [&] {
        exitCode = fail(qPrintable(socket.errorString()));
        app.quit();
    });
    QTimer::singleShot(5000, &app, [&] {
        exitCode = fail("no answer within 5 s");
        app.quit();
    });
    socket.connectToHost(url.host(), quint16(url.port(4222)));
    app.exec();
    return exitCode;
}
