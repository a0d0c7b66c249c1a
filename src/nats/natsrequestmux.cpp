#include "natsrequestmux.h"

#include "natserror.h"
#include "natsmessage.h"
#include "natsnuid.h"
#include "natsoutbox.h"
#include "natsreply.h"

#include <QtCore/QList>
#include <QtCore/QTimer>

#include <algorithm>
#include <cstring>

namespace {

constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr int kTokenSize = 8; // 62^8 ids: more than a connection makes

// Fixed width, so tokens sort and read alike in wire logs.
void writeToken(char *token, quint64 value)
{
    for (int i = kTokenSize - 1; i >= 0; --i) {
        token[i] = kBase62[value % 62];
        value /= 62;
    }
}

// Digit values of the base62 characters, -1 for any other byte: one load per character of a token,
// read back for every response.
struct Base62Table
{
    signed char digit[256] = {};
    constexpr Base62Table()
    {
        for (int c = 0; c < 256; ++c)
            digit[c] = -1;
        for (int i = 0; i < 62; ++i)
            digit[uchar(kBase62[i])] = static_cast<signed char>(i);
    }
};
constexpr Base62Table kBase62Digits;

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

QByteArray NatsRequestMux::newInbox(const QByteArray &prefix)
{
    m_prefix = NatsNuid::newInbox(prefix) + '.';
    return m_prefix + '*';
}

QByteArray NatsRequestMux::nextReplySubject()
{
    // Written in place: one allocation per request (QByteArray::append() goes through insert()).
    QByteArray subject(m_prefix.size() + kTokenSize, Qt::Uninitialized);
    std::copy(m_prefix.cbegin(), m_prefix.cend(), subject.data());
    writeToken(subject.data() + m_prefix.size(), m_nextId++);
    return subject;
}

bool NatsRequestMux::idOf(QByteArrayView replySubject, quint64 *id) const
{
    const qsizetype prefixSize = m_prefix.size();
    if (replySubject.size() != prefixSize + kTokenSize
        || std::memcmp(replySubject.data(), m_prefix.constData(), size_t(prefixSize)) != 0) {
        return false;
    }
    quint64 value = 0;
    for (const char c : replySubject.sliced(prefixSize)) {
        const int digit = kBase62Digits.digit[uchar(c)];
        if (digit < 0)
            return false;
        value = value * 62 + quint64(digit);
    }
    *id = value;
    return true;
}

quint64 NatsRequestMux::insert(const QByteArray &replySubject, PendingRequest request, qint64 timeoutMs)
{
    quint64 id = 0;
    if (!idOf(replySubject, &id))
        return 0; // not a subject of ours: nothing could ever answer it
    const qint64 deadline = m_clock.elapsed() + timeoutMs;
    request.deadline = deadline;
    // Answered requests leave their deadlines in the heap until they come up; once those are most of
    // it, it is built anew from the pending ones: it holds O(pending), not every request of a timeout.
    if (m_deadlines.size() > 2 * m_requests.size() + 64)
        rebuildDeadlines();
    m_deadlines.emplace(deadline, id);
    if (m_spareNodes.empty()) {
        m_requests.insert_or_assign(id, std::move(request));
    } else {
        Book::node_type node = std::move(m_spareNodes.back());
        m_spareNodes.pop_back();
        node.key() = id;
        node.mapped() = std::move(request);
        auto inserted = m_requests.insert(std::move(node));
        if (!inserted.inserted) // the id is in the book already (it never is): replace, as before
            inserted.position->second = std::move(inserted.node.mapped());
    }
    // Pipelined requests share one timeout, so each new deadline is later than the one the timer is
    // aimed at: nothing to re-aim (armTimer() would also look up the earliest id in the book).
    if (m_armedFor < 0 || deadline < m_armedFor || !m_timer->isActive())
        armTimer();
    return id;
}

void NatsRequestMux::add(const QByteArray &replySubject, NatsReply *reply, const QByteArray &subject, qint64 timeoutMs,
                         quint64 outboxTicket)
{
    PendingRequest request;
    request.reply = reply;
    request.subject = subject;
    request.outboxTicket = outboxTicket;
    const quint64 id = insert(replySubject, std::move(request), timeoutMs);
    // A reply that finishes another way (abort()) is no longer pending: a drain must not wait for it
    // until its deadline, and its publish, if still queued, must not go out.
    connect(reply, &NatsReply::finished, this, [this, id] {
        const auto it = m_requests.find(id);
        if (it == m_requests.end())
            return;
        withdraw(it->second);
        m_requests.erase(it);
        emitIdleIfEmpty();
    });
}

quint64 NatsRequestMux::addCallback(const QByteArray &replySubject, Callback callback, const QByteArray &subject,
                                    qint64 timeoutMs, quint64 outboxTicket)
{
    PendingRequest request;
    request.callback = std::move(callback);
    request.subject = subject;
    request.outboxTicket = outboxTicket;
    return insert(replySubject, std::move(request), timeoutMs);
}

bool NatsRequestMux::cancel(quint64 id)
{
    const auto it = m_requests.find(id);
    if (it == m_requests.end())
        return false;
    withdraw(it->second);
    m_requests.erase(it);
    emitIdleIfEmpty();
    return true;
}

void NatsRequestMux::finish(const PendingRequest &request, const NatsError &error, const NatsMessage &response)
{
    if (request.callback) {
        request.callback(error, response);
        return;
    }
    // Through a plain pointer: GCC's -Wnull-dereference misreads QPointer checks at -O2.
    NatsReply *reply = request.reply.data();
    if (!reply || reply->isFinished())
        return;
    if (error.isError())
        reply->finishWithError(error);
    else
        reply->finishWithMessage(response);
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
    quint64 id = 0;
    if (!idOf(message.subject(), &id))
        return;
    const auto it = m_requests.find(id);
    if (it == m_requests.end())
        return; // timed out, aborted, or a second reply
    Book::node_type node = m_requests.extract(it);
    const PendingRequest request = std::move(node.mapped());
    if (m_spareNodes.size() < SpareNodes) {
        node.mapped() = {}; // what the request held goes now, not when the node is used again
        m_spareNodes.push_back(std::move(node));
    }
    if (message.hasHeaders() && message.status() == 503 && message.data().isEmpty()) {
        finish(request,
               NatsError(NatsError::NoResponders,
                         tr("no responders available for request on \"%1\"").arg(QString::fromUtf8(request.subject))),
               {});
    } else {
        finish(request, {}, message);
    }
    emitIdleIfEmpty();
}

void NatsRequestMux::rebuildDeadlines()
{
    std::vector<Deadline> pending;
    pending.reserve(m_requests.size() * 2);
    for (const auto &[id, request] : m_requests)
        pending.emplace_back(request.deadline, id);
    m_deadlines = decltype(m_deadlines)(std::greater<Deadline>(), std::move(pending));
}

void NatsRequestMux::armTimer()
{
    // One timer for all requests, aimed at the earliest deadline: thousands of pipelined requests
    // would otherwise mean thousands of QTimers.
    // Ids already answered are dropped from the top first, so the timer does not wake for them.
    while (!m_deadlines.empty() && m_requests.count(m_deadlines.top().second) == 0)
        m_deadlines.pop();
    if (m_deadlines.empty()) {
        m_timer->stop();
        m_armedFor = -1;
        return;
    }
    const qint64 earliest = m_deadlines.top().first;
    if (m_armedFor >= 0 && m_armedFor <= earliest && m_timer->isActive())
        return; // aimed at this deadline or an earlier one already
    m_armedFor = earliest;
    m_timer->start(int(std::max<qint64>(0, earliest - m_clock.elapsed())));
}

void NatsRequestMux::expire()
{
    const qint64 now = m_clock.elapsed();
    m_armedFor = -1;
    QList<std::pair<PendingRequest, bool>> expired; // and whether its publish was taken back
    while (!m_deadlines.empty() && m_deadlines.top().first <= now) {
        const quint64 id = m_deadlines.top().second;
        m_deadlines.pop();
        const auto it = m_requests.find(id);
        if (it != m_requests.end() && it->second.deadline <= now) {
            const bool withdrawn = withdraw(it->second);
            expired.append({std::move(it->second), withdrawn});
            m_requests.erase(it);
        }
    }
    armTimer();
    for (const auto &[request, withdrawn] : std::as_const(expired)) {
        const QString subject = QString::fromUtf8(request.subject);
        finish(request,
               NatsError(NatsError::Timeout,
                         withdrawn ? tr("request on \"%1\" timed out before it went out; it was withdrawn and not sent")
                                         .arg(subject)
                                   : tr("request on \"%1\" timed out").arg(subject)),
               {});
    }
    emitIdleIfEmpty();
}

QList<NatsRequestMux::PendingRequest> NatsRequestMux::takeWhere(const Predicate &matches)
{
    std::vector<quint64> ids;
    for (const auto &[id, request] : m_requests) {
        if (matches(id, request))
            ids.push_back(id);
    }
    // In the order they were made: a pipeline retrying its writes sends them again in their order.
    std::sort(ids.begin(), ids.end());
    QList<PendingRequest> taken;
    taken.reserve(qsizetype(ids.size()));
    for (const quint64 id : ids) {
        const auto it = m_requests.find(id);
        withdraw(it->second);
        taken.append(std::move(it->second));
        m_requests.erase(it);
    }
    return taken;
}

void NatsRequestMux::failSent(const NatsError &cause)
{
    const NatsError::Code code = cause.code() == NatsError::ProtocolError ? NatsError::ProtocolError
                                                                          : NatsError::OutcomeUnknown;
    const QList<PendingRequest> failed = takeWhere(
        [this](quint64, const PendingRequest &request) { return isSent(request); });
    for (const PendingRequest &request : failed) {
        finish(request,
               NatsError(code,
                         tr("outcome unknown: request on \"%1\" was sent, but the connection failed before its answer "
                            "came (%2); the server may have stored it")
                             .arg(QString::fromUtf8(request.subject), cause.message())),
               {});
    }
}

qsizetype NatsRequestMux::failRequestsTo(const QByteArray &subject, const NatsError &error)
{
    return fail(takeWhere([&subject](quint64, const PendingRequest &request) { return request.subject == subject; }),
                error);
}

qsizetype NatsRequestMux::failRequestWithReply(const QByteArray &replySubject, const NatsError &error)
{
    quint64 id = 0;
    if (!idOf(replySubject, &id))
        return 0;
    return fail(takeWhere([id](quint64 key, const PendingRequest &) { return key == id; }), error);
}

void NatsRequestMux::failEveryRequest(const NatsError &error)
{
    fail(takeWhere([](quint64, const PendingRequest &) { return true; }), error);
}

qsizetype NatsRequestMux::fail(const QList<PendingRequest> &requests, const NatsError &error)
{
    for (const PendingRequest &request : requests)
        finish(request, error, {});
    if (!requests.isEmpty())
        emitIdleIfEmpty();
    return requests.size();
}

void NatsRequestMux::failAll(const NatsError &error)
{
    std::unordered_map<quint64, PendingRequest> requests;
    requests.swap(m_requests);
    m_deadlines = {};
    m_timer->stop();
    m_armedFor = -1;
    // In the order they were made: a pipeline's callbacks see their failures in order.
    std::vector<quint64> ids;
    ids.reserve(requests.size());
    for (const auto &entry : requests)
        ids.push_back(entry.first);
    std::sort(ids.begin(), ids.end());
    for (const quint64 id : ids) {
        const PendingRequest &request = requests.at(id);
        withdraw(request);
        finish(request, error, {});
    }
}

void NatsRequestMux::emitIdleIfEmpty()
{
    if (m_requests.empty())
        Q_EMIT idle();
}
