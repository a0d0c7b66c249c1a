#include "clirunner.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// `kvdesk-cli restore BUCKET --as-of REVISION|TIME [KEY...]` against a real nats-server (each of the
// matrix): keys put back as they were (KvRestoreJob), a report per key, and exit 1 when a key could not be
// or when the bucket no longer names every key of then.
class tst_KvRestoreCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void restoresSelectedKeys();
    void restoresWholeBucketAsJson();
    void unanswerableKeyExitsOne();
    void incompleteReadExitsOne();
    void badInputIsUsageError();
    void aWriteMadeWhileAskingIsNotOverwritten();

private:
    CliRunner::Result cli(const QStringList &arguments) const
    {
        return m_runner.run(QStringList{u"-s"_s, m_server.url()} + arguments);
    }
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    // Puts key=value (a value "-" deletes the key); the revision written, 0 on failure.
    quint64 write(const QString &bucket, const QString &key, const QString &value) const;
    QByteArray get(const QString &bucket, const QString &key) const;

    NatsServerProcess m_server;
    CliRunner m_runner;
    int m_counter = 0;
};

void tst_KvRestoreCli::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

quint64 tst_KvRestoreCli::write(const QString &bucket, const QString &key, const QString &value) const
{
    const CliRunner::Result result = value == "-"_L1 ? cli({u"--json"_s, u"rm"_s, bucket, key, u"-f"_s})
                                                     : cli({u"--json"_s, u"put"_s, bucket, key, value});
    if (result.exitCode != 0) {
        qWarning().noquote() << result.describe();
        return 0;
    }
    return quint64(QJsonDocument::fromJson(result.out).object().value("revision"_L1).toInteger());
}

QByteArray tst_KvRestoreCli::get(const QString &bucket, const QString &key) const
{
    const CliRunner::Result result = cli({u"get"_s, bucket, key, u"--raw"_s});
    return result.exitCode == 0 ? result.out : "<not found>"_ba;
}

void tst_KvRestoreCli::restoresSelectedKeys()
{
    const QString bucket = unique(u"clirestore"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"10"_s}), 0);
    QVERIFY(write(bucket, u"a"_s, u"a1"_s));
    QVERIFY(write(bucket, u"b"_s, u"b1"_s));
    const quint64 point = write(bucket, u"c"_s, u"c1"_s);
    QVERIFY(point);
    QVERIFY(write(bucket, u"a"_s, u"a2"_s));
    QVERIFY(write(bucket, u"b"_s, u"-"_s));
    QVERIFY(write(bucket, u"c"_s, u"c2"_s));
    CLI_EXPECT(restore, cli({u"restore"_s, bucket, u"a"_s, u"b"_s, u"--as-of"_s, QString::number(point), u"-f"_s}), 0);
    QVERIFY2(restore.out.contains("restored") && restore.out.contains("created"), qPrintable(restore.describe()));
    // The point named once: a revision is its own revision.
    QVERIFY2(restore.out.contains(u"Restore of %1 as of revision %2"_s.arg(bucket).arg(point).toUtf8())
                 && !restore.out.contains("(revision"),
             qPrintable(restore.describe()));
    QCOMPARE(get(bucket, u"a"_s), "a1"_ba);
    QCOMPARE(get(bucket, u"b"_s), "b1"_ba);
    QCOMPARE(get(bucket, u"c"_s), "c2"_ba); // not named: left alone
}

void tst_KvRestoreCli::restoresWholeBucketAsJson()
{
    const QString bucket = unique(u"clirestoreall"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"10"_s}), 0);
    const quint64 point = write(bucket, u"a"_s, u"a1"_s);
    QVERIFY(point);
    QVERIFY(write(bucket, u"a"_s, u"a2"_s));
    QVERIFY(write(bucket, u"later"_s, u"l1"_s));
    CLI_EXPECT(restore, cli({u"--json"_s, u"restore"_s, bucket, u"--as-of"_s, QString::number(point), u"-f"_s}), 0);
    QMap<QString, QString> results;
    for (const QByteArray &line : restore.out.split('\n')) {
        if (!line.isEmpty()) {
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            results.insert(object.value("key"_L1).toString(), object.value("result"_L1).toString());
        }
    }
    const QMap<QString, QString> expected{{u"a"_s, u"restored"_s}, {u"later"_s, u"deleted"_s}};
    QCOMPARE(results, expected);
    QCOMPARE(get(bucket, u"a"_s), "a1"_ba);
    QCOMPARE(get(bucket, u"later"_s), "<not found>"_ba);
}

void tst_KvRestoreCli::unanswerableKeyExitsOne()
{
    const QString bucket = unique(u"clirestoreone"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"1"_s}), 0);
    QVERIFY(write(bucket, u"k"_s, u"v1"_s));
    const quint64 point = write(bucket, u"other"_s, u"o1"_s);
    QVERIFY(point);
    QVERIFY(write(bucket, u"k"_s, u"v2"_s));
    CLI_EXPECT(restore, cli({u"restore"_s, bucket, u"k"_s, u"--as-of"_s, QString::number(point), u"-f"_s}), 1);
    QVERIFY2(restore.out.contains("unanswerable"), qPrintable(restore.describe()));
    QCOMPARE(get(bucket, u"k"_s), "v2"_ba); // never written with a guess
}

void tst_KvRestoreCli::incompleteReadExitsOne()
{
    // gone is deleted and compacted away, marker and all: as of the point the bucket can no longer say it
    // had a value. What it does know is restored; the gap is said on stderr, and the exit status is 1.
    const QString bucket = unique(u"clirestoregap"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"5"_s}), 0);
    QVERIFY(write(bucket, u"gone"_s, u"g1"_s));
    const quint64 point = write(bucket, u"k"_s, u"v1"_s);
    QVERIFY(point);
    QVERIFY(write(bucket, u"gone"_s, u"-"_s));
    QVERIFY(write(bucket, u"k"_s, u"v2"_s));
    CLI_EXPECT(compact, cli({u"compact"_s, bucket, u"--older-than"_s, u"0"_s, u"-f"_s}), 0);
    CLI_EXPECT(restore, cli({u"restore"_s, bucket, u"--as-of"_s, QString::number(point), u"-f"_s}), 1);
    QVERIFY2(restore.out.contains("restored"), qPrintable(restore.describe()));
    QVERIFY2(restore.err.contains(QByteArray("no longer holds every revision up to " + QByteArray::number(point))),
             qPrintable(restore.describe()));
    QCOMPARE(get(bucket, u"k"_s), "v1"_ba);
    QCOMPARE(get(bucket, u"gone"_s), "<not found>"_ba);
}

void tst_KvRestoreCli::badInputIsUsageError()
{
    CLI_EXPECT(noPoint, cli({u"restore"_s, u"b"_s, u"k"_s, u"-f"_s}), 2);
    QVERIFY2(noPoint.err.contains("--as-of"), qPrintable(noPoint.describe()));
    CLI_EXPECT(badPoint, cli({u"restore"_s, u"b"_s, u"--as-of"_s, u"yesterday"_s, u"-f"_s}), 2);
    CLI_EXPECT(badKey, cli({u"restore"_s, u"b"_s, u"bad key"_s, u"--as-of"_s, u"1"_s, u"-f"_s}), 2);
}

// The point is read before the question is asked: a key written while it waits is newer than the
// listing, and reported as changed since, never overwritten.
void tst_KvRestoreCli::aWriteMadeWhileAskingIsNotOverwritten()
{
    const QString bucket = unique(u"askrace"_s);
    QCOMPARE(cli({u"add"_s, bucket, u"--history"_s, u"10"_s}).exitCode, 0);
    const quint64 point = write(bucket, u"a"_s, u"then"_s);
    QVERIFY(point > 0);
    QVERIFY(write(bucket, u"a"_s, u"later"_s) > 0);
    const CliRunner::Result asked = m_runner.runAnsweringPrompts(
        {u"-s"_s, m_server.url(), u"restore"_s, bucket, u"a"_s, u"--as-of"_s, QString::number(point)},
        {{"Really put", "y"}}, [&](qsizetype) { QVERIFY(write(bucket, u"a"_s, u"sneaky"_s) > 0); });
    QVERIFY2(asked.out.contains("changed since"), qPrintable(asked.describe()));
    QCOMPARE(get(bucket, u"a"_s), "sneaky"_ba);
}

QTEST_GUILESS_MAIN(tst_KvRestoreCli)
#include "tst_kvrestorecli.moc"
