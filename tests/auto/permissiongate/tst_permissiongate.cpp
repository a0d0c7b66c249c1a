#include "kvpermissions.h"
#include "permissiongate.h"
#include "uitestsupport.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

// PermissionGate on plain actions and buttons (offscreen): what the user may not do is disabled with the
// missing permission as the tooltip, the panel's own enabled state and tooltip come back when the
// refusal goes, and unknown permissions refuse nothing.
class tst_PermissionGate final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test"_s); }

private Q_SLOTS:
    void refusedActionIsDisabledWithTheReason();
    void panelStateSurvivesTheRefusal();
    void followerButton();
    void unknownRefusesNothing();
};

static KvPermissions writerOfOrders()
{
    const QByteArray json = R"({"publish":{"allow":["$KV.orders.>","$JS.API.>"],"deny":["$KV.orders.locked.>"]},
                                "subscribe":{"allow":["_INBOX.>"]}})";
    return KvPermissions(NatsPermissions::fromJson(QJsonDocument::fromJson(json).object()));
}

static PermissionGate::Check writeKey()
{
    return
        [](const KvPermissions &p, const QString &bucket, const QString &key) { return p.writeRefusal(bucket, key); };
}

void tst_PermissionGate::refusedActionIsDisabledWithTheReason()
{
    PermissionGate gate;
    QAction newKey(u"New Key"_s);
    QAction save(u"Save"_s);
    save.setToolTip(u"Save the value"_s);
    gate.guard(&newKey, PermissionGate::writeRule());
    gate.guard(&save, writeKey());
    gate.setPermissions(writerOfOrders());

    gate.setBucket(u"users"_s);
    QVERIFY(!newKey.isEnabled());
    QCOMPARE(newKey.toolTip(), u"you may not publish to $KV.users.>"_s);
    QCOMPARE(gate.refusal(&newKey), u"you may not publish to $KV.users.>"_s);

    gate.setBucket(u"orders"_s);
    QVERIFY(newKey.isEnabled());
    gate.setKey(u"locked.a"_s);
    QVERIFY(newKey.isEnabled()); // some keys of orders may be written
    QVERIFY(!save.isEnabled());
    QCOMPARE(save.toolTip(), u"you may not publish to $KV.orders.locked.a"_s);
    gate.setKey(u"open"_s);
    QVERIFY(save.isEnabled());
    QCOMPARE(save.toolTip(), u"Save the value"_s);
}

void tst_PermissionGate::panelStateSurvivesTheRefusal()
{
    PermissionGate gate;
    QAction save(u"Save"_s);
    gate.guard(&save, writeKey());
    gate.setPermissions(writerOfOrders());
    gate.setBucket(u"orders"_s);
    gate.setKey(u"locked.a"_s);
    QVERIFY(!save.isEnabled());

    // The panel enables it (a change typed) while it is refused: still disabled, the reason stays.
    save.setEnabled(true);
    save.setToolTip(u"This connection is read-only."_s);
    QVERIFY(!save.isEnabled());
    QCOMPARE(save.toolTip(), u"you may not publish to $KV.orders.locked.a"_s);
    // The panel disables it again (nothing to save) before the refusal goes: it stays disabled after.
    save.setEnabled(false);
    gate.setKey(u"open"_s);
    QVERIFY(!save.isEnabled());
    QCOMPARE(save.toolTip(), u"This connection is read-only."_s);
    save.setEnabled(true);
    QVERIFY(save.isEnabled());
}

void tst_PermissionGate::followerButton()
{
    PermissionGate gate;
    QAction save(u"Save"_s);
    QPushButton button(u"Save"_s);
    gate.guard(&save, writeKey());
    gate.guardFollower(&button, &save);
    gate.setPermissions(writerOfOrders());
    gate.setBucket(u"orders"_s);
    gate.setKey(u"locked.a"_s);
    // The panel mirrors the action onto the button, and sets its own tooltip.
    button.setEnabled(true);
    button.setToolTip(u"mine"_s);
    QVERIFY(!button.isEnabled());
    QCOMPARE(button.toolTip(), u"you may not publish to $KV.orders.locked.a"_s);
    save.setEnabled(true);
    gate.setKey(u"open"_s);
    QVERIFY(button.isEnabled());
    QCOMPARE(button.toolTip(), u"mine"_s);
}

void tst_PermissionGate::unknownRefusesNothing()
{
    PermissionGate gate;
    QAction create(u"New Bucket"_s);
    gate.guard(&create,
               [](const KvPermissions &p, const QString &, const QString &) { return p.createBucketRefusal(); });
    gate.setPermissions(writerOfOrders());
    QVERIFY(create.isEnabled()); // $JS.API.> allows it
    gate.setPermissions(KvPermissions(NatsPermissions::fromJson(
        QJsonDocument::fromJson(R"({"publish":{"deny":["$JS.API.STREAM.CREATE.>"]}})").object())));
    QVERIFY(!create.isEnabled());
    QCOMPARE(create.toolTip(), u"you may not publish to $JS.API.STREAM.CREATE.*"_s);
    gate.setPermissions({}); // nats-server 2.9: unknown
    QVERIFY(create.isEnabled());
    QCOMPARE(gate.refusal(&create), QString());
}

QTEST_MAIN(tst_PermissionGate)

#include "tst_permissiongate.moc"
