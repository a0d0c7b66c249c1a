#include "jsservercapabilities.h"

#include "jetstreamcontext.h"
#include "natsconnection.h"

#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace {

bool needsLevel(JsServerCapabilities::Feature feature)
{
    using F = JsServerCapabilities::Feature;
    return feature == F::MessageTtl || feature == F::LimitMarkers || feature == F::BatchGet;
}

} // namespace

JsServerCapabilities::JsServerCapabilities(JetStreamContext *context)
    : QObject(context)
    , m_context(context)
{
    if (NatsConnection *connection = context->connection()) {
        connect(connection, &NatsConnection::serverInfoChanged, this, &JsServerCapabilities::onServerInfoChanged);
        onServerInfoChanged();
    }
}

JsServerCapabilities::~JsServerCapabilities() = default;

QString JsServerCapabilities::serverVersion() const
{
    const NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    return connection ? connection->serverInfo().version : QString();
}

QString JsServerCapabilities::serverUrl() const
{
    const NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    return connection ? connection->currentServer().toDisplayString(QUrl::RemoveUserInfo) : QString();
}

void JsServerCapabilities::onServerInfoChanged()
{
    const NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    if (!connection)
        return;
    const NatsServerInfo info = connection->serverInfo();
    // 2.12+ says its level in INFO; before that only $JS.API.INFO does. The post-PONG INFO of the same
    // server changes nothing else.
    if (info.serverId != m_serverId) {
        m_serverId = info.serverId;
        m_apiLevel = -1;
    }
    if (info.apiLevel >= 0)
        m_apiLevel = info.apiLevel;
    Q_EMIT changed();
}

bool JsServerCapabilities::supports(Feature feature) const
{
    if (needsLevel(feature))
        return m_apiLevel >= 1;
    const NatsConnection *connection = m_context ? m_context->connection() : nullptr;
    return connection && connection->serverInfo().versionAtLeast(2, 10, 0);
}

QString JsServerCapabilities::featureName(Feature feature)
{
    switch (feature) {
    case Feature::Compression:
        return tr("compression");
    case Feature::Metadata:
        return tr("metadata");
    case Feature::SubjectTransforms:
        return tr("sourcing buckets (subject transforms)");
    case Feature::FilterSubjects:
        return tr("several filters on one consumer");
    case Feature::ConsumerActions:
        return tr("consumer create actions");
    case Feature::MessageTtl:
        return tr("per-key TTL");
    case Feature::LimitMarkers:
        return tr("limit markers (marker TTL)");
    case Feature::BatchGet:
        return tr("batch direct get");
    }
    return {};
}

QString JsServerCapabilities::requirement(Feature feature)
{
    return needsLevel(feature) ? tr("nats-server 2.11 or newer") : tr("nats-server 2.10 or newer");
}

NatsError JsServerCapabilities::refusal(Feature feature) const
{
    const QString version = serverVersion();
    return NatsError(NatsError::FeatureNotSupported,
                     tr("%1 needs %2; %3 runs %4")
                         .arg(featureName(feature), requirement(feature), serverUrl(),
                              version.isEmpty() ? tr("an unknown version") : version));
}

void JsServerCapabilities::learn(const JsAccountInfo &info)
{
    m_accountInfo = info;
    const int level = info.apiLevel;
    if (level == m_apiLevel)
        return;
    m_apiLevel = level;
    Q_EMIT changed();
}

void JsServerCapabilities::whenKnown(QObject *guard, const std::function<void(const NatsError &)> &then)
{
    if (isLevelKnown()) {
        then({});
        return;
    }
    m_waiting.append(Waiter{guard, then});
    ask();
}

void JsServerCapabilities::ask()
{
    if (m_asking || !m_context)
        return;
    m_asking = true;
    // accountInfo() hands the answer to learn() itself.
    JsApiReply *reply = m_context->accountInfo();
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        m_asking = false;
        finishWaiting(reply->errorInfo());
    });
}

void JsServerCapabilities::finishWaiting(const NatsError &error)
{
    const QList<Waiter> waiting = std::exchange(m_waiting, {});
    for (const Waiter &waiter : waiting) {
        if (waiter.guard)
            waiter.then(error);
    }
}
