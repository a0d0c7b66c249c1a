#include "natsuserinforeply.h"

#include "natsconnection.h"

NatsUserInfoReply::NatsUserInfoReply(QObject *parent)
    : NatsReply(parent)
{
}

NatsUserInfoReply *NatsUserInfoReply::ask(NatsConnection *connection, int timeoutMs)
{
    auto *reply = new NatsUserInfoReply(connection);
    NatsReply *request = connection->request(NatsUserInfo::Subject, {}, timeoutMs);
    connect(reply, &NatsReply::finished, request, [request] { request->abort(); });
    connect(request, &NatsReply::finished, reply, [reply, request] {
        request->deleteLater();
        reply->onAnswer(request);
    });
    return reply;
}

void NatsUserInfoReply::onAnswer(NatsReply *request)
{
    if (isFinished())
        return;
    if (request->error() == NatsError::NoResponders) {
        finishWithError(NatsError(NatsError::NoResponders,
                                  tr("the server does not answer %1: it needs nats-server 2.10 or newer")
                                      .arg(QString::fromLatin1(NatsUserInfo::Subject))));
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
