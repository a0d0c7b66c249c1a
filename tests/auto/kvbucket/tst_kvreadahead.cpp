#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natssubscription.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// A get made on a bucket handle that has not bound yet is sent at once, beside the bucket's STREAM.INFO,
// as the direct get almost every bucket serves, instead of a round trip after the binding. The binding
// then decides: the read is kept only when it was the very request the bound bucket sends, and otherwise
// given up for the right one. These tests are the cases where it is not (a mirror, a bucket without direct
// gets, no bucket at all, a write asked for first) against a real nats-server, and a wire tap that shows
// the read really went ahead.
class tst_KvReadAhead final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void getGoesBeforeTheBindingIsAnswered();
    void getByRevisionGoesAheadToo();
    void mirrorIsReadThroughTheOriginsSubjects();
    void bucketWithoutDirectGetsIsReadWithoutWaiting();
    void missingBucketFailsWithoutWaiting();
    void writeAskedForFirstGoesFirst();

private:
    // What a tap on the server saw, in order: "info?" / "get?" for the STREAM.INFO and DIRECT.GET requests
    // of the bucket's stream, "info!" / "get!" for their answers (told apart by what they carry), "put"
    // for a write to one of its keys.
    class WireTap;
    QString fillBucket(const QString &name, const QList<std::pair<QString, QByteArray>> &values);
    // A handle that has not bound yet, as a program that starts with a get has.
    KvBucket *freshHandle(const QString &bucket) { return m_kv->bucket(bucket, this); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

class tst_KvReadAhead::WireTap
{
public:
    WireTap(NatsConnection *connection, const QString &bucket)
        : m_stream("KV_" + bucket.toUtf8())
        , m_writeSubject("$KV." + bucket.toUtf8() + '.')
        , m_infoSubject("$JS.API.STREAM.INFO." + m_stream)
        , m_getSubject("$JS.API.DIRECT.GET." + m_stream)
        , m_nameField("\"name\":\"" + m_stream + '"')
    {
        // Replies go to the client's inboxes; a second subscriber sees them in the order the server sends.
        for (const QByteArray &subject : QByteArrayList{"$JS.API.>"_ba, "_INBOX.>"_ba, m_writeSubject + ">"}) {
            NatsSubscription *subscription = connection->subscribe(subject);
            QObject::connect(subscription, &NatsSubscription::messageReceived, subscription,
                             [this](const NatsMessage &message) { record(message); });
            m_subscriptions.append(subscription);
        }
        NatsReply *flushed = connection->flush(); // subscribed on the server before the test goes on
        QSignalSpy done(flushed, &NatsReply::finished);
        QVERIFY(done.wait());
    }
    ~WireTap()
    {
        for (NatsSubscription *subscription : std::as_const(m_subscriptions))
            subscription->unsubscribe();
    }
    QStringList seen() const { return m_seen; }

private:
    void record(const NatsMessage &message)
    {
        const QByteArray subject = message.subject();
        if (subject == m_infoSubject)
            m_seen.append(u"info?"_s);
        else if (subject.startsWith(m_getSubject))
            m_seen.append(u"get?"_s);
        else if (subject.startsWith(m_writeSubject))
            m_seen.append(u"put"_s);
        else if (!subject.startsWith("_INBOX."))
            return;
        else if (message.data().contains(m_nameField))
            m_seen.append(u"info!"_s);
        else if (message.headers().value("Nats-Stream") == m_stream || message.status() == 404)
            m_seen.append(u"get!"_s);
    }

    QByteArray m_stream;
    QByteArray m_writeSubject;
    QByteArray m_infoSubject;
    QByteArray m_getSubject;
    QByteArray m_nameField;
    QList<NatsSubscription *> m_subscriptions;
    QStringList m_seen;
};

void tst_KvReadAhead::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvReadAhead::init()
{
    ++m_counter;
}

QString tst_KvReadAhead::fillBucket(const QString &name, const QList<std::pair<QString, QByteArray>> &values)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = 5;
    if (!KvTest::createBucket(m_kv, config))
        return {};
    KvBucket *writer = m_kv->bucket(config.bucket, this);
    for (const auto &[key, value] : values) {
        KvReply *put = writer->put(key, value);
        QSignalSpy done(put, &NatsReply::finished);
        if (!done.wait(KvTest::ReplyTimeoutMs) || put->error() != NatsError::NoError)
            return {};
    }
    return config.bucket;
}

void tst_KvReadAhead::getGoesBeforeTheBindingIsAnswered()
{
    const QString bucket = fillBucket(u"ahead"_s, {{u"k"_s, "first"}, {u"k"_s, "second"}});
    QVERIFY(!bucket.isEmpty());
    WireTap tap(m_connection, bucket);
    KvBucket *reader = freshHandle(bucket);
    KvReply *get = reader->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "second"_ba);
    QCOMPARE(get->entry().revision, 2u);
    QVERIFY(reader->isBound());
    // The get was on the wire before the STREAM.INFO's answer came back, and it was not asked twice.
    QTRY_COMPARE(tap.seen().size(), 4);
    const QStringList seen = tap.seen();
    QVERIFY2(seen.indexOf(u"get?"_s) >= 0 && seen.indexOf(u"get?"_s) < seen.indexOf(u"info!"_s),
             qPrintable(seen.join(u' ')));
    QCOMPARE(seen.count(u"get?"_s), 1);

    // Bound now: a get is sent once, as before.
    WAIT_OK(reader->get(u"k"_s));
    QTRY_COMPARE(tap.seen().count(u"get!"_s), 2);
    QCOMPARE(tap.seen().count(u"info?"_s), 1);
}

void tst_KvReadAhead::getByRevisionGoesAheadToo()
{
    const QString bucket = fillBucket(u"revision"_s, {{u"k"_s, "first"}, {u"other"_s, "x"}, {u"k"_s, "third"}});
    QVERIFY(!bucket.isEmpty());
    WireTap tap(m_connection, bucket);
    KvReply *first = freshHandle(bucket)->get(u"k"_s, 1);
    WAIT_OK(first);
    QCOMPARE(first->entry().value, "first"_ba);
    QTRY_COMPARE(tap.seen().size(), 4);
    const QStringList seen = tap.seen();
    QVERIFY2(seen.indexOf(u"get?"_s) < seen.indexOf(u"info!"_s), qPrintable(seen.join(u' ')));
    // A revision of another key read ahead is still not this key's.
    WAIT_ERROR(freshHandle(bucket)->get(u"k"_s, 2), NatsError::KeyNotFound);
}

void tst_KvReadAhead::mirrorIsReadThroughTheOriginsSubjects()
{
    // A mirror keeps the origin's subjects ($KV.origin.k), so the read ahead ($KV.mirror.k) finds
    // nothing: the binding sees the mirror, and the right read follows.
    const QString origin = fillBucket(u"origin"_s, {{u"k"_s, "from origin"}});
    QVERIFY(!origin.isEmpty());
    KvBucketConfig config;
    config.bucket = u"mirror"_s + QString::number(m_counter);
    config.history = 5;
    config.mirror.name = origin;
    QVERIFY(KvTest::createBucket(m_kv, config));
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(m_kv->bucket(config.bucket, this), u"k"_s), "from origin"_ba, 15000);

    WireTap tap(m_connection, config.bucket);
    KvReply *get = freshHandle(config.bucket)->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "from origin"_ba);
    QCOMPARE(get->entry().bucket, config.bucket);
    QTRY_VERIFY(tap.seen().contains(u"get?"_s)); // ahead, and given up: the value above is the origin's
}

void tst_KvReadAhead::bucketWithoutDirectGetsIsReadWithoutWaiting()
{
    // nats-server 2.9 leaves a direct get of a stream without allow_direct unanswered: the read ahead
    // is given up as soon as the binding says so, not waited for until the request timeout.
    const QString bucket = fillBucket(u"nodirect"_s, {{u"k"_s, "value"}});
    QVERIFY(!bucket.isEmpty());
    JsApiReply *info = m_js->streamInfo(u"KV_"_s + bucket);
    WAIT_OK(info);
    JsStreamConfig config = info->streamInfo().config;
    config.allowDirect = false;
    WAIT_OK(m_js->updateStream(config));

    const int timeout = m_js->timeout();
    m_js->setTimeout(60000);
    QElapsedTimer clock;
    clock.start();
    KvReply *get = freshHandle(bucket)->get(u"k"_s);
    WAIT_OK(get);
    const qint64 took = clock.elapsed();
    m_js->setTimeout(timeout);
    QCOMPARE(get->entry().value, "value"_ba);
    QVERIFY2(took < 10000, qPrintable(u"the get took %1 ms"_s.arg(took)));
}

void tst_KvReadAhead::missingBucketFailsWithoutWaiting()
{
    const int timeout = m_js->timeout();
    m_js->setTimeout(60000);
    QElapsedTimer clock;
    clock.start();
    KvReply *get = freshHandle(u"neverMade%1"_s.arg(m_counter))->get(u"k"_s);
    WAIT_ERROR(get, NatsError::BucketNotFound);
    const qint64 took = clock.elapsed();
    m_js->setTimeout(timeout);
    QVERIFY2(took < 10000, qPrintable(u"the get took %1 ms"_s.arg(took)));
}

void tst_KvReadAhead::writeAskedForFirstGoesFirst()
{
    // Calls keep their order: a get after a put that waits for the binding too is not sent ahead of it.
    // (Whether the server's answer then shows the put is the server's matter: 2.10+ may answer a direct get
    // before it has stored a write that arrived first, as it may for any client that does not wait for
    // the write's ack.)
    const QString bucket = fillBucket(u"order"_s, {{u"k"_s, "old"}});
    QVERIFY(!bucket.isEmpty());
    WireTap tap(m_connection, bucket);
    KvBucket *handle = freshHandle(bucket);
    KvReply *put = handle->put(u"k"_s, "new");
    KvReply *get = handle->get(u"k"_s);
    WAIT_OK(put);
    WAIT_OK(get);
    QTRY_VERIFY(tap.seen().contains(u"get?"_s));
    const QStringList seen = tap.seen();
    QVERIFY2(seen.indexOf(u"put"_s) >= 0 && seen.indexOf(u"put"_s) < seen.indexOf(u"get?"_s),
             qPrintable(seen.join(u' ')));
    QVERIFY2(seen.indexOf(u"info!"_s) < seen.indexOf(u"get?"_s), qPrintable(seen.join(u' ')));
}

QTEST_GUILESS_MAIN(tst_KvReadAhead)

#include "tst_kvreadahead.moc"
