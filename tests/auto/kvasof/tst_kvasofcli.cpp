#include "clirunner.h"
#include "natsserverprocess.h"

#include <QtCore/QDateTime>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// `kvdesk-cli export --as-of` and `kvdesk-cli diff` against a real nats-server (each of the matrix): the
// export format with the values then, the diff's rows as a table and as JSON, keys the bucket can no
// longer answer for named with exit 1 (naming the point they cannot be answered at), a read the bucket can
// no longer make complete said on stderr with exit 1, and bad points refused as usage errors.
class tst_KvAsOfCli final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init() { ++m_counter; }
    void exportAsOfRevisionAndTime();
    void diffTableAndJson();
    void unanswerableKeysExitOne();
    void unanswerableKeysNameTheirPoint();
    void incompleteReadExitsOne();
    void badPointsAreUsageErrors();

private:
    CliRunner::Result cli(const QStringList &arguments) const
    {
        return m_runner.run(QStringList{u"-s"_s, m_server.url()} + arguments);
    }
    QString unique(const QString &base) const { return base + QString::number(m_counter); }
    // Writes key=value pairs in order (a value "-" deletes the key); false on the first failure.
    bool write(const QString &bucket, const QList<std::pair<QString, QString>> &writes) const;
    // key -> "value@revision" of NDJSON lines.
    static QMap<QString, QString> lines(const QByteArray &out);

    NatsServerProcess m_server;
    CliRunner m_runner;
    int m_counter = 0;
};

void tst_KvAsOfCli::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
}

bool tst_KvAsOfCli::write(const QString &bucket, const QList<std::pair<QString, QString>> &writes) const
{
    for (const auto &[key, value] : writes) {
        const CliRunner::Result result = value == "-"_L1 ? cli({u"del"_s, bucket, key, u"-f"_s})
                                                         : cli({u"put"_s, bucket, key, value});
        if (result.exitCode != 0) {
            qWarning().noquote() << result.describe();
            return false;
        }
    }
    return true;
}

QMap<QString, QString> tst_KvAsOfCli::lines(const QByteArray &out)
{
    QMap<QString, QString> result;
    for (const QByteArray &line : out.split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        result.insert(object.value("key"_L1).toString(),
                      object.value("value"_L1).toString() + u'@'
                          + QString::number(object.value("revision"_L1).toInteger()));
    }
    return result;
}

void tst_KvAsOfCli::exportAsOfRevisionAndTime()
{
    const QString bucket = unique(u"EXP"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"5"_s}), 0);
    QVERIFY(
        write(bucket, {{u"a"_s, u"a1"_s}, {u"b"_s, u"b1"_s}, {u"a"_s, u"a2"_s}, {u"b"_s, u"-"_s}, {u"c"_s, u"c1"_s}}));
    CLI_EXPECT(three, cli({u"export"_s, bucket, u"--as-of"_s, u"3"_s}), 0);
    QCOMPARE(lines(three.out), (QMap<QString, QString>{{u"a"_s, u"a2@3"_s}, {u"b"_s, u"b1@2"_s}}));
    CLI_EXPECT(four, cli({u"export"_s, bucket, u"--as-of"_s, u"4"_s}), 0);
    QCOMPARE(lines(four.out), (QMap<QString, QString>{{u"a"_s, u"a2@3"_s}}));

    // To a file, as a plain export writes one; the present is the bucket now. An hour ahead, or an hour
    // ago when the bucket had no entries yet, is refused as a revision not written yet or 0 is: no file.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"then.ndjson"_s);
    const QString now = QDateTime::currentDateTimeUtc().addSecs(5).toString(Qt::ISODate);
    CLI_EXPECT(toFile, cli({u"export"_s, bucket, path, u"--as-of"_s, now}), 0);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(lines(file.readAll()), (QMap<QString, QString>{{u"a"_s, u"a2@3"_s}, {u"c"_s, u"c1@5"_s}}));
    const QString later = dir.filePath(u"later.ndjson"_s);
    const QString ahead = QDateTime::currentDateTimeUtc().addSecs(3600).toString(Qt::ISODate);
    CLI_EXPECT(hourAhead, cli({u"export"_s, bucket, later, u"--as-of"_s, ahead}), 1);
    QVERIFY2(hourAhead.err.contains("is in the future"), hourAhead.err.constData());
    QVERIFY(!QFile::exists(later));
    CLI_EXPECT(hourAgo, cli({u"export"_s, bucket, u"--as-of"_s, u"1h"_s}), 1);
    QVERIFY2(hourAgo.err.contains("had no entries yet"), hourAgo.err.constData());
    QVERIFY2(hourAgo.out.isEmpty(), hourAgo.out.constData());
    // And restore, which read as the empty bucket deleted every key: refused, nothing written.
    CLI_EXPECT(restore, cli({u"restore"_s, bucket, u"--as-of"_s, u"1h"_s, u"-f"_s}), 1);
    QVERIFY2(restore.err.contains("had no entries yet"), restore.err.constData());
    CLI_EXPECT(after, cli({u"export"_s, bucket}), 0);
    QCOMPARE(lines(after.out), (QMap<QString, QString>{{u"a"_s, u"a2@3"_s}, {u"c"_s, u"c1@5"_s}}));
}

void tst_KvAsOfCli::diffTableAndJson()
{
    const QString bucket = unique(u"DIFF"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"5"_s}), 0);
    QVERIFY(
        write(bucket, {{u"a"_s, u"a1"_s}, {u"b"_s, u"b1"_s}, {u"a"_s, u"a2"_s}, {u"b"_s, u"-"_s}, {u"c"_s, u"c1"_s}}));
    CLI_EXPECT(json, cli({u"diff"_s, bucket, u"--from"_s, u"2"_s, u"--to"_s, u"5"_s, u"--json"_s}), 0);
    QList<QJsonObject> rows;
    for (const QByteArray &line : json.out.split('\n')) {
        if (!line.isEmpty())
            rows.append(QJsonDocument::fromJson(line).object());
    }
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows[0].value("key"_L1).toString(), u"a"_s);
    QCOMPARE(rows[0].value("change"_L1).toString(), u"changed"_s);
    QCOMPARE(rows[0].value("from"_L1).toObject().value("value"_L1).toString(), u"a1"_s);
    QCOMPARE(rows[0].value("to"_L1).toObject().value("value"_L1).toString(), u"a2"_s);
    QCOMPARE(rows[0].value("to"_L1).toObject().value("revision"_L1).toInteger(), 3);
    QCOMPARE(rows[1].value("key"_L1).toString(), u"b"_s);
    QCOMPARE(rows[1].value("change"_L1).toString(), u"removed"_s);
    QVERIFY(rows[1].value("to"_L1).isNull());
    QCOMPARE(rows[2].value("key"_L1).toString(), u"c"_s);
    QCOMPARE(rows[2].value("change"_L1).toString(), u"added"_s);
    QVERIFY(rows[2].value("from"_L1).isNull());

    CLI_EXPECT(table, cli({u"diff"_s, bucket, u"--from"_s, u"3"_s}), 0); // to now
    QVERIFY2(table.out.contains("removed") && table.out.contains("added") && !table.out.contains("changed"),
             table.out.constData());
    CLI_EXPECT(filtered, cli({u"diff"_s, bucket, u"c"_s, u"--from"_s, u"2"_s, u"--json"_s}), 0);
    QCOMPARE(filtered.out.count('\n'), 1);
    CLI_EXPECT(none, cli({u"diff"_s, bucket, u"--from"_s, u"5"_s}), 0);
    QVERIFY2(none.out.contains("No changes"), none.out.constData());
    // A revision not written yet is refused, naming it and the last: never read as the bucket now.
    CLI_EXPECT(ahead, cli({u"diff"_s, bucket, u"--from"_s, u"99"_s}), 1);
    QVERIFY2(ahead.err.contains("99") && ahead.err.contains("last is 5") && ahead.out.isEmpty(), ahead.err.constData());
    CLI_EXPECT(exportAhead, cli({u"export"_s, bucket, u"--as-of"_s, u"6"_s}), 1);
    QVERIFY2(exportAhead.err.contains("no revision 6"), exportAhead.err.constData());
}

void tst_KvAsOfCli::unanswerableKeysExitOne()
{
    // History 1: a1 is gone once a2 is written, so as of revision 2 a cannot be answered.
    const QString bucket = unique(u"ONE"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"1"_s}), 0);
    QVERIFY(write(bucket, {{u"a"_s, u"a1"_s}, {u"b"_s, u"b1"_s}, {u"a"_s, u"a2"_s}}));
    CLI_EXPECT(exported, cli({u"export"_s, bucket, u"--as-of"_s, u"2"_s}), 1);
    QCOMPARE(lines(exported.out), (QMap<QString, QString>{{u"b"_s, u"b1@2"_s}}));
    QVERIFY2(exported.err.contains(": a\n") && exported.err.contains(bucket.toUtf8()), exported.err.constData());
    // Into a FILE, an export that is not whole replaces nothing: the backup there stays (it was replaced by
    // the keys that could be answered).
    QTemporaryDir dir;
    const QString backup = dir.filePath(u"backup.ndjson"_s);
    QFile file(backup);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("the backup\n");
    file.close();
    CLI_EXPECT(intoFile, cli({u"export"_s, bucket, backup, u"--as-of"_s, u"2"_s}), 1);
    QVERIFY2(intoFile.err.contains(": a\n") && intoFile.err.contains("left as it was"),
             qPrintable(intoFile.describe()));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), "the backup\n"_ba);
    file.close();
    CLI_EXPECT(diff, cli({u"diff"_s, bucket, u"--from"_s, u"2"_s, u"--json"_s}), 1);
    QVERIFY2(diff.out.isEmpty(), diff.out.constData()); // b is the same; a would be a guess
    QVERIFY2(diff.err.contains(": a\n"), diff.err.constData());
    CLI_EXPECT(table, cli({u"diff"_s, bucket, u"--from"_s, u"2"_s}), 1);
    QVERIFY2(table.out.startsWith("No changes found among the keys that could be compared"),
             qPrintable(table.describe()));
}

void tst_KvAsOfCli::unanswerableKeysNameTheirPoint()
{
    // History 1: as of revision 3 (the last) every key is known, as of 2 a is not. Compared backwards,
    // only the --to point cannot answer for a, and the error says so.
    const QString bucket = unique(u"POINT"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"1"_s}), 0);
    QVERIFY(write(bucket, {{u"a"_s, u"a1"_s}, {u"b"_s, u"b1"_s}, {u"a"_s, u"a2"_s}}));
    CLI_EXPECT(diff, cli({u"diff"_s, bucket, u"--from"_s, u"3"_s, u"--to"_s, u"2"_s}), 1);
    QVERIFY2(diff.err.contains("as of revision 2 of 1 key") && !diff.err.contains("revision 3"),
             qPrintable(diff.describe()));
    CLI_EXPECT(forward, cli({u"diff"_s, bucket, u"--from"_s, u"2"_s, u"--to"_s, u"3"_s}), 1);
    QVERIFY2(forward.err.contains("as of revision 2 of 1 key") && !forward.err.contains("revision 3"),
             qPrintable(forward.describe()));
}

void tst_KvAsOfCli::incompleteReadExitsOne()
{
    // a is deleted and compacted away, marker and all: the stream no longer names it, so as of revision 2
    // nothing says a had a value then. What is known is written, the gap is said, and the exit status is 1.
    const QString bucket = unique(u"GAP"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket, u"--history"_s, u"5"_s}), 0);
    QVERIFY(write(bucket, {{u"a"_s, u"a1"_s}, {u"b"_s, u"b1"_s}, {u"a"_s, u"-"_s}}));
    CLI_EXPECT(compact, cli({u"compact"_s, bucket, u"--older-than"_s, u"0"_s, u"-f"_s}), 0);
    const QByteArray reason = "no longer holds every revision up to 2";
    CLI_EXPECT(exported, cli({u"export"_s, bucket, u"--as-of"_s, u"2"_s}), 1);
    QCOMPARE(lines(exported.out), (QMap<QString, QString>{{u"b"_s, u"b1@2"_s}}));
    QVERIFY2(exported.err.contains(reason) && exported.err.contains(bucket.toUtf8()), qPrintable(exported.describe()));
    CLI_EXPECT(diff, cli({u"diff"_s, bucket, u"--from"_s, u"2"_s, u"--json"_s}), 1);
    QVERIFY2(diff.out.isEmpty(), qPrintable(diff.describe())); // a's removal cannot be seen any more
    QVERIFY2(diff.err.contains(reason), qPrintable(diff.describe()));
    CLI_EXPECT(table, cli({u"diff"_s, bucket, u"--from"_s, u"2"_s}), 1);
    QVERIFY2(table.err.contains(reason), qPrintable(table.describe()));
    // No row is no proof of no change here: the table must not say "No changes" as if it had looked at all.
    QVERIFY2(table.out.startsWith("No changes found among the keys that could be compared"),
             qPrintable(table.describe()));
    // As of the last revision the bucket is what it holds now: complete.
    CLI_EXPECT(now, cli({u"export"_s, bucket, u"--as-of"_s, u"3"_s}), 0);
    QCOMPARE(lines(now.out), (QMap<QString, QString>{{u"b"_s, u"b1@2"_s}}));
}

void tst_KvAsOfCli::badPointsAreUsageErrors()
{
    const QString bucket = unique(u"BAD"_s);
    CLI_EXPECT(add, cli({u"add"_s, bucket}), 0);
    CLI_EXPECT(noFrom, cli({u"diff"_s, bucket}), 2);
    QVERIFY2(noFrom.err.contains("--from"), noFrom.err.constData());
    CLI_EXPECT(garbage, cli({u"export"_s, bucket, u"--as-of"_s, u"yesterday"_s}), 2);
    QVERIFY2(garbage.err.contains("yesterday"), garbage.err.constData());
    CLI_EXPECT(both, cli({u"export"_s, bucket, u"--as-of"_s, u"1"_s, u"--include-deletes"_s}), 2);
    CLI_EXPECT(badTo, cli({u"diff"_s, bucket, u"--from"_s, u"1"_s, u"--to"_s, u"soon"_s}), 2);
}

QTEST_GUILESS_MAIN(tst_KvAsOfCli)

#include "tst_kvasofcli.moc"
