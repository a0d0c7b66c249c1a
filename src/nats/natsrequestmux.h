#pragma once

#include "natshandleshelf.h"

#include <QtCore/QByteArray>
#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>
#include <queue>
#include <unordered_map>
#include <utility>
#include <vector>

class NatsError;
class NatsMessage;
class NatsOutbox;
class NatsReply;
class QTimer;

// The book of requests waiting for a response, nats.go's "resp mux": all requests of a connection share
// one wildcard inbox, "_INBOX.<nuid>.*", and each gets its own last token, so one subscription serves
// thousands of them. One timer, aimed at the earliest deadline, times them all out. The connection owns
// the inbox subscription and publishes the requests; it hands the inbox's messages to handleResponse().
// A request whose publish waits in the connection's outbox (not connected) takes it back when it ends
// unanswered, so what the caller was told failed is never sent later.
//
// Pipelined requests (thousands in flight) cost no object each: a request is an integer token in a hash
// table (its reply subject ends in that integer, base62), its deadline an entry in one min-heap, and
// a caller that wants no reply handle gives a callback instead (addCallback()).
class NatsRequestMux final : public QObject
{
    Q_OBJECT

public:
    // How a request given with a callback ends: error NoError and the response, or the error (Timeout,
    // NoResponders, OutcomeUnknown, ...) and an empty message.
    using Callback = std::function<void(const NatsError &error, const NatsMessage &response)>;

    // Replies are parented (through shelves) to owner, which is also this object's parent. outbox, when
    // given, is where the owner queues publishes while not connected; it must outlive this object.
    explicit NatsRequestMux(QObject *owner, NatsOutbox *outbox = nullptr);
    ~NatsRequestMux() override;

    // The handle for a new request.
    NatsReply *createReply();
    // Starts a new inbox and returns the wildcard subject to subscribe to. Only after failAll(): requests
    // on the old inbox could no longer be answered.
    QByteArray newInbox(const QByteArray &prefix = QByteArrayLiteral("_INBOX"));
    // The wildcard subject of the current inbox ("_INBOX.<nuid>.*"), empty before newInbox().
    QByteArray inboxSubject() const { return m_prefix.isEmpty() ? QByteArray() : m_prefix + '*'; }
    // A reply subject under the current inbox, unique on this connection.
    QByteArray nextReplySubject();
    // Waits up to timeoutMs for the response on replySubject (from nextReplySubject()) to a request that
    // was published to subject: written to the socket, or queued in the outbox under outboxTicket.
    void add(const QByteArray &replySubject, NatsReply *reply, const QByteArray &subject, qint64 timeoutMs,
             quint64 outboxTicket = 0);
    // The same without a reply handle: callback runs exactly once, unless cancel() comes first. Returns
    // the request's id for cancel().
    quint64 addCallback(const QByteArray &replySubject, Callback callback, const QByteArray &subject, qint64 timeoutMs,
                        quint64 outboxTicket = 0);
    // Forgets a request made with addCallback() without running its callback; its publish, if it still
    // waits in the outbox, is taken back. False when it is no longer pending.
    bool cancel(quint64 id);

    // A message that arrived on the inbox: finishes its request's reply, or fails it with NoResponders
    // when it is the server's "503 No Responders" status. Late or repeated responses are ignored.
    void handleResponse(const NatsMessage &message);
    // Fails the requests published to subject (the server refused them a permission); returns how many.
    qsizetype failRequestsTo(const QByteArray &subject, const NatsError &error);
    // Fails the request whose reply subject is replySubject (the server refused it as a reply subject);
    // returns how many (0 or 1).
    qsizetype failRequestWithReply(const QByteArray &replySubject, const NatsError &error);
    // Fails every pending request, then emits idle(): the connection goes on, but no answer can come
    // (the server refused the inbox subscription).
    void failEveryRequest(const NatsError &error);
    // The connection the pending requests were written on failed (cause): their answers are lost, yet
    // the server may have acted on them. Fails them at once with OutcomeUnknown, or ProtocolError when
    // that was the cause. Requests whose publish still waits in the outbox go on waiting. No idle():
    // the connection is reconnecting or closing, not draining.
    void failSent(const NatsError &cause);
    // Fails every pending request, without emitting idle().
    void failAll(const NatsError &error);
    bool hasPending() const { return !m_requests.empty(); }
    qsizetype pendingCount() const { return qsizetype(m_requests.size()); }
    // Deadlines held, those of requests already answered included (they go when they come up, or when
    // they are most of the heap).
    qsizetype deadlineCount() const { return qsizetype(m_deadlines.size()); }

Q_SIGNALS:
    // No request is pending any more after a response or a timeout (what a drain waits for).
    void idle();

private:
    struct PendingRequest
    {
        QPointer<NatsReply> reply; // or, without a handle:
        Callback callback;
        QByteArray subject;
        qint64 deadline = 0;
        quint64 outboxTicket = 0; // its publish in the outbox while not connected; 0: written
    };

    using Predicate = std::function<bool(quint64 id, const PendingRequest &request)>;
    using Deadline = std::pair<qint64, quint64>; // ms on m_clock, request id

    // Removes the requests that match, taking back their publishes still in the outbox.
    QList<PendingRequest> takeWhere(const Predicate &matches);
    // Finishes requests taken from the book with error, then emits idle() if the book is empty.
    qsizetype fail(const QList<PendingRequest> &requests, const NatsError &error);
    static void finish(const PendingRequest &request, const NatsError &error, const NatsMessage &response);
    // The request id a reply subject of the current inbox ends in; false for any other subject.
    bool idOf(QByteArrayView replySubject, quint64 *id) const;
    quint64 insert(const QByteArray &replySubject, PendingRequest request, qint64 timeoutMs);
    // Takes the request's publish back from the outbox; false when it was written (or never queued).
    bool withdraw(const PendingRequest &request);
    bool isSent(const PendingRequest &request) const;
    // The heap of deadlines with those of pending requests only.
    void rebuildDeadlines();
    void armTimer();
    void expire();
    void emitIdleIfEmpty();

    QByteArray m_prefix;  // "_INBOX.<nuid>."
    quint64 m_nextId = 1; // 0 is no request
    using Book = std::unordered_map<quint64, PendingRequest>;
    Book m_requests; // by id, the reply subject's last token
    // Nodes of answered requests, kept for the next ones: a pipeline answers one and makes one, so its
    // book allocates nothing per request once it has filled (at most SpareNodes kept).
    static constexpr std::size_t SpareNodes = 256;
    std::vector<Book::node_type> m_spareNodes;
    // Earliest first; may hold ids already gone (skipped when they come up).
    std::priority_queue<Deadline, std::vector<Deadline>, std::greater<Deadline>> m_deadlines;
    qint64 m_armedFor = -1;       // the deadline the timer is aimed at, -1 when it is not running
    NatsHandleShelf m_replyShelf; // thousands of replies may be in flight
    QElapsedTimer m_clock;
    QTimer *m_timer;
    NatsOutbox *m_outbox;
};
