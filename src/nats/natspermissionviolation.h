#pragma once

#include <QtCore/QByteArray>

// What a server's "Permissions Violation for ..." -ERR names (nats-server's client.go): the operation
// refused and its subject, plus the queue group of a refused queue subscription. The server quotes them
// with Go's %q, so they are unquoted here: a subject may hold quotes, backslashes or any byte.
struct NatsPermissionViolation
{
    enum class Operation {
        Publish,      // 'Permissions Violation for Publish to "<subject>"'
        Reply,        // 'Permissions Violation for Publish with Reply of "<reply subject>"'
        Subscription, // 'Permissions Violation for Subscription to "<subject>"[ using queue "<queue>"]'
    };

    Operation operation = Operation::Publish;
    QByteArray subject;
    QByteArray queueGroup;

    // Reads text (the -ERR text without its single quotes). False when it is no such error, or its
    // subject cannot be read.
    static bool parse(const QByteArray &text, NatsPermissionViolation *out);
};
