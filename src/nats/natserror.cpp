#include "natserror.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QMetaEnum>

NatsError::NatsError(Code code, const QString &message, int jsErrorCode)
    : m_code(code)
    , m_message(message)
    , m_jsErrorCode(jsErrorCode)
{
}

QString NatsError::message() const
{
    if (m_code == NoError)
        return {};
    return m_message.isEmpty() ? describe(m_code) : m_message;
}

QString NatsError::codeName(Code code)
{
    return QString::fromLatin1(QMetaEnum::fromType<Code>().valueToKey(code));
}

NatsError::Code NatsError::fromServerText(const QByteArray &text)
{
    struct Mapping
    {
        const char *prefix;
        Code code;
    };
    // Prefixes, because some texts go on with details ("Permissions Violation for Subscription to ...").
    static const Mapping mappings[] = {
        {"authorization violation", AuthorizationViolation},
        {"user authentication expired", AuthenticationExpired},
        {"user authentication revoked", AuthorizationViolation},
        {"account authentication expired", AuthenticationExpired},
        {"authentication timeout", AuthorizationViolation},
        {"permissions violation", PermissionsViolation},
        {"maximum payload violation", MaxPayloadViolation},
        {"maximum control line exceeded", MaxControlLineExceeded},
        {"maximum connections exceeded", MaxConnectionsExceeded},
        {"maximum account active connections exceeded", MaxConnectionsExceeded},
        {"maximum subscriptions exceeded", MaxSubscriptionsExceeded},
        {"stale connection", StaleConnection},
        {"slow consumer", SlowConsumer},
        {"secure connection - tls required", SecureConnectionRequired},
        {"invalid subject", InvalidSubjectRejected},
        {"invalid publish subject", InvalidSubjectRejected},
    };
    const QByteArray lowerText = text.toLower();
    for (const Mapping &mapping : mappings) {
        if (lowerText.startsWith(mapping.prefix))
            return mapping.code;
    }
    return ServerError;
}

bool NatsError::isAuthenticationError(Code code)
{
    return code == AuthorizationViolation || code == AuthenticationExpired;
}

QString NatsError::describe(Code code)
{
    const auto tr = [](const char *text) { return QCoreApplication::translate("NatsError", text); };
    switch (code) {
    case NoError:
        return {};
    case AuthorizationViolation:
        return tr("authorization violation: the server refused the credentials");
    case AuthenticationExpired:
        return tr("user authentication expired");
    case PermissionsViolation:
        return tr("permissions violation");
    case MaxPayloadViolation:
        return tr("maximum payload violation");
    case MaxControlLineExceeded:
        return tr("maximum control line exceeded");
    case MaxConnectionsExceeded:
        return tr("maximum connections exceeded");
    case MaxSubscriptionsExceeded:
        return tr("maximum subscriptions exceeded");
    case StaleConnection:
        return tr("stale connection");
    case SlowConsumer:
        return tr("slow consumer: the server dropped messages for this client");
    case SecureConnectionRequired:
        return tr("the server requires a TLS connection");
    case InvalidSubjectRejected:
        return tr("the server rejected an invalid subject");
    case ServerError:
        return tr("server error");
    case JetStreamNotEnabled:
        return tr("JetStream is not enabled");
    case JetStreamUnavailable:
        return tr("JetStream is temporarily unavailable");
    case StreamNotFound:
        return tr("stream not found");
    case StreamNameInUse:
        return tr("stream name already in use with a different configuration");
    case ConsumerNotFound:
        return tr("consumer not found");
    case MessageNotFound:
        return tr("message not found");
    case WrongLastSequence:
        return tr("wrong last sequence");
    case MessageTooLarge:
        return tr("message size exceeds the stream's maximum");
    case NoStreamResponse:
        return tr("no response from stream");
    case JetStreamApiError:
        return tr("JetStream API error");
    case DirectGetUnavailable:
        return tr("no such stream, or it does not allow direct gets");
    case StreamFull:
        return tr("the stream is full: one of its limits refuses new messages");
    case InsufficientResources:
        return tr("insufficient resources: the server has no storage left for JetStream");
    case TryAgain:
        return tr("not done now: the server asks for the request again later");
    case InvalidBucketName:
        return tr("invalid bucket name");
    case InvalidKey:
        return tr("invalid key");
    case BucketNotFound:
        return tr("bucket not found");
    case NotKeyValueBucket:
        return tr("bucket not valid key-value store");
    case KeyNotFound:
        return tr("key not found");
    case KeyExists:
        return tr("key exists");
    case WrongRevision:
        return tr("wrong last revision");
    case HistoryTooLarge:
        return tr("history limited to a max of 64");
    case ValueTooLarge:
        return tr("value too large");
    case ValueDecodeError:
        return tr("value could not be decoded");
    case NoKeysFound:
        return tr("no keys found");
    case InvalidBucketConfig:
        return tr("invalid bucket configuration");
    case BucketFull:
        return tr("the bucket is full: one of its limits refuses new values");
    case InvalidUrl:
        return tr("invalid server URL");
    case NoServers:
        return tr("no servers available for connection");
    case HostNotFound:
        return tr("host not found");
    case ConnectionRefused:
        return tr("connection refused");
    case ConnectionTimeout:
        return tr("connection timed out");
    case SocketError:
        return tr("socket error");
    case TlsError:
        return tr("TLS error");
    case TlsNotAvailable:
        return tr("secure connection not available");
    case ProtocolError:
        return tr("protocol error");
    case InvalidSubject:
        return tr("invalid subject");
    case InvalidQueueGroup:
        return tr("invalid queue group");
    case InvalidHeader:
        return tr("invalid header");
    case PayloadTooLarge:
        return tr("maximum payload exceeded");
    case ControlLineTooLong:
        return tr("control line too long");
    case NotConnected:
        return tr("not connected");
    case ConnectionClosed:
        return tr("connection closed");
    case ConnectionLost:
        return tr("connection lost");
    case ConnectionDraining:
        return tr("connection draining");
    case ReconnectBufferFull:
        return tr("reconnect buffer full: the publish was not accepted");
    case NoResponders:
        return tr("no responders available for request");
    case Timeout:
        return tr("timeout");
    case Cancelled:
        return tr("cancelled");
    case CredentialsError:
        return tr("credentials error");
    case InvalidArgument:
        return tr("invalid argument");
    case InvalidResponse:
        return tr("invalid response");
    case FeatureNotSupported:
        return tr("not supported by the server");
    case OutcomeUnknown:
        return tr("outcome unknown: the request was sent but the connection was lost before the answer; "
                  "the server may have stored it");
    case WriteBufferFull:
        return tr("write buffer full: the server is not taking data; the publish was not sent");
    }
    return codeName(code);
}
