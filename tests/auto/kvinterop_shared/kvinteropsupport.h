#pragma once

#include "kvbucketconfig.h"
#include "natsreply.h"

#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <QtTest/QTest>

class JetStreamContext;

// Helpers shared by the interoperability tests against the official clients (tst_kvinterop_c with
// libnats, tst_kvinterop_go with nats.go). Not a test unit of its own: no CMakeLists.txt here.

// Wait for a kvdesk reply; WAIT_OK reports its error text when it failed.
#define WAIT_OK(expression)                                                                                  \
    do {                                                                                                     \
        NatsReply *waited_ = (expression);                                                                   \
        QTRY_VERIFY_WITH_TIMEOUT(waited_->isFinished(), 10000);                                              \
        QVERIFY2(waited_->error() == NatsError::NoError, qPrintable(waited_->errorString()));                \
    } while (false)

#define WAIT_ERROR(expression, code)                                                                         \
    do {                                                                                                     \
        NatsReply *waited_ = (expression);                                                                   \
        QTRY_VERIFY_WITH_TIMEOUT(waited_->isFinished(), 10000);                                              \
        QCOMPARE(waited_->error(), code);                                                                    \
    } while (false)

// One set of bucket options as a user would give them to any client. Zero means "the client's default"
// (history 1, unlimited sizes, one replica), so the official clients get their own defaults applied.
struct InteropBucketOptions
{
    QString description;
    int history = 0;
    qint64 ttlMs = 0;
    qint64 maxBytes = 0;
    qint32 maxValueSize = 0;
    bool memory = false;
    int replicas = 0;
    bool republish = false;   // "$KV.<bucket>.>" to "repub.<bucket>.>", headers only
    QString mirror;           // bucket name (nats.go and kvdesk only: libnats 3.4.1 has no mirrors)
    QStringList sources;      // bucket names (nats.go and kvdesk only)

    // What kvdesk reads back: the defaults resolved.
    int effectiveHistory() const { return history > 0 ? history : 1; }
    qint64 effectiveMaxBytes() const { return maxBytes > 0 ? maxBytes : -1; }
    qint64 effectiveMaxValueSize() const { return maxValueSize > 0 ? maxValueSize : -1; }
    int effectiveReplicas() const { return replicas > 0 ? replicas : 1; }
    static QString republishSource(const QString &bucket);
    static QString republishDestination(const QString &bucket);

    KvBucketConfig toKvdesk(const QString &bucket) const;
};

Q_DECLARE_METATYPE(InteropBucketOptions)

namespace KvInterop {

// The rows every interop test runs for settings and stream configs: column "options".
void addOptionRows();

// The raw "config" object of a stream's STREAM.INFO. Uses QTRY: check QTest::currentTestFailed() after.
void fetchStreamConfig(JetStreamContext *js, const QString &stream, QJsonObject *config);

// The config with the bucket name replaced by "<bucket>" in every string (name, subjects, republish),
// so configs of two buckets made with the same options compare equal.
QJsonObject normalized(const QJsonObject &config, const QString &bucket);

// The object without the fields at their JSON zero value (false, "", [], {}, null). nats.go leaves them
// out of requests (omitempty) and kvdesk writes some explicitly (deny_purge:false); for the server both
// mean the same.
QJsonObject withoutZeroValues(QJsonObject object);

// One "field: <theirs> != <ours>" line per top-level field that differs (present on one side only
// included), sorted; empty when the configs match field for field. Fields in skip are left out.
QStringList differences(const QJsonObject &theirs, const QJsonObject &ours, const QStringList &skip = {});

} // namespace KvInterop
