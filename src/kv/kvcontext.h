#pragma once

#include "jsstreaminfo.h"
#include "kvbucketconfig.h"
#include "kvpermissions.h"
#include "kvreply.h"
#include "kvsourcingcheck.h"
#include "natshandleshelf.h"

#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>

class JetStreamContext;
class JsApiReply;
class KvBucket;
class KvBucketEvents;
class NatsServerInfo;
struct JsStreamConfig;

// The buckets of an account (nats.net's NatsKVContext): create, update, inspect, list and delete them,
// and open one. Replies are owned by the context; the caller deletes them when finished.
class KvContext : public QObject
{
    Q_OBJECT

public:
    explicit KvContext(JetStreamContext *context, QObject *parent = nullptr);
    ~KvContext() override;

    JetStreamContext *jetStream() const;

    // Result: status(). Creating a bucket that exists with the same settings succeeds; with different
    // settings it fails with StreamNameInUse. Settings the server lacks (compression or metadata before
    // 2.10, a marker TTL before 2.11) are refused with FeatureNotSupported before anything is created;
    // a setting the server drops silently anyway fails the call and the new bucket is removed again.
    KvReply *createBucket(const KvBucketConfig &config);
    // Changes an existing bucket (storage cannot change). BucketNotFound when it does not exist. Refuses
    // and checks new settings as createBucket() does; a change the server dropped is undone.
    KvReply *updateBucket(const KvBucketConfig &config);
    KvReply *createOrUpdateBucket(const KvBucketConfig &config);
    // Result: status(). BucketNotFound, or NotKeyValueBucket for a stream that is not a bucket.
    KvReply *bucketStatus(const QString &bucket);
    KvReply *deleteBucket(const QString &bucket);
    // Result: bucketNames(), sorted: the streams named KV_<bucket> that are buckets (as bucketStatuses()
    // judges them), mirror buckets included. Needs STREAM.NAMES (and STREAM.INFO of a mirror).
    KvReply *bucketNames();
    // Result: statuses(), sorted by bucket name.
    KvReply *bucketStatuses();

    // A bucket handle parented to parent (this context when null). It binds on first use.
    KvBucket *bucket(const QString &name, QObject *parent = nullptr);
    // What the user may do (KvUserPermissions): given to the buckets opened here, before and after
    // (KvBucket::setPermissions()).
    void setPermissions(const KvPermissions &permissions);
    // Buckets created, changed or deleted from now on, by anyone in the account; parented to parent
    // (this context when null).
    KvBucketEvents *watchBuckets(QObject *parent = nullptr);

private:
    KvReply *newReply();
    bool failIfInvalid(KvReply *reply, const KvBucketConfig &config);
    bool failIfInvalidName(KvReply *reply, const QString &bucket);
    // When api finishes (deleted later): its error fails reply (StreamNotFound named as the bucket when
    // bucket is given), success runs onSuccess.
    void whenAnswered(KvReply *reply, JsApiReply *api, const QString &bucket, const std::function<void()> &onSuccess);
    void createStream(KvReply *reply, const KvBucketConfig &config);
    void sendCreate(KvReply *reply, const KvBucketConfig &config, const JsStreamConfig &wanted, bool existed);
    // FeatureNotSupported when config asks for what the server lacks (API level known), else NoError.
    NatsError checkSupported(const KvBucketConfig &config) const;
    // The error for settings the server dropped silently (empty list: none).
    NatsError droppedError(const QStringList &dropped, const QString &bucket, const QString &outcome) const;
    void resolveExisting(KvReply *reply, const KvBucketConfig &config, const JsStreamConfig &wanted);
    // Updates the bucket's stream from its current config (or creates it, if missing and allowed).
    KvReply *changeBucket(const KvBucketConfig &config, bool createIfMissing);
    void finishWithStreamInfo(KvReply *reply, JsApiReply *info, const QString &bucket);
    // A bucket's settings, read here (an edit's reply, a status, a listing), to the handles open on it
    // (KvBucket::follow()): opened once, a bucket kept the settings it was bound with.
    void passOn(const JsStreamInfo &info);
    // Finishes bucketNames() from every stream's name and those with a bucket's subjects.
    void sortOutBucketNames(KvReply *reply, const QStringList &all, const QStringList &withKeys);
    void sendUpdate(KvReply *reply, const KvBucketConfig &config, const JsStreamConfig &previous);
    // Adds to reply what the server will not copy of the sources config adds to a bucket in state existing
    // (null: a bucket made now), reading their stream infos when that needs them; then runs next.
    void checkSourcing(KvReply *reply, const KvBucketConfig &config, const JsStreamInfo *existing,
                       const std::function<void()> &next);
    // Reads each source's stream info (all at once), then calls done with what they say.
    void readSources(KvReply *reply, const QList<JsStreamSource> &sources,
                     const std::function<void(const QList<KvSourcingCheck::Source> &)> &done);
    NatsError bucketError(const NatsError &error, const QString &bucket) const;
    NatsServerInfo serverInfo() const;

    QPointer<JetStreamContext> m_context;
    NatsHandleShelf m_replyShelf{this};
    QHash<QString, JsStreamInfo> m_created; // buckets created here, until bucket() opens them
    KvPermissions m_permissions;
    QList<QPointer<KvBucket>> m_buckets; // opened by bucket(), for setPermissions()
};
