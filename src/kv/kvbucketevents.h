#pragma once

#include "natserror.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

class NatsMessage;
class NatsSubscription;

// Buckets created, changed or deleted by anyone in the account, as they happen: JetStream's stream
// advisories ($JS.EVENT.ADVISORY.STREAM.<event>.KV_<bucket>) for the streams behind buckets. A
// long-lived handle from KvContext::watchBuckets(); it keeps listening across reconnects, and deleting it
// stops listening. The server sends a deletion's advisory from the stream's own loop, which the deletion
// stops: now and then (about one in ten for a stream with a consumer, 2.9.10 to 2.15.1) none comes, so a
// deletion heard here is certain, and one not heard is not ruled out.
class KvBucketEvents final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvBucketEvents)

public:
    enum class Change {
        Created,
        Updated,
        Deleted,
        Other, // leader elected, snapshot, restore, ...: the bucket's status may have changed
    };
    Q_ENUM(Change)

    ~KvBucketEvents() override;

    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }

Q_SIGNALS:
    void bucketChanged(const QString &bucket, KvBucketEvents::Change change);
    // The advisories could not be subscribed to (connection gone, permission denied).
    void errorOccurred(NatsError::Code code);

private:
    friend class KvContext;
    // Takes over subscription (null when the connection is gone: fails on the next event-loop turn).
    KvBucketEvents(NatsSubscription *subscription, QObject *parent);

    void onAdvisory(const NatsMessage &advisory);
    void fail(const NatsError &error);

    QPointer<NatsSubscription> m_subscription;
    NatsError m_error;
};
