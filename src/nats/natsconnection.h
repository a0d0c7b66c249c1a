#pragma once

#include "natsconnectoptions.h"
#include "natserror.h"
#include "natsmessage.h"
#include "natsoutbox.h"
#include "natspingtracker.h"
#include "natsprotocolparser.h"
#include "natsserverinfo.h"
#include "natsserverpool.h"
#include "natssubscriptiontable.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtCore/QUrl>

#include <functional>

class QTcpSocket;
class QTimer;
class NatsReply;
class NatsRequestMux;
class NatsSubscription;

// A connection to a NATS server (or cluster), speaking the wire protocol over QTcpSocket/QSslSocket in
// the caller's event loop: no threads of its own. It connects, authenticates, keeps the connection alive
// with PING/PONG, and reconnects through the server pool when the connection drops, subscribing again
// and replaying publishes buffered meanwhile. Everything asynchronous reports through signals and reply
// handles; nothing blocks.
class NatsConnection : public QObject
{
    Q_OBJECT
    Q_PROPERTY(State state READ state NOTIFY stateChanged)

public:
    enum class State {
        Disconnected, // not started
        Connecting,   // first connection attempt(s)
        Connected,
        Reconnecting, // lost the connection, trying the pool again
        Draining,     // drain() in progress
        Closed,       // closed by close(), drain(), or because no server could be reached
    };
    Q_ENUM(State)

    struct Statistics
    {
        quint64 inMessages = 0;
        quint64 outMessages = 0;
        quint64 inBytes = 0;
        quint64 outBytes = 0;
        quint64 reconnects = 0;
    };

    explicit NatsConnection(QObject *parent = nullptr);
    ~NatsConnection() override;

    void setOptions(const NatsConnectOptions &options);
    const NatsConnectOptions &options() const { return m_options; }

    // Starts connecting; connected() or errorOccurred() + closed() follow.
    void connectToServer();
    void connectToServer(const NatsConnectOptions &options);
    // Closes at once: pending requests fail with ConnectionClosed, subscriptions end.
    void close();
    // Unsubscribes everything, lets pending requests finish (up to the drain timeout), flushes, then
    // closes. The reply finishes when the connection is closed.
    NatsReply *drain();

    State state() const { return m_state; }
    bool isConnected() const { return m_state == State::Connected; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError lastError() const { return m_error; }

    NatsServerInfo serverInfo() const { return m_info; }
    // URL of the server currently connected (or last tried).
    QUrl currentServer() const;
    QList<QUrl> serverPool() const;
    // Largest header+payload the server accepts (INFO max_payload).
    qint64 maxPayload() const { return m_info.maxPayload; }
    // Round trip of the last PING/PONG in microseconds, -1 before the first one.
    qint64 roundTripTime() const { return m_pings.roundTripTime(); }
    Statistics statistics() const { return m_stats; }

    // Publishes a message. Checks subject, headers, size and connection state first; returns the
    // reason it was refused, or NoError. While reconnecting, publishes are buffered up to
    // options().reconnectBufferSize; past that they are refused with ReconnectBufferFull. Connected, past
    // options().writeBufferSize waiting for the server, a publish waits up to writeTimeoutMs for room
    // (no event handled meanwhile), then is refused with WriteBufferFull.
    NatsError publish(const QByteArray &subject, const QByteArray &data, const QByteArray &replyTo = {});
    NatsError publish(const NatsMessage &message);

    // Subscribes to subject (wildcards allowed), optionally in a queue group. Never returns nullptr: an
    // invalid subject or a closed connection gives a subscription that reports errorOccurred() on the
    // next event-loop turn.
    NatsSubscription *subscribe(const QByteArray &subject, const QByteArray &queueGroup = {});

    // Request/reply through one shared inbox subscription. timeoutMs < 0 uses options().requestTimeoutMs.
    // "503 No Responders" fails the request at once with NatsError::NoResponders, and a permissions
    // violation (on its subject, or on the shared inbox) with PermissionsViolation. Made while
    // reconnecting, it waits in the reconnect buffer; ending first (timeout, abort()), it takes its
    // publish back: Timeout then means it was not sent. A request sent on a connection that fails before
    // the answer ends at once with OutcomeUnknown (ProtocolError if that was the failure).
    NatsReply *request(const QByteArray &subject, const QByteArray &data, int timeoutMs = -1);
    NatsReply *request(const NatsMessage &message, int timeoutMs = -1);
    // The same without a reply handle, for callers with thousands in flight: callback runs exactly once
    // with the response or the error, later (never from inside this call), unless cancelRequest(*id)
    // comes first. Input refused at once returns the error and never runs callback.
    using RequestCallback = std::function<void(const NatsError &error, const NatsMessage &response)>;
    NatsError request(const NatsMessage &message, int timeoutMs, RequestCallback callback, quint64 *id = nullptr);
    // A question that changes nothing on the server, asked while a connection attempt handles the server's
    // INFO (from serverInfoChanged(), before CONNECT is written): it goes out in the same write as
    // CONNECT, after it (the server reads it only once it has accepted the credentials), and its answer
    // comes right after the handshake's PONG instead of a round trip later. A failed attempt keeps it for
    // the next CONNECT, so a server may be asked more than once: only for read-only requests. Anywhere
    // else, and when a publish made while connecting waits for the handshake (the question must not
    // overtake it), it is an ordinary request().
    NatsReply *requestWithHandshake(const NatsMessage &message, int timeoutMs = -1);
    // Forgets a request made with a callback, taking its publish back if it was not sent yet.
    void cancelRequest(quint64 id);
    // Requests waiting for their answer.
    qsizetype pendingRequests() const;
    // Bytes written but not yet handed to the kernel (what a pipelining caller may wait to go down).
    qint64 bytesToWrite() const;
    // Bytes received but not yet handled: what the socket and the parser hold. The socket is read in
    // rounds of at most ReadBufferSize, so this stays near that while messages are handled.
    qint64 bytesToRead() const;

    // Finishes when the server has processed everything sent before it (a PING/PONG round trip).
    NatsReply *flush(int timeoutMs = -1);

    // A fresh inbox under the options' inbox prefix ("_INBOX.<nuid>" by default).
    QByteArray newInbox() const;

Q_SIGNALS:
    void stateChanged(NatsConnection::State state);
    void connected();
    // The connection was lost; reconnecting follows unless reconnects are off.
    void disconnected();
    void reconnected();
    // One try at a server failed (connecting or reconnecting; lastError() says why) and another follows,
    // unless the connection gives up (closed()).
    void connectAttemptFailed();
    void closed();
    // Errors that belong to no single reply: refused credentials, permission violations, lost
    // connections, protocol errors. Details in lastError().
    void errorOccurred(NatsError::Code code);
    void serverInfoChanged();
    void lameDuckModeEntered();
    void roundTripTimeChanged(qint64 microseconds);

private:
    friend class NatsSubscription;

    // Bytes waiting in the socket's buffer past which writeToSocket() hands them to the kernel at once.
    static constexpr qint64 WriteFlushThreshold = 256 * 1024;
    // Bytes of publishes batched in m_outbox past which they go to the socket at once, not at the end of
    // the event-loop turn (nats.go's bufio writer holds 32 KiB).
    static constexpr qsizetype BatchPushThreshold = 64 * 1024;
    // What the socket takes from the kernel per read notification: the rest waits there, under TCP's
    // flow control, instead of a subscriber that falls behind reading a whole backlog (megabytes) into
    // memory at once. Above what a turn of a publishing loop produces, so a subscriber in the same
    // thread keeps up (nats.go reads 32 KiB at a time, but from a goroutine of its own).
    static constexpr qint64 ReadBufferSize = 512 * 1024;
    // Bytes moved from the socket into the parser at a time, each piece handled before the next.
    static constexpr qint64 ParseChunkSize = 64 * 1024;
    // Messages read in a row after which what their handlers wrote is handed to the kernel.
    static constexpr int FlushEveryMessages = 128;

    enum class Handshake {
        None,
        WaitingInfo,
        WaitingTls,
        WaitingPong,
        Done
    };

    // connecting and the handshake
    QString handshakeStall() const; // why a connect timed out, for its message
    bool wantsTls() const;          // a tls:// URL or TLS options (not necessarily tls_first)
    // error, or what a close before INFO tells (when that is what it was).
    NatsError explainClosedBeforeInfo(const NatsError &error) const;
    // A close sooner than this after the TCP connection opened is taken as "at once".
    static constexpr qint64 ClosedAtOnceMs = 250;
    void startAttempt();
    void connectToCurrentServer();
    void wireSocket(QTcpSocket *socket);
    void dropSocket();
    void onSocketConnected();
    void onSocketError();
    void onSocketDisconnected();
    void onSocketReadyRead();
    // Moves up to ParseChunkSize bytes from the socket into the parser; false when there were none.
    bool feedParser();
    // op's payload may be moved out.
    void processOperation(NatsProtocolParser::Op &op);
    void handleInfo(const QByteArray &json);
    void startTls();
    void onSocketEncrypted();
    void sendConnect();
    void handshakeCompleted();

    // failures
    void attemptFailed(const NatsError &error);
    void connectionFailed(const NatsError &error);
    // No server left to try, or none worked on the first connect: report error and close.
    void giveUp(const NatsError &error);
    void scheduleNextAttempt();
    void connectionLost(const NatsError &error);
    void setState(State state);
    void setError(const NatsError &error);

    // the running connection
    void finishDrainIfIdle();
    // Why nothing can be sent in this state (closed, not connected, draining), NoError when it can.
    NatsError checkWritable() const;
    // publish(), telling where the bytes went: *outboxTicket is their ticket in m_outbox, 0 if written.
    NatsError publishMessage(const NatsMessage &message, quint64 *outboxTicket);
    // The publish of a request: message with replyTo (the mux's own subject, not validated again).
    NatsError publishRequest(const NatsMessage &message, const QByteArray &replyTo, quint64 *outboxTicket);
    // Encodes a checked publish into m_outbox: the batch while connected, else the reconnect buffer.
    NatsError writePublish(const NatsMessage &message, const QByteArray &replyTo, const QByteArray &headerBlock,
                           quint64 *outboxTicket);
    // Schedules the batch's push at the end of this event-loop turn, or pushes it now when it is large.
    void batchWritten();
    // Hands the batch to the socket and the socket's bytes to the kernel (the end of a turn, a full batch).
    void pushBatch();
    // Moves the batch into the socket's buffer when connected (so what is written next comes after it).
    void moveBatchToSocket();
    // Bytes handed to the socket and not yet to the kernel (encrypted ones too).
    qint64 socketBacklog() const;
    // Back-pressure (options().writeBufferSize, writeTimeoutMs): waits until the socket holds less, or
    // says why the publish is refused.
    NatsError waitForRoomToWrite();
    // Writes a control line (SUB, UNSUB, PING, PONG, CONNECT) after the batched publishes.
    void writeToSocket(const QByteArray &bytes);
    void writeRaw(const char *data, qsizetype size);
    void handleMessage(NatsProtocolParser::Op &op);
    void handleServerError(const QByteArray &text);
    // Fails what a permissions violation names; true when that was a pending request or a subscription.
    bool handlePermissionViolation(const QByteArray &text);
    void inboxRefused(const QByteArray &text);
    void sendPing();
    void handlePong();
    void failAllPending(const NatsError &error);
    void ensureResponseSubscription();
    // request() and requestWithHandshake(): withHandshake keeps the publish for the next CONNECT's write.
    NatsReply *startRequest(const NatsMessage &message, int timeoutMs, bool withHandshake);
    NatsError appendToHandshake(const NatsMessage &message, const QByteArray &replyTo);
    // Whether the server has subscription sid: connected, or it went with this attempt's CONNECT.
    bool serverHasSubscription(quint64 sid) const;
    // Why a request cannot be sent now (closed, draining, inbox refused), or NoError.
    NatsError checkRequest(const QByteArray &subject) const;

    // used by NatsSubscription
    void removeSubscription(quint64 sid, bool sendUnsub);
    void sendAutoUnsubscribe(quint64 sid, quint64 maxMessages);

    NatsConnectOptions m_options;
    NatsServerPool m_pool;
    State m_state = State::Disconnected;
    NatsError m_error;
    bool m_everConnected = false;
    QStringList m_initialErrors; // what each server tried by the first connect said

    // the current attempt or connection
    QTcpSocket *m_socket = nullptr; // a QSslSocket when TLS is on (NatsSocketFactory)
    NatsProtocolParser m_parser;
    Handshake m_handshake = Handshake::None;
    bool m_tls = false;
    NatsServerInfo m_info;
    QJsonObject m_infoJson; // every INFO of this connection merged, newest fields winning
    // Publishes not yet on the socket: the batch of this event-loop turn while connected, the reconnect
    // buffer while not. Bytes here have not been sent; a request's can still be withdrawn.
    NatsOutbox m_outbox;
    bool m_pushArmed = false;       // pushBatch() is queued for the end of this turn
    bool m_writeBacklogged = false; // the socket held more than writeBufferSize after its last write
    QByteArray m_checkedSubject;    // the last subject publish() found valid
    NatsPingTracker m_pings;
    Statistics m_stats;

    NatsSubscriptionTable m_subscriptions;
    quint64 m_responseSid = 0;         // the wildcard inbox subscription of m_requestMux
    QByteArray m_handshakeRequests;    // requestWithHandshake()'s, written after each CONNECT until one is accepted
    quint64 m_sidsSentWithConnect = 0; // the subscriptions up to this sid went out with this attempt's CONNECT
    bool m_attemptHasInfo = false;     // this attempt's first INFO was read
    QElapsedTimer m_openFor;           // since this attempt's TCP connection opened (invalid: not yet)
    quint64 m_inBytesWhenOpened = 0;   // m_stats.inBytes then: equal while the server has sent nothing
    NatsError m_inboxRefused;          // the server refused that subscription: requests fail until a new connection

    // drain()
    QPointer<NatsReply> m_drainReply;
    bool m_drainingSubscriptions = false; // UNSUBs sent, messages routed before them still arriving
    bool m_drainFlushing = false;

    QTimer *m_connectTimer = nullptr;
    QTimer *m_reconnectTimer = nullptr;
    QTimer *m_pingTimer = nullptr;
    NatsRequestMux *m_requestMux = nullptr;
    QTimer *m_drainTimer = nullptr;
};
