#include "natsserverpool.h"

#include "natsconnectoptions.h"
#include "natslogging.h"

#include <QtCore/QRandomGenerator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// One server, however its URL was written (scheme and credentials aside).
bool sameServer(const QUrl &a, const QUrl &b)
{
    return a.host() == b.host() && a.port() == b.port();
}

} // namespace

bool NatsServerPool::reset(const NatsConnectOptions &options, QString *errorMessage)
{
    QList<QUrl> urls = options.servers;
    if (urls.isEmpty()) {
        const QString text = options.serversText.isEmpty() ? u"nats://127.0.0.1:4222"_s : options.serversText;
        if (!NatsConnectOptions::parseServers(text, &urls, errorMessage))
            return false;
    }
    if (options.randomizeServers && urls.size() > 1)
        std::shuffle(urls.begin(), urls.end(), *QRandomGenerator::global());
    reset(urls);
    return true;
}

void NatsServerPool::reset(const QList<QUrl> &urls)
{
    m_servers.clear();
    for (const QUrl &url : urls)
        m_servers.append(Server{url, {}, 0, {}, false});
    m_tlsHostName = m_servers.isEmpty() ? QString() : m_servers.first().url.host();
    m_index = -1;
}

QList<QUrl> NatsServerPool::urls() const
{
    QList<QUrl> urls;
    for (const Server &server : m_servers)
        urls.append(server.url);
    return urls;
}

QUrl NatsServerPool::currentUrl() const
{
    return hasCurrent() ? m_servers[m_index].url : QUrl();
}

QString NatsServerPool::tlsPeerName() const
{
    if (!hasCurrent())
        return {};
    // Verify the name the user gave, also for bare IPs learned from connect_urls (as nats.go does).
    const Server &server = m_servers[m_index];
    return server.implicit ? m_tlsHostName : server.url.host();
}

qint64 NatsServerPool::advance(const NatsConnectOptions &options)
{
    if (m_servers.isEmpty())
        return 0;
    m_index = (m_index + 1) % m_servers.size();
    return reconnectDelay(m_servers[m_index], options);
}

void NatsServerPool::attemptStarted()
{
    if (hasCurrent())
        m_servers[m_index].lastAttempt.start();
}

void NatsServerPool::attemptSucceeded()
{
    if (!hasCurrent())
        return;
    Server &server = m_servers[m_index];
    server.failedAttempts = 0;
    server.lastAuthError = {};
}

bool NatsServerPool::attemptFailed(const NatsError &error, const NatsConnectOptions &options)
{
    if (!hasCurrent())
        return false;
    Server &server = m_servers[m_index];
    ++server.failedAttempts;
    bool drop = options.maxReconnectAttempts >= 0 && server.failedAttempts > options.maxReconnectAttempts;
    // The same authentication error twice from one server: it will not change its mind.
    if (NatsError::isAuthenticationError(error.code())) {
        if (server.lastAuthError.code() == error.code())
            drop = true;
        server.lastAuthError = error;
    }
    return drop;
}

void NatsServerPool::removeCurrent()
{
    if (!hasCurrent())
        return;
    m_servers.removeAt(m_index);
    --m_index;
}

void NatsServerPool::addImplicitServers(const QStringList &hostPorts)
{
    const QUrl current = currentUrl();
    QList<QUrl> listed;
    for (const QString &hostPort : hostPorts) {
        QUrl url(current.scheme() + "://"_L1 + hostPort);
        if (!url.isValid() || url.host().isEmpty())
            continue;
        if (url.port() < 0)
            url.setPort(NatsConnectOptions::DefaultPort);
        url.setUserName(current.userName());
        url.setPassword(current.password());
        listed.append(url);
    }
    if (!listed.isEmpty())
        forgetUnlisted(listed);
    for (const QUrl &url : std::as_const(listed)) {
        const bool known = std::any_of(m_servers.cbegin(), m_servers.cend(),
                                       [&url](const Server &server) { return sameServer(server.url, url); });
        if (!known) {
            kvCDebug(lcNatsConnection) << "learned server" << url.host() << url.port();
            m_servers.append(Server{url, {}, 0, {}, true});
        }
    }
}

// A cluster's INFO lists the servers it has now: one learned before and no longer listed left it (a node
// removed, a pod restarted on another address) and would only cost a failed attempt, or a whole connect
// timeout, on every reconnect, as nats.go prunes them. The servers given and the one connected to stay.
void NatsServerPool::forgetUnlisted(const QList<QUrl> &listed)
{
    for (qsizetype i = m_servers.size() - 1; i >= 0; --i) {
        const QUrl &url = m_servers[i].url;
        const bool isListed = std::any_of(listed.cbegin(), listed.cend(),
                                          [&url](const QUrl &other) { return sameServer(other, url); });
        if (!m_servers[i].implicit || isListed || i == m_index)
            continue;
        kvCDebug(lcNatsConnection) << "forgot server" << url.host() << url.port() << "(no longer listed)";
        m_servers.removeAt(i);
        if (i < m_index)
            --m_index;
    }
}

qint64 NatsServerPool::reconnectDelay(const Server &server, const NatsConnectOptions &options)
{
    // Pacing as in nats.go: a server tried less than the reconnect wait ago waits the rest of it, plus
    // jitter so a restarted cluster is not hit by every client at once. The wait doubles with each
    // failed attempt on that server, up to MaxReconnectWaitFactor times.
    if (!server.lastAttempt.isValid())
        return 0;
    // Clamped before shifting: 1 << 32 and beyond is undefined, and wrapped round to short waits.
    const int doublings = std::clamp(server.failedAttempts - 1, 0, 30);
    const int factor = std::min(1 << doublings, MaxReconnectWaitFactor);
    const bool tls = server.url.scheme() == "tls"_L1 || options.tlsRequired;
    const int jitterMax = tls ? options.reconnectJitterTlsMs : options.reconnectJitterMs;
    const qint64 jitter = jitterMax > 0 ? QRandomGenerator::global()->bounded(jitterMax + 1) : 0;
    const qint64 wait = qint64(options.reconnectWaitMs) * factor + jitter;
    return std::max<qint64>(0, wait - server.lastAttempt.elapsed());
}
