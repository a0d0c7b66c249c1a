#include "jsbatchget.h"

#include "jetstreamcontext.h"
#include "natsconnection.h"
#include "natslogging.h"
#include "natssubscription.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

QJsonObject JsBatchGetRequest::toJson(quint64 fromSequence) const
{
    QJsonObject body;
    if (!multiLast.isEmpty()) {
        QJsonArray subjects;
        for (const QByteArray &subject : multiLast)
            subjects.append(QString::fromUtf8(subject));
        body.insert("multi_last"_L1, subjects);
    } else {
        body.insert("next_by_subj"_L1, QString::fromUtf8(nextBySubject));
    }
    if (batch > 0)
        body.insert("batch"_L1, batch);
    if (fromSequence > 0)
        body.insert("seq"_L1, qint64(fromSequence));
    if (upToSequence > 0)
        body.insert("up_to_seq"_L1, qint64(upToSequence));
    return body;
}

JsBatchGet::JsBatchGet(JetStreamContext *context, const QString &stream, const JsBatchGetRequest &request,
                       QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_stream(stream)
    , m_request(request)
    , m_timeout(new QTimer(this))
{
    m_nextSequence = request.multiLast.isEmpty() ? std::max<quint64>(1, request.startSequence) : 0;
    m_upTo = request.upToSequence;
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        fail(NatsError(NatsError::Timeout, tr("batch direct get on stream %1 timed out").arg(m_stream)));
    });
    QTimer::singleShot(0, this, &JsBatchGet::requestPage);
}

JsBatchGet::~JsBatchGet()
{
    if (m_subscription)
        m_subscription->unsubscribe();
}

void JsBatchGet::requestPage()
{
    if (m_finished)
        return;
    NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    if (!connection) {
        fail(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    if (!m_subscription) {
        m_subscription = connection->subscribe(connection->newInbox());
        connect(m_subscription, &NatsSubscription::messageReceived, this, &JsBatchGet::onMessage);
        connect(m_subscription, &NatsSubscription::errorOccurred, this,
                [this](NatsError::Code code) { fail(NatsError(code, NatsError::describe(code))); });
    }
    JsBatchGetRequest page = m_request;
    page.upToSequence = m_upTo;
    if (m_request.maxMessages > 0)
        page.batch = int(std::min<quint64>(quint64(std::max(page.batch, 1)), m_request.maxMessages - m_received));
    const QByteArray body = QJsonDocument(page.toJson(m_nextSequence)).toJson(QJsonDocument::Compact);
    const QByteArray subject = m_context->apiPrefix() + "DIRECT.GET." + m_stream.toUtf8();
    kvCDebug(lcJetStream) << "batch get" << subject << body;
    const NatsError sent = connection->publish(subject, body, m_subscription->subject());
    if (sent.isError()) {
        fail(sent);
        return;
    }
    m_timeout->start(m_context->timeout());
}

void JsBatchGet::onMessage(const NatsMessage &message)
{
    if (m_finished)
        return;
    m_timeout->start(m_context->timeout());
    const int status = message.status();
    if (status == 204) {
        onEndOfBatch(message);
        return;
    }
    const QString description = QString::fromUtf8(message.headers().statusDescription());
    if (status == 404) {
        m_answeredByStream = false; // no (more) messages, says someone: "No Results", "Message Not Found"
        finish();
        return;
    }
    if (status == 503) {
        fail(NatsError(NatsError::DirectGetUnavailable,
                       tr("batch direct get: stream %1 does not exist or does not allow direct gets").arg(m_stream)));
        return;
    }
    if (status == 408 && !m_request.multiLast.isEmpty() && m_firstMessage) {
        // 2.9/2.10 answer multi_last with "408 Empty Request" (nats-modern.md §5.3).
        fail(NatsError(NatsError::FeatureNotSupported, tr("batch direct get needs nats-server 2.11 or newer")));
        return;
    }
    if (status == 413) {
        fail(NatsError(NatsError::JetStreamApiError,
                       tr("batch direct get: more than %1 subjects match (413 %2)")
                           .arg(JsBatchGetRequest::MaxMultiLastSubjects)
                           .arg(description),
                       413));
        return;
    }
    if (status >= 300) {
        fail(
            NatsError(NatsError::JetStreamApiError, tr("batch direct get failed: %1 %2").arg(status).arg(description)));
        return;
    }
    // Before 2.11 a batch request is answered as a plain get (no Nats-Num-Pending): a wrong answer.
    if (m_firstMessage && !message.headers().contains("Nats-Num-Pending")) {
        fail(NatsError(NatsError::FeatureNotSupported, tr("batch direct get needs nats-server 2.11 or newer")));
        return;
    }
    m_firstMessage = false;
    JsStoredMessage stored;
    if (!JsStoredMessage::fromDirectGet(message, &stored)) {
        fail(NatsError(NatsError::InvalidResponse, tr("batch direct get answered without the Nats-* headers")));
        return;
    }
    if (!stored.isFromStream(m_stream))
        m_answeredByStream = false;
    ++m_received;
    m_page.append(stored);
}

void JsBatchGet::onEndOfBatch(const NatsMessage &message)
{
    const NatsHeaders &headers = message.headers();
    const quint64 pending = headers.value("Nats-Num-Pending").toULongLong();
    const quint64 last = headers.value("Nats-Last-Sequence").toULongLong();
    if (m_upTo == 0 && !m_request.multiLast.isEmpty())
        m_upTo = headers.value("Nats-UpTo-Sequence").toULongLong();
    if (!m_page.isEmpty()) {
        const QList<JsStoredMessage> page = std::exchange(m_page, {});
        const QPointer<JsBatchGet> guard(this);
        Q_EMIT messagesReceived(page);
        if (!guard || m_finished)
            return;
    }
    const bool enough = m_request.maxMessages > 0 && m_received >= m_request.maxMessages;
    if (pending == 0 || enough || last == 0) {
        finish();
        return;
    }
    m_nextSequence = last + 1;
    requestPage();
}

void JsBatchGet::cancel()
{
    fail(NatsError(NatsError::Cancelled, tr("cancelled")));
}

void JsBatchGet::fail(const NatsError &error)
{
    if (m_finished)
        return;
    m_error = error;
    m_page.clear();
    finish();
}

void JsBatchGet::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timeout->stop();
    if (m_subscription) {
        m_subscription->unsubscribe();
        m_subscription->deleteLater();
    }
    if (!m_page.isEmpty() && !m_error.isError())
        Q_EMIT messagesReceived(std::exchange(m_page, {}));
    if (m_error.isError()) {
        const QPointer<JsBatchGet> guard(this); // a slot may delete the get: no finished() then
        Q_EMIT errorOccurred(m_error.code());
        if (!guard)
            return;
    }
    Q_EMIT finished();
}
