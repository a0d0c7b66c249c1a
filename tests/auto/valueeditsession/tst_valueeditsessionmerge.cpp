#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "valueeditsession.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Choice = ValueEditSession::Choice;
using Side = KvJsonMerge::Side;

// The Merge answer to a refused save, in the value editor's model without a window, against a real
// nats-server: a clean merge saved at once on their revision, text conflicts put into the editor marked,
// JSON member conflicts answered per member (resolveMerge), a third writer refused again, and values that
// cannot be merged (binary, a deleted key) kept as they are. A second client is "someone else".
class tst_ValueEditSessionMerge final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanMergeIsSavedOnTheirRevision_data();
    void cleanMergeIsSavedOnTheirRevision();
    void textConflictsAreMarkedForEditing();
    void jsonConflictsAreChosenPerMember();
    void aConflictWithoutAChoiceWritesNothing();
    void aThirdWriterIsRefusedAgain();
    void nothingToMergeWithWritesNothing_data();
    void aMergeThatAddsNothingWritesNothing_data();
    void aMergeThatAddsNothingWritesNothing();
    void nothingToMergeWithWritesNothing();

private:
    QString key() const { return u"m%1"_s.arg(m_counter); }
    quint64 peerPut(const QByteArray &value);
    // Opens key() holding base, marks it edited, lets the peer write theirs, and saves mine (the opened
    // text with each `from` replaced by `to`): true once the save was refused.
    bool refusedSave(const QByteArray &base, const QByteArray &theirs, const QList<std::pair<QString, QString>> &edits);
    QList<QByteArray> history();

    NatsServerProcess m_server;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    KvBucket *m_peer = nullptr;
    KeyListModel *m_keys = nullptr;
    ValueEditSession *m_session = nullptr;
    quint64 m_base = 0;
    quint64 m_theirs = 0;
    int m_counter = 0;
};

void tst_ValueEditSessionMerge::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    const NatsConnectOptions options = NatsConnectOptions::fromUrl(m_server.url());
    QVERIFY(KvTest::connectClient(options, this, nullptr, nullptr, &m_kv));
    KvContext *peerKv = nullptr;
    QVERIFY(KvTest::connectClient(options, this, nullptr, nullptr, &peerKv));
    KvBucketConfig config;
    config.bucket = u"merges"_s;
    config.history = 10;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
    m_peer = peerKv->bucket(config.bucket, this);
}

void tst_ValueEditSessionMerge::init()
{
    ++m_counter;
    m_keys = new KeyListModel(this);
    m_keys->load(m_bucket);
    m_session = new ValueEditSession(this);
    m_session->setBucket(m_bucket, m_keys);
}

void tst_ValueEditSessionMerge::cleanup()
{
    delete m_session;
    delete m_keys;
}

quint64 tst_ValueEditSessionMerge::peerPut(const QByteArray &value)
{
    KvReply *reply = m_peer->put(key(), value);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return 0;
    reply->deleteLater();
    return reply->error() == NatsError::NoError ? reply->revision() : 0;
}

bool tst_ValueEditSessionMerge::refusedSave(const QByteArray &base, const QByteArray &theirs,
                                            const QList<std::pair<QString, QString>> &edits)
{
    m_base = peerPut(base);
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    m_session->open(key());
    if (!m_base || !opened.wait(KvTest::ReplyTimeoutMs) || m_session->baseRevision() != m_base)
        return false;
    QString mine = m_session->document().text();
    for (const auto &[from, to] : edits) {
        if (!mine.contains(from)) {
            qWarning().noquote() << "no" << from << "in" << mine;
            return false;
        }
        mine.replace(from, to);
    }
    m_session->setModified(true);
    m_theirs = peerPut(theirs);
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    m_session->save(mine);
    return m_theirs && refused.wait(KvTest::ReplyTimeoutMs)
        && refused.first().at(0).value<KvEntry>().revision == m_theirs;
}

QList<QByteArray> tst_ValueEditSessionMerge::history()
{
    KvReply *reply = m_peer->history(key());
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return {"<no answer>"};
    reply->deleteLater();
    QList<QByteArray> values;
    for (const KvEntry &entry : reply->entries())
        values.append(entry.isDeleted() ? "<deleted>"_ba : entry.value);
    return values;
}

void tst_ValueEditSessionMerge::cleanMergeIsSavedOnTheirRevision_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("theirs");
    QTest::addColumn<QString>("from"); // mine: the opened text with from replaced by to
    QTest::addColumn<QString>("to");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("JSON members") << R"({"name":"x","size":"s"})"_ba
                                  << R"({"name":"x","size":"s3"})"_ba << u"\"x\""_s << u"\"x2\""_s
                                  << R"({"name":"x2","size":"s3"})"_ba;
    QTest::newRow("text lines") << "first\nmiddle\nlast\n"_ba
                                << "first\nmiddle\nlast theirs\n"_ba << u"first"_s << u"first mine"_s
                                << "first mine\nmiddle\nlast theirs\n"_ba;
}

void tst_ValueEditSessionMerge::cleanMergeIsSavedOnTheirRevision()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, theirs);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QByteArray, expected);
    QVERIFY(refusedSave(base, theirs, {{from, to}}));
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Merge);
    QVERIFY(saved.wait(KvTest::ReplyTimeoutMs));
    // One update on their revision, with both changes: nothing of either side lost.
    QCOMPARE(saved.first().first().toULongLong(), m_theirs + 1);
    QCOMPARE(history(), (QList<QByteArray>{base, theirs, expected}));
    QCOMPARE(m_session->baseRevision(), m_theirs + 1);
    QCOMPARE(m_session->entry().value, expected);
    QVERIFY(!m_session->isModified());
    QVERIFY(m_session->notice().isEmpty());
    QCOMPARE(m_session->newerRevision(), 0u);
}

void tst_ValueEditSessionMerge::textConflictsAreMarkedForEditing()
{
    QVERIFY(refusedSave("host=a\nport=1\n", "host=a\nport=2\n", {{u"port=1"_s, u"port=10"_s}}));
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    QSignalSpy info(m_session, &ValueEditSession::info);
    QSignalSpy conflicts(m_session, &ValueEditSession::mergeConflicts);
    m_session->resolve(Choice::Merge);
    // Nothing saved: the editor holds the text with markers, edited on their revision.
    QCOMPARE(m_session->document().text(),
             u"host=a\n<<<<<<< yours\nport=10\n||||||| revision %1\nport=1\n=======\nport=2\n>>>>>>> revision %2\n"_s
                 .arg(m_base)
                 .arg(m_theirs));
    QVERIFY(m_session->isModified());
    QCOMPARE(m_session->baseRevision(), m_theirs);
    QVERIFY(conflicts.isEmpty());
    QVERIFY(!info.isEmpty());
    QVERIFY2(info.last().first().toString().contains(u"1 conflict"_s), qPrintable(info.last().first().toString()));
    QVERIFY(!m_session->isBusy());
    QCOMPARE(history(), (QList<QByteArray>{"host=a\nport=1\n", "host=a\nport=2\n"}));
    QVERIFY(saved.isEmpty());

    // The user settles it: the save is an update on their revision.
    m_session->save(u"host=a\nport=12\n"_s);
    QVERIFY(saved.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(saved.first().first().toULongLong(), m_theirs + 1);
    QCOMPARE(KvTest::value(m_peer, key()), "host=a\nport=12\n"_ba);
}

void tst_ValueEditSessionMerge::jsonConflictsAreChosenPerMember()
{
    const QByteArray base = R"({"color":"red","shape":"box","size":"s"})";
    const QByteArray theirs = R"({"color":"blue","shape":"ball","size":"s"})";
    QVERIFY(refusedSave(base, theirs, {{u"\"red\""_s, u"\"green\""_s}, {u"\"box\""_s, u"\"cube\""_s}}));
    QSignalSpy conflicts(m_session, &ValueEditSession::mergeConflicts);
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Merge);
    QCOMPARE(conflicts.size(), 1); // at once: nothing to wait for
    const auto result = conflicts.first().at(0).value<KvMergeResult>();
    QCOMPARE(conflicts.first().at(1).toULongLong(), m_base);
    QCOMPARE(conflicts.first().at(2).toULongLong(), m_theirs);
    QCOMPARE(result.conflicts.size(), 2);
    QCOMPARE(result.conflicts[0].where, u"/color"_s);
    QCOMPARE(result.conflicts[1].where, u"/shape"_s);
    QCOMPARE(history(), (QList<QByteArray>{base, theirs})); // nothing written while the user chooses

    m_session->resolveMerge({{u"/color"_s, Side::Ours}, {u"/shape"_s, Side::Theirs}});
    QVERIFY(saved.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(saved.first().first().toULongLong(), m_theirs + 1);
    QCOMPARE(KvTest::value(m_peer, key()), R"({"color":"green","shape":"ball","size":"s"})"_ba);
    QVERIFY(!m_session->isModified());
}

void tst_ValueEditSessionMerge::aConflictWithoutAChoiceWritesNothing()
{
    const QByteArray base = R"({"a":"1","b":"1"})";
    const QByteArray theirs = R"({"a":"3","b":"3"})";
    QVERIFY(refusedSave(base, theirs, {{u"\"1\""_s, u"\"2\""_s}}));
    QSignalSpy conflicts(m_session, &ValueEditSession::mergeConflicts);
    m_session->resolve(Choice::Merge);
    QCOMPARE(conflicts.size(), 1);
    QCOMPARE(conflicts.first().at(0).value<KvMergeResult>().conflicts.size(), 2);
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    m_session->resolveMerge({{u"/a"_s, Side::Ours}}); // /b unanswered
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().contains(u"no choice"_s), qPrintable(failed.first().first().toString()));
    // Back to editing, their revision still newer: a save is refused until the user chooses.
    QCOMPARE(m_session->newerRevision(), m_theirs);
    QCOMPARE(m_session->baseRevision(), m_base);
    QVERIFY(!m_session->notice().isEmpty());
    QVERIFY(!m_session->isBusy());
    QCOMPARE(history(), (QList<QByteArray>{base, theirs}));
}

// Someone writes again while the user looks at both versions: the merged save goes on the revision it
// was merged with, is refused, and both versions come back with the newest.
void tst_ValueEditSessionMerge::aThirdWriterIsRefusedAgain()
{
    QVERIFY(refusedSave(R"({"a":"x","b":"y"})", R"({"a":"x","b":"y2"})", {{u"\"x\""_s, u"\"x5\""_s}}));
    const quint64 third = peerPut(R"({"a":"x","b":"y2","c":"z"})");
    QVERIFY(third);
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Merge);
    QVERIFY(refused.wait(KvTest::ReplyTimeoutMs));
    QVERIFY(saved.isEmpty());
    QCOMPARE(refused.first().at(0).value<KvEntry>().revision, third);
    QCOMPARE(refused.first().at(1).toByteArray(), R"({"a":"x5","b":"y2"})"_ba); // the merge, to merge again
    QCOMPARE(KvTest::value(m_peer, key()), R"({"a":"x","b":"y2","c":"z"})"_ba);

    // Merged again, with the revision it was merged with as the base: all three changes.
    m_session->resolve(Choice::Merge);
    QVERIFY(saved.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(saved.first().first().toULongLong(), third + 1);
    QCOMPARE(KvTest::value(m_peer, key()), R"({"a":"x5","b":"y2","c":"z"})"_ba);
}

void tst_ValueEditSessionMerge::nothingToMergeWithWritesNothing_data()
{
    QTest::addColumn<QByteArray>("theirs"); // "-": deleted by the peer
    QTest::addColumn<QString>("why");
    QTest::newRow("deleted by someone else") << "-"_ba << u"was deleted"_s;
    QTest::newRow("theirs is binary") << "\xff\xfe\x00"_ba << u"is not text"_s;
}

void tst_ValueEditSessionMerge::nothingToMergeWithWritesNothing()
{
    QFETCH(QByteArray, theirs);
    QFETCH(QString, why);
    m_base = peerPut("v1\n");
    QSignalSpy opened(m_session, &ValueEditSession::opened);
    m_session->open(key());
    QVERIFY(opened.wait(KvTest::ReplyTimeoutMs));
    m_session->setModified(true);
    if (theirs == "-")
        WAIT_OK(m_peer->remove(key()));
    else
        QVERIFY(peerPut(theirs));
    QSignalSpy refused(m_session, &ValueEditSession::saveRefused);
    m_session->save(u"v2\n"_s);
    QVERIFY(refused.wait(KvTest::ReplyTimeoutMs));
    const QList<QByteArray> before = history();
    QSignalSpy failed(m_session, &ValueEditSession::failed);
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Merge);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().first().toString().startsWith(u"Not merged"_s)
                 && failed.first().first().toString().contains(why),
             qPrintable(failed.first().first().toString()));
    // Kept as it is: the user's edit on the opened revision, the newer one named.
    QCOMPARE(m_session->baseRevision(), m_base);
    QVERIFY(m_session->isModified());
    QVERIFY(!m_session->notice().isEmpty());
    QVERIFY(!m_session->isBusy());
    QVERIFY(saved.isEmpty());
    QCOMPARE(history(), before);
}

void tst_ValueEditSessionMerge::aMergeThatAddsNothingWritesNothing_data()
{
    QTest::addColumn<QString>("to"); // mine: the opened {"a":1} with "a":1 replaced by it
    QTest::addColumn<QString>("why");
    QTest::newRow("the same change") << u"\"a\":2"_s << u"already holds your changes"_s;
    QTest::newRow("a layout-only change") << u"\"a\": 1"_s << u"layout"_s;
}

// Their revision holds all of the edit that a merge keeps: nothing new to write (it wrote their value
// again, a revision that changed nothing), and a layout-only edit is said to be dropped, not dropped silently.
void tst_ValueEditSessionMerge::aMergeThatAddsNothingWritesNothing()
{
    QFETCH(QString, to);
    QFETCH(QString, why);
    QVERIFY(refusedSave(R"({"a":1})", R"({"a":2})", {{u"\"a\":1"_s, to}}));
    const QList<QByteArray> before = history();
    QSignalSpy info(m_session, &ValueEditSession::info);
    QSignalSpy saved(m_session, &ValueEditSession::saved);
    m_session->resolve(Choice::Merge);
    QTRY_COMPARE(info.size(), 1);
    QVERIFY2(info.first().first().toString().contains(why)
                 && info.first().first().toString().contains(u"nothing saved"_s),
             qPrintable(info.first().first().toString()));
    QCOMPARE(m_session->baseRevision(), m_theirs);
    QCOMPARE(m_session->document().text(), u"{\"a\":2}"_s);
    QVERIFY(!m_session->isModified());
    QVERIFY(!m_session->isBusy());
    QVERIFY(saved.isEmpty());
    QCOMPARE(history(), before);
}

QTEST_MAIN(tst_ValueEditSessionMerge)
#include "tst_valueeditsessionmerge.moc"
