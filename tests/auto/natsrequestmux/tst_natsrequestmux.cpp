#include "natserror.h"
#include "natsmessage.h"
#include "natsreply.h"
#include "natsrequestmux.h"

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
    void noResponders();
    void statusWithBodyIsAResponse();
    void timeout();
    void earlierDeadlineReaimsTheTimer();
    void failRequestsTo();
    void failAll();
    void idleOnlyWhenNothingIsPending();
    void abortedAndRefusedRequestsStopBeingPending();

private:
    // Sends a request: returns its reply subject.
    QByteArray add(NatsReply *reply, const QByteArray &subject, qint64 timeoutMs = 60000);

    std::unique_ptr<QObject> m_owner;
    NatsRequestMux *m_mux = nullptr;
};

void tst_NatsRequestMux::init()
{
    m_owner = std::make_unique<QObject>();
    m_mux = new NatsRequestMux(m_owner.get());
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

QTEST_GUILESS_MAIN(tst_NatsRequestMux)

#include "tst_natsrequestmux.moc"
