#pragma once

#include "kvclient.h"
#include "natsserverprocess.h"

#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

#include <utility>

class KvBucket;

// Two servers that are not one cluster, each with its own bucket of one name, and a client on both that
// starts on the second (the list is not shuffled) and tries the first 100 ms after losing it. killSecond()
// moves the client to another bucket under the same name, as a failover to a server outside the cluster
// (or a server brought back on another store) does: its revision numbers are not the first bucket's.
class KvTwoCopies
{
public:
    using Puts = QList<std::pair<QString, QByteArray>>;

    // Starts both servers, creates the bucket on each (history 10) and writes its puts in order, then
    // connects the client. On failure it records a test failure naming the step and returns false.
    bool start(const QString &bucket, const Puts &onFirst, const Puts &onSecond);
    KvClient *client() { return &m_client; }
    // The client's handle on the bucket (a child of the client).
    KvBucket *bucket();
    bool killSecond() { return m_second.kill(); }

private:
    NatsServerProcess m_first;
    NatsServerProcess m_second;
    KvClient m_client; // after the servers: it goes first
    QString m_bucket;
};
