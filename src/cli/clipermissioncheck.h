#pragma once

#include "kvpermissions.h"

#include <QtCore/QString>
#include <QtCore/QStringList>

// What kvdesk-cli checks before sending a command: the permission the command needs that the user lacks,
// by the user's permissions as the server reported them (nats-server 2.10+), so the command is refused
// with the same text the app shows ("you may not publish to $KV.orders.x") and nothing is sent. Unknown
// permissions (2.9) pass everything: the server's error then comes at once.
namespace CliPermissionCheck {

// The refusal for command (its Info name) with its positional arguments, or an empty string.
QString refusal(const QString &command, const QStringList &arguments, const KvPermissions &permissions);

} // namespace CliPermissionCheck
