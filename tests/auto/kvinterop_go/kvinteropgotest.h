#pragma once

#include "kvinteropsupport.h"
#include "natsserverprocess.h"

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

class JetStreamContext;
class KvBucket;
class KvContext;
class NatsConnection;

// What the nats.go interop tests share (tst_kvinterop_go: entries, revisions and watches across the two
// clients; tst_kvinterop_goconfig: bucket settings and stream configs). The Go side is peer/main.go, built
// by CMake and run once per operation; it prints JSON. Both sides talk to the same real nats-server.

// One entry as the peer prints it.
struct GoEntry
{
    QString key;
    QByteArray value;
    quint64 revision = 0;
    qint64 createdMs = 0;
    QString operation; // PUT, DEL, PURGE

    static GoEntry fromJson(const QJsonObject &object);
};

namespace KvInteropGo {

QString base64(const QByteArray &value);
// The peer's create-bucket argument for options, as compact JSON.
QString bucketConfig(const InteropBucketOptions &options, const QString &name);

} // namespace KvInteropGo

// Runs one peer command (the server URL goes in after the command) and stores its JSON answer in result;
// returns from the test when the peer did not succeed.
#define PEER_OK(result, ...)                                                                                           \
    do {                                                                                                               \
        runPeer({__VA_ARGS__}, &(result), true);                                                                       \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

// The same, for a command that must fail (exit status 2 and an "error" member).
#define PEER_FAILS(result, ...)                                                                                        \
    do {                                                                                                               \
        runPeer({__VA_ARGS__}, &(result), false);                                                                      \
        if (QTest::currentTestFailed())                                                                                \
            return;                                                                                                    \
    } while (false)

// The base of both test classes: a server, kvdesk's client on it, and the peer.
class KvInteropGoTest : public QObject
{
protected:
    // For initTestCase: the peer is there, the server runs, kvdesk is connected. Uses QVERIFY.
    void start();
    // For init: a new bucket name per test function and row.
    void next() { ++m_counter; }
    QString bucketName(const char *prefix) const;
    void runPeer(const QStringList &arguments, QJsonObject *result, bool expectSuccess);
    KvBucket *createKvdeskBucket(const InteropBucketOptions &options, const QString &name);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;

private:
    int m_counter = 0;
};
