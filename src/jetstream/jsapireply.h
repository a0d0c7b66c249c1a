#pragma once

#include "jsaccountinfo.h"
#include "jspuback.h"
#include "jsstoredmessage.h"
#include "jsstreaminfo.h"
#include "natsreply.h"

#include <QtCore/QJsonObject>
#include <QtCore/QStringList>

// The handle of one JetStream call: a $JS.API request, a publish awaiting its ack, a message get.
// Which accessor holds the result depends on the call (documented on each JetStreamContext method);
// JetStream errors arrive as NatsError codes with the server's err_code in errorInfo().jsErrorCode().
class JsApiReply : public NatsReply
{
    Q_OBJECT

public:
    explicit JsApiReply(QObject *parent = nullptr);

    // The JSON answer (for a paged stream info with subjects: the first page).
    QJsonObject response() const;
    // For stream create/update/info; with a subjects filter state.subjects holds every page's subjects.
    JsStreamInfo streamInfo() const;
    JsAccountInfo accountInfo() const { return JsAccountInfo::fromJson(m_response); }
    QStringList streamNames() const { return m_names; }
    QList<JsStreamInfo> streams() const { return m_streams; }
    JsStoredMessage storedMessage() const { return m_storedMessage; }
    JsPubAck pubAck() const { return m_pubAck; }

    // The error a JetStream JSON reply carries, or NoError. Maps err_code to our codes, keeping the
    // server's description.
    static NatsError errorFromResponse(const QJsonObject &response);

    // For JetStreamContext: store the result and finish.
    void finishWithResponse(const QJsonObject &response);
    void finishWithStreamInfo(const JsStreamInfo &info, const QJsonObject &response);
    void finishWithNames(const QStringList &names);
    void finishWithStreams(const QList<JsStreamInfo> &streams);
    void finishWithStoredMessage(const JsStoredMessage &message);
    void finishWithPubAck(const JsPubAck &ack, const QJsonObject &response);
    // The same for an ack read by JsPubAck::scan(): response() parses json only if asked.
    void finishWithPubAck(const JsPubAck &ack, const QByteArray &json);

private:
    QJsonObject m_response;
    QByteArray m_unparsedResponse; // an ack's JSON, parsed by response() when someone asks
    JsStreamInfo m_streamInfo;
    bool m_hasStreamInfo = false; // else streamInfo() parses m_response
    QStringList m_names;
    QList<JsStreamInfo> m_streams;
    JsStoredMessage m_storedMessage;
    JsPubAck m_pubAck;
};
