#pragma once

#include <QtCore/QMetaType>
#include <QtCore/QObject>
#include <QtCore/QString>

// One error vocabulary for every layer of the client (core, JetStream, Key/Value), so a failure keeps
// its meaning as it travels up: a KvReply that failed because the connection dropped says so.
// As in qtmqtt, codes the server sends sit low and failures detected on our side start at 256.
class NatsError
{
    Q_GADGET

public:
    enum Code {
        NoError = 0,

        // -ERR texts from the server (core protocol)
        AuthorizationViolation = 1,
        AuthenticationExpired,
        PermissionsViolation,
        MaxPayloadViolation,
        MaxControlLineExceeded,
        MaxConnectionsExceeded,
        MaxSubscriptionsExceeded,
        StaleConnection,
        SlowConsumer,
        SecureConnectionRequired,
        InvalidSubjectRejected,
        ServerError, // any other -ERR text

        // JetStream API errors (the server's err_code is kept in jsErrorCode())
        JetStreamNotEnabled = 100,
        JetStreamUnavailable, // 10008: no meta leader / system temporarily unavailable
        StreamNotFound,
        StreamNameInUse,
        ConsumerNotFound,
        MessageNotFound,
        WrongLastSequence,
        MessageTooLarge,
        NoStreamResponse,      // a publish that no stream captured (503)
        JetStreamApiError,     // any other JetStream error
        DirectGetUnavailable,  // 2.10+: a 503 to DIRECT.GET: no such stream, or it does not allow direct gets
        StreamFull,            // 10077: a limit of the stream (bytes, messages, per subject) refuses the message
        InsufficientResources, // 10023, 10028, 10047: the server or account has no storage left
        // 10158, 10163, 10167, and an acknowledgement with sequence 0: not done now, to be asked again (a
        // copy of the message with its Nats-Msg-Id still being stored, a cluster not ready, too many
        // requests). Nothing was stored for that request.
        TryAgain,

        // Key/Value errors
        InvalidBucketName = 200,
        InvalidKey,
        BucketNotFound,
        NotKeyValueBucket,
        KeyNotFound,
        KeyExists,
        WrongRevision,
        HistoryTooLarge,
        ValueTooLarge,
        ValueDecodeError,
        NoKeysFound,
        InvalidBucketConfig,
        BucketFull, // the bucket's size, value count or per-key limit refuses the write (it discards new)

        // Failures detected by the client itself
        InvalidUrl = 256,
        NoServers,
        HostNotFound,
        ConnectionRefused,
        ConnectionTimeout,
        SocketError,
        TlsError,
        TlsNotAvailable,
        ProtocolError,
        InvalidSubject,
        InvalidQueueGroup,
        InvalidHeader,
        PayloadTooLarge,
        ControlLineTooLong,
        NotConnected,
        ConnectionClosed,
        ConnectionLost,
        ConnectionDraining,
        ReconnectBufferFull,
        NoResponders,
        Timeout,
        Cancelled,
        CredentialsError,
        InvalidArgument,
        InvalidResponse,
        FeatureNotSupported, // the server (or the bucket) lacks what was asked for: refused before sending
        OutcomeUnknown,      // sent, but the connection was lost before the answer: the server may have acted on it
        WriteBufferFull,     // connected, but the server took no bytes for writeTimeoutMs: refused, not sent
    };
    Q_ENUM(Code)

    NatsError() = default;
    NatsError(Code code, const QString &message, int jsErrorCode = 0);

    Code code() const { return m_code; }
    bool isError() const { return m_code != NoError; }
    // The human text: what went wrong, naming the input or server text concerned.
    QString message() const;
    // The JetStream err_code (10071, 10059, ...) when the error came from a JetStream reply, else 0.
    int jsErrorCode() const { return m_jsErrorCode; }

    // A short generic text for a code, used when no more specific message is known.
    static QString describe(Code code);
    // Name of the code as declared ("KeyExists"), for logs and tests.
    static QString codeName(Code code);
    // The code for the text of a server's -ERR ("Permissions Violation for Publish to ..."), matched
    // case-insensitively on the texts nats-server sends; ServerError for any other text.
    static Code fromServerText(const QByteArray &text);
    // True for the codes with which a server refuses credentials: retrying the same ones may not help.
    static bool isAuthenticationError(Code code);

    bool operator==(const NatsError &other) const = default;

private:
    Code m_code = NoError;
    QString m_message;
    int m_jsErrorCode = 0;
};

Q_DECLARE_METATYPE(NatsError)
