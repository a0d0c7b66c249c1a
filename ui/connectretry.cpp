#include "connectretry.h"

#include <QtCore/QTimer>

#include <algorithm>

namespace {
constexpr int kFirstWaitMs = 1000;
constexpr int kLongestWaitMs = 30000;
} // namespace

ConnectRetry::ConnectRetry(QObject *parent)
    : QObject(parent)
    , m_wait(new QTimer(this))
    , m_tick(new QTimer(this))
{
    m_wait->setSingleShot(true);
    m_wait->setTimerType(Qt::PreciseTimer); // a coarse 1 s timer may say "2 s" left
    m_tick->setInterval(1000);
    connect(m_wait, &QTimer::timeout, this, [this] {
        m_tick->stop();
        Q_EMIT changed();
        Q_EMIT attempt();
    });
    connect(m_tick, &QTimer::timeout, this, &ConnectRetry::changed);
}

void ConnectRetry::schedule()
{
    // Doubling from a second: a server restarting is back at the first tries, one that is down for
    // long is not hammered.
    const int shift = std::min(m_failures, 5);
    const int waitMs = std::min(kFirstWaitMs << shift, kLongestWaitMs);
    ++m_failures;
    m_wait->start(waitMs);
    m_tick->start();
    Q_EMIT changed();
}

void ConnectRetry::reset()
{
    m_failures = 0;
    const bool wasWaiting = isWaiting();
    m_wait->stop();
    m_tick->stop();
    if (wasWaiting)
        Q_EMIT changed();
}

void ConnectRetry::retryNow()
{
    m_wait->stop();
    m_tick->stop();
    Q_EMIT changed();
    Q_EMIT attempt();
}

bool ConnectRetry::isWaiting() const
{
    return m_wait->isActive();
}

int ConnectRetry::secondsLeft() const
{
    return isWaiting() ? (m_wait->remainingTime() + 999) / 1000 : 0;
}
