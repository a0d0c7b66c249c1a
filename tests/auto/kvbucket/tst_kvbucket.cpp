#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvkeylister.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Waits for a reply and reports its error text when the test expects success.
// Both evaluate their reply expression once, wait for it, and report its error text on failure.
#define WAIT_OK(expression)                                                                                  \
    do {                                                                                                     \
        NatsReply *waited_ = (expression);                                                                   \
        QTRY_VERIFY_WITH_TIMEOUT(waited_->isFinished(), 10000);                                              \
        QVERIFY2(waited_->error() == NatsError::NoError, qPrintable(waited_->errorString()));                \
    } while (false)

#define WAIT_ERROR(expression, code)                                                                         \
    do {                                                                                                     \
        NatsReply *waited_ = (expression);                                                                   \
        QTRY_VERIFY_WITH_TIMEOUT(waited_->isFinished(), 10000);                                              \
        QCOMPARE(waited_->error(), code);                                                                    \
    } while (false)

class tst_KvBucket final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void putGetRevision();
    void createAndUpdateConflicts();
    void deleteAndPurge();
    void historyLimit();
    void watchInitialAndLive();
    void keysWithFilters();
    void validation_data();
    void validation();

private:
    KvBucket *makeBucket(const QString &name, int history = 1);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_KvBucket::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    m_connection = new NatsConnection(this);
    m_connection->connectToServer(NatsConnectOptions::fromUrl(m_server.url()));
    QTRY_VERIFY(m_connection->isConnected());
    m_js = new JetStreamContext(m_connection, this);
    m_kv = new KvContext(m_js, this);
}

void tst_KvBucket::init()
{
    ++m_counter;
}

KvBucket *tst_KvBucket::makeBucket(const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name + QString::number(m_counter);
    config.history = history;
    KvReply *reply = m_kv->createBucket(config);
    [&] { WAIT_OK(reply); }();
    return m_kv->bucket(config.bucket, this);
}

void tst_KvBucket::putGetRevision()
{
    KvBucket *bucket = makeBucket(u"basic"_s, 5);
    KvReply *put1 = bucket->put(u"name"_s, "derek");
    WAIT_OK(put1);
    QCOMPARE(put1->revision(), 1u);
    KvReply *put2 = bucket->put(u"name"_s, QByteArray("\0\r\nbin", 6));
    WAIT_OK(put2);
    QCOMPARE(put2->revision(), 2u);

    KvReply *latest = bucket->get(u"name"_s);
    WAIT_OK(latest);
    QCOMPARE(latest->entry().value, QByteArray("\0\r\nbin", 6));
    QCOMPARE(latest->entry().revision, 2u);
    QCOMPARE(latest->entry().operation, KvEntry::Operation::Put);
    QVERIFY(latest->entry().created.isValid());

    KvReply *first = bucket->get(u"name"_s, 1);
    WAIT_OK(first);
    QCOMPARE(first->entry().value, "derek"_ba);

    KvReply *missing = bucket->get(u"nothing"_s);
    WAIT_ERROR(missing, NatsError::KeyNotFound);
    QVERIFY(missing->errorString().contains(u"nothing"_s));

    KvReply *empty = bucket->put(u"empty"_s, {});
    WAIT_OK(empty);
    KvReply *getEmpty = bucket->get(u"empty"_s);
    WAIT_OK(getEmpty);
    QCOMPARE(getEmpty->entry().value, QByteArray());
}

void tst_KvBucket::createAndUpdateConflicts()
{
    KvBucket *bucket = makeBucket(u"cas"_s, 5);
    KvReply *create = bucket->create(u"k"_s, "one");
    WAIT_OK(create);
    QCOMPARE(create->revision(), 1u);

    KvReply *again = bucket->create(u"k"_s, "two");
    WAIT_ERROR(again, NatsError::KeyExists);

    KvReply *update = bucket->update(u"k"_s, "two", 1);
    WAIT_OK(update);
    QCOMPARE(update->revision(), 2u);

    KvReply *stale = bucket->update(u"k"_s, "three", 1);
    WAIT_ERROR(stale, NatsError::WrongRevision);
    QCOMPARE(stale->currentRevision(), 2u);

    // Neither conflict changed the stored value.
    KvReply *get = bucket->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "two"_ba);
    QCOMPARE(get->entry().revision, 2u);
}

void tst_KvBucket::deleteAndPurge()
{
    KvBucket *bucket = makeBucket(u"del"_s, 10);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"a"_s, "2"));
    KvReply *removed = bucket->remove(u"a"_s);
    WAIT_OK(removed);
    QCOMPARE(removed->revision(), 3u);
    KvReply *get = bucket->get(u"a"_s);
    WAIT_ERROR(get, NatsError::KeyNotFound);
    QCOMPARE(get->entry().operation, KvEntry::Operation::Delete);

    KvReply *history = bucket->history(u"a"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 3);
    QCOMPARE(history->entries().last().operation, KvEntry::Operation::Delete);

    // Create over a delete marker succeeds at marker + 1.
    KvReply *create = bucket->create(u"a"_s, "again");
    WAIT_OK(create);
    QCOMPARE(create->revision(), 4u);

    KvReply *purge = bucket->purge(u"a"_s);
    WAIT_OK(purge);
    KvReply *afterPurge = bucket->history(u"a"_s);
    WAIT_OK(afterPurge);
    QCOMPARE(afterPurge->entries().size(), 1);
    QCOMPARE(afterPurge->entries().first().operation, KvEntry::Operation::Purge);

    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    QVERIFY(keys->keys().isEmpty());

    KvReply *compact = bucket->purgeDeletes(-1);
    WAIT_OK(compact);
    QCOMPARE(compact->revision(), 1u);
    KvReply *gone = bucket->history(u"a"_s);
    WAIT_ERROR(gone, NatsError::KeyNotFound);
}

void tst_KvBucket::historyLimit()
{
    KvBucket *bucket = makeBucket(u"hist"_s, 3);
    for (int i = 0; i < 6; ++i)
        WAIT_OK(bucket->put(u"k"_s, QByteArray::number(i)));
    KvReply *history = bucket->history(u"k"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 3);
    QCOMPARE(history->entries().first().value, "3"_ba);
    QCOMPARE(history->entries().last().value, "5"_ba);
}

void tst_KvBucket::watchInitialAndLive()
{
    KvBucket *bucket = makeBucket(u"watch"_s, 5);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"b"_s, "2"));
    WAIT_OK(bucket->put(u"a"_s, "3"));

    KvWatcher *watcher = bucket->watchAll();
    QSignalSpy entries(watcher, &KvWatcher::entryReceived);
    QSignalSpy initial(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY(initial.wait());
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries[0][0].value<KvEntry>().key, u"b"_s);
    QCOMPARE(entries[1][0].value<KvEntry>().key, u"a"_s);
    QCOMPARE(entries[1][0].value<KvEntry>().value, "3"_ba);

    WAIT_OK(bucket->put(u"c"_s, "4"));
    QTRY_COMPARE(entries.size(), 3);
    QCOMPARE(entries[2][0].value<KvEntry>().key, u"c"_s);
    QCOMPARE(entries[2][0].value<KvEntry>().revision, 4u);

    // An empty match still signals the end of the initial values.
    KvWatcher *none = bucket->watch({u"zzz.>"_s});
    QSignalSpy noneInitial(none, &KvWatcher::initialValuesReceived);
    QVERIFY(noneInitial.wait());
}

void tst_KvBucket::keysWithFilters()
{
    KvBucket *bucket = makeBucket(u"keys"_s);
    for (const QString &key : {u"orders.1.status"_s, u"orders.2.status"_s, u"orders.2.total"_s, u"users.x"_s})
        WAIT_OK(bucket->put(key, "v"));
    KvReply *all = bucket->keys();
    WAIT_OK(all);
    QCOMPARE(all->keys().size(), 4);
    KvReply *filtered = bucket->keys({u"orders.*.status"_s});
    WAIT_OK(filtered);
    QStringList keys = filtered->keys();
    keys.sort();
    QCOMPARE(keys, (QStringList{u"orders.1.status"_s, u"orders.2.status"_s}));
    KvReply *several = bucket->keys({u"orders.>"_s, u"orders.2.*"_s, u"users.*"_s});
    WAIT_OK(several);
    QCOMPARE(several->keys().size(), 4);
}

void tst_KvBucket::validation_data()
{
    QTest::addColumn<QString>("key");
    for (const char *key : {"", ".a", "a.", "a b", "a*", "a.>", "é", "a..b"})
        QTest::newRow(key[0] ? key : "empty") << QString::fromUtf8(key);
}

void tst_KvBucket::validation()
{
    QFETCH(QString, key);
    KvBucket *bucket = m_kv->bucket(u"whatever"_s, this);
    KvReply *put = bucket->put(key, "x");
    WAIT_ERROR(put, NatsError::InvalidKey);
    QVERIFY2(put->errorString().contains(u"key"_s), qPrintable(put->errorString()));
}

QTEST_GUILESS_MAIN(tst_KvBucket)

#include "tst_kvbucket.moc"
