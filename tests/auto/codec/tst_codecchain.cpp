#include "codecchain.h"
#include "codeccompression.h"
#include "codecmessagepack.h"
#include "codecprotobuf.h"
#include "codecprotomap.h"
#include "codectestdata.h"

#include <QtCore/QCborArray>
#include <QtCore/QCborMap>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using Step = CodecChain::Step;
using Format = CodecCompression::Format;

Q_DECLARE_METATYPE(CodecChain::Step)

namespace {

QByteArray cborRecord()
{
    QCborMap map;
    map.insert(u"name"_s, u"Ada"_s);
    map.insert(u"age"_s, 36);
    return map.toCborValue().toCbor();
}

std::shared_ptr<const CodecProtobuf> shopSchema()
{
    auto schema = std::make_shared<CodecProtobuf>();
    QString error;
    if (!schema->load(CodecTestData::protoFile(), {}, &error))
        qWarning("%s", qPrintable(error));
    return schema;
}

CodecOptions orderOptions()
{
    CodecOptions options;
    options.protobuf = shopSchema();
    options.messageType = u"shop.Order"_s;
    return options;
}

} // namespace

// Detection and chaining of the value decoders, and the way back, with data the libraries made.
class tst_CodecChain final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void compressionReadsWhatTheLibrariesWrote_data();
    void compressionReadsWhatTheLibrariesWrote();
    void decompressionStopsAtTheCap_data();
    void decompressionStopsAtTheCap();
    void nestedCompressionSharesTheCap();
    void truncatedCompressionIsRefused();
    void chainIsDetected_data();
    void chainIsDetected();
    void messagePackKeepsKeyOrder();
    void messagePackWritesLargeDoublesAsTheyAre_data();
    void messagePackWritesLargeDoublesAsTheyAre();
    void editedMessagePackIsEncodedWithTheSameChain();
    void editThatWouldNotReadBackIsRefused();
    void editNotJsonSaysLineAndColumn();
    void lossyValuesAreReadOnly_data();
    void lossyValuesAreReadOnly();
    void protobufDecodesWithTheUsersProto();
    void protobufEditIsEncodedAsTheMessage();
    void protobufUnknownFieldsAreReadOnly();
    void protobufCompileErrorNamesTheLine();
    void nothingFitsSaysWhy();
    void protoMapChoosesTheMessageByBucketAndKey_data();
    void protoMapChoosesTheMessageByBucketAndKey();
    void protoMapSaysWhyAFileDoesNotLoad();
    void protoMapTextFormRoundTrips();
    void keysThatAreMapsStayLinear();
};

void tst_CodecChain::compressionReadsWhatTheLibrariesWrote_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("compressed");
    const QByteArray json = R"({"text": "hello hello hello hello"})"_ba;
    QTest::newRow("gzip") << int(Format::Gzip) << CodecTestData::gzip(json);
    QTest::newRow("zlib") << int(Format::Zlib) << CodecTestData::zlib(json);
    QTest::newRow("zstd") << int(Format::Zstd) << CodecTestData::zstd(json);
}

void tst_CodecChain::compressionReadsWhatTheLibrariesWrote()
{
    QFETCH(int, format);
    QFETCH(QByteArray, compressed);
    QVERIFY(CodecCompression::looksLike(Format(format), compressed));
    QByteArray out;
    QString error;
    QVERIFY2(CodecCompression::decompress(Format(format), compressed, 1024, &out, &error), qPrintable(error));
    QCOMPARE(out, R"({"text": "hello hello hello hello"})"_ba);
    // And ours reads back with theirs.
    const QByteArray ours = CodecCompression::compress(Format(format), out);
    if (Format(format) == Format::Gzip)
        QCOMPARE(CodecTestData::gunzip(ours), out);
    if (Format(format) == Format::Zstd)
        QCOMPARE(CodecTestData::unzstd(ours), out);
}

void tst_CodecChain::decompressionStopsAtTheCap_data()
{
    QTest::addColumn<int>("format");
    QTest::addColumn<QByteArray>("bomb");
    // 4 MiB of zeros in a few KiB: the cap is 1 MiB.
    const QByteArray zeros(4 * 1024 * 1024, '\0');
    QTest::newRow("gzip") << int(Format::Gzip) << CodecTestData::gzip(zeros);
    QTest::newRow("zlib") << int(Format::Zlib) << CodecTestData::zlib(zeros);
    QTest::newRow("zstd") << int(Format::Zstd) << CodecTestData::zstd(zeros);
}

void tst_CodecChain::decompressionStopsAtTheCap()
{
    QFETCH(int, format);
    QFETCH(QByteArray, bomb);
    QVERIFY(bomb.size() < 64 * 1024);
    QByteArray out;
    QString error;
    QVERIFY(!CodecCompression::decompress(Format(format), bomb, 1024 * 1024, &out, &error));
    QVERIFY2(error.contains(u"limit of 1048576 bytes"_s), qPrintable(error));
    QVERIFY(out.isEmpty());
    // Through the chain: the value is refused, saying why.
    CodecOptions options;
    options.maxOutputSize = 1024 * 1024;
    const CodecChain chain = CodecChain::decode(bomb, options);
    QVERIFY(!chain.isValid());
    QVERIFY(chain.isOverLimit());
    QVERIFY2(chain.errorString().contains(u"limit of 1048576 bytes"_s), qPrintable(chain.errorString()));
    // It is gzip, too large: not "no decoder fits".
    QVERIFY2(!chain.errorString().contains(u"no decoder fits"_s), qPrintable(chain.errorString()));
}

// Each layer under the cap is not enough: 3 MiB stored in zlib, compressed again, is two layers of 3 MiB.
void tst_CodecChain::nestedCompressionSharesTheCap()
{
    const QByteArray nested = CodecTestData::zlib(CodecTestData::zlibStored(QByteArray(3 * 1024 * 1024, '\0')));
    QVERIFY(nested.size() < 64 * 1024);
    CodecOptions options;
    options.maxOutputSize = 4 * 1024 * 1024;
    const CodecChain chain = CodecChain::decode(nested, options);
    QVERIFY(!chain.isValid());
    QVERIFY2(chain.errorString().contains(u"limit of"_s), qPrintable(chain.errorString()));
    options.maxOutputSize = 8 * 1024 * 1024;
    QCOMPARE(CodecChain::identify(nested, options).description(), u"zlib → zlib → bytes, shown as hex"_s);
}

void tst_CodecChain::truncatedCompressionIsRefused()
{
    const QByteArray gzip = CodecTestData::gzip(R"({"a": 1})"_ba);
    QByteArray out;
    QString error;
    QVERIFY(!CodecCompression::decompress(Format::Gzip, gzip.left(gzip.size() - 4), 1024, &out, &error));
    QVERIFY(!CodecCompression::decompress(Format::Gzip, gzip + "x", 1024, &out, &error));
    QVERIFY2(error.contains(u"follow"_s), qPrintable(error));
    const QByteArray zstd = CodecTestData::zstd(R"({"a": 1})"_ba);
    QVERIFY(!CodecCompression::decompress(Format::Zstd, zstd.left(zstd.size() - 2), 1024, &out, &error));
}

void tst_CodecChain::chainIsDetected_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("description");
    QTest::addColumn<bool>("transformed");
    QTest::addColumn<QString>("shownContains");
    QTest::addColumn<bool>("editable");
    const QByteArray json = R"({"id": 7, "name": "Ada"})"_ba;
    const QByteArray pack = CodecTestData::messagePackRecord();
    QTest::newRow("json") << json << u"JSON"_s << false << u"\"Ada\""_s << true;
    QTest::newRow("text") << "hello world"_ba << u"text"_s << false << u"hello"_s << true;
    QTest::newRow("text that is base64 too") << "abcd"_ba << u"text"_s << false << u"abcd"_s << true;
    QTest::newRow("messagepack") << pack << u"MessagePack, shown as JSON"_s << true << u"\"tags\": [\n"_s << true;
    QTest::newRow("zstd messagepack") << CodecTestData::zstd(pack) << u"zstd → MessagePack, shown as JSON"_s << true
                                      << u"\"name\": \"Ada\""_s << true;
    QTest::newRow("gzip json") << CodecTestData::gzip(json) << u"gzip → JSON"_s << true << u"\"Ada\""_s << true;
    QTest::newRow("base64 gzip json") << CodecTestData::gzip(json).toBase64() << u"Base64 → gzip → JSON"_s << true
                                      << u"\"Ada\""_s << true;
    QTest::newRow("base64 json") << json.toBase64() << u"Base64 → JSON"_s << true << u"\"Ada\""_s << true;
    QTest::newRow("zlib cbor") << CodecTestData::zlib(cborRecord()) << u"zlib → CBOR, shown as JSON"_s << true
                               << u"\"age\": 36"_s << true;
    QTest::newRow("gzip text") << CodecTestData::gzip("plain words") << u"gzip → text"_s << true << u"plain"_s << true;
    QTest::newRow("base64 gzip text") << CodecTestData::gzip("plain words").toBase64() << u"Base64 → gzip → text"_s
                                      << true << u"plain"_s << true;
    QTest::newRow("gzip bytes") << CodecTestData::gzip("\x00\x01\xfe\xff"_ba) << u"gzip → bytes, shown as hex"_s << true
                                << QString() << false;
    QTest::newRow("base64 zstd messagepack")
        << CodecTestData::zstd(pack).toBase64() << u"Base64 → zstd → MessagePack, shown as JSON"_s << true
        << u"\"age\": 36"_s << true;
}

void tst_CodecChain::chainIsDetected()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, description);
    QFETCH(bool, transformed);
    QFETCH(QString, shownContains);
    QFETCH(bool, editable);
    const CodecChain chain = CodecChain::decode(value);
    QVERIFY2(chain.isValid(), qPrintable(chain.errorString()));
    QCOMPARE(chain.description(), description);
    QCOMPARE(chain.isTransformed(), transformed);
    QVERIFY2(chain.text().contains(shownContains), qPrintable(chain.text()));
    QVERIFY2(chain.isEditable() == editable, qPrintable(chain.readOnlyReason()));
    QCOMPARE(chain.readOnlyReason().isEmpty(), editable);
}

void tst_CodecChain::messagePackKeepsKeyOrder()
{
    const CodecChain chain = CodecChain::decode(CodecTestData::messagePackUnsorted());
    QCOMPARE(chain.text(), u"{\n  \"z\": 1,\n  \"a\": 2\n}"_s);
    QVERIFY2(chain.isEditable(), qPrintable(chain.readOnlyReason()));
}

void tst_CodecChain::messagePackWritesLargeDoublesAsTheyAre_data()
{
    QTest::addColumn<double>("number");
    // msgpack-c writes an integral double as an integer; its range check lets 2^64 through, whose
    // conversion is undefined behaviour (found by fuzzing codecchain under UBSan).
    QTest::newRow("2^64") << 18446744073709551616.0;
    QTest::newRow("2^63") << 9223372036854775808.0;
    QTest::newRow("-2^63") << -9223372036854775808.0;
    QTest::newRow("2^65") << 36893488147419103232.0;
    QTest::newRow("1.5") << 1.5;
}

void tst_CodecChain::messagePackWritesLargeDoublesAsTheyAre()
{
    QFETCH(double, number);
    const QByteArray packed = CodecMessagePack::encode(QCborArray{number});
    QCborValue back;
    QString error;
    QVERIFY2(CodecMessagePack::decode(packed, &back, &error), qPrintable(error));
    QCOMPARE(back.toArray().at(0).toDouble(), number);
}

void tst_CodecChain::editedMessagePackIsEncodedWithTheSameChain()
{
    const CodecChain chain = CodecChain::decode(CodecTestData::zstd(CodecTestData::messagePackRecord()));
    QString edited = chain.text();
    edited.replace(u"\"Ada\""_s, u"\"Grace\""_s);
    edited.replace(u"36"_s, u"85"_s);
    QByteArray value;
    QString error;
    QVERIFY2(chain.encode(edited, &value, &error), qPrintable(error));
    // Read with the libraries: zstd, then MessagePack with the keys where they were.
    QCOMPARE(CodecTestData::messagePackToJson(CodecTestData::unzstd(value)),
             u"{\"name\":\"Grace\",\"age\":85,\"tags\":[\"x\",\"y\"]}"_s);
}

void tst_CodecChain::editThatWouldNotReadBackIsRefused()
{
    const CodecChain chain = CodecChain::decode(CodecTestData::gzip(CodecTestData::messagePackRecord()));
    QByteArray value;
    QString error;
    // A lone number is valid JSON, but MessagePack holding it would not read back as MessagePack.
    QVERIFY(!chain.encode(u"5"_s, &value, &error));
    QVERIFY2(error.contains(u"instead of gzip → MessagePack"_s), qPrintable(error));
    QVERIFY(!chain.encode(u"{\"name\": "_s, &value, &error));
    QVERIFY2(error.contains(u"not valid JSON"_s), qPrintable(error));
}

// The decoded view's JSON, edited wrong: where, as the editor counts (it said "at byte 29": ö is two).
void tst_CodecChain::editNotJsonSaysLineAndColumn()
{
    const CodecChain chain = CodecChain::decode(CodecTestData::gzip(CodecTestData::messagePackRecord()));
    QByteArray value;
    QString error;
    QVERIFY(!chain.encode(u"{\n  \"name\": \"Jörg\",\n  \"age\": x\n}"_s, &value, &error));
    QVERIFY2(error.contains(u"not valid JSON"_s) && error.contains(u"line 3, column 10"_s), qPrintable(error));
}

void tst_CodecChain::lossyValuesAreReadOnly_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("reason");
    QTest::newRow("binary") << CodecTestData::messagePackBinary() << u"binary data"_s;
    QTest::newRow("float32") << CodecTestData::messagePackFloat32() << u"32-bit floats"_s;
    QTest::newRow("zstd binary") << CodecTestData::zstd(CodecTestData::messagePackBinary()) << u"binary data"_s;
    QCborMap tagged;
    tagged.insert(u"when"_s, QCborValue(QCborKnownTags::DateTimeString, u"2026-12-04T00:00:00Z"_s));
    QTest::newRow("cbor tag") << tagged.toCborValue().toCbor() << u"tags"_s;
}

void tst_CodecChain::lossyValuesAreReadOnly()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, reason);
    const CodecChain chain = CodecChain::decode(value);
    QVERIFY(chain.isValid());
    QVERIFY(!chain.isEditable());
    QVERIFY2(chain.readOnlyReason().contains(reason), qPrintable(chain.readOnlyReason()));
    QVERIFY2(chain.readOnlyReason().contains(u"differ from the stored ones"_s), qPrintable(chain.readOnlyReason()));
}

void tst_CodecChain::protobufDecodesWithTheUsersProto()
{
    const QByteArray order = CodecTestData::protobufOrder(42, u"Ada"_s);
    const CodecChain chain = CodecChain::decode(CodecTestData::gzip(order), orderOptions());
    QVERIFY2(chain.isValid(), qPrintable(chain.errorString()));
    QCOMPARE(chain.description(), u"gzip → Protobuf, shown as JSON"_s);
    // Protobuf's JSON mapping: int64 as a string, field names as in the .proto file.
    QVERIFY2(chain.text().contains(u"\"id\": \"42\""_s), qPrintable(chain.text()));
    QVERIFY2(chain.text().contains(u"\"sku\": \"A-1\""_s), qPrintable(chain.text()));
    QVERIFY2(chain.isEditable(), qPrintable(chain.readOnlyReason()));
    // Without the mapping the same bytes are not taken for anything structured.
    QVERIFY(!CodecChain::decode(order).isTransformed());
}

void tst_CodecChain::protobufEditIsEncodedAsTheMessage()
{
    const CodecChain chain = CodecChain::decode(CodecTestData::protobufOrder(42, u"Ada"_s), orderOptions());
    QString edited = chain.text();
    edited.replace(u"\"Ada\""_s, u"\"Grace\""_s);
    QByteArray value;
    QString error;
    QVERIFY2(chain.encode(edited, &value, &error), qPrintable(error));
    QCOMPARE(CodecTestData::protobufCustomer(value), u"Grace"_s);
    QVERIFY(!chain.encode(u"{\"nosuchfield\": 1}"_s, &value, &error));
    QVERIFY2(error.contains(u"shop.Order"_s), qPrintable(error));
}

void tst_CodecChain::protobufUnknownFieldsAreReadOnly()
{
    const CodecChain chain = CodecChain::decode(CodecTestData::protobufOrder(1, u"Ada"_s, true), orderOptions());
    QCOMPARE(chain.description(), u"Protobuf, shown as JSON"_s);
    QVERIFY(!chain.isEditable());
    QVERIFY2(chain.readOnlyReason().contains(u"unknown fields"_s), qPrintable(chain.readOnlyReason()));
}

void tst_CodecChain::protobufCompileErrorNamesTheLine()
{
    QTemporaryDir folder;
    QFile file(folder.filePath(u"broken.proto"_s));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("syntax = \"proto3\";\nmessage Broken {\n  strin name = 1;\n}\n");
    file.close();
    CodecProtobuf schema;
    QString error;
    QVERIFY(!schema.load(file.fileName(), {}, &error));
    QVERIFY2(error.contains(u"broken.proto:3:"_s), qPrintable(error));
    QVERIFY(!schema.load(folder.filePath(u"missing.proto"_s), {}, &error));
    QVERIFY2(error.contains(u"does not exist"_s), qPrintable(error));
    CodecProtobuf shop;
    QVERIFY2(shop.load(CodecTestData::protoFile(), {}, &error), qPrintable(error));
    QCOMPARE(shop.messageTypes(), QStringList({u"shop.Item"_s, u"shop.Order"_s}));
}

void tst_CodecChain::nothingFitsSaysWhy()
{
    const CodecChain chain = CodecChain::decode("\x00\x01\xfe\xff"_ba);
    QVERIFY(!chain.isValid());
    QVERIFY2(chain.errorString().startsWith(u"no decoder fits"_s), qPrintable(chain.errorString()));
    QVERIFY(!CodecChain::decode({}).isValid());
    // A CBOR integer (42) is CBOR, but only a map or an array is taken for it: said so, not "not CBOR".
    const CodecChain integer = CodecChain::decode("\x18\x2a"_ba);
    QVERIFY(!integer.isValid());
    QVERIFY2(integer.errorString().contains(u"a MessagePack or CBOR map or array"_s),
             qPrintable(integer.errorString()));
    // A gzip header on garbage: the decoder that was tried says what went wrong.
    const CodecChain broken = CodecChain::decode("\x1f\x8b\x08\x00garbage"_ba);
    QVERIFY(!broken.isValid());
    QVERIFY2(broken.errorString().contains(u"gzip"_s), qPrintable(broken.errorString()));
}

void tst_CodecChain::protoMapChoosesTheMessageByBucketAndKey_data()
{
    QTest::addColumn<QString>("bucket");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("type"); // empty: no message
    QTest::newRow("one token") << u"shop"_s << u"orders.17"_s << u"shop.Order"_s;
    QTest::newRow("one token, not two") << u"shop"_s << u"orders.17.lines"_s << QString();
    QTest::newRow("the rest") << u"shop"_s << u"items.a.b"_s << u"shop.Item"_s;
    QTest::newRow("at least one token for the rest") << u"shop"_s << u"items"_s << QString();
    QTest::newRow("exact") << u"shop"_s << u"config"_s << u"shop.Order"_s;
    QTest::newRow("no match") << u"shop"_s << u"other"_s << QString();
    QTest::newRow("another bucket") << u"other"_s << u"orders.17"_s << QString();
    QTest::newRow("any bucket") << u"other"_s << u"legacy.x"_s << u"shop.Item"_s;
}

void tst_CodecChain::protoMapChoosesTheMessageByBucketAndKey()
{
    QFETCH(QString, bucket);
    QFETCH(QString, key);
    QFETCH(QString, type);
    const QString file = CodecTestData::protoFile();
    CodecProtoMap map({{u"shop"_s, u"orders.*"_s, file, u"shop.Order"_s},
                       {u"shop"_s, u"config"_s, file, u"shop.Order"_s},
                       {u"shop"_s, u"items.>"_s, file, u"shop.Item"_s},
                       {QString(), u"legacy.>"_s, file, u"shop.Item"_s}});
    QString error;
    const CodecOptions options = map.optionsFor(bucket, key, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(options.messageType, type);
    QCOMPARE(options.hasProtobuf(), !type.isEmpty());
}

void tst_CodecChain::protoMapSaysWhyAFileDoesNotLoad()
{
    CodecProtoMap map({{u"shop"_s, u">"_s, u"/nonexistent/shop.proto"_s, u"shop.Order"_s},
                       {u"b"_s, u">"_s, CodecTestData::protoFile(), u"shop.Nope"_s}});
    QString error;
    QVERIFY(!map.optionsFor(u"shop"_s, u"k"_s, &error).hasProtobuf());
    QVERIFY2(error.contains(u"/nonexistent/shop.proto"_s), qPrintable(error));
    QVERIFY(!map.optionsFor(u"b"_s, u"k"_s, &error).hasProtobuf());
    QVERIFY2(error.contains(u"shop.Nope"_s), qPrintable(error));
}

void tst_CodecChain::protoMapTextFormRoundTrips()
{
    QList<CodecProtoMap::Entry> entries;
    QString error;
    QVERIFY2(CodecProtoMap::fromText(u"# orders\norders order.* shop.Order /home/me/my protos/shop.proto\n\n"
                                     u"  *   legacy.>   old.Thing   old.proto  \n"_s,
                                     &entries, &error),
             qPrintable(error));
    const QList<CodecProtoMap::Entry> expected{
        {u"orders"_s, u"order.*"_s, u"/home/me/my protos/shop.proto"_s, u"shop.Order"_s},
        {QString(), u"legacy.>"_s, u"old.proto"_s, u"old.Thing"_s}};
    QCOMPARE(entries, expected);
    QList<CodecProtoMap::Entry> again;
    QVERIFY(CodecProtoMap::fromText(CodecProtoMap::toText(entries), &again, &error));
    QCOMPARE(again, expected);
    QVERIFY(!CodecProtoMap::fromText(u"orders order.* shop.Order"_s, &entries, &error));
    QVERIFY2(error.contains(u"line 1"_s), qPrintable(error));
}

// Found by fuzzing (a timeout): a key that is a map, whose key is a map…, was written as a JSON string
// holding the JSON of the inner key, escaped again at every level: twice the size each time.
void tst_CodecChain::keysThatAreMapsStayLinear()
{
    const QByteArray nested = CodecTestData::messagePackNestedKeys(24);
    const CodecChain chain = CodecChain::decode(nested);
    QVERIFY2(chain.isValid(), qPrintable(chain.errorString()));
    QCOMPARE(chain.description(), u"MessagePack, shown as JSON"_s);
    QVERIFY2(chain.text().size() < 4096, qPrintable(QString::number(chain.text().size())));
    QVERIFY(!chain.isEditable()); // keys that are not text have no exact JSON form
}

QTEST_GUILESS_MAIN(tst_CodecChain)
#include "tst_codecchain.moc"
