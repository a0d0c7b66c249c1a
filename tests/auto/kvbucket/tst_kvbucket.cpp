#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvkeylister.h"
#include "kvtestsupport.h"
#include "kvwatcher.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonObject>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// One bucket's keys against a real nats-server: reads and writes with their revisions, conflicts and
// guards, markers, history, watches and key listings, compaction, typed values, key validation. The
// buckets themselves (settings, lifecycle) are tst_kvcontext's.
class tst_KvBucket final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void putGetRevision();
    void pipelinedPutsKeepChildrenFew();
    void createAndUpdateConflicts();
    void deleteAndPurge();
    void historyLimit();
    void watchInitialAndLive();
    void keysWithFilters();
    void validation_data();
    void validation();
    void entryFields();
    void conflictsLeaveValueUnchanged();
    void revertWritesAnOldValueGuarded();
    void aMissingRevisionSaysWhy();
    void deleteAndPurgeWithExpectedRevision();
    void markersSeenByGetKeysHistory();
    void purgeDeletesThreshold();
    void purgeDeletesMany();
    void typedValues();
    void longKeys();
    void missingBucket();
    void revisionsAMirrorDropped();
    void latestValuesAMirrorLacks();

private:
    KvBucket *makeBucket(const QString &name, int history = 1);
    KvBucket *makeBucket(KvBucketConfig config);
    quint64 statusValues(const QString &bucket) { return KvTest::statusValues(m_kv, bucket); }

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    JetStreamContext *m_js = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};
void tst_KvBucket::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

void tst_KvBucket::init()
{
    ++m_counter;
}

KvBucket *tst_KvBucket::makeBucket(const QString &name, int history)
{
    KvBucketConfig config;
    config.bucket = name;
    config.history = history;
    return makeBucket(config);
}

KvBucket *tst_KvBucket::makeBucket(KvBucketConfig config)
{
    config.bucket += QString::number(m_counter);
    KvTest::createBucket(m_kv, config);
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

void tst_KvBucket::pipelinedPutsKeepChildrenFew()
{
    // Qt removes a child from its parent's list in linear time: each of a thousand pipelined puts
    // owning an object directly under the bucket made every finished put O(n). What a put keeps goes
    // on the reply shelves (NatsHandleShelf), a handful of children.
    KvBucket *bucket = makeBucket(u"pipelined"_s);
    KvReply *first = bucket->put(u"first"_s, "v"); // the bucket learns its stream's settings
    WAIT_OK(first);
    first->deleteLater();
    const qsizetype baseline = bucket->children().size();
    QList<KvReply *> puts;
    for (int i = 0; i < 1000; ++i)
        puts.append(bucket->put(u"k.%1"_s.arg(i), "v"));
    QVERIFY2(bucket->children().size() <= baseline + 8, qPrintable(u"%1 children"_s.arg(bucket->children().size())));
    for (KvReply *put : std::as_const(puts)) {
        WAIT_OK(put);
        put->deleteLater();
    }
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
    QTest::addColumn<bool>("mayExist"); // another client may have written it: read, deleted, updated
    for (const char *key : {"", ".a", "a.", "a b", "a*", "a.>", "a..b"})
        QTest::newRow(key[0] ? key : "empty") << QString::fromUtf8(key) << false;
    QTest::newRow("é") << u"é"_s << true;
}

void tst_KvBucket::validation()
{
    QFETCH(QString, key);
    KvBucket *bucket = m_kv->bucket(u"whatever"_s, this);
    KvReply *put = bucket->put(key, "x");
    WAIT_ERROR(put, NatsError::InvalidKey);
    // The message names the key itself (or says it is empty).
    QVERIFY2(put->errorString().contains(key.isEmpty() ? u"empty"_s : u'"' + key + u'"'),
             qPrintable(put->errorString()));
    QFETCH(bool, mayExist);
    WAIT_ERROR(bucket->create(key, "x"), NatsError::InvalidKey);
    WAIT_ERROR(bucket->update(key, "x", 0), NatsError::InvalidKey); // a create too
    for (NatsReply *other :
         {static_cast<NatsReply *>(bucket->get(key)), static_cast<NatsReply *>(bucket->update(key, "x", 1)),
          static_cast<NatsReply *>(bucket->remove(key)), static_cast<NatsReply *>(bucket->purge(key)),
          static_cast<NatsReply *>(bucket->history(key))}) {
        QTRY_VERIFY_WITH_TIMEOUT(other->isFinished(), KvTest::ReplyTimeoutMs);
        // A key that may exist goes to the server (here: no bucket "whatever"); one that cannot is refused.
        QVERIFY2((other->error() == NatsError::InvalidKey) != mayExist, qPrintable(other->errorString()));
    }
}

void tst_KvBucket::entryFields()
{
    KvBucket *bucket = makeBucket(u"fields"_s, 3);
    WAIT_OK(bucket->put(u"k"_s, "v1"));
    WAIT_OK(bucket->put(u"k"_s, "v2"));
    KvReply *get = bucket->get(u"k"_s);
    WAIT_OK(get);
    const KvEntry entry = get->entry();
    QCOMPARE(entry.bucket, bucket->name());
    QCOMPARE(entry.key, u"k"_s);
    QCOMPARE(entry.value, "v2"_ba);
    QCOMPARE(entry.revision, 2u);
    QCOMPARE(entry.delta, 0u);
    QCOMPARE(entry.operation, KvEntry::Operation::Put);
    QCOMPARE(entry.size(), 2);
    QVERIFY(qAbs(entry.created.secsTo(QDateTime::currentDateTimeUtc())) < 60);

    KvReply *old = bucket->get(u"k"_s, 1);
    WAIT_OK(old);
    QCOMPARE(old->entry().value, "v1"_ba);
    QCOMPARE(old->entry().revision, 1u);
    KvReply *beyond = bucket->get(u"k"_s, 99);
    WAIT_ERROR(beyond, NatsError::KeyNotFound);
    QVERIFY2(beyond->errorString().contains(u"99"_s), qPrintable(beyond->errorString()));
    WAIT_OK(bucket->put(u"other"_s, "o"));
    WAIT_ERROR(bucket->get(u"k"_s, 3), NatsError::KeyNotFound); // revision 3 is another key's
}

void tst_KvBucket::conflictsLeaveValueUnchanged()
{
    KvBucket *bucket = makeBucket(u"conf"_s, 10);
    WAIT_OK(bucket->put(u"k"_s, "original"));
    KvReply *exists = bucket->create(u"k"_s, "intruder");
    WAIT_ERROR(exists, NatsError::KeyExists);
    QCOMPARE(exists->currentRevision(), 1u);
    QVERIFY(exists->errorString().contains(u"\"k\""_s));
    KvReply *overZero = bucket->update(u"k"_s, "intruder", 0);
    WAIT_ERROR(overZero, NatsError::WrongRevision);
    QCOMPARE(overZero->currentRevision(), 1u);
    QCOMPARE(overZero->errorInfo().jsErrorCode(), 10071);
    WAIT_OK(bucket->update(u"k"_s, "second", 1));
    KvReply *stale = bucket->update(u"k"_s, "intruder", 1);
    WAIT_ERROR(stale, NatsError::WrongRevision);
    QCOMPARE(stale->currentRevision(), 2u);

    KvReply *get = bucket->get(u"k"_s);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "second"_ba);
    QCOMPARE(get->entry().revision, 2u);
    KvReply *history = bucket->history(u"k"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 2); // no trace of the refused writes
}

void tst_KvBucket::revertWritesAnOldValueGuarded()
{
    // What the CLI's revert and the app's history panel both call.
    KvBucket *bucket = makeBucket(u"rev"_s, 10);
    WAIT_OK(bucket->put(u"k"_s, "first"));  // 1
    WAIT_OK(bucket->put(u"k"_s, "second")); // 2
    KvReply *reverted = bucket->revert(u"k"_s, 1);
    WAIT_OK(reverted);
    QCOMPARE(reverted->revision(), 3u);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "first"_ba);

    // Guarded by the newest revision the caller saw: a change made meanwhile wins, nothing is written.
    KvReply *stale = bucket->revert(u"k"_s, 2, 2);
    WAIT_ERROR(stale, NatsError::WrongRevision);
    QCOMPARE(stale->currentRevision(), 3u);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "first"_ba);
    KvReply *guarded = bucket->revert(u"k"_s, 2, 3);
    WAIT_OK(guarded);
    QCOMPARE(guarded->revision(), 4u);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "second"_ba);

    // Only revisions that hold a value of this key, and why another cannot be reverted to: it said "key "k"
    // has no value at revision N" for another key's revision, a marker, and one not written yet alike.
    WAIT_OK(bucket->put(u"other"_s, "x")); // 5
    WAIT_OK(bucket->remove(u"k"_s));       // 6: a delete marker
    const QString name = bucket->name();
    const QList<std::pair<quint64, QString>> cases{
        {0, u"key \"k\" has no value at revision 0 in bucket \"%1\""_s.arg(name)},
        {5, u"revision 5 is of another key (\"other\"), not of key \"k\""_s},
        {6, u"revision 6 of key \"k\" is a delete marker"_s},
        {99, u"bucket \"%1\" has no revision 99 yet (its last is 6)"_s.arg(name)},
    };
    for (const auto &[revision, message] : cases) {
        KvReply *none = bucket->revert(u"k"_s, revision);
        WAIT_ERROR(none, NatsError::KeyNotFound);
        QCOMPARE(none->errorString(), message);
    }
    WAIT_ERROR(bucket->revert(u"bad key"_s, 1), NatsError::InvalidKey);

    // Reverting undoes a delete: unguarded, it is guarded by the marker, the newest revision.
    KvReply *undeleted = bucket->revert(u"k"_s, 1);
    WAIT_OK(undeleted);
    QCOMPARE(undeleted->revision(), 7u);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "first"_ba);
    KvReply *history = bucket->history(u"k"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 6); // 1, 2, 3, 4, 6 (marker), 7
}

// A revision a get cannot read names why: pushed out by the history limit, another key's, not written yet
// (all three were "key "k" has no revision N").
void tst_KvBucket::aMissingRevisionSaysWhy()
{
    KvBucket *bucket = makeBucket(u"why"_s, 3);
    for (const char *value : {"v1", "v2", "v3", "v4", "v5"})
        WAIT_OK(bucket->put(u"k"_s, value)); // 1..5: 1 and 2 pushed out
    WAIT_OK(bucket->put(u"o"_s, "x"));       // 6
    const QString name = bucket->name();
    const QList<std::pair<quint64, QString>> cases{
        {1, u"revision 1 is no longer kept in bucket \"%1\" (it keeps 3 per key)"_s.arg(name)},
        {6, u"revision 6 is of another key (\"o\"), not of key \"k\""_s},
        {12, u"bucket \"%1\" has no revision 12 yet (its last is 6)"_s.arg(name)},
    };
    for (const auto &[revision, message] : cases) {
        KvReply *get = bucket->get(u"k"_s, revision);
        WAIT_ERROR(get, NatsError::KeyNotFound);
        QCOMPARE(get->errorString(), message);
        KvReply *revert = bucket->revert(u"k"_s, revision);
        WAIT_ERROR(revert, NatsError::KeyNotFound);
        QCOMPARE(revert->errorString(), message);
    }
}

void tst_KvBucket::deleteAndPurgeWithExpectedRevision()
{
    KvBucket *bucket = makeBucket(u"exp"_s, 10);
    WAIT_OK(bucket->put(u"k"_s, "v"));
    KvReply *staleDelete = bucket->remove(u"k"_s, 5);
    WAIT_ERROR(staleDelete, NatsError::WrongRevision);
    QCOMPARE(staleDelete->currentRevision(), 1u);
    QCOMPARE(KvTest::value(bucket, u"k"_s), "v"_ba);
    KvReply *removed = bucket->remove(u"k"_s, 1);
    WAIT_OK(removed);
    QCOMPARE(removed->revision(), 2u);
    WAIT_ERROR(bucket->purge(u"k"_s, 1), NatsError::WrongRevision);
    KvReply *purged = bucket->purge(u"k"_s, 2);
    WAIT_OK(purged);
    QCOMPARE(purged->revision(), 3u);
    KvReply *history = bucket->history(u"k"_s);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 1);
    QCOMPARE(history->entries().first().operation, KvEntry::Operation::Purge);
}

void tst_KvBucket::markersSeenByGetKeysHistory()
{
    KvBucket *bucket = makeBucket(u"mark"_s, 10);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"b"_s, "2"));
    WAIT_OK(bucket->remove(u"a"_s));
    WAIT_OK(bucket->purge(u"b"_s));
    WAIT_OK(bucket->put(u"c"_s, "3"));

    KvReply *getA = bucket->get(u"a"_s);
    WAIT_ERROR(getA, NatsError::KeyNotFound);
    QCOMPARE(getA->entry().operation, KvEntry::Operation::Delete);
    QCOMPARE(getA->entry().revision, 3u);
    KvReply *getB = bucket->get(u"b"_s);
    WAIT_ERROR(getB, NatsError::KeyNotFound);
    QCOMPARE(getB->entry().operation, KvEntry::Operation::Purge);
    WAIT_ERROR(bucket->get(u"a"_s, 3), NatsError::KeyNotFound); // a marker revision is no value

    KvReply *keys = bucket->keys();
    WAIT_OK(keys);
    QCOMPARE(keys->keys(), QStringList{u"c"_s});
    KvKeyLister *lister = bucket->listKeys({}, true);
    QSignalSpy batches(lister, &KvKeyLister::keysReceived);
    QSignalSpy finished(lister, &KvKeyLister::finished);
    QVERIFY(finished.wait());
    QStringList all;
    for (const QList<QVariant> &batch : std::as_const(batches))
        all += batch.first().toStringList();
    all.sort();
    QCOMPARE(all, (QStringList{u"a"_s, u"b"_s, u"c"_s}));

    KvReply *historyA = bucket->history(u"a"_s);
    WAIT_OK(historyA);
    QCOMPARE(historyA->entries().size(), 2);
    QCOMPARE(historyA->entries().first().operation, KvEntry::Operation::Put);
    QCOMPARE(historyA->entries().last().operation, KvEntry::Operation::Delete);
    KvReply *historyB = bucket->history(u"b"_s);
    WAIT_OK(historyB);
    QCOMPARE(historyB->entries().size(), 1); // the purge dropped b's value
    QCOMPARE(historyB->entries().first().operation, KvEntry::Operation::Purge);

    KvReply *recreate = bucket->create(u"a"_s, "again");
    WAIT_OK(recreate);
    QCOMPARE(recreate->revision(), 6u);
}

void tst_KvBucket::purgeDeletesThreshold()
{
    KvBucket *bucket = makeBucket(u"pd"_s, 5);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"a"_s, "2"));
    WAIT_OK(bucket->remove(u"a"_s));
    WAIT_OK(bucket->put(u"b"_s, "3"));
    WAIT_OK(bucket->remove(u"b"_s));
    WAIT_OK(bucket->put(u"c"_s, "4"));

    // Markers younger than the threshold stay (the values behind them go), for watchers still behind. The
    // second run finds nothing left to remove, and counts no key (it counted both again).
    for (const auto &[olderThan, removed] :
         {std::pair{qint64(0), quint64(2)}, std::pair{qint64(30 * 60 * 1000), quint64(0)}}) {
        KvReply *kept = bucket->purgeDeletes(olderThan);
        WAIT_OK(kept);
        QCOMPARE(kept->revision(), removed);
        KvReply *history = bucket->history(u"a"_s);
        WAIT_OK(history);
        QCOMPARE(history->entries().size(), 1);
        QCOMPARE(history->entries().first().operation, KvEntry::Operation::Delete);
    }
    KvReply *all = bucket->purgeDeletes(-1);
    WAIT_OK(all);
    QCOMPARE(all->revision(), 2u);
    WAIT_ERROR(bucket->history(u"a"_s), NatsError::KeyNotFound);
    WAIT_ERROR(bucket->history(u"b"_s), NatsError::KeyNotFound);
    QCOMPARE(KvTest::value(bucket, u"c"_s), "4"_ba);
    QCOMPARE(statusValues(bucket->name()), 1u);
}

void tst_KvBucket::purgeDeletesMany()
{
    constexpr int kKeys = 300;
    KvBucket *bucket = makeBucket(u"pdm"_s, 2);
    QList<KvReply *> writes;
    for (int i = 0; i < kKeys; ++i) {
        writes.append(bucket->put(u"k%1"_s.arg(i), "v"));
        writes.append(bucket->remove(u"k%1"_s.arg(i)));
    }
    for (KvReply *write : std::as_const(writes))
        WAIT_OK(write);
    QCOMPARE(statusValues(bucket->name()), quint64(2 * kKeys));
    KvReply *purge = bucket->purgeDeletes(-1);
    WAIT_OK(purge);
    QCOMPARE(purge->revision(), quint64(kKeys));
    QCOMPARE(statusValues(bucket->name()), 0u);
}

void tst_KvBucket::typedValues()
{
    KvBucket *bucket = makeBucket(u"typed"_s);
    WAIT_OK(bucket->putJson(u"doc"_s, QJsonDocument(QJsonObject{{"n"_L1, 1}, {"s"_L1, "x"_L1}})));
    KvReply *json = bucket->getJson(u"doc"_s);
    WAIT_OK(json);
    QCOMPARE(json->json().object().value("n"_L1).toInt(), 1);
    QCOMPARE(json->entry().key, u"doc"_s);

    WAIT_OK(bucket->putText(u"text"_s, u"grüße ✓"_s));
    KvReply *text = bucket->getText(u"text"_s);
    WAIT_OK(text);
    QCOMPARE(text->text(), u"grüße ✓"_s);

    KvReply *put = bucket->put(u"bad"_s, "{not json");
    WAIT_OK(put);
    KvReply *badJson = bucket->getJson(u"bad"_s);
    WAIT_ERROR(badJson, NatsError::ValueDecodeError);
    QVERIFY2(badJson->errorString().contains(u"\"bad\""_s)
                 && badJson->errorString().contains(u"revision %1"_s.arg(put->revision())),
             qPrintable(badJson->errorString()));
    QCOMPARE(badJson->entry().value, "{not json"_ba);

    KvReply *binary = bucket->put(u"bin"_s, "\xff\xfe\x00"_ba);
    WAIT_OK(binary);
    KvReply *badText = bucket->getText(u"bin"_s);
    WAIT_ERROR(badText, NatsError::ValueDecodeError);
    QVERIFY2(badText->errorString().contains(u"\"bin\""_s)
                 && badText->errorString().contains(u"revision %1"_s.arg(binary->revision())),
             qPrintable(badText->errorString()));
    WAIT_ERROR(bucket->getJson(u"missing"_s), NatsError::KeyNotFound);
}

void tst_KvBucket::longKeys()
{
    KvBucket *bucket = makeBucket(u"long"_s);
    const QString key(3900, u'k');
    WAIT_OK(bucket->put(key, "fits"));
    QCOMPARE(KvTest::value(bucket, key), "fits"_ba);

    // Past the server's 4096-byte control line: refused here with the key named, and the connection
    // stays up (the server would close it).
    const QString tooLong = u"x"_s + QString(4100, u'k');
    KvReply *put = bucket->put(tooLong, "no");
    WAIT_ERROR(put, NatsError::InvalidKey);
    QVERIFY2(put->errorString().contains(u"xkkk"_s), qPrintable(put->errorString()));
    WAIT_ERROR(bucket->get(tooLong), NatsError::InvalidKey); // no write could have made it
    QVERIFY(m_connection->isConnected());
    QCOMPARE(KvTest::value(bucket, key), "fits"_ba);

    // The longest key a put takes is read back by every read: a get (whose subject-form request names
    // the key after "$JS.API.DIRECT.GET.KV_<bucket>."), its history and a watch of it (2.10+ names the
    // filter in the consumer's create subject). They used to fail past the protocol line.
    qsizetype length = 4096;
    KvReply *attempt = nullptr;
    do {
        attempt = bucket->put(QString(--length, u'w'), "longest");
        QVERIFY(QTest::qWaitFor([attempt] { return attempt->isFinished(); }, KvTest::ReplyTimeoutMs));
    } while (attempt->error() == NatsError::InvalidKey && length > 3900);
    QCOMPARE(attempt->error(), NatsError::NoError);
    const QString longest(length, u'w');
    KvReply *get = bucket->get(longest);
    WAIT_OK(get);
    QCOMPARE(get->entry().value, "longest"_ba);
    KvReply *history = bucket->history(longest);
    WAIT_OK(history);
    QCOMPARE(history->entries().size(), 1);
    KvWatcher *watcher = bucket->watch({longest});
    QSignalSpy caughtUp(watcher, &KvWatcher::initialValuesReceived);
    QVERIFY2(caughtUp.wait(KvTest::ReplyTimeoutMs), qPrintable(watcher->errorString()));
    QVERIFY(m_connection->isConnected());
}

void tst_KvBucket::missingBucket()
{
    KvBucket *bucket = m_kv->bucket(u"neverMade%1"_s.arg(m_counter), this);
    KvReply *put = bucket->put(u"k"_s, "v");
    WAIT_ERROR(put, NatsError::BucketNotFound);
    QVERIFY2(put->errorString().contains(bucket->name()), qPrintable(put->errorString()));
    WAIT_ERROR(bucket->get(u"k"_s), NatsError::BucketNotFound);
    WAIT_ERROR(bucket->keys(), NatsError::BucketNotFound);
    WAIT_ERROR(bucket->history(u"k"_s), NatsError::BucketNotFound);
    KvWatcher *watcher = bucket->watchAll();
    QSignalSpy failed(watcher, &KvWatcher::errorOccurred);
    QVERIFY(failed.wait());
    QCOMPARE(watcher->error(), NatsError::BucketNotFound);
}

void tst_KvBucket::revisionsAMirrorDropped()
{
    // A mirror bucket serves its origin's direct gets too (mirror_direct, as every official client
    // makes it), and one that keeps less history no longer has the origin's older revisions: its "not
    // found" for one of them is not the origin's answer. Each get below may be answered by either.
    KvBucket *origin = makeBucket(u"deepOrigin"_s, 5);
    WAIT_OK(origin->put(u"a"_s, "one"));
    WAIT_OK(origin->put(u"a"_s, "two"));
    KvBucketConfig config;
    config.bucket = u"shallowMirror"_s;
    config.history = 1;
    config.mirror.name = origin->name();
    KvBucket *mirror = makeBucket(config);
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(mirror, u"a"_s), "two"_ba, 15000);
    for (int i = 0; i < 20; ++i) {
        KvReply *first = m_kv->bucket(origin->name(), this)->get(u"a"_s, 1);
        WAIT_OK(first);
        QCOMPARE(first->entry().value, "one"_ba);
    }
    // A revision that is nowhere is still not found.
    WAIT_ERROR(origin->get(u"a"_s, 40), NatsError::KeyNotFound);
}

void tst_KvBucket::latestValuesAMirrorLacks()
{
    // A mirror that answers its origin's direct gets (mirror_direct) may hold less than the origin: one
    // that started later lacks the first keys, one behind (here: its copy of the newest revision deleted,
    // for good) has an older value. The origin's get reads neither.
    KvBucket *origin = makeBucket(u"fullOrigin"_s, 5);
    WAIT_OK(origin->put(u"early"_s, "x"));  // 1: before the mirror's start
    WAIT_OK(origin->put(u"late"_s, "one")); // 2
    const QString lagging = u"KV_lagging%1"_s.arg(m_counter);
    QVERIFY(KvTest::createLaggingMirror(m_js, origin, lagging, u"late"_s, "two")); // 3, not in the mirror
    for (int i = 0; i < 20; ++i) {
        KvBucket *reader = m_kv->bucket(origin->name(), this);
        KvReply *early = reader->get(u"early"_s);
        KvReply *late = reader->get(u"late"_s);
        WAIT_OK(early);
        WAIT_OK(late);
        QCOMPARE(early->entry().value, "x"_ba);
        QCOMPARE(late->entry().value, "two"_ba);
        QCOMPARE(late->entry().revision, 3u);
    }
    WAIT_ERROR(origin->get(u"never"_s), NatsError::KeyNotFound);
    WAIT_OK(m_js->deleteStream(lagging));
}

QTEST_GUILESS_MAIN(tst_KvBucket)

#include "tst_kvbucket.moc"
