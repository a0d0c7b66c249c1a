#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "historypanel.h"
#include "kvbucketstatus.h"
#include "kvpermissions.h"
#include "permissiongate.h"
#include "uitestsupport.h"
#include "valuepanel.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtGui/QAction>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// The window's gate on a bucket that mirrors another (offscreen, real panels): the bucket list's stream
// configs say "mir" mirrors "src", so New Key in "mir" is judged by the subjects KvBucket writes to,
// $KV.src.>, not by the mirror's own $KV.mir.>.
class tst_PermissionGateMirror final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-permissiongatemirror"_s); }

private Q_SLOTS:
    void mirrorIsJudgedByItsOriginsSubjects_data();
    void mirrorIsJudgedByItsOriginsSubjects();
};

static KvPermissions mayPublishTo(const QString &subjects)
{
    const QByteArray json = R"({"publish":{"allow":["$JS.API.>",")" + subjects.toUtf8()
        + R"("]},"subscribe":{"allow":["_INBOX.>"]}})";
    return KvPermissions(NatsPermissions::fromJson(QJsonDocument::fromJson(json).object()));
}

static KvBucketStatus statusOf(const QString &bucket, const QString &mirrorOf)
{
    JsStreamInfo info;
    info.config.name = u"KV_"_s + bucket;
    info.config.maxMsgsPerSubject = 1;
    info.config.allowDirect = true;
    if (mirrorOf.isEmpty())
        info.config.subjects = QStringList{u"$KV.%1.>"_s.arg(bucket)};
    else
        info.config.mirror.name = u"KV_"_s + mirrorOf;
    return KvBucketStatus::fromStreamInfo(info);
}

void tst_PermissionGateMirror::mirrorIsJudgedByItsOriginsSubjects_data()
{
    QTest::addColumn<QString>("allowed");
    QTest::addColumn<QString>("refusal"); // of New Key in "mir"
    QTest::newRow("the origin's subjects") << u"$KV.src.>"_s << QString();
    QTest::newRow("the mirror's own subjects") << u"$KV.mir.>"_s << u"you may not publish to $KV.src.>"_s;
}

void tst_PermissionGateMirror::mirrorIsJudgedByItsOriginsSubjects()
{
    QFETCH(QString, allowed);
    QFETCH(QString, refusal);
    BucketPanel buckets;
    ValuePanel value;
    HistoryPanel history;
    PermissionGate gate;
    gate.guardPanels(&buckets, &value, &history);
    buckets.model()->setStatuses({statusOf(u"src"_s, {}), statusOf(u"mir"_s, u"src"_s)});
    gate.setPermissions(mayPublishTo(allowed));
    gate.setBucket(u"mir"_s);
    QCOMPARE(gate.refusal(value.newKeyAction()), refusal);
    QCOMPARE(value.newKeyAction()->toolTip().contains(u"$KV.mir."_s), false);
}

QTEST_MAIN(tst_PermissionGateMirror)

#include "tst_permissiongatemirror.moc"
