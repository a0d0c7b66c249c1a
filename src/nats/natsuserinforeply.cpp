#include "natsuserinforeply.h"

#include "natsconnection.h"
#include "natsmessage.h"

NatsUserInfoReply::NatsUserInfoReply(QObject *parent)
    : NatsReply(parent)
{
}

NatsUserInfoReply *NatsUserInfoReply::ask(NatsConnection *connection, int timeoutMs)
{
    auto *reply = new NatsUserInfoReply(connection);
    // Before 2.10 there is nothing to ask: the server always answers "no responders", a round trip
    // kvdesk-cli would pay before each command. An unknown version (not connected yet) asks.
    if (connection->serverInfo().isKnownBefore(2, 10)) {
        reply->finishWithErrorLater(noResponders());
        return reply;
    }
    // Asked while the server's INFO is handled, the question goes with the CONNECT (read-only: safe to
    // ask again after a failed attempt).
    NatsReply *request = connection->requestWithHandshake(NatsMessage(NatsUserInfo::Subject, {}), timeoutMs);
    connect(reply, &NatsReply::finished, request, [request] { request->abort(); });
    connect(request, &NatsReply::finished, reply, [reply, request] {
        request->deleteLater();
        reply->onAnswer(request);
    });
    return reply;
}

NatsError NatsUserInfoReply::noResponders()
{
    return NatsError(NatsError::NoResponders,
                     tr("the server does not answer %1: it needs nats-server 2.10 or newer")
                         .arg(QString::fromLatin1(NatsUserInfo::Subject)));
}

void NatsUserInfoReply::onAnswer(NatsReply *request)
{
    if (isFinished())
        return;
    if (request->error() == NatsError::NoResponders) {
        finishWithError(noResponders());
        return;
    }
    if (request->error() != NatsError::NoError) {
        finishWithError(request->errorInfo());
        return;
    }
    QString problem;
    if (!NatsUserInfo::parse(request->message().data(), &m_info, &problem)) {
        finishWithError(NatsError(
            NatsError::InvalidResponse,
            tr("%1 answered without user data: %2").arg(QString::fromLatin1(NatsUserInfo::Subject), problem)));
        return;
    }
    finishWithMessage(request->message());
}
