#include "endsignals.h"
#include "jetstreamcontext.h"
#include "jsbatchget.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvbulkread.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natstestsupport.h"

#include <QtCore/QScopeGuard>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Batch direct get against each server: on 2.11+ (API level 1) multi_last, up_to_seq, batches by subject
// and paging work as nats-modern.md §5.2 shows; on older servers the request is recognised as not
// understood (nats-modern.md §5.3) and KvBulkRead reads one by one instead, with the same results.
class tst_JsBatchGet : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void multiLast();
    void pagedSnapshot();
    void batchBySubject();
    void moreThan1024Subjects();
    void bulkReadBothWays();
    void bulkReadIgnoresALaggingMirror();
    void aMissingStreamFailsOnce();
    void bulkReadOfAMissingBucketFailsOnce_data();
    void bulkReadOfAMissingBucketFailsOnce();

private:
    struct Outcome
    {
        QList<JsStoredMessage> messages;
        int pages = 0;
        NatsError error;
        quint64 upTo = 0;
    };
    bool batches() const { return m_js->capabilities()->supports(JsServerCapabilities::Feature::BatchGet); }
    Outcome run(const QString &bucket, const JsBatchGetRequest &request);
    KvBucket *bucketWithKeys(const QString &name, int count, const QString &prefix = u"k."_s);
    static QStringList subjects(const QList<JsStoredMessage> &messages);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_JsBatchGet::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
    WAIT_OK(m_js->accountInfo()); // the API level
    QCOMPARE(batches(), m_connection->serverInfo().versionAtLeast(2, 11, 0));
}

tst_JsBatchGet::Outcome tst_JsBatchGet::run(const QString &bucket, const JsBatchGetRequest &request)
{
    Outcome outcome;
    JsBatchGet get(m_js, u"KV_"_s + bucket, request);
    connect(&get, &JsBatchGet::messagesReceived, this, [&outcome](const QList<JsStoredMessage> &page) {
        outcome.messages.append(page);
        ++outcome.pages;
    });
    QSignalSpy finished(&get, &JsBatchGet::finished);
    if (!finished.wait(KvTest::ReplyTimeoutMs))
        outcome.error = NatsError(NatsError::Timeout, u"no end"_s);
    else
        outcome.error = get.errorInfo();
    outcome.upTo = get.upToSequence();
    return outcome;
}

KvBucket *tst_JsBatchGet::bucketWithKeys(const QString &name, int count, const QString &prefix)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = 5;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    QList<KvReply *> puts;
    for (int i = 0; i < count; ++i)
        puts.append(bucket->put(prefix + QString::number(i).rightJustified(4, u'0'), "v" + QByteArray::number(i)));
    const bool done = QTest::qWaitFor(
        [&puts] { return std::all_of(puts.cbegin(), puts.cend(), [](KvReply *r) { return r->isFinished(); }); }, 60000);
    const bool ok = done
        && std::all_of(puts.cbegin(), puts.cend(), [](KvReply *r) { return r->error() == NatsError::NoError; });
    return ok ? bucket : nullptr;
}

QStringList tst_JsBatchGet::subjects(const QList<JsStoredMessage> &messages)
{
    QStringList list;
    for (const JsStoredMessage &message : messages)
        list.append(QString::fromUtf8(message.subject));
    return list;
}

void tst_JsBatchGet::multiLast()
{
    KvBucket *bucket = bucketWithKeys(u"ml"_s, 3);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k.0000"_s, "newer")); // seq 4
    JsBatchGetRequest request;
    const QByteArray prefix = "$KV." + bucket->name().toUtf8() + '.';
    request.multiLast = {prefix + "k.0000", prefix + "k.0002", prefix + "nothere"};
    const Outcome outcome = run(bucket->name(), request);
    if (!batches()) {
        // 2.9/2.10 answer multi_last with "408 Empty Request": recognised, not misread.
        QCOMPARE(outcome.error.code(), NatsError::FeatureNotSupported);
        QVERIFY(outcome.messages.isEmpty());
        return;
    }
    QCOMPARE(outcome.error.code(), NatsError::NoError);
    // Stream-sequence order, the latest of each, and no header of the get itself.
    QCOMPARE(subjects(outcome.messages),
             (QStringList{QString::fromUtf8(prefix) + u"k.0002"_s, QString::fromUtf8(prefix) + u"k.0000"_s}));
    QCOMPARE(outcome.messages.last().data, "newer"_ba);
    QCOMPARE(outcome.messages.last().sequence, 4u);
    QVERIFY(!outcome.messages.last().headers.contains("Nats-Num-Pending"));
    QCOMPARE(outcome.upTo, 4u);
}

void tst_JsBatchGet::pagedSnapshot()
{
    KvBucket *bucket = bucketWithKeys(u"pages"_s, 13);
    QVERIFY(bucket);
    JsBatchGetRequest request;
    request.multiLast = {"$KV." + bucket->name().toUtf8() + ".>"};
    request.batch = 4;
    const Outcome outcome = run(bucket->name(), request);
    if (!batches()) {
        QCOMPARE(outcome.error.code(), NatsError::FeatureNotSupported);
        return;
    }
    QCOMPARE(outcome.error.code(), NatsError::NoError);
    QCOMPARE(outcome.messages.size(), 13);
    QCOMPARE(outcome.pages, 4); // 4 + 4 + 4 + 1
    for (int i = 0; i < 13; ++i)
        QCOMPARE(outcome.messages[i].sequence, quint64(i + 1));

    // As of sequence 3: the bucket's state back then, whatever was written since.
    WAIT_OK(bucket->put(u"k.0001"_s, "later"));
    request.upToSequence = 3;
    const Outcome past = run(bucket->name(), request);
    QCOMPARE(past.error.code(), NatsError::NoError);
    QCOMPARE(past.messages.size(), 3);
    QCOMPARE(past.messages[1].data, "v1"_ba);
}

void tst_JsBatchGet::batchBySubject()
{
    KvBucket *bucket = bucketWithKeys(u"range"_s, 10);
    QVERIFY(bucket);
    JsBatchGetRequest request;
    request.nextBySubject = "$KV." + bucket->name().toUtf8() + ".>";
    request.startSequence = 3;
    request.maxMessages = 5;
    request.batch = 2;
    const Outcome outcome = run(bucket->name(), request);
    if (!batches()) {
        // Older servers answer with one plain message, without Nats-Num-Pending: not taken as a batch.
        QCOMPARE(outcome.error.code(), NatsError::FeatureNotSupported);
        QVERIFY(outcome.messages.isEmpty());
        return;
    }
    QCOMPARE(outcome.error.code(), NatsError::NoError);
    QCOMPARE(outcome.messages.size(), 5);
    QCOMPARE(outcome.messages.first().sequence, 3u);
    QCOMPARE(outcome.messages.last().sequence, 7u);
    QCOMPARE(outcome.pages, 3); // 2 + 2 + 1
}

void tst_JsBatchGet::moreThan1024Subjects()
{
    KvBucket *bucket = bucketWithKeys(u"big"_s, JsBatchGetRequest::MaxMultiLastSubjects + 6);
    QVERIFY(bucket);
    JsBatchGetRequest request;
    request.multiLast = {"$KV." + bucket->name().toUtf8() + ".>"};
    const Outcome outcome = run(bucket->name(), request);
    if (batches()) {
        // The server's hard limit (413 Too Many Results): nothing is returned.
        QCOMPARE(outcome.error.code(), NatsError::JetStreamApiError);
        QCOMPARE(outcome.error.jsErrorCode(), 413);
        QVERIFY(outcome.messages.isEmpty());
    } else {
        QCOMPARE(outcome.error.code(), NatsError::FeatureNotSupported);
    }
    // KvBulkRead names keys 1,024 at a time, so it reads them all either way.
    QList<KvBulkRead::Want> wants;
    for (int i = JsBatchGetRequest::MaxMultiLastSubjects + 5; i >= 0; --i)
        wants.append({u"k."_s + QString::number(i).rightJustified(4, u'0'), 0});
    KvBulkRead read(bucket, wants);
    QSignalSpy done(&read, &KvBulkRead::finished);
    QVERIFY(done.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(read.error(), NatsError::NoError);
    QCOMPARE(read.usedBatches(), batches());
    const auto results = read.results();
    for (qsizetype i = 0; i < results.size(); ++i) {
        QVERIFY(results[i]);
        QCOMPARE(results[i]->key, wants[i].key); // the order asked for
        QCOMPARE(results[i]->value, "v" + QByteArray::number(JsBatchGetRequest::MaxMultiLastSubjects + 5 - int(i)));
    }
}

void tst_JsBatchGet::bulkReadBothWays()
{
    KvBucket *bucket = bucketWithKeys(u"both"_s, 20);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k.0003"_s, "v3b")); // revision 21
    WAIT_OK(bucket->remove(u"k.0004"_s));     // revision 22
    WAIT_OK(bucket->put(u"other.x"_s, "x"));  // revision 23
    // Latest of some keys, and some revisions (one of another key, one beyond the end, one far away).
    const QList<KvBulkRead::Want> wants{{u"k.0003"_s, 0},   {u"k.0004"_s, 0},  {u"nope"_s, 0},
                                        {u"k.0003"_s, 4},   {u"k.0003"_s, 21}, {u"k.0003"_s, 5},
                                        {u"other.x"_s, 23}, {u"k.0001"_s, 99}, {u"k.0000"_s, 1}};
    QList<QList<std::optional<KvEntry>>> outcomes;
    for (const KvBulkRead::Mode mode : {KvBulkRead::Mode::Auto, KvBulkRead::Mode::OneByOne}) {
        KvBulkRead read(bucket, wants, mode);
        QSignalSpy done(&read, &KvBulkRead::finished);
        QVERIFY(done.wait(KvTest::ReplyTimeoutMs));
        QCOMPARE(read.error(), NatsError::NoError);
        QCOMPARE(read.usedBatches(), mode == KvBulkRead::Mode::Auto && batches());
        outcomes.append(read.results());
    }
    for (const auto &results : std::as_const(outcomes)) {
        QCOMPARE(results[0]->value, "v3b"_ba);
        QVERIFY(results[1] && results[1]->operation == KvEntry::Operation::Delete);
        QVERIFY(!results[2]);
        QCOMPARE(results[3]->value, "v3"_ba);
        QCOMPARE(results[4]->value, "v3b"_ba);
        QVERIFY(!results[5]); // revision 5 is k.0004's
        QCOMPARE(results[6]->value, "x"_ba);
        QVERIFY(!results[7]);
        QCOMPARE(results[8]->value, "v0"_ba);
    }
}

// A mirror answers its origin's direct gets, batches too (mirror_direct). This one lacks revision 1 and has
// an old value of "late": a batch it answers (its messages name it, and its "404 No Results" names no
// stream) is read again where only the origin answers.
void tst_JsBatchGet::bulkReadIgnoresALaggingMirror()
{
    KvBucket *origin = bucketWithKeys(u"origin"_s, 0);
    QVERIFY(origin);
    WAIT_OK(origin->put(u"early"_s, "x"));                                                                  // 1
    WAIT_OK(origin->put(u"late"_s, "one"));                                                                 // 2
    QVERIFY(KvTest::createLaggingMirror(m_js, origin, u"KV_lagging%1"_s.arg(m_counter), u"late"_s, "two")); // 3
    const QList<KvBulkRead::Want> wants{{u"early"_s, 0}, {u"late"_s, 0}, {u"early"_s, 1}, {u"late"_s, 3}};
    for (int i = 0; i < 10; ++i) {
        KvBulkRead read(origin, wants);
        QSignalSpy done(&read, &KvBulkRead::finished);
        QVERIFY(done.wait(KvTest::ReplyTimeoutMs));
        QCOMPARE(read.error(), NatsError::NoError);
        const QList<std::optional<KvEntry>> results = read.results();
        for (qsizetype at = 0; at < results.size(); ++at)
            QVERIFY2(results[at], qPrintable(read.problem(at)));
        QCOMPARE(results[0]->value, "x"_ba);
        QCOMPARE(results[1]->value, "two"_ba);
        QCOMPARE(results[1]->revision, 3u);
        QCOMPARE(results[2]->value, "x"_ba);
        QCOMPARE(results[3]->value, "two"_ba);
        // Only "early" alone: every responder knows "not found" of the origin then, for the 2.9 servers too.
        KvBulkRead alone(origin, {{u"early"_s, 0}});
        QSignalSpy aloneDone(&alone, &KvBulkRead::finished);
        QVERIFY(aloneDone.wait(KvTest::ReplyTimeoutMs));
        QVERIFY2(alone.results().value(0), qPrintable(alone.problem(0)));
    }
}

// A stream that is not there: 2.10+ answers DIRECT.GET at once with a 503, 2.9 not at all (the get times
// out). Either way the async shape: errorOccurred(code), then finished(), once.
void tst_JsBatchGet::aMissingStreamFailsOnce()
{
    const bool answered = m_connection->serverInfo().versionAtLeast(2, 10, 0);
    const auto restore = qScopeGuard([this, timeout = m_js->timeout()] { m_js->setTimeout(timeout); });
    m_js->setTimeout(300); // for 2.9's silence
    JsBatchGetRequest request;
    request.nextBySubject = "$KV.nosuch.>";
    JsBatchGet get(m_js, u"KV_nosuch"_s, request);
    const EndSignals end(&get);
    QTRY_VERIFY_WITH_TIMEOUT(end.hasFinished(), KvTest::ReplyTimeoutMs);
    QVERIFY(NatsTest::flushed(m_connection)); // anything still on its way has come by now
    const NatsError::Code expected = answered ? NatsError::DirectGetUnavailable : NatsError::Timeout;
    QCOMPARE(end.seen(), EndSignals::failure(expected));
    QCOMPARE(get.error(), expected);
    QVERIFY2(get.errorString().contains(u"KV_nosuch"_s), qPrintable(get.errorString()));
    get.cancel(); // ended already: nothing more
    QCOMPARE(end.seen().size(), 2);
}

void tst_JsBatchGet::bulkReadOfAMissingBucketFailsOnce_data()
{
    QTest::addColumn<KvBulkRead::Mode>("mode");
    QTest::newRow("auto") << KvBulkRead::Mode::Auto;
    QTest::newRow("one by one") << KvBulkRead::Mode::OneByOne;
}

void tst_JsBatchGet::bulkReadOfAMissingBucketFailsOnce()
{
    QFETCH(KvBulkRead::Mode, mode);
    KvBucket *bucket = m_kv->bucket(u"nosuch"_s, this);
    KvBulkRead read(bucket, {{u"a"_s, 0}, {u"b"_s, 2}}, mode);
    const EndSignals end(&read);
    QTRY_VERIFY_WITH_TIMEOUT(end.hasFinished(), KvTest::ReplyTimeoutMs);
    QVERIFY(NatsTest::flushed(m_connection));
    QCOMPARE(end.seen(), EndSignals::failure(NatsError::BucketNotFound));
    QCOMPARE(read.error(), NatsError::BucketNotFound);
    QCOMPARE(read.errorString(), read.errorInfo().message());
    QVERIFY2(read.errorString().contains(u"nosuch"_s), qPrintable(read.errorString()));
}

QTEST_GUILESS_MAIN(tst_JsBatchGet)

#include "tst_jsbatchget.moc"
