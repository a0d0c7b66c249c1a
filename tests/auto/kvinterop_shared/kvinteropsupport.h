#pragma once

#include "kvbucketconfig.h"
#include "kvtestsupport.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

#include <QtTest/QTest>

class JetStreamContext;
class QSignalSpy;

// Helpers shared by the interoperability tests against the official clients (tst_kvinterop_c with
// libnats, tst_kvinterop_go and tst_kvinterop_goconfig with nats.go). Not a test unit of its own: no CMakeLists.txt here.

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
    bool republish = false; // "$KV.<bucket>.>" to "repub.<bucket>.>", headers only
    QString mirror;         // bucket name (nats.go and kvdesk only: libnats 3.4.1 has no mirrors)
    QStringList sources;    // bucket names (nats.go and kvdesk only)

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

// Bytes that trip up text handling (NUL, CR LF, invalid UTF-8), written and read by both clients.
QByteArray binaryValue();

// Checks the settings kvdesk reads back for bucket name against the options another client created it
// with. Uses QCOMPARE: check QTest::currentTestFailed() after.
void checkConfig(const KvBucketConfig &config, const InteropBucketOptions &options, const QString &name);

// The bodies of the requests a subscription captured (its messageReceived spy), by subject.
QHash<QByteArray, QJsonObject> bodiesBySubject(const QSignalSpy &captured);

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
