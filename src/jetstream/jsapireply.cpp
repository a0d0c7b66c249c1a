#include "jsapireply.h"

#include <QtCore/QJsonDocument>

using namespace Qt::StringLiterals;

JsApiReply::JsApiReply(QObject *parent)
    : NatsReply(parent)
{
}

namespace {

// The code for a JetStream err_code; the store's words tell a full stream (10077) from other failures.
NatsError::Code codeOf(int errCode, const QString &description)
{
    switch (errCode) {
    case 10039:
    case 10076:
        return NatsError::JetStreamNotEnabled;
    case 10008:
        return NatsError::JetStreamUnavailable;
    case 10059:
        return NatsError::StreamNotFound;
    case 10058:
        return NatsError::StreamNameInUse;
    case 10014:
        return NatsError::ConsumerNotFound;
    case 10037:
        return NatsError::MessageNotFound;
    case 10071:
    case 10164: // 2.11+: wrong last sequence without the number (atomic batches, R>1 contention)
        return NatsError::WrongLastSequence;
    case 10054:
        return NatsError::MessageTooLarge;
    case 10077:
        // "Storing a message failed", with the store's words: a stream that discards new messages at one
        // of its limits ("maximum bytes exceeded", "maximum messages exceeded", "maximum messages per
        // subject exceeded"). Its other texts (a closed store...) are other failures.
        return description.contains("exceeded"_L1) ? NatsError::StreamFull : NatsError::JetStreamApiError;
    case 10158: // 2.11+: "duplicate message id is in process": a copy with this id is being stored
    case 10163: // 2.11+: "expected last sequence per subject temporarily unavailable"
    case 10167: // 2.11+: "too many requests"
        return NatsError::TryAgain;
    case 10023: // insufficient resources: the server's or account's JetStream storage is used up
    case 10028: // insufficient memory resources available
    case 10047: // insufficient storage resources available
        return NatsError::InsufficientResources;
    default:
        // A code of 503 by itself says nothing more: 10077, 10023 and 10163 are 503s too, and none of
        // them means JetStream is off (only 10039 and 10076, and a no-responders status, do).
        break;
    }
    return NatsError::JetStreamApiError;
}

} // namespace

NatsError JsApiReply::errorFromResponse(const QJsonObject &response)
{
    const QJsonValue errorValue = response.value("error"_L1);
    if (!errorValue.isObject())
        return {};
    const QJsonObject error = errorValue.toObject();
    const int errCode = error.value("err_code"_L1).toInt();
    const QString description = error.value("description"_L1).toString();
    return NatsError(codeOf(errCode, description), u"%1 (JetStream error %2)"_s.arg(description).arg(errCode), errCode);
}

void JsApiReply::finishWithResponse(const QJsonObject &response)
{
    m_response = response;
    finishSuccess();
}

JsStreamInfo JsApiReply::streamInfo() const
{
    return m_hasStreamInfo ? m_streamInfo : JsStreamInfo::fromJson(m_response);
}

void JsApiReply::finishWithStreamInfo(const JsStreamInfo &info, const QJsonObject &response)
{
    m_streamInfo = info;
    m_hasStreamInfo = true;
    m_response = response;
    finishSuccess();
}

void JsApiReply::finishWithNames(const QStringList &names)
{
    m_names = names;
    finishSuccess();
}

void JsApiReply::finishWithStreams(const QList<JsStreamInfo> &streams)
{
    m_streams = streams;
    finishSuccess();
}

void JsApiReply::finishWithStoredMessage(const JsStoredMessage &message)
{
    m_storedMessage = message;
    finishSuccess();
}

QJsonObject JsApiReply::response() const
{
    if (!m_unparsedResponse.isEmpty())
        return QJsonDocument::fromJson(m_unparsedResponse).object();
    return m_response;
}

void JsApiReply::finishWithPubAck(const JsPubAck &ack, const QByteArray &json)
{
    m_pubAck = ack;
    m_unparsedResponse = json;
    finishSuccess();
}

void JsApiReply::finishWithPubAck(const JsPubAck &ack, const QJsonObject &response)
{
    m_pubAck = ack;
    m_response = response;
    finishSuccess();
}
