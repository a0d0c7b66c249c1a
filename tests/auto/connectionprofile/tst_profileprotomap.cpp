#include "connectionprofile.h"
#include "profilestore.h"
#include "uitestsupport.h"

#include <QtTest/QTest>

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

QTEST_MAIN(tst_ProfileProtoMap)
#include "tst_profileprotomap.moc"
