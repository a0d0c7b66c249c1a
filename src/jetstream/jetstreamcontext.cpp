#include "jetstreamcontext.h"

#include "jsorderedconsumer.h"
#include "jsservercapabilities.h"
#include "natsconnection.h"
#include "natslogging.h"
#include "natsprotocol.h"
#include "natsreply.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {
constexpr int kPublishRetryWaitMs = 250;
constexpr int kPublishRetries = 2;

// Whether a request on subject fits the server's protocol line, with what else the line holds: the verb,
// the reply inbox ("_INBOX.<nuid>.<token>", 38 bytes), the header and total sizes, CRLF. A key near the
// limit is written with a shorter subject than the API subjects that can name it again; those requests
// then say the subject in their body instead, or the key could be written but never read. An inbox prefix
// longer than "_INBOX" (NatsConnectOptions::inboxPrefix) takes its extra bytes from the line too.
bool fitsProtocolLine(const QByteArray &subject, const NatsConnection *connection)
{
    const qsizetype longerInbox = connection
        ? std::max<qsizetype>(0, connection->options().inboxPrefixOrDefault().size() - 6)
        : 0;
    constexpr qsizetype rest = 64;
    return subject.size() + rest + longerInbox <= NatsProtocol::MaxControlLine;
}

// The message went out and no acknowledgement came: the stream may have stored it, and the caller must not
// take the error for "not written".
NatsError publishTimedOut(const QString &subject)
{
    return NatsError(NatsError::Timeout,
                     JetStreamContext::tr("publish to %1 timed out waiting for the stream's acknowledgement: "
                                          "it may or may not have been stored")
                         .arg(subject));
}
// An acknowledgement of sequence 0 stored nothing (JsPubAck::check()): the write's error, not its ack.
template<typename Response>
void finishAcknowledged(JsApiReply *reply, const JsPubAck &ack, const Response &response)
{
    if (const NatsError unstored = ack.check(); unstored.isError())
        reply->finishWithError(unstored);
    else
        reply->finishWithPubAck(ack, response);
}

} // namespace

QJsonObject JsMessageGetRequest::toJson() const
{
    QJsonObject object;
    if (sequence > 0)
        object.insert("seq"_L1, qint64(sequence));
    if (!lastBySubject.isEmpty())
        object.insert("last_by_subj"_L1, QString::fromUtf8(lastBySubject));
    if (!nextBySubject.isEmpty())
        object.insert("next_by_subj"_L1, QString::fromUtf8(nextBySubject));
    return object;
}

QJsonObject JsPurgeRequest::toJson() const
{
    QJsonObject object;
    if (!filter.isEmpty())
        object.insert("filter"_L1, QString::fromUtf8(filter));
    if (upToSequence > 0)
        object.insert("seq"_L1, qint64(upToSequence));
    if (keep > 0)
        object.insert("keep"_L1, qint64(keep));
    return object;
}

JetStreamContext::JetStreamContext(NatsConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_capabilities = new JsServerCapabilities(this);
}

JetStreamContext::~JetStreamContext() = default;

NatsConnection *JetStreamContext::connection() const
{
    return m_connection;
}

NatsServerInfo JetStreamContext::serverInfo() const
{
    return m_connection ? m_connection->serverInfo() : NatsServerInfo();
}

qint64 JetStreamContext::maxPayload() const
{
    return m_connection ? m_connection->maxPayload() : 0;
}

NatsSubscription *JetStreamContext::subscribeStreamAdvisories()
{
    return m_connection ? m_connection->subscribe(StreamAdvisorySubjects) : nullptr;
}

void JetStreamContext::setDomain(const QString &domain)
{
    m_domain = domain;
    m_apiPrefix = domain.isEmpty() ? QByteArrayLiteral("$JS.API.") : "$JS." + domain.toUtf8() + ".API.";
}

void JetStreamContext::setApiPrefix(const QString &prefix)
{
    m_domain.clear();
    m_apiPrefix = prefix.toUtf8();
    if (m_apiPrefix.isEmpty())
        m_apiPrefix = QByteArrayLiteral("$JS.API.");
    if (!m_apiPrefix.endsWith('.'))
        m_apiPrefix += '.';
}

JsApiReply *JetStreamContext::newReply()
{
    return new JsApiReply(m_replyShelf.next());
}

NatsError JetStreamContext::translateTransportError(const NatsReply *inner, const QByteArray &subject) const
{
    const QString where = QString::fromUtf8(subject);
    switch (inner->error()) {
    case NatsError::NoResponders:
        // Nobody listens on $JS.API: the server runs without -js, or this account has no JetStream. With a
        // domain or a prefix of the user's, that is the likelier mistake: say it first.
        if (!m_domain.isEmpty())
            return NatsError(NatsError::JetStreamNotEnabled,
                             tr("no JetStream answered in domain \"%1\": nothing answered %2").arg(m_domain, where));
        if (m_apiPrefix != "$JS.API.")
            return NatsError(NatsError::JetStreamNotEnabled,
                             tr("no JetStream answered with the API prefix \"%1\": nothing answered %2")
                                 .arg(QString::fromUtf8(m_apiPrefix), where));
        return NatsError(
            NatsError::JetStreamNotEnabled,
            tr("JetStream not enabled: nothing answered %1 (is nats-server running with -js?)").arg(where));
    case NatsError::Timeout:
        return NatsError(NatsError::Timeout, tr("JetStream request %1 timed out").arg(where));
    default:
        return inner->errorInfo();
    }
}

void JetStreamContext::callApi(JsApiReply *reply, const QByteArray &apiSubject, const QJsonObject &body, int timeoutMs,
                               const ResponseHandler &onResponse, Sending sending)
{
    if (!m_connection) {
        reply->finishWithErrorLater(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    const QByteArray subject = m_apiPrefix + apiSubject;
    const QByteArray payload = body.isEmpty() ? QByteArray() : QJsonDocument(body).toJson(QJsonDocument::Compact);
    const int timeout = timeoutMs < 0 ? m_timeoutMs : timeoutMs;
    NatsReply *inner = sending == Sending::WithHandshake
        ? m_connection->requestWithHandshake(NatsMessage(subject, payload), timeout)
        : m_connection->request(subject, payload, timeout);
    kvCDebug(lcJetStream) << "API" << subject << payload;
    // Cancelling the outer reply cancels the request it waits on.
    connect(reply, &NatsReply::finished, inner, [inner] { inner->abort(); });
    connect(inner, &NatsReply::finished, reply, [this, reply, inner, subject, onResponse] {
        inner->deleteLater();
        if (reply->isFinished())
            return;
        if (inner->error() != NatsError::NoError) {
            reply->finishWithError(translateTransportError(inner, subject));
            return;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(inner->message().data(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            reply->finishWithError(NatsError(NatsError::InvalidResponse,
                                             tr("JetStream answered %1 with something that is not JSON: %2")
                                                 .arg(QString::fromUtf8(subject), parseError.errorString())));
            return;
        }
        const QJsonObject response = doc.object();
        const NatsError error = JsApiReply::errorFromResponse(response);
        if (error.isError()) {
            reply->finishWithError(error);
            return;
        }
        onResponse(reply, response);
    });
}

JsApiReply *JetStreamContext::request(const QByteArray &apiSubject, const QJsonObject &body, int timeoutMs)
{
    JsApiReply *reply = newReply();
    callApi(reply, apiSubject, body, timeoutMs,
            [](JsApiReply *r, const QJsonObject &response) { r->finishWithResponse(response); });
    return reply;
}

JsServerCapabilities *JetStreamContext::capabilities()
{
    return m_capabilities;
}

JsApiReply *JetStreamContext::accountInfo()
{
    JsApiReply *reply = newReply();
    callApi(reply, "INFO", {}, -1, [this](JsApiReply *r, const QJsonObject &response) {
        capabilities()->learn(JsAccountInfo::fromJson(response)); // the API level, asked for or not
        r->finishWithResponse(response);
    });
    return reply;
}

JsApiReply *JetStreamContext::streamRequest(const QByteArray &apiSubject, const JsStreamConfig &config)
{
    JsApiReply *reply = newReply();
    callApi(reply, apiSubject + config.name.toUtf8(), config.toJson(), -1,
            [](JsApiReply *r, const QJsonObject &response) {
                r->finishWithStreamInfo(JsStreamInfo::fromJson(response), response);
            });
    return reply;
}

JsApiReply *JetStreamContext::createStream(const JsStreamConfig &config)
{
    return streamRequest("STREAM.CREATE.", config);
}

JsApiReply *JetStreamContext::updateStream(const JsStreamConfig &config)
{
    return streamRequest("STREAM.UPDATE.", config);
}

JsApiReply *JetStreamContext::streamInfo(const QString &name, const QString &subjectsFilter)
{
    JsApiReply *reply = newReply();
    if (subjectsFilter.isEmpty()) {
        callApi(
            reply, "STREAM.INFO." + name.toUtf8(), {}, -1,
            [](JsApiReply *r, const QJsonObject &response) {
                r->finishWithStreamInfo(JsStreamInfo::fromJson(response), response);
            },
            Sending::WithHandshake);
        return reply;
    }
    // Subject details come in pages (100,000 subjects each on 2.9): gather them all.
    fetchStreamInfoPage(reply, name.toUtf8(), subjectsFilter, 0, std::make_shared<StreamInfoPages>());
    return reply;
}

void JetStreamContext::fetchStreamInfoPage(JsApiReply *reply, const QByteArray &stream, const QString &subjectsFilter,
                                           qint64 offset, const std::shared_ptr<StreamInfoPages> &pages)
{
    const QJsonObject body{{"subjects_filter"_L1, subjectsFilter}, {"offset"_L1, offset}};
    callApi(reply, "STREAM.INFO." + stream, body, -1,
            [this, stream, subjectsFilter, offset, pages](JsApiReply *r, const QJsonObject &response) {
                const QJsonObject pageSubjects = response.value("state"_L1).toObject().value("subjects"_L1).toObject();
                if (offset == 0) {
                    pages->info = JsStreamInfo::fromJson(response);
                    pages->firstPage = response;
                } else {
                    // Gathered in a hash: merging into one QJsonObject would cost O(n) per subject.
                    QHash<QString, quint64> &subjects = pages->info.state.subjects;
                    for (auto it = pageSubjects.begin(); it != pageSubjects.end(); ++it)
                        subjects.insert(it.key(), quint64(it.value().toInteger()));
                }
                const qint64 total = response.value("total"_L1).toInteger();
                const qint64 next = offset + pageSubjects.size();
                if (pageSubjects.isEmpty() || next >= total)
                    r->finishWithStreamInfo(pages->info, pages->firstPage);
                else
                    fetchStreamInfoPage(r, stream, subjectsFilter, next, pages);
            });
}

JsApiReply *JetStreamContext::deleteStream(const QString &name)
{
    return request("STREAM.DELETE." + name.toUtf8());
}

JsApiReply *JetStreamContext::purgeStream(const QString &name, const JsPurgeRequest &purge)
{
    return request("STREAM.PURGE." + name.toUtf8(), purge.toJson());
}

void JetStreamContext::fetchPage(JsApiReply *reply, const QByteArray &apiSubject, const QJsonObject &body,
                                 qint64 offset, const std::shared_ptr<QJsonArray> &items)
{
    QJsonObject pageBody = body;
    pageBody.insert("offset"_L1, offset);
    // The first page may go with the CONNECT (a listing asked while the connection handles INFO).
    callApi(
        reply, apiSubject, pageBody, -1,
        [this, apiSubject, body, items](JsApiReply *r, const QJsonObject &response) {
            // Paging: ask again from the number received until total is reached or a page is empty.
            const QJsonArray page = response.value("streams"_L1).toArray();
            for (const QJsonValue &item : page)
                items->append(item);
            const qint64 total = response.value("total"_L1).toInteger();
            if (page.isEmpty() || items->size() >= total) {
                if (apiSubject == "STREAM.NAMES") {
                    QStringList names;
                    for (const QJsonValue &name : std::as_const(*items))
                        names.append(name.toString());
                    r->finishWithNames(names);
                } else {
                    QList<JsStreamInfo> streams;
                    for (const QJsonValue &info : std::as_const(*items))
                        streams.append(JsStreamInfo::fromJson(info.toObject()));
                    r->finishWithStreams(streams);
                }
                return;
            }
            fetchPage(r, apiSubject, body, items->size(), items);
        },
        offset == 0 ? Sending::WithHandshake : Sending::Ordinary);
}

JsApiReply *JetStreamContext::streamNames(const QString &subjectFilter)
{
    JsApiReply *reply = newReply();
    QJsonObject body;
    if (!subjectFilter.isEmpty())
        body.insert("subject"_L1, subjectFilter);
    fetchPage(reply, "STREAM.NAMES", body, 0, std::make_shared<QJsonArray>());
    return reply;
}

JsApiReply *JetStreamContext::listStreams(const QString &subjectFilter)
{
    JsApiReply *reply = newReply();
    QJsonObject body;
    if (!subjectFilter.isEmpty())
        body.insert("subject"_L1, subjectFilter);
    fetchPage(reply, "STREAM.LIST", body, 0, std::make_shared<QJsonArray>());
    return reply;
}

JsApiReply *JetStreamContext::getMessage(const QString &stream, const JsMessageGetRequest &get)
{
    JsApiReply *reply = newReply();
    callApi(reply, "STREAM.MSG.GET." + stream.toUtf8(), get.toJson(), -1,
            [this](JsApiReply *r, const QJsonObject &response) {
                JsStoredMessage message;
                if (!JsStoredMessage::fromMessageGet(response.value("message"_L1).toObject(), &message)) {
                    r->finishWithError(
                        NatsError(NatsError::InvalidResponse, tr("STREAM.MSG.GET answered without a valid message")));
                    return;
                }
                r->finishWithStoredMessage(message);
            });
    return reply;
}

// The last message of a subject has its own form with an empty body (nats.go uses it for KV Get), where
// the subject fits the protocol line.
NatsMessage JetStreamContext::directGetRequest(const QString &stream, const JsMessageGetRequest &get) const
{
    const QByteArray subject = m_apiPrefix + "DIRECT.GET." + stream.toUtf8();
    if (!get.lastBySubject.isEmpty() && get.sequence == 0 && get.nextBySubject.isEmpty()
        && fitsProtocolLine(subject + '.' + get.lastBySubject, m_connection))
        return NatsMessage(subject + '.' + get.lastBySubject, {});
    return NatsMessage(subject, QJsonDocument(get.toJson()).toJson(QJsonDocument::Compact));
}

JsApiReply *JetStreamContext::directGet(const QString &stream, const JsMessageGetRequest &get)
{
    JsApiReply *reply = newReply();
    if (!m_connection) {
        reply->finishWithErrorLater(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return reply;
    }
    const NatsMessage request = directGetRequest(stream, get);
    const QByteArray subject = request.subject();
    NatsReply *inner = m_connection->requestWithHandshake(request, m_timeoutMs);
    connect(reply, &NatsReply::finished, inner, [inner] { inner->abort(); });
    connect(inner, &NatsReply::finished, reply, [this, reply, inner, subject] {
        inner->deleteLater();
        if (reply->isFinished())
            return;
        if (inner->error() == NatsError::NoResponders) {
            // 2.10+ answers a DIRECT.GET nobody serves with a 503 at once: the stream does not exist or
            // does not allow direct gets (nats-modern.md §8.2). It says nothing about JetStream itself.
            reply->finishWithError(NatsError(
                NatsError::DirectGetUnavailable,
                tr("direct get %1: no such stream, or it does not allow direct gets").arg(QString::fromUtf8(subject))));
            return;
        }
        if (inner->error() != NatsError::NoError) {
            // 2.9 does not answer a DIRECT.GET on a stream without allow_direct at all: say so.
            NatsError error = translateTransportError(inner, subject);
            if (error.code() == NatsError::Timeout)
                error = NatsError(
                    NatsError::Timeout,
                    tr("direct get %1 timed out (does the stream allow direct gets?)").arg(QString::fromUtf8(subject)));
            reply->finishWithError(error);
            return;
        }
        const NatsMessage message = inner->message();
        if (message.status() == 404) {
            reply->finishWithError(NatsError(NatsError::MessageNotFound, tr("message not found"), 10037));
            return;
        }
        if (message.status() >= 400
            || (message.status() > 0 && message.data().isEmpty() && !message.headers().contains("Nats-Sequence"))) {
            reply->finishWithError(NatsError(NatsError::JetStreamApiError,
                                             tr("direct get failed: %1 %2")
                                                 .arg(message.status())
                                                 .arg(QString::fromUtf8(message.headers().statusDescription()))));
            return;
        }
        JsStoredMessage stored;
        if (!JsStoredMessage::fromDirectGet(message, &stored)) {
            reply->finishWithError(
                NatsError(NatsError::InvalidResponse, tr("direct get answered without the Nats-* headers")));
            return;
        }
        reply->finishWithStoredMessage(stored);
    });
    return reply;
}

void JetStreamContext::applyPublishOptions(NatsMessage *message, const JsPublishOptions &options)
{
    // Literal keys (no allocation per publish); set() replaces a value the caller's message may carry.
    NatsHeaders &headers = message->headers();
    if (!options.messageId.isEmpty())
        headers.set(QByteArrayLiteral("Nats-Msg-Id"), options.messageId);
    if (!options.expectedStream.isEmpty())
        headers.set(QByteArrayLiteral("Nats-Expected-Stream"), options.expectedStream.toUtf8());
    if (options.expectedLastSequence)
        headers.set(QByteArrayLiteral("Nats-Expected-Last-Sequence"),
                    QByteArray::number(*options.expectedLastSequence));
    if (options.expectedLastSubjectSequence) {
        headers.set(QByteArrayLiteral("Nats-Expected-Last-Subject-Sequence"),
                    QByteArray::number(*options.expectedLastSubjectSequence));
    }
    if (!options.expectedLastMessageId.isEmpty())
        headers.set(QByteArrayLiteral("Nats-Expected-Last-Msg-Id"), options.expectedLastMessageId);
}

JsApiReply *JetStreamContext::publish(const NatsMessage &message, const JsPublishOptions &options)
{
    JsApiReply *reply = newReply();
    NatsMessage outgoing = message;
    applyPublishOptions(&outgoing, options);
    publishAttempt(reply, outgoing, options.timeoutMs < 0 ? m_timeoutMs : options.timeoutMs, kPublishRetries);
    return reply;
}

void JetStreamContext::publishAttempt(JsApiReply *reply, const NatsMessage &message, int timeoutMs, int retriesLeft)
{
    if (!m_connection) {
        reply->finishWithErrorLater(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    NatsReply *inner = m_connection->request(message, timeoutMs);
    connect(reply, &NatsReply::finished, inner, [inner] { inner->abort(); });
    connect(inner, &NatsReply::finished, reply, [this, reply, inner, message, timeoutMs, retriesLeft] {
        inner->deleteLater();
        if (reply->isFinished())
            return;
        JsPubAck ack;
        if (inner->error() == NatsError::NoError && JsPubAck::scan(inner->message().data(), &ack)) {
            finishAcknowledged(reply, ack, inner->message().data());
            return;
        }
        const QString subject = QString::fromUtf8(message.subject());
        if (inner->error() == NatsError::NoResponders) {
            // No stream captured the subject right now: during a leader election this passes.
            if (retriesLeft > 0) {
                QTimer::singleShot(kPublishRetryWaitMs, reply, [this, reply, message, timeoutMs, retriesLeft] {
                    if (!reply->isFinished())
                        publishAttempt(reply, message, timeoutMs, retriesLeft - 1);
                });
                return;
            }
            reply->finishWithError(NatsError(NatsError::NoStreamResponse,
                                             tr("no response from stream: no stream stores subject %1").arg(subject)));
            return;
        }
        if (inner->error() == NatsError::Timeout) {
            reply->finishWithError(publishTimedOut(subject));
            return;
        }
        if (inner->error() != NatsError::NoError) {
            reply->finishWithError(inner->errorInfo());
            return;
        }
        const QJsonObject response = QJsonDocument::fromJson(inner->message().data()).object();
        const NatsError error = JsApiReply::errorFromResponse(response);
        if (error.isError()) {
            reply->finishWithError(error);
            return;
        }
        if (!response.contains("stream"_L1)) {
            reply->finishWithError(
                NatsError(NatsError::InvalidResponse, tr("the publish acknowledgement names no stream")));
            return;
        }
        ack.stream = response.value("stream"_L1).toString();
        ack.sequence = quint64(response.value("seq"_L1).toInteger());
        ack.duplicate = response.value("duplicate"_L1).toBool();
        ack.domain = response.value("domain"_L1).toString();
        finishAcknowledged(reply, ack, response);
    });
}

NatsError JetStreamContext::publish(const NatsMessage &message, const JsPublishOptions &options,
                                    PublishCallback callback)
{
    NatsMessage outgoing = message;
    applyPublishOptions(&outgoing, options);
    return publishAttempt(outgoing, options.timeoutMs < 0 ? m_timeoutMs : options.timeoutMs, kPublishRetries,
                          std::move(callback));
}

NatsError JetStreamContext::publishAttempt(const NatsMessage &message, int timeoutMs, int retriesLeft,
                                           PublishCallback callback)
{
    if (!m_connection)
        return NatsError(NatsError::ConnectionClosed, tr("the connection is gone"));
    const QPointer<JetStreamContext> self(this);
    // The callback is moved in, not copied: a pipelined put should not pay a std::function copy.
    auto onAnswer = [self, message, timeoutMs, retriesLeft,
                     callback = std::move(callback)](const NatsError &error, const NatsMessage &response) {
        if (!self)
            return;
        JsPubAck ack;
        if (!error.isError()) {
            callback(JsPubAck::decode(response.data(), &ack), ack);
            return;
        }
        const QString subject = QString::fromUtf8(message.subject());
        switch (error.code()) {
        case NatsError::NoResponders:
            // No stream captured the subject right now: during a leader election this passes.
            if (retriesLeft > 0) {
                QTimer::singleShot(kPublishRetryWaitMs, self, [self, message, timeoutMs, retriesLeft, callback] {
                    const NatsError refused = self->publishAttempt(message, timeoutMs, retriesLeft - 1, callback);
                    if (refused.isError())
                        callback(refused, {});
                });
                return;
            }
            callback(NatsError(NatsError::NoStreamResponse,
                               tr("no response from stream: no stream stores subject %1").arg(subject)),
                     ack);
            return;
        case NatsError::Timeout:
            callback(publishTimedOut(subject), ack);
            return;
        default:
            callback(error, ack);
        }
    };
    return m_connection->request(message, timeoutMs, std::move(onAnswer));
}

JsApiReply *JetStreamContext::createConsumer(const QString &stream, const QJsonObject &config, int timeoutMs)
{
    const QJsonObject body{{"stream_name"_L1, stream}, {"config"_L1, config}};
    return request("CONSUMER.CREATE." + stream.toUtf8(), body, timeoutMs);
}

JsApiReply *JetStreamContext::createNamedConsumer(const QString &stream, const QJsonObject &config,
                                                  const QString &action, int timeoutMs)
{
    QJsonObject body{{"stream_name"_L1, stream}, {"config"_L1, config}};
    if (!action.isEmpty())
        body.insert("action"_L1, action);
    QByteArray subject = "CONSUMER.CREATE." + stream.toUtf8() + '.' + config.value("name"_L1).toString().toUtf8();
    // A literal filter goes into the subject (the server routes and checks it there); one with wildcards
    // cannot be part of a subject we publish to, so it stays in the config only, which 2.10+ accepts too.
    const QString filter = config.value("filter_subject"_L1).toString();
    if (!filter.isEmpty() && !filter.contains(u'*') && !filter.contains(u'>')
        && fitsProtocolLine(m_apiPrefix + subject + '.' + filter.toUtf8(), m_connection))
        subject += '.' + filter.toUtf8();
    return request(subject, body, timeoutMs);
}

JsApiReply *JetStreamContext::deleteConsumer(const QString &stream, const QString &consumer)
{
    return request("CONSUMER.DELETE." + stream.toUtf8() + '.' + consumer.toUtf8());
}

JsOrderedConsumer *JetStreamContext::orderedConsumer(const JsOrderedConsumerConfig &config)
{
    return new JsOrderedConsumer(this, config, this);
}
