#include "jetstreamcontext.h"
#include "jsservercapabilities.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvexportjob.h"
#include "kvimportjob.h"
#include "kvkeylister.h"
#include "kvndjson.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"

#include <QtCore/QBuffer>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QScopeGuard>
#include <QtCore/QSet>
#include <QtCore/QTemporaryFile>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// Bucket export and import in the NDJSON format of `kvdesk-cli export`, against a real nats-server:
// byte-exact round trips, key selections, feed entries, the existing-key choices, cancel, bad lines.
class tst_BucketTransfer final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void exportBucketInCliFormat();
    void roundTripIsByteExact();
    void linesOfEveryLengthImportExactly();
    void exportSelectedKeysInOrder();
    void exportEntriesReadsIncompleteValues();
    void existingKeys_data();
    void existingKeys();
    void anExistingKeyIsSkippedWhateverTheLineHolds();
    void keepingExistingKeysStillReplaysTheFile_data();
    void keepingExistingKeysStillReplaysTheFile();
    void stopWritesNothingAfterTheExistingKey();
    void importCancel();
    void badLinesAreCountedAndNamed();
    void aTtlTheBucketCannotTakeIsABadLine();
    void aBucketToCreateIsMadeOnlyForAGoodInput();
    void ttlLinesAreJudgedByTheBucketToCreate();
    void aBucketMadeMeanwhileIsWrittenOnlyWithTheSettingsChecked_data();
    void aBucketMadeMeanwhileIsWrittenOnlyWithTheSettingsChecked();
    void aGoodPipeIsWrittenWhole();
    void overlongLineIsRefusedAndNamed();
    void skippingALongLineLetsTheEventLoopRun();
    void slowPipeKeepsEventLoopTurning();
    void aServerThatStopsAnsweringStopsTheImport();
    void jobsReportErrorsAsRepliesDo();

private:
    // A bucket of the test's own; maxValueSize -1: no limit.
    KvBucket *makeBucket(const QString &prefix, int history = 1, qint64 maxValueSize = -1);
    QList<QPair<QString, QByteArray>> sampleValues() const;

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    int m_counter = 0;
};

void tst_BucketTransfer::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

void tst_BucketTransfer::init()
{
    ++m_counter;
}

KvBucket *tst_BucketTransfer::makeBucket(const QString &prefix, int history, qint64 maxValueSize)
{
    KvBucketConfig config;
    config.bucket = prefix + QString::number(m_counter);
    config.history = history;
    config.maxValueSize = maxValueSize;
    KvTest::createBucket(m_kv, config);
    return m_kv->bucket(config.bucket, this);
}

QList<QPair<QString, QByteArray>> tst_BucketTransfer::sampleValues() const
{
    QByteArray everyByte;
    for (int i = 0; i < 256; ++i)
        everyByte.append(char(i));
    return {
        {u"text"_s, "hello, wörld"_ba}, {u"json.doc"_s, R"({"b":1,"a":[true,null]})"_ba},
        {u"binary"_s, everyByte},       {u"empty"_s, QByteArray()},
        {u"crlf"_s, "a\r\nb\n"_ba},     {u"bad.utf8"_s, QByteArray("\xc3\x28 not utf-8", 13)},
    };
}

void tst_BucketTransfer::exportBucketInCliFormat()
{
    KvBucket *bucket = makeBucket(u"exp"_s);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"gone"_s, "x"));
    WAIT_OK(bucket->remove(u"gone"_s));
    WAIT_OK(bucket->put(u"b"_s, QByteArray("\xff\x00", 2))); // not UTF-8: base64

    QBuffer out;
    out.open(QIODevice::WriteOnly);
    KvExportJob exporter(bucket, &out);
    QSignalSpy finished(&exporter, &KvExportJob::finished);
    QSignalSpy progress(&exporter, &KvExportJob::progress);
    QSignalSpy errors(&exporter, &KvExportJob::errorOccurred);
    exporter.exportBucket();
    QVERIFY(finished.wait(10000));
    QCOMPARE(exporter.state(), KvExportJob::State::Finished);
    QCOMPARE(exporter.error(), NatsError::NoError);
    QCOMPARE(errors.count(), 0);
    QCOMPARE(exporter.writtenCount(), 2);
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toLongLong(), 2);

    const QList<QByteArray> lines = out.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    // Exactly what kvdesk-cli export writes: one KvNdjson object per line.
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first.value("key"_L1).toString(), u"a"_s);
    QCOMPARE(first.value("value"_L1).toString(), u"1"_s);
    QCOMPARE(first.value("encoding"_L1).toString(), u"text"_s);
    QCOMPARE(first.value("revision"_L1).toInteger(), 1);
    QCOMPARE(first.value("operation"_L1).toString(), u"PUT"_s);
    QVERIFY(first.value("created"_L1).toString().endsWith(u'Z'));
    const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
    QCOMPARE(second.value("encoding"_L1).toString(), u"base64"_s);
    QCOMPARE(second.value("value"_L1).toString(), u"/wA="_s);

    // With deletes, the marker is exported too.
    QBuffer all;
    all.open(QIODevice::WriteOnly);
    KvExportJob withDeletes(bucket, &all);
    QSignalSpy done(&withDeletes, &KvExportJob::finished);
    withDeletes.exportBucket(true);
    QVERIFY(done.wait(10000));
    QCOMPARE(withDeletes.writtenCount(), 3);
    QVERIFY(all.data().contains(R"("operation":"DEL")"));
}

void tst_BucketTransfer::roundTripIsByteExact()
{
    KvBucket *source = makeBucket(u"src"_s);
    for (const auto &[key, bytes] : sampleValues())
        WAIT_OK(source->put(key, bytes));
    QBuffer file;
    file.open(QIODevice::ReadWrite);
    KvExportJob exporter(source, &file);
    QSignalSpy exported(&exporter, &KvExportJob::finished);
    exporter.exportBucket();
    QVERIFY(exported.wait(10000));
    QCOMPARE(exporter.writtenCount(), sampleValues().size());

    KvBucket *target = makeBucket(u"dst"_s);
    file.seek(0);
    KvImportJob importer(target, &file);
    QSignalSpy imported(&importer, &KvImportJob::finished);
    QSignalSpy progress(&importer, &KvImportJob::progress);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(imported.wait(10000));
    QCOMPARE(importer.state(), KvImportJob::State::Finished);
    QCOMPARE(importer.writtenCount(), sampleValues().size());
    QCOMPARE(importer.failedCount(), 0);
    QCOMPARE(progress.last().at(0).toLongLong(), file.size());
    QCOMPARE(progress.last().at(1).toLongLong(), file.size());
    for (const auto &[key, bytes] : sampleValues())
        QCOMPARE(KvTest::value(target, key), bytes);
}

void tst_BucketTransfer::linesOfEveryLengthImportExactly()
{
    // Lines are read into one buffer that grows with the longest so far (4 KiB first, doubling): long
    // lines after short ones and short ones after long ones, around each size the buffer takes, must each
    // come out whole, from a file and from a pipe.
    QList<QPair<QString, QByteArray>> values;
    QList<int> sizes{0, 10};
    for (int size = 2990; size <= 3110; size += 5) // base64 lines of about 4,000 to 4,200 bytes
        sizes.append(size);
    sizes += {4096, 5000, 20000, 10, 70000, 1, 9000, 6100, 6125, 6150};
    quint32 seed = 1;
    for (const int size : std::as_const(sizes)) {
        QByteArray bytes(size, Qt::Uninitialized);
        for (char &byte : bytes)
            byte = char((seed = seed * 1103515245u + 12345u) >> 24); // binary: base64 in the NDJSON
        values.append({u"v%1"_s.arg(values.size()), bytes});
    }
    QByteArray ndjson;
    for (const auto &[key, bytes] : values) {
        KvEntry entry;
        entry.key = key;
        entry.value = bytes;
        ndjson += KvNdjson::encode(entry) + '\n';
    }
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write(ndjson);
    file.flush();

    const auto importAll = [&values](KvBucket *bucket, QIODevice *input) {
        KvImportJob job(bucket, input);
        QSignalSpy done(&job, &KvImportJob::finished);
        job.start(KvImportJob::ExistingKeys::Overwrite);
        QVERIFY(done.wait(10000));
        QVERIFY2(job.failedCount() == 0, qPrintable(job.problems().join(u'\n')));
        QCOMPARE(job.writtenCount(), values.size());
    };
    file.seek(0);
    KvBucket *fromFile = makeBucket(u"lengths"_s);
    importAll(fromFile, &file);
    QVERIFY(!QTest::currentTestFailed());
    QProcess producer;
    producer.start(u"cat"_s, {file.fileName()});
    QVERIFY(producer.waitForStarted());
    KvBucket *fromPipe = makeBucket(u"lengthspiped"_s);
    importAll(fromPipe, &producer);
    QVERIFY(!QTest::currentTestFailed());
    for (const auto &[key, bytes] : values) {
        QCOMPARE(KvTest::value(fromFile, key), bytes);
        QCOMPARE(KvTest::value(fromPipe, key), bytes);
    }
}

void tst_BucketTransfer::exportSelectedKeysInOrder()
{
    KvBucket *bucket = makeBucket(u"sel"_s);
    for (int i = 0; i < 100; ++i)
        WAIT_OK(bucket->put(u"k%1"_s.arg(i), QByteArray::number(i)));
    QStringList keys;
    for (int i = 99; i >= 0; i -= 3)
        keys.append(u"k%1"_s.arg(i));
    keys.insert(5, u"missing"_s);
    QBuffer out;
    out.open(QIODevice::WriteOnly);
    KvExportJob exporter(bucket, &out);
    QSignalSpy finished(&exporter, &KvExportJob::finished);
    exporter.exportKeys(keys);
    QVERIFY(finished.wait(10000));
    QCOMPARE(exporter.state(), KvExportJob::State::Finished);
    QCOMPARE(exporter.skippedCount(), 1);
    QCOMPARE(exporter.writtenCount(), keys.size() - 1);
    QVERIFY(exporter.problems().first().contains(u"missing"_s));
    const QList<QByteArray> lines = out.data().trimmed().split('\n');
    keys.removeAll(u"missing"_s);
    QCOMPARE(lines.size(), keys.size());
    for (qsizetype i = 0; i < lines.size(); ++i) {
        KvEntry entry;
        QString error;
        QVERIFY2(KvNdjson::decode(lines[i], &entry, &error), qPrintable(error));
        QCOMPARE(entry.key, keys[i]);
        QCOMPARE(entry.value, entry.key.mid(1).toUtf8());
    }
}

void tst_BucketTransfer::exportEntriesReadsIncompleteValues()
{
    KvBucket *bucket = makeBucket(u"feed"_s, 1);
    const QByteArray big(100 * 1024, 'B');
    WAIT_OK(bucket->put(u"big"_s, big));      // rev 1
    WAIT_OK(bucket->put(u"gone"_s, "old"));   // rev 2
    WAIT_OK(bucket->put(u"gone"_s, "newer")); // rev 3: history 1 drops rev 2

    KvEntry complete;
    complete.key = u"small"_s;
    complete.value = "as received";
    complete.revision = 99; // not read again: the feed holds it whole
    KvEntry truncated;
    truncated.key = u"big"_s;
    truncated.value = big.left(200);
    truncated.valueSize = big.size();
    truncated.revision = 1;
    KvEntry lost = truncated;
    lost.key = u"gone"_s;
    lost.value = "o";
    lost.valueSize = 3;
    lost.revision = 2;

    QBuffer out;
    out.open(QIODevice::WriteOnly);
    KvExportJob exporter(bucket, &out);
    QSignalSpy finished(&exporter, &KvExportJob::finished);
    exporter.exportEntries({complete, truncated, lost});
    QVERIFY(finished.wait(10000));
    QCOMPARE(exporter.writtenCount(), 2);
    QCOMPARE(exporter.skippedCount(), 1);
    const QList<QByteArray> lines = out.data().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    KvEntry first;
    KvEntry second;
    QVERIFY(KvNdjson::decode(lines[0], &first, nullptr));
    QVERIFY(KvNdjson::decode(lines[1], &second, nullptr));
    QCOMPARE(first.value, "as received"_ba);
    QCOMPARE(first.revision, 99u);
    QCOMPARE(second.value, big);
    QCOMPARE(second.revision, 1u);
}

void tst_BucketTransfer::existingKeys_data()
{
    QTest::addColumn<KvImportJob::ExistingKeys>("mode");
    QTest::addColumn<KvImportJob::State>("state");
    QTest::addColumn<QByteArray>("existingValue");
    QTest::addColumn<qint64>("written");
    QTest::newRow("overwrite") << KvImportJob::ExistingKeys::Overwrite << KvImportJob::State::Finished << "new"_ba
                               << qint64(3);
    QTest::newRow("skip") << KvImportJob::ExistingKeys::Skip << KvImportJob::State::Finished << "old"_ba << qint64(2);
    QTest::newRow("stop") << KvImportJob::ExistingKeys::Stop << KvImportJob::State::Stopped << "old"_ba << qint64(-1);
}

void tst_BucketTransfer::existingKeys()
{
    QFETCH(KvImportJob::ExistingKeys, mode);
    QFETCH(KvImportJob::State, state);
    QFETCH(QByteArray, existingValue);
    QFETCH(qint64, written);

    KvBucket *bucket = makeBucket(u"imp"_s, 5);
    WAIT_OK(bucket->put(u"exists"_s, "old"));
    QByteArray input;
    for (const char *key : {"fresh1", "exists", "fresh2"}) {
        KvEntry entry;
        entry.key = QString::fromLatin1(key);
        entry.value = "new";
        input += KvNdjson::encode(entry) + '\n';
    }
    QBuffer file(&input);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    QSignalSpy errors(&importer, &KvImportJob::errorOccurred);
    importer.start(mode);
    QVERIFY(finished.wait(10000));
    QCOMPARE(importer.state(), state);
    const NatsError::Code expected = state == KvImportJob::State::Stopped ? NatsError::KeyExists : NatsError::NoError;
    QCOMPARE(importer.error(), expected);
    QCOMPARE(errors.count(), expected == NatsError::NoError ? 0 : 1);
    if (!errors.isEmpty())
        QCOMPARE(errors.first().first().value<NatsError::Code>(), expected);
    QCOMPARE(KvTest::value(bucket, u"exists"_s), existingValue);
    QCOMPARE(KvTest::value(bucket, u"fresh1"_s), "new"_ba);
    if (written >= 0)
        QCOMPARE(importer.writtenCount(), written);
    if (state == KvImportJob::State::Stopped) {
        QVERIFY2(importer.errorString().contains(u"\"exists\""_s) && importer.errorString().contains(u"line 2"_s),
                 qPrintable(importer.errorString()));
        QCOMPARE(importer.skippedCount(), 1);
    }
}

// A line for a key that exists, in a mode that keeps existing keys, is skipped even when its value is over
// the bucket's limit (refused before the server was asked, it was counted as a failure): the file is good.
// The same line for a new key is a bad line, naming the limit, and then nothing is written.
void tst_BucketTransfer::anExistingKeyIsSkippedWhateverTheLineHolds()
{
    KvBucket *bucket = makeBucket(u"big"_s, 1, 128);
    WAIT_OK(bucket->put(u"exists"_s, "old"));
    const auto line = [](const char *key, const QByteArray &value) -> QByteArray {
        KvEntry entry;
        entry.key = QString::fromLatin1(key);
        entry.value = value;
        return KvNdjson::encode(entry) + '\n';
    };
    QBuffer file;
    file.setData(line("exists", QByteArray(200, 'x')) + line("fresh", "small"));
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Skip);
    QVERIFY(finished.wait(10000));
    QVERIFY2(importer.failedCount() == 0, qPrintable(importer.problems().join(u'\n')));
    QCOMPARE(importer.skippedCount(), 1);
    QCOMPARE(importer.writtenCount(), 1);
    QCOMPARE(KvTest::value(bucket, u"exists"_s), "old"_ba);
    QCOMPARE(KvTest::value(bucket, u"fresh"_s), "small"_ba);

    QBuffer bad;
    bad.setData(line("other", "small") + line("exists", QByteArray(200, 'x')) + line("new.big", QByteArray(200, 'x')));
    bad.open(QIODevice::ReadOnly);
    KvImportJob refused(bucket, &bad);
    QSignalSpy refusedFinished(&refused, &KvImportJob::finished);
    QSignalSpy lineFailed(&refused, &KvImportJob::lineFailed);
    refused.start(KvImportJob::ExistingKeys::Skip);
    QVERIFY(refusedFinished.wait(10000));
    QCOMPARE(refused.state(), KvImportJob::State::Failed);
    QCOMPARE(refused.writtenCount(), 0);
    QCOMPARE(lineFailed.size(), 1);
    QCOMPARE(lineFailed.first().first().toLongLong(), 3);
    QCOMPARE(KvTest::getError(bucket, u"other"_s), NatsError::KeyNotFound);
}

// A file with several lines for a key (a watch feed's export) or with markers (an export with its deletes),
// imported in a mode that keeps existing keys: only the keys there before the import are kept. Every line
// after a key's first was taken for an existing key and skipped, so a.1 kept its first value, a deleted key
// came back, and every marker was skipped, all under "keys that already exist" (a tryout).
void tst_BucketTransfer::keepingExistingKeysStillReplaysTheFile_data()
{
    QTest::addColumn<KvImportJob::ExistingKeys>("mode");
    QTest::newRow("skip") << KvImportJob::ExistingKeys::Skip;
    QTest::newRow("fail") << KvImportJob::ExistingKeys::Fail;
}

void tst_BucketTransfer::keepingExistingKeysStillReplaysTheFile()
{
    QFETCH(KvImportJob::ExistingKeys, mode);
    KvBucket *bucket = makeBucket(u"replay"_s, 10);
    WAIT_OK(bucket->put(u"c"_s, "old"));
    const auto line = [](const char *key, KvEntry::Operation operation, const QByteArray &value = {}) -> QByteArray {
        KvEntry entry;
        entry.key = QString::fromLatin1(key);
        entry.operation = operation;
        entry.value = value;
        return KvNdjson::encode(entry) + '\n';
    };
    using Op = KvEntry::Operation;
    const QByteArray input = line("a", Op::Put, "v1") + line("a", Op::Put, "v2") + line("b", Op::Put, "x")
        + line("b", Op::Delete) + line("c", Op::Put, "new") + line("c", Op::Delete) + line("d", Op::Purge)
        + line("e", Op::Put, "v1") + line("e", Op::Delete) + line("e", Op::Put, "v3");
    QBuffer file;
    file.setData(input);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(mode);
    QVERIFY(finished.wait(10000));
    QCOMPARE(importer.state(), KvImportJob::State::Finished);
    QVERIFY2(importer.writtenCount() == 8, qPrintable(importer.problems().join(u'\n')));
    QCOMPARE(importer.skippedCount() + importer.failedCount(), 2); // c's two lines
    QCOMPARE(mode == KvImportJob::ExistingKeys::Skip ? importer.skippedCount() : importer.failedCount(), 2);
    QCOMPARE(KvTest::value(bucket, u"a"_s), "v2"_ba);
    QCOMPARE(KvTest::value(bucket, u"c"_s), "old"_ba);
    QCOMPARE(KvTest::value(bucket, u"e"_s), "v3"_ba);
    for (const QString &gone : {u"b"_s, u"d"_s}) {
        KvReply *get = bucket->get(gone);
        QTRY_VERIFY(get->isFinished());
        QCOMPARE(get->error(), NatsError::KeyNotFound);
        QVERIFY2(get->entry().revision > 0, qPrintable(gone)); // its marker is there, as in the file
    }
}

// "Stop at the first existing key" wrote the lines in flight after it too: up to a window of them (a
// tryout: 114 keys after the stopping line). Nothing after that line is written now.
void tst_BucketTransfer::stopWritesNothingAfterTheExistingKey()
{
    KvBucket *bucket = makeBucket(u"stop"_s);
    WAIT_OK(bucket->put(u"k.0300"_s, "old"));
    QByteArray input;
    for (int i = 0; i < 600; ++i) {
        KvEntry entry;
        entry.key = u"k.%1"_s.arg(i, 4, 10, QChar(u'0'));
        entry.value = "new";
        input += KvNdjson::encode(entry) + '\n';
    }
    QBuffer file;
    file.setData(input);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Stop);
    QVERIFY(finished.wait(20000));
    QCOMPARE(importer.state(), KvImportJob::State::Stopped);
    QCOMPARE(importer.writtenCount(), 300);
    QCOMPARE(importer.skippedCount(), 1);
    QVERIFY2(importer.errorString().contains(u"line 301"_s) && !importer.errorString().contains(u"stopped"_s),
             qPrintable(importer.errorString()));
    KvKeyLister *lister = bucket->listKeys();
    QStringList keys;
    connect(lister, &KvKeyLister::keysReceived, this, [&keys](const QStringList &more) { keys += more; });
    QSignalSpy listed(lister, &KvKeyLister::finished);
    QVERIFY(listed.wait(10000));
    keys.sort();
    QCOMPARE(keys.size(), 301);
    QCOMPARE(keys.last(), u"k.0300"_s);
    QCOMPARE(KvTest::value(bucket, u"k.0300"_s), "old"_ba);
}

void tst_BucketTransfer::importCancel()
{
    KvBucket *bucket = makeBucket(u"cancel"_s);
    QByteArray input;
    for (int i = 0; i < 20000; ++i) {
        KvEntry entry;
        entry.key = u"key.%1"_s.arg(i);
        entry.value = QByteArray::number(i);
        input += KvNdjson::encode(entry) + '\n';
    }
    QBuffer file(&input);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    QSignalSpy errors(&importer, &KvImportJob::errorOccurred);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QTRY_VERIFY(importer.writtenCount() > 100);
    importer.cancel();
    QVERIFY(finished.wait(10000) || importer.isFinished());
    QCOMPARE(importer.state(), KvImportJob::State::Cancelled);
    QCOMPARE(importer.error(), NatsError::Cancelled);
    QCOMPARE(errors.count(), 1);
    QVERIFY(importer.writtenCount() < 20000);
    // The counts are true: every write sent was waited for.
    KvReply *keys = bucket->keys();
    QTRY_VERIFY_WITH_TIMEOUT(keys->isFinished(), 10000);
    QCOMPARE(keys->keys().size(), importer.writtenCount());
}

namespace {

// The keys a bucket holds (none after an import that wrote nothing).
QStringList bucketKeys(KvBucket *bucket)
{
    KvReply *keys = bucket->keys();
    if (!QTest::qWaitFor([keys] { return keys->isFinished(); }, 10000))
        return {u"(no answer)"_s};
    return keys->error() == NatsError::NoError || keys->error() == NatsError::KeyNotFound ? keys->keys()
                                                                                          : QStringList{u"(error)"_s};
}

} // namespace

// A file with bad lines wrote its good lines and left the bucket half-imported (a tryout: 2 of 9 lines
// written, exit 1), and a bad key was reported when its write was answered, after the later lines that
// were not JSON. The whole input is checked first now: any bad line, and nothing is written; every bad
// line is named, in line order.
void tst_BucketTransfer::badLinesAreCountedAndNamed()
{
    KvBucket *bucket = makeBucket(u"bad"_s, 1, 1024);
    const QByteArray input = "{\"key\":\"ok\",\"value\":\"1\"}\n"
                             "not json\n"
                             "\n"
                             "{\"key\":\"bad..key\",\"value\":\"x\"}\n"
                             "{\"value\":\"no key\"}\n"
                             "{\"key\":\"b64\",\"value\":\"AAE=\",\"encoding\":\"base64\"}\n"
                             "{\"key\":\"b64.bad\",\"value\":\"!!!\",\"encoding\":\"base64\"}\n"
                             "{\"key\":\"nul\",\"value\":null}\n"
                             "{\"key\":\"big\",\"value\":\""
        + QByteArray(2000, 'x') + "\"}\n" + "{\"key\":\"last\",\"value\":\"2\"}\n" + "{\"key\":\"huge\",\"value\":\""
        + QByteArray(1024 * 1024, 'x') + "\"}\n" + "also not json\n";
    const QList<qint64> badLines{2, 4, 5, 7, 8, 9, 11, 12};

    QBuffer file;
    file.setData(input);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    QSignalSpy lineFailed(&importer, &KvImportJob::lineFailed);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(20000));
    QCOMPARE(importer.writtenCount(), 0);
    QCOMPARE(bucketKeys(bucket), QStringList());
    QCOMPARE(importer.state(), KvImportJob::State::Failed);
    QVERIFY2(importer.errorString().contains(u"nothing was written"_s), qPrintable(importer.errorString()));
    QCOMPARE(importer.failedCount(), badLines.size());
    QCOMPARE(importer.lineCount(), 12);
    QList<qint64> reported;
    for (const QList<QVariant> &signal : std::as_const(lineFailed))
        reported.append(signal.first().toLongLong());
    QCOMPARE(reported, badLines); // in line order
    const QStringList problems = importer.problems();
    QCOMPARE(problems.size(), badLines.size());
    for (qsizetype i = 0; i < badLines.size(); ++i)
        QVERIFY2(problems[i].startsWith(u"line %1:"_s.arg(badLines[i])), qPrintable(problems[i]));
    QVERIFY2(problems[1].contains(u"empty token"_s), qPrintable(problems[1]));
    QVERIFY2(problems[5].contains(u"1024"_s), qPrintable(problems[5])); // the bucket's limit

    // The same file through a pipe: checked as it arrives, nothing written either.
    QTemporaryFile saved;
    QVERIFY(saved.open());
    saved.write(input);
    saved.close();
    QProcess producer;
    producer.start(u"cat"_s, {saved.fileName()});
    QVERIFY(producer.waitForStarted());
    KvImportJob piped(bucket, &producer);
    QSignalSpy pipedFinished(&piped, &KvImportJob::finished);
    piped.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(pipedFinished.wait(20000));
    QCOMPARE(piped.state(), KvImportJob::State::Failed);
    QCOMPARE(piped.writtenCount(), 0);
    QCOMPARE(piped.failedCount(), badLines.size());
    QCOMPARE(bucketKeys(bucket), QStringList());
}

// A line with a TTL where keys cannot have one (nats-server before 2.11, or a bucket without a marker TTL)
// is a bad line like any other: found by the check, so nothing is written. It was refused only when written,
// after the lines before it: the file half-imported.
void tst_BucketTransfer::aTtlTheBucketCannotTakeIsABadLine()
{
    KvBucket *bucket = makeBucket(u"nottl"_s); // no marker TTL: no per-key TTL on any server
    QBuffer file;
    file.setData("{\"key\":\"before\",\"value\":\"1\"}\n"
                 "{\"key\":\"expiring\",\"value\":\"2\",\"ttl\":5000000000}\n"
                 "{\"key\":\"after\",\"value\":\"3\"}\n"
                 "{\"key\":\"expiring.too\",\"value\":\"4\",\"ttl\":5000000000}\n");
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(20000));
    QCOMPARE(importer.state(), KvImportJob::State::Failed);
    QCOMPARE(importer.writtenCount(), 0);
    QCOMPARE(bucketKeys(bucket), QStringList());
    QCOMPARE(importer.failedCount(), 2);
    const QStringList problems = importer.problems();
    QCOMPARE(problems.size(), 2);
    QVERIFY2(problems[0].startsWith(u"line 2:"_s) && problems[0].contains(u"TTL"_s), qPrintable(problems[0]));
    QVERIFY2(problems[1].startsWith(u"line 4:"_s) && problems[1].contains(u"TTL"_s), qPrintable(problems[1]));
}

// kvdesk-cli import created a missing bucket before the job checked the input: a bad line wrote nothing
// but left a new, empty bucket. Given the settings of the bucket to create, the job checks the input
// against them (its max value size here) and creates the bucket only once every line is good.
void tst_BucketTransfer::aBucketToCreateIsMadeOnlyForAGoodInput()
{
    KvBucketConfig config;
    config.bucket = u"tocreate"_s + QString::number(m_counter);
    config.history = 3;
    config.maxValueSize = 1024;
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    QBuffer bad;
    bad.setData("{\"key\":\"small\",\"value\":\"1\"}\n"
                "{\"key\":\"big\",\"value\":\""
                + QByteArray(2000, 'x') + "\"}\n");
    bad.open(QIODevice::ReadOnly);
    KvImportJob refused(bucket, &bad);
    refused.setCreateConfig(config);
    QSignalSpy refusedFinished(&refused, &KvImportJob::finished);
    QSignalSpy refusedCreated(&refused, &KvImportJob::bucketCreated);
    refused.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(refusedFinished.wait(20000));
    QCOMPARE(refused.state(), KvImportJob::State::Failed);
    QCOMPARE(refused.failedCount(), 1);
    QVERIFY2(refused.problems().value(0).startsWith(u"line 2:"_s) && refused.problems().value(0).contains(u"1024"_s),
             qPrintable(refused.problems().join(u'\n')));
    QVERIFY2(refused.errorString().contains(u"bucket \"%1\" was not created"_s.arg(config.bucket)),
             qPrintable(refused.errorString()));
    QCOMPARE(refusedCreated.count(), 0);
    KvReply *missing = m_kv->bucketStatus(config.bucket);
    WAIT_ERROR(missing, NatsError::BucketNotFound);

    QBuffer good;
    good.setData("{\"key\":\"small\",\"value\":\"1\"}\n{\"key\":\"small\",\"value\":\"2\"}\n");
    good.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &good);
    importer.setCreateConfig(config);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    QSignalSpy created(&importer, &KvImportJob::bucketCreated);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(20000));
    QVERIFY2(importer.state() == KvImportJob::State::Finished, qPrintable(importer.errorString()));
    QCOMPARE(created.count(), 1);
    QCOMPARE(importer.writtenCount(), 2);
    QCOMPARE(KvTest::value(bucket, u"small"_s), "2"_ba);
    KvReply *status = m_kv->bucketStatus(config.bucket);
    WAIT_OK(status);
    QCOMPARE(status->status().config.history, 3);
    QCOMPARE(status->status().config.maxValueSize, 1024);
}

// Lines with a ttl are judged as the bucket to be created would take them: with a marker TTL it takes
// them on a server with per-key TTLs (2.11+), elsewhere they are bad lines and nothing is created.
void tst_BucketTransfer::ttlLinesAreJudgedByTheBucketToCreate()
{
    KvBucketConfig config;
    config.bucket = u"ttlcreate"_s + QString::number(m_counter);
    config.markerTtlMs = 10000;
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    QBuffer file;
    file.setData("{\"key\":\"plain\",\"value\":\"1\"}\n{\"key\":\"temp\",\"value\":\"2\",\"ttl\":60000000000}\n");
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    importer.setCreateConfig(config);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(20000));
    if (m_kv->jetStream()->capabilities()->supports(JsServerCapabilities::Feature::MessageTtl)) {
        QVERIFY2(importer.state() == KvImportJob::State::Finished,
                 qPrintable(importer.problems().join(u'\n') + importer.errorString()));
        QCOMPARE(importer.writtenCount(), 2);
        KvReply *temp = bucket->get(u"temp"_s);
        WAIT_OK(temp);
        QCOMPARE(temp->entry().ttlNs, 60000000000LL);
        return;
    }
    QCOMPARE(importer.state(), KvImportJob::State::Failed);
    QVERIFY2(importer.problems().value(0).startsWith(u"line 2: per-key TTL needs nats-server 2.11"_s),
             qPrintable(importer.problems().join(u'\n')));
    KvReply *missing = m_kv->bucketStatus(config.bucket);
    WAIT_ERROR(missing, NatsError::BucketNotFound);
}

void tst_BucketTransfer::aBucketMadeMeanwhileIsWrittenOnlyWithTheSettingsChecked_data()
{
    QTest::addColumn<int>("theirHistory");
    QTest::addColumn<bool>("written");
    QTest::newRow("the same settings") << 1 << true;
    QTest::newRow("other settings") << 5 << false;
}

// Someone else creates the bucket while the job checks its input against the settings it would create it
// with: the same settings, and the job writes into it (creating it again changes nothing); other ones,
// and nothing is written into a bucket whose limits the input was not checked against.
void tst_BucketTransfer::aBucketMadeMeanwhileIsWrittenOnlyWithTheSettingsChecked()
{
    QFETCH(int, theirHistory);
    QFETCH(bool, written);
    KvBucketConfig config;
    config.bucket = u"meanwhile"_s + QString::number(m_counter);
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    QProcess producer; // the input ends when the test says so
    producer.start(u"cat"_s, QStringList());
    QVERIFY(producer.waitForStarted());
    KvImportJob importer(bucket, &producer);
    importer.setCreateConfig(config);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    producer.write("{\"key\":\"a\",\"value\":\"1\"}\n{\"key\":\"b\",\"value\":\"2\"}\n");
    QVERIFY(producer.waitForBytesWritten(5000));

    KvBucketConfig theirs = config;
    theirs.history = theirHistory;
    QVERIFY(KvTest::createBucket(m_kv, theirs));
    producer.closeWriteChannel();
    QVERIFY(finished.wait(20000));
    if (written) {
        QVERIFY2(importer.state() == KvImportJob::State::Finished, qPrintable(importer.errorString()));
        QCOMPARE(importer.writtenCount(), 2);
        QStringList keys = bucketKeys(bucket);
        keys.sort();
        QCOMPARE(keys, (QStringList{u"a"_s, u"b"_s}));
        return;
    }
    QCOMPARE(importer.state(), KvImportJob::State::Failed);
    QCOMPARE(importer.writtenCount(), 0);
    QVERIFY2(
        importer.errorString().contains(u"bucket \"%1\" was created meanwhile with other settings"_s.arg(config.bucket))
            && importer.errorString().contains(u"nothing was written"_s),
        qPrintable(importer.errorString()));
    QCOMPARE(bucketKeys(bucket), QStringList());
    KvReply *status = m_kv->bucketStatus(config.bucket);
    WAIT_OK(status);
    QCOMPARE(status->status().config.history, theirHistory); // left as they made it
}

// A pipe whose lines are all good is checked, then written whole (read once: kept aside meanwhile).
void tst_BucketTransfer::aGoodPipeIsWrittenWhole()
{
    KvBucket *bucket = makeBucket(u"goodpipe"_s);
    QProcess producer;
    producer.start(u"sh"_s,
                   {u"-c"_s,
                    u"for i in $(seq 1 3000); do printf '{\"key\":\"k.%s\",\"value\":\"v%s\"}\\n' "
                    u"$i $i; done"_s});
    QVERIFY(producer.waitForStarted());
    KvImportJob importer(bucket, &producer);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(30000));
    QVERIFY2(importer.state() == KvImportJob::State::Finished, qPrintable(importer.errorString()));
    QCOMPARE(importer.writtenCount(), 3000);
    QCOMPARE(importer.lineCount(), 3000);
    QCOMPARE(KvTest::value(bucket, u"k.3000"_s), "v3000"_ba);
}

namespace {

// A file whose reads are stamped with the event-loop turn they happen in (a counter a zero timer moves).
class TurnStampedBuffer final : public QBuffer
{
public:
    TurnStampedBuffer(QByteArray *data, const int *turn)
        : QBuffer(data)
        , m_turn(turn)
    {
    }
    QSet<int> turns;

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        turns.insert(*m_turn);
        return QBuffer::readData(data, maxSize);
    }

private:
    const int *m_turn;
};

} // namespace

// Skipping a line past the limit (a binary file imported by mistake, gigabytes without a newline) reads
// it a piece per event-loop turn: the window stays responsive and the connection answers its PINGs, where
// the whole line was read in one go (an endless one, from a device, never ended that turn).
void tst_BucketTransfer::skippingALongLineLetsTheEventLoopRun()
{
    KvBucket *bucket = makeBucket(u"skip"_s, 1, 1024);
    QByteArray input(32 * 1024 * 1024, 'x');
    input += "\n{\"key\":\"after\",\"value\":\"1\"}\n";
    int turn = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, this, [&turn] { ++turn; });
    ticker.start(0);
    TurnStampedBuffer file(&input, &turn);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(30000));
    QCOMPARE(importer.failedCount(), 1);
    QCOMPARE(importer.writtenCount(), 0); // a file with a bad line writes nothing
    QVERIFY2(file.turns.size() >= 8, qPrintable(u"the 32 MiB line was read in %1 turn(s)"_s.arg(file.turns.size())));
}

void tst_BucketTransfer::overlongLineIsRefusedAndNamed()
{
    // A line longer than any value the bucket can take (its max value size as base64, plus the JSON
    // around it) is refused by its number, without reading it whole; the lines around it still go in.
    KvBucket *bucket = makeBucket(u"long"_s, 1, 1024);
    KvEntry huge;
    huge.key = u"huge"_s;
    huge.value = QByteArray(512 * 1024, 'x');
    QByteArray input = "{\"key\":\"first\",\"value\":\"1\"}\n" + KvNdjson::encode(huge) + '\n'
        + "{\"key\":\"last\",\"value\":\"3\"}\n";
    QBuffer file(&input);
    file.open(QIODevice::ReadOnly);
    KvImportJob importer(bucket, &file);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(finished.wait(10000));
    QVERIFY2(importer.failedCount() == 1, qPrintable(importer.problems().join(u'\n')));
    QCOMPARE(importer.writtenCount(), 0); // a file with a bad line writes nothing
    QCOMPARE(importer.lineCount(), 3);
    const QStringList problems = importer.problems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems[0].startsWith(u"line 2:"_s) && problems[0].contains(u"longer than"_s), qPrintable(problems[0]));
    QCOMPARE(KvTest::getError(bucket, u"last"_s), NatsError::KeyNotFound);

    // The same through a pipe, where the line arrives in pieces.
    QProcess producer;
    producer.start(u"sh"_s,
                   {u"-c"_s,
                    u"printf '{\"key\":\"piped\",\"value\":\"'; head -c 600000 /dev/zero | tr '\\0' x; "
                    u"printf '\"}\\n{\"key\":\"after\",\"value\":\"4\"}\\n'"_s});
    QVERIFY(producer.waitForStarted());
    KvImportJob piped(bucket, &producer);
    QSignalSpy pipedFinished(&piped, &KvImportJob::finished);
    piped.start(KvImportJob::ExistingKeys::Overwrite);
    QVERIFY(pipedFinished.wait(10000));
    QVERIFY2(piped.failedCount() == 1, qPrintable(piped.problems().join(u'\n')));
    QVERIFY2(piped.problems().value(0).startsWith(u"line 1:"_s), qPrintable(piped.problems().value(0)));
    QCOMPARE(piped.writtenCount(), 0);
    QCOMPARE(KvTest::getError(bucket, u"after"_s), NatsError::KeyNotFound);
    QCOMPARE(KvTest::getError(bucket, u"piped"_s), NatsError::KeyNotFound);
}

void tst_BucketTransfer::slowPipeKeepsEventLoopTurning()
{
    // Lines arriving slowly through a pipe (a producer writing half a line, then waiting) must not
    // block the event loop, and a half-read line is never taken for a whole one.
    KvBucket *bucket = makeBucket(u"pipe"_s);
    QProcess producer;
    producer.start(u"sh"_s, {u"-c"_s, u"printf '{\"key\":\"a\",\"val'; read go; printf 'ue\":\"1\"}\\n'"_s});
    QVERIFY(producer.waitForStarted());
    KvImportJob importer(bucket, &producer);
    QSignalSpy finished(&importer, &KvImportJob::finished);
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    // The event loop still turns while the producer holds back the rest of the line.
    bool turned = false;
    QTimer::singleShot(50, this, [&turned] { turned = true; });
    QTRY_VERIFY(turned);
    QVERIFY(!importer.isFinished());
    QCOMPARE(importer.failedCount(), 0);
    producer.write("go\n");
    QVERIFY(finished.wait(10000));
    QCOMPARE(importer.failedCount(), 0);
    QCOMPARE(importer.writtenCount(), 1);
    QCOMPARE(KvTest::value(bucket, u"a"_s), "1"_ba);
}

void tst_BucketTransfer::jobsReportErrorsAsRepliesDo()
{
    // Like every reply: error(), errorString() and errorOccurred(code) first, then finished().
    KvBucket *bucket = makeBucket(u"errs"_s);
    QStringList events;

    QBuffer unopened; // neither readable nor writable
    KvImportJob importer(bucket, &unopened);
    connect(&importer, &KvImportJob::errorOccurred, this,
            [&events](NatsError::Code code) { events.append(u"import error %1"_s.arg(int(code))); });
    connect(&importer, &KvImportJob::finished, this, [&events] { events.append(u"import finished"_s); });
    importer.start(KvImportJob::ExistingKeys::Overwrite);
    QTRY_VERIFY(importer.isFinished());
    QCOMPARE(importer.state(), KvImportJob::State::Failed);
    QCOMPARE(importer.error(), NatsError::InvalidArgument);
    QCOMPARE(importer.errorString(), u"nothing to import from"_s);

    KvExportJob exporter(bucket, nullptr);
    connect(&exporter, &KvExportJob::errorOccurred, this,
            [&events](NatsError::Code code) { events.append(u"export error %1"_s.arg(int(code))); });
    connect(&exporter, &KvExportJob::finished, this, [&events] { events.append(u"export finished"_s); });
    exporter.exportBucket();
    QTRY_VERIFY(exporter.isFinished());
    QCOMPARE(exporter.state(), KvExportJob::State::Failed);
    QCOMPARE(exporter.error(), NatsError::InvalidArgument);
    QCOMPARE(exporter.errorString(), u"nothing to export to"_s);
    const QString invalid = QString::number(int(NatsError::InvalidArgument));
    QCOMPARE(events,
             (QStringList{u"import error "_s + invalid, u"import finished"_s, u"export error "_s + invalid,
                          u"export finished"_s}));
}

// A server that stops answering mid-import (SIGSTOP: its sockets stay open): the writes in flight end
// as their retries run out, and the import stops there, naming why, instead of sending the rest of the
// input a window at a time, each waiting out its retries (a CLI import took hours to give up).
void tst_BucketTransfer::aServerThatStopsAnsweringStopsTheImport()
{
    NatsServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    JetStreamContext *js = nullptr;
    KvContext *kv = nullptr;
    KvClient *client = KvTest::connectClient(NatsConnectOptions::fromUrl(server.url()), this, nullptr, &js, &kv);
    QVERIFY(client);
    js->setTimeout(500);
    KvBucketConfig config;
    config.bucket = u"frozen"_s;
    QVERIFY(KvTest::createBucket(kv, config));
    KvBucket *bucket = kv->bucket(config.bucket, this);
    bucket->setWriteRetryLimit(1000);
    QBuffer input;
    input.open(QIODevice::ReadWrite);
    constexpr int kLines = 5000;
    for (int i = 0; i < kLines; ++i)
        input.write("{\"key\":\"k" + QByteArray::number(i) + "\",\"value\":\"v\"}\n");
    input.seek(0);
    KvImportJob job(bucket, &input);
    job.setWindow(16);
    QSignalSpy finished(&job, &KvImportJob::finished);
    job.start(KvImportJob::ExistingKeys::Overwrite);
    QTRY_VERIFY(job.writtenCount() > 0);
    QVERIFY(server.freeze());
    const auto thaw = qScopeGuard([&server] { server.thaw(); });
    QVERIFY(finished.wait(20000));
    QCOMPARE(job.state(), KvImportJob::State::Stopped);
    QVERIFY2(job.errorString().contains(u"stopped answering"_s), qPrintable(job.errorString()));
    QVERIFY(job.lineCount() < kLines);
    QVERIFY(job.failedCount() > 0);
    QCOMPARE(job.writtenCount() + job.failedCount(), job.lineCount());
}

QTEST_GUILESS_MAIN(tst_BucketTransfer)

#include "tst_buckettransfer.moc"
