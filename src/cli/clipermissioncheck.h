#pragma once

#include "kvpermissions.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

#include <functional>

class KvContext;
class QObject;

// What kvdesk-cli checks before sending a command: the permission the command needs that the user lacks,
// by the user's permissions as the server reported them (nats-server 2.10+), so the command is refused
// with the same text the app shows ("you may not publish to $KV.orders.x") and nothing is sent. Unknown
// permissions (2.9) pass everything: the server's error then comes at once.
namespace CliPermissionCheck {

// The refusal for command (its Info name) with its positional arguments, or an empty string. A value is
// read (or written) the way permissions knows for the bucket (KvPermissions::setStreamConfig()).
QString refusal(const QString &command, const QStringList &arguments, const KvPermissions &permissions);

// The bucket whose stream config decides the refusal (the command reads or writes keys: its read path,
// and whether it mirrors another bucket, whose subjects it then uses), or "" when it is known or moot.
QString bucketToResolve(const QString &command, const QStringList &arguments, const KvPermissions &permissions);

// Runs then with the refusal (or "") once it is known: where the stream config decides, after one
// STREAM.INFO of the bucket (which KvBucket reads the same way when it binds). Dropped when guard is gone.
void check(KvContext *kv, const QString &command, const QStringList &arguments, const KvPermissions &permissions,
           QObject *guard, const std::function<void(const QString &refusal)> &then);

} // namespace CliPermissionCheck
