#include "jetstreamcontext.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "valueeditsession.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <signal.h>

using namespace Qt::StringLiterals;

// The editor while the connection is down. Writes wait (the window says why); when it is back the open
// key is read again, even where no live list watches it. And a save whose answer never comes (the request timed out, the connection dropped): the server may have
// stored it or not. The session reads the key back before it says anything, so a save that happened is
// reported as saved, not as a change by someone else, and one that did not is not claimed. The server is
// a real nats-server, frozen (SIGSTOP) so that it reads the save only later, or killed with it unread.
class tst_ValueEditSessionOffline final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void writesWaitWhileInterrupted();
    void keyIsReadAgainWhenTheConnectionIsBack();
    void saveWhoseAnswerWasLostIsConfirmedByReadingBack();
    void saveLostWithTheConnectionIsMadeOnceItIsBack();
    void changeByOthersMeanwhileIsTheUsualConflict();

private:
    bool open(const QString &key);
    bool freeze() { return m_server.freeze(); }
    bool thaw() { return m_server.thaw(); }
    QString key() const { return u"k%1"_s.arg(m_counter); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    NatsConnection *m_peerConnection = nullptr;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    KvBucket *m_peer = nullptr;
    KeyListModel *m_keys = nullptr;
    ValueEditSession *m_session = nullptr;
    int m_counter = 0;
};

void tst_ValueEditSessionOffline::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    NatsConnectOptions options = NatsConnectOptions::fromUrl(m_server.url());
    KvContext *peerKv = nullptr;
    QVERIFY(KvTest::connectClient(options, this, &m_peerConnection, nullptr, &peerKv));
    // The editor's connection comes back a while after the server does: time for someone else to write.
    options.reconnectWaitMs = 3000;
    options.reconnectJitterMs = 0;
    QVERIFY(KvTest::connectClient(options, this, &m_connection, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"outcome"_s;
    config.history = 10;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
    // The session's own settling of a lost answer is what is tested here, not KvBucket's retries with
    // the same Nats-Msg-Id (tst_kvfaults), which would make the lost answers arrive by themselves.
    m_bucket->setWriteRetryLimit(0);
    m_peer = peerKv->bucket(config.bucket, this);
}

void tst_ValueEditSessionOffline::init()
{
    ++m_counter;
    QTRY_VERIFY_WITH_TIMEOUT(m_connection->isConnected() && m_peerConnection->isConnected(), 15000);
    m_keys = new KeyListModel(this);
    m_keys->load(m_bucket);
    m_session = new ValueEditSession(this);
    m_session->setBucket(m_bucket, m_keys);
    // Short enough for a quick test, long enough for a loaded machine to answer a running server.
    m_bucket->jetStream()->setTimeout(1500);
}

void tst_ValueEditSessionOffline::cleanup()
{
    if (m_server.isRunning())
        thaw(); // a failed test may leave it frozen
    else
        QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    m_bucket->jetStream()->setTimeout(5000);
    delete m_session;
    delete m_keys;
}

bool tst_ValueEditSessionOffline::open(const QString &key)
{
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    m_session->open(key);
    // The live list too: it is what would report our own save as someone else's.
    return opened.wait(10000) && m_session->isOpen()
        && QTest::qWaitFor([&] { return m_keys->rowOfKey(key) >= 0 && !m_keys->isLoading(); }, 10000);
}

void tst_ValueEditSessionOffline::writesWaitWhileInterrupted()
{
    WAIT_OK(m_peer->put(key(), "v1"));
    QVERIFY(open(key()));
    const quint64 base = m_session->baseRevision();
    QSignalSpy state(m_session, &ValueEditSession::stateChanged);
    m_session->setInterruption(u"Connection interrupted — reconnecting"_s);
    QCOMPARE(state.size(), 1);
    QCOMPARE(m_session->interruption(), u"Connection interrupted — reconnecting"_s);
    QVERIFY(!m_session->canWrite());
    m_session->setModified(true);
    m_session->save(u"v2"_s);
    m_session->removeKey(false, m_session->baseRevision());
    QVERIFY(!m_session->isBusy());
    m_session->setInterruption({});
    QVERIFY(m_session->canWrite());
    QCOMPARE(KvTest::value(m_peer, key()), "v1"_ba); // nothing was sent
    QCOMPARE(m_session->baseRevision(), base);
}

void tst_ValueEditSessionOffline::keyIsReadAgainWhenTheConnectionIsBack()
{
    // No live list: only the session itself can notice.
    m_session->setBucket(m_bucket, nullptr);
    WAIT_OK(m_peer->put(key(), "v1"));
    WAIT_OK(m_peer->put(key() + u".draft"_s, "d1"));
    QVERIFY(open(key()));
    m_session->setInterruption(u"down"_s);
    WAIT_OK(m_peer->put(key(), "v2"));
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    m_session->setInterruption({});
    QVERIFY(opened.wait(10000)); // unmodified: just shows what is there now
    QCOMPARE(m_session->entry().value, "v2"_ba);

    // With unsaved edits: the notice, as for any change by someone else.
    QVERIFY(open(key() + u".draft"_s));
    m_session->setModified(true);
    m_session->setInterruption(u"down"_s);
    WAIT_OK(m_peer->put(key() + u".draft"_s, "d2"));
    QSignalSpy notice(m_session, &ValueEditSession::noticeChanged);
    m_session->setInterruption({});
    QVERIFY(notice.wait(10000));
    QVERIFY2(m_session->notice().startsWith(u"Someone else saved revision"_s), qPrintable(m_session->notice()));
    QVERIFY(m_session->isModified());
    QCOMPARE(m_session->entry().value, "d1"_ba);
}

void tst_ValueEditSessionOffline::saveWhoseAnswerWasLostIsConfirmedByReadingBack()
{
    WAIT_OK(m_peer->put(key(), "v1"));
    QVERIFY(open(key()));
    const quint64 base = m_session->baseRevision();
    QSignalSpy info(m_session, &ValueEditSession::info);
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QSignalSpy saved(m_session, &ValueEditSession::saved);

    QVERIFY(freeze());
    m_session->setModified(true);
    m_session->save(u"v2"_s);
    // No answer in time: the save timed out ("Saving…" was the first word).
    QTRY_VERIFY_WITH_TIMEOUT(info.size() + failed.size() > 1, 10000);
    // The server reads the save now and stores it; its answer goes nowhere.
    QVERIFY(thaw());
    QTRY_VERIFY2_WITH_TIMEOUT(m_session->baseRevision() == base + 1, qPrintable(m_session->notice()), 10000);
    QCOMPARE(KvTest::value(m_peer, key()), "v2"_ba);
    QCOMPARE(saved.size(), 1);
    QCOMPARE(saved.first().first().toULongLong(), base + 1);
    const QString said = info.last().first().toString();
    QVERIFY2(said == u"Saved (confirmed by reading it back) as revision %1"_s.arg(base + 1), qPrintable(said));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(refused.isEmpty());
    QVERIFY(!m_session->isModified());
    // The live list brings that revision too: ours, so nobody else's.
    QTRY_COMPARE_WITH_TIMEOUT(m_keys->entryAt(m_keys->rowOfKey(key())).revision, base + 1, 10000);
    QVERIFY2(m_session->notice().isEmpty(), qPrintable(m_session->notice()));
    QVERIFY(m_session->canWrite());
}

void tst_ValueEditSessionOffline::saveLostWithTheConnectionIsMadeOnceItIsBack()
{
    WAIT_OK(m_peer->put(key(), "v1"));
    QVERIFY(open(key()));
    const quint64 base = m_session->baseRevision();
    QSignalSpy info(m_session, &ValueEditSession::info);
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QSignalSpy saved(m_session, &ValueEditSession::saved);

    QVERIFY(freeze());
    m_session->setModified(true);
    m_session->save(u"v2"_s);
    QVERIFY(m_server.kill()); // the save dies unread in the server's socket buffer
    QTRY_VERIFY_WITH_TIMEOUT(info.size() + failed.size() > 1, 10000);
    QVERIFY(!m_session->canWrite()); // still settling
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    // Once the connection is back the same guarded save is made again: nothing had been stored.
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 15000);
    QCOMPARE(saved.first().first().toULongLong(), base + 1);
    const QString said = info.last().first().toString();
    QVERIFY2(said == u"Saved (sent again after reconnect) as revision %1"_s.arg(base + 1), qPrintable(said));
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    QVERIFY(refused.isEmpty());
    QCOMPARE(KvTest::value(m_peer, key()), "v2"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(m_keys->entryAt(m_keys->rowOfKey(key())).revision, base + 1, 10000);
    QVERIFY2(m_session->notice().isEmpty(), qPrintable(m_session->notice()));
    QVERIFY(m_session->canWrite());
}

void tst_ValueEditSessionOffline::changeByOthersMeanwhileIsTheUsualConflict()
{
    WAIT_OK(m_peer->put(key(), "v1"));
    QVERIFY(open(key()));
    const quint64 base = m_session->baseRevision();
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QSignalSpy saved(m_session, &ValueEditSession::saved);

    QVERIFY(freeze());
    m_session->setModified(true);
    m_session->save(u"mine"_s);
    QVERIFY(m_server.kill());
    QVERIFY2(m_server.restart(), qPrintable(m_server.errorString()));
    // Someone else writes before the editor's connection is back (it waits 3 s; a new one is there at once).
    NatsConnection *other = nullptr;
    KvContext *otherKv = nullptr;
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &other, nullptr, &otherKv));
    QVERIFY(!m_connection->isConnected());
    WAIT_OK(otherKv->bucket(u"outcome"_s, other)->put(key(), "theirs"));
    delete other;

    QTRY_COMPARE_WITH_TIMEOUT(refused.size(), 1, 15000);
    const KvEntry theirs = refused.first().at(0).value<KvEntry>();
    QCOMPARE(theirs.value, "theirs"_ba);
    QCOMPARE(theirs.revision, base + 1);
    QCOMPARE(refused.first().at(1).toByteArray(), "mine"_ba);
    QVERIFY(saved.isEmpty());
    QCOMPARE(failed.size(), 1);
    QVERIFY(m_session->isModified());
    QCOMPARE(m_session->baseRevision(), base);
    QCOMPARE(KvTest::value(m_peer, key()), "theirs"_ba);
}

QTEST_MAIN(tst_ValueEditSessionOffline)
#include "tst_valueeditsessionoffline.moc"
