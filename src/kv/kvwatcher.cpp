#include "kvwatcher.h"

#include "jetstreamcontext.h"
#include "jsorderedconsumer.h"
#include "jsservercapabilities.h"
#include "kvnames.h"
#include "kvreply.h"
#include "natslogging.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

QString KvWatchOptions::validate() const
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("KvWatchOptions", text); };
    if (includeHistory && updatesOnly)
        return tr("\"include history\" and \"updates only\" cannot be combined");
    if (resumeFromRevision > 0 && (includeHistory || updatesOnly))
        return tr("\"resume from revision\" cannot be combined with \"include history\" or \"updates only\"");
    if (idleHeartbeatMs < 100)
        return tr("the idle heartbeat must be at least 100 ms");
    return {};
}

KvWatcher::KvWatcher(JetStreamContext *context, const QString &bucket, const QByteArray &subjectPrefix,
                     const QStringList &filters, const KvWatchOptions &options, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_bucket(bucket)
    , m_subjectPrefix(subjectPrefix)
    , m_filters(filters.isEmpty() ? QStringList{u">"_s} : filters)
    , m_options(options)
{
    QString problem = options.validate();
    for (const QString &filter : std::as_const(m_filters)) {
        if (problem.isEmpty())
            problem = KvNames::validateKeyFilter(filter);
    }
    if (!problem.isEmpty()) {
        const NatsError error(NatsError::InvalidArgument, problem);
        m_started = true; // never start: fail on the next turn, once the creator has connected its signals
        QTimer::singleShot(0, this, [this, error] { fail(error); });
        return;
    }
    m_filters.removeDuplicates();
    if (!subjectPrefix.isEmpty())
        start(subjectPrefix);
}

void KvWatcher::start(const QByteArray &subjectPrefix)
{
    if (m_started || m_state != State::Starting || !m_context)
        return;
    m_started = true;
    m_subjectPrefix = subjectPrefix;
    // A filter another one covers adds nothing ("a.>" covers "a.b").
    QStringList filters;
    for (const QString &filter : std::as_const(m_filters)) {
        const bool covered = std::any_of(m_filters.cbegin(), m_filters.cend(), [&filter](const QString &other) {
            return other != filter && KvNames::filterCovers(other, filter);
        });
        if (!covered)
            filters.append(filter);
    }
    bool overlap = false;
    for (qsizetype i = 0; i < filters.size(); ++i) {
        for (qsizetype j = i + 1; j < filters.size(); ++j)
            overlap = overlap || KvNames::filtersOverlap(filters[i], filters[j]);
    }
    const bool oneConsumer = filters.size() > 1 && !overlap
        && m_context->capabilities()->supports(JsServerCapabilities::Feature::FilterSubjects);
    if (oneConsumer) {
        startFeed(filters);
        return;
    }
    for (const QString &filter : std::as_const(filters))
        startFeed({filter});
}

KvWatcher::~KvWatcher()
{
    const bool blocked = blockSignals(true);
    stop();
    blockSignals(blocked);
}

void KvWatcher::startFeed(const QStringList &filters)
{
    using Policy = JsOrderedConsumerConfig::DeliverPolicy;
    JsOrderedConsumerConfig config;
    config.stream = KvNames::streamName(m_bucket);
    for (const QString &filter : filters)
        config.filterSubjects.append(m_subjectPrefix + filter.toUtf8());
    config.headersOnly = m_options.metaOnly;
    config.idleHeartbeatMs = m_options.idleHeartbeatMs;
    if (m_options.resumeFromRevision > 0) {
        config.deliverPolicy = Policy::ByStartSequence;
        config.startSequence = m_options.resumeFromRevision;
    } else if (m_options.updatesOnly) {
        config.deliverPolicy = Policy::New;
    } else if (m_options.includeHistory) {
        config.deliverPolicy = Policy::All;
    } else {
        config.deliverPolicy = Policy::LastPerSubject;
    }

    const qsizetype index = m_feeds.size();
    JsOrderedConsumer *consumer = m_context->orderedConsumer(config);
    consumer->setParent(this);
    m_feeds.append(Feed{consumer, filters, 0, false});
    connect(consumer, &JsOrderedConsumer::messageReceived, this,
            [this, index](const NatsMessage &message, const JsDeliveryInfo &info) { onMessage(index, message, info); });
    connect(consumer, &JsOrderedConsumer::caughtUp, this, [this, index] { onCaughtUp(index); });
    connect(consumer, &JsOrderedConsumer::errorOccurred, this, [this, index] { onFeedFailed(index); });
    connect(consumer, &JsOrderedConsumer::stateChanged, this, &KvWatcher::updateState);
    connect(consumer, &JsOrderedConsumer::recovering, this, &KvWatcher::recovering);
}

void KvWatcher::onMessage(qsizetype feedIndex, const NatsMessage &message, const JsDeliveryInfo &info)
{
    Feed &feed = m_feeds[feedIndex];
    feed.lastDelta = info.pending;

    // The key is the stream subject after "$KV.<bucket>."; a message with nothing after it is no entry.
    const QByteArray subject = message.subject();
    if (!subject.startsWith(m_subjectPrefix) || subject.size() <= m_subjectPrefix.size())
        return;
    KvEntry entry;
    entry.bucket = m_bucket;
    entry.key = KvNames::keyFromSubject(QByteArrayView(subject).sliced(m_subjectPrefix.size()));
    if (feed.filters.size() > 1) {
        // Checked here too: a server that ignored filter_subjects delivers the whole bucket until the
        // consumer's echo shows it (and the feed is split).
        const bool wanted = std::any_of(feed.filters.cbegin(), feed.filters.cend(), [&entry](const QString &filter) {
            return KvNames::filterMatches(filter, entry.key);
        });
        if (!wanted)
            return;
    }
    entry.revision = info.streamSequence;
    // A start past the stream's last revision: nats-server before 2.11 starts such a consumer at the next
    // message written, whatever its sequence (a watch from revision 5 of a bucket at 3 got revision 4).
    if (entry.revision < m_options.resumeFromRevision)
        return;
    entry.delta = info.pending;
    entry.created = info.timestamp();
    entry.readHeaders(message.headers());
    entry.value = message.data();
    if (m_options.metaOnly) {
        bool ok = false;
        const qint64 size = message.headers().value("Nats-Msg-Size").toLongLong(&ok);
        entry.valueSize = ok ? size : 0;
    }

    if (m_feeds.size() > 1) {
        quint64 &last = m_lastRevisionByKey[entry.key];
        if (entry.revision <= last)
            return; // already delivered through an overlapping filter
        last = entry.revision;
    }
    m_lastRevision = std::max(m_lastRevision, entry.revision);
    ++m_received;
    if (m_options.ignoreDeletes && entry.isDeleted())
        return;
    Q_EMIT entryReceived(entry);
}

void KvWatcher::onCaughtUp(qsizetype feedIndex)
{
    m_feeds[feedIndex].caughtUp = true;
    if (m_initialDone)
        return;
    for (const Feed &feed : std::as_const(m_feeds)) {
        if (!feed.caughtUp)
            return;
    }
    m_initialDone = true;
    updateState();
    Q_EMIT initialValuesReceived();
}

bool KvWatcher::splitFeed(qsizetype feedIndex)
{
    Feed &feed = m_feeds[feedIndex];
    if (feed.filters.size() < 2 || feed.consumer->lastStreamSequence() > 0)
        return false;
    kvCDebug(lcKv).noquote() << "watch on" << m_bucket
                             << ": one consumer per filter instead:" << feed.consumer->errorString();
    feed.consumer->deleteLater();
    feed.consumer = nullptr;
    feed.caughtUp = true; // replaced by the feeds below
    const QStringList filters = feed.filters;
    for (const QString &filter : filters)
        startFeed({filter});
    return true;
}

void KvWatcher::onFeedFailed(qsizetype feedIndex)
{
    const JsOrderedConsumer *consumer = m_feeds[feedIndex].consumer;
    if (!consumer)
        return;
    // Several filters on one consumer need 2.10 and filters that do not overlap: where the server says
    // no (10136-10139, or it ignored filter_subjects), fall back to what works on every server.
    const int code = consumer->errorInfo().jsErrorCode();
    if ((consumer->error() == NatsError::FeatureNotSupported || (code >= 10136 && code <= 10139))
        && splitFeed(feedIndex))
        return;
    NatsError error(consumer->error(), consumer->errorString());
    if (consumer->streamReplaced()) {
        m_bucketReplaced = true;
        error = NatsError(NatsError::BucketNotFound,
                          tr("bucket \"%1\" is not the one watched any more (deleted and made again, or another "
                             "server's copy): its revisions do not follow on, so the watch ends after revision %2 "
                             "rather than skip or mix in other entries")
                              .arg(m_bucket)
                              .arg(consumer->lastStreamSequence()));
    } else if (error.code() == NatsError::StreamNotFound) {
        error = NatsError(NatsError::BucketNotFound,
                          consumer->wasCreated() ? tr("bucket \"%1\" was deleted").arg(m_bucket)
                                                 : tr("bucket \"%1\" not found").arg(m_bucket));
    } else if (consumer->createRefused()) {
        // The server's -ERR names the consumer's subject, a random name in it, and not what it means.
        const QByteArray prefix = m_context ? m_context->apiPrefix() : QByteArrayLiteral("$JS.API.");
        error = NatsError(
            NatsError::PermissionsViolation,
            tr("you may not create consumers, so the keys of bucket \"%1\" cannot be listed or "
               "watched (the server refused %2)")
                .arg(m_bucket, QString::fromUtf8(prefix + "CONSUMER.CREATE." + consumer->config().stream.toUtf8())));
    }
    fail(error);
}

quint64 KvWatcher::pendingCount() const
{
    quint64 pending = 0;
    for (const Feed &feed : m_feeds)
        pending += feed.lastDelta;
    return pending;
}

void KvWatcher::updateState()
{
    if (m_state == State::Stopped || m_state == State::Failed)
        return;
    bool recovering = false;
    bool starting = false;
    for (const Feed &feed : std::as_const(m_feeds)) {
        if (!feed.consumer)
            continue;
        recovering = recovering || feed.consumer->state() == JsOrderedConsumer::State::Recovering;
        starting = starting || feed.consumer->state() == JsOrderedConsumer::State::Creating;
    }
    const State next = recovering ? State::Recovering : (starting ? State::Starting : State::Watching);
    if (next == m_state)
        return;
    const State previous = m_state;
    m_state = next;
    Q_EMIT stateChanged(next);
    if (previous == State::Recovering && next == State::Watching)
        Q_EMIT resumed();
}

void KvWatcher::fail(const NatsError &error)
{
    if (m_state == State::Failed || m_state == State::Stopped)
        return;
    kvCDebug(lcKv).noquote() << "watch on" << m_bucket << "failed:" << error.message();
    m_error = error;
    for (Feed &feed : m_feeds) {
        if (feed.consumer)
            feed.consumer->stop();
    }
    m_state = State::Failed;
    Q_EMIT stateChanged(m_state);
    Q_EMIT errorOccurred(error.code());
}

void KvWatcher::stop()
{
    if (m_state == State::Stopped)
        return;
    for (Feed &feed : m_feeds) {
        if (feed.consumer)
            feed.consumer->stop();
    }
    m_state = State::Stopped;
    Q_EMIT stateChanged(m_state);
}

void KvWatcher::collectInitialValues(KvReply *reply, const std::function<void(const KvEntry &)> &onEntry,
                                     const std::function<void()> &onDone,
                                     const std::function<void(const NatsError &error)> &onError)
{
    connect(this, &KvWatcher::entryReceived, reply, onEntry);
    connect(this, &KvWatcher::initialValuesReceived, reply, [this, onDone] {
        stop();
        deleteLater();
        onDone();
    });
    connect(this, &KvWatcher::errorOccurred, reply, [this, reply, onError] {
        deleteLater();
        if (onError)
            onError(m_error);
        else
            reply->finishWithError(m_error);
    });
    // Given up (aborted, deleted) before the initial values were in: stop watching.
    connect(reply, &NatsReply::finished, this, &QObject::deleteLater);
}
