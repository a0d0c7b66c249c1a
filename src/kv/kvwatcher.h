#pragma once

#include "kventry.h"
#include "natserror.h"

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <functional>

class JetStreamContext;
class JsOrderedConsumer;
class KvReply;
struct JsDeliveryInfo;
class NatsMessage;

struct KvWatchOptions
{
    bool includeHistory = false;    // every kept revision, oldest first (else the latest per key)
    bool ignoreDeletes = false;     // skip delete and purge markers
    bool metaOnly = false;          // headers only: key, revision, operation, size, but no value
    bool updatesOnly = false;       // only changes from now on
    quint64 resumeFromRevision = 0; // start at this revision (e.g. after the last one seen)
    int idleHeartbeatMs = 5000;

    // Why the options do not go together (as nats.net rules), or an empty string.
    QString validate() const;
};

// A live watch of one key, a wildcard filter ("orders.*", "orders.>"), several filters, or the whole
// bucket. First come the initial values (latest per key, or the history), then initialValuesReceived()
// — always, also when there are none — then every change as it happens. It survives reconnects and
// server restarts and resumes after the last revision it delivered: no gap, no duplicate. Cut off during
// the latest-per-key initial values, it takes up the latest per key again after what it delivered, so no
// value replaced or deleted meanwhile is handed out (JsOrderedConsumer).
class KvWatcher : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Starting,
        Watching,
        Recovering,
        Stopped,
        Failed
    };
    Q_ENUM(State)

    // Made by KvBucket::watch(). subjectPrefix is "$KV.<bucket>." (the origin's for a mirror); when it is
    // empty the watch waits for KvBucket to learn it (binding) and start it.
    KvWatcher(JetStreamContext *context, const QString &bucket, const QByteArray &subjectPrefix,
              const QStringList &filters, const KvWatchOptions &options, QObject *parent = nullptr);
    ~KvWatcher() override;

    QString bucket() const { return m_bucket; }
    QStringList filters() const { return m_filters; }
    KvWatchOptions options() const { return m_options; }
    State state() const { return m_state; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    bool initialValuesDone() const { return m_initialDone; }
    // Failed because the bucket is not the one watched any more (deleted and made again, or another
    // server's copy after a failover): it is there, with other revisions; watched again it can be followed.
    bool bucketReplaced() const { return m_bucketReplaced; }
    // Highest revision delivered so far (0 before the first).
    quint64 lastRevision() const { return m_lastRevision; }
    quint64 receivedCount() const { return m_received; }
    // Entries the server still has queued for this watch (from the newest delivery's delta).
    quint64 pendingCount() const;

    // For one-shot reads built on a watch (history, compaction): hands each initial value to onEntry,
    // then stops, calls onDone and deletes itself; an error fails reply instead, or goes to onError when
    // given (which then finishes reply). The watcher goes when reply finishes first (aborted, deleted).
    void collectInitialValues(KvReply *reply, const std::function<void(const KvEntry &)> &onEntry,
                              const std::function<void()> &onDone,
                              const std::function<void(const NatsError &error)> &onError = {});

public Q_SLOTS:
    void stop();

Q_SIGNALS:
    void entryReceived(const KvEntry &entry);
    void initialValuesReceived();
    void stateChanged(KvWatcher::State state);
    // Connection or consumer trouble: re-subscribing from revision fromRevision.
    void recovering(quint64 fromRevision, const QString &reason);
    void resumed();
    void errorOccurred(NatsError::Code code);

private:
    friend class KvBucket;

    struct Feed
    {
        QPointer<JsOrderedConsumer> consumer;
        QStringList filters; // more than one: a filter_subjects consumer (2.10+)
        quint64 lastDelta = 0;
        bool caughtUp = false;
    };

    // Starts the ordered consumers under subjectPrefix (once; not after stop() or a failure): one for all
    // filters with filter_subjects on 2.10+, else one per filter (2.9 ignores filter_subjects and would
    // deliver the whole bucket; overlapping filters are refused by 2.10+).
    void start(const QByteArray &subjectPrefix);
    void startFeed(const QStringList &filters);
    // A filter_subjects consumer the server turned down: one consumer per filter instead.
    bool splitFeed(qsizetype feedIndex);
    void onMessage(qsizetype feedIndex, const NatsMessage &message, const JsDeliveryInfo &info);
    void onCaughtUp(qsizetype feedIndex);
    void onFeedFailed(qsizetype feedIndex);
    void updateState();
    void fail(const NatsError &error);

    QPointer<JetStreamContext> m_context;
    QString m_bucket;
    QByteArray m_subjectPrefix;
    QStringList m_filters;
    KvWatchOptions m_options;
    QList<Feed> m_feeds;
    // With several filters the feeds may overlap: keep each key's revisions strictly increasing.
    QHash<QString, quint64> m_lastRevisionByKey;
    State m_state = State::Starting;
    NatsError m_error;
    quint64 m_lastRevision = 0;
    quint64 m_received = 0;
    bool m_initialDone = false;
    bool m_bucketReplaced = false;
    bool m_started = false;
};
