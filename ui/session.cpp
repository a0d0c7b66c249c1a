#include "session.h"

#include "connectretry.h"
#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvclient.h"
#include "localserver.h"
#include "natsconnection.h"
#include "natsreply.h"

#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {
constexpr int kRoundTripProbeMs = 5000;
// The probe's clock ticks each second, so a silence is counted as it lasts; it says so after this long.
constexpr int kProbeTickMs = 1000;
constexpr int kSilenceShownMs = 3000;
} // namespace

Session::Session(const ConnectionProfile &profile, const QString &secret, LocalServer *localServer, QObject *parent)
    : QObject(parent)
    , m_profile(profile)
    , m_secret(secret)
    , m_localServer(localServer)
    , m_client(new KvClient(this))
    , m_connection(m_client->connection())
    , m_rttTimer(new QTimer(this))
    , m_retry(new ConnectRetry(this))
{
    connect(m_connection, &NatsConnection::stateChanged, this, [this](NatsConnection::State state) {
        if (!m_connection->isConnected())
            m_unansweredFor.invalidate(); // a connection down says so itself
        if (state != NatsConnection::State::Reconnecting) {
            m_failedTries = 0;
            m_lastTryError.clear();
        }
        Q_EMIT statusChanged();
    });
    connect(m_connection, &NatsConnection::stateChanged, this, &Session::updateInterruption);
    connect(m_connection, &NatsConnection::roundTripTimeChanged, this, &Session::statusChanged);
    connect(m_client, &KvClient::ready, this, [this] {
        m_retry->reset();
        probeRoundTrip();
        m_rttTimer->start();
        askApiLevel();
        m_opened = true;
        Q_EMIT opened();
    });
    // A reconnect may land on another server (or one restarted: a new server id), whose level is unknown.
    connect(m_connection, &NatsConnection::reconnected, this, &Session::askApiLevel);
    connect(m_connection, &NatsConnection::reconnected, this, &Session::reconnected);
    connect(m_connection, &NatsConnection::connectAttemptFailed, this, &Session::countFailedTry);
    connect(m_connection, &NatsConnection::errorOccurred, this, [this] {
        m_lastError = m_connection->errorString();
        Q_EMIT statusChanged();
    });
    connect(m_connection, &NatsConnection::closed, this, [this] {
        m_rttTimer->stop();
        const NatsError::Code error = m_connection->error();
        if (error != NatsError::NoError) {
            m_lastError = m_connection->errorString();
            // A server that is down (or restarting) comes back: try again. Credentials, a URL or TLS
            // settings that are wrong stay wrong: only "Retry now" then.
            m_stoppedForSettings = !m_closing && !m_profile.local && wouldFailAgain(error);
            m_stopCode = error;
            if (!m_closing && !m_profile.local && !m_stoppedForSettings)
                m_retry->schedule();
            Q_EMIT failed(m_lastError);
        }
        Q_EMIT statusChanged();
    });
    connect(m_retry, &ConnectRetry::attempt, this, [this] { connectTo(m_profile.servers); });
    connect(m_retry, &ConnectRetry::changed, this, &Session::statusChanged);
    m_rttTimer->setInterval(kProbeTickMs);
    connect(m_rttTimer, &QTimer::timeout, this, &Session::probeRoundTrip);
}

// While a lost connection is being got back: what the tries meet, for statusText().
void Session::countFailedTry()
{
    if (m_connection->state() != NatsConnection::State::Reconnecting)
        return;
    ++m_failedTries;
    m_lastTryError = m_connection->errorString();
    Q_EMIT statusChanged();
}

void Session::askApiLevel()
{
    // The status bar shows the JetStream API level too: ask for it once per server (2.11+; INFO says it
    // on 2.12+). Known already, this asks nothing.
    JsServerCapabilities *server = m_client->jetStream()->capabilities();
    connect(server, &JsServerCapabilities::changed, this, &Session::statusChanged, Qt::UniqueConnection);
    server->whenKnown(this, [this](const NatsError &) { Q_EMIT statusChanged(); });
}

Session::~Session()
{
    m_secret.fill(u'\0');
    m_tlsKeyPassphrase.fill('\0');
}

NatsConnection *Session::connection() const
{
    return m_client->connection();
}

JetStreamContext *Session::jetStream() const
{
    return m_client->jetStream();
}

KvContext *Session::kv() const
{
    return m_client->kv();
}

bool Session::isConnected() const
{
    return m_connection->isConnected();
}

void Session::open()
{
    if (!m_profile.local) {
        connectTo(m_profile.servers);
        return;
    }
    if (!m_localServer) {
        m_lastError = tr("no local server available");
        Q_EMIT failed(m_lastError);
        return;
    }
    m_startingLocal = true;
    Q_EMIT statusChanged();
    connect(m_localServer, &LocalServer::started, this, [this](const QString &url) {
        if (!m_startingLocal)
            return;
        m_startingLocal = false;
        m_profile.servers = url;
        connectTo(url);
    });
    connect(m_localServer, &LocalServer::failed, this, [this](const QString &message) {
        m_startingLocal = false;
        m_lastError = message;
        Q_EMIT statusChanged();
        Q_EMIT failed(message);
    });
    m_localServer->start();
}

bool Session::wouldFailAgain(NatsError::Code code)
{
    // TlsError is the library's word for a TLS failure on our side or in the handshake: a server
    // certificate no trusted CA signed, a host name it does not name, a key that is not the
    // certificate's, a file that cannot be read, a client certificate the server refuses. A connection
    // that drops during the handshake is ConnectionLost, and one that stalls ConnectionTimeout: retried.
    return code == NatsError::InvalidUrl || NatsError::isAuthenticationError(code) || code == NatsError::TlsError
        || code == NatsError::TlsNotAvailable;
}

void Session::connectTo(const QString &servers)
{
    m_stoppedForSettings = false;
    ConnectionProfile profile = m_profile;
    profile.servers = servers;
    KvClientOptions options = profile.toClientOptions(m_secret);
    options.connection.tlsKeyPassphrase = m_tlsKeyPassphrase;
    m_client->open(options);
}

void Session::retryNow()
{
    if (!m_profile.local && !isConnected())
        m_retry->retryNow();
}

bool Session::isWaitingToRetry() const
{
    return m_retry->isWaiting();
}

void Session::close()
{
    m_closing = true;
    m_retry->reset();
    m_rttTimer->stop();
    m_client->close();
}

// A server can stop answering with its connection still open (stopped, swapped out, a network that drops
// packets): the library calls it stale only after two unanswered pings, minutes later. The probe that
// measures the round trip shows it sooner: unanswered for a few seconds, the status says so and counts.
void Session::probeRoundTrip()
{
    if (!m_connection->isConnected())
        return;
    if (m_probe) {
        if (silentSeconds() > 0)
            Q_EMIT statusChanged();
        return;
    }
    if (m_lastProbe.isValid() && !m_lastProbe.hasExpired(kRoundTripProbeMs) && !m_unansweredFor.isValid())
        return;
    NatsReply *probe = m_connection->flush(kRoundTripProbeMs);
    probe->setAutoDelete(true);
    m_probe = probe;
    m_lastProbe.start();
    if (!m_unansweredFor.isValid())
        m_unansweredFor.start();
    connect(probe, &NatsReply::finished, this, [this, probe] { onProbeFinished(probe); });
}

void Session::onProbeFinished(NatsReply *probe)
{
    // Timed out, the silence goes on and the next tick asks again; answered, it is over.
    if (probe->error() != NatsError::NoError)
        return;
    const bool wasSilent = silentSeconds() > 0;
    m_unansweredFor.invalidate();
    if (wasSilent) {
        // The answer's round trip holds the silence: the next tick measures one again.
        m_lastProbe.invalidate();
        Q_EMIT statusChanged();
    }
}

int Session::silentSeconds() const
{
    if (!m_unansweredFor.isValid() || !m_unansweredFor.hasExpired(kSilenceShownMs))
        return 0;
    return int(m_unansweredFor.elapsed() / 1000);
}

void Session::updateInterruption()
{
    QString reason;
    switch (m_connection->state()) {
    case NatsConnection::State::Reconnecting:
        reason = tr("Connection interrupted — reconnecting…");
        break;
    case NatsConnection::State::Closed:
    case NatsConnection::State::Disconnected:
        if (m_opened)
            reason = tr("Disconnected — use Connection › Connect to connect again.");
        break;
    case NatsConnection::State::Connecting:
    case NatsConnection::State::Connected:
    case NatsConnection::State::Draining:
        break;
    }
    if (reason == m_interruption)
        return;
    m_interruption = reason;
    Q_EMIT interruptionChanged(reason);
}

QString Session::statusText() const
{
    if (m_startingLocal)
        return tr("starting the local nats-server…");
    const QString where = m_connection->currentServer().toDisplayString(QUrl::RemoveUserInfo);
    switch (m_connection->state()) {
    case NatsConnection::State::Disconnected: // never connected: the local server did not start, say
        return m_lastError.isEmpty() ? tr("not connected") : tr("not connected: %1").arg(m_lastError);
    case NatsConnection::State::Connecting:
        return tr("connecting to %1…").arg(where);
    case NatsConnection::State::Connected:
    case NatsConnection::State::Draining: {
        if (const int silent = silentSeconds(); silent > 0) {
            return tr("%1 is not answering (silent for %n s) · nats-server %2", nullptr, silent)
                .arg(where, m_connection->serverInfo().version);
        }
        QString text = tr("connected %1 · nats-server %2").arg(where, m_connection->serverInfo().version);
        const JsServerCapabilities *server = m_client->jetStream()->capabilities();
        // Level 0: a server before 2.11, which has no API level; "level 0" read as a real one.
        if (server->isLevelKnown() && server->apiLevel() > 0)
            text += tr(" · JetStream API level %1").arg(server->apiLevel());
        const qint64 rtt = m_connection->roundTripTime();
        if (rtt >= 0)
            text += tr(" · %1 ms").arg(QString::number(double(rtt) / 1000.0, 'f', rtt < 10000 ? 2 : 0));
        return text;
    }
    case NatsConnection::State::Reconnecting: {
        QString text = tr("connection lost; reconnecting to %1… (%2)").arg(where, m_lastError);
        // What the tries meet since (refused: the server is down, not slow), and that they go on.
        if (m_failedTries > 0)
            text += tr(" · %n tries failed, the last: %1", nullptr, m_failedTries).arg(m_lastTryError);
        return text;
    }
    case NatsConnection::State::Closed: {
        QString text = m_lastError.isEmpty() ? tr("disconnected") : tr("disconnected: %1").arg(m_lastError);
        if (m_retry->isWaiting())
            text += tr(" · next try in %1 s").arg(m_retry->secondsLeft());
        else if (m_stoppedForSettings)
            text += tr(" · not tried again by itself: it would fail the same way");
        return text;
    }
    }
    return {};
}
