#pragma once

#include <QtCore/QProcess>
#include <QtCore/QString>
#include <QtCore/QTemporaryDir>

#include <functional>
#include <memory>

class KvClient;
class NatsReply;
struct KvClientOptions;

// What the benchmark programs share: a nats-server of their own, connecting, waiting for replies and
// keeping a window of them in flight. A benchmark has no one to report to, so failures end the program.
namespace Bench {

// "<program>: message" on stderr (the program is the application name), then exit status 1.
[[noreturn]] void fail(const QString &message);

// Connects a client and waits (a nested event loop); fails the program when the connection cannot be made.
std::unique_ptr<KvClient> connect(const KvClientOptions &options);

// Waits for reply in a nested event loop and deletes it later. False, with its error on stderr, when it failed.
bool wait(NatsReply *reply);

// Keeps up to window calls in flight until count have finished: call(i) starts the i-th, finished(reply)
// sees each one as it finishes (the reply is deleted later).
void pipeline(qint64 count, int window, const std::function<NatsReply *(qint64 index)> &call,
              const std::function<void(NatsReply *reply)> &finished);

} // namespace Bench

// nats-server -a 127.0.0.1 -p -1 -js -sd <tmp> --ports_file_dir <tmp>, stopped when this goes; the URL
// comes from its ports file.
class BenchServer final
{
public:
    BenchServer() = default;
    ~BenchServer();
    Q_DISABLE_COPY_MOVE(BenchServer)

    // Starts the server (with config, nats-server's configuration file text, if any) and returns its URL;
    // fails the program when it cannot.
    QString start(const QByteArray &config = {});

private:
    QTemporaryDir m_dir;
    QProcess m_process;
};
