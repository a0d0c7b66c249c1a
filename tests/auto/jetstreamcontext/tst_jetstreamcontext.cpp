#include "jetstreamcontext.h"
#include "jsorderedconsumer.h"
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

namespace {

JsStreamConfig memoryStream(const QString &name, const QStringList &subjects)
{
    JsStreamConfig config;
    config.name = name;
    config.subjects = subjects;
    config.storage = u"memory"_s;
    return config;
}

// Everything an ordered consumer hands out, in order.
struct Received
{
    QList<quint64> streamSequences;
    QList<NatsMessage> messages;
    QStringList recoveries;
};

std::shared_ptr<Received> collect(JsOrderedConsumer *consumer)
{
    auto received = std::make_shared<Received>();
    QObject::connect(consumer, &JsOrderedConsumer::messageReceived, consumer,
                     [received](const NatsMessage &message, const JsDeliveryInfo &info) {
                         received->streamSequences.append(info.streamSequence);
                         received->messages.append(message);
                     });
    QObject::connect(consumer, &JsOrderedConsumer::recovering, consumer,
                     [received](quint64, const QString &reason) { received->recoveries.append(reason); });
    return received;
}

QList<quint64> range(quint64 first, quint64 last)
{
    QList<quint64> list;
    for (quint64 i = first; i <= last; ++i)
        list.append(i);
    return list;
}

} // namespace

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
    void publishAckAndExpectations();
    void publishDeduplicates();
    void publishWithoutStream();
    void pipelinedPublishes();
    void repliesOwnedByContext();

    void orderedConsumerDelivers();
    void orderedConsumerCaughtUpWhenEmpty();
    void orderedConsumerFlowControlBurst();
    void orderedConsumerHeartbeats();
    void orderedConsumerMissedHeartbeat();
    void orderedConsumerNewResumesWhereItStarted();
    void orderedConsumerGap();
    void orderedConsumerHeartbeatMismatch();
    void orderedConsumerReconnect();
    void orderedConsumerStreamDeleted();
    void orderedConsumerConnectionClosed();

private:
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    QByteArray uniqueSubject(const char *base) const { return QByteArray(base) + '.' + QByteArray::number(m_counter); }
    bool createStream(const JsStreamConfig &config);
    // Publishes with an ack and returns the stream sequence (0 on failure).
    quint64 publish(const QByteArray &subject, const QByteArray &data);
    JsOrderedConsumer *startConsumer(const QString &stream, const QByteArray &filter, int heartbeatMs);
    quint64 storedMessages(const QString &stream);
    NatsError::Code consumerInfoError(const QString &stream, const QString &consumer);

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
    JsApiReply *reply = m_js->createStream(config);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        return false;
    if (reply->error() != NatsError::NoError)
        qWarning() << "creating" << config.name << "failed:" << reply->errorString();
    return reply->error() == NatsError::NoError;
}

quint64 tst_JetStreamContext::publish(const QByteArray &subject, const QByteArray &data)
{
    JsApiReply *reply = m_js->publish(NatsMessage(subject, data));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000) || reply->error() != NatsError::NoError)
        return 0;
    return reply->pubAck().sequence;
}

JsOrderedConsumer *tst_JetStreamContext::startConsumer(const QString &stream, const QByteArray &filter, int heartbeatMs)
{
    JsOrderedConsumerConfig config;
    config.stream = stream;
    config.filterSubject = filter;
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::All;
    config.idleHeartbeatMs = heartbeatMs;
    return m_js->orderedConsumer(config);
}

quint64 tst_JetStreamContext::storedMessages(const QString &stream)
{
    JsApiReply *info = m_js->streamInfo(stream);
    const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 5000);
    const quint64 messages = answered ? info->streamInfo().state.messages : 0;
    info->deleteLater();
    return messages;
}

NatsError::Code tst_JetStreamContext::consumerInfoError(const QString &stream, const QString &consumer)
{
    JsApiReply *info = m_js->request("CONSUMER.INFO." + stream.toUtf8() + '.' + consumer.toUtf8());
    const bool answered = QTest::qWaitFor([info] { return info->isFinished(); }, 5000);
    const NatsError::Code code = answered ? info->error() : NatsError::Timeout;
    info->deleteLater();
    return code;
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

    // A domain nobody serves: nothing answers, reported at once.
    JetStreamContext elsewhere(&connection);
    elsewhere.setDomain(u"elsewhere"_s);
    WAIT_ERROR(elsewhere.accountInfo(), NatsError::JetStreamNotEnabled);
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

void tst_JetStreamContext::publishAckAndExpectations()
{
    const QString name = unique(u"PX"_s);
    const QByteArray subject = uniqueSubject("px");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    const QByteArray a = subject + ".a";

    JsApiReply *plain = m_js->publish(NatsMessage(a, "1"));
    WAIT_OK(plain);
    QCOMPARE(plain->pubAck().stream, name);
    QCOMPARE(plain->pubAck().sequence, 1u);
    QVERIFY(!plain->pubAck().duplicate);
    QVERIFY(plain->pubAck().domain.isEmpty());

    JsPublishOptions expectOne;
    expectOne.expectedLastSubjectSequence = 1;
    JsApiReply *good = m_js->publish(NatsMessage(a, "2"), expectOne);
    WAIT_OK(good);
    QCOMPARE(good->pubAck().sequence, 2u);

    JsApiReply *stale = m_js->publish(NatsMessage(a, "stale"), expectOne);
    WAIT_ERROR(stale, NatsError::WrongLastSequence);
    QCOMPARE(stale->errorInfo().jsErrorCode(), 10071);
    QVERIFY2(stale->errorString().contains(u"wrong last sequence: 2"_s), qPrintable(stale->errorString()));
    JsMessageGetRequest last;
    last.lastBySubject = a;
    JsApiReply *stored = m_js->getMessage(name, last);
    WAIT_OK(stored);
    QCOMPARE(stored->storedMessage().data, "2"_ba); // the refused message changed nothing

    JsPublishOptions none; // 0: the subject must have no message yet
    none.expectedLastSubjectSequence = 0;
    WAIT_OK(m_js->publish(NatsMessage(subject + ".fresh", "f"), none));
    WAIT_ERROR(m_js->publish(NatsMessage(subject + ".fresh", "f"), none), NatsError::WrongLastSequence);

    JsPublishOptions lastSequence;
    lastSequence.expectedLastSequence = 1;
    JsApiReply *wrongLast = m_js->publish(NatsMessage(a, "x"), lastSequence);
    WAIT_ERROR(wrongLast, NatsError::WrongLastSequence);
    lastSequence.expectedLastSequence = 3;
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), lastSequence));

    JsPublishOptions otherStream;
    otherStream.expectedStream = u"OTHER"_s;
    JsApiReply *wrongStream = m_js->publish(NatsMessage(a, "x"), otherStream);
    WAIT_ERROR(wrongStream, NatsError::JetStreamApiError);
    QCOMPARE(wrongStream->errorInfo().jsErrorCode(), 10060);
    otherStream.expectedStream = name;
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), otherStream));

    JsPublishOptions withId;
    withId.messageId = "id-1";
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), withId));
    JsPublishOptions lastId;
    lastId.expectedLastMessageId = "id-0";
    JsApiReply *wrongId = m_js->publish(NatsMessage(a, "x"), lastId);
    WAIT_ERROR(wrongId, NatsError::JetStreamApiError);
    QVERIFY(wrongId->errorInfo().jsErrorCode() != 0);
    lastId.expectedLastMessageId = "id-1";
    WAIT_OK(m_js->publish(NatsMessage(a, "x"), lastId));
}

void tst_JetStreamContext::publishDeduplicates()
{
    const QString name = unique(u"DD"_s);
    const QByteArray subject = uniqueSubject("dd");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsPublishOptions options;
    options.messageId = "order-17";
    JsApiReply *original = m_js->publish(NatsMessage(subject, "first"), options);
    WAIT_OK(original);
    QVERIFY(!original->pubAck().duplicate);
    JsApiReply *again = m_js->publish(NatsMessage(subject, "second"), options);
    WAIT_OK(again);
    QVERIFY(again->pubAck().duplicate);
    QCOMPARE(again->pubAck().sequence, original->pubAck().sequence);
    JsApiReply *info = m_js->streamInfo(name);
    WAIT_OK(info);
    QCOMPARE(info->streamInfo().state.messages, 1u);
}

void tst_JetStreamContext::publishWithoutStream()
{
    // No stream stores the subject: 503, retried twice 250 ms apart, then "no response from stream".
    QElapsedTimer clock;
    clock.start();
    JsApiReply *reply = m_js->publish(NatsMessage("no.stream.here", "x"));
    WAIT_ERROR(reply, NatsError::NoStreamResponse);
    QVERIFY(clock.elapsed() >= 450);
    QVERIFY(clock.elapsed() < 4000);
    QVERIFY2(reply->errorString().contains(u"no.stream.here"_s), qPrintable(reply->errorString()));
}

void tst_JetStreamContext::pipelinedPublishes()
{
    // Many publishes in flight at once; each ack must reach the publish it answers.
    constexpr int kMessages = 5000;
    const QString name = unique(u"PP"_s);
    const QByteArray subject = uniqueSubject("pp");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    QElapsedTimer clock;
    clock.start();
    QList<JsApiReply *> replies;
    replies.reserve(kMessages);
    for (int i = 0; i < kMessages; ++i)
        replies.append(m_js->publish(NatsMessage(subject, QByteArray::number(i))));
    QTRY_VERIFY_WITH_TIMEOUT(replies.last()->isFinished(), 30000);
    for (int i = 0; i < kMessages; ++i) {
        QTRY_VERIFY(replies[i]->isFinished());
        QVERIFY2(replies[i]->error() == NatsError::NoError, qPrintable(replies[i]->errorString()));
        // One connection keeps publish order, so the i-th publish is stored at sequence i + 1.
        QCOMPARE(replies[i]->pubAck().sequence, quint64(i + 1));
    }
    qInfo("%d pipelined publishes acknowledged in %lld ms", kMessages, clock.elapsed());
    qDeleteAll(replies);
    for (const quint64 sequence : {1ull, 2500ull, 5000ull}) {
        JsMessageGetRequest get;
        get.sequence = sequence;
        JsApiReply *message = m_js->getMessage(name, get);
        WAIT_OK(message);
        QCOMPARE(message->storedMessage().data, QByteArray::number(sequence - 1));
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

// ---- ordered push consumer ---------------------------------------------------------------------------

void tst_JetStreamContext::orderedConsumerDelivers()
{
    const QString name = unique(u"OC"_s);
    const QByteArray subject = uniqueSubject("oc");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    for (int i = 0; i < 5; ++i)
        QVERIFY(publish(subject + (i % 2 ? ".odd" : ".even"), QByteArray::number(i)) > 0);

    JsOrderedConsumer *consumer = startConsumer(name, subject + ".>", 5000);
    const auto received = collect(consumer);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    QCOMPARE(received->streamSequences, range(1, 5));
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Active);
    // Deliveries may come before the create reply; what it reports is known once it is in.
    QTRY_VERIFY(!consumer->consumerName().isEmpty());
    QCOMPARE(consumer->initialPending(), 5u);
    QCOMPARE(received->messages[3].data(), "3"_ba);
    QCOMPARE(received->messages[3].subject(), subject + ".odd");

    QVERIFY(publish(subject + ".live", "live") > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 6));
    QCOMPARE(caughtUp.size(), 1);
    QCOMPARE(consumer->resetCount(), 0);

    // Stopping deletes the consumer on the server.
    const QString consumerName = consumer->consumerName();
    consumer->stop();
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Stopped);
    QTRY_COMPARE(consumerInfoError(name, consumerName), NatsError::ConsumerNotFound);
    consumer->deleteLater();
}

void tst_JetStreamContext::orderedConsumerCaughtUpWhenEmpty()
{
    const QString name = unique(u"CE"_s);
    const QByteArray subject = uniqueSubject("ce");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject) + u".>"_s})));
    QVERIFY(publish(subject + ".x", "x") > 0);

    // Nothing matches the filter: caught up at once, from the create reply.
    JsOrderedConsumer *none = startConsumer(name, subject + ".nothing", 5000);
    QSignalSpy noneCaughtUp(none, &JsOrderedConsumer::caughtUp);
    QVERIFY(noneCaughtUp.wait());
    QVERIFY(!none->consumerName().isEmpty()); // only the create reply can say there is nothing
    QCOMPARE(none->initialPending(), 0u);

    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = subject + ".>";
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::New;
    JsOrderedConsumer *fresh = m_js->orderedConsumer(config);
    const auto received = collect(fresh);
    QSignalSpy freshCaughtUp(fresh, &JsOrderedConsumer::caughtUp);
    QVERIFY(freshCaughtUp.wait());
    QVERIFY(received->streamSequences.isEmpty());
    QVERIFY(publish(subject + ".y", "y") > 0);
    QTRY_COMPARE(received->streamSequences, QList<quint64>{2});
    delete none;
    delete fresh;
}

void tst_JetStreamContext::orderedConsumerFlowControlBurst()
{
    // 200 x 60 KB while the consumer watches: without flow-control replies delivery stalls after ~35.
    constexpr int kMessages = 200;
    const QString name = unique(u"FC"_s);
    const QByteArray subject = uniqueSubject("fc");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsOrderedConsumer *consumer = startConsumer(name, subject, 5000);
    const auto received = collect(consumer);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());

    QList<JsApiReply *> publishes;
    for (int i = 0; i < kMessages; ++i) {
        QByteArray payload(60 * 1024, char('a' + i % 26));
        payload.replace(0, 8, QByteArray::number(i).rightJustified(8, '0'));
        publishes.append(m_js->publish(NatsMessage(subject, payload)));
    }
    QTRY_COMPARE_WITH_TIMEOUT(received->streamSequences.size(), kMessages, 30000);
    QCOMPARE(received->streamSequences, range(1, kMessages));
    for (int i = 0; i < kMessages; ++i) {
        QCOMPARE(received->messages[i].data().size(), 60 * 1024);
        QCOMPARE(received->messages[i].data().left(8).toInt(), i);
    }
    QVERIFY2(consumer->flowControlCount() > 0, "the server never asked for flow control");
    QCOMPARE(consumer->resetCount(), 0);
    for (JsApiReply *reply : std::as_const(publishes))
        WAIT_OK(reply);
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerHeartbeats()
{
    const QString name = unique(u"HB"_s);
    const QByteArray subject = uniqueSubject("hb");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsOrderedConsumer *consumer = startConsumer(name, subject, 300);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    // Idle: heartbeats keep coming, and keep the consumer from being taken for dead.
    QTRY_VERIFY_WITH_TIMEOUT(consumer->heartbeatCount() >= 4, 5000);
    QCOMPARE(consumer->resetCount(), 0);
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Active);
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerMissedHeartbeat()
{
    const QString name = unique(u"MH"_s);
    const QByteArray subject = uniqueSubject("mh");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    for (int i = 0; i < 3; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    JsOrderedConsumer *consumer = startConsumer(name, subject, 300);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 3));
    const QString firstName = consumer->consumerName();

    // Delete the consumer behind its back: a push consumer says nothing, its heartbeats just stop.
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    WAIT_OK(m_js->deleteConsumer(name, firstName));
    QVERIFY(recovered.wait(5000));
    QCOMPARE(received->recoveries.size(), 1);
    QVERIFY2(received->recoveries.first().contains(u"no heartbeat"_s), qPrintable(received->recoveries.first()));
    QVERIFY(consumer->consumerName() != firstName);

    for (int i = 3; i < 6; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 6));
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerNewResumesWhereItStarted()
{
    // Deliver "new", nothing delivered yet, consumer lost, a message stored meanwhile: re-created as
    // "new" it would skip that message; it must resume right after where it first started.
    const QString name = unique(u"NR"_s);
    const QByteArray subject = uniqueSubject("nr");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    QVERIFY(publish(subject, "old") > 0);
    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = subject;
    config.deliverPolicy = JsOrderedConsumerConfig::DeliverPolicy::New;
    config.idleHeartbeatMs = 300;
    JsOrderedConsumer *consumer = m_js->orderedConsumer(config);
    const auto received = collect(consumer);
    QTRY_VERIFY(!consumer->consumerName().isEmpty());
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    WAIT_OK(m_js->deleteConsumer(name, consumer->consumerName()));
    QCOMPARE(publish(subject, "while lost"), 2u);
    QVERIFY(recovered.wait(5000));
    QTRY_COMPARE(received->streamSequences, QList<quint64>{2});
    QVERIFY(publish(subject, "after") > 0);
    QTRY_COMPARE(received->streamSequences, (QList<quint64>{2, 3}));
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerGap()
{
    const QString name = unique(u"GP"_s);
    const QByteArray subject = uniqueSubject("gp");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    for (int i = 0; i < 5; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    JsOrderedConsumer *consumer = startConsumer(name, subject, 5000);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 5));

    // A delivery whose consumer sequence skips ahead (7 where 6 is due): a message went missing on the
    // way. The server refuses $JS.ACK reply subjects from clients, so the lost message is simulated
    // where the connection hands deliveries over: on the consumer's own subscription.
    NatsSubscription *subscription = nullptr;
    for (NatsSubscription *candidate : m_connection->findChildren<NatsSubscription *>()) {
        if (candidate->isActive() && candidate->subject() == consumer->deliverSubject())
            subscription = candidate;
    }
    QVERIFY(subscription);
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    const NatsMessage forged(subject, "forged",
                             "$JS.ACK." + name.toUtf8() + '.' + consumer->consumerName().toUtf8()
                                 + ".1.99.7.1700000000000000000.0");
    Q_EMIT subscription->messageReceived(forged);
    QVERIFY(recovered.wait());
    QCOMPARE(received->recoveries.size(), 1);
    QVERIFY2(received->recoveries.first().contains(u"gap"_s), qPrintable(received->recoveries.first()));

    // Re-created from stream sequence 6: nothing lost, nothing twice, the forgery never delivered.
    for (int i = 5; i < 10; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 10));
    for (const NatsMessage &message : std::as_const(received->messages))
        QVERIFY(message.data() != "forged");
    QCOMPARE(consumer->resetCount(), 1);
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerHeartbeatMismatch()
{
    const QString name = unique(u"HM"_s);
    const QByteArray subject = uniqueSubject("hm");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    for (int i = 0; i < 2; ++i)
        QVERIFY(publish(subject, QByteArray::number(i)) > 0);
    JsOrderedConsumer *consumer = startConsumer(name, subject, 5000);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 2));

    // A heartbeat saying the server delivered more than arrived here.
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    NatsMessage heartbeat(consumer->deliverSubject(), {});
    heartbeat.headers().setStatus(100, "Idle Heartbeat");
    heartbeat.headers().append("Nats-Last-Consumer", "9");
    heartbeat.headers().append("Nats-Last-Stream", "9");
    QVERIFY(!m_connection->publish(heartbeat).isError());
    QVERIFY(recovered.wait());
    QVERIFY2(received->recoveries.first().contains(u"heartbeat"_s), qPrintable(received->recoveries.first()));
    QVERIFY(publish(subject, "2") > 0);
    QTRY_COMPARE(received->streamSequences, range(1, 3));
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerReconnect()
{
    // The server restarts (file store kept, in-memory consumer lost): re-created after the reconnect.
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    NatsConnection connection;
    NatsConnectOptions options = NatsConnectOptions::fromUrl(server.url());
    options.reconnectWaitMs = 100;
    options.maxReconnectAttempts = -1;
    connection.connectToServer(options);
    QTRY_VERIFY(connection.isConnected());
    JetStreamContext js(&connection);
    JsStreamConfig config;
    config.name = u"RC"_s;
    config.subjects = {u"rc"_s};
    WAIT_OK(js.createStream(config));
    for (int i = 0; i < 3; ++i)
        WAIT_OK(js.publish(NatsMessage("rc", QByteArray::number(i))));

    JsOrderedConsumerConfig consumerConfig;
    consumerConfig.stream = u"RC"_s;
    consumerConfig.filterSubject = "rc";
    consumerConfig.idleHeartbeatMs = 1000;
    JsOrderedConsumer *consumer = js.orderedConsumer(consumerConfig);
    const auto received = collect(consumer);
    QTRY_COMPARE(received->streamSequences, range(1, 3));

    QSignalSpy reconnected(&connection, &NatsConnection::reconnected);
    QSignalSpy recovered(consumer, &JsOrderedConsumer::recovered);
    QVERIFY(server.kill());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(reconnected.wait(10000));
    QVERIFY(recovered.wait(10000));
    QVERIFY2(received->recoveries.first().contains(u"reconnect"_s), qPrintable(received->recoveries.first()));

    for (int i = 3; i < 6; ++i)
        WAIT_OK(js.publish(NatsMessage("rc", QByteArray::number(i))));
    QTRY_COMPARE(received->streamSequences, range(1, 6));
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerStreamDeleted()
{
    const QString name = unique(u"SD"_s);
    const QByteArray subject = uniqueSubject("sd");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    JsOrderedConsumer *consumer = startConsumer(name, subject, 300);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    // The stream goes: heartbeats stop, the re-create finds no stream, and that is final.
    QSignalSpy failed(consumer, &JsOrderedConsumer::errorOccurred);
    WAIT_OK(m_js->deleteStream(name));
    QVERIFY(failed.wait(5000));
    QCOMPARE(failed.first().first().value<NatsError::Code>(), NatsError::StreamNotFound);
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Failed);
    delete consumer;
}

void tst_JetStreamContext::orderedConsumerConnectionClosed()
{
    const QString name = unique(u"CC"_s);
    const QByteArray subject = uniqueSubject("cc");
    QVERIFY(createStream(memoryStream(name, {QString::fromUtf8(subject)})));
    NatsConnection connection;
    connection.connectToServer(NatsConnectOptions::fromUrl(m_server.url()));
    QTRY_VERIFY(connection.isConnected());
    JetStreamContext js(&connection);
    JsOrderedConsumerConfig config;
    config.stream = name;
    config.filterSubject = subject;
    JsOrderedConsumer *consumer = js.orderedConsumer(config);
    QSignalSpy caughtUp(consumer, &JsOrderedConsumer::caughtUp);
    QVERIFY(caughtUp.wait());
    // Closed for good: the consumer says so instead of retrying forever.
    QSignalSpy failed(consumer, &JsOrderedConsumer::errorOccurred);
    connection.close();
    QCOMPARE(failed.size(), 1);
    QCOMPARE(consumer->error(), NatsError::ConnectionClosed);
    QCOMPARE(consumer->state(), JsOrderedConsumer::State::Failed);
    delete consumer;
}

QTEST_GUILESS_MAIN(tst_JetStreamContext)

#include "tst_jetstreamcontext.moc"
