#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvjsonmerge.h"
#include "kvmergecases.h"
#include "kvmergeupdate.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Outcome = KvMergeUpdate::Outcome;

// Every merge case of tst_kvmerge (KvMergeCases, and the single cases of its text and layout tests) end to
// end against a real server: the base written, then "theirs", then the edit merged by KvMergeUpdate and
// saved as an update on theirs' revision. Checks the bytes stored and the key's whole history (nothing
// else written), or the conflicts listed with nothing written, or the refusal with nothing written.
class tst_KvMergeUpdateCases final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void cleanMergesAreStored_data();
    void cleanMergesAreStored();
    void jsonConflictsWriteNothing_data();
    void jsonConflictsWriteNothing();
    void textConflictsWriteNothing_data();
    void textConflictsWriteNothing();
    void refusedValuesWriteNothing_data();
    void refusedValuesWriteNothing();

private:
    QString key() const { return u"case%1"_s.arg(m_counter); }
    // Writes base, then theirs, to key(); false (and a test failure) when either is refused.
    bool writeBaseAndTheirs(const QByteArray &base, const QByteArray &theirs);
    KvMergeUpdate *runMerge(const QByteArray &ours);
    // The values of key()'s history, oldest first.
    QList<QByteArray> history();

    NatsServerProcess m_server;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    quint64 m_baseRevision = 0;
    quint64 m_theirsRevision = 0;
    int m_counter = 0;
};

void tst_KvMergeUpdateCases::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"mergecases"_s;
    config.history = 10;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
}

bool tst_KvMergeUpdateCases::writeBaseAndTheirs(const QByteArray &base, const QByteArray &theirs)
{
    quint64 *revisions[] = {&m_baseRevision, &m_theirsRevision};
    const QByteArray values[] = {base, theirs};
    for (int i = 0; i < 2; ++i) {
        KvReply *reply = m_bucket->put(key(), values[i]);
        const bool done = QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs);
        reply->deleteLater();
        if (!done || reply->error() != NatsError::NoError) {
            qWarning().noquote() << "the put was refused:" << reply->errorString();
            return false;
        }
        *revisions[i] = reply->revision();
    }
    return true;
}

KvMergeUpdate *tst_KvMergeUpdateCases::runMerge(const QByteArray &ours)
{
    auto *merge = new KvMergeUpdate(m_bucket, key(), m_baseRevision, ours, u"yours"_s, this);
    QSignalSpy finished(merge, &KvMergeUpdate::finished);
    if (!finished.wait(KvTest::ReplyTimeoutMs))
        qWarning("the merge did not finish");
    return merge;
}

QList<QByteArray> tst_KvMergeUpdateCases::history()
{
    KvReply *reply = m_bucket->history(key());
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return {"<no answer>"};
    reply->deleteLater();
    QList<QByteArray> values;
    for (const KvEntry &entry : reply->entries())
        values.append(entry.value);
    return values;
}

void tst_KvMergeUpdateCases::cleanMergesAreStored_data()
{
    KvMergeCases::addCleanJsonRows();
    // tst_kvmerge's single cases: layout kept, one side unchanged, text by lines.
    QTest::newRow("layout: theirs indented, ours compact and reordered")
        << "{\"z\":1,\"a\":{\"k\": [1, 2]},\"m\":\"x\"}"_ba
        << "{\"m\":\"ours\",\"a\":{\"k\": [1, 2]},\"z\":1,\"new\":true}"_ba
        << "{\r\n  \"z\" : 2,\r\n  \"a\": {\"k\": [1, 2]},\r\n  \"m\": \"x\"\r\n}\r\n"_ba
        << "{\r\n  \"z\" : 2,\r\n  \"a\" : {\"k\": [1, 2]},\r\n  \"m\" : \"ours\",\r\n  \"new\" : true\r\n}\r\n"_ba;
    QTest::newRow("layout: nested object changed on both")
        << "{\n    \"db\": {\"host\": \"h\", \"port\": 1},\n    \"list\": [ 1,2 ]\n}\n"_ba
        << "{\n    \"db\": {\"host\": \"h2\", \"port\": 1},\n    \"list\": [ 1,2 ]\n}\n"_ba
        << "{\n    \"db\": {\"host\": \"h\", \"port\": 2},\n    \"list\": [ 1,2 ]\n}\n"_ba
        << "{\n    \"db\": {\"host\": \"h2\", \"port\": 2},\n    \"list\": [ 1,2 ]\n}\n"_ba;
    QTest::newRow("only ours changed") << R"({"a":1})"_ba
                                       << R"({"a":2})"_ba
                                       << R"({"a":1})"_ba
                                       << R"({"a":2})"_ba;
    QTest::newRow("only theirs changed (already merged)") << R"({"a":1})"_ba
                                                          << R"({"a":1})"_ba
                                                          << R"({"a":2})"_ba
                                                          << R"({"a":2})"_ba;
    QTest::newRow("ours reformatted only") << R"({"a":1})"_ba
                                           << "{\n  \"a\": 1\n}\n"_ba
                                           << R"({"a":2})"_ba
                                           << R"({"a":2})"_ba;
    QTest::newRow("theirs reformatted, ours unchanged") << R"({"a":1})"_ba
                                                        << R"({"a":1})"_ba
                                                        << "{\n  \"a\": 1\n}\n"_ba
                                                        << "{\n  \"a\": 1\n}\n"_ba;
    QTest::newRow("ours reformatted, theirs unchanged") << R"({"a":1})"_ba
                                                        << "{\n  \"a\": 1\n}\n"_ba
                                                        << R"({"a":1})"_ba
                                                        << "{\n  \"a\": 1\n}\n"_ba;
    QTest::newRow("JSON on a line changed on both") << R"({"a":1,"b":1})"_ba
                                                    << R"({"a":2,"b":1})"_ba
                                                    << R"({"a":1,"b":2})"_ba
                                                    << R"({"a":2,"b":2})"_ba;
    QTest::newRow("text without overlap") << "one\ntwo\nthree\nfour\nfive\n"_ba
                                          << "ONE\ntwo\nthree\nfour\nfive\n"_ba
                                          << "one\ntwo\nthree\nfour\nFIVE\nsix\n"_ba
                                          << "ONE\ntwo\nthree\nfour\nFIVE\nsix\n"_ba;
    QTest::newRow("text CRLF, no final newline") << "a\r\nb\r\nc\r\nd"_ba
                                                 << "A\r\nb\r\nc\r\nd"_ba
                                                 << "a\r\nb\r\nc\r\nD"_ba
                                                 << "A\r\nb\r\nc\r\nD"_ba;
}

void tst_KvMergeUpdateCases::cleanMergesAreStored()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QByteArray, expected);
    QVERIFY(writeBaseAndTheirs(base, theirs));
    KvMergeUpdate *merge = runMerge(ours);
    QVERIFY2(merge->error() == NatsError::NoError, qPrintable(merge->errorString()));
    QCOMPARE(merge->current().revision, m_theirsRevision);
    if (expected == theirs) {
        // Theirs holds the merge already: nothing is written.
        QCOMPARE(merge->outcome(), Outcome::AlreadyMerged);
        QCOMPARE(merge->revision(), m_theirsRevision);
        QCOMPARE(history(), (QList<QByteArray>{base, theirs}));
        return;
    }
    QCOMPARE(merge->outcome(), Outcome::Written);
    QVERIFY(merge->revision() > m_theirsRevision);
    QCOMPARE(history(), (QList<QByteArray>{base, theirs, expected})); // one update, the merge's bytes
    KvReply *latest = m_bucket->get(key());
    WAIT_OK(latest);
    QCOMPARE(latest->entry().revision, merge->revision());
}

void tst_KvMergeUpdateCases::jsonConflictsWriteNothing_data()
{
    KvMergeCases::addJsonConflictRows();
}

void tst_KvMergeUpdateCases::jsonConflictsWriteNothing()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QString, where);
    QFETCH(QString, values);
    QVERIFY(writeBaseAndTheirs(base, theirs));
    KvMergeUpdate *merge = runMerge(ours);
    QCOMPARE(merge->outcome(), Outcome::Conflicts);
    QCOMPARE(merge->current().revision, m_theirsRevision);
    const KvMergeResult result = merge->result();
    QCOMPARE(result.kind, KvMergeResult::Kind::Json);
    QCOMPARE(result.conflicts.size(), 1);
    const KvMergeConflict &conflict = result.conflicts.first();
    QCOMPARE(conflict.where, where);
    QCOMPARE(QStringList({KvJsonMerge::oneLine(conflict.base), KvJsonMerge::oneLine(conflict.ours),
                          KvJsonMerge::oneLine(conflict.theirs)})
                 .join(u'|'),
             values);
    QVERIFY(result.merged.isEmpty());
    QCOMPARE(history(), (QList<QByteArray>{base, theirs}));
}

void tst_KvMergeUpdateCases::textConflictsWriteNothing_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<QByteArray>("theirs");
    QTest::addColumn<QString>("marked"); // the text with conflict markers; %1 base, %2 theirs' revision
    QTest::addColumn<QString>("where");

    QTest::newRow("overlapping lines")
        << "host=a\nport=1\nuser=u\n"_ba
        << "host=a\nport=2\nuser=u\n"_ba
        << "host=a\nport=3\nuser=u2\n"_ba
        << u"host=a\n<<<<<<< yours\nport=2\nuser=u\n||||||| revision %1\nport=1\nuser=u\n=======\nport=3\nuser=u2\n"
           u">>>>>>> revision %2\n"_s
        << u"line 2"_s;
    // One side no longer JSON (a broken edit): merged by lines, where a change on the same line conflicts.
    QTest::newRow("broken JSON edit") << R"({"a":1,"b":1})"_ba
                                      << R"({"a":2,"b":1)"_ba
                                      << R"({"a":1,"b":2})"_ba
                                      << u"<<<<<<< yours\n{\"a\":2,\"b\":1\n||||||| revision %1\n{\"a\":1,\"b\":1}\n"
                                         u"=======\n{\"a\":1,\"b\":2}\n>>>>>>> revision %2\n"_s
                                      << u"line 1"_s;
}

void tst_KvMergeUpdateCases::textConflictsWriteNothing()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QString, marked);
    QFETCH(QString, where);
    QVERIFY(writeBaseAndTheirs(base, theirs));
    KvMergeUpdate *merge = runMerge(ours);
    QCOMPARE(merge->outcome(), Outcome::Conflicts);
    const KvMergeResult result = merge->result();
    QCOMPARE(result.kind, KvMergeResult::Kind::Text);
    QCOMPARE(result.conflicts.size(), 1);
    QCOMPARE(result.conflicts.first().where, where);
    // The markers name the revisions merged: the base opened and theirs now.
    QCOMPARE(QString::fromUtf8(result.merged), marked.arg(m_baseRevision).arg(m_theirsRevision));
    QCOMPARE(history(), (QList<QByteArray>{base, theirs}));
}

void tst_KvMergeUpdateCases::refusedValuesWriteNothing_data()
{
    KvMergeCases::addRefusedRows();
}

void tst_KvMergeUpdateCases::refusedValuesWriteNothing()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QString, reason);
    QVERIFY(writeBaseAndTheirs(base, theirs));
    KvMergeUpdate *merge = runMerge(ours);
    QCOMPARE(merge->outcome(), Outcome::Failed);
    QCOMPARE(merge->error(), NatsError::ValueDecodeError);
    // The sides named as KvMergeUpdate labels them: the revisions, and the edit "yours".
    const QString side = reason.section(u' ', 0, 0);
    const QString label = side == "ours"_L1 ? u"yours"_s
        : side == "base"_L1                 ? u"revision %1"_s.arg(m_baseRevision)
                                            : u"revision %1"_s.arg(m_theirsRevision);
    const QString expected = label + reason.mid(side.size());
    QVERIFY2(merge->errorString().contains(expected), qPrintable(merge->errorString() + u" / "_s + expected));
    QVERIFY2(merge->errorString().contains(key()), qPrintable(merge->errorString()));
    QCOMPARE(history(), (QList<QByteArray>{base, theirs}));
}

QTEST_GUILESS_MAIN(tst_KvMergeUpdateCases)
#include "tst_kvmergeupdatecases.moc"
