#pragma once

#include "kventry.h"

#include <QtWidgets/QLabel>

class QTimer;

// The value panel's line for a key with its own TTL (nats-server 2.11+): "expires in 4 min 12 s, at
// 10:42:07 UTC", counting down once a second; hidden for keys without one. Its tooltip says what a save
// does to the TTL: a put takes none, so a new value does not expire.
class TtlCountdown final : public QLabel
{
    Q_OBJECT

public:
    explicit TtlCountdown(QWidget *parent = nullptr);

    // Shows entry's countdown (or hides, when it has no TTL of its own).
    void setEntry(const KvEntry &entry);
    void clear();

private:
    void tick();

    KvEntry m_entry;
    QTimer *m_timer = nullptr;
};
