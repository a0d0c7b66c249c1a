#pragma once

#include "natspermissions.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>
#include <QtCore/QString>

struct JsStreamConfig;

// What a user may do with Key/Value buckets, from their NATS permissions (NatsPermissions) and the
// subjects this library's KV layer sends on (KvBucket, KvContext, JsOrderedConsumer): each question
// answers with the first permission missing, "you may not publish to $KV.orders.>", or an empty string
// when the action is allowed. Unknown permissions (nats-server 2.9, or the question refused) allow
// everything: the server's -ERR then decides, at once.
class KvPermissions
{
    Q_DECLARE_TR_FUNCTIONS(KvPermissions)

public:
    // How a bucket's values are read (as KvBucket reads them): direct gets where its stream allows them
    // (allow_direct), else STREAM.MSG.GET. Unknown until the stream's config has been read.
    enum class ReadPath {
        Unknown,
        DirectGet,
        MessageGet
    };

    KvPermissions() = default;
    // inboxPrefix: the connection's (NatsConnectOptions::inboxPrefix), which its reply inboxes start with.
    explicit KvPermissions(const NatsPermissions &permissions, const QByteArray &apiPrefix = "$JS.API.",
                           const QByteArray &inboxPrefix = "_INBOX");

    static ReadPath readPathOf(const JsStreamConfig &config);
    // What the bucket's stream config says (KvBucketStatus::streamInfo, STREAM.INFO, STREAM.LIST): its
    // read path, and for a bucket that mirrors another the subjects KvBucket then uses, the origin's:
    // writes go to $KV.<origin>. (behind the mirror's external API prefix, if any), reads ask the
    // mirror's stream for $KV.<origin>.<key>. Until it is known a bucket is judged by its own subjects.
    void setStreamConfig(const QString &bucket, const JsStreamConfig &config);
    bool knowsStreamConfig(const QString &bucket) const { return m_subjects.contains(bucket); }
    void setReadPath(const QString &bucket, ReadPath path);
    ReadPath readPath(const QString &bucket) const { return m_readPaths.value(bucket, ReadPath::Unknown); }

    bool isKnown() const { return m_permissions.isKnown(); }
    const NatsPermissions &natsPermissions() const { return m_permissions; }

    // Any request: its answer comes through the connection's reply inbox.
    QString requestRefusal() const;
    // The bucket list: STREAM.NAMES (withStatus: STREAM.LIST).
    QString listBucketsRefusal(bool withStatus = true) const;
    // A bucket's settings and state (STREAM.INFO): every bucket call starts there.
    QString statusRefusal(const QString &bucket) const;
    // Reading key's value (an empty key: some key) the bucket's way (readPath()). While that is unknown,
    // refused only when both ways are (naming the direct get, the default of every bucket created).
    QString getRefusal(const QString &bucket, const QString &key = {}) const;
    // The same by the given way (Unknown as above).
    QString getRefusal(const QString &bucket, const QString &key, ReadPath path) const;
    // Whether a given (older) revision of the bucket's keys is better read through STREAM.MSG.GET: the
    // unsuffixed DIRECT.GET.<stream> it takes is refused, STREAM.MSG.GET is not (the usual read
    // permissions, DIRECT.GET.<stream>.>). False while unknown.
    bool readsRevisionsByMessageGet(const QString &bucket) const;
    // Watching the bucket, listing its keys, a key's history: an ordered consumer on an inbox.
    QString watchRefusal(const QString &bucket) const;
    // A key's history: through a consumer (watchRefusal()), or for a user who may not create one through
    // a get of each revision by sequence (KvBucket::historyByGets()); refused when neither is allowed,
    // naming the consumer (the usual way).
    QString historyRefusal(const QString &bucket) const;
    // Watching some bucket (which one is chosen later).
    QString watchSomeRefusal() const;
    // Browsing the bucket: listing keys and reading values.
    QString readRefusal(const QString &bucket) const;
    // Putting, creating, updating, deleting or purging key (an empty key: some key).
    QString writeRefusal(const QString &bucket, const QString &key = {}) const;
    // Writing an older revision of key again: reading it, then writing.
    QString revertRefusal(const QString &bucket, const QString &key) const;
    // Removing delete markers (compact): listing them, then purging the stream.
    QString compactRefusal(const QString &bucket) const;
    // Creating a bucket (an empty name: some bucket), changing one, deleting one.
    QString createBucketRefusal(const QString &bucket = {}) const;
    QString editBucketRefusal(const QString &bucket) const;
    QString deleteBucketRefusal(const QString &bucket) const;

    static QString publishRefusal(const QByteArray &subject);
    static QString subscribeRefusal(const QByteArray &subject);

private:
    // The refusal for publishing to subject (a pattern: to no subject matching it), or "".
    QString publish(const QByteArray &subject) const;
    QString publishSome(const QByteArray &pattern) const;
    // Subscribing to an ordered consumer's deliver inbox.
    QString deliverRefusal() const;
    QString api(const QByteArray &apiSubject) const { return publish(m_apiPrefix + apiSubject); }
    QByteArray streamOf(const QString &bucket) const;
    QByteArray readPrefix(const QString &bucket) const;
    QByteArray writePrefix(const QString &bucket) const;

    // The subject prefixes of a bucket whose stream config is known.
    struct Subjects
    {
        QByteArray read;
        QByteArray write;
    };

    NatsPermissions m_permissions;
    QByteArray m_apiPrefix = "$JS.API.";
    QByteArray m_inboxPrefix = "_INBOX";
    QHash<QString, ReadPath> m_readPaths;
    QHash<QString, Subjects> m_subjects;
};
