#pragma once

#include "natspermissions.h"

#include <QtCore/QByteArray>
#include <QtCore/QString>

// Who the server says the connection is: the "data" of a $SYS.REQ.USER.INFO answer (nats-server 2.10+,
// nats-modern.md §7): the user, the account, and the permissions (none given means unrestricted).
struct NatsUserInfo
{
    static constexpr const char *Subject = "$SYS.REQ.USER.INFO";

    QString user;
    QString account;
    NatsPermissions permissions; // unknown until an answer was read

    // Reads a whole answer ({"server":{...},"data":{...}}). False, with *problem set, when it holds no
    // data (an "error" object, or not JSON).
    static bool parse(const QByteArray &json, NatsUserInfo *out, QString *problem);
};
