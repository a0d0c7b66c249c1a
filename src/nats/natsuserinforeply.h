#pragma once

#include "natsreply.h"
#include "natsuserinfo.h"

class NatsConnection;

// Asks the server who the connection is and what it may do ($SYS.REQ.USER.INFO). A server before 2.10
// cannot answer: it is not asked, and the reply fails with NoResponders on the next event-loop turn, as
// the server would have answered. A user who may not ask gets PermissionsViolation. On any error
// userInfo().permissions stays unknown, which means "try, and let the server refuse".
class NatsUserInfoReply final : public NatsReply
{
    Q_OBJECT

public:
    // Sends the request on connection; the reply is parented to connection.
    static NatsUserInfoReply *ask(NatsConnection *connection, int timeoutMs = -1);

    NatsUserInfo userInfo() const { return m_info; }

private:
    explicit NatsUserInfoReply(QObject *parent);
    static NatsError noResponders();
    void onAnswer(NatsReply *request);

    NatsUserInfo m_info;
};
