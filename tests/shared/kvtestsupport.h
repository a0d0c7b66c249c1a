#pragma once

#include "natserror.h"
#include "natsreply.h"

#include <QtCore/QByteArray>
#include <QtCore/QDebug>
#include <QtCore/QMap>
#include <QtCore/QSet>
#include <QtCore/QString>
#include <QtTest/QTest>

class JetStreamContext;
class KvBucket;
class KvClient;
class KvContext;
class NatsConnection;
class QObject;
struct KvBucketConfig;
struct KvClientOptions;
struct NatsConnectOptions;

// What the tests against a real nats-server share: connecting, waiting for a reply and checking its
// error, and creating buckets.

// Both evaluate their reply expression once, wait for it (KvTest::ReplyTimeoutMs), and report its error
// text on failure. The reply is left alone, so the test can still read its result.
#define WAIT_OK(expression)                                                                                            \
    do {                                                                                                               \
        NatsReply *waited_ = (expression);                                                                             \
        QTRY_VERIFY_WITH_TIMEOUT(waited_->isFinished(), KvTest::ReplyTimeoutMs);                                       \
        QVERIFY2(waited_->error() == NatsError::NoError, qPrintable(waited_->errorString()));                          \
    } while (false)

#define WAIT_ERROR(expression, code)                                                                                   \
    do {                                                                                                               \
        NatsReply *waited_ = (expression);                                                                             \
        QTRY_VERIFY_WITH_TIMEOUT(waited_->isFinished(), KvTest::ReplyTimeoutMs);                                       \
        if (waited_->error() != (code))                                                                                \
            qWarning().noquote() << "unexpected error:" << waited_->errorString();                                     \
        QCOMPARE(waited_->error(), code);                                                                              \
    } while (false)

namespace KvTest {

// How long WAIT_OK and WAIT_ERROR wait for a reply (a server under load, or a cluster electing leaders).
constexpr int ReplyTimeoutMs = 15000;

// Opens a KvClient (a child of parent) on the test's server and waits until it is connected (5 s, as
// QTRY_VERIFY). Stores whichever of its connection, JetStream and Key/Value contexts are asked for (each
// may be null) and returns the client. When it does not connect, it records a test failure naming the
// reason and returns nullptr.
KvClient *connectClient(const KvClientOptions &options, QObject *parent, NatsConnection **connection = nullptr,
                        JetStreamContext **js = nullptr, KvContext **kv = nullptr);
KvClient *connectClient(const NatsConnectOptions &options, QObject *parent, NatsConnection **connection = nullptr,
                        JetStreamContext **js = nullptr, KvContext **kv = nullptr);

// Creates the bucket and waits for the answer. On failure it records a test failure naming the bucket
// and the error, and returns false; the caller decides whether to go on.
bool createBucket(KvContext *kv, const KvBucketConfig &config);

// The latest value of key, read synchronously (for QTRY_* conditions and QCOMPARE); "<not found>" when
// it cannot be read within timeoutMs.
QByteArray value(KvBucket *bucket, const QString &key, int timeoutMs = 10000);
// The error a get of key ends with (10 s; Timeout when it does not finish), for QTRY_* conditions.
NatsError::Code getError(KvBucket *bucket, const QString &key);
// How many values the bucket's status counts (0 when it cannot be read within 10 s).
quint64 statusValues(KvContext *kv, const QString &bucket);

// Makes stream mirrorStream a mirror of origin's bucket that answers origin's direct gets (mirror_direct,
// as the official clients make mirrors) but holds less than origin: origin must hold revisions 1 and 2;
// the mirror starts at revision 2 (it lacks the first), then origin's revision 3 is written (key, value),
// and once mirrored the mirror's copy of it is deleted (so the mirror has an older value of key). On
// failure it records a test failure naming the step and returns false.
bool createLaggingMirror(JetStreamContext *js, KvBucket *origin, const QString &mirrorStream, const QString &key,
                         const QByteArray &value);

// Checks what a history watcher received against what was acknowledged (keyOfRevision: each acknowledged
// revision and its key). Every acknowledged revision must have arrived, with one exception: once the
// watcher re-created its consumer (consumerRecreated), it reads again from the stream, and a revision its
// key's history limit has pushed out by then (history newer acknowledged revisions of the same key) is no
// longer there to read. Returns an empty string when the record is complete, else names the newest
// revision missing that the stream still holds.
QString missingWatchedRevision(const QMap<quint64, QString> &keyOfRevision, const QSet<quint64> &watched, int history,
                               bool consumerRecreated);

} // namespace KvTest
