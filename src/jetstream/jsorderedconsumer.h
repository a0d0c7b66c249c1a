#pragma once

#include "jsdeliveryinfo.h"
#include "natserror.h"
#include "natsmessage.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class JetStreamContext;
class JsApiReply;
class NatsSubscription;
class QTimer;

struct JsOrderedConsumerConfig
{
    enum class DeliverPolicy {
        All,
        Last,
        New,
        ByStartSequence,
        ByStartTime,
        LastPerSubject
    };

    QString stream;
    QByteArray filterSubject;         // one filter (nats-server 2.9 takes only one per consumer)
    QList<QByteArray> filterSubjects; // several at once (filter_subjects, 2.10+); overrides filterSubject
    DeliverPolicy deliverPolicy = DeliverPolicy::All;
    quint64 startSequence = 0; // ByStartSequence
    QDateTime startTime;       // ByStartTime
    bool headersOnly = false;  // deliveries carry headers and Nats-Msg-Size, no payload
    int idleHeartbeatMs = 5000;

    // The consumer config as nats.go sends it for an ordered consumer (docs/nats-protocol.md §4.1).
    QJsonObject toJson(const QByteArray &deliverSubject) const;
    // Whether the consumer needs filter_subjects (more than one filter).
    bool hasSeveralFilters() const { return filterSubjects.size() > 1; }
};

// An ordered push consumer: an ephemeral, ack-less consumer whose deliveries are checked for gaps and
// re-created from the next expected stream sequence whenever something goes wrong — a gap in consumer
// sequences, a heartbeat that disagrees, heartbeats that stop, or a reconnect — so the application sees
// every message exactly once, in stream order. A last-per-subject consumer reset before it caught up starts
// that view over instead (skipping what it handed out), so it never hands out a value that was no longer
// the newest of its subject. It answers flow control and stalled-consumer heartbeats.
// This is the engine under Key/Value watchers and key listing. On nats-server 2.10+ it is a named
// consumer made through the 2.10 API with action "create"; on 2.9 the legacy server-named one.
class JsOrderedConsumer : public QObject
{
    Q_OBJECT

public:
    enum class State {
        Creating,
        Active,
        Recovering,
        Stopped,
        Failed
    };
    Q_ENUM(State)

    JsOrderedConsumer(JetStreamContext *context, const JsOrderedConsumerConfig &config, QObject *parent = nullptr);
    ~JsOrderedConsumer() override;

    const JsOrderedConsumerConfig &config() const { return m_config; }
    State state() const { return m_state; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }
    QString consumerName() const { return m_consumerName; }
    // Stream sequence of the last message delivered to the application (0 before the first).
    quint64 lastStreamSequence() const { return m_lastStreamSequence; }
    // Messages the consumer had to deliver when it was first created.
    quint64 initialPending() const { return m_initialPending; }
    bool hasCaughtUp() const { return m_caughtUp; }
    // A create succeeded once: a stream not found later was deleted while consumed.
    bool wasCreated() const { return m_createdOnce; }
    // Failed because the server refused the user to create the consumer (a permissions violation on
    // CONSUMER.CREATE), rather than the deliver inbox or anything else.
    bool createRefused() const { return m_createRefused; }
    int resetCount() const { return m_resetCount; }
    // Failed because the stream is not the one whose messages were handed out (deleted and made again,
    // or another server's copy): resuming after the last one seen would skip or mix in other messages.
    bool streamReplaced() const { return m_streamReplaced; }
    // Where the current consumer delivers (changes with every re-create).
    QByteArray deliverSubject() const { return m_deliverSubject; }
    // Idle heartbeats and flow-control requests received (answered) so far, for diagnostics.
    quint64 heartbeatCount() const { return m_heartbeatCount; }
    quint64 flowControlCount() const { return m_flowControlCount; }

public Q_SLOTS:
    // Unsubscribes and deletes the consumer on the server. No signal follows but stateChanged(Stopped).
    void stop();

Q_SIGNALS:
    void messageReceived(const NatsMessage &message, const JsDeliveryInfo &info);
    // Everything pending at creation has been delivered (emitted once, at once when there was nothing).
    void caughtUp();
    void stateChanged(JsOrderedConsumer::State state);
    // The consumer is being re-created from nextSequence, for the reason given.
    void recovering(quint64 nextSequence, const QString &reason);
    // A re-created consumer is delivering again.
    void recovered();
    void errorOccurred(NatsError::Code code);

private:
    void create();
    void checkStreamThenCreate();
    void checkLastMessageThenCreate();
    void failReplaced(const QString &message);
    JsOrderedConsumerConfig nextConfig();
    void onCreateAnswered(const JsApiReply *reply, int generation);
    void onCreated(const QJsonObject &info);
    void onCreateFailed(const NatsError &error);
    void setActive();
    void onMessage(const NatsMessage &message);
    void onControlMessage(const NatsMessage &message);
    void reset(const QString &reason);
    void checkLiveness();
    void askWhetherConsumerExists();
    void deleteOnServer(const QString &consumerName);
    void deleteWhenCreated();
    void onSubscriptionRefused();
    void setState(State state);
    void fail(const NatsError &error);
    void markCaughtUp();
    void askWhetherCaughtUp();
    void checkForStall();
    bool isInitialComplete(quint64 consumerSequence) const;
    void dropSubscription();

    QPointer<JetStreamContext> m_context;
    JsOrderedConsumerConfig m_config;
    QPointer<NatsSubscription> m_subscription;
    QByteArray m_deliverSubject;
    QString m_consumerName;
    QPointer<JsApiReply> m_createReply; // the last create sent
    QString m_requestedName;            // the name the pending create asks for (2.10+), or empty: the server's choice
    State m_state = State::Creating;
    NatsError m_error;
    quint64 m_expectedConsumerSequence = 1;
    quint64 m_lastStreamSequence = 0;
    qint64 m_lastMessageNs = 0; // when the message at m_lastStreamSequence was stored
    quint64 m_initialPending = 0;
    quint64 m_heartbeatCount = 0;
    quint64 m_flowControlCount = 0;
    int m_resetCount = 0;
    int m_createGeneration = 0;
    bool m_createPending = false;
    bool m_askingPending = false; // a CONSUMER.INFO of askWhetherCaughtUp() is out
    bool m_askingExists = false;  // a CONSUMER.INFO of askWhetherConsumerExists() is out
    bool m_caughtUp = false;
    bool m_createdOnce = false;   // a create succeeded: later failures are retried, not final
    bool m_streamChecked = false; // the stream is the one the messages handed out came from (re-create)
    bool m_streamReplaced = false;
    bool m_createRefused = false;
    // The consumer being created is the first that works: its consumer sequences 1..m_initialPending are
    // the messages there were at creation, so having them all is being caught up (see isInitialComplete).
    bool m_countsInitial = true;
    quint64 m_newFloor = 0;    // deliver "new": the stream's last sequence when first created
    quint64 m_skipThrough = 0; // a restarted last-per-subject view: handed out up to here already
    bool m_newFloorKnown = false;
    bool m_active = false;     // something arrived since the last liveness check
    int m_silentChecks = 0;    // liveness checks in a row that found nothing arrived
    JsDeliveryInfo m_delivery; // the last delivery's: the next shares its names
    QTimer *m_livenessTimer = nullptr;
    QTimer *m_retryTimer = nullptr;
    QTimer *m_stallTimer = nullptr; // until caught up: a read that stopped short is asked about
    quint64 m_stallMark = 0;        // what had arrived at its last tick
    quint64 m_resetFrom = 0;        // the last reset's stream position
    bool m_deliveredSinceReset = true;
};
