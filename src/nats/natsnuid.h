#pragma once

#include <QtCore/QByteArray>

// NUID: 22 characters of [0-9A-Za-z], a 12-character crypto-random prefix and a 10-character base62
// sequence that grows by a random step, so ids are unique without coordination (nats-io/nuid).
class NatsNuid
{
public:
    NatsNuid();

    QByteArray next();

    // A fresh NUID from a shared generator (the event loop is single-threaded, so no locking).
    static QByteArray generate();
    // "_INBOX.<nuid>": a private subject for replies or consumer deliveries.
    static QByteArray newInbox();

private:
    void randomizePrefix();
    void resetSequential();

    QByteArray m_prefix;
    quint64 m_sequence = 0;
    quint64 m_increment = 0;
};
