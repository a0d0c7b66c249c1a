#pragma once

#include "jsapireply.h"
#include "jsstreamconfig.h"
#include "natshandleshelf.h"
#include "natsmessage.h"
#include "natsserverinfo.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <functional>
#include <memory>
#include <optional>

class NatsConnection;
class NatsSubscription;
class JsOrderedConsumer;
class JsServerCapabilities;
struct JsOrderedConsumerConfig;

// Expectations a publish carries as headers; the stream refuses the message when one does not hold.
struct JsPublishOptions
{
    QByteArray messageId;                               // Nats-Msg-Id: de-duplication
    QString expectedStream;                             // Nats-Expected-Stream
    std::optional<quint64> expectedLastSequence;        // Nats-Expected-Last-Sequence
    std::optional<quint64> expectedLastSubjectSequence; // Nats-Expected-Last-Subject-Sequence (0: none yet)
    QByteArray expectedLastMessageId;                   // Nats-Expected-Last-Msg-Id
    int timeoutMs = -1;                                 // -1: the context's timeout
};

// What STREAM.MSG.GET / DIRECT.GET should fetch: a sequence, the last message of a subject, or the first
// message of a subject at or after a sequence.
struct JsMessageGetRequest
{
    quint64 sequence = 0;
    QByteArray lastBySubject;
    QByteArray nextBySubject;
    QJsonObject toJson() const;
};

// STREAM.PURGE options: only a subject, up to a sequence, or keeping the newest n.
struct JsPurgeRequest
{
    QByteArray filter;
    quint64 upToSequence = 0;
    quint64 keep = 0;
    QJsonObject toJson() const;
};

// JetStream over a NatsConnection: the $JS.API requests (with domain or custom API prefix), publishing
// with acknowledgements, message gets, and ordered push consumers. Every call returns a JsApiReply
// owned by this context (through a NatsHandleShelf); the caller deletes it when finished.
class JetStreamContext : public QObject
{
    Q_OBJECT

public:
    explicit JetStreamContext(NatsConnection *connection, QObject *parent = nullptr);
    ~JetStreamContext() override;

    NatsConnection *connection() const;
    // What the server said about itself (INFO: version, max_payload, ...); defaults when the connection
    // is gone. The layers above ask here rather than reaching for the connection.
    NatsServerInfo serverInfo() const;
    // The largest message (headers and payload) the server accepts, 0 when unknown (no connection).
    qint64 maxPayload() const;

    // "$JS.<domain>.API." instead of "$JS.API." (an empty domain restores the default).
    void setDomain(const QString &domain);
    QString domain() const { return m_domain; }
    // A custom prefix ("$JS.hub.API", a trailing dot is added when missing).
    void setApiPrefix(const QString &prefix);
    QByteArray apiPrefix() const { return m_apiPrefix; }
    // Timeout of API requests and publish acks, 5 s by default.
    void setTimeout(int milliseconds) { m_timeoutMs = milliseconds; }
    int timeout() const { return m_timeoutMs; }

    // What the server can do (version, API level), learned from what it says; owned by this context.
    JsServerCapabilities *capabilities();

    // A raw API request: apiSubject is what follows the prefix ("STREAM.INFO.KV_x"). Result: response().
    JsApiReply *request(const QByteArray &apiSubject, const QJsonObject &body = {}, int timeoutMs = -1);

    // $JS.API.INFO. Result: accountInfo() (and response()). Fails with JetStreamNotEnabled when
    // JetStream is off (a 503 from the server, at once, not a timeout).
    JsApiReply *accountInfo();
    // Result: streamInfo().
    JsApiReply *createStream(const JsStreamConfig &config);
    JsApiReply *updateStream(const JsStreamConfig &config);
    // Result: streamInfo(). With subjectsFilter, state.subjects lists matching subjects with message
    // counts, gathered from every page. Without, asked while the connection handles the server's INFO
    // it goes with the CONNECT (NatsConnection::requestWithHandshake(): a question, safe to ask twice).
    JsApiReply *streamInfo(const QString &name, const QString &subjectsFilter = {});
    // Result: response() {"success":true}.
    JsApiReply *deleteStream(const QString &name);
    // Result: response() {"success":true,"purged":n}.
    JsApiReply *purgeStream(const QString &name, const JsPurgeRequest &request = {});
    // All stream names (paged), optionally only streams with subjects matching subjectFilter. Result: streamNames().
    JsApiReply *streamNames(const QString &subjectFilter = {});
    // All stream infos (paged). Result: streams(). Asked while the connection handles the server's INFO,
    // the first page of either goes with the CONNECT, as streamInfo().
    JsApiReply *listStreams(const QString &subjectFilter = {});
    // STREAM.MSG.GET. Result: storedMessage(); MessageNotFound on a miss.
    JsApiReply *getMessage(const QString &stream, const JsMessageGetRequest &request);
    // DIRECT.GET (needs allow_direct; any replica answers). Result: storedMessage(); MessageNotFound on a miss.
    // A read, safe to ask twice: asked while the connection handles the server's INFO (a get made ahead
    // of its bucket's binding, KvBucket::readAhead()), it goes with the CONNECT, as streamInfo().
    JsApiReply *directGet(const QString &stream, const JsMessageGetRequest &request);

    // Publishes to a stream and waits for its ack. Result: pubAck(). A 503 (no stream captures the
    // subject, or a leader election) is retried twice 250 ms apart, then NoStreamResponse.
    JsApiReply *publish(const NatsMessage &message, const JsPublishOptions &options = {});
    // The same without a reply handle, for publishes pipelined by the thousand: callback runs exactly once,
    // later, with the acknowledgement or the error (the same errors and 503 retries as above). Input
    // refused at once (closed connection, invalid subject, too large) returns the error instead, and
    // callback never runs. Destroying the context drops callbacks not yet run.
    using PublishCallback = std::function<void(const NatsError &error, const JsPubAck &ack)>;
    NatsError publish(const NatsMessage &message, const JsPublishOptions &options, PublishCallback callback);
    // Adds the headers options asks for to message, as publish() does (to size a message before sending).
    static void applyPublishOptions(NatsMessage *message, const JsPublishOptions &options);

    // CONSUMER.CREATE (legacy endpoint, server-named ephemeral) / CONSUMER.DELETE. Result: response().
    JsApiReply *createConsumer(const QString &stream, const QJsonObject &config, int timeoutMs = -1);
    // The 2.10+ API: config names the consumer; one literal filter goes into the subject too
    // (CONSUMER.CREATE.<stream>.<name>.<filter>), wildcard ones and several (filter_subjects) do not; action is "create"
    // (fails if a different one exists), "update", or empty for either. Result: response().
    JsApiReply *createNamedConsumer(const QString &stream, const QJsonObject &config, const QString &action,
                                    int timeoutMs = -1);
    JsApiReply *deleteConsumer(const QString &stream, const QString &consumer);

    // An ordered push consumer, started at once and parented to this context.
    JsOrderedConsumer *orderedConsumer(const JsOrderedConsumerConfig &config);

    // The account's stream advisories, $JS.EVENT.ADVISORY.STREAM.<event>.<stream> (CREATED, UPDATED,
    // DELETED, LEADER_ELECTED, ...), which the server publishes whatever the domain or API prefix. A
    // subscription of the connection (the caller deletes it), or nullptr when the connection is gone.
    NatsSubscription *subscribeStreamAdvisories();
    static constexpr const char *StreamAdvisorySubjects = "$JS.EVENT.ADVISORY.STREAM.*.*";

private:
    NatsMessage directGetRequest(const QString &stream, const JsMessageGetRequest &get) const;
    using ResponseHandler = std::function<void(JsApiReply *reply, const QJsonObject &response)>;

    struct StreamInfoPages
    {
        JsStreamInfo info; // subjects of every page merged into info.state.subjects
        QJsonObject firstPage;
    };

    JsApiReply *newReply();
    enum class Sending {
        Ordinary,
        WithHandshake, // a read-only question: NatsConnection::requestWithHandshake()
    };
    // Sends a request and hands a successful JSON answer to onResponse; errors finish the reply.
    void callApi(JsApiReply *reply, const QByteArray &apiSubject, const QJsonObject &body, int timeoutMs,
                 const ResponseHandler &onResponse, Sending sending = Sending::Ordinary);
    // STREAM.NAMES / STREAM.LIST: both answer with a "streams" array and total.
    void fetchPage(JsApiReply *reply, const QByteArray &apiSubject, const QJsonObject &body, qint64 offset,
                   const std::shared_ptr<QJsonArray> &items);
    void fetchStreamInfoPage(JsApiReply *reply, const QByteArray &stream, const QString &subjectsFilter, qint64 offset,
                             const std::shared_ptr<StreamInfoPages> &pages);
    JsApiReply *streamRequest(const QByteArray &apiSubject, const JsStreamConfig &config);
    void publishAttempt(JsApiReply *reply, const NatsMessage &message, int timeoutMs, int retriesLeft);
    NatsError publishAttempt(const NatsMessage &message, int timeoutMs, int retriesLeft, PublishCallback callback);
    NatsError translateTransportError(const NatsReply *inner, const QByteArray &subject) const;

    QPointer<NatsConnection> m_connection;
    QString m_domain;
    QByteArray m_apiPrefix = QByteArrayLiteral("$JS.API.");
    int m_timeoutMs = 5000;
    NatsHandleShelf m_replyShelf{this};
    JsServerCapabilities *m_capabilities = nullptr;
};
