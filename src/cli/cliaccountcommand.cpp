#include "cliaccountcommand.h"

#include "clioutput.h"
#include "jetstreamcontext.h"
#include "jsaccountinfo.h"
#include "kvcontext.h"
#include "kvformat.h"
#include "kvunits.h"
#include "natsconnection.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QJsonObject>
#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace {

QString limit(qint64 value, bool bytes)
{
    if (value < 0)
        return QCoreApplication::translate("AccountCommand", "Unlimited");
    return bytes ? KvUnits::iBytes(value) : KvFormat::comma(value);
}

// 0: a server before 2.11, which has no API level ("0" read as a real one). --json keeps the 0.
QString apiLevelText(int level)
{
    return level > 0 ? QString::number(level)
                     : QCoreApplication::translate("AccountCommand", "(not said by this server)");
}

QJsonObject limitsJson(const JsAccountLimits &limits)
{
    return {
        {u"max_memory"_s, limits.maxMemory},
        {u"max_storage"_s, limits.maxStorage},
        {u"max_streams"_s, limits.maxStreams},
        {u"max_consumers"_s, limits.maxConsumers},
        {u"max_ack_pending"_s, limits.maxAckPending},
        {u"memory_max_stream_bytes"_s, limits.memoryMaxStreamBytes},
        {u"storage_max_stream_bytes"_s, limits.storageMaxStreamBytes},
        {u"max_bytes_required"_s, limits.maxBytesRequired},
    };
}

} // namespace

AccountCommand::AccountCommand(QObject *parent)
    : CliCommand({u"account"_s,
                  {},
                  tr("Show the server, its JetStream API level, and the account's usage and limits"),
                  u"info"_s,
                  1,
                  1},
                 parent)
{
}

QString AccountCommand::prepare(const QCommandLineParser &, const QStringList &arguments)
{
    return arguments.first() == "info"_L1
        ? QString()
        : tr("unknown account command \"%1\" (use: account info)").arg(arguments.first());
}

void AccountCommand::run()
{
    JetStreamContext *js = kv()->jetStream();
    JsApiReply *reply = js->accountInfo();
    connect(reply, &NatsReply::finished, this, [this, reply, js] {
        reply->deleteLater();
        if (reply->error() != NatsError::NoError) {
            fail(reply->errorInfo());
            return;
        }
        print(js->connection(), reply->accountInfo());
        finish();
    });
}

void AccountCommand::print(const NatsConnection *connection, const JsAccountInfo &info)
{
    const NatsServerInfo server = connection->serverInfo();
    const QString url = connection->currentServer().toDisplayString(QUrl::RemoveUserInfo);
    if (out()->json()) {
        QJsonObject object{
            {u"server_url"_s, url},
            {u"server_id"_s, server.serverId},
            {u"server_name"_s, server.serverName},
            {u"server_version"_s, server.version},
            {u"api_level"_s, info.apiLevel},
            {u"account"_s, server.remoteAccount},
            {u"domain"_s, info.domain},
            {u"memory"_s, qint64(info.memory)},
            {u"storage"_s, qint64(info.storage)},
            {u"reserved_memory"_s, info.reservedMemory},
            {u"reserved_storage"_s, info.reservedStorage},
            {u"streams"_s, qint64(info.streams)},
            {u"consumers"_s, qint64(info.consumers)},
            {u"limits"_s, limitsJson(info.limits)},
            {u"api"_s,
             QJsonObject{{u"level"_s, info.apiLevel},
                         {u"total"_s, qint64(info.apiTotal)},
                         {u"errors"_s, qint64(info.apiErrors)}}},
        };
        out()->printJson(object);
        return;
    }
    const QList<QPair<QString, QString>> connectionRows{
        {tr("Account"), server.remoteAccount.isEmpty() ? tr("(not said by this server)") : server.remoteAccount},
        {tr("Client ID"), QString::number(server.clientId)},
        {tr("Client IP"), server.clientIp},
        {tr("Headers Supported"), server.headers ? tr("true") : tr("false")},
        {tr("Maximum Payload"), KvUnits::iBytes(server.maxPayload)},
        {tr("Connected URL"), url},
        {tr("Connected Server ID"), server.serverId},
        {tr("Connected Server Version"), server.version},
        {tr("JetStream API Level"), apiLevelText(info.apiLevel)},
        {tr("JetStream Domain"), info.domain.isEmpty() ? tr("(none)") : info.domain},
    };
    const QList<QPair<QString, QString>> usageRows{
        {tr("Storage"), tr("%1 of %2").arg(KvUnits::iBytes(qint64(info.storage)), limit(info.limits.maxStorage, true))},
        {tr("Memory"), tr("%1 of %2").arg(KvUnits::iBytes(qint64(info.memory)), limit(info.limits.maxMemory, true))},
        {tr("Streams"),
         tr("%1 of %2").arg(KvFormat::comma(qint64(info.streams)), limit(info.limits.maxStreams, false))},
        {tr("Consumers"),
         tr("%1 of %2").arg(KvFormat::comma(qint64(info.consumers)), limit(info.limits.maxConsumers, false))},
        {tr("Storage Per Stream"), limit(info.limits.storageMaxStreamBytes, true)},
        {tr("Memory Per Stream"), limit(info.limits.memoryMaxStreamBytes, true)},
        {tr("Consumer Maximum Ack Pending"), limit(info.limits.maxAckPending, false)},
        {tr("Stream Requires Max Bytes Set"), info.limits.maxBytesRequired ? tr("true") : tr("false")},
    };
    const auto section = [](const QList<QPair<QString, QString>> &rows) {
        qsizetype width = 0;
        for (const auto &row : rows)
            width = std::max(width, row.first.size());
        QString text;
        for (const auto &row : rows)
            text += row.first.rightJustified(width + 2) + ": "_L1 + row.second + u'\n';
        return text;
    };
    out()->print(tr("Account Information\n\n%1\nJetStream Account Usage and Limits:\n\n%2")
                     .arg(section(connectionRows), section(usageRows)));
}
