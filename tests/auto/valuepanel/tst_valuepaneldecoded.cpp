#include "codecprotomap.h"
#include "codectestdata.h"
#include "decodesizecap.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "uitestsupport.h"
#include "valuepanel.h"
#include "valuepaneltestbase.h"

#include <QtGui/QAction>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QPlainTextEdit>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

// The value panel's Decoded view against a real server: the chain above the value, an edit saved through
// the same chain, and a value the chain cannot give back exactly read-only with the reason.
class tst_ValuePanelDecoded final : public ValuePanelTestBase
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-valuepaneldecoded"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void chainIsShownAboveTheValueAndAnEditIsSavedThroughIt();
    void decodedJsonKeepsItsLayout();
    void lossyValueIsReadOnlyWithTheReason();
    void rawHexIsAlwaysThere();
    void protobufMappingDecodesTheKeysItNames();
    void decodedSizeCapIsTheSetting();
    void decodedSizeCapAppliesToTheOpenValue();

private:
    QLabel *label(const QString &name) const { return m_panel->findChild<QLabel *>(name); }
};

void tst_ValuePanelDecoded::initTestCase()
{
    QVERIFY2(startServer(u"decoded"_s), qPrintable(problem()));
}

void tst_ValuePanelDecoded::init()
{
    QVERIFY(createPanel());
}

void tst_ValuePanelDecoded::cleanup()
{
    deletePanel();
    DecodeSizeCap::setBytes(CodecOptions::defaultMaxOutputSize);
}

void tst_ValuePanelDecoded::chainIsShownAboveTheValueAndAnEditIsSavedThroughIt()
{
    WAIT_OK(m_bucket->put(u"user.1"_s, CodecTestData::zstd(CodecTestData::messagePackRecord())));
    QVERIFY(openKey(u"user.1"_s));
    QCOMPARE(m_panel->view(), View::Decoded);
    QLabel *chain = label(u"decodeChain"_s);
    QVERIFY(chain);
    QVERIFY(chain->isVisible());
    QVERIFY2(chain->text().contains(u"zstd → MessagePack, shown as JSON"_s), qPrintable(chain->text()));
    QVERIFY(label(u"readOnlyReason"_s) && !label(u"readOnlyReason"_s)->isVisible());
    QVERIFY(!m_editor->isReadOnly());

    // Typed as a user types: "Ada" becomes "Adam".
    const quint64 opened = m_panel->openedRevision();
    QTextCursor cursor(m_editor->document());
    cursor.setPosition(int(m_editor->toPlainText().indexOf(u"Ada"_s)) + 3);
    m_editor->setTextCursor(cursor);
    QTest::keyClicks(m_editor, u"m"_s);
    QVERIFY(m_panel->isModified());
    QVERIFY(m_panel->saveAction()->isEnabled());
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);
    const QByteArray stored = KvTest::value(m_bucket, u"user.1"_s);
    QCOMPARE(CodecTestData::messagePackToJson(CodecTestData::unzstd(stored)),
             u"{\"name\":\"Adam\",\"age\":36,\"tags\":[\"x\",\"y\"]}"_s);
    QCOMPARE(m_panel->view(), View::Decoded);
}

// Compressed JSON is shown as it was written, as the JSON view shows JSON: laid out anew, every edit saved
// the new layout too (compact JSON came back indented), not only the character typed.
void tst_ValuePanelDecoded::decodedJsonKeepsItsLayout()
{
    const QByteArray json = R"({"a":1,"b":[1,2],  "c" : "x"})";
    WAIT_OK(m_bucket->put(u"gz.json"_s, CodecTestData::gzip(json)));
    QVERIFY(openKey(u"gz.json"_s));
    QCOMPARE(m_panel->view(), View::Decoded);
    QVERIFY(!m_editor->isReadOnly());
    QCOMPARE(m_editor->toPlainText(), QString::fromUtf8(json));

    const quint64 opened = m_panel->openedRevision();
    QTextCursor cursor(m_editor->document());
    cursor.setPosition(int(m_editor->toPlainText().indexOf(u":1"_s)) + 2);
    m_editor->setTextCursor(cursor);
    QTest::keyClicks(m_editor, u"2"_s);
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);
    QCOMPARE(CodecTestData::gunzip(KvTest::value(m_bucket, u"gz.json"_s)), R"({"a":12,"b":[1,2],  "c" : "x"})"_ba);
}

void tst_ValuePanelDecoded::lossyValueIsReadOnlyWithTheReason()
{
    WAIT_OK(m_bucket->put(u"blob"_s, CodecTestData::gzip(CodecTestData::messagePackBinary())));
    QVERIFY(openKey(u"blob"_s));
    QCOMPARE(m_panel->view(), View::Decoded);
    QVERIFY2(label(u"decodeChain"_s)->text().contains(u"gzip → MessagePack, shown as JSON"_s),
             qPrintable(label(u"decodeChain"_s)->text()));
    QLabel *reason = label(u"readOnlyReason"_s);
    QVERIFY(reason->isVisible());
    QVERIFY2(reason->text().contains(u"binary data"_s), qPrintable(reason->text()));
    QVERIFY(m_editor->isReadOnly());
    QVERIFY(!m_panel->saveAction()->isEnabled());
    QVERIFY2(m_editor->toPlainText().contains(u"\"blob\""_s), qPrintable(m_editor->toPlainText()));
}

void tst_ValuePanelDecoded::rawHexIsAlwaysThere()
{
    const QByteArray stored = CodecTestData::zstd(CodecTestData::messagePackRecord());
    WAIT_OK(m_bucket->put(u"raw"_s, stored));
    QVERIFY(openKey(u"raw"_s));
    auto *selector = m_panel->findChild<QComboBox *>(u"viewSelector"_s);
    QVERIFY(selector->findData(int(View::Hex)) >= 0);
    QVERIFY(selector->findData(int(View::Decoded)) >= 0);
    m_panel->setView(View::Hex);
    QCOMPARE(m_panel->view(), View::Hex);
    QVERIFY(m_editor->toPlainText().startsWith(u"00000000  28 b5 2f fd"_s));
    QVERIFY(!label(u"decodeChain"_s)->isVisible());
    m_panel->setView(View::Decoded);
    QCOMPARE(m_panel->view(), View::Decoded);
    QVERIFY(label(u"decodeChain"_s)->isVisible());
    QCOMPARE(m_panel->currentValue(), stored);
}

void tst_ValuePanelDecoded::protobufMappingDecodesTheKeysItNames()
{
    // As the connection profile maps them: this bucket's order.* keys are shop.Order messages.
    m_panel->setProtoMap(CodecProtoMap({{u"decoded"_s, u"order.*"_s, CodecTestData::protoFile(), u"shop.Order"_s}}));
    const QByteArray order = CodecTestData::protobufOrder(7, u"Ada"_s);
    WAIT_OK(m_bucket->put(u"order.7"_s, order));
    WAIT_OK(m_bucket->put(u"unmapped"_s, order));
    QVERIFY(openKey(u"order.7"_s));
    QCOMPARE(m_panel->view(), View::Decoded);
    QVERIFY2(label(u"decodeChain"_s)->text().contains(u"Protobuf, shown as JSON"_s),
             qPrintable(label(u"decodeChain"_s)->text()));
    QVERIFY2(m_editor->toPlainText().contains(u"\"customer\": \"Ada\""_s), qPrintable(m_editor->toPlainText()));
    QVERIFY(!m_editor->isReadOnly());
    const quint64 opened = m_panel->openedRevision();
    QTextCursor cursor(m_editor->document());
    cursor.setPosition(int(m_editor->toPlainText().indexOf(u"Ada"_s)) + 3);
    m_editor->setTextCursor(cursor);
    QTest::keyClicks(m_editor, u"m"_s);
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->openedRevision() > opened, 10000);
    QCOMPARE(CodecTestData::protobufCustomer(KvTest::value(m_bucket, u"order.7"_s)), u"Adam"_s);
    // A key the mapping does not name is not taken for a message.
    QVERIFY(openKey(u"unmapped"_s));
    QTRY_COMPARE(m_panel->currentValue(), order); // loaded (the revision shown may still be order.7's)
    QCOMPARE(m_panel->view(), View::Hex);
}

void tst_ValuePanelDecoded::decodedSizeCapIsTheSetting()
{
    // Read as every size is; kept in the settings; a value past it is refused naming it.
    qint64 bytes = 0;
    QString error;
    QVERIFY2(DecodeSizeCap::parse(u"1MiB"_s, &bytes, &error), qPrintable(error));
    QCOMPARE(bytes, 1024 * 1024);
    QVERIFY(!DecodeSizeCap::parse(u"lots"_s, &bytes, &error));
    QVERIFY(!DecodeSizeCap::parse(u"0"_s, &bytes, &error));
    QVERIFY2(error.contains(u"above zero"_s), qPrintable(error));
    QCOMPARE(DecodeSizeCap::bytes(), CodecOptions::defaultMaxOutputSize);
    DecodeSizeCap::setBytes(1024 * 1024);
    QCOMPARE(DecodeSizeCap::bytes(), 1024 * 1024);

    const QByteArray json = "{\"pad\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";
    WAIT_OK(m_bucket->put(u"big"_s, CodecTestData::gzip(json)));
    QVERIFY(openKey(u"big"_s));
    m_panel->setView(View::Decoded);
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    QVERIFY(status);
    QVERIFY2(status->text().contains(u"1.0 MiB"_s), qPrintable(status->text()));
    // cleanup() puts the cap back once the panel is gone: raised now, the open value would be decoded
    // again, 2 MiB of JSON on one line in the editor.
}

void tst_ValuePanelDecoded::decodedSizeCapAppliesToTheOpenValue()
{
    // View → Decoded Size Cap… sets the cap: the value already open is decoded again under it, not only
    // the next one opened. Lowered below the value, the Decoded view gives way naming the cap; raised
    // again, the value is decoded again.
    const QByteArray json = "{\"pad\":\"" + QByteArray(8 * 1024, 'a') + "\"}";
    WAIT_OK(m_bucket->put(u"capped"_s, CodecTestData::gzip(json)));
    QVERIFY(openKey(u"capped"_s));
    QCOMPARE(m_panel->view(), View::Decoded);
    auto *status = m_panel->findChild<QLabel *>(u"valueStatus"_s);
    QVERIFY(status);

    DecodeSizeCap::setBytes(4 * 1024);
    QTRY_VERIFY(m_panel->view() != View::Decoded);
    QVERIFY2(status->text().contains(u"4.0 KiB"_s), qPrintable(status->text()));
    QVERIFY(!m_editor->toPlainText().contains(u"aaaa"_s));

    DecodeSizeCap::setBytes(CodecOptions::defaultMaxOutputSize);
    QTRY_COMPARE(m_panel->view(), View::Decoded);
    QVERIFY(m_editor->toPlainText().contains(u"aaaa"_s));
    QVERIFY(!m_panel->isModified());
}

QTEST_MAIN(tst_ValuePanelDecoded)
#include "tst_valuepaneldecoded.moc"
