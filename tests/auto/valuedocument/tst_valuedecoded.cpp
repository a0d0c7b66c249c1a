#include "codecprotobuf.h"
#include "codectestdata.h"
#include "valuedocument.h"

#include <QtTest/QTest>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

// The Decoded view of a value: the decoders' chain shown, the decoded form edited only where the same
// chain gives it back exactly, read-only with the reason elsewhere.
class tst_ValueDecoded final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectChoosesTheDecodedViewForEncodedValues_data();
    void detectChoosesTheDecodedViewForEncodedValues();
    void decodedViewShowsTheChainAndTheJson();
    void editIsEncodedWithTheSameChain();
    void unchangedTextGivesTheSameBytes();
    void lossyValueIsReadOnlyWithTheReason();
    void editThatWouldNotReadBackIsRefused();
    void valueNoDecoderFitsIsRefusedNamingHex();
    void valueOverTheCapIsRefusedNamingTheCap();
    void protobufMappingDecodesTheMessage();
};

void tst_ValueDecoded::detectChoosesTheDecodedViewForEncodedValues_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("view");
    const QByteArray json = R"({"a": 1})"_ba;
    QTest::newRow("json") << json << int(View::Json);
    QTest::newRow("text") << "hello"_ba << int(View::Text);
    QTest::newRow("binary") << "\x00\x01\xff"_ba << int(View::Hex);
    QTest::newRow("gzip json") << CodecTestData::gzip(json) << int(View::Decoded);
    QTest::newRow("base64 gzip json") << CodecTestData::gzip(json).toBase64() << int(View::Decoded);
    QTest::newRow("messagepack") << CodecTestData::messagePackRecord() << int(View::Decoded);
    QTest::newRow("zstd messagepack") << CodecTestData::zstd(CodecTestData::messagePackRecord()) << int(View::Decoded);
}

void tst_ValueDecoded::detectChoosesTheDecodedViewForEncodedValues()
{
    QFETCH(QByteArray, value);
    QFETCH(int, view);
    QCOMPARE(int(ValueFormat::detect(value)), view);
}

void tst_ValueDecoded::decodedViewShowsTheChainAndTheJson()
{
    ValueDocument document;
    QString error;
    QVERIFY2(document.setValue(CodecTestData::zstd(CodecTestData::messagePackRecord()), View::Decoded, &error),
             qPrintable(error));
    QCOMPARE(document.chainDescription(), u"zstd → MessagePack, shown as JSON"_s);
    QVERIFY(document.isEditable());
    QVERIFY(document.readOnlyReason().isEmpty());
    QVERIFY(document.showsJson());
    QCOMPARE(document.text(),
             u"{\n  \"name\": \"Ada\",\n  \"age\": 36,\n  \"tags\": [\n    \"x\",\n    \"y\"\n  ]\n}"_s);
    // Other views say nothing of a chain.
    QVERIFY(document.setValue("plain"_ba, View::Text, &error));
    QVERIFY(document.chainDescription().isEmpty());
}

void tst_ValueDecoded::editIsEncodedWithTheSameChain()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(CodecTestData::zstd(CodecTestData::messagePackRecord()), View::Decoded, &error));
    QString edited = document.text();
    edited.replace(u"\"Ada\""_s, u"\"Grace\""_s);
    QByteArray value;
    QVERIFY2(document.toValue(edited, &value, &error), qPrintable(error));
    QCOMPARE(CodecTestData::messagePackToJson(CodecTestData::unzstd(value)),
             u"{\"name\":\"Grace\",\"age\":36,\"tags\":[\"x\",\"y\"]}"_s);
    // Compressed JSON: edited as JSON, stored gzip-compressed again.
    QVERIFY(document.setValue(CodecTestData::gzip(R"({"a":1})"_ba), View::Decoded, &error));
    QCOMPARE(document.chainDescription(), u"gzip → JSON"_s);
    QVERIFY2(document.toValue(u"{\"a\": 2}"_s, &value, &error), qPrintable(error));
    QCOMPARE(CodecTestData::gunzip(value), R"({"a": 2})"_ba);
}

void tst_ValueDecoded::unchangedTextGivesTheSameBytes()
{
    const QByteArray stored = CodecTestData::gzip(CodecTestData::messagePackRecord()).toBase64();
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(stored, View::Decoded, &error));
    QByteArray value;
    QVERIFY(document.toValue(document.text(), &value, &error));
    QCOMPARE(value, stored);
}

void tst_ValueDecoded::lossyValueIsReadOnlyWithTheReason()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(CodecTestData::zstd(CodecTestData::messagePackBinary()), View::Decoded, &error));
    QCOMPARE(document.chainDescription(), u"zstd → MessagePack, shown as JSON"_s);
    QVERIFY(!document.isEditable());
    QVERIFY2(document.readOnlyReason().contains(u"binary data"_s), qPrintable(document.readOnlyReason()));
    QByteArray value;
    QVERIFY(!document.toValue(document.text() + u' ', &value, &error));
    QVERIFY2(error.contains(u"binary data"_s), qPrintable(error));
    QVERIFY(document.setValue(CodecTestData::gzip("\x00\x01\xfe"_ba), View::Decoded, &error));
    QVERIFY(!document.isEditable());
    QVERIFY2(document.readOnlyReason().contains(u"hex"_s), qPrintable(document.readOnlyReason()));
    QVERIFY2(document.text().startsWith(u"00000000  00 01 fe"_s), qPrintable(document.text()));
}

void tst_ValueDecoded::editThatWouldNotReadBackIsRefused()
{
    ValueDocument document;
    QString error;
    QVERIFY(document.setValue(CodecTestData::messagePackRecord(), View::Decoded, &error));
    QByteArray value;
    QVERIFY(!document.toValue(u"\"just a string\""_s, &value, &error));
    QVERIFY2(error.contains(u"instead of MessagePack"_s), qPrintable(error));
}

void tst_ValueDecoded::valueNoDecoderFitsIsRefusedNamingHex()
{
    ValueDocument document;
    QString error;
    QVERIFY(!document.setValue("\x00\x01\xff"_ba, View::Decoded, &error));
    QVERIFY2(error.contains(u"no decoder fits"_s) && error.contains(u"Hex"_s), qPrintable(error));
}

void tst_ValueDecoded::valueOverTheCapIsRefusedNamingTheCap()
{
    // 2 MiB of JSON in a few KiB of gzip: past a 1 MiB cap the message names the cap, and it is not
    // "no decoder fits" (gzip does).
    const QByteArray json = "{\"pad\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";
    ValueDocument document;
    CodecOptions options;
    options.maxOutputSize = 1024 * 1024;
    document.setCodecOptions(options);
    QString error;
    QVERIFY(!document.setValue(CodecTestData::gzip(json), View::Decoded, &error));
    QVERIFY2(error.contains(u"1.0 MiB"_s) && error.contains(u"Hex"_s), qPrintable(error));
    QVERIFY2(!error.contains(u"no decoder fits"_s), qPrintable(error));
    options.maxOutputSize = 4 * 1024 * 1024;
    document.setCodecOptions(options);
    QVERIFY2(document.setValue(CodecTestData::gzip(json), View::Decoded, &error), qPrintable(error));
}

void tst_ValueDecoded::protobufMappingDecodesTheMessage()
{
    auto schema = std::make_shared<CodecProtobuf>();
    QString error;
    QVERIFY2(schema->load(CodecTestData::protoFile(), {}, &error), qPrintable(error));
    CodecOptions options;
    options.protobuf = schema;
    options.messageType = u"shop.Order"_s;
    ValueDocument document;
    document.setCodecOptions(options);
    const QByteArray order = CodecTestData::protobufOrder(9, u"Ada"_s);
    QCOMPARE(document.detectView(order), View::Decoded);
    QVERIFY2(document.setValue(order, View::Decoded, &error), qPrintable(error));
    QCOMPARE(document.chainDescription(), u"Protobuf, shown as JSON"_s);
    QString edited = document.text();
    edited.replace(u"Ada"_s, u"Grace"_s);
    QByteArray value;
    QVERIFY2(document.toValue(edited, &value, &error), qPrintable(error));
    QCOMPARE(CodecTestData::protobufCustomer(value), u"Grace"_s);
}

QTEST_GUILESS_MAIN(tst_ValueDecoded)
#include "tst_valuedecoded.moc"
