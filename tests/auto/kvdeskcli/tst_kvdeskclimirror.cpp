#include "clirunner.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natsuserinforeply.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli on a bucket that mirrors another: the check before sending judges the subjects the command is
// really sent on (the origin's $KV.src. for a write, the mirror's stream by the origin's subjects for a
// read), as the server does. "writer" may publish to the origin's subjects only; "mirroronly" to the
// mirror's own only. On 2.9 nothing is checked in advance: the server's refusal comes at once.
class tst_KvdeskCliMirror final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writerMayWriteThroughTheMirror();
    void refusedByTheOriginsSubjects_data();
    void refusedByTheOriginsSubjects();
    void aWriteThroughTheMirrorSaysWhereItWent_data();
    void aWriteThroughTheMirrorSaysWhereItWent();
    void editCannotChangeWhatIsMirrored_data();
    void editCannotChangeWhatIsMirrored();
    void aMirrorOfNoBucketSaysSo();

private:
    QStringList as(const QString &user) const;

    NatsServerProcess m_server;
    CliRunner m_runner;
    bool m_serverTells = false; // $SYS.REQ.USER.INFO answered
};

void tst_KvdeskCliMirror::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    NatsServerProcess::Options options;
    options.config = R"(accounts { APP: { jetstream: enabled, users: [
  { user: admin, password: pw }
  { user: writer, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO", "$KV.src.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
  { user: mirroronly, password: pw, permissions: {
      publish: { allow: ["$JS.API.>", "$SYS.REQ.USER.INFO", "$KV.mir.>"],
                 deny: ["$JS.API.DIRECT.GET.KV_mir.$KV.src.>"] }
      subscribe: { allow: ["_INBOX.>"] } } }
] } }
)";
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    CLI_EXPECT(src, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"src"_s}), 0);
    CLI_EXPECT(put, m_runner.run(as(u"admin"_s) + QStringList{u"put"_s, u"src"_s, u"a"_s, u"1"_s}), 0);
    CLI_EXPECT(mir, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"mir"_s, u"--mirror"_s, u"src"_s}), 0);

    NatsConnectOptions writer = NatsConnectOptions::fromUrl(m_server.url());
    writer.user = u"writer"_s;
    writer.password = u"pw"_s;
    NatsConnection *connection = nullptr;
    QVERIFY(KvTest::connectClient(writer, this, &connection));
    NatsUserInfoReply *info = NatsUserInfoReply::ask(connection);
    QTRY_VERIFY(info->isFinished());
    m_serverTells = info->error() == NatsError::NoError;
}

QStringList tst_KvdeskCliMirror::as(const QString &user) const
{
    return {u"-s"_s, m_server.url(), u"--user"_s, user, u"--password"_s, u"pw"_s, u"--timeout"_s, u"20s"_s};
}

void tst_KvdeskCliMirror::writerMayWriteThroughTheMirror()
{
    // The put goes to $KV.src.w, which writer may publish to: not refused by the mirror's $KV.mir.w.
    CLI_EXPECT(put, m_runner.run(as(u"writer"_s) + QStringList{u"put"_s, u"mir"_s, u"w"_s, u"2"_s}), 0);
    CLI_EXPECT(get, m_runner.run(as(u"admin"_s) + QStringList{u"get"_s, u"src"_s, u"w"_s, u"--raw"_s}), 0);
    QCOMPARE(get.out, "2"_ba);
}

void tst_KvdeskCliMirror::refusedByTheOriginsSubjects_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("subject"); // the check's refusal names it (2.10+), and the server's (2.9)
    QTest::newRow("put") << QStringList{u"put"_s, u"mir"_s, u"x"_s, u"v"_s} << u"$KV.src.x"_s;
    QTest::newRow("delete key") << QStringList{u"rm"_s, u"mir"_s, u"x"_s, u"-f"_s} << u"$KV.src.x"_s;
    QTest::newRow("get") << QStringList{u"get"_s, u"mir"_s, u"a"_s} << u"$JS.API.DIRECT.GET.KV_mir.$KV.src.a"_s;
}

void tst_KvdeskCliMirror::refusedByTheOriginsSubjects()
{
    QFETCH(QStringList, command);
    QFETCH(QString, subject);
    CLI_EXPECT(result, m_runner.run(as(u"mirroronly"_s) + command), 1);
    QCOMPARE(result.err.count('\n'), 1);
    if (m_serverTells) {
        QCOMPARE(QString::fromUtf8(result.err),
                 u"kvdesk-cli: error: permission denied: you may not publish to %1\n"_s.arg(subject));
    } else {
        QVERIFY2(result.err.contains("permission denied: ") && result.err.contains(subject.toUtf8()),
                 qPrintable(result.describe()));
    }
}

void tst_KvdeskCliMirror::aWriteThroughTheMirrorSaysWhereItWent_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::newRow("put") << QStringList{u"put"_s, u"mir"_s, u"n"_s, u"v"_s};
    QTest::newRow("create") << QStringList{u"create"_s, u"mir"_s, u"n2"_s, u"v"_s};
    QTest::newRow("delete key") << QStringList{u"rm"_s, u"mir"_s, u"n"_s, u"-f"_s};
    QTest::newRow("purge key") << QStringList{u"purge"_s, u"mir"_s, u"n2"_s, u"-f"_s};
}

// The official clients write through a mirror to its origin without a word; the revision printed (or in
// --json) is the origin's, and the mirror shows the write only once it has copied it.
void tst_KvdeskCliMirror::aWriteThroughTheMirrorSaysWhereItWent()
{
    QFETCH(QStringList, command);
    CLI_EXPECT(write, m_runner.run(as(u"admin"_s) + command), 0);
    QVERIFY2(write.err.contains("kvdesk-cli: note: bucket \"mir\" mirrors \"src\": the write went to \"src\""),
             qPrintable(write.describe()));
}

void tst_KvdeskCliMirror::editCannotChangeWhatIsMirrored_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("mirrorAfter"); // info's Mirror row afterwards, or empty for none
    QTest::newRow("another origin") << QStringList{u"edit"_s, u"mir"_s, u"--mirror"_s, u"other"_s}
                                    << u"bucket \"mir\" mirrors \"src\", which cannot be changed: nats-server "
                                       u"sets what a bucket mirrors only when the bucket is made"_s
                                    << u"mir"_s << u"src"_s;
    QTest::newRow("not a mirror") << QStringList{u"edit"_s, u"src"_s, u"--mirror"_s, u"other"_s}
                                  << u"bucket \"src\" cannot become a mirror: nats-server makes a bucket a mirror "
                                     u"only when it is made (add BUCKET --mirror \"other\")"_s
                                  << u"src"_s << QString();
}

void tst_KvdeskCliMirror::editCannotChangeWhatIsMirrored()
{
    QFETCH(QStringList, command);
    QFETCH(QString, error);
    QFETCH(QString, bucket);
    QFETCH(QString, mirrorAfter);
    CLI_EXPECT(edit, m_runner.run(as(u"admin"_s) + command), 1);
    QCOMPARE(QString::fromUtf8(edit.err), u"kvdesk-cli: error: "_s + error + u'\n');
    CLI_EXPECT(info, m_runner.run(as(u"admin"_s) + QStringList{u"info"_s, bucket, u"--json"_s}), 0);
    QCOMPARE(QJsonDocument::fromJson(info.out).object().value("mirror"_L1).toString(), mirrorAfter);
}

// nats-server makes a mirror of a stream that does not exist (it may be made later), and the mirror stays
// empty until then: said, so that a misspelt name is not taken for an empty origin.
void tst_KvdeskCliMirror::aMirrorOfNoBucketSaysSo()
{
    CLI_EXPECT(add, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"orphan"_s, u"--mirror"_s, u"nosuch"_s}), 0);
    QVERIFY2(add.err.contains("kvdesk-cli: note: there is no bucket \"nosuch\" (yet): \"orphan\" stays empty "
                              "until it is made"),
             qPrintable(add.describe()));
    CLI_EXPECT(existing, m_runner.run(as(u"admin"_s) + QStringList{u"add"_s, u"mir2"_s, u"--mirror"_s, u"src"_s}), 0);
    QVERIFY2(!existing.err.contains("note"), qPrintable(existing.describe()));
}

QTEST_GUILESS_MAIN(tst_KvdeskCliMirror)

#include "tst_kvdeskclimirror.moc"
