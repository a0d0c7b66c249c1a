#include "endsignals.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvmergeupdate.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using Outcome = KvMergeUpdate::Outcome;

// An edit merged with the key's value now and written as a guarded update, against a real server.
class tst_KvMergeUpdate final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesTheMergeOnTheRevisionMergedWith_data();
    void writesTheMergeOnTheRevisionMergedWith();
    void conflictsWriteNothing();
    void aThirdWriterDuringTheMergeIsNotOverwritten();
    void alreadyMergedWritesNothing();
    void failuresSayWhy_data();
    void failuresSayWhy();

private:
    // With ends, also what the merge signalled as it ended (EndSignals::seen()).
    KvMergeUpdate *runMerge(const QString &key, quint64 base, const QByteArray &ours, QStringList *ends = nullptr);
    quint64 put(const QString &key, const QByteArray &value);

    NatsServerProcess m_server;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
};

void tst_KvMergeUpdate::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"merges"_s;
    config.history = 3;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
}

quint64 tst_KvMergeUpdate::put(const QString &key, const QByteArray &value)
{
    KvReply *reply = m_bucket->put(key, value);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return 0;
    reply->deleteLater();
    return reply->error() == NatsError::NoError ? reply->revision() : 0;
}

KvMergeUpdate *tst_KvMergeUpdate::runMerge(const QString &key, quint64 base, const QByteArray &ours, QStringList *ends)
{
    auto *merge = new KvMergeUpdate(m_bucket, key, base, ours, u"yours"_s, this);
    const EndSignals end(merge);
    if (!QTest::qWaitFor([&end] { return end.hasFinished(); }, KvTest::ReplyTimeoutMs))
        qWarning("the merge did not finish");
    QCoreApplication::processEvents(); // a second end would come now
    if (ends)
        *ends = end.seen();
    return merge;
}

void tst_KvMergeUpdate::writesTheMergeOnTheRevisionMergedWith_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<QByteArray>("theirs");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("JSON members") << R"({"a":1,"b":1})"_ba
                                  << R"({"a":2,"b":1,"c":3})"_ba
                                  << R"({"b":2,"a":1})"_ba
                                  << R"({"b":2,"a":2,"c":3})"_ba;
    QTest::newRow("text lines") << "one\ntwo\nthree\n"_ba
                                << "ONE\ntwo\nthree\n"_ba
                                << "one\ntwo\nTHREE\n"_ba
                                << "ONE\ntwo\nTHREE\n"_ba;
}

void tst_KvMergeUpdate::writesTheMergeOnTheRevisionMergedWith()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, ours);
    QFETCH(QByteArray, theirs);
    QFETCH(QByteArray, expected);
    const QString key = u"clean_%1"_s.arg(QLatin1StringView(QTest::currentDataTag())).replace(u' ', u'_');
    const quint64 baseRevision = put(key, base);
    const quint64 theirsRevision = put(key, theirs);
    QVERIFY(baseRevision > 0 && theirsRevision > baseRevision);
    KvMergeUpdate *merge = runMerge(key, baseRevision, ours);
    QCOMPARE(merge->outcome(), Outcome::Written);
    QCOMPARE(merge->current().revision, theirsRevision);
    QVERIFY(merge->revision() > theirsRevision);
    KvReply *latest = m_bucket->get(key);
    WAIT_OK(latest);
    QCOMPARE(latest->entry().value, expected);
    QCOMPARE(latest->entry().revision, merge->revision());
}

void tst_KvMergeUpdate::conflictsWriteNothing()
{
    const quint64 base = put(u"conflict"_s, R"({"port":1,"host":"h"})");
    const quint64 theirs = put(u"conflict"_s, R"({"port":3,"host":"h"})");
    KvMergeUpdate *merge = runMerge(u"conflict"_s, base, R"({"port":2,"host":"h2"})");
    QCOMPARE(merge->outcome(), Outcome::Conflicts);
    QCOMPARE(merge->result().conflicts.size(), 1);
    QCOMPARE(merge->result().conflicts[0].where, u"/port"_s);
    KvReply *latest = m_bucket->get(u"conflict"_s);
    WAIT_OK(latest);
    QCOMPARE(latest->entry().revision, theirs);
}

// Someone writes after the merge read the key and before its update arrives: the update is refused,
// and their value stays.
void tst_KvMergeUpdate::aThirdWriterDuringTheMergeIsNotOverwritten()
{
    const quint64 base = put(u"third"_s, "a\nb\nc\n");
    put(u"third"_s, "a\nb\nC\n");
    auto *merge = new KvMergeUpdate(m_bucket, u"third"_s, base, "A\nb\nc\n", u"yours"_s, this);
    // Sent on the merge's own connection, so it reaches the server before the merge's update does.
    KvReply *thirdWrite = nullptr;
    connect(merge, &KvMergeUpdate::merged, this,
            [this, &thirdWrite] { thirdWrite = m_bucket->put(u"third"_s, "third writer\n"); });
    QSignalSpy finished(merge, &KvMergeUpdate::finished);
    QVERIFY(finished.wait(KvTest::ReplyTimeoutMs));
    QVERIFY(thirdWrite);
    WAIT_OK(thirdWrite);
    const quint64 third = thirdWrite->revision();
    QCOMPARE(merge->outcome(), Outcome::Failed);
    QCOMPARE(merge->error(), NatsError::WrongRevision);
    QVERIFY2(merge->errorString().contains(u"changed again"_s), qPrintable(merge->errorString()));
    // errorInfo() keeps the server's JetStream err_code (wrong last sequence) under the merge's own text.
    QCOMPARE(merge->errorInfo().code(), NatsError::WrongRevision);
    QCOMPARE(merge->errorInfo().message(), merge->errorString());
    QVERIFY(merge->errorInfo().jsErrorCode() != 0);
    KvReply *latest = m_bucket->get(u"third"_s);
    WAIT_OK(latest);
    QCOMPARE(latest->entry().value, "third writer\n"_ba);
    QCOMPARE(latest->entry().revision, third);
}

void tst_KvMergeUpdate::alreadyMergedWritesNothing()
{
    const quint64 base = put(u"same"_s, R"({"a":1})");
    const quint64 theirs = put(u"same"_s, R"({"a":2})");
    KvMergeUpdate *merge = runMerge(u"same"_s, base, R"({"a":2})");
    QCOMPARE(merge->outcome(), Outcome::AlreadyMerged);
    QCOMPARE(merge->revision(), theirs);
}

void tst_KvMergeUpdate::failuresSayWhy_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QList<QByteArray>>("values"); // put in turn; "-" deletes
    QTest::addColumn<int>("baseIndex");            // the revision of values[baseIndex] is the base
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("why");

    QTest::newRow("base beyond the history limit") << u"old"_s << QList<QByteArray>{"1", "2", "3", "4"} << 0 << "5"_ba
                                                   << int(NatsError::KeyNotFound) << u"keeps 3 per key"_s;
    QTest::newRow("key deleted") << u"gone"_s << QList<QByteArray>{"1", "-"} << 0 << "2"_ba
                                 << int(NatsError::KeyNotFound) << u"was deleted"_s;
    QTest::newRow("binary value") << u"bin"_s << QList<QByteArray>{"\x00\x01\xff"_ba, "x"} << 0 << "y"_ba
                                  << int(NatsError::ValueDecodeError) << u"revision"_s;
    QTest::newRow("binary edit") << u"binours"_s << QList<QByteArray>{"a", "b"} << 0 << "\xff\xfe"_ba
                                 << int(NatsError::ValueDecodeError) << u"yours is not text"_s;
}

void tst_KvMergeUpdate::failuresSayWhy()
{
    QFETCH(QString, key);
    QFETCH(QList<QByteArray>, values);
    QFETCH(int, baseIndex);
    QFETCH(QByteArray, ours);
    QFETCH(int, error);
    QFETCH(QString, why);
    QList<quint64> revisions;
    for (const QByteArray &value : std::as_const(values)) {
        if (value == "-") {
            WAIT_OK(m_bucket->remove(key));
            revisions.append(0);
        } else {
            revisions.append(put(key, value));
            QVERIFY(revisions.last() > 0);
        }
    }
    QStringList ends;
    KvMergeUpdate *merge = runMerge(key, revisions[baseIndex], ours, &ends);
    QCOMPARE(merge->outcome(), Outcome::Failed);
    QCOMPARE(int(merge->error()), error);
    QCOMPARE(ends, EndSignals::failure(NatsError::Code(error))); // errorOccurred, then finished, once
    QCOMPARE(merge->errorInfo().code(), merge->error());
    QCOMPARE(merge->errorInfo().message(), merge->errorString());
    QVERIFY2(merge->errorString().contains(why), qPrintable(merge->errorString()));
    QVERIFY2(merge->errorString().contains(key), qPrintable(merge->errorString()));
}

QTEST_GUILESS_MAIN(tst_KvMergeUpdate)
#include "tst_kvmergeupdate.moc"
