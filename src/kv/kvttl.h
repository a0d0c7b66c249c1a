#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QString>

// The Nats-TTL header of a message (nats-server 2.11+, nats-modern.md §4): how long the server keeps it.
// On the wire it is a Go duration ("1s", "1m30s", "1.5s"), a bare number of seconds ("2", which the
// server writes when it raises a TTL to the bucket's marker TTL), or "never". Here a TTL is nanoseconds.
namespace KvTtl {

constexpr qint64 Never = -1;                       // "never": outlives even the bucket's max age
constexpr qint64 MinimumNs = 1000LL * 1000 * 1000; // the server refuses anything below one second

// The header's value as nanoseconds; false when it is not a TTL (then *ns is untouched).
bool fromHeader(const QByteArray &value, qint64 *ns);
// What to send: Go's Duration.String() as nats.go sends it ("1s", "1m0s", "1h30m0s"), or "never".
QByteArray toHeader(qint64 ns);
// Why ns cannot be a per-key TTL (below one second), or an empty string. Never is a valid TTL.
QString validate(qint64 ns);

} // namespace KvTtl
