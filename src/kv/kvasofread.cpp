#include "kvasofread.h"

#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "jsbatchget.h"
#include "jsdeliveryinfo.h"
#include "jsorderedconsumer.h"
#include "jsservercapabilities.h"
#include "jsstoredmessage.h"
#include "jsstreaminfo.h"
#include "kvbucket.h"
#include "kvnames.h"
#include "natsmessage.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace {

constexpr quint64 kReplayPerKey = 2; // replay while the point's messages are at most this many per key

} // namespace

KvAsOfRead::KvAsOfRead(KvBucket *bucket, const KvAsOfPoint &point, const QString &keyFilter, Path path, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_point(point)
    , m_filter(keyFilter.isEmpty() ? u">"_s : keyFilter)
    , m_path(path)
{
    QTimer::singleShot(0, this, &KvAsOfRead::begin);
}

KvAsOfRead::~KvAsOfRead()
{
    if (m_consumer)
        m_consumer->stop();
}

QString KvAsOfRead::incompleteReason() const
{
    if (!m_gap)
        return {};
    return tr("bucket \"%1\" no longer holds every revision up to %2 (history limit, age or purge): keys "
              "removed since may be missing")
        .arg(m_bucket ? m_bucket->name() : QString())
        .arg(m_upTo);
}

void KvAsOfRead::cancel()
{
    fail(NatsError(NatsError::Cancelled, tr("reading the bucket as of %1 was cancelled").arg(m_point.describe())));
}

void KvAsOfRead::begin()
{
    if (m_finished)
        return;
    if (!m_bucket || !m_bucket->jetStream()) {
        fail(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    if (const QString problem = KvNames::validateKeyFilter(m_filter); !problem.isEmpty()) {
        fail(NatsError(NatsError::InvalidArgument, problem));
        return;
    }
    m_bucket->whenBound(
        this,
        [this] {
            m_prefix = m_bucket->readSubject(QString());
            m_bucket->jetStream()->capabilities()->whenKnown(this, [this](const NatsError &) {
                // What the server can do decides, never its version label; an unknown level replays.
                m_canBatch = m_bucket && m_bucket->m_directGet
                    && m_bucket->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::BatchGet);
                if (m_path == Path::Batch && !m_canBatch) {
                    fail(m_bucket->jetStream()->capabilities()->refusal(JsServerCapabilities::Feature::BatchGet));
                    return;
                }
                fetchInfo();
            });
        },
        [this](const NatsError &error) { fail(error); });
}

void KvAsOfRead::fetchInfo()
{
    // The stream's state only: its subjects are listed later, and only where they are needed.
    JsApiReply *reply = m_bucket->jetStream()->streamInfo(m_bucket->streamName());
    whenAnswered(reply, [this](const JsApiReply *answer) { onInfo(answer->streamInfo()); });
}

// Calls onAnswer with the reply once it has come, unless the read has ended meanwhile; a failure ends
// the read with the bucket's error.
void KvAsOfRead::whenAnswered(JsApiReply *reply, const std::function<void(const JsApiReply *)> &onAnswer)
{
    connect(reply, &NatsReply::finished, this, [this, reply, onAnswer] {
        reply->deleteLater();
        if (m_finished)
            return;
        if (reply->error() != NatsError::NoError)
            fail(m_bucket->bucketError(reply->errorInfo()));
        else
            onAnswer(reply);
    });
}

// The keys the stream still names (a subjects filter: every page, about 30 bytes a key), then next.
// Batch get names the keys it asks for; a read of a stream that lost messages names the keys it cannot
// answer. A read of a whole history finds every key it reports by replaying, and lists nothing.
void KvAsOfRead::listKeys(void (KvAsOfRead::*next)())
{
    JsApiReply *reply = m_bucket->jetStream()->streamInfo(m_bucket->streamName(),
                                                          QString::fromUtf8(m_prefix) + m_filter);
    whenAnswered(reply, [this, next](const JsApiReply *answer) {
        const QHash<QString, quint64> subjects = answer->streamInfo().state.subjects;
        m_keys.reserve(subjects.size());
        for (auto it = subjects.cbegin(); it != subjects.cend(); ++it)
            m_keys.append(it.key().mid(m_prefix.size()));
        std::sort(m_keys.begin(), m_keys.end());
        m_keysListed = true;
        (this->*next)();
    });
}

void KvAsOfRead::onInfo(const JsStreamInfo &info)
{
    m_first = info.state.firstSequence;
    m_last = info.state.lastSequence;
    m_deleted = quint64(info.raw.value("state"_L1).toObject().value("num_deleted"_L1).toInteger());
    m_messages = info.state.messages;
    m_allowTtl = info.config.allowMsgTtl;
    m_subjects = info.state.numSubjects;
    switch (m_point.kind) {
    case KvAsOfPoint::Kind::Latest:
        m_upTo = m_last;
        break;
    case KvAsOfPoint::Kind::Revision:
        // A revision not written yet is a mistyped number, not "now": refused, never read as the latest.
        if (m_point.revision > m_last) {
            fail(NatsError(NatsError::InvalidArgument,
                           tr("bucket \"%1\" has no revision %2 yet (its last is %3)")
                               .arg(m_bucket->name())
                               .arg(m_point.revision)
                               .arg(m_last)));
            return;
        }
        m_upTo = m_point.revision;
        break;
    case KvAsOfPoint::Kind::Time:
        if (const QString problem = timeProblem(info); !problem.isEmpty()) {
            fail(NatsError(NatsError::InvalidArgument, problem));
            return;
        }
        if (!info.state.lastTime.isValid() || m_point.time >= info.state.lastTime) {
            m_upTo = m_last;
        } else if (m_point.time < info.state.firstTime) {
            m_upTo = m_first - 1; // revisions before the first kept one are gone: those keys are unanswerable
        } else {
            resolveTime();
            return;
        }
        break;
    }
    read();
}

// A time is refused where a revision would be: before the bucket's first entry, as revision 0 (read as
// the empty bucket, a restore to it deleted every key), and to come, as a revision not written yet. The
// present, give or take a clock's skew, is the bucket now.
QString KvAsOfRead::timeProblem(const JsStreamInfo &info) const
{
    constexpr qint64 kClockSkewS = 60;
    const QString when = m_point.describe();
    if (m_point.time > QDateTime::currentDateTimeUtc().addSecs(kClockSkewS))
        return tr("%1 is in the future: bucket \"%2\" can be shown as it was, not as it will be")
            .arg(when, m_bucket->name());
    if (m_first <= 1 && m_last >= 1 && info.state.firstTime.isValid() && m_point.time < info.state.firstTime)
        return tr("bucket \"%1\" had no entries yet at %2: its first, revision 1, was written at %3")
            .arg(m_bucket->name(), when, info.state.firstTime.toString(Qt::ISODateWithMs));
    return {};
}

// The point is the message before the first one stamped after the time: a consumer from that time
// (headers only) says which that is, and is stopped at once.
void KvAsOfRead::resolveTime()
{
    JsOrderedConsumerConfig config;
    config.stream = m_bucket->streamName();
    config.filterSubject = m_prefix + '>';
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::ByStartTime;
    config.startTime = m_point.time;
    config.headersOnly = true;
    m_consumer = m_bucket->jetStream()->orderedConsumer(config);
    m_consumer->setParent(this);
    connect(m_consumer, &JsOrderedConsumer::messageReceived, this,
            [this](const NatsMessage &, const JsDeliveryInfo &info) { onTimeProbe(info); });
    connect(m_consumer, &JsOrderedConsumer::caughtUp, this, [this] {
        if (!m_finished && m_upTo == 0 && m_consumer) {
            m_upTo = m_last; // nothing after the time: the bucket is as it was then
            m_consumer->stop();
            read();
        }
    });
    connect(m_consumer, &JsOrderedConsumer::errorOccurred, this, [this, consumer = m_consumer.data()] {
        fail(m_bucket ? m_bucket->bucketError(consumer->errorInfo()) : consumer->errorInfo());
    });
}

void KvAsOfRead::onTimeProbe(const JsDeliveryInfo &info)
{
    if (m_finished || !m_consumer || m_consumer->state() == JsOrderedConsumer::State::Stopped)
        return;
    if (info.timestamp() <= m_point.time)
        return; // stamped at the time itself: part of the bucket then
    m_upTo = info.streamSequence - 1;
    m_consumer->stop();
    m_consumer->deleteLater();
    read();
}

// The stream says how many messages it has deleted, not where. Holes only after the point (a key
// overwritten past its history, or written and purged since) take nothing from the bucket as it was, and
// keys written since are then absent, not unanswerable: how many messages follow the point tells whether
// every one up to it is still there. A consumer from the point's next revision, made and deleted at once,
// counts them (its num_pending, taken when it is made; a delivery's pending count can be one too many).
void KvAsOfRead::countHolesUpTo()
{
    QJsonObject config{
        {"deliver_policy"_L1, "by_start_sequence"_L1},
        {"opt_start_seq"_L1, qint64(m_upTo + 1)},
        {"filter_subject"_L1, QString::fromUtf8(m_prefix + '>')},
        {"ack_policy"_L1, "none"_L1},
        {"mem_storage"_L1, true},
        {"num_replicas"_L1, 1},
        {"inactive_threshold"_L1, qint64(5) * 1000 * 1000 * 1000}, // gone by itself if the delete is lost
    };
    const QString stream = m_bucket->streamName();
    JsApiReply *reply = m_bucket->jetStream()->createConsumer(stream, config);
    connect(reply, &NatsReply::finished, this, [this, reply, stream] {
        reply->deleteLater();
        if (m_finished)
            return;
        const QJsonObject info = reply->response();
        if (reply->error() != NatsError::NoError || !info.contains("num_pending"_L1)) {
            // Not allowed to make a consumer, say: the holes may be anywhere, as before this was asked.
            onHolesCounted(std::numeric_limits<quint64>::max());
            return;
        }
        m_bucket->jetStream()->deleteConsumer(stream, info.value("name"_L1).toString())->setAutoDelete(true);
        onHolesCounted(quint64(info.value("num_pending"_L1).toInteger()));
    });
}

void KvAsOfRead::onHolesCounted(quint64 messagesAfter)
{
    m_holesCounted = true;
    // Writes since the stream's state was read only add to what follows: holes are then overcounted,
    // never missed (and revisions lost meanwhile, recheck() sees).
    const quint64 upToCount = m_upTo - m_first + 1;
    m_holesUpTo = messagesAfter > m_messages || m_messages - messagesAfter < upToCount;
    read();
}

void KvAsOfRead::read()
{
    const quint64 messages = m_upTo >= m_first ? m_upTo - m_first + 1 : 0;
    if (m_path == Path::Auto) {
        // Batch get costs about as much per key as replay per message, so it wins where keys kept
        // several revisions up to the point; where nearly every message is some key's latest (history
        // 1, or few rewrites) the replay reads less (kvbench: 100k keys, 1.7x a plain export vs 2.9x).
        m_path = m_canBatch && messages > kReplayPerKey * m_subjects ? Path::Batch : Path::Replay;
    }
    // Messages up to the point are gone when the stream starts later, or has holes up to it. As of the
    // last revision nothing is missing: a key the stream no longer names has no value now (what is lost
    // while the read runs, recheck() counts). A replay of every key passes each message up to the point
    // and sees the holes itself (onReplayed()); other reads ask where they are (countHolesUpTo()).
    const bool past = m_upTo >= 1 && m_upTo < m_last;
    const bool holes = m_first <= 1 && m_deleted > 0;
    m_replaySeesHoles = m_path == Path::Replay && m_filter == ">"_L1 && messages > 0 && m_subjects > 0;
    if (past && holes && !m_replaySeesHoles && !m_holesCounted) {
        countHolesUpTo();
        return;
    }
    m_gap = past && (m_first > 1 || (holes && !m_replaySeesHoles && m_holesUpTo));
    if (messages == 0 || m_subjects == 0) {
        recheck();
        return;
    }
    if (m_path == Path::Batch)
        listKeys(&KvAsOfRead::startBatches);
    else if (m_gap)
        listKeys(&KvAsOfRead::startReplay);
    else
        startReplay();
}

// ---- batch direct get (2.11+) ----------------------------------------------------------------------

void KvAsOfRead::startBatches()
{
    m_nextKey = 0;
    nextBatch();
}

void KvAsOfRead::nextBatch()
{
    if (m_finished)
        return;
    if (m_nextKey >= m_keys.size()) {
        recheck();
        return;
    }
    // multi_last names the keys (at most 1,024 a request): a wildcard would fail on a bigger bucket.
    JsBatchGetRequest request;
    const qsizetype end = std::min(m_keys.size(), m_nextKey + JsBatchGetRequest::MaxMultiLastSubjects);
    for (qsizetype i = m_nextKey; i < end; ++i)
        request.multiLast.append(m_prefix + KvNames::keySubject(m_keys[i]));
    request.upToSequence = m_upTo;
    m_nextKey = end;
    m_batch = new JsBatchGet(m_bucket->jetStream(), m_bucket->streamName(), request, this);
    connect(m_batch, &JsBatchGet::messagesReceived, this, &KvAsOfRead::onBatch);
    connect(m_batch, &JsBatchGet::finished, this, &KvAsOfRead::onBatchFinished);
}

void KvAsOfRead::onBatch(const QList<JsStoredMessage> &messages)
{
    for (const JsStoredMessage &message : messages) {
        if (message.sequence > m_upTo || !message.subject.startsWith(m_prefix))
            continue;
        const QString key = KvNames::keyFromSubject(message.subject.mid(m_prefix.size()));
        keep(KvEntry::fromStoredMessage(m_bucket->name(), key, message));
    }
}

void KvAsOfRead::onBatchFinished()
{
    JsBatchGet *batch = m_batch;
    m_batch = nullptr;
    batch->deleteLater();
    if (m_finished)
        return;
    // The level said 2.11 and the answer says otherwise (a mixed cluster); or a mirror may have answered
    // (mirror_direct), with what it holds: the stream's own replay is sure.
    if (batch->error() == NatsError::FeatureNotSupported
        || (batch->error() == NatsError::NoError && !batch->isAnsweredByStream())) {
        m_found.clear();
        m_path = Path::Replay;
        startReplay();
        return;
    }
    if (batch->error() != NatsError::NoError) {
        fail(m_bucket->bucketError(batch->errorInfo()));
        return;
    }
    Q_EMIT progress(m_nextKey, m_keys.size());
    nextBatch();
}

// ---- replay (2.9/2.10) -----------------------------------------------------------------------------

void KvAsOfRead::startReplay()
{
    m_nextSequence = m_first;
    if (m_filter == ">"_L1)
        m_found.reserve(qsizetype(std::min(m_subjects, m_upTo - m_first + 1)));
    JsOrderedConsumerConfig config;
    config.stream = m_bucket->streamName();
    config.filterSubject = m_prefix + m_filter.toUtf8();
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::All;
    m_consumer = m_bucket->jetStream()->orderedConsumer(config);
    m_consumer->setParent(this);
    connect(m_consumer, &JsOrderedConsumer::messageReceived, this, &KvAsOfRead::onReplayed);
    // Caught up without passing the point: nothing matching the filter follows up to it.
    connect(m_consumer, &JsOrderedConsumer::caughtUp, this, [this] {
        if (!m_finished && m_consumer && m_consumer->state() != JsOrderedConsumer::State::Stopped) {
            m_consumer->stop();
            endReplay();
        }
    });
    connect(m_consumer, &JsOrderedConsumer::errorOccurred, this, [this, consumer = m_consumer.data()] {
        fail(m_bucket ? m_bucket->bucketError(consumer->errorInfo()) : consumer->errorInfo());
    });
}

void KvAsOfRead::onReplayed(const NatsMessage &message, const JsDeliveryInfo &info)
{
    if (m_finished || !m_consumer || m_consumer->state() == JsOrderedConsumer::State::Stopped)
        return;
    if (m_replaySeesHoles && info.streamSequence <= m_upTo) {
        if (info.streamSequence != m_nextSequence)
            m_gap = m_upTo < m_last; // a message before this one is gone
        m_nextSequence = info.streamSequence + 1;
    }
    if (info.streamSequence <= m_upTo && message.subject().startsWith(m_prefix)) {
        KvEntry entry;
        entry.bucket = m_bucket->name();
        entry.key = KvNames::keyFromSubject(message.subject().mid(m_prefix.size()));
        entry.revision = info.streamSequence;
        entry.created = info.timestamp();
        entry.readHeaders(message.headers());
        entry.value = message.data();
        keep(std::move(entry));
        Q_EMIT progress(qint64(info.streamSequence - m_first + 1), qint64(m_upTo - m_first + 1));
    }
    if (info.streamSequence >= m_upTo) {
        m_consumer->stop();
        endReplay();
    }
}

void KvAsOfRead::endReplay()
{
    // Ended past the point, or caught up before it: the messages from the last one seen to the point
    // are gone too.
    if (m_replaySeesHoles && m_nextSequence <= m_upTo)
        m_gap = m_upTo < m_last;
    recheck();
}

// ---- the answer ------------------------------------------------------------------------------------

// A revision removed while the read ran (a new write pushing an old one out of the history) could make a
// key look absent: the stream's first sequence and holes are asked again, and any loss counts.
void KvAsOfRead::recheck()
{
    if (m_finished)
        return;
    if (m_upTo == 0) {
        collect();
        return;
    }
    // With per-message TTL a key's newest value can expire while older ones stay: the kept revisions are
    // then no longer the newest ones, so the holes themselves are asked for (deleted_details).
    QJsonObject body;
    if (m_allowTtl)
        body.insert("deleted_details"_L1, true);
    JsApiReply *reply = m_bucket->jetStream()->request("STREAM.INFO." + m_bucket->streamName().toUtf8(), body);
    whenAnswered(reply, [this](const JsApiReply *answer) {
        const QJsonObject state = answer->response().value("state"_L1).toObject();
        const auto first = quint64(state.value("first_seq"_L1).toInteger());
        const auto deleted = quint64(state.value("num_deleted"_L1).toInteger());
        if (first > m_first || deleted > m_deleted)
            m_gap = m_gap || m_upTo >= m_first;
        const QJsonArray holes = state.value("deleted"_L1).toArray();
        for (const QJsonValue &hole : holes) {
            if (const auto sequence = quint64(hole.toInteger()); sequence <= m_upTo)
                m_holes.append(sequence);
        }
        std::sort(m_holes.begin(), m_holes.end());
        if (m_gap && !m_keysListed)
            listKeys(&KvAsOfRead::collect); // lost while replaying: the keys it may have missed are named
        else
            collect();
    });
}

// The keys found, in key order, beside the keys the stream names (listed where a gap makes the ones not
// found unanswerable): one walk through both.
void KvAsOfRead::collect()
{
    QList<KvEntry *> found;
    found.reserve(m_found.size());
    for (auto it = m_found.begin(); it != m_found.end(); ++it) {
        if (KvNames::filterMatches(m_filter, it.key()))
            found.append(&it.value());
    }
    std::sort(found.begin(), found.end(), [](const KvEntry *a, const KvEntry *b) { return a->key < b->key; });
    m_entries.reserve(found.size());
    qsizetype named = 0;
    const auto notFoundBefore = [this, &named](const QString *key) {
        for (; named < m_keys.size() && (!key || m_keys[named] < *key); ++named) {
            if (m_gap && KvNames::filterMatches(m_filter, m_keys[named]))
                m_unanswerable.append(m_keys[named]); // its revisions up to the point are gone: unknown
        }
    };
    for (KvEntry *entry : std::as_const(found)) {
        notFoundBefore(&entry->key);
        if (named < m_keys.size() && m_keys[named] == entry->key)
            ++named;
        // A newer revision may have expired (a hole after it, up to the point): its value then is unknown.
        // Only behind a delete or purge: a TTL comes only with a create, which needs the key deleted or
        // purged first, and a purge removes the values before it. A live value still kept was the key's
        // value at the point, whatever another key's hole after it (a history limit, most often).
        if (entry->isDeleted() && expiredSince(entry->revision))
            m_unanswerable.append(entry->key);
        else if (!entry->isDeleted())
            m_entries.append(std::move(*entry));
    }
    notFoundBefore(nullptr);
    m_found.clear();
    finish();
}

bool KvAsOfRead::expiredSince(quint64 revision) const
{
    // A hole after the revision and up to the point: some key's message expired there (which key, the
    // stream no longer says). Only asked for on buckets whose values can carry their own TTL.
    const auto next = std::upper_bound(m_holes.cbegin(), m_holes.cend(), revision);
    return next != m_holes.cend() && *next <= m_upTo;
}

void KvAsOfRead::keep(KvEntry &&entry)
{
    KvEntry &slot = m_found[entry.key];
    if (entry.revision >= slot.revision)
        slot = std::move(entry);
}

void KvAsOfRead::fail(const NatsError &error)
{
    if (m_finished)
        return;
    m_error = error;
    if (m_batch)
        m_batch->cancel();
    if (m_consumer)
        m_consumer->stop();
    Q_EMIT errorOccurred(error.code());
    finish();
}

void KvAsOfRead::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    Q_EMIT finished();
}
