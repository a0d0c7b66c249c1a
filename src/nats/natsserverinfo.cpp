#include "natsserverinfo.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QVersionNumber>

using namespace Qt::StringLiterals;

NatsServerInfo NatsServerInfo::fromJson(const QByteArray &json, bool *ok)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (ok)
        *ok = parseError.error == QJsonParseError::NoError && doc.isObject();
    return fromJsonObject(doc.object());
}

NatsServerInfo NatsServerInfo::fromJsonObject(const QJsonObject &o)
{
    NatsServerInfo info;
    info.serverId = o.value("server_id"_L1).toString();
    info.serverName = o.value("server_name"_L1).toString();
    info.version = o.value("version"_L1).toString();
    info.host = o.value("host"_L1).toString();
    info.port = o.value("port"_L1).toInt();
    info.proto = o.value("proto"_L1).toInt();
    info.maxPayload = o.value("max_payload"_L1).toInteger(1024 * 1024);
    info.clientId = static_cast<quint64>(o.value("client_id"_L1).toInteger());
    info.clientIp = o.value("client_ip"_L1).toString();
    info.cluster = o.value("cluster"_L1).toString();
    info.domain = o.value("domain"_L1).toString();
    info.nonce = o.value("nonce"_L1).toString().toUtf8();
    for (const QJsonValue &url : o.value("connect_urls"_L1).toArray())
        info.connectUrls.append(url.toString());
    info.headers = o.value("headers"_L1).toBool();
    info.authRequired = o.value("auth_required"_L1).toBool();
    info.tlsRequired = o.value("tls_required"_L1).toBool();
    info.tlsAvailable = o.value("tls_available"_L1).toBool();
    info.tlsVerify = o.value("tls_verify"_L1).toBool();
    info.jetStream = o.value("jetstream"_L1).toBool();
    info.lameDuckMode = o.value("ldm"_L1).toBool();
    info.apiLevel = o.contains("api_lvl"_L1) ? o.value("api_lvl"_L1).toInt(-1) : -1;
    info.remoteAccount = o.value("remote_account"_L1).toString();
    return info;
}

bool NatsServerInfo::versionAtLeast(int major, int minor, int patch) const
{
    QString plain = version;
    if (const qsizetype dash = plain.indexOf(u'-'); dash >= 0)
        plain.truncate(dash); // "2.10.0-beta.1" compares as 2.10.0
    return QVersionNumber::fromString(plain) >= QVersionNumber(major, minor, patch);
}

bool NatsServerInfo::isKnownBefore(int major, int minor) const
{
    // "2.9.25-beta.1" is a 2.9; "v2.9.10" or "" do not parse (null), and so are not known to be old.
    const QVersionNumber known = QVersionNumber::fromString(version.section(u'-', 0, 0));
    return !known.isNull() && known < QVersionNumber(major, minor);
}
