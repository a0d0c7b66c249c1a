#pragma once

#include "jsstoredmessage.h"
#include "natserror.h"

#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class JetStreamContext;
class NatsMessage;
class NatsSubscription;
class QTimer;

// What a batch direct get asks for (nats-server 2.11+, ADR-31, nats-modern.md §5): the last message of
// each of several subjects (multiLast, wildcards allowed, at most 1,024 subjects matched), optionally as
// of a stream sequence (upToSequence); or the messages from startSequence on whose subject matches
// nextBySubject. batch is the page size.
struct JsBatchGetRequest
{
    static constexpr int MaxMultiLastSubjects = 1024; // the server's hard limit (413 Too Many Results)

    QList<QByteArray> multiLast;
    quint64 upToSequence = 0;
    quint64 startSequence = 0;
    QByteArray nextBySubject;
    int batch = 1024;
    quint64 maxMessages = 0; // batch by subject: stop after this many (0: until none are left)

    QJsonObject toJson(quint64 fromSequence) const;
};

// One batch direct get, paged: each page is one request to DIRECT.GET.<stream> on a private inbox,
// answered by the messages and a "204 EOB" status that says how many remain and where to go on from;
// the next page starts there, pinned to the first page's up-to sequence so the pages form one snapshot.
// Messages come in stream-sequence order, page by page. Older servers are detected as ADR-31 says (no
// Nats-Num-Pending on the first message, or "408 Empty Request" to multi_last) and fail with
// FeatureNotSupported; more than 1,024 subjects for multi_last fails with TooManyResults semantics
// (FeatureNotSupported naming the limit). Starts on the next event-loop turn; deletes nothing itself.
class JsBatchGet : public QObject
{
    Q_OBJECT

public:
    JsBatchGet(JetStreamContext *context, const QString &stream, const JsBatchGetRequest &request,
               QObject *parent = nullptr);
    ~JsBatchGet() override;

    bool isFinished() const { return m_finished; }
    NatsError errorInfo() const { return m_error; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    // The stream's last sequence when the first page was answered (multi_last), else 0.
    quint64 upToSequence() const { return m_upTo; }
    quint64 receivedCount() const { return m_received; }
    // Whether the stream asked answered every page. A mirror of it answers its direct gets too
    // (mirror_direct, as the official clients make mirrors) with what the mirror holds, which may lack
    // messages or lag: its messages name it (Nats-Stream), and a "404 No Results" names nobody. False
    // after either; a reader that must not take a mirror's word reads those messages another way.
    bool isAnsweredByStream() const { return m_answeredByStream; }

public Q_SLOTS:
    void cancel();

Q_SIGNALS:
    // One page of messages (stream-sequence order).
    void messagesReceived(const QList<JsStoredMessage> &messages);
    // The get failed (see errorString()); finished() follows.
    void errorOccurred(NatsError::Code code);
    // Every page is in, or the get failed (see error()); nothing follows.
    void finished();

private:
    void requestPage();
    void onMessage(const NatsMessage &message);
    void onEndOfBatch(const NatsMessage &message);
    void fail(const NatsError &error);
    void finish();

    QPointer<JetStreamContext> m_context;
    QString m_stream;
    JsBatchGetRequest m_request;
    QPointer<NatsSubscription> m_subscription;
    QTimer *m_timeout = nullptr;
    QList<JsStoredMessage> m_page;
    NatsError m_error;
    quint64 m_nextSequence = 0;
    quint64 m_upTo = 0;
    quint64 m_received = 0;
    bool m_firstMessage = true;
    bool m_answeredByStream = true;
    bool m_finished = false;
};
