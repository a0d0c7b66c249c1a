#pragma once

#include "kventry.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QDateTime>
#include <QtCore/QString>

// How the window says when an entry with its own TTL (Nats-TTL, nats-server 2.11+) goes: "expires in
// 4 min 12 s, at 10:42:07 UTC", "never expires", "expired at 10:42:07 UTC". Kept out of the widgets so it
// can be checked without them.
class ExpiryText
{
    Q_DECLARE_TR_FUNCTIONS(ExpiryText)

public:
    // The countdown for entry as of now; an empty string when the entry has no TTL of its own.
    static QString describe(const KvEntry &entry, const QDateTime &now = QDateTime::currentDateTimeUtc());
    // "4 min 12 s", "59 s", "2 h 3 min", "3 d 4 h": the two largest units, rounded down.
    static QString remaining(qint64 ms);
};
