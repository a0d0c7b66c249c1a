#include "kvkeylister.h"

#include "kvwatcher.h"

#include <QtCore/QTimer>

KvKeyLister::KvKeyLister(KvWatcher *watcher, QObject *parent)
    : QObject(parent)
    , m_watcher(watcher)
    , m_flushTimer(new QTimer(this))
{
    watcher->setParent(this);
    // Keys that arrive in one burst (one socket read) go out as one batch on the next event-loop turn.
    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(0);
    connect(m_flushTimer, &QTimer::timeout, this, &KvKeyLister::flush);
    connect(watcher, &KvWatcher::entryReceived, this, [this](const KvEntry &entry) {
        m_batch.append(entry.key);
        ++m_received;
        if (m_batch.size() >= m_batchSize)
            flush();
        else if (!m_flushTimer->isActive())
            m_flushTimer->start();
    });
    connect(watcher, &KvWatcher::initialValuesReceived, this, [this] { finish({}); });
    connect(watcher, &KvWatcher::errorOccurred, this,
            [this] { finish(NatsError(m_watcher->error(), m_watcher->errorString())); });
}

KvKeyLister::~KvKeyLister() = default;

void KvKeyLister::flush()
{
    m_flushTimer->stop();
    if (m_batch.isEmpty())
        return;
    const QStringList batch = std::exchange(m_batch, {});
    Q_EMIT keysReceived(batch);
    if (m_watcher)
        Q_EMIT progress(m_received, m_received + m_watcher->pendingCount());
}

void KvKeyLister::finish(const NatsError &error)
{
    if (m_finished)
        return;
    flush();
    m_finished = true;
    m_error = error;
    if (m_watcher)
        m_watcher->stop();
    Q_EMIT progress(m_received, m_received);
    if (error.isError())
        Q_EMIT errorOccurred(error.code());
    Q_EMIT finished();
}

void KvKeyLister::cancel()
{
    finish(NatsError(NatsError::Cancelled, tr("listing keys was cancelled")));
}
