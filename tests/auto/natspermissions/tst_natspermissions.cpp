#include "jsstreamconfig.h"
#include "kvpermissions.h"
#include "natspermissions.h"
#include "natsuserinfo.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The permission evaluator (NatsPermissions: the server's rules for allow and deny lists) and the map from
// Key/Value actions to the subjects they need (KvPermissions), without a server. tst_natsuserinfo checks
// the evaluator against real servers.
class tst_NatsPermissions final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data();
    void matches();
    void overlapsAndCovers_data();
    void overlapsAndCovers();
    void denyBeatsAllow();
    void unknownAllowsEverything();
    void parsesCapturedAnswers();
    void kvRefusals_data();
    void kvRefusals();
    void apiPrefix();
    void readPaths_data();
    void readPaths();
};

void tst_NatsPermissions::matches_data()
{
    QTest::addColumn<QByteArray>("pattern");
    QTest::addColumn<QByteArray>("subject");
    QTest::addColumn<bool>("expected");
    QTest::newRow("literal") << "$KV.orders.x"_ba
                             << "$KV.orders.x"_ba << true;
    QTest::newRow("literal other") << "$KV.orders.x"_ba
                                   << "$KV.orders.y"_ba << false;
    QTest::newRow("star") << "$KV.*.x"_ba
                          << "$KV.orders.x"_ba << true;
    QTest::newRow("star one token only") << "$KV.*"_ba
                                         << "$KV.orders.x"_ba << false;
    QTest::newRow("gt") << "$KV.>"_ba
                        << "$KV.orders.x"_ba << true;
    QTest::newRow("gt needs a token") << "$KV.orders.>"_ba
                                      << "$KV.orders"_ba << false;
    QTest::newRow("shorter subject") << "$KV.orders.x"_ba
                                     << "$KV.orders"_ba << false;
    QTest::newRow("longer subject") << "$KV.orders"_ba
                                    << "$KV.orders.x"_ba << false;
    // A wildcard subscription is judged with its wildcards as plain tokens, as the server does.
    QTest::newRow("sub gt by gt") << "$KV.orders.>"_ba
                                  << "$KV.orders.>"_ba << true;
    QTest::newRow("sub gt by star") << "$KV.orders.*"_ba
                                    << "$KV.orders.>"_ba << true;
    QTest::newRow("sub gt by literal") << "$KV.orders.x"_ba
                                       << "$KV.orders.>"_ba << false;
    QTest::newRow("token prefix is no match") << "$KV.ord"_ba
                                              << "$KV.orders"_ba << false;
}

void tst_NatsPermissions::matches()
{
    QFETCH(QByteArray, pattern);
    QFETCH(QByteArray, subject);
    QFETCH(bool, expected);
    QCOMPARE(NatsPermissions::matches(pattern, subject), expected);
}

void tst_NatsPermissions::overlapsAndCovers_data()
{
    QTest::addColumn<QByteArray>("a");
    QTest::addColumn<QByteArray>("b");
    QTest::addColumn<bool>("overlap");
    QTest::addColumn<bool>("aCoversB");
    QTest::newRow("same") << "$KV.orders.>"_ba
                          << "$KV.orders.>"_ba << true << true;
    QTest::newRow("wider") << "$KV.>"_ba
                           << "$KV.orders.>"_ba << true << true;
    QTest::newRow("narrower") << "$KV.orders.public.>"_ba
                              << "$KV.orders.>"_ba << true << false;
    QTest::newRow("star vs gt") << "$KV.orders.*"_ba
                                << "$KV.orders.>"_ba << true << false;
    QTest::newRow("disjoint") << "$KV.users.>"_ba
                              << "$KV.orders.>"_ba << false << false;
    QTest::newRow("star covers literal") << "$KV.*.x"_ba
                                         << "$KV.orders.x"_ba << true << true;
    QTest::newRow("lengths differ") << "$KV.orders"_ba
                                    << "$KV.orders.>"_ba << false << false;
}

void tst_NatsPermissions::overlapsAndCovers()
{
    QFETCH(QByteArray, a);
    QFETCH(QByteArray, b);
    QFETCH(bool, overlap);
    QFETCH(bool, aCoversB);
    QCOMPARE(NatsPermissions::overlaps(a, b), overlap);
    QCOMPARE(NatsPermissions::overlaps(b, a), overlap);
    QCOMPARE(NatsPermissions::covers(a, b), aCoversB);
}

NatsPermissions permissionsFrom(const QByteArray &json)
{
    return NatsPermissions::fromJson(QJsonDocument::fromJson(json).object());
}

void tst_NatsPermissions::denyBeatsAllow()
{
    const NatsPermissions permissions = permissionsFrom(
        R"({"publish":{"allow":["$KV.CFG.>","$JS.API.>"],"deny":["$KV.CFG.secret.>"]},
            "subscribe":{"allow":["_INBOX.>","$KV.CFG.>"],"deny":["$KV.CFG.secret.>"]}})");
    QVERIFY(permissions.isKnown());
    QVERIFY(permissions.isRestricted());
    QVERIFY(permissions.mayPublish("$KV.CFG.a"));
    QVERIFY(!permissions.mayPublish("$KV.CFG.secret.a"));
    QVERIFY(!permissions.mayPublish("$KV.OTHER.a"));
    QVERIFY(permissions.mayPublishSome("$KV.CFG.>"));
    QVERIFY(!permissions.mayPublishSome("$KV.CFG.secret.>"));
    QVERIFY(!permissions.mayPublishSome("$KV.OTHER.>"));
    QVERIFY(permissions.maySubscribe("$KV.CFG.>"));
    QVERIFY(!permissions.maySubscribe("$KV.CFG.secret.x"));
    QVERIFY(!permissions.maySubscribe("$KV.OTHER.>"));

    // Deny alone: everything else is allowed.
    const NatsPermissions denyOnly = permissionsFrom(R"({"publish":{"deny":["$KV.>"]}})");
    QVERIFY(!denyOnly.mayPublish("$KV.a.b"));
    QVERIFY(denyOnly.mayPublish("$JS.API.INFO"));
    QVERIFY(denyOnly.maySubscribe("anything"));
}

void tst_NatsPermissions::unknownAllowsEverything()
{
    const NatsPermissions unknown;
    QVERIFY(!unknown.isKnown());
    QVERIFY(unknown.mayPublish("$KV.a.b"));
    QVERIFY(unknown.maySubscribe(">"));
    const KvPermissions kv;
    QVERIFY(!kv.isKnown());
    QCOMPARE(kv.writeRefusal(u"orders"_s, u"x"_s), QString());
    QCOMPARE(kv.readRefusal(u"orders"_s), QString());
    QCOMPARE(kv.createBucketRefusal(), QString());

    QVERIFY(NatsPermissions::unrestricted().isKnown());
    QVERIFY(!NatsPermissions::unrestricted().isRestricted());
}

void tst_NatsPermissions::parsesCapturedAnswers()
{
    // nats-modern.md §7, 2.15.1 and 2.10.27 captures.
    const QByteArray alice =
        R"({"server":{"name":"NAR5","host":"127.0.0.1","id":"NAR5","ver":"2.15.1","jetstream":true,"flags":7,"seq":12,
        "time":"2026-12-02T06:57:37.931861291Z"},"data":{"user":"alice","account":"APP","account_name":"APP",
        "permissions":{"publish":{"allow":["$KV.CFG.\u003e","$JS.API.\u003e","$SYS.REQ.USER.INFO"],
        "deny":["$KV.CFG.secret.\u003e"]},"subscribe":{"allow":["_INBOX.\u003e","$KV.CFG.\u003e"]}}}})";
    NatsUserInfo info;
    QString problem;
    QVERIFY2(NatsUserInfo::parse(alice, &info, &problem), qPrintable(problem));
    QCOMPARE(info.user, u"alice"_s);
    QCOMPARE(info.account, u"APP"_s);
    QCOMPARE(info.permissions.publishRules().allow, QByteArrayList({"$KV.CFG.>", "$JS.API.>", "$SYS.REQ.USER.INFO"}));
    QCOMPARE(info.permissions.publishRules().deny, QByteArrayList{"$KV.CFG.secret.>"});
    QVERIFY(info.permissions.subscribeRules().deny.isEmpty());

    const QByteArray bob = R"({"server":{"ver":"2.15.1"},"data":{"user":"bob","account":"APP","account_name":"APP"}})";
    QVERIFY(NatsUserInfo::parse(bob, &info, &problem));
    QVERIFY(info.permissions.isKnown());
    QVERIFY(!info.permissions.isRestricted());

    QVERIFY(!NatsUserInfo::parse(R"({"server":{},"error":{"code":500,"description":"oops"}})", &info, &problem));
    QCOMPARE(problem, u"oops"_s);
    QVERIFY(!NatsUserInfo::parse("not json", &info, &problem));
}

void tst_NatsPermissions::kvRefusals_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("expected"); // the refusal, "" when allowed

    const QByteArray writer = R"({"publish":{"allow":["$KV.orders.>","$JS.API.>"],"deny":["$KV.orders.locked.>",
        "$JS.API.STREAM.CREATE.>","$JS.API.STREAM.DELETE.>"]},"subscribe":{"allow":["_INBOX.>"]}})";
    QTest::newRow("write key") << writer << u"write orders x"_s << QString();
    QTest::newRow("write some key") << writer << u"write orders"_s << QString();
    QTest::newRow("write locked key") << writer << u"write orders locked.a"_s
                                      << u"you may not publish to $KV.orders.locked.a"_s;
    QTest::newRow("write other bucket") << writer << u"write users"_s << u"you may not publish to $KV.users.>"_s;
    QTest::newRow("read") << writer << u"read orders"_s << QString();
    QTest::newRow("create bucket") << writer << u"create"_s << u"you may not publish to $JS.API.STREAM.CREATE.*"_s;
    QTest::newRow("create named bucket") << writer << u"create orders"_s
                                         << u"you may not publish to $JS.API.STREAM.CREATE.KV_orders"_s;
    QTest::newRow("delete bucket") << writer << u"delete orders"_s
                                   << u"you may not publish to $JS.API.STREAM.DELETE.KV_orders"_s;

    const QByteArray reader = R"({"publish":{"allow":["$JS.API.STREAM.INFO.>","$JS.API.CONSUMER.>",
        "$JS.API.DIRECT.GET.KV_orders.>"]},"subscribe":{"allow":["_INBOX.>"]}})";
    QTest::newRow("reader write") << reader << u"write orders"_s << u"you may not publish to $KV.orders.>"_s;
    QTest::newRow("reader read") << reader << u"read orders"_s << QString();
    QTest::newRow("reader read other") << reader << u"read users"_s
                                       << u"you may not publish to $JS.API.DIRECT.GET.KV_users.$KV.users.>"_s;
    QTest::newRow("reader list") << reader << u"list"_s << u"you may not publish to $JS.API.STREAM.LIST"_s;

    const QByteArray noDeliver = R"({"publish":{"allow":["$JS.API.>"]},"subscribe":{"allow":["_INBOX.*.*"]}})";
    QTest::newRow("watch without deliver inbox")
        << noDeliver << u"watch orders"_s << u"you may not subscribe to _INBOX.*"_s;
    QTest::newRow("get without deliver inbox") << noDeliver << u"get orders"_s << QString();
    const QByteArray noInbox = R"({"subscribe":{"deny":["_INBOX.>"]}})";
    QTest::newRow("no inbox") << noInbox << u"get orders"_s << u"you may not subscribe to _INBOX.>"_s;
}

void tst_NatsPermissions::kvRefusals()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, action);
    QFETCH(QString, expected);
    const KvPermissions kv(permissionsFrom(json));
    QVERIFY(kv.isKnown());
    const QStringList words = action.split(u' ');
    const QString bucket = words.value(1);
    const QString key = words.value(2);
    QString refusal;
    if (words[0] == "write"_L1)
        refusal = kv.writeRefusal(bucket, key);
    else if (words[0] == "read"_L1)
        refusal = kv.readRefusal(bucket);
    else if (words[0] == "get"_L1)
        refusal = kv.getRefusal(bucket, key);
    else if (words[0] == "watch"_L1)
        refusal = kv.watchRefusal(bucket);
    else if (words[0] == "create"_L1)
        refusal = kv.createBucketRefusal(bucket);
    else if (words[0] == "delete"_L1)
        refusal = kv.deleteBucketRefusal(bucket);
    else if (words[0] == "list"_L1)
        refusal = kv.listBucketsRefusal();
    QCOMPARE(refusal, expected);
}

void tst_NatsPermissions::apiPrefix()
{
    // With a JetStream domain the API and the writes go through its prefix, as in KvBucket.
    const KvPermissions kv(permissionsFrom(R"({"publish":{"allow":["$JS.hub.API.STREAM.>"]}})"), "$JS.hub.API.");
    QCOMPARE(kv.statusRefusal(u"orders"_s), QString());
    QCOMPARE(kv.writeRefusal(u"orders"_s, u"x"_s), u"you may not publish to $JS.hub.API.$KV.orders.x"_s);
}

void tst_NatsPermissions::readPaths_data()
{
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<int>("path"); // KvPermissions::ReadPath; Unknown: not set
    QTest::addColumn<QString>("expected");
    using Path = KvPermissions::ReadPath;
    // orders: STREAM.MSG.GET only; users: direct gets only.
    QTest::newRow("msg get, bucket without direct") << u"orders"_s << int(Path::MessageGet) << QString();
    QTest::newRow("msg get, bucket with direct")
        << u"orders"_s << int(Path::DirectGet) << u"you may not publish to $JS.API.DIRECT.GET.KV_orders.$KV.orders.x"_s;
    QTest::newRow("msg get, path unknown") << u"orders"_s << int(Path::Unknown) << QString();
    QTest::newRow("direct, bucket with direct") << u"users"_s << int(Path::DirectGet) << QString();
    QTest::newRow("direct, bucket without direct")
        << u"users"_s << int(Path::MessageGet) << u"you may not publish to $JS.API.STREAM.MSG.GET.KV_users"_s;
    QTest::newRow("direct, path unknown") << u"users"_s << int(Path::Unknown) << QString();
    QTest::newRow("neither, path unknown")
        << u"other"_s << int(Path::Unknown) << u"you may not publish to $JS.API.DIRECT.GET.KV_other.$KV.other.x"_s;
}

void tst_NatsPermissions::readPaths()
{
    // Reads go direct only where the bucket's stream has allow_direct (KvBucket): the check judges the
    // subject the read is sent on, and while that is unknown it refuses only what neither way allows.
    QFETCH(QString, bucket);
    QFETCH(int, path);
    QFETCH(QString, expected);
    KvPermissions kv(permissionsFrom(R"({"publish":{"allow":["$JS.API.STREAM.INFO.>",
        "$JS.API.STREAM.MSG.GET.KV_orders","$JS.API.DIRECT.GET.KV_users.>"]},"subscribe":{"allow":["_INBOX.>"]}})"));
    kv.setReadPath(bucket, KvPermissions::ReadPath(path));
    QCOMPARE(kv.getRefusal(bucket, u"x"_s), expected);
    JsStreamConfig config;
    config.allowDirect = false;
    QCOMPARE(KvPermissions::readPathOf(config), KvPermissions::ReadPath::MessageGet);
    config.allowDirect = true;
    QCOMPARE(KvPermissions::readPathOf(config), KvPermissions::ReadPath::DirectGet);
}

QTEST_GUILESS_MAIN(tst_NatsPermissions)

#include "tst_natspermissions.moc"
