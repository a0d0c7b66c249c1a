#include "jetstreamcontext.h"
#include "jstestsupport.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

// JetStream's API over a real nats-server: account info, streams (lifecycle, purge, paging), message
// gets, the domain and API prefix, replies' ownership. Publishing is tst_jetstreampublish's, ordered
// consumers tst_jsorderedconsumer's.

using JsTest::memoryStream;

class tst_JetStreamContext final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    void accountInfo();
    void jetStreamNotEnabled();
    void apiErrorsKeepServerCodes();
    void domainAndApiPrefix();
    void streamLifecycle();
    void purgeOptions();
    void streamInfoSubjectPaging();
    void streamNamesAndListPaging();
    void messageGetAndDirectGet();
    void directGetNeedsAllowDirect();
    void repliesOwnedByContext();

private:
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    QByteArray uniqueSubject(const char *base) const { return QByteArray(base) + '.' + QByteArray::number(m_counter); }
    bool createStream(const JsStreamConfig &config);
    // Publishes with an ack and returns the stream sequence (0 on failure).
    quint64 publish(const QByteArray &subject, const QByteArray &data);
    quint64 storedMessages(const QString &stream);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    int m_counter = 0;
};
void tst_JetStreamContext::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js));
}

void tst_JetStreamContext::init()
{
    ++m_counter;
}

bool tst_JetStreamContext::createStream(const JsStreamConfig &config)
{
    return JsTest::createStream(m_js, config);
}

quint64 tst_JetStreamContext::publish(const QByteArray &subject, const QByteArray &data)
{
    return JsTest::publish(m_js, subject, data);
}

quint64 tst_JetStreamContext::storedMessages(const QString &stream)
{
    JsApiReply *info = m_js->streamInfo(stream);
    const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 5000);
    const quint64 messages = answered ? info->streamInfo().state.messages : 0;
    info->deleteLater();
    return messages;
}

// ---- API requests ------------------------------------------------------------------------------------

void tst_JetStreamContext::accountInfo()
{
    JsApiReply *before = m_js->accountInfo();
    WAIT_OK(before);
    const JsAccountInfo first = before->accountInfo();
    QCOMPARE(first.limits.maxStreams, -1);
    QCOMPARE(first.limits.maxMemory, -1);
    QVERIFY(first.domain.isEmpty());
    QCOMPARE(before->response().value("type"_L1).toString(), u"io.nats.jetstream.api.v1.account_info_response"_s);

    QVERIFY(createStream(memoryStream(unique(u"ACC"_s), {QString::fromUtf8(uniqueSubject("acc"))})));
    QVERIFY(publish(uniqueSubject("acc"), "payload") > 0);
    JsApiReply *after = m_js->accountInfo();
    WAIT_OK(after);
    QCOMPARE(after->accountInfo().streams, first.streams + 1);
    QVERIFY(after->accountInfo().memory > first.memory);
    QVERIFY(after->accountInfo().apiTotal > first.apiTotal);
}

void tst_JetStreamContext::jetStreamNotEnabled()
{
    NatsServerProcess plain;
    NatsServerProcess::Options options;
    options.jetStream = false;
    QVERIFY2(plain.start(options), qPrintable(plain.errorString()));
    NatsConnection connection;
    connection.connectToServer(NatsConnectOptions::fromUrl(plain.url()));
    QTRY_VERIFY(connection.isConnected());
    JetStreamContext js(&connection);
    js.setTimeout(4000);

    // The server answers "503 no responders" at once: that must read as "JetStream not enabled", and
    // arrive well before the request timeout.
    QElapsedTimer clock;
    clock.start();
    JsApiReply *info = js.accountInfo();
    WAIT_ERROR(info, NatsError::JetStreamNotEnabled);
    QVERIFY2(clock.elapsed() < 2000, qPrintable(u"took %1 ms"_s.arg(clock.elapsed())));
    QVERIFY2(info->errorString().contains(u"JetStream not enabled"_s), qPrintable(info->errorString()));

    WAIT_ERROR(js.streamNames(), NatsError::JetStreamNotEnabled);

    KvContext kv(&js);
    KvBucketConfig config;
    config.bucket = u"nojs"_s;
    KvReply *create = kv.createBucket(config);
    WAIT_ERROR(create, NatsError::JetStreamNotEnabled);
    QVERIFY2(clock.elapsed() < 3000, qPrintable(u"took %1 ms"_s.arg(clock.elapsed())));
}

void tst_JetStreamContext::apiErrorsKeepServerCodes()
{
    JsApiReply *missing = m_js->streamInfo(u"MISSING_STREAM"_s);
    WAIT_ERROR(missing, NatsError::StreamNotFound);
    QCOMPARE(missing->errorInfo().jsErrorCode(), 10059);
    QVERIFY2(missing->errorString().contains(u"stream not found"_s), qPrintable(missing->errorString()));

    const QString name = unique(u"ERR"_s);
    JsStreamConfig config = memoryStream(name, {u"err.%1.>"_s.arg(m_counter)});
    QVERIFY(createStream(config));

    // Overlapping subjects: an error without its own enum value keeps code and description.
    JsApiReply *overlap = m_js->createStream(memoryStream(name + u"_B"_s, {u"err.%1.a"_s.arg(m_counter)}));
    WAIT_ERROR(overlap, NatsError::JetStreamApiError);
    QCOMPARE(overlap->errorInfo().jsErrorCode(), 10065);
    QVERIFY2(overlap->errorString().contains(u"subjects overlap"_s), qPrintable(overlap->errorString()));

    config.description = u"changed"_s;
    JsApiReply *inUse = m_js->createStream(config);
    WAIT_ERROR(inUse, NatsError::StreamNameInUse);
    QCOMPARE(inUse->errorInfo().jsErrorCode(), 10058);

    JsApiReply *mismatch = m_js->request("STREAM.CREATE.NAME_A", QJsonObject{{"name"_L1, "NAME_B"_L1}});
    WAIT_ERROR(mismatch, NatsError::JetStreamApiError);
    QCOMPARE(mismatch->errorInfo().jsErrorCode(), 10056);

    JsApiReply *noConsumer = m_js->deleteConsumer(name, u"nobody"_s);
    WAIT_ERROR(noConsumer, NatsError::ConsumerNotFound);
    QCOMPARE(noConsumer->errorInfo().jsErrorCode(), 10014);

    JsMessageGetRequest get;
    get.sequence = 42;
    JsApiReply *noMessage = m_js->getMessage(name, get);
    WAIT_ERROR(noMessage, NatsError::MessageNotFound);
    QCOMPARE(noMessage->errorInfo().jsErrorCode(), 10037);
}

void tst_JetStreamContext::domainAndApiPrefix()
{
    NatsServerProcess hub;
    NatsServerProcess::Options options;
    options.config = "jetstream { domain: hub }\n";
    QVERIFY2(hub.start(options), qPrintable(hub.errorString()));
    NatsConnection connection;
    connection.connectToServer(NatsConnectOptions::fromUrl(hub.url()));
    QTRY_VERIFY(connection.isConnected());

    JetStreamContext js(&connection);
    js.setDomain(u"hub"_s);
    QCOMPARE(js.apiPrefix(), "$JS.hub.API."_ba);
    JsApiReply *info = js.accountInfo();
    WAIT_OK(info);
    QCOMPARE(info->accountInfo().domain, u"hub"_s);

    // Key/Value entirely through the domain's API prefix.
    KvContext kv(&js);
    KvBucketConfig config;
    config.bucket = u"D"_s;
    config.history = 3;
    WAIT_OK(kv.createBucket(config));
    KvBucket *bucket = kv.bucket(u"D"_s);
    KvReply *put = bucket->put(u"k"_s, "v1");
    WAIT_OK(put);
    QCOMPARE(put->revision(), 1u);
    KvReply *update = bucket->update(u"k"_s, "v2", 1);
    WAIT_OK(update);
    KvReply *get = bucket->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "v2"_ba);
    QCOMPARE(get->entry().revision, 2u);
    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    QCOMPARE(keys->keys(), QStringList{u"k"_s});
    KvWatcher *watcher = bucket->watchAll();
    QSignalSpy entries(watcher, &KvWatcher::entryReceived);
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(initial.wait());
    WAIT_OK(bucket->put(u"k2"_s, "v3"));
    QTRY_COMPARE(entries.size(), 2);
    QCOMPARE(entries.last().first().value<KvEntry>().key, u"k2"_s);
    KvReply *names = kv.bucketNames();
    WAIT_OK(names);
    QCOMPARE(names->bucketNames(), QStringList{u"D"_s});

    // Acks name the domain.
    JsApiReply *ack = js.publish(NatsMessage("$KV.D.k3", "x"));
    WAIT_OK(ack);
    QCOMPARE(ack->pubAck().domain, u"hub"_s);
    QCOMPARE(ack->pubAck().stream, u"KV_D"_s);

    // A custom prefix (a trailing dot is added) reaches the same API.
    JetStreamContext custom(&connection);
    custom.setApiPrefix(u"$JS.hub.API"_s);
    QCOMPARE(custom.apiPrefix(), "$JS.hub.API."_ba);
    JsApiReply *customInfo = custom.streamInfo(u"KV_D"_s);
    WAIT_OK(customInfo);
    QCOMPARE(customInfo->streamInfo().state.messages, 4u);

    // A domain nobody serves: nothing answers, reported at once, and the message points at the domain
    // (the server does run JetStream), not at -js.
    JetStreamContext elsewhere(&connection);
    elsewhere.setDomain(u"elsewhere"_s);
    JsApiReply *wrongDomain = elsewhere.accountInfo();
    WAIT_ERROR(wrongDomain, NatsError::JetStreamNotEnabled);
    QVERIFY2(wrongDomain->errorString().contains(u"no JetStream answered in domain \"elsewhere\""_s),
             qPrintable(wrongDomain->errorString()));
    QVERIFY2(!wrongDomain->errorString().contains(u"-js"_s), qPrintable(wrongDomain->errorString()));
    JetStreamContext nowhere(&connection);
    nowhere.setApiPrefix(u"$JS.nowhere.API"_s);
    JsApiReply *wrongPrefix = nowhere.accountInfo();
    WAIT_ERROR(wrongPrefix, NatsError::JetStreamNotEnabled);
    QVERIFY2(wrongPrefix->errorString().contains(u"API prefix \"$JS.nowhere.API.\""_s),
             qPrintable(wrongPrefix->errorString()));
    elsewhere.setDomain({});
    QCOMPARE(elsewhere.apiPrefix(), "$JS.API."_ba);
    WAIT_OK(elsewhere.accountInfo());
}

void tst_JetStreamContext::streamLifecycle()
{
    const QString name = unique(u"LC"_s);
    const QByteArray subject = uniqueSubject("lc");
    JsStreamConfig config = memoryStream(name, {QString::fromUtf8(subject) + u".>"_s});
    config.description = u"first"_s;
    JsApiReply *create = m_js->createStream(config);
    WAIT_OK(create);
    QCOMPARE(create->streamInfo().config.name, name);
    QCOMPARE(create->streamInfo().config.description, u"first"_s);
    QCOMPARE(create->streamInfo().config.storage, u"memory"_s);
    QVERIFY(create->streamInfo().created.isValid());
    QVERIFY(create->response().value("did_create"_L1).toBool());
    // The same config again is fine (idempotent).
    WAIT_OK(m_js->createStream(config));

    for (const char *token : {"a", "b", "a"})
        QVERIFY(publish(subject + '.' + token, token) > 0);
    JsApiReply *info = m_js->streamInfo(name);
    WAIT_OK(info);
    QCOMPARE(info->streamInfo().state.messages, 3u);
    QCOMPARE(info->streamInfo().state.firstSequence, 1u);
    QCOMPARE(info->streamInfo().state.lastSequence, 3u);
    QCOMPARE(info->streamInfo().state.numSubjects, 2u);
    QVERIFY(info->streamInfo().state.lastTime.isValid());
    QVERIFY(info->streamInfo().state.subjects.isEmpty()); // only when asked for

    config.description = u"second"_s;
    config.maxMsgs = 2;
    JsApiReply *update = m_js->updateStream(config);
    WAIT_OK(update);
    QCOMPARE(update->streamInfo().config.description, u"second"_s);
    QCOMPARE(update->streamInfo().config.maxMsgs, 2);
    QCOMPARE(update->streamInfo().state.messages, 2u);

    JsStreamConfig missing = memoryStream(name + u"_missing"_s, {u"nothing.here"_s});
    WAIT_ERROR(m_js->updateStream(missing), NatsError::StreamNotFound);

    JsApiReply *purge = m_js->purgeStream(name);
    WAIT_OK(purge);
    QCOMPARE(purge->response().value("purged"_L1).toInteger(), 2);
    JsApiReply *empty = m_js->streamInfo(name);
    WAIT_OK(empty);
    QCOMPARE(empty->streamInfo().state.messages, 0u);

    JsApiReply *remove = m_js->deleteStream(name);
    WAIT_OK(remove);
    QVERIFY(remove->response().value("success"_L1).toBool());
    WAIT_ERROR(m_js->streamInfo(name), NatsError::StreamNotFound);
    WAIT_ERROR(m_js->deleteStream(name), NatsError::StreamNotFound);
}

void tst_JetStreamContext::purgeOptions()
{
    const QString name = unique(u"PU"_s);
    const QByteArray subject = uniqueSubject("pu");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    for (const char *token : {"a", "a", "a", "b", "b", "c"}) // seqs 1-6
        QVERIFY(publish(subject + '.' + token, token) > 0);

    JsPurgeRequest keep;
    keep.filter = subject + ".a";
    keep.keep = 1;
    JsApiReply *keptOne = m_js->purgeStream(name, keep);
    WAIT_OK(keptOne);
    QCOMPARE(keptOne->response().value("purged"_L1).toInteger(), 2);

    JsPurgeRequest upTo; // everything below sequence 5 on subject b
    upTo.filter = subject + ".b";
    upTo.upToSequence = 5;
    JsApiReply *below = m_js->purgeStream(name, upTo);
    WAIT_OK(below);
    QCOMPARE(below->response().value("purged"_L1).toInteger(), 1);

    JsApiReply *info = m_js->streamInfo(name, QString::fromUtf8(subject) + u".>"_s);
    WAIT_OK(info);
    const QHash<QString, quint64> subjects = info->streamInfo().state.subjects;
    QCOMPARE(subjects.value(QString::fromUtf8(subject + ".a")), 1u);
    QCOMPARE(subjects.value(QString::fromUtf8(subject + ".b")), 1u);
    QCOMPARE(subjects.value(QString::fromUtf8(subject + ".c")), 1u);
    QCOMPARE(info->streamInfo().state.messages, 3u);
}

void tst_JetStreamContext::streamInfoSubjectPaging()
{
    // nats-server 2.9 sends at most 100,000 subject details per STREAM.INFO page: go past that.
    constexpr int kSubjects = 100005;
    const QString name = unique(u"SP"_s);
    const QByteArray subject = uniqueSubject("sp");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    for (int i = 0; i < kSubjects; ++i)
        QVERIFY(!m_connection->publish(subject + '.' + QByteArray::number(i), {}).isError());
    QVERIFY(QTest::qWaitFor([&] { return storedMessages(name) == quint64(kSubjects); }, 30000));

    JsApiReply *all = m_js->streamInfo(name, u">"_s);
    WAIT_OK(all);
    const JsStreamInfo info = all->streamInfo();
    QCOMPARE(info.state.numSubjects, quint64(kSubjects));
    QCOMPARE(info.state.subjects.size(), kSubjects);
    QCOMPARE(all->response().value("limit"_L1).toInteger(), 100000); // so there were two pages
    for (const int i : {0, 1, 99999, 100000, kSubjects - 1})
        QCOMPARE(info.state.subjects.value(QString::fromUtf8(subject + '.' + QByteArray::number(i))), 1u);

    JsApiReply *one = m_js->streamInfo(name, QString::fromUtf8(subject) + u".77"_s);
    WAIT_OK(one);
    QCOMPARE(one->streamInfo().state.subjects.size(), 1);
    WAIT_OK(m_js->deleteStream(name));
}

void tst_JetStreamContext::streamNamesAndListPaging()
{
    // STREAM.LIST pages hold 256 stream infos and STREAM.NAMES 1,024 names: 260 streams need two LIST pages.
    constexpr int kStreams = 260;
    const QString prefix = unique(u"PG"_s) + u'_';
    QList<JsApiReply *> creates;
    for (int i = 0; i < kStreams; ++i)
        creates.append(
            m_js->createStream(memoryStream(prefix + QString::number(i), {u"pg.%1.%2"_s.arg(m_counter).arg(i)})));
    for (JsApiReply *create : std::as_const(creates))
        WAIT_OK(create);

    JsApiReply *names = m_js->streamNames();
    WAIT_OK(names);
    QSet<QString> found;
    for (const QString &stream : names->streamNames()) {
        if (stream.startsWith(prefix))
            found.insert(stream);
    }
    QCOMPARE(found.size(), kStreams);

    JsApiReply *list = m_js->listStreams();
    WAIT_OK(list);
    QVERIFY(list->streams().size() > 256);
    int listed = 0;
    for (const JsStreamInfo &info : list->streams()) {
        if (!info.config.name.startsWith(prefix))
            continue;
        ++listed;
        const QString index = info.config.name.mid(prefix.size());
        QCOMPARE(info.config.subjects, QStringList{u"pg.%1.%2"_s.arg(m_counter).arg(index)});
        QCOMPARE(info.config.storage, u"memory"_s);
    }
    QCOMPARE(listed, kStreams);

    const QString filter = u"pg.%1.17"_s.arg(m_counter);
    JsApiReply *filteredNames = m_js->streamNames(filter);
    WAIT_OK(filteredNames);
    QCOMPARE(filteredNames->streamNames(), QStringList{prefix + u"17"_s});
    JsApiReply *filteredList = m_js->listStreams(filter);
    WAIT_OK(filteredList);
    QCOMPARE(filteredList->streams().size(), 1);
    QCOMPARE(filteredList->streams().first().config.name, prefix + u"17"_s);

    QList<JsApiReply *> deletes;
    for (int i = 0; i < kStreams; ++i)
        deletes.append(m_js->deleteStream(prefix + QString::number(i)));
    for (JsApiReply *remove : std::as_const(deletes))
        WAIT_OK(remove);
}

void tst_JetStreamContext::messageGetAndDirectGet()
{
    const QString name = unique(u"MG"_s);
    const QByteArray subject = uniqueSubject("mg");
    JsStreamConfig config = memoryStream(name, {QString::fromUtf8(subject) + u".>"_s});
    config.allowDirect = true;
    QVERIFY(createStream(config));
    NatsMessage first(subject + ".a", "a1");
    first.headers().append("X-Test", "one");
    WAIT_OK(m_js->publish(first));
    QCOMPARE(publish(subject + ".b", "b1"), 2u);
    QCOMPARE(publish(subject + ".a", "a2"), 3u);

    using Getter = JsApiReply *(JetStreamContext::*)(const QString &, const JsMessageGetRequest &);
    for (const Getter getter : {Getter(&JetStreamContext::getMessage), Getter(&JetStreamContext::directGet)}) {
        JsMessageGetRequest bySequence;
        bySequence.sequence = 1;
        JsApiReply *one = (m_js->*getter)(name, bySequence);
        WAIT_OK(one);
        QCOMPARE(one->storedMessage().subject, subject + ".a");
        QCOMPARE(one->storedMessage().sequence, 1u);
        QCOMPARE(one->storedMessage().data, "a1"_ba);
        QCOMPARE(one->storedMessage().headers.value("X-Test"), "one"_ba);
        QVERIFY(!one->storedMessage().headers.contains("Nats-Sequence")); // our own headers only
        QVERIFY(one->storedMessage().time.isValid());
        QVERIFY(qAbs(one->storedMessage().time.secsTo(QDateTime::currentDateTimeUtc())) < 60);

        JsMessageGetRequest last;
        last.lastBySubject = subject + ".a";
        JsApiReply *latest = (m_js->*getter)(name, last);
        WAIT_OK(latest);
        QCOMPARE(latest->storedMessage().sequence, 3u);
        QCOMPARE(latest->storedMessage().data, "a2"_ba);

        JsMessageGetRequest next;
        next.sequence = 2;
        next.nextBySubject = subject + ".a";
        JsApiReply *following = (m_js->*getter)(name, next);
        WAIT_OK(following);
        QCOMPARE(following->storedMessage().sequence, 3u);

        JsMessageGetRequest beyond;
        beyond.sequence = 99;
        WAIT_ERROR((m_js->*getter)(name, beyond), NatsError::MessageNotFound);
        JsMessageGetRequest noSubject;
        noSubject.lastBySubject = subject + ".zzz";
        WAIT_ERROR((m_js->*getter)(name, noSubject), NatsError::MessageNotFound);
    }
}

void tst_JetStreamContext::directGetNeedsAllowDirect()
{
    // Without allow_direct nobody serves DIRECT.GET. 2.9 does not answer at all (a timeout); 2.10+
    // answers a 503 at once (nats-modern.md §8.2), which means "no such stream or no direct gets", not
    // "JetStream is off". Either way the error says what to check.
    const QString name = unique(u"ND"_s);
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(uniqueSubject("nd"))})));
    QVERIFY(publish(uniqueSubject("nd"), "x") > 0);
    const bool answers503 = m_connection->serverInfo().versionAtLeast(2, 10, 0);
    JetStreamContext js(m_connection);
    js.setTimeout(answers503 ? 5000 : 300);
    JsMessageGetRequest get;
    get.sequence = 1;
    for (const QString &stream : {name, unique(u"NOSUCH"_s)}) {
        JsApiReply *direct = js.directGet(stream, get);
        WAIT_ERROR(direct, answers503 ? NatsError::DirectGetUnavailable : NatsError::Timeout);
        QVERIFY2(direct->errorString().contains(u"direct"_s), qPrintable(direct->errorString()));
    }
}

void tst_JetStreamContext::repliesOwnedByContext()
{
    // Replies are owned by the context through shelves of 256 (Qt removes a child from a long children
    // list in linear time): a thousand in flight add four children, deleting them in any order leaves
    // only the current shelf, and deleting the context takes unfinished replies along.
    auto *js = new JetStreamContext(m_connection);
    const qsizetype baseline = js->children().size();
    QList<JsApiReply *> replies;
    for (int i = 0; i < 1000; ++i)
        replies.append(js->accountInfo());
    QCOMPARE(js->children().size(), baseline + (1000 + NatsHandleShelf::Capacity - 1) / NatsHandleShelf::Capacity);
    for (JsApiReply *reply : std::as_const(replies)) {
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->error(), NatsError::NoError);
    }
    for (qsizetype i = replies.size() - 1; i >= 0; --i)
        delete replies[i];
    QTRY_COMPARE(js->children().size(), baseline + 1);

    const QPointer<JsApiReply> pending = js->accountInfo();
    delete js;
    QVERIFY(pending.isNull());
}

QTEST_GUILESS_MAIN(tst_JetStreamContext)

#include "tst_jetstreamcontext.moc"
