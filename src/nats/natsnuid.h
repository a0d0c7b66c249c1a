#pragma once

#include <QtCore/QByteArray>

// NUID: 22 characters of [0-9A-Za-z], a 12-character crypto-random prefix and a 10-character base62
// sequence that grows by a random step, so ids are unique without coordination (nats-io/nuid).
class NatsNuid
{
public:
    static constexpr int PrefixLength = 12;
    static constexpr int Length = 22;

    NatsNuid();

    QByteArray next();
    // Writes the next NUID's Length characters at out (no terminating NUL).
    void next(char *out);

    // A fresh NUID from a shared generator (the event loop is single-threaded, so no locking).
    static QByteArray generate();
    // The same written at out, Length characters: into a buffer the caller is building anyway.
    static void generate(char *out);
    // "<prefix>.<nuid>": a private subject for replies or consumer deliveries.
    static QByteArray newInbox(const QByteArray &prefix = QByteArrayLiteral("_INBOX"));

private:
    static NatsNuid &shared();
    void randomizePrefix();
    void resetSequential();

    char m_prefix[PrefixLength] = {};
    quint64 m_sequence = 0;
    quint64 m_increment = 0;
};
