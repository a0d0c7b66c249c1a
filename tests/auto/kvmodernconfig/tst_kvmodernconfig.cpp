#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonArray>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The 2.10+ bucket settings and consumer API on each server of the matrix. Whether the server has them is
// read from what it says (INFO version), never from the test's label.
class tst_KvModernConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void compressionAndMetadata();
    void editBackAndForth();
    void droppedSettingIsUndone();
    void sourcesWithTransforms();
    void sourcesWithRevisionsTheBucketDrops();
    void sourceAddedToBucketThatDroppedRevisions();
    void severalFiltersOneConsumer();
    void overlappingFilters();
    void consumersThroughTheNewApi();

private:
    bool modern() const { return m_connection->serverInfo().versionAtLeast(2, 10, 0); }
    JsStreamInfo streamInfo(const QString &bucket);
    QStringList consumerNames(const QString &bucket);
    QStringList watchedKeys(KvBucket *bucket, const QStringList &filters, KvWatcher **watcher);
    KvBucket *bucketWithKeys(const QString &name, const QStringList &keys);
    KvBucket *bucketWithRevisions(const QString &name, const QString &key, int revisions);
    KvReply *createWithSources(const QString &name, int history, const QList<KvBucket *> &sources);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvModernConfig::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

JsStreamInfo tst_KvModernConfig::streamInfo(const QString &bucket)
{
    JsApiReply *info = m_js->streamInfo(u"KV_"_s + bucket);
    const bool ok = QTest::qWaitFor([info] { return info->isFinished(); }, KvTest::ReplyTimeoutMs);
    const JsStreamInfo result = ok ? info->streamInfo() : JsStreamInfo();
    info->deleteLater();
    return result;
}

QStringList tst_KvModernConfig::consumerNames(const QString &bucket)
{
    JsApiReply *names = m_js->request("CONSUMER.NAMES.KV_" + bucket.toUtf8());
    const bool ok = QTest::qWaitFor([names] { return names->isFinished(); }, KvTest::ReplyTimeoutMs);
    QStringList result;
    for (const QJsonValue &name : names->response().value("consumers"_L1).toArray())
        result.append(name.toString());
    names->deleteLater();
    return ok ? result : QStringList{u"<no answer>"_s};
}

KvBucket *tst_KvModernConfig::bucketWithKeys(const QString &name, const QStringList &keys)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    for (const QString &key : keys) {
        KvReply *put = bucket->put(key, key.toUtf8());
        if (!QTest::qWaitFor([put] { return put->isFinished(); }, KvTest::ReplyTimeoutMs)
            || put->error() != NatsError::NoError)
            return nullptr;
    }
    return bucket;
}

// A bucket keeping 5 revisions whose key has the given number of them.
KvBucket *tst_KvModernConfig::bucketWithRevisions(const QString &name, const QString &key, int revisions)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = 5;
    if (!KvTest::createBucket(m_kv, config))
        return nullptr;
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    for (int i = 1; i <= revisions; ++i) {
        KvReply *put = bucket->put(key, QByteArray::number(i));
        if (!QTest::qWaitFor([put] { return put->isFinished(); }, KvTest::ReplyTimeoutMs)
            || put->error() != NatsError::NoError)
            return nullptr;
    }
    return bucket;
}

KvReply *tst_KvModernConfig::createWithSources(const QString &name, int history, const QList<KvBucket *> &sources)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = history;
    for (KvBucket *bucket : sources) {
        JsStreamSource source;
        source.name = bucket->name();
        config.sources.append(source);
    }
    return m_kv->createBucket(config);
}

// The keys a watch's initial values name, sorted; the watcher stays running for the caller.
QStringList tst_KvModernConfig::watchedKeys(KvBucket *bucket, const QStringList &filters, KvWatcher **watcher)
{
    *watcher = bucket->watch(filters);
    QStringList keys;
    connect(*watcher, &KvWatcher::entryReceived, this, [&keys](const KvEntry &entry) { keys.append(entry.key); });
    QSignalSpy initial(*watcher, &KvWatcher::initialValuesReceived);
    if (!initial.wait(KvTest::ReplyTimeoutMs))
        return {u"<no initial values>"_s};
    disconnect(*watcher, &KvWatcher::entryReceived, this, nullptr);
    keys.sort();
    return keys;
}

void tst_KvModernConfig::compressionAndMetadata()
{
    KvBucketConfig config;
    config.bucket = u"cmp%1"_s.arg(m_counter);
    config.compressed = true;
    config.metadata = {{u"owner"_s, u"qt"_s}};
    KvReply *create = m_kv->createBucket(config);
    if (!modern()) {
        WAIT_ERROR(create, NatsError::FeatureNotSupported);
        QCOMPARE(create->errorString(),
                 u"compression needs nats-server 2.10 or newer; %1 runs %2"_s.arg(m_server.url(),
                                                                                  m_connection->serverInfo().version));
        config.compressed = false;
        KvReply *metadata = m_kv->createBucket(config);
        WAIT_ERROR(metadata, NatsError::FeatureNotSupported);
        QVERIFY2(metadata->errorString().startsWith(u"metadata needs nats-server 2.10"_s),
                 qPrintable(metadata->errorString()));
        WAIT_ERROR(m_kv->bucketStatus(config.bucket), NatsError::BucketNotFound); // nothing created
        return;
    }
    WAIT_OK(create);
    QVERIFY(create->status().config.compressed);
    QCOMPARE(create->status().config.metadata, config.metadata);
    const JsStreamInfo info = streamInfo(config.bucket);
    QCOMPARE(info.config.compression, u"s2"_s);
    QCOMPARE(info.config.metadata.value(u"owner"_s), u"qt"_s);
    // What the server adds itself (2.11+) is the server's, never the user's.
    for (auto it = create->status().serverMetadata.cbegin(); it != create->status().serverMetadata.cend(); ++it)
        QVERIFY(it.key().startsWith(u"_nats."_s));
    QCOMPARE(!create->status().serverMetadata.isEmpty(), m_connection->serverInfo().versionAtLeast(2, 11, 0));
    // The same again is no conflict; other metadata is (as the server says).
    WAIT_OK(m_kv->createBucket(config));
    config.metadata = {{u"owner"_s, u"someone else"_s}};
    WAIT_ERROR(m_kv->createBucket(config), NatsError::StreamNameInUse);
}

void tst_KvModernConfig::editBackAndForth()
{
    KvBucketConfig config;
    config.bucket = u"edit%1"_s.arg(m_counter);
    QVERIFY(KvTest::createBucket(m_kv, config));
    config.compressed = true;
    config.metadata = {{u"team"_s, u"kv"_s}};
    KvReply *edit = m_kv->updateBucket(config);
    if (!modern()) {
        WAIT_ERROR(edit, NatsError::FeatureNotSupported);
        QVERIFY(streamInfo(config.bucket).config.compression.isEmpty());
        return;
    }
    WAIT_OK(edit);
    QCOMPARE(streamInfo(config.bucket).config.compression, u"s2"_s);
    QCOMPARE(edit->status().config.metadata, config.metadata);
    // And off again: compression is always said on 2.10+, so "none" is sent; metadata is cleared.
    config.compressed = false;
    config.metadata.clear();
    KvReply *back = m_kv->updateBucket(config);
    WAIT_OK(back);
    QCOMPARE(streamInfo(config.bucket).config.compression, u"none"_s);
    QVERIFY(back->status().config.metadata.isEmpty());
}

void tst_KvModernConfig::droppedSettingIsUndone()
{
    // A server that says one thing and drops a setting anyway (a mixed cluster; here: a level this client
    // is told, while the server really is older) must not leave a half-changed bucket behind.
    KvBucketConfig config;
    config.bucket = u"dropped%1"_s.arg(m_counter);
    config.description = u"before"_s;
    QVERIFY(KvTest::createBucket(m_kv, config));
    const bool reallyHasTtl = m_js->capabilities()->supports(JsServerCapabilities::Feature::LimitMarkers);
    JsAccountInfo claimed = m_js->capabilities()->accountInfo();
    claimed.apiLevel = 1;
    m_js->capabilities()->learn(claimed);
    config.description = u"after"_s;
    config.markerTtlMs = 5000;
    KvReply *edit = m_kv->updateBucket(config);
    QTRY_VERIFY_WITH_TIMEOUT(edit->isFinished(), KvTest::ReplyTimeoutMs);
    WAIT_OK(m_js->accountInfo()); // learn the real level again
    const JsStreamInfo info = streamInfo(config.bucket);
    if (reallyHasTtl) {
        QCOMPARE(edit->error(), NatsError::NoError);
        QCOMPARE(info.config.subjectDeleteMarkerTtlNs, 5000LL * 1000000);
        return;
    }
    QCOMPARE(edit->error(), NatsError::FeatureNotSupported);
    QVERIFY2(edit->errorString().contains(u"silently dropped allow_msg_ttl, subject_delete_marker_ttl"_s)
                 && edit->errorString().contains(u"previous settings were restored"_s),
             qPrintable(edit->errorString()));
    QCOMPARE(info.config.description, u"before"_s); // restored
}

void tst_KvModernConfig::sourcesWithTransforms()
{
    KvBucket *first = bucketWithKeys(u"srca"_s, {u"x"_s});
    KvBucket *second = bucketWithKeys(u"srcb"_s, {u"y"_s, u"z"_s});
    QVERIFY(first && second);
    KvBucketConfig config;
    config.bucket = u"agg%1"_s.arg(m_counter);
    JsStreamSource a;
    a.name = first->name();
    JsStreamSource b;
    b.name = u"KV_"_s + second->name();
    config.sources = {a, b};
    KvReply *create = m_kv->createBucket(config);
    WAIT_OK(create);
    const JsStreamConfig stream = create->status().streamInfo.config;
    QCOMPARE(stream.sources.size(), 2);
    if (!modern()) {
        // 2.9 has no subject transforms: nats.go 1.22.1's bucket of sources, without subjects of its own.
        QVERIFY(stream.subjects.isEmpty());
        return;
    }
    // As nats.go 1.53 and @nats-io/kv 3.4: the bucket's own subjects, each source's keys moved under them.
    QCOMPARE(stream.subjects, QStringList{u"$KV.%1.>"_s.arg(config.bucket)});
    QCOMPARE(stream.sources.first().subjectTransforms.size(), 1);
    QCOMPARE(stream.sources.first().subjectTransforms.first().source, u"$KV.%1.>"_s.arg(first->name()));
    QCOMPARE(stream.sources.first().subjectTransforms.first().destination, u"$KV.%1.>"_s.arg(config.bucket));
    KvBucket *aggregate = m_kv->bucket(config.bucket, this);
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(aggregate, u"x"_s), "x"_ba, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(aggregate, u"z"_s), "z"_ba, 10000);
}

// nats-server 2.10+ starts a source that has nothing in the bucket yet at the bucket's last write once the
// bucket has dropped a message (try-out 4, F12): with history 1, the second of two sources whose keys have
// two revisions each was never copied, the server reporting no lag. kvdesk makes the bucket as natscli does
// and says so; 2.9 starts every source at its beginning.
void tst_KvModernConfig::sourcesWithRevisionsTheBucketDrops()
{
    KvBucket *first = bucketWithRevisions(u"twoa"_s, u"a"_s, 2);
    KvBucket *second = bucketWithRevisions(u"twob"_s, u"b"_s, 2);
    KvBucket *single = bucketWithKeys(u"onec"_s, {u"c"_s, u"d"_s});
    KvBucket *other = bucketWithKeys(u"oned"_s, {u"e"_s});
    QVERIFY(first && second && single && other);

    KvReply *dropping = createWithSources(u"drops"_s, 1, {first, second});
    WAIT_OK(dropping);
    if (!modern()) {
        QCOMPARE(dropping->warnings(), QStringList());
        return;
    }
    QCOMPARE(dropping->warnings().size(), 1);
    const QString warning = dropping->warnings().first();
    for (const QString &part : {u"bucket \"drops%1\""_s.arg(m_counter), first->name(), second->name(),
                                u"history of at least 2"_s, u"no lag"_s})
        QVERIFY2(warning.contains(part), qPrintable(warning));
    // The bucket is still made as natscli makes it.
    QCOMPARE(dropping->status().streamInfo.config.sources.size(), 2);

    // Room for every revision while the keys are copied: nothing is dropped, nothing to say.
    KvReply *keeping = createWithSources(u"keeps"_s, 2, {first, second});
    WAIT_OK(keeping);
    QCOMPARE(keeping->warnings(), QStringList());
    // Sources whose keys have one revision each: the bucket drops nothing while copying them.
    KvReply *singles = createWithSources(u"singles"_s, 1, {single, other});
    WAIT_OK(singles);
    QCOMPARE(singles->warnings(), QStringList());
    // One source is started before anything is dropped.
    KvReply *alone = createWithSources(u"alone"_s, 1, {first});
    WAIT_OK(alone);
    QCOMPARE(alone->warnings(), QStringList());
}

// A source added to a bucket that has already dropped its first revisions is started at the bucket's last
// write by 2.10+: none of the source's existing entries are copied (seen on 2.10.27 and 2.15.1, every time).
void tst_KvModernConfig::sourceAddedToBucketThatDroppedRevisions()
{
    KvBucket *source = bucketWithKeys(u"addsrc"_s, {u"e"_s});
    KvBucket *dropped = bucketWithKeys(u"dropped"_s, {u"x"_s, u"x"_s}); // history 1: revision 1 is gone
    KvBucket *whole = bucketWithKeys(u"whole"_s, {u"x"_s});
    QVERIFY(source && dropped && whole);
    JsStreamSource added;
    added.name = source->name();

    KvBucketConfig config;
    config.bucket = dropped->name();
    config.sources = {added};
    KvReply *edit = m_kv->updateBucket(config);
    WAIT_OK(edit);
    QCOMPARE(edit->status().streamInfo.config.sources.size(), 1);
    if (!modern()) {
        QCOMPARE(edit->warnings(), QStringList());
        return;
    }
    QCOMPARE(edit->warnings().size(), 1);
    const QString warning = edit->warnings().first();
    for (const QString &part :
         {u"bucket \"%1\""_s.arg(dropped->name()), u"\"%1\""_s.arg(source->name()), u"from now on"_s, u"no lag"_s})
        QVERIFY2(warning.contains(part), qPrintable(warning));

    // A bucket that still holds its first revision gets the source's entries: nothing to say.
    config.bucket = whole->name();
    KvReply *wholeEdit = m_kv->updateBucket(config);
    WAIT_OK(wholeEdit);
    QCOMPARE(wholeEdit->warnings(), QStringList());
    KvBucket *copy = m_kv->bucket(whole->name(), this);
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(copy, u"e"_s), "e"_ba, 10000);
    // An edit that keeps the sources it has adds none: nothing to say either.
    config.bucket = dropped->name();
    config.description = u"same sources"_s;
    KvReply *again = m_kv->updateBucket(config);
    WAIT_OK(again);
    QCOMPARE(again->warnings(), QStringList());
}

void tst_KvModernConfig::severalFiltersOneConsumer()
{
    KvBucket *bucket = bucketWithKeys(u"filters"_s, {u"a.1"_s, u"a.2"_s, u"b.1"_s, u"c.1"_s});
    QVERIFY(bucket);
    KvWatcher *watcher = nullptr;
    // "a.1" is covered by "a.*": it adds nothing.
    QCOMPARE(watchedKeys(bucket, {u"a.*"_s, u"b.*"_s, u"a.1"_s}, &watcher),
             (QStringList{u"a.1"_s, u"a.2"_s, u"b.1"_s}));
    // One consumer with filter_subjects on 2.10+; on 2.9, which ignores filter_subjects, one per filter.
    QCOMPARE(streamInfo(bucket->name()).state.consumerCount, modern() ? 1 : 2);
    // Live changes come through the same filters.
    QList<KvEntry> live;
    connect(watcher, &KvWatcher::entryReceived, this, [&live](const KvEntry &entry) { live.append(entry); });
    WAIT_OK(bucket->put(u"c.2"_s, "no"));
    WAIT_OK(bucket->put(u"b.2"_s, "yes"));
    QTRY_COMPARE(live.size(), 1);
    QCOMPARE(live.first().key, u"b.2"_s);
    delete watcher;

    KvReply *keys = bucket->keys({u"a.*"_s, u"c.*"_s});
    WAIT_OK(keys);
    QStringList listed = keys->keys();
    listed.sort();
    QCOMPARE(listed, (QStringList{u"a.1"_s, u"a.2"_s, u"c.1"_s, u"c.2"_s}));
}

void tst_KvModernConfig::overlappingFilters()
{
    // 2.10+ refuses overlapping filter_subjects (10138): one consumer per filter, each key once.
    KvBucket *bucket = bucketWithKeys(u"overlap"_s, {u"a.1"_s, u"a.2"_s, u"b.1"_s, u"c.2"_s});
    QVERIFY(bucket);
    KvWatcher *watcher = nullptr;
    QCOMPARE(watchedKeys(bucket, {u"a.*"_s, u"*.1"_s}, &watcher), (QStringList{u"a.1"_s, u"a.2"_s, u"b.1"_s}));
    QCOMPARE(streamInfo(bucket->name()).state.consumerCount, 2);
    delete watcher;
}

void tst_KvModernConfig::consumersThroughTheNewApi()
{
    KvBucket *bucket = bucketWithKeys(u"named"_s, {u"k"_s});
    QVERIFY(bucket);
    KvWatcher *watcher = nullptr;
    QCOMPARE(watchedKeys(bucket, {u"k"_s}, &watcher), QStringList{u"k"_s});
    const QStringList names = consumerNames(bucket->name());
    QCOMPARE(names.size(), 1);
    // 2.10+: a name of our own through CONSUMER.CREATE.<stream>.<name>.<filter> with action "create";
    // 2.9: the legacy endpoint, which names it itself.
    QCOMPARE(names.first().startsWith(u"kvdesk_"_s), modern());
    delete watcher;
    QTRY_VERIFY_WITH_TIMEOUT(consumerNames(bucket->name()).isEmpty(), 10000); // deleted when stopped
}

QTEST_GUILESS_MAIN(tst_KvModernConfig)

#include "tst_kvmodernconfig.moc"
