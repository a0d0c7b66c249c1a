#pragma once

#include <QtCore/QObject>

class QTimer;

// When to try a connection again after it failed: after 1 s, then 2, 4, 8, 16 and every 30 s, with a
// count-down for the window to show and "now" for the impatient. reset() once connected.
class ConnectRetry final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectRetry)

public:
    explicit ConnectRetry(QObject *parent = nullptr);

    // Starts waiting for the next try, longer than the last.
    void schedule();
    void reset();
    // Tries at once (waiting or not); the next wait stays as long as it would have been.
    void retryNow();

    bool isWaiting() const;
    // Whole seconds until the next try, rounded up (0 when not waiting).
    int secondsLeft() const;

Q_SIGNALS:
    void attempt();
    // Each second while waiting, and when waiting starts or ends: for a count-down.
    void changed();

private:
    QTimer *m_wait = nullptr;
    QTimer *m_tick = nullptr;
    int m_failures = 0;
};
