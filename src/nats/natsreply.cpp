#include "natsreply.h"

#include <QtCore/QPointer>
#include <QtCore/QTimer>

NatsReply::NatsReply(QObject *parent)
    : QObject(parent)
{
}

NatsReply::~NatsReply() = default;

void NatsReply::finishWithMessage(const NatsMessage &message)
{
    if (m_finished)
        return;
    m_message = message;
    complete();
}

void NatsReply::finishWithError(const NatsError &error)
{
    if (m_finished)
        return;
    m_error = error.isError() ? error : NatsError(NatsError::InvalidArgument, {});
    m_finished = true;
    // A slot may delete the reply; keep a guard so finished() is not emitted on a dead object.
    const QPointer<NatsReply> guard(this);
    Q_EMIT errorOccurred(m_error.code());
    if (!guard)
        return;
    Q_EMIT finished();
    if (guard && m_autoDelete)
        deleteLater();
}

void NatsReply::finishWithErrorLater(const NatsError &error)
{
    QTimer::singleShot(0, this, [this, error] { finishWithError(error); });
}

void NatsReply::finishSuccess()
{
    if (m_finished)
        return;
    complete();
}

void NatsReply::complete()
{
    m_finished = true;
    const QPointer<NatsReply> guard(this);
    Q_EMIT finished();
    if (guard && m_autoDelete)
        deleteLater();
}

void NatsReply::abort()
{
    finishWithError(NatsError(NatsError::Cancelled, tr("the operation was cancelled")));
}
