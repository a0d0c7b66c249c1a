#include "codectestdata.h"
#include "endsignals.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvbulkread.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "natstestsupport.h"
#include "valuesearch.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Find in values against a real server: the values read in batches, searched through the decoders
// (compressed JSON, MessagePack), within a folder or the whole bucket, with a cap and Cancel.
class tst_ValueSearch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void findsThroughTheDecoders_data();
    void findsThroughTheDecoders();
    void findsByJsonPath_data();
    void findsByJsonPath();
    void refusesAnInvalidPath();
    void stopsAtTheCap();
    void cancelStopsAtOnce();
    void cancelDuringAReadIsNoFailure();
    void aMissingBucketFailsOnce();

private:
    QStringList run(ValueSearch *search) const;

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    QStringList m_keys;
};

void tst_ValueSearch::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"search"_s;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(m_bucket->put(u"a.1"_s, CodecTestData::gzip(R"({"name":"Needle"})"_ba)));
    WAIT_OK(m_bucket->put(u"a.2"_s, CodecTestData::zstd(CodecTestData::messagePackRecord()))); // "Ada"
    WAIT_OK(m_bucket->put(u"a.3"_s, "hay"_ba));
    WAIT_OK(m_bucket->put(u"b.1"_s, "a needle in text"_ba));
    WAIT_OK(m_bucket->put(u"b.2"_s, "needle, deleted"_ba));
    WAIT_OK(m_bucket->remove(u"b.2"_s));
    m_keys = QStringList{u"a.1"_s, u"a.2"_s, u"a.3"_s, u"b.1"_s, u"b.2"_s};
}

QStringList tst_ValueSearch::run(ValueSearch *search) const
{
    QSignalSpy finished(search, &ValueSearch::finished);
    search->start();
    if (!finished.wait(10000))
        return {u"<not finished>"_s};
    QStringList keys;
    for (const ValueSearch::Match &match : search->matches())
        keys.append(match.key);
    return keys;
}

void tst_ValueSearch::findsThroughTheDecoders_data()
{
    QTest::addColumn<QString>("folder");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("found");
    QTest::newRow("bucket") << QString() << u"needle"_s << QStringList{u"a.1"_s, u"b.1"_s};
    QTest::newRow("folder") << u"a"_s << u"needle"_s << QStringList{u"a.1"_s};
    QTest::newRow("messagepack inside zstd") << QString() << u"\"Ada\""_s << QStringList{u"a.2"_s};
    QTest::newRow("nothing") << u"b"_s << u"hay"_s << QStringList();
}

void tst_ValueSearch::findsThroughTheDecoders()
{
    QFETCH(QString, folder);
    QFETCH(QString, text);
    QFETCH(QStringList, found);
    ValueSearch::Options options;
    options.text = text;
    options.batchSize = 2; // several batches, each a progress step
    ValueSearch search(m_bucket, ValueSearch::keysIn(m_keys, folder), options);
    QSignalSpy progress(&search, &ValueSearch::progress);
    QCOMPARE(run(&search), found);
    QVERIFY(search.errorString().isEmpty());
    QVERIFY(!search.isCapped());
    QCOMPARE(search.searchedCount(), search.totalCount());
    // b.2 is deleted: read, but no value to search.
    QCOMPARE(search.valueCount(), search.totalCount() - (folder == u"a"_s ? 0 : 1));
    QVERIFY(progress.size() >= 2 || search.totalCount() <= 2);
    for (const ValueSearch::Match &match : search.matches())
        QVERIFY2(match.snippet.contains(text, Qt::CaseInsensitive), qPrintable(match.snippet));
    if (found.contains(u"a.1"_s))
        QCOMPARE(search.matches().first().chain, u"gzip → JSON"_s);
}

void tst_ValueSearch::findsByJsonPath_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("found");
    QTest::addColumn<QString>("snippet"); // of the first match
    QTest::newRow("inside gzip") << u"$.name == Needle"_s << QStringList{u"a.1"_s} << u"$.name = \"Needle\""_s;
    QTest::newRow("inside zstd and MessagePack") << u"age >= 30"_s << QStringList{u"a.2"_s} << u"$.age = 36"_s;
    QTest::newRow("array element") << u"$.tags[*] == y"_s << QStringList{u"a.2"_s} << u"$.tags[1] = \"y\""_s;
    QTest::newRow("contains") << u"$.name ~ NEED"_s << QStringList{u"a.1"_s} << u"$.name = \"Needle\""_s;
    QTest::newRow("text is not JSON") << u"$.needle"_s << QStringList() << QString();
}

void tst_ValueSearch::findsByJsonPath()
{
    QFETCH(QString, query);
    QFETCH(QStringList, found);
    QFETCH(QString, snippet);
    ValueSearch::Options options;
    options.text = query;
    options.mode = ValueSearch::Mode::JsonPath;
    options.batchSize = 2;
    ValueSearch search(m_bucket, m_keys, options);
    QSignalSpy progress(&search, &ValueSearch::progress);
    QCOMPARE(run(&search), found);
    QVERIFY2(search.errorString().isEmpty(), qPrintable(search.errorString()));
    QCOMPARE(search.searchedCount(), search.totalCount());
    QVERIFY(progress.size() >= 2);
    if (!found.isEmpty())
        QCOMPARE(search.matches().first().snippet, snippet);
}

void tst_ValueSearch::refusesAnInvalidPath()
{
    ValueSearch::Options options;
    options.text = u"$.a =="_s;
    options.mode = ValueSearch::Mode::JsonPath;
    ValueSearch search(m_bucket, m_keys, options);
    const EndSignals end(&search);
    QCOMPARE(run(&search), QStringList());
    QVERIFY2(search.errorString().contains(u"a value after =="_s), qPrintable(search.errorString()));
    QCOMPARE(search.error(), NatsError::InvalidArgument);
    QCOMPARE(end.seen(), EndSignals::failure(NatsError::InvalidArgument));
    QCOMPARE(search.searchedCount(), 0);
}

void tst_ValueSearch::stopsAtTheCap()
{
    ValueSearch::Options options;
    options.text = u"e"_s;
    options.maxMatches = 1;
    ValueSearch search(m_bucket, m_keys, options);
    QCOMPARE(run(&search).size(), 1);
    QVERIFY(search.isCapped());
    QVERIFY(search.searchedCount() < search.totalCount());
}

void tst_ValueSearch::cancelStopsAtOnce()
{
    ValueSearch::Options options;
    options.text = u"needle"_s;
    ValueSearch search(m_bucket, m_keys, options);
    QSignalSpy finished(&search, &ValueSearch::finished);
    const EndSignals end(&search);
    search.start();
    search.cancel();
    QCOMPARE(finished.size(), 1);
    QVERIFY(search.isCancelled());
    QCOMPARE(end.seen(), QStringList{u"finished()"_s}); // what the user asked for: no failure
    QCOMPARE(search.error(), NatsError::NoError);
    QVERIFY(search.matches().isEmpty());
    QCoreApplication::processEvents(); // the batch read it had started answers nothing more
    QCOMPARE(finished.size(), 1);
}

// Cancel while a batch is being read: the search ends as cancelled, not failed ("cancelled" is not why it
// stopped, the user is), once.
void tst_ValueSearch::cancelDuringAReadIsNoFailure()
{
    ValueSearch::Options options;
    options.text = u"needle"_s;
    options.batchSize = 1;
    ValueSearch search(m_bucket, m_keys, options);
    const EndSignals end(&search);
    QSignalSpy progress(&search, &ValueSearch::progress);
    search.start();
    // Not a poll for the read: on a fast server all five one-key batches can end within one poll's wait. The
    // first batch's progress is reported just before the second batch's read is started, in the same turn.
    QVERIFY(progress.wait());
    QCOMPARE(progress.size(), 1);
    QVERIFY(search.findChild<KvBulkRead *>()); // the second batch is being read
    search.cancel();
    QCOMPARE(end.seen(), QStringList{u"finished()"_s});
    QVERIFY(search.isCancelled());
    QCOMPARE(search.error(), NatsError::NoError);
    QVERIFY2(search.errorString().isEmpty(), qPrintable(search.errorString()));
    QVERIFY(NatsTest::flushed(m_connection));
    QCOMPARE(end.seen().size(), 1);
}

// The bucket is not there (deleted meanwhile): the read fails, and so does the search, once, saying why.
void tst_ValueSearch::aMissingBucketFailsOnce()
{
    ValueSearch::Options options;
    options.text = u"needle"_s;
    ValueSearch search(m_kv->bucket(u"nosuch"_s, this), m_keys, options);
    const EndSignals end(&search);
    QCOMPARE(run(&search), QStringList());
    QVERIFY(NatsTest::flushed(m_connection)); // anything still on its way has come by now
    QCOMPARE(end.seen(), EndSignals::failure(NatsError::BucketNotFound));
    QCOMPARE(search.error(), NatsError::BucketNotFound);
    QCOMPARE(search.errorInfo().message(), search.errorString());
    QVERIFY2(search.errorString().contains(u"nosuch"_s), qPrintable(search.errorString()));
    QCOMPARE(search.searchedCount(), 0);
}

QTEST_GUILESS_MAIN(tst_ValueSearch)
#include "tst_valuesearch.moc"
