#pragma once

#include <QtCore/QByteArray>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QString>
#include <QtCore/QStringList>

// What the server said about itself in INFO. Unknown fields are ignored.
class NatsServerInfo
{
public:
    static NatsServerInfo fromJson(const QByteArray &json, bool *ok = nullptr);
    static NatsServerInfo fromJsonObject(const QJsonObject &object);

    QString serverId;
    QString serverName;
    QString version;
    QString host;
    int port = 0;
    int proto = 0;
    qint64 maxPayload = 1024 * 1024;
    quint64 clientId = 0;
    QString clientIp;
    QString cluster;
    QString domain;          // JetStream domain, empty when none
    QByteArray nonce;        // only when NKEY/JWT users are configured
    QStringList connectUrls; // "host:port" of the cluster's other servers
    bool headers = false;
    bool authRequired = false;
    bool tlsRequired = false;
    bool tlsAvailable = false;
    bool tlsVerify = false; // the server requires a client certificate
    bool jetStream = false;
    bool lameDuckMode = false;
    int apiLevel = -1;     // JetStream API level (api_lvl, 2.12+); -1 when the server does not say
    QString remoteAccount; // the account this connection is bound to (2.12+'s post-PONG INFO)

    // True when the server's version is at least major.minor.patch.
    bool versionAtLeast(int major, int minor, int patch) const;
    // True only when the version parses and is older than major.minor: a reason to skip asking the server
    // for what it lacks. An unknown version is not known to be older.
    bool isKnownBefore(int major, int minor) const;
};

Q_DECLARE_METATYPE(NatsServerInfo)
