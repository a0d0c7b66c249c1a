#include "jsorderedconsumer.h"

#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "natsconnection.h"
#include "natslogging.h"
#include "natsnuid.h"
#include "natssubscription.h"

#include <QtCore/QJsonArray>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {

constexpr int kCreateRetryMs = 1000;
// A pause in an initial read this long asks whether what was pending went (see checkForStall()).
constexpr int kStallCheckMs = 500;
// nats-server 2.9 counts what is pending before it answers a create: seconds for a stream of a million
// keys. The first create waits this long (the caller shows that it waits); a re-create keeps the
// context's timeout, so that one placed on a dead cluster peer is given up and sent again soon.
constexpr int kFirstCreateTimeoutMs = 60000;
// ack_wait is not used by an ack-less consumer, but nats.go sends 22 h; so do we, for identical configs.
constexpr qint64 kAckWaitNs = 22LL * 3600 * 1000000000;

QString policyName(JsOrderedConsumerConfig::DeliverPolicy policy)
{
    using P = JsOrderedConsumerConfig::DeliverPolicy;
    switch (policy) {
    case P::All:
        return u"all"_s;
    case P::Last:
        return u"last"_s;
    case P::New:
        return u"new"_s;
    case P::ByStartSequence:
        return u"by_start_sequence"_s;
    case P::ByStartTime:
        return u"by_start_time"_s;
    case P::LastPerSubject:
        return u"last_per_subject"_s;
    }
    return u"all"_s;
}

} // namespace

QJsonObject JsOrderedConsumerConfig::toJson(const QByteArray &deliverSubject) const
{
    QJsonObject config{
        {"deliver_policy"_L1, policyName(deliverPolicy)},
        {"ack_policy"_L1, "none"_L1},
        {"ack_wait"_L1, kAckWaitNs},
        {"max_deliver"_L1, 1},
        {"replay_policy"_L1, "instant"_L1},
        {"flow_control"_L1, true},
        {"idle_heartbeat"_L1, qint64(idleHeartbeatMs) * 1000000},
        {"deliver_subject"_L1, QString::fromUtf8(deliverSubject)},
        {"num_replicas"_L1, 1},
        {"mem_storage"_L1, true},
    };
    if (hasSeveralFilters()) {
        QJsonArray filters;
        for (const QByteArray &filter : filterSubjects)
            filters.append(QString::fromUtf8(filter));
        config.insert("filter_subjects"_L1, filters);
    } else if (!filterSubjects.isEmpty() || !filterSubject.isEmpty()) {
        const QByteArray filter = filterSubjects.isEmpty() ? filterSubject : filterSubjects.first();
        config.insert("filter_subject"_L1, QString::fromUtf8(filter));
    }
    if (deliverPolicy == DeliverPolicy::ByStartSequence)
        config.insert("opt_start_seq"_L1, qint64(startSequence));
    if (deliverPolicy == DeliverPolicy::ByStartTime)
        config.insert("opt_start_time"_L1, startTime.toUTC().toString(Qt::ISODateWithMs));
    if (headersOnly)
        config.insert("headers_only"_L1, true);
    return config;
}

JsOrderedConsumer::JsOrderedConsumer(JetStreamContext *context, const JsOrderedConsumerConfig &config, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_config(config)
    , m_livenessTimer(new QTimer(this))
    , m_retryTimer(new QTimer(this))
    , m_stallTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &JsOrderedConsumer::create);
    // Heartbeats come every idle_heartbeat when nothing else does: a period without one asks whether the
    // consumer is still there, two in a row mean it is gone (server restart, its peer died) or deliveries
    // stopped: re-create it.
    connect(m_livenessTimer, &QTimer::timeout, this, &JsOrderedConsumer::checkLiveness);
    m_livenessTimer->start(std::max(config.idleHeartbeatMs, 100));
    connect(m_stallTimer, &QTimer::timeout, this, &JsOrderedConsumer::checkForStall);
    m_stallTimer->start(std::min(kStallCheckMs, std::max(config.idleHeartbeatMs, 100)));
    if (NatsConnection *connection = context->connection()) {
        // After a reconnect the server may have lost the consumer (a restart) without telling anyone:
        // re-create at once rather than waiting for heartbeats to be missed.
        connect(connection, &NatsConnection::reconnected, this, [this] { reset(u"reconnected"_s); });
        // Closed for good (close(), or no server left to reconnect to): nothing will be delivered.
        connect(connection, &NatsConnection::closed, this, [this] {
            if (m_state != State::Stopped && m_state != State::Failed)
                fail(NatsError(NatsError::ConnectionClosed, tr("the connection was closed")));
        });
    }
    // Start on the next turn so the creator can connect its signals first.
    QTimer::singleShot(0, this, &JsOrderedConsumer::create);
}

JsOrderedConsumer::~JsOrderedConsumer()
{
    const bool blocked = blockSignals(true);
    stop();
    blockSignals(blocked);
}

void JsOrderedConsumer::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void JsOrderedConsumer::create()
{
    if (m_state == State::Stopped || m_state == State::Failed || !m_context || !m_context->connection())
        return;
    NatsConnection *connection = m_context->connection();
    if (m_createdOnce && connection->state() == NatsConnection::State::Reconnecting)
        return; // the reconnected() handler re-creates it; a request now would only wait in the buffer
    if (m_lastStreamSequence > 0 && !m_streamChecked) {
        checkStreamThenCreate();
        return;
    }
    m_streamChecked = false; // for this create only: the next one checks again
    const int generation = ++m_createGeneration;
    m_createPending = true;
    m_expectedConsumerSequence = 1;
    m_countsInitial = !m_createdOnce;

    // A retry after a failed create must not leave the previous attempt's subscription behind.
    dropSubscription();
    // Subscribe before asking for the consumer: deliveries can arrive before the create reply.
    m_deliverSubject = connection->newInbox();
    m_subscription = connection->subscribe(m_deliverSubject);
    connect(m_subscription, &NatsSubscription::messageReceived, this, &JsOrderedConsumer::onMessage);
    connect(m_subscription, &NatsSubscription::errorOccurred, this, &JsOrderedConsumer::onSubscriptionRefused);

    const JsOrderedConsumerConfig config = nextConfig();
    QJsonObject json = config.toJson(m_deliverSubject);
    const int createTimeout = m_createdOnce ? -1 : std::max(kFirstCreateTimeoutMs, m_context->timeout());
    JsApiReply *reply = nullptr;
    if (m_context->capabilities()->supports(JsServerCapabilities::Feature::ConsumerActions)) {
        // 2.10+: a consumer of our own name, made only if no other has it (nats-modern.md §3.4).
        m_requestedName = QString::fromLatin1("kvdesk_" + NatsNuid::generate());
        json.insert("name"_L1, m_requestedName);
        reply = m_context->createNamedConsumer(m_config.stream, json, u"create"_s, createTimeout);
    } else {
        m_requestedName.clear(); // the server names it
        reply = m_context->createConsumer(m_config.stream, json, createTimeout);
    }
    m_createReply = reply;
    connect(reply, &NatsReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        onCreateAnswered(reply, generation);
    });
}

// The config of the next create: the one asked for, or, once something was handed out, one that goes on
// right after it.
JsOrderedConsumerConfig JsOrderedConsumer::nextConfig()
{
    JsOrderedConsumerConfig config = m_config;
    m_skipThrough = 0;
    if (m_config.deliverPolicy == JsOrderedConsumerConfig::DeliverPolicy::LastPerSubject && !m_caughtUp) {
        // Still in the latest-per-subject view: resuming by sequence would replay values replaced since
        // and values of subjects deleted since (whose markers a KV listing drops), so start the view
        // over. It comes in stream order: whatever is at or below the last sequence handed out was
        // handed out already, and is skipped.
        m_skipThrough = m_lastStreamSequence;
    } else if (m_lastStreamSequence > 0 || m_newFloorKnown) {
        // Resume right after the last message handed out. Only then: with nothing delivered yet the
        // original policy stands (a last-per-subject watch must not turn into a full replay) --
        // except "new", which re-created later would skip what was stored in between.
        config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::ByStartSequence;
        config.startSequence = std::max(m_lastStreamSequence, m_newFloor) + 1;
    }
    return config;
}

void JsOrderedConsumer::onCreateAnswered(const JsApiReply *reply, int generation)
{
    if (generation != m_createGeneration) {
        // Superseded by a newer attempt: a consumer made for it all the same is nobody's, and would stay
        // on the server until its own clean-up. (Stopped: stop() saw to it.)
        if (reply->error() == NatsError::NoError && m_state != State::Stopped)
            deleteOnServer(reply->response().value("name"_L1).toString());
        return;
    }
    m_createPending = false;
    if (m_state == State::Failed) {
        // The deliver subject was refused meanwhile: nothing would reach a consumer made now.
        if (reply->error() == NatsError::NoError)
            deleteOnServer(reply->response().value("name"_L1).toString());
        return;
    }
    if (reply->error() != NatsError::NoError) {
        onCreateFailed(reply->errorInfo());
        return;
    }
    const QJsonObject created = reply->response();
    if (m_config.hasSeveralFilters() && !created.value("config"_L1).toObject().contains("filter_subjects"_L1)) {
        // A server that ignores filter_subjects (2.9) would deliver the whole stream: refuse it.
        deleteOnServer(created.value("name"_L1).toString());
        fail(NatsError(NatsError::FeatureNotSupported,
                       tr("the server ignored filter_subjects (several filters on one consumer need "
                          "nats-server 2.10 or newer)")));
        return;
    }
    onCreated(created);
}

// A stream deleted and made again (a bucket deleted and created again) starts its sequences over: a
// consumer resuming after the last sequence handed out would skip as many new messages, and say nothing.
// A stream made after the last message handed out was stored is such a one, and so is one that ends
// before it: the consumer fails, saying so, rather than resume. (Stream and message times come from the server's clock: a cluster's nodes
// agree to milliseconds, and a stream takes longer than that to be deleted and made again.)
void JsOrderedConsumer::checkStreamThenCreate()
{
    const int generation = ++m_createGeneration;
    m_createPending = true;
    JsApiReply *reply = m_context->streamInfo(m_config.stream);
    connect(reply, &NatsReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_createGeneration || m_state == State::Stopped || m_state == State::Failed)
            return;
        m_createPending = false;
        if (reply->error() == NatsError::StreamNotFound) {
            onCreateFailed(reply->errorInfo());
            return;
        }
        // No answer (or no permission for STREAM.INFO): the check is not to be had, and a consumer that
        // never comes back would lose more than the check saves. The create goes ahead.
        if (reply->error() != NatsError::NoError) {
            m_streamChecked = true;
            create();
            return;
        }
        const JsStreamInfo info = reply->streamInfo();
        // A stream made again holds only messages stored since. A mirror (or a restored stream) keeps its
        // messages' first times, older than itself: there, when it was made tells nothing.
        const bool timesAreItsOwn = info.state.firstTime.isValid() && info.created.isValid()
            && info.state.firstTime >= info.created;
        if (timesAreItsOwn && info.created.toMSecsSinceEpoch() > m_lastMessageNs / 1000000) {
            failReplaced(tr("stream %1 was deleted and made again after its message %2 was delivered: its "
                            "sequences start over")
                             .arg(m_config.stream)
                             .arg(m_lastStreamSequence));
        } else if (info.state.lastSequence < m_lastStreamSequence) {
            failReplaced(tr("stream %1 ends at sequence %2, before its message %3 that was delivered: it is "
                            "another stream by that name (made again, or another server's copy)")
                             .arg(m_config.stream)
                             .arg(info.state.lastSequence)
                             .arg(m_lastStreamSequence));
        } else {
            checkLastMessageThenCreate();
        }
    });
}

// A stream of that name made before the one read (another server's copy: a URL list naming servers that
// are not one cluster, a server brought back on another store) goes on past the last sequence handed out,
// with other messages. The message at that sequence, while the stream keeps it, has the time it was
// delivered with; another time is another stream. Gone (a newer revision, a purge), it tells nothing.
void JsOrderedConsumer::checkLastMessageThenCreate()
{
    const int generation = ++m_createGeneration;
    m_createPending = true;
    JsMessageGetRequest request;
    request.sequence = m_lastStreamSequence;
    JsApiReply *reply = m_context->getMessage(m_config.stream, request);
    connect(reply, &NatsReply::finished, this, [this, reply, generation] {
        reply->deleteLater();
        if (generation != m_createGeneration || m_state == State::Stopped || m_state == State::Failed)
            return;
        m_createPending = false;
        const QDateTime stored = reply->error() == NatsError::NoError ? reply->storedMessage().time : QDateTime();
        if (stored.isValid() && stored.toMSecsSinceEpoch() != m_lastMessageNs / 1000000) {
            failReplaced(tr("stream %1 holds another message at sequence %2 than the one delivered: it is "
                            "another stream by that name (made again, or another server's copy)")
                             .arg(m_config.stream)
                             .arg(m_lastStreamSequence));
            return;
        }
        m_streamChecked = true;
        create();
    });
}

void JsOrderedConsumer::failReplaced(const QString &message)
{
    m_streamReplaced = true;
    fail(NatsError(NatsError::StreamNotFound, message));
}

void JsOrderedConsumer::onCreated(const QJsonObject &info)
{
    m_consumerName = info.value("name"_L1).toString();
    const quint64 pending = quint64(info.value("num_pending"_L1).toInteger());
    const quint64 delivered = quint64(info.value("delivered"_L1).toObject().value("consumer_seq"_L1).toInteger());
    if (!m_createdOnce) {
        m_initialPending = pending + delivered;
        if (m_config.deliverPolicy == JsOrderedConsumerConfig::DeliverPolicy::New) {
            // A "new" consumer starts after the stream's last sequence, which it reports as delivered.
            m_newFloor = quint64(info.value("delivered"_L1).toObject().value("stream_seq"_L1).toInteger());
            m_newFloorKnown = true;
        }
    }
    m_createdOnce = true;
    kvCDebug(lcJetStream) << "ordered consumer" << m_consumerName << "on" << m_config.stream << "pending" << pending;
    m_active = true;
    setActive();
    // Nothing to deliver (empty stream, no match, deliver "new"): caught up at once. Or everything there
    // was arrived before this reply.
    if (!m_caughtUp && (pending + delivered == 0 || isInitialComplete(m_expectedConsumerSequence - 1)))
        markCaughtUp();
}

void JsOrderedConsumer::setActive()
{
    // Deliveries often arrive before the create reply: whichever comes first shows the consumer works.
    const State previous = m_state;
    if (previous != State::Creating && previous != State::Recovering)
        return;
    setState(State::Active);
    if (previous == State::Recovering)
        Q_EMIT recovered();
}

void JsOrderedConsumer::onCreateFailed(const NatsError &error)
{
    kvCDebug(lcJetStream).noquote() << "creating the consumer failed:" << error.message();
    // The first create reports every failure: the caller asked for something the server refuses (or
    // cannot answer). A re-create asked for what worked before, so only a deleted stream is final; a
    // timeout, a 503 or a 10008 while a restarted server or a cluster elects leaders passes. So does a
    // first create whose answer was lost after the consumer had delivered: it was made.
    const bool madeAnyway = m_lastStreamSequence > 0
        && (error.code() == NatsError::OutcomeUnknown || error.code() == NatsError::Timeout);
    if ((!m_createdOnce && !madeAnyway) || error.code() == NatsError::StreamNotFound
        || error.code() == NatsError::ConnectionClosed) {
        m_createRefused = error.code() == NatsError::PermissionsViolation;
        fail(error);
        return;
    }
    m_retryTimer->start(kCreateRetryMs);
}

void JsOrderedConsumer::onSubscriptionRefused()
{
    // The server refused the deliver subject (a permissions violation, 'Subscription to "_INBOX.…"'): the
    // consumer would deliver to nobody and the watch would only time out, so it fails now, naming it.
    auto *subscription = qobject_cast<NatsSubscription *>(sender());
    if (!subscription || subscription != m_subscription || m_state == State::Stopped || m_state == State::Failed)
        return;
    if (subscription->error() != NatsError::PermissionsViolation
        && subscription->error() != NatsError::InvalidSubjectRejected)
        return; // the connection's end is handled where it is seen
    fail(NatsError(subscription->error(), subscription->errorString()));
}

void JsOrderedConsumer::fail(const NatsError &error)
{
    m_error = error;
    m_livenessTimer->stop();
    m_stallTimer->stop();
    m_retryTimer->stop();
    dropSubscription();
    setState(State::Failed);
    Q_EMIT errorOccurred(error.code());
}

void JsOrderedConsumer::onMessage(const NatsMessage &message)
{
    if (sender() != m_subscription)
        return; // a late delivery for a consumer we already replaced
    m_active = true;
    if (message.status() == 100) {
        onControlMessage(message);
        return;
    }
    // Parsed over a copy of the last one (its own, handed to the slots: one may run a nested event loop),
    // whose stream and consumer names it shares instead of allocating them again.
    JsDeliveryInfo info = m_delivery;
    if (!JsDeliveryInfo::parse(message.replyTo(), &info)) {
        kvCWarning(lcJetStream) << "ignoring a delivery without JetStream metadata on" << message.subject();
        return;
    }
    m_delivery = info;
    if (info.consumerSequence != m_expectedConsumerSequence) {
        reset(
            u"gap: expected consumer sequence %1, got %2"_s.arg(m_expectedConsumerSequence).arg(info.consumerSequence));
        return;
    }
    m_expectedConsumerSequence = info.consumerSequence + 1;
    m_deliveredSinceReset = true;
    const QPointer<JsOrderedConsumer> guard(this);
    setActive();
    if (!guard)
        return;
    const bool last = info.pending == 0 || isInitialComplete(info.consumerSequence);
    if (info.streamSequence <= m_skipThrough) {
        if (!m_caughtUp && last)
            markCaughtUp();
        return; // handed out before the view started over
    }
    m_lastStreamSequence = info.streamSequence;
    m_lastMessageNs = info.timestampNs;
    Q_EMIT messageReceived(message, info);
    if (guard && !m_caughtUp && last)
        markCaughtUp();
}

void JsOrderedConsumer::onControlMessage(const NatsMessage &message)
{
    NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    if (!connection)
        return;
    const QByteArray description = message.headers().statusDescription();
    if (description.startsWith("FlowControl") || message.replyTo().startsWith("$JS.FC.")) {
        // Everything received before this request has already been handed to the application
        // (delivery is synchronous), so answer at once.
        ++m_flowControlCount;
        (void)connection->publish(message.replyTo(), {});
        return;
    }
    // Idle heartbeat.
    ++m_heartbeatCount;
    const QByteArray stalled = message.headers().value("Nats-Consumer-Stalled");
    if (!stalled.isEmpty())
        (void)connection->publish(stalled, {});
    const QByteArray lastConsumer = message.headers().value("Nats-Last-Consumer");
    if (!lastConsumer.isEmpty()) {
        const quint64 serverLast = lastConsumer.toULongLong();
        if (serverLast != m_expectedConsumerSequence - 1) {
            reset(u"heartbeat: the server delivered %1, we received %2"_s.arg(serverLast)
                      .arg(m_expectedConsumerSequence - 1));
            return;
        }
    }
    if (!m_caughtUp)
        askWhetherCaughtUp();
}

// Idle, nothing missed, and not caught up: the last message handed out said more were pending, and they
// went before they could be delivered (a purge, a TTL, the history limit while the read was under way; seen
// with nats-server 2.9.10), or the count was off. Nothing but heartbeats comes then; the consumer's info
// tells whether anything is still pending.
void JsOrderedConsumer::askWhetherCaughtUp()
{
    if (m_askingPending || m_consumerName.isEmpty() || !m_context)
        return;
    m_askingPending = true;
    const QString name = m_consumerName;
    const quint64 received = m_expectedConsumerSequence - 1;
    JsApiReply *reply = m_context->request("CONSUMER.INFO." + m_config.stream.toUtf8() + '.' + name.toUtf8());
    connect(reply, &NatsReply::finished, this, [this, reply, name, received] {
        reply->deleteLater();
        m_askingPending = false;
        if (reply->error() != NatsError::NoError || m_caughtUp || name != m_consumerName
            || received != m_expectedConsumerSequence - 1)
            return; // asked again at the next heartbeat, if still idle
        const QJsonObject info = reply->response();
        const quint64 delivered = quint64(info.value("delivered"_L1).toObject().value("consumer_seq"_L1).toInteger());
        if (info.value("num_pending"_L1).toInteger(-1) == 0 && delivered == received) {
            kvCDebug(lcJetStream) << "ordered consumer" << name << "caught up: nothing pending at the heartbeat";
            markCaughtUp();
        }
    });
}

// Between heartbeats: nothing arrived for a whole tick while more was said to be pending. Asking costs one
// CONSUMER.INFO a tick of such a pause, and ends the read up to a heartbeat sooner when what was pending went.
void JsOrderedConsumer::checkForStall()
{
    if (m_caughtUp || m_state == State::Stopped || m_state == State::Failed) {
        m_stallTimer->stop();
        return;
    }
    const quint64 received = m_expectedConsumerSequence - 1;
    const bool stalled = received == m_stallMark;
    m_stallMark = received;
    if (stalled)
        askWhetherCaughtUp();
}

void JsOrderedConsumer::reset(const QString &reason)
{
    if (m_state == State::Stopped || m_state == State::Failed)
        return;
    ++m_resetCount;
    kvCDebug(lcJetStream).noquote() << "resetting ordered consumer on" << m_config.stream << ':' << reason;
    dropSubscription();
    deleteOnServer(m_consumerName);
    m_consumerName.clear();
    m_retryTimer->stop();
    setState(State::Recovering);
    Q_EMIT recovering(m_lastStreamSequence + 1, reason);
    // The same place again with nothing delivered since: made again at once, whatever stops it there
    // would stop it again, as fast as the server answers. Waiting a second keeps that from a tight loop.
    const bool again = !m_deliveredSinceReset && m_resetFrom == m_lastStreamSequence;
    m_resetFrom = m_lastStreamSequence;
    m_deliveredSinceReset = false;
    if (!again && m_context && m_context->connection() && m_context->connection()->isConnected())
        create(); // a newer attempt also supersedes one still waiting for its reply
    else
        m_retryTimer->start(kCreateRetryMs);
}

void JsOrderedConsumer::checkLiveness()
{
    if (m_state == State::Stopped || m_state == State::Failed)
        return;
    const bool connected = m_context && m_context->connection() && m_context->connection()->isConnected();
    const bool silent = !m_active && connected && !m_createPending && !m_retryTimer->isActive();
    m_active = false;
    m_silentChecks = silent ? m_silentChecks + 1 : 0;
    if (m_silentChecks == 1) {
        askWhetherConsumerExists();
    } else if (m_silentChecks >= 2) {
        m_silentChecks = 0;
        reset(u"no heartbeat for %1 ms"_s.arg(2 * m_config.idleHeartbeatMs));
    }
}

// A push consumer whose stream is deleted just stops, and so does one deleted by itself; the stream's
// advisory, when there is one to hear, is not always sent (nats-server queues it on the stream's own loop,
// which the deletion stops: about one deletion in ten of a stream with a consumer, on 2.9.10 to 2.15.1).
// The consumer's info tells at the first heartbeat missed, not two heartbeats later: a stream gone is
// final, a consumer gone is made again.
void JsOrderedConsumer::askWhetherConsumerExists()
{
    if (m_askingExists || m_consumerName.isEmpty() || !m_context)
        return;
    m_askingExists = true;
    const QString name = m_consumerName;
    JsApiReply *reply = m_context->request("CONSUMER.INFO." + m_config.stream.toUtf8() + '.' + name.toUtf8());
    connect(reply, &NatsReply::finished, this, [this, reply, name] {
        reply->deleteLater();
        m_askingExists = false;
        if (name != m_consumerName || m_state == State::Stopped || m_state == State::Failed)
            return;
        if (reply->error() == NatsError::StreamNotFound)
            fail(reply->errorInfo());
        else if (reply->error() == NatsError::ConsumerNotFound)
            reset(u"the consumer is gone from the server"_s);
        // Anything else (no answer, no permission for CONSUMER.INFO): the heartbeats still decide.
    });
}

void JsOrderedConsumer::deleteOnServer(const QString &consumerName)
{
    if (consumerName.isEmpty() || !m_context || !m_context->connection() || !m_context->connection()->isConnected())
        return;
    // Best effort: an ephemeral consumer also expires by itself 5 s after interest is gone.
    JsApiReply *reply = m_context->deleteConsumer(m_config.stream, consumerName);
    reply->setAutoDelete(true);
}

// Stopped before the server named its consumer (2.9): deleted when the create's reply names it, by the
// context, as this consumer may be gone by then (a command ends, and its watcher with it).
void JsOrderedConsumer::deleteWhenCreated()
{
    JsApiReply *reply = m_createReply;
    if (!reply || !m_context || reply->isFinished())
        return;
    const QPointer<JetStreamContext> context = m_context;
    const QString stream = m_config.stream;
    connect(reply, &NatsReply::finished, m_context, [reply, context, stream] {
        reply->deleteLater();
        const QString name = reply->error() == NatsError::NoError ? reply->response().value("name"_L1).toString()
                                                                  : QString();
        if (context && !name.isEmpty() && context->connection() && context->connection()->isConnected())
            context->deleteConsumer(stream, name)->setAutoDelete(true);
    });
}

void JsOrderedConsumer::stop()
{
    if (m_state == State::Stopped)
        return;
    ++m_createGeneration;
    m_livenessTimer->stop();
    m_stallTimer->stop();
    m_retryTimer->stop();
    dropSubscription();
    // Stopped before the create's reply (2.10 may send every delivery first): the name asked for is the
    // one to delete; a consumer the server names is deleted when its reply comes (onCreateAnswered()).
    deleteOnServer(m_consumerName.isEmpty() && m_createPending ? m_requestedName : m_consumerName);
    if (m_consumerName.isEmpty() && m_createPending && m_requestedName.isEmpty())
        deleteWhenCreated();
    setState(State::Stopped);
}

void JsOrderedConsumer::dropSubscription()
{
    if (!m_subscription)
        return;
    m_subscription->unsubscribe();
    m_subscription->deleteLater();
    m_subscription = nullptr;
}

bool JsOrderedConsumer::isInitialComplete(quint64 consumerSequence) const
{
    // nats-server 2.9.10 now and then counts the first deliveries before it has set the consumer's
    // pending count, and the reply subjects then say 1 where they should say 0 (tst_jsmisbehavingserver):
    // the count in the create reply still tells when everything there was at creation has arrived.
    // Only for the first consumer: a re-created one numbers its deliveries from 1 again.
    return m_countsInitial && m_createdOnce && m_initialPending > 0 && consumerSequence >= m_initialPending;
}

void JsOrderedConsumer::markCaughtUp()
{
    m_caughtUp = true;
    m_stallTimer->stop();
    Q_EMIT caughtUp();
}
