#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvbucketstatus.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvuserpermissions.h"
#include "natsserverprocess.h"

#include <QtCore/QElapsedTimer>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// A bucket that mirrors another has no subjects of its own: KvBucket writes to the origin's $KV.<origin>.
// and reads its own stream by the origin's subjects. The permission check judges those subjects, not
// $KV.<mirror>.: "writer" may publish to the origin's subjects only, "mirroronly" to the mirror's only
// (and may not read the mirror by the origin's subjects). On 2.9 nothing is predicted: the server decides.
class tst_KvPermissionsMirror final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writesThroughTheMirrorGoToTheOrigin();
    void serverRefusesTheOriginsSubjects();
    void predictedFromTheMirrorsConfig_data();
    void predictedFromTheMirrorsConfig();

private:
    KvContext *connectAs(const QString &user, KvClient **client = nullptr);

    NatsServerProcess m_server;
    KvContext *m_admin = nullptr;
};

constexpr int kRequestTimeoutMs = 20000;
constexpr int kAtOnceMs = 3000;

void tst_KvPermissionsMirror::initTestCase()
{
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
    m_admin = connectAs(u"admin"_s);
    QVERIFY(m_admin);
    KvBucketConfig origin;
    origin.bucket = u"src"_s;
    QVERIFY(KvTest::createBucket(m_admin, origin));
    WAIT_OK(m_admin->bucket(u"src"_s)->put(u"a"_s, "1"));
    KvBucketConfig mirror;
    mirror.bucket = u"mir"_s;
    mirror.mirror.name = u"src"_s;
    QVERIFY(KvTest::createBucket(m_admin, mirror));
    // The mirror catches up on its own.
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(m_admin->bucket(u"mir"_s), u"a"_s), "1"_ba, 10000);
}

KvContext *tst_KvPermissionsMirror::connectAs(const QString &user, KvClient **clientOut)
{
    KvClientOptions options = KvClientOptions::fromUrl(m_server.url());
    options.connection.user = user;
    options.connection.password = u"pw"_s;
    options.connection.requestTimeoutMs = kRequestTimeoutMs;
    options.requestTimeoutMs = kRequestTimeoutMs;
    KvContext *kv = nullptr;
    KvClient *client = KvTest::connectClient(options, this, nullptr, nullptr, &kv);
    if (clientOut)
        *clientOut = client;
    return kv;
}

void tst_KvPermissionsMirror::writesThroughTheMirrorGoToTheOrigin()
{
    // As nats.go: a put through the mirror bucket is a put to the origin, and comes back through the mirror.
    KvContext *writer = connectAs(u"writer"_s);
    QVERIFY(writer);
    WAIT_OK(writer->bucket(u"mir"_s)->put(u"w"_s, "2"));
    QCOMPARE(KvTest::value(m_admin->bucket(u"src"_s), u"w"_s), "2"_ba);
    QTRY_COMPARE_WITH_TIMEOUT(KvTest::value(writer->bucket(u"mir"_s), u"w"_s), "2"_ba, 10000);
}

void tst_KvPermissionsMirror::serverRefusesTheOriginsSubjects()
{
    // What the check below must predict, on every server: the subjects the calls are really sent on.
    KvContext *kv = connectAs(u"mirroronly"_s);
    QVERIFY(kv);
    QElapsedTimer clock;
    clock.start();
    KvReply *put = kv->bucket(u"mir"_s)->put(u"x"_s, "v");
    QTRY_VERIFY_WITH_TIMEOUT(put->isFinished(), kRequestTimeoutMs + 5000);
    QVERIFY2(clock.elapsed() < kAtOnceMs, qPrintable(put->errorString()));
    QCOMPARE(put->error(), NatsError::PermissionsViolation);
    QVERIFY2(put->errorString().contains(u"$KV.src.x"_s), qPrintable(put->errorString()));
    KvReply *get = kv->bucket(u"mir"_s)->get(u"a"_s);
    QTRY_VERIFY_WITH_TIMEOUT(get->isFinished(), kRequestTimeoutMs + 5000);
    QVERIFY2(clock.elapsed() < kAtOnceMs, qPrintable(get->errorString()));
    QCOMPARE(get->error(), NatsError::PermissionsViolation);
    QVERIFY2(get->errorString().contains(u"KV_mir"_s), qPrintable(get->errorString()));
}

void tst_KvPermissionsMirror::predictedFromTheMirrorsConfig_data()
{
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("write");    // writeRefusal("mir", "x")
    QTest::addColumn<QString>("writeAny"); // writeRefusal("mir")
    QTest::addColumn<QString>("get");      // getRefusal("mir", "a")
    QTest::newRow("may write the origin") << u"writer"_s << QString() << QString() << QString();
    QTest::newRow("may write the mirror's own subjects only")
        << u"mirroronly"_s << u"you may not publish to $KV.src.x"_s << u"you may not publish to $KV.src.>"_s
        << u"you may not publish to $JS.API.DIRECT.GET.KV_mir.$KV.src.a"_s;
}

void tst_KvPermissionsMirror::predictedFromTheMirrorsConfig()
{
    QFETCH(QString, user);
    QFETCH(QString, write);
    QFETCH(QString, writeAny);
    QFETCH(QString, get);
    KvClient *client = nullptr;
    KvContext *kv = connectAs(user, &client);
    QVERIFY(kv);
    KvUserPermissions userPermissions(client->jetStream());
    QTRY_VERIFY_WITH_TIMEOUT(userPermissions.isSettled(), kAtOnceMs);
    KvPermissions permissions = userPermissions.permissions();
    KvReply *status = kv->bucketStatus(u"mir"_s);
    WAIT_OK(status);
    permissions.setStreamConfig(u"mir"_s, status->status().streamInfo.config);
    if (!permissions.isKnown()) {
        // 2.9: no USER.INFO, nothing refused in advance; serverRefusesTheOriginsSubjects() is the answer.
        QCOMPARE(permissions.writeRefusal(u"mir"_s, u"x"_s), QString());
        QCOMPARE(permissions.getRefusal(u"mir"_s, u"a"_s), QString());
        QSKIP("this nats-server has no $SYS.REQ.USER.INFO (2.10+): permissions are unknown, the server decides");
    }
    QCOMPARE(permissions.writeRefusal(u"mir"_s, u"x"_s), write);
    QCOMPARE(permissions.writeRefusal(u"mir"_s), writeAny);
    QCOMPARE(permissions.getRefusal(u"mir"_s, u"a"_s), get);
    // A revert reads some revision (by the origin's subjects), then writes to the origin.
    const QString revert = permissions.revertRefusal(u"mir"_s, u"x"_s);
    QCOMPARE(revert.isEmpty(), get.isEmpty() && write.isEmpty());
    QVERIFY2(revert.isEmpty() || revert.contains(u"$KV.src."_s), qPrintable(revert));
    // The origin itself is judged by its own subjects, as before.
    QCOMPARE(permissions.writeRefusal(u"src"_s, u"x"_s).isEmpty(), user == "writer"_L1);
}

QTEST_GUILESS_MAIN(tst_KvPermissionsMirror)

#include "tst_kvpermissionsmirror.moc"
