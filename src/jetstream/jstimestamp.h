#pragma once

#include <QtCore/QDateTime>
#include <QtCore/QString>

// JetStream times: RFC 3339 in UTC with up to nanoseconds ("2026-11-25T16:12:56.750597061Z"), the zero
// time "0001-01-01T00:00:00Z" meaning "never", and in older Nats-Time-Stamp headers Go's default layout
// "2006-01-02 15:04:05.999999999 +0000 UTC".
namespace JsTimestamp {

// An invalid QDateTime for the zero time or text that is not a time. Precision is kept to milliseconds.
QDateTime parse(const QString &text);
// A Unix time in nanoseconds (the ack-subject timestamp token) as a UTC QDateTime.
QDateTime fromNanoseconds(qint64 nanoseconds);

} // namespace JsTimestamp
