#pragma once

#include "kvbucketstatus.h"
#include "kventry.h"
#include "kvnames.h"
#include "kvpermissions.h"
#include "kvreply.h"
#include "kvwatcher.h"
#include "natshandleshelf.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>
#include <memory>
#include <optional>

class JetStreamContext;
class JsApiReply;
class KvKeyLister;
class KvPutBatch;
class NatsHeaders;
class NatsMessage;
struct JsMessageGetRequest;
struct JsPublishOptions;

// One Key/Value bucket: reads, writes, history, watches. Usable at once: the first call binds to the
// bucket (one STREAM.INFO, to learn its limits, whether direct gets work, and whether it mirrors another
// bucket) and later calls reuse that. Every call validates its input before anything is sent and
// returns a KvReply, owned by the bucket (through a NatsHandleShelf), that the caller deletes when finished.
// A reply still running when the bucket handle or its JetStream context is destroyed ends then, before it
// goes: ConnectionClosed, or OutcomeUnknown for a write that was sent and may have been stored.
class KvBucket : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 DefaultDeleteMarkerThresholdMs = 30 * 60 * 1000;

    KvBucket(JetStreamContext *context, const QString &name, QObject *parent = nullptr);
    ~KvBucket() override;

    QString name() const { return m_name; }
    JetStreamContext *jetStream() const;
    bool isBound() const { return m_bound; }
    // Binds now instead of at the first use. Called while the connection handles the server's INFO (a
    // program that knows its bucket before it connects, as kvdesk-cli), the STREAM.INFO goes with the
    // CONNECT and the first use finds the bucket bound a round trip sooner.
    void bindNow();
    // Binds to the bucket's stream as info describes it (a create reply's), without asking the server;
    // info that is no key-value bucket's is ignored and the bucket asks when first used.
    void bindTo(const JsStreamInfo &info);
    // Takes the bucket's settings from info, read elsewhere (an edit's reply, a listing), when they are not
    // those it is bound with: boundChanged(), and every later check and write goes by them. An unbound
    // bucket, or info of another stream, is left alone (it binds when used).
    void follow(const JsStreamInfo &info);
    // The status read when binding (refresh with status(), or follow()).
    KvBucketStatus boundStatus() const { return m_boundStatus; }
    // Why a revision of key cannot be read or reverted to when it is a marker: 'revision 6 of key "k" is a
    // delete marker' (a purge marker, an expiry marker...).
    static QString markerRevision(const QString &key, const KvEntry &marker);
    // Why key cannot be a new key of this bucket, or an empty string (the check every write of a key that
    // may not exist yet makes first): nats.go's characters (KvNames::validateKey()).
    QString checkKey(const QString &key) const;
    // Why key cannot name a key this bucket holds, or an empty string: for reads, deletes, purges and
    // guarded updates, which take any key another client may have written (KvNames::validateExistingKey()).
    QString checkExistingKey(const QString &key) const;
    // Why a value of size bytes cannot be stored under key (bucket max value size, server max payload),
    // or an empty string. Needs the bucket bound for the bucket's limit; the server's is always checked.
    QString checkValueSize(const QString &key, qint64 size, qint64 headerSize = 0) const;
    // The same for a value of size bytes as create() sends it, with the headers it carries (its
    // expected-revision guard, and the TTL's when ttlNs is not 0); a key checkKey() refuses first.
    QString checkCreateSize(const QString &key, qint64 size, qint64 ttlNs = 0) const;
    // The same for a value of size bytes as update() sends it on expectedRevision.
    QString checkUpdateSize(const QString &key, qint64 size, quint64 expectedRevision) const;
    // The settings a bucket that does not exist yet is to be created with: until the handle is bound, the
    // size checks above judge values by its max value size (an import checks its input before it creates
    // the bucket). Once bound, the bucket's own settings count.
    void expectConfig(const KvBucketConfig &config) { m_expectedMaxValueSize = config.maxValueSize; }

    // How long a write whose outcome is unknown (its ack timed out, the connection dropped) is sent
    // again with its Nats-Msg-Id: 60 s by default, never past the bucket's duplicate window; 0 turns
    // retries off, and such a write then ends with its error (Timeout, OutcomeUnknown...).
    void setWriteRetryLimit(qint64 ms) { m_writeRetryLimitMs = ms; }
    // What the user may do (KvUserPermissions, 2.10+): a given revision is read through STREAM.MSG.GET
    // from the start where the unsuffixed direct get is known to be refused, not after its refusal.
    void setPermissions(const KvPermissions &permissions);
    qint64 writeRetryLimit() const { return m_writeRetryLimitMs; }

    // Fresh status. Result: status().
    KvReply *status();

    // Latest value. Result: entry(). KeyNotFound when absent, deleted or purged.
    KvReply *get(const QString &key);
    // A given revision. Result: entry(). KeyNotFound when that revision is not this key's or is a marker.
    KvReply *get(const QString &key, quint64 revision);
    // Results: revision().
    KvReply *put(const QString &key, const QByteArray &value);
    // Only if the key does not exist (or was deleted/purged). KeyExists otherwise. With a ttlNs (at least
    // 1 s, or KvTtl::Never) the server removes the key by itself after that time: it needs nats-server
    // 2.11+ and a bucket that allows per-key TTLs (a marker TTL); otherwise FeatureNotSupported, before
    // anything is sent. A plain put takes no TTL, as in every official client (a TTL on a put could
    // bring back an older value when it expires).
    KvReply *create(const QString &key, const QByteArray &value, qint64 ttlNs = 0);
    // Only if the key's latest revision is still expectedRevision. WrongRevision otherwise, with
    // currentRevision() set; the stored value is not touched.
    KvReply *update(const QString &key, const QByteArray &value, quint64 expectedRevision);
    // A delete marker; with expectedRevision != 0 only if that is still the latest.
    KvReply *remove(const QString &key, quint64 expectedRevision = 0);
    // A purge marker that also drops the key's history. With a ttlNs the marker itself goes after that
    // time, checked as create() checks it (a delete marker never takes one: it would bring back the value
    // before it when it expires).
    KvReply *purge(const QString &key, quint64 expectedRevision = 0, qint64 ttlNs = 0);
    // A delete or purge marker written as create() writes a value: only where the key has no value now
    // (never written, or its latest revision a marker); KeyExists otherwise. A replay of a marker that
    // leaves a key that has a value alone (an import that keeps existing keys). ttlNs: a purge's only.
    KvReply *createMarker(const QString &key, KvEntry::Operation operation, qint64 ttlNs = 0);
    // create() over the delete or purge marker at markerRevision that the caller wrote, only while that
    // marker is still the key's newest revision: WrongRevision otherwise (currentRevision() set), never
    // over a marker someone else wrote since. ttlNs as create() takes it.
    KvReply *createOverMarker(const QString &key, const QByteArray &value, quint64 markerRevision, qint64 ttlNs = 0);
    // Writes the value the key had at revision as its newest revision, only if the key's newest
    // revision (markers included) is still expectedLatest: taken when the user chose, so a change made
    // meanwhile makes it fail with WrongRevision (currentRevision() set) instead of being overwritten.
    // expectedLatest 0 means the newest revision when the call runs. Result: revision(). KeyNotFound
    // when revision holds no value of key (another key's, a marker, or gone).
    KvReply *revert(const QString &key, quint64 revision, quint64 expectedLatest = 0);
    // Every kept revision, markers included, oldest first. Result: entries(). KeyNotFound when none.
    // Read through a consumer, or for a user who may not create one through historyByGets().
    KvReply *history(const QString &key);
    // The same read one revision at a time, each a get of the key's next message from a sequence on
    // (next_by_subj): no consumer, one request per revision (a key keeps at most 64).
    KvReply *historyByGets(const QString &key);
    // Many puts pipelined, for bulk writes: no handle per put, at most maxInFlight unacknowledged at once
    // (back-pressure: the rest wait in the batch, not in a socket buffer), sent in order, each ack
    // checked, a write whose outcome is unknown retried with its Nats-Msg-Id as put() does. Per-item
    // results and one finished() (see KvPutBatch). Parented to the bucket; the caller deletes it.
    KvPutBatch *putMany(const QList<std::pair<QString, QByteArray>> &items, int maxInFlight = 4000);
    // The same, the puts taken from source one at a time as the batch can send them (see
    // KvPutBatch::Source): a million puts made on the fly hold no list of a million.
    KvPutBatch *putMany(std::function<std::optional<std::pair<QString, QByteArray>>()> source, int maxInFlight = 4000);
    // Keys with a current value, optionally only those matching filters (wildcards). Result: keys().
    KvReply *keys(const QStringList &filters = {});
    // Removes delete/purge markers (and the history behind them). Markers newer than olderThanMs keep
    // themselves; 0 means the default of 30 min; a negative value removes every marker. Result:
    // revision() = number of keys something was removed of (0 when all were already compact).
    KvReply *purgeDeletes(qint64 olderThanMs = 0);

    // Typed convenience, as nats.net's records: JSON documents and UTF-8 text.
    KvReply *putJson(const QString &key, const QJsonDocument &document);
    KvReply *putText(const QString &key, const QString &text);
    // Result: json() and entry(). ValueDecodeError (naming key and revision) when the value is not JSON.
    KvReply *getJson(const QString &key);
    // Result: text() and entry(). ValueDecodeError when the value is not UTF-8.
    KvReply *getText(const QString &key);

    // A live watch; filters empty means the whole bucket. Parented to the bucket.
    KvWatcher *watch(const QStringList &filters, const KvWatchOptions &options = {});
    KvWatcher *watchAll(const KvWatchOptions &options = {});
    // Streams keys in batches (see KvKeyLister). includeDeleted also lists keys whose latest entry is a marker.
    KvKeyLister *listKeys(const QStringList &filters = {}, bool includeDeleted = false);

Q_SIGNALS:
    void boundChanged();

private:
    friend class KvBulkRead;    // binds through whenBound() and reads the subjects keys live under
    friend class KvAsOfRead;    // the same, and the stream it reads
    friend class KvPutBatch;    // binds, sizes, and words errors as put() does
    friend class KvMergeUpdate; // names the key another key's revision is of

    using Action = std::function<void()>;
    using ErrorHandler = std::function<void(const NatsError &error)>;
    using EntryHandler = std::function<void(bool found, const KvEntry &entry)>;
    // Finishes reply with the decoded entry and returns true, or returns false with *problem set.
    using Decoder = std::function<bool(KvReply *reply, const KvEntry &entry, QString *problem)>;

    // Something waiting for the bucket to be bound; dropped when its owner (reply, watcher) is gone.
    struct Waiter
    {
        QPointer<QObject> owner;
        Action action;
        ErrorHandler onError;
    };

    KvReply *newReply();
    enum class KeyUse {
        New,      // a write that may make the key
        Existing, // a read, or a write only to a key that is there (guarded, or a marker)
    };
    bool failIfInvalidKey(KvReply *reply, const QString &key, KeyUse use);
    qsizetype longerInbox() const;
    void finishNoRevision(KvReply *reply, const QString &key, quint64 revision, const QString &otherKey,
                          const QString &fallback);
    // Runs action once bound (at once if already), or fails reply with the binding error.
    void whenBound(KvReply *reply, const Action &action);
    void whenBound(QObject *owner, const Action &action, const ErrorHandler &onError);
    void finishWaiting(const NatsError &error);
    void bind();
    void onBound(const JsStreamInfo &info);
    // Why the bucket of this stream config has no keys of its own to read or write, or NoError.
    NatsError keysElsewhere(const JsStreamConfig &config) const;
    // Reads key's entry (revision 0: the latest) and hands it to handler; sentAhead is the same read
    // already sent by readAhead(), used instead of sending another.
    void fetchEntry(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler,
                    JsApiReply *sentAhead = nullptr);
    // The same read asked of the stream's leader (STREAM.MSG.GET), after a direct get said "not found" or
    // was answered by a mirror; if the leader does not answer, the direct get's answer is delivered.
    void askLeader(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler,
                   const NatsError &directError, const JsStoredMessage &directAnswer);
    // A read's outcome to handler (found or not), or its error to reply.
    void deliverEntry(KvReply *reply, const QString &key, quint64 revision, const EntryHandler &handler,
                      const NatsError &error, const JsStoredMessage &stored);
    static JsMessageGetRequest entryRequest(const QByteArray &subject, quint64 revision);
    // historyByGets(): reads key's first revision at or after from into entries, then the next.
    void readRevisionsFrom(KvReply *reply, const QString &key, quint64 from, bool direct,
                           const std::shared_ptr<QList<KvEntry>> &entries);
    void finishHistory(KvReply *reply, const QString &key, const QList<KvEntry> &entries);
    // A get made before the bucket is bound, the first thing waiting for the binding, is sent at once as
    // the direct get almost every bucket serves (allow_direct, its own subjects): a round trip sooner
    // than after the STREAM.INFO. Reads have no effect, so sending one that turns out wrong costs nothing:
    // once bound, it is kept only if readAheadHolds(), else given up for the right read. Returns nullptr
    // when the get must wait its turn.
    JsApiReply *readAhead(const QString &key, quint64 revision);
    bool readAheadHolds() const;
    // The latest value of key, turned into a typed result by decode (ValueDecodeError when it cannot).
    KvReply *getDecoded(const QString &key, const Decoder &decode);
    // Publishes message (for key) and finishes reply with the revision stored, or with the KV error.
    void publishEntry(KvReply *reply, const QString &key, const NatsMessage &message, const JsPublishOptions &options);
    // Why message (for key), with the headers options add, is too large to store, or an empty string.
    QString sizeAsSent(const QString &key, const NatsMessage &message, const JsPublishOptions &options) const;
    QString checkGuardedSize(const QString &key, qint64 size, NatsMessage headersOnly, quint64 expectedRevision) const;
    // A write's failure in the bucket's words (WrongRevision with *currentRevision, ValueTooLarge, ...).
    NatsError writeError(const NatsError &error, const QString &key, quint64 *currentRevision) const;
    // How long a write whose outcome is unknown may be sent again (0: not at all).
    qint64 writeRetryMs() const;
    // Validates key, binds, then publishes value with headers: put, update and the markers.
    KvReply *writeEntry(const QString &key, const QByteArray &value, const NatsHeaders &headers,
                        const JsPublishOptions &options);
    KvReply *writeMarker(const QString &key, KvEntry::Operation operation, quint64 expectedRevision, qint64 ttlNs);
    static NatsHeaders markerHeaders(KvEntry::Operation operation, qint64 ttlNs);
    KvReply *createEntry(const QString &key, const QByteArray &value, const NatsHeaders &headers, qint64 ttlNs);
    void createOver(KvReply *reply, const QString &key, const QByteArray &value, const NatsHeaders &headers);
    // Runs action when a write with ttlNs may go (no TTL, or the server and this bucket take one), else
    // fails reply with the reason. Needs the bucket bound.
    void whenTtlAllowed(KvReply *reply, qint64 ttlNs, const Action &action); // through KvTtlCheck
    // Direct get, or STREAM.MSG.GET where direct gets are off or unavailable (2.10+'s 503).
    JsApiReply *readMessage(const JsMessageGetRequest &request, bool direct);
    QByteArray readSubject(const QString &key) const { return m_readPrefix + KvNames::keySubject(key); }
    QByteArray writeSubject(const QString &key) const { return m_writePrefix + KvNames::keySubject(key); }
    QString streamName() const;
    NatsError bucketError(const NatsError &error) const;
    NatsError keyError(const NatsError &error, const QString &key) const;

    QPointer<JetStreamContext> m_context;
    QString m_name;
    KvBucketStatus m_boundStatus;
    qint64 m_expectedMaxValueSize = -1; // expectConfig()'s, while not bound
    QByteArray m_readPrefix;
    QByteArray m_writePrefix;
    QList<Waiter> m_waiting;
    bool m_bound = false;
    bool m_binding = false;
    bool m_directGet = true;
    // A given revision is read with the unsuffixed DIRECT.GET.<stream>, which the usual read permissions
    // (DIRECT.GET.<stream>.>) do not allow: once refused, or known to be (setPermissions()), such reads
    // take STREAM.MSG.GET.
    bool m_revisionsByMessageGet = false;
    NatsError m_keysElsewhere;          // keysElsewhere() of the bound stream: what every call on its keys fails with
    qint64 m_duplicateWindowMs = 0;     // the stream's, for write retries
    qint64 m_writeRetryLimitMs = 60000; // setWriteRetryLimit()
    NatsHandleShelf m_replyShelf{this}; // puts may be pipelined by the thousand
};
