#pragma once

#include "natshandleshelf.h"

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <map>

class NatsError;
class NatsMessage;
class NatsReply;
class QTimer;

// The book of requests waiting for a response, nats.go's "resp mux": all requests of a connection share
// one wildcard inbox, "_INBOX.<nuid>.*", and each gets its own last token, so one subscription serves
// thousands of them. One timer, aimed at the earliest deadline, times them all out. The connection owns
// the inbox subscription and publishes the requests; it hands the inbox's messages to handleResponse().
class NatsRequestMux final : public QObject
{
    Q_OBJECT

public:
    // Replies are parented (through shelves) to owner, which is also this object's parent.
    explicit NatsRequestMux(QObject *owner);
    ~NatsRequestMux() override;

    // The handle for a new request.
    NatsReply *createReply();
    // Starts a new inbox and returns the wildcard subject to subscribe to. Only after failAll(): requests
    // on the old inbox could no longer be answered.
    QByteArray newInbox();
    // A reply subject under the current inbox, unique on this connection.
    QByteArray nextReplySubject();
    // Waits up to timeoutMs for the response on replySubject (from nextReplySubject()) to a request that
    // was published to subject.
    void add(const QByteArray &replySubject, NatsReply *reply, const QByteArray &subject, qint64 timeoutMs);

    // A message that arrived on the inbox: finishes its request's reply, or fails it with NoResponders
    // when it is the server's "503 No Responders" status. Late or repeated responses are ignored.
    void handleResponse(const NatsMessage &message);
    // Fails the requests published to subject (the server refused them a permission).
    void failRequestsTo(const QByteArray &subject, const NatsError &error);
    // Fails every pending request, without emitting idle().
    void failAll(const NatsError &error);
    bool hasPending() const { return !m_requests.isEmpty(); }

Q_SIGNALS:
    // No request is pending any more after a response or a timeout (what a drain waits for).
    void idle();

private:
    struct PendingRequest
    {
        QPointer<NatsReply> reply;
        QByteArray subject;
        qint64 deadline = 0;
    };

    void armTimer();
    void expire();
    void emitIdleIfEmpty();

    QByteArray m_prefix; // "_INBOX.<nuid>."
    quint64 m_nextId = 0;
    QHash<QByteArray, PendingRequest> m_requests;  // by token
    std::multimap<qint64, QByteArray> m_deadlines; // ms on m_clock -> token; may hold tokens already gone
    NatsHandleShelf m_replyShelf;                  // thousands of replies may be in flight
    QElapsedTimer m_clock;
    QTimer *m_timer;
};
