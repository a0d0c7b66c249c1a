#include "natsrequestmux.h"

#include "natserror.h"
#include "natsmessage.h"
#include "natsnuid.h"
#include "natsoutbox.h"
#include "natsreply.h"

#include <QtCore/QList>
#include <QtCore/QTimer>

#include <algorithm>

namespace {

// Fixed width, so tokens sort and read alike in wire logs.
QByteArray base62Token(quint64 value)
{
    static constexpr char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QByteArray token(8, '0');
    for (int i = 7; i >= 0; --i) {
        token[i] = digits[value % 62];
        value /= 62;
    }
    return token;
}

} // namespace

NatsRequestMux::NatsRequestMux(QObject *owner, NatsOutbox *outbox)
    : QObject(owner)
    , m_replyShelf(owner)
    , m_timer(new QTimer(this))
    , m_outbox(outbox)
{
    m_clock.start();
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &NatsRequestMux::expire);
}

NatsRequestMux::~NatsRequestMux() = default;

NatsReply *NatsRequestMux::createReply()
{
    return new NatsReply(m_replyShelf.next());
}

QByteArray NatsRequestMux::newInbox()
{
    m_prefix = NatsNuid::newInbox() + '.';
    return m_prefix + '*';
}

QByteArray NatsRequestMux::nextReplySubject()
{
    return m_prefix + base62Token(m_nextId++);
}

void NatsRequestMux::add(const QByteArray &replySubject, NatsReply *reply, const QByteArray &subject, qint64 timeoutMs,
                         quint64 outboxTicket)
{
    const QByteArray token = replySubject.mid(m_prefix.size());
    const qint64 deadline = m_clock.elapsed() + timeoutMs;
    m_requests.insert(token, PendingRequest{reply, subject, deadline, outboxTicket});
    m_deadlines.emplace(deadline, token);
    armTimer();
    // A reply that finishes another way (abort()) is no longer pending: a drain must not wait for it
    // until its deadline, and its publish, if still queued, must not go out.
    connect(reply, &NatsReply::finished, this, [this, token] {
        const auto it = m_requests.find(token);
        if (it == m_requests.end())
            return;
        withdraw(it.value());
        m_requests.erase(it);
        emitIdleIfEmpty();
    });
}

bool NatsRequestMux::withdraw(const PendingRequest &request)
{
    return request.outboxTicket != 0 && m_outbox && m_outbox->withdraw(request.outboxTicket);
}

bool NatsRequestMux::isSent(const PendingRequest &request) const
{
    return request.outboxTicket == 0 || !m_outbox || !m_outbox->contains(request.outboxTicket);
}

void NatsRequestMux::handleResponse(const NatsMessage &message)
{
    const QByteArray token = message.subject().mid(m_prefix.size());
    const auto it = m_requests.find(token);
    if (it == m_requests.end())
        return; // timed out, aborted, or a second reply
    const PendingRequest request = it.value();
    m_requests.erase(it);
    if (request.reply) {
        if (message.status() == 503 && message.data().isEmpty()) {
            request.reply->finishWithError(
                NatsError(NatsError::NoResponders,
                          tr("no responders available for request on \"%1\"").arg(QString::fromUtf8(request.subject))));
        } else {
            request.reply->finishWithMessage(message);
        }
    }
    emitIdleIfEmpty();
}

void NatsRequestMux::armTimer()
{
    // One timer for all requests, aimed at the earliest deadline: thousands of pipelined requests
    // would otherwise mean thousands of QTimers.
    if (m_deadlines.empty()) {
        m_timer->stop();
        return;
    }
    const qint64 wait = std::max<qint64>(0, m_deadlines.begin()->first - m_clock.elapsed());
    if (!m_timer->isActive() || m_timer->remainingTime() > wait)
        m_timer->start(int(wait));
}

void NatsRequestMux::expire()
{
    const qint64 now = m_clock.elapsed();
    QList<std::pair<PendingRequest, bool>> expired; // and whether its publish was taken back
    while (!m_deadlines.empty() && m_deadlines.begin()->first <= now) {
        const QByteArray token = m_deadlines.begin()->second;
        m_deadlines.erase(m_deadlines.begin());
        const auto it = m_requests.find(token);
        if (it != m_requests.end() && it->deadline <= now) {
            expired.append({it.value(), withdraw(it.value())});
            m_requests.erase(it);
        }
    }
    armTimer();
    for (const auto &[request, withdrawn] : std::as_const(expired)) {
        // Through a plain pointer: GCC's -Wnull-dereference misreads QPointer checks at -O2.
        NatsReply *reply = request.reply.data();
        if (!reply || reply->isFinished())
            continue;
        const QString subject = QString::fromUtf8(request.subject);
        reply->finishWithError(NatsError(
            NatsError::Timeout,
            withdrawn
                ? tr("request on \"%1\" timed out while not connected; it was withdrawn and not sent").arg(subject)
                : tr("request on \"%1\" timed out").arg(subject)));
    }
    emitIdleIfEmpty();
}

QList<NatsRequestMux::PendingRequest> NatsRequestMux::takeWhere(const Predicate &matches)
{
    QList<PendingRequest> taken;
    for (auto it = m_requests.begin(); it != m_requests.end();) {
        if (matches(it.key(), it.value())) {
            withdraw(it.value());
            taken.append(it.value());
            it = m_requests.erase(it);
        } else {
            ++it;
        }
    }
    return taken;
}

void NatsRequestMux::failSent(const NatsError &cause)
{
    const NatsError::Code code = cause.code() == NatsError::ProtocolError ? NatsError::ProtocolError
                                                                          : NatsError::OutcomeUnknown;
    const QList<PendingRequest> failed = takeWhere(
        [this](const QByteArray &, const PendingRequest &request) { return isSent(request); });
    for (const PendingRequest &request : failed) {
        if (!request.reply)
            continue;
        request.reply->finishWithError(
            NatsError(code,
                      tr("outcome unknown: request on \"%1\" was sent, but the connection failed before its answer "
                         "came (%2); the server may have stored it")
                          .arg(QString::fromUtf8(request.subject), cause.message())));
    }
}

void NatsRequestMux::failRequestsTo(const QByteArray &subject, const NatsError &error)
{
    fail(
        takeWhere([&subject](const QByteArray &, const PendingRequest &request) { return request.subject == subject; }),
        error);
}

void NatsRequestMux::failRequestWithReply(const QByteArray &replySubject, const NatsError &error)
{
    if (m_prefix.isEmpty() || !replySubject.startsWith(m_prefix))
        return;
    const QByteArray token = replySubject.mid(m_prefix.size());
    fail(takeWhere([&token](const QByteArray &key, const PendingRequest &) { return key == token; }), error);
}

void NatsRequestMux::failEveryRequest(const NatsError &error)
{
    fail(takeWhere([](const QByteArray &, const PendingRequest &) { return true; }), error);
}

void NatsRequestMux::fail(const QList<PendingRequest> &requests, const NatsError &error)
{
    for (const PendingRequest &request : requests) {
        if (request.reply)
            request.reply->finishWithError(error);
    }
    if (!requests.isEmpty())
        emitIdleIfEmpty();
}

void NatsRequestMux::failAll(const NatsError &error)
{
    const QHash<QByteArray, PendingRequest> requests = m_requests;
    m_requests.clear();
    m_deadlines.clear();
    m_timer->stop();
    for (const PendingRequest &request : requests) {
        withdraw(request);
        if (request.reply)
            request.reply->finishWithError(error);
    }
}

void NatsRequestMux::emitIdleIfEmpty()
{
    if (m_requests.isEmpty())
        Q_EMIT idle();
}
