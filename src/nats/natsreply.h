#pragma once

#include "natserror.h"
#include "natsmessage.h"

#include <QtCore/QObject>

// The handle of one asynchronous operation, like QNetworkReply: a request, a flush, and (through
// subclasses) every JetStream and Key/Value call. It finishes exactly once; on failure errorOccurred()
// comes first, then finished(). The creator parents it (usually to the connection); the receiver calls
// deleteLater() when done with it, or sets autoDelete so it goes after finished().
class NatsReply : public QObject
{
    Q_OBJECT

public:
    explicit NatsReply(QObject *parent = nullptr);
    ~NatsReply() override;

    bool isFinished() const { return m_finished; }
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }

    // The reply message of a request (empty for a flush).
    NatsMessage message() const { return m_message; }

    // When on, the reply deletes itself (deleteLater) after emitting finished().
    void setAutoDelete(bool autoDelete) { m_autoDelete = autoDelete; }
    bool autoDelete() const { return m_autoDelete; }

    // For the code that created the reply: complete it. The first completion wins; later ones are ignored.
    void finishWithMessage(const NatsMessage &message);
    void finishWithError(const NatsError &error);
    // Fails on the next event-loop turn, so callers can connect before the signals fire (used for
    // input that is refused at once: a handle is returned either way, never nullptr).
    void finishWithErrorLater(const NatsError &error);

public Q_SLOTS:
    // Gives up waiting: the reply finishes at once with NatsError::Cancelled.
    void abort();

Q_SIGNALS:
    void finished();
    void errorOccurred(NatsError::Code code);

protected:
    // Marks success for subclasses that store their own typed result before calling it.
    void finishSuccess();

private:
    void complete();

    NatsMessage m_message;
    NatsError m_error;
    bool m_finished = false;
    bool m_autoDelete = false;
};
