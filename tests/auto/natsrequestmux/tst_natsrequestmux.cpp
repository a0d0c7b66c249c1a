#include "natserror.h"
#include "natsmessage.h"
#include "natsoutbox.h"
#include "natsreply.h"
#include "natsrequestmux.h"

#include <QtCore/QMap>
#include <QtCore/QSet>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

// The request book without a connection: the test plays the server, answering on reply subjects.

namespace {

NatsMessage response(const QByteArray &replySubject, const QByteArray &data)
{
    return NatsMessage(replySubject, data);
}

NatsMessage noRespondersStatus(const QByteArray &replySubject)
{
    NatsMessage message(replySubject, {});
    message.headers().setStatus(503);
    return message;
}

} // namespace

class tst_NatsRequestMux final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void replySubjectsLiveUnderTheInbox();
    void repliesAreShelvedUnderTheOwner();
    void responseFinishesItsRequest();
    void lateAndRepeatedResponsesAreIgnored();
    void foreignSubjectsAreIgnored();
    void noResponders();
    void statusWithBodyIsAResponse();
    void timeout();
    void earlierDeadlineReaimsTheTimer();
    void failRequestsTo();
    void failRequestWithReply();
    void failEveryRequest();
    void failAll();
    void idleOnlyWhenNothingIsPending();
    void abortedAndRefusedRequestsStopBeingPending();
    void queuedRequestsTakeTheirPublishBack();
    void failSent();
    void callbackRequests();
    void callbacksFailInTheOrderTheyWereMade();
    void pipelinedCallbacksEachGetTheirAnswer();
    void deadlinesStayWithinThePendingRequests();

private:
    // Sends a request: returns its reply subject.
    QByteArray add(NatsReply *reply, const QByteArray &subject, qint64 timeoutMs = 60000);

    std::unique_ptr<QObject> m_owner;
    NatsOutbox m_outbox;
    NatsRequestMux *m_mux = nullptr;
};

void tst_NatsRequestMux::init()
{
    m_owner = std::make_unique<QObject>();
    m_outbox.clear();
    m_mux = new NatsRequestMux(m_owner.get(), &m_outbox);
    m_mux->newInbox();
}

void tst_NatsRequestMux::cleanup()
{
    m_owner.reset();
    m_mux = nullptr;
}

QByteArray tst_NatsRequestMux::add(NatsReply *reply, const QByteArray &subject, qint64 timeoutMs)
{
    const QByteArray replySubject = m_mux->nextReplySubject();
    m_mux->add(replySubject, reply, subject, timeoutMs);
    return replySubject;
}

void tst_NatsRequestMux::replySubjectsLiveUnderTheInbox()
{
    const QByteArray wildcard = m_mux->newInbox();
    QVERIFY2(wildcard.startsWith("_INBOX.") && wildcard.endsWith(".*"), wildcard.constData());
    const QByteArray prefix = wildcard.chopped(1);
    QSet<QByteArray> subjects;
    for (int i = 0; i < 1000; ++i) {
        const QByteArray subject = m_mux->nextReplySubject();
        QVERIFY2(subject.startsWith(prefix), subject.constData());
        QVERIFY(!subject.mid(prefix.size()).contains('.')); // one token, so the wildcard matches it
        subjects.insert(subject);
    }
    QCOMPARE(subjects.size(), 1000);
    // A new inbox after a reset: nothing sent before could be confused with what comes next.
    QVERIFY(m_mux->newInbox() != wildcard);
}

void tst_NatsRequestMux::repliesAreShelvedUnderTheOwner()
{
    NatsReply *reply = m_mux->createReply();
    QVERIFY(reply->parent());
    QCOMPARE(reply->parent()->parent(), m_owner.get());
    const QPointer<NatsReply> guard(reply);
    m_owner.reset(); // replies die with the owner
    QVERIFY(!guard);
}

void tst_NatsRequestMux::responseFinishesItsRequest()
{
    NatsReply *first = m_mux->createReply();
    NatsReply *second = m_mux->createReply();
    const QByteArray firstSubject = add(first, "svc.a");
    const QByteArray secondSubject = add(second, "svc.b");

    m_mux->handleResponse(response(secondSubject, "two"));
    QVERIFY(second->isFinished());
    QCOMPARE(second->error(), NatsError::NoError);
    QCOMPARE(second->message().data(), "two"_ba);
    QVERIFY(!first->isFinished());
    QVERIFY(m_mux->hasPending());

    m_mux->handleResponse(response(firstSubject, "one"));
    QCOMPARE(first->message().data(), "one"_ba);
    QVERIFY(!m_mux->hasPending());
}

void tst_NatsRequestMux::lateAndRepeatedResponsesAreIgnored()
{
    NatsReply *reply = m_mux->createReply();
    const QByteArray subject = add(reply, "svc");
    QSignalSpy finished(reply, &NatsReply::finished);
    m_mux->handleResponse(response(subject, "first"));
    m_mux->handleResponse(response(subject, "second"));
    m_mux->handleResponse(response(m_mux->nextReplySubject(), "nobody asked"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(reply->message().data(), "first"_ba);
}

// Only a subject of this inbox whose last token is one of ours finishes a request: the token is read
// back as a base62 number, and any byte that is not a base62 digit (or another length, or another
// inbox) is no request of ours, even where it would decode to a pending id.
void tst_NatsRequestMux::foreignSubjectsAreIgnored()
{
    NatsReply *reply = m_mux->createReply();
    const QByteArray subject = add(reply, "svc");
    const QByteArray prefix = subject.chopped(8);
    const QByteArray token = subject.right(8);
    QByteArray otherInbox = subject;
    otherInbox[7] = otherInbox[7] == 'A' ? 'B' : 'A';
    const QList<QByteArray> foreign = {
        prefix + token.chopped(1) + '-',
        prefix + token.chopped(1) + '\xc3',
        prefix + token.chopped(1) + '\0',
        prefix + token.chopped(1) + '.',
        prefix + token + '0',
        prefix + token.chopped(1),
        prefix.chopped(1) + '-' + token,
        otherInbox,
        "_INBOX." + token,
        {},
    };
    for (const QByteArray &other : foreign) {
        m_mux->handleResponse(response(other, "not ours"));
        QVERIFY2(!reply->isFinished(), other.constData());
    }
    m_mux->handleResponse(response(subject, "ours"));
    QCOMPARE(reply->message().data(), "ours"_ba);
}

void tst_NatsRequestMux::noResponders()
{
    NatsReply *reply = m_mux->createReply();
    m_mux->handleResponse(noRespondersStatus(add(reply, "svc.missing")));
    QVERIFY(reply->isFinished());
    QCOMPARE(reply->error(), NatsError::NoResponders);
    QVERIFY2(reply->errorString().contains(u"\"svc.missing\""_s), qPrintable(reply->errorString()));
}

void tst_NatsRequestMux::statusWithBodyIsAResponse()
{
    // Only an empty 503 is the server's "no responders"; a responder may send a status of its own.
    NatsReply *reply = m_mux->createReply();
    NatsMessage message = noRespondersStatus(add(reply, "svc"));
    message.setData("busy");
    m_mux->handleResponse(message);
    QCOMPARE(reply->error(), NatsError::NoError);
    QCOMPARE(reply->message().status(), 503);
}

void tst_NatsRequestMux::timeout()
{
    NatsReply *reply = m_mux->createReply();
    const QByteArray subject = add(reply, "svc.slow", 20);
    QTRY_VERIFY(reply->isFinished());
    QCOMPARE(reply->error(), NatsError::Timeout);
    QVERIFY2(reply->errorString().contains(u"\"svc.slow\""_s), qPrintable(reply->errorString()));
    QVERIFY(!m_mux->hasPending());
    m_mux->handleResponse(response(subject, "too late")); // ignored
    QCOMPARE(reply->error(), NatsError::Timeout);
}

void tst_NatsRequestMux::earlierDeadlineReaimsTheTimer()
{
    NatsReply *slow = m_mux->createReply();
    NatsReply *fast = m_mux->createReply();
    add(slow, "svc.slow", 60000);
    add(fast, "svc.fast", 20);
    QTRY_VERIFY(fast->isFinished());
    QCOMPARE(fast->error(), NatsError::Timeout);
    QVERIFY(!slow->isFinished());
    QVERIFY(m_mux->hasPending());
}

void tst_NatsRequestMux::failRequestsTo()
{
    NatsReply *denied1 = m_mux->createReply();
    NatsReply *denied2 = m_mux->createReply();
    NatsReply *allowed = m_mux->createReply();
    add(denied1, "secret");
    add(allowed, "public");
    add(denied2, "secret");
    m_mux->failRequestsTo("secret", NatsError(NatsError::PermissionsViolation, u"no"_s));
    QCOMPARE(denied1->error(), NatsError::PermissionsViolation);
    QCOMPARE(denied2->error(), NatsError::PermissionsViolation);
    QVERIFY(!allowed->isFinished());
    QVERIFY(m_mux->hasPending());
}

void tst_NatsRequestMux::failRequestWithReply()
{
    // 'Permissions Violation for Publish with Reply of "<reply>"' names the one request concerned.
    NatsReply *refused = m_mux->createReply();
    NatsReply *other = m_mux->createReply();
    const QByteArray reply = add(refused, "svc");
    add(other, "svc");
    m_mux->failRequestWithReply("_INBOX.elsewhere.x", NatsError(NatsError::PermissionsViolation, u"no"_s));
    QVERIFY(!refused->isFinished());
    m_mux->failRequestWithReply(reply, NatsError(NatsError::PermissionsViolation, u"no"_s));
    QCOMPARE(refused->error(), NatsError::PermissionsViolation);
    QVERIFY(!other->isFinished());
}

void tst_NatsRequestMux::failEveryRequest()
{
    // The inbox was refused: nothing can be answered, the connection goes on, a drain may finish.
    QCOMPARE(m_mux->inboxSubject().right(2), ".*"_ba);
    QVERIFY(m_mux->nextReplySubject().startsWith(m_mux->inboxSubject().chopped(1)));
    QSignalSpy idle(m_mux, &NatsRequestMux::idle);
    NatsReply *first = m_mux->createReply();
    NatsReply *second = m_mux->createReply();
    add(first, "a");
    add(second, "b");
    m_mux->failEveryRequest(NatsError(NatsError::PermissionsViolation, u"inbox refused"_s));
    QCOMPARE(first->error(), NatsError::PermissionsViolation);
    QCOMPARE(second->errorString(), u"inbox refused"_s);
    QVERIFY(!m_mux->hasPending());
    QCOMPARE(idle.size(), 1);
}

void tst_NatsRequestMux::failAll()
{
    QSignalSpy idle(m_mux, &NatsRequestMux::idle);
    NatsReply *first = m_mux->createReply();
    NatsReply *second = m_mux->createReply();
    add(first, "a", 20);
    add(second, "b");
    m_mux->failAll(NatsError(NatsError::ConnectionClosed, u"closed"_s));
    QCOMPARE(first->error(), NatsError::ConnectionClosed);
    QCOMPARE(second->error(), NatsError::ConnectionClosed);
    QVERIFY(!m_mux->hasPending());
    // The connection closes right after; a drain waiting for idle() must not complete as if answered.
    QCOMPARE(idle.size(), 0);
}

void tst_NatsRequestMux::idleOnlyWhenNothingIsPending()
{
    QSignalSpy idle(m_mux, &NatsRequestMux::idle);
    NatsReply *answered = m_mux->createReply();
    NatsReply *expiring = m_mux->createReply();
    const QByteArray subject = add(answered, "a");
    add(expiring, "b", 50);
    m_mux->handleResponse(response(subject, "ok"));
    QCOMPARE(idle.size(), 0); // one still pending
    QTRY_COMPARE(idle.size(), 1);
    QCOMPARE(expiring->error(), NatsError::Timeout);
}

void tst_NatsRequestMux::abortedAndRefusedRequestsStopBeingPending()
{
    // A drain waits for idle(): an aborted request or one refused for permissions must not keep it
    // waiting until the request's deadline.
    QSignalSpy idle(m_mux, &NatsRequestMux::idle);
    NatsReply *aborted = m_mux->createReply();
    NatsReply *refused = m_mux->createReply();
    add(aborted, "a", 60000);
    add(refused, "secret", 60000);
    aborted->abort();
    QVERIFY(m_mux->hasPending());
    QCOMPARE(idle.size(), 0);
    m_mux->failRequestsTo("secret", NatsError(NatsError::PermissionsViolation, u"no"_s));
    QVERIFY(!m_mux->hasPending());
    QCOMPARE(idle.size(), 1);
}

void tst_NatsRequestMux::queuedRequestsTakeTheirPublishBack()
{
    // Requests made while not connected wait in the outbox. Ending unanswered (timed out, aborted,
    // refused, closed) takes their publish back: nothing the caller was told failed is sent later.
    m_outbox.append("PUB plain 1\r\nx\r\n");
    NatsReply *expiring = m_mux->createReply();
    NatsReply *aborted = m_mux->createReply();
    NatsReply *refused = m_mux->createReply();
    NatsReply *closed = m_mux->createReply();
    NatsReply *kept = m_mux->createReply();
    m_mux->add(m_mux->nextReplySubject(), expiring, "svc.a", 20, m_outbox.append("PUB svc.a r1 1\r\na\r\n"));
    m_mux->add(m_mux->nextReplySubject(), aborted, "svc.b", 60000, m_outbox.append("PUB svc.b r2 1\r\nb\r\n"));
    m_mux->add(m_mux->nextReplySubject(), refused, "svc.c", 60000, m_outbox.append("PUB svc.c r3 1\r\nc\r\n"));
    m_mux->add(m_mux->nextReplySubject(), kept, "svc.d", 60000, m_outbox.append("PUB svc.d r4 1\r\nd\r\n"));

    QTRY_VERIFY(expiring->isFinished());
    QCOMPARE(expiring->error(), NatsError::Timeout);
    QVERIFY2(expiring->errorString().contains(u"not sent"_s), qPrintable(expiring->errorString()));
    aborted->abort();
    m_mux->failRequestsTo("svc.c", NatsError(NatsError::PermissionsViolation, u"no"_s));
    QCOMPARE(m_outbox.takeAll(), "PUB plain 1\r\nx\r\nPUB svc.d r4 1\r\nd\r\n"_ba);

    // Written now (the outbox went out): a timeout no longer says "not sent".
    NatsReply *written = m_mux->createReply();
    m_mux->add(m_mux->nextReplySubject(), written, "svc.e", 20);
    QTRY_VERIFY(written->isFinished());
    QVERIFY2(!written->errorString().contains(u"not sent"_s), qPrintable(written->errorString()));

    m_mux->add(m_mux->nextReplySubject(), closed, "svc.f", 60000, m_outbox.append("PUB svc.f r5 1\r\nf\r\n"));
    m_mux->failAll(NatsError(NatsError::ConnectionClosed, u"closed"_s));
    QVERIFY(m_outbox.isEmpty());
    QCOMPARE(m_outbox.size(), 0);
    QCOMPARE(kept->error(), NatsError::ConnectionClosed);
}

void tst_NatsRequestMux::failSent()
{
    // The connection the requests went out on failed: those sent end at once (the server may have
    // acted on them), those still queued for the next connection go on waiting.
    NatsReply *sent = m_mux->createReply();
    NatsReply *flushed = m_mux->createReply();
    NatsReply *queued = m_mux->createReply();
    add(sent, "svc.sent");
    m_mux->add(m_mux->nextReplySubject(), flushed, "svc.flushed", 60000,
               m_outbox.append("PUB svc.flushed r 0\r\n\r\n"));
    QVERIFY(!m_outbox.takeAll().isEmpty());
    m_mux->add(m_mux->nextReplySubject(), queued, "svc.queued", 60000, m_outbox.append("PUB svc.queued r 0\r\n\r\n"));

    m_mux->failSent(NatsError(NatsError::ConnectionLost, u"connection to 127.0.0.1:4222 lost"_s));
    for (NatsReply *reply : {sent, flushed}) {
        QCOMPARE(reply->error(), NatsError::OutcomeUnknown);
        QVERIFY2(reply->errorString().contains(u"may have"_s), qPrintable(reply->errorString()));
        QVERIFY2(reply->errorString().contains(u"127.0.0.1:4222 lost"_s), qPrintable(reply->errorString()));
    }
    QVERIFY2(sent->errorString().contains(u"\"svc.sent\""_s), qPrintable(sent->errorString()));
    QVERIFY(!queued->isFinished());
    QVERIFY(m_mux->hasPending());
    QVERIFY(!m_outbox.isEmpty());

    // A protocol error keeps its code: that is what the caller needs to hear.
    QVERIFY(!m_outbox.takeAll().isEmpty());
    m_mux->failSent(NatsError(NatsError::ProtocolError, u"protocol error from x: invalid size \"-3\""_s));
    QCOMPARE(queued->error(), NatsError::ProtocolError);
    QVERIFY2(queued->errorString().contains(u"invalid size"_s), qPrintable(queued->errorString()));
    QVERIFY(!m_mux->hasPending());
}

void tst_NatsRequestMux::callbackRequests()
{
    // Without a reply handle: each callback runs once, with the response, a timeout or a 503; a
    // cancelled one never runs, and its publish still queued is taken back.
    m_mux->newInbox();
    QList<std::pair<QByteArray, NatsError::Code>> calls; // (data, error) per callback, in order run
    const auto record = [&calls](const QByteArray &tag) {
        return [&calls, tag](const NatsError &error, const NatsMessage &response) {
            calls.append({tag + ':' + response.data(), error.code()});
        };
    };
    const QByteArray answered = m_mux->nextReplySubject();
    const quint64 answeredId = m_mux->addCallback(answered, record("a"), "svc.a", 60000);
    const QByteArray refused = m_mux->nextReplySubject();
    m_mux->addCallback(refused, record("b"), "svc.b", 60000);
    const QByteArray timedOut = m_mux->nextReplySubject();
    m_mux->addCallback(timedOut, record("c"), "svc.c", 10);
    const quint64 ticket = m_outbox.append("PUB svc.d 0\r\n\r\n");
    const quint64 cancelled = m_mux->addCallback(m_mux->nextReplySubject(), record("d"), "svc.d", 60000, ticket);
    QVERIFY(answeredId != 0 && cancelled != 0 && answeredId != cancelled);
    QCOMPARE(m_mux->pendingCount(), 4);

    QVERIFY(m_mux->cancel(cancelled));
    QVERIFY(!m_mux->cancel(cancelled));
    QVERIFY(!m_outbox.contains(ticket));
    m_mux->handleResponse(response(answered, "one"));
    m_mux->handleResponse(response(answered, "again")); // a second answer is ignored
    m_mux->handleResponse(noRespondersStatus(refused));
    QTRY_COMPARE(calls.size(), 3);
    QCOMPARE(calls.at(0), std::make_pair("a:one"_ba, NatsError::NoError));
    QCOMPARE(calls.at(1), std::make_pair("b:"_ba, NatsError::NoResponders));
    QCOMPARE(calls.at(2), std::make_pair("c:"_ba, NatsError::Timeout));
    QVERIFY(!m_mux->hasPending());
}

void tst_NatsRequestMux::callbacksFailInTheOrderTheyWereMade()
{
    // A pipeline retries what failed in the order it gets the failures: they come in the order made.
    m_mux->newInbox();
    QList<int> order;
    for (int i = 0; i < 200; ++i) {
        m_mux->addCallback(
            m_mux->nextReplySubject(), [&order, i](const NatsError &, const NatsMessage &) { order.append(i); }, "svc",
            60000);
    }
    m_mux->failSent(NatsError(NatsError::ConnectionLost, u"lost"_s));
    QCOMPARE(order.size(), 200);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(order.at(i), i);
    order.clear();
    for (int i = 0; i < 200; ++i) {
        m_mux->addCallback(
            m_mux->nextReplySubject(), [&order, i](const NatsError &, const NatsMessage &) { order.append(i); }, "svc",
            60000);
    }
    m_mux->failAll(NatsError(NatsError::ConnectionClosed, u"closed"_s));
    QCOMPARE(order.size(), 200);
    for (int i = 0; i < 200; ++i)
        QCOMPARE(order.at(i), i);
}

// A pipeline: 300 requests in flight, each answer followed by a new request, answered out of order, a
// few cancelled or timed out on the way. Each callback runs once, with its own answer; what a finished
// request's callback held is let go at once (the book keeps its nodes for the next requests).
void tst_NatsRequestMux::pipelinedCallbacksEachGetTheirAnswer()
{
    m_mux->newInbox();
    struct InFlight
    {
        QByteArray subject;
        quint64 id;
        int tag;
    };
    QList<InFlight> inFlight;
    QMap<int, QByteArray> answers; // tag: what its callback got
    int calls = 0;
    const auto holder = std::make_shared<int>(0);
    int nextTag = 0;
    const auto make = [&](qint64 timeoutMs) {
        const int tag = nextTag++;
        const QByteArray subject = m_mux->nextReplySubject();
        const quint64 id = m_mux->addCallback(
            subject,
            [&answers, &calls, tag, held = holder](const NatsError &error, const NatsMessage &message) {
                ++calls;
                QVERIFY2(!answers.contains(tag), qPrintable(QString::number(tag)));
                answers.insert(tag, error.isError() ? "error"_ba : message.data());
            },
            "svc", timeoutMs);
        inFlight.append({subject, id, tag});
    };
    for (int i = 0; i < 300; ++i)
        make(60000);
    int cancelled = 0;
    for (int round = 0; round < 3000; ++round) {
        // From the middle, the front or the back, in turn.
        const qsizetype at = round % 3 == 0 ? inFlight.size() / 2 : round % 3 == 1 ? 0 : inFlight.size() - 1;
        const InFlight request = inFlight.takeAt(at);
        if (round % 97 == 0) {
            QVERIFY(m_mux->cancel(request.id));
            ++cancelled;
        } else {
            m_mux->handleResponse(response(request.subject, QByteArray::number(request.tag)));
        }
        make(round % 500 == 0 ? 1 : 60000);
    }
    QCOMPARE(qsizetype(holder.use_count()), 1 + m_mux->pendingCount());
    for (const InFlight &request : std::as_const(inFlight))
        m_mux->handleResponse(response(request.subject, QByteArray::number(request.tag)));
    QTRY_VERIFY(!m_mux->hasPending()); // the few with a 1 ms deadline time out
    QCOMPARE(holder.use_count(), 1L);
    QCOMPARE(calls, nextTag - cancelled);
    int timedOut = 0;
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        if (it.value() == "error")
            ++timedOut;
        else
            QCOMPARE(it.value(), QByteArray::number(it.key()));
    }
    QVERIFY(timedOut <= 6);
}

// A pipeline answers its requests long before their deadlines. What it keeps of their deadlines stays
// within a small multiple of the requests pending, whatever the number answered within one timeout: a
// client pipelining 100,000 puts a second with a 5 s timeout must not hold half a million deadlines.
void tst_NatsRequestMux::deadlinesStayWithinThePendingRequests()
{
    m_mux->newInbox();
    QList<QByteArray> inFlight;
    int answered = 0;
    const auto make = [&] {
        const QByteArray subject = m_mux->nextReplySubject();
        m_mux->addCallback(
            subject, [&answered](const NatsError &, const NatsMessage &) { ++answered; }, "svc", 60000);
        inFlight.append(subject);
    };
    for (int i = 0; i < 300; ++i)
        make();
    qsizetype most = 0;
    for (int round = 0; round < 20000; ++round) {
        // Mostly in order, as a stream acknowledges; now and then one from the middle.
        m_mux->handleResponse(response(inFlight.takeAt(round % 7 == 0 ? inFlight.size() / 2 : 0), "ack"));
        make();
        most = std::max(most, m_mux->deadlineCount());
    }
    QCOMPARE(answered, 20000);
    QCOMPARE(m_mux->pendingCount(), 300);
    QVERIFY2(most <= 2 * 300 + 64, qPrintable(u"%1 deadlines held for 300 pending requests"_s.arg(most)));
    // The deadlines kept still time the pending requests out.
    QVERIFY(m_mux->deadlineCount() >= m_mux->pendingCount());
}

QTEST_GUILESS_MAIN(tst_NatsRequestMux)

#include "tst_natsrequestmux.moc"
