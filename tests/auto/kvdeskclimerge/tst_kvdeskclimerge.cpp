#include "clirunner.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli merge against a real server: what it writes, and what it refuses to write.
class tst_KvdeskCliMerge final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanJsonMergeFromStdin();
    void cleanTextMergeFromFile();
    void aLayoutOnlyEditIsSaidNotKept();
    void conflictsWriteNothingAndAreListed();
    void conflictsAsJson();
    void textConflictsShowTheLines();
    void refusals_data();
    void refusals();
    void aBaseNotWrittenYetIsRefused();
    void aBaseThatIsNotTheKeysIsSaidSo();
    void aHistoryOfOneIsWordedAsGetWordsIt();

private:
    CliRunner::Result cli(const QStringList &arguments, const QByteArray &input = {}) const
    {
        return m_runner.run(QStringList{u"-s"_s, m_server.url()} + arguments, input);
    }
    quint64 put(const QString &key, const QByteArray &value);
    KvEntry latest(const QString &key);

    NatsServerProcess m_server;
    CliRunner m_runner;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
};

void tst_KvdeskCliMerge::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
    CLI_EXPECT(made, cli({u"add"_s, u"M"_s, u"--history"_s, u"2"_s}), 0);
    m_bucket = m_kv->bucket(u"M"_s, this);
}

quint64 tst_KvdeskCliMerge::put(const QString &key, const QByteArray &value)
{
    KvReply *reply = m_bucket->put(key, value);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return 0;
    reply->deleteLater();
    return reply->revision();
}

KvEntry tst_KvdeskCliMerge::latest(const QString &key)
{
    KvReply *reply = m_bucket->get(key);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return {};
    reply->deleteLater();
    return reply->entry();
}

void tst_KvdeskCliMerge::cleanJsonMergeFromStdin()
{
    const quint64 base = put(u"config"_s, "{\n  \"replicas\": 1,\n  \"image\": \"v1\"\n}\n");
    const quint64 theirs = put(u"config"_s, "{\n  \"replicas\": 3,\n  \"image\": \"v1\"\n}\n");
    CLI_EXPECT(
        merged,
        cli({u"merge"_s, u"M"_s, u"config"_s, QString::number(base)}, R"({"replicas":1,"image":"v2","debug":true})"),
        0);
    QVERIFY2(merged.out.contains(QByteArray("saved as revision " + QByteArray::number(theirs + 1))),
             merged.out.constData());
    const KvEntry entry = latest(u"config"_s);
    QCOMPARE(entry.revision, theirs + 1);
    QCOMPARE(entry.value, "{\n  \"replicas\": 3,\n  \"image\": \"v2\",\n  \"debug\": true\n}\n"_ba);
}

void tst_KvdeskCliMerge::cleanTextMergeFromFile()
{
    const quint64 base = put(u"hosts"_s, "a 1\nb 2\nc 3\n");
    put(u"hosts"_s, "a 1\nb 2\nc 30\n");
    QTemporaryDir dir;
    QFile file(dir.filePath(u"hosts.txt"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("a 10\nb 2\nc 3\n");
    file.close();
    CLI_EXPECT(merged, cli({u"--json"_s, u"merge"_s, u"M"_s, u"hosts"_s, QString::number(base), file.fileName()}), 0);
    const QJsonObject written = QJsonDocument::fromJson(merged.out).object();
    QCOMPARE(written.value(u"key"_s).toString(), u"hosts"_s);
    QCOMPARE(latest(u"hosts"_s).value, "a 10\nb 2\nc 30\n"_ba);
    QCOMPARE(quint64(written.value(u"revision"_s).toInteger()), latest(u"hosts"_s).revision);
}

// Theirs changed the one line ours only laid out again: merged by members, nothing of ours is left to
// write, and the note says the layout was not kept (it said only "already holds the merged value").
void tst_KvdeskCliMerge::aLayoutOnlyEditIsSaidNotKept()
{
    const quint64 base = put(u"compact"_s, R"({"a":1})");
    const quint64 theirs = put(u"compact"_s, R"({"a":2})");
    CLI_EXPECT(merged, cli({u"merge"_s, u"M"_s, u"compact"_s, QString::number(base)}, "{\n  \"a\": 1\n}\n"), 0);
    QVERIFY2(merged.err.contains("nothing written") && merged.err.contains("layout"), merged.err.constData());
    QCOMPARE(latest(u"compact"_s).revision, theirs);
}

void tst_KvdeskCliMerge::conflictsWriteNothingAndAreListed()
{
    const quint64 base = put(u"clash"_s, R"({"port":1,"host":"h","tags":["a"]})");
    const quint64 theirs = put(u"clash"_s, R"({"port":3,"host":"h","tags":["b"]})");
    CLI_EXPECT(refused,
               cli({u"merge"_s, u"M"_s, u"clash"_s, QString::number(base)}, R"({"port":2,"host":"h2","tags":["c"]})"),
               1);
    const QByteArray listed = "conflict at /port:\n  base (revision " + QByteArray::number(base)
        + "): 1\n  yours: 2\n  theirs (revision " + QByteArray::number(theirs) + "): 3\n";
    QVERIFY2(refused.out.contains(listed), refused.out.constData());
    QVERIFY2(refused.out.contains("conflict at /tags:"), refused.out.constData());
    QVERIFY2(refused.err.contains("2 conflicts") && refused.err.contains("nothing written"), refused.err.constData());
    QCOMPARE(latest(u"clash"_s).revision, theirs);
}

void tst_KvdeskCliMerge::conflictsAsJson()
{
    const quint64 base = put(u"clashjson"_s, R"({"a":{"b":1}})");
    put(u"clashjson"_s, R"({"a":{"b":3}})");
    CLI_EXPECT(refused, cli({u"merge"_s, u"--json"_s, u"M"_s, u"clashjson"_s, QString::number(base)}, R"({"a":{}})"),
               1);
    const QJsonObject conflict = QJsonDocument::fromJson(refused.out).object();
    QCOMPARE(conflict.value(u"where"_s).toString(), u"/a/b"_s);
    QCOMPARE(conflict.value(u"base"_s).toString(), u"1"_s);
    QVERIFY(conflict.value(u"ours"_s).isNull()); // removed on our side
    QCOMPARE(conflict.value(u"theirs"_s).toString(), u"3"_s);
}

void tst_KvdeskCliMerge::textConflictsShowTheLines()
{
    const quint64 base = put(u"notes"_s, "x\ny\nz\n");
    const quint64 theirs = put(u"notes"_s, "x\nY theirs\nz\n");
    CLI_EXPECT(refused, cli({u"merge"_s, u"M"_s, u"notes"_s, QString::number(base)}, "x\nY mine\nz\n"), 1);
    const QByteArray listed = "conflict at line 2:\n  base (revision " + QByteArray::number(base)
        + "):\n    y\n  yours:\n    Y mine\n  theirs (revision " + QByteArray::number(theirs) + "):\n    Y theirs\n";
    QVERIFY2(refused.out.contains(listed), refused.out.constData());
    QCOMPARE(latest(u"notes"_s).revision, theirs);
}

void tst_KvdeskCliMerge::refusals_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QList<QByteArray>>("values"); // put in turn; "-" deletes
    QTest::addColumn<QByteArray>("ours");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("why");

    QTest::newRow("base beyond the history limit")
        << u"old"_s << QList<QByteArray>{"1", "2", "3"} << "4"_ba << 1 << u"(bucket \"M\" keeps 2 per key)"_s;
    QTest::newRow("deleted key") << u"deleted"_s << QList<QByteArray>{"1", "-"} << "2"_ba << 1 << u"was deleted"_s;
    QTest::newRow("binary") << u"binary"_s << QList<QByteArray>{"\xff\x00"_ba, "b"} << "c"_ba << 1 << u"is not text"_s;
}

void tst_KvdeskCliMerge::refusals()
{
    QFETCH(QString, key);
    QFETCH(QList<QByteArray>, values);
    QFETCH(QByteArray, ours);
    QFETCH(int, exitCode);
    QFETCH(QString, why);
    quint64 first = 0;
    for (const QByteArray &value : std::as_const(values)) {
        if (value == "-") {
            WAIT_OK(m_bucket->remove(key));
        } else {
            const quint64 revision = put(key, value);
            first = first ? first : revision;
        }
    }
    const quint64 before = latest(key).revision;
    CLI_EXPECT(refused, cli({u"merge"_s, u"M"_s, key, QString::number(first)}, ours), exitCode);
    QVERIFY2(refused.err.contains(why.toUtf8()) && refused.err.contains("nothing written"), refused.err.constData());
    QCOMPARE(latest(key).revision, before);

    // The command line itself: a revision that is none is a usage error.
    CLI_EXPECT(usage, cli({u"merge"_s, u"M"_s, key, u"x"_s}, ours), 2);
}

// A base revision past the bucket's last is a mistyped number: said so, not "not kept any more".
void tst_KvdeskCliMerge::aBaseNotWrittenYetIsRefused()
{
    const quint64 now = put(u"ahead"_s, "1");
    CLI_EXPECT(refused, cli({u"merge"_s, u"M"_s, u"ahead"_s, u"99999"_s}, "2"), 1);
    QVERIFY2(refused.err.contains("bucket \"M\" has no revision 99999 yet (its last is ")
                 && !refused.err.contains("not kept any more"),
             refused.err.constData());
    QCOMPARE(latest(u"ahead"_s).revision, now);
}

// A base that is another key's revision, a key that is not there, a base that is the key's delete: each
// said as it is (all were "not kept any more ... (bucket M keeps the last 2 revisions of each key)").
void tst_KvdeskCliMerge::aBaseThatIsNotTheKeysIsSaidSo()
{
    const quint64 others = put(u"someone"_s, "x");
    CLI_EXPECT(noKey, cli({u"merge"_s, u"M"_s, u"nokey"_s, QString::number(others)}, "2"), 1);
    QVERIFY2(noKey.err.contains("key \"nokey\" not found in bucket \"M\"") && !noKey.err.contains("not kept"),
             noKey.err.constData());

    put(u"mine"_s, "1");
    const quint64 notMine = put(u"someone"_s, "y");
    put(u"mine"_s, "2");
    CLI_EXPECT(otherKey, cli({u"merge"_s, u"M"_s, u"mine"_s, QString::number(notMine)}, "3"), 1);
    QVERIFY2(otherKey.err.contains(
                 u"revision %1 is not one of key \"mine\"'s revisions (it is another key's)"_s.arg(notMine).toUtf8())
                 && !otherKey.err.contains("not kept"),
             otherKey.err.constData());

    put(u"marked"_s, "1");
    WAIT_OK(m_bucket->remove(u"marked"_s));
    const quint64 marker = latest(u"marked"_s).revision;
    put(u"marked"_s, "2");
    CLI_EXPECT(deleted, cli({u"merge"_s, u"M"_s, u"marked"_s, QString::number(marker)}, "3"), 1);
    QVERIFY2(deleted.err.contains(u"revision %1 of key \"marked\" deleted it"_s.arg(marker).toUtf8())
                 && !deleted.err.contains("not kept"),
             deleted.err.constData());

    // Another key's revision from before the key's first: "not kept any more" was a guess, and wrong. It
    // names the key it is of.
    const quint64 before = put(u"earlier"_s, "e");
    put(u"later"_s, "1");
    CLI_EXPECT(older, cli({u"merge"_s, u"M"_s, u"later"_s, QString::number(before)}, "2"), 1);
    QVERIFY2(
        older.err.contains(
            u"revision %1 is not one of key \"later\"'s revisions (it is key \"earlier\"'s)"_s.arg(before).toUtf8())
            && !older.err.contains("not kept"),
        older.err.constData());
}

QTEST_GUILESS_MAIN(tst_KvdeskCliMerge)
// It said "(bucket "ONE" keeps the last 1 revisions of each key)"; get --revision says "(it keeps 1 per key)".
void tst_KvdeskCliMerge::aHistoryOfOneIsWordedAsGetWordsIt()
{
    CLI_EXPECT(made, cli({u"add"_s, u"ONE"_s}), 0);
    CLI_EXPECT(first, cli({u"put"_s, u"ONE"_s, u"k"_s, u"1"_s, u"--json"_s}), 0);
    const auto base = QJsonDocument::fromJson(first.out).object().value("revision"_L1).toInteger();
    CLI_EXPECT(second, cli({u"put"_s, u"ONE"_s, u"k"_s, u"2"_s}), 0);
    CLI_EXPECT(refused, cli({u"merge"_s, u"ONE"_s, u"k"_s, QString::number(base)}, "3"), 1);
    QVERIFY2(
        refused.err.contains(
            u"revision %1 of key \"k\" is not kept any more (bucket \"ONE\" keeps 1 per key)"_s.arg(base).toUtf8()),
        refused.err.constData());
    CLI_EXPECT(get, cli({u"get"_s, u"ONE"_s, u"k"_s, u"--revision"_s, QString::number(base)}), 1);
    QVERIFY2(get.err.contains("(it keeps 1 per key)"), get.err.constData());
}

#include "tst_kvdeskclimerge.moc"
