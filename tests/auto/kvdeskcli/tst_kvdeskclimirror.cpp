#include "clirunner.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "natsuserinforeply.h"

#include <QtCore/QFileInfo>
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

QTEST_GUILESS_MAIN(tst_KvdeskCliMirror)

#include "tst_kvdeskclimirror.moc"
