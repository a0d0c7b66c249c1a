#include "connectionprofile.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "uitestsupport.h"

#include <QtTest/QTest>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

// The Protobuf mapping of a connection profile (bucket and key pattern to a .proto file's message) is
// saved with the profile and read back as it was.
class tst_ProfileProtoMap final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-profileprotomap"_s); }

private Q_SLOTS:
    void mappingIsSavedWithTheProfile();
    void mappingIsEditedInTheProfileDialog();
};

void tst_ProfileProtoMap::mappingIsSavedWithTheProfile()
{
    ConnectionProfile profile;
    profile.id = ConnectionProfile::newId();
    profile.name = u"shop"_s;
    profile.protoMappings = {{u"orders"_s, u"order.*"_s, u"/home/u/shop.proto"_s, u"shop.Order"_s},
                             {QString(), u"legacy.>"_s, u"/home/u/old.proto"_s, u"old.Thing"_s}};
    ConnectionProfile other;
    other.id = ConnectionProfile::newId();
    other.name = u"other"_s;
    {
        ProfileStore store;
        store.save(profile);
        store.save(other);
    }
    ProfileStore again;
    QCOMPARE(again.profile(profile.id).protoMappings, profile.protoMappings);
    QVERIFY(again.profile(other.id).protoMappings.isEmpty());
    // And taken out again.
    profile.protoMappings.clear();
    again.save(profile);
    QVERIFY(ProfileStore().profile(profile.id).protoMappings.isEmpty());
}

void tst_ProfileProtoMap::mappingIsEditedInTheProfileDialog()
{
    const QString proto = QString::fromUtf8(qgetenv("KVDESK_SOURCE_DIR")) + u"/tests/auto/codec/shop.proto"_s;
    ProfileStore store;
    for (const ConnectionProfile &profile : store.profiles())
        store.remove(profile.id); // the dialog then opens on a new profile
    SecretStore secrets;
    ProfileDialog dialog(&store, &secrets);
    auto *mappings = dialog.findChild<QPlainTextEdit *>(u"profileProtoMappings"_s);
    QVERIFY(mappings);
    dialog.findChild<QLineEdit *>(u"profileName"_s)->setText(u"with protobuf"_s);
    dialog.findChild<QLineEdit *>(u"profileServers"_s)->setText(u"nats://127.0.0.1:4222"_s);
    // A file that is not there is refused, saying which.
    mappings->setPlainText(u"orders order.* shop.Order /nonexistent/shop.proto"_s);
    const qsizetype before = store.profiles().size();
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    QCOMPARE(store.profiles().size(), before);
    mappings->setPlainText(u"orders order.* shop.Order "_s + proto);
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    QCOMPARE(store.profiles().size(), before + 1);
    ConnectionProfile saved;
    for (const ConnectionProfile &profile : ProfileStore().profiles())
        if (profile.name == u"with protobuf"_s)
            saved = profile;
    const QList<CodecProtoMap::Entry> expected{{u"orders"_s, u"order.*"_s, proto, u"shop.Order"_s}};
    QCOMPARE(saved.protoMappings, expected);
    // Shown again when the profile is selected again, and kept by a save of another field.
    dialog.selectProfile(saved.id);
    QCOMPARE(mappings->toPlainText().trimmed(), u"orders order.* shop.Order "_s + proto);
}

QTEST_MAIN(tst_ProfileProtoMap)
#include "tst_profileprotomap.moc"
