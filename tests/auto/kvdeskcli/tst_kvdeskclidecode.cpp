#include "clirunner.h"
#include "codectestdata.h"
#include "natsserverprocess.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

// kvdesk-cli get --decode and export --decode against real servers: values written by the libraries
// themselves (zstd, gzip, MessagePack, Protobuf with a .proto file of the test), read back as JSON, and
// exit status 1 with the reason where no decoder fits.

class tst_KvdeskCliDecode final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void getDecodesTheChain_data();
    void getDecodesTheChain();
    void getDecodeWithJsonAddsTheChain();
    void getDecodeFailsWithTheReason();
    void getDecodesAProtobufMessage();
    void protoProblemsAreUsageErrors();
    void aModuleThatDoesNotLoadIsNoUsageError_data();
    void aModuleThatDoesNotLoadIsNoUsageError();
    void exportDecodeAddsTheDecodedValue();
    void decodedSizeCapIsChosen();

private:
    CliRunner::Result cli(const QStringList &arguments, const QByteArray &input = {}) const
    {
        return m_runner.run(QStringList{u"-s"_s, m_server.url()} + arguments, input);
    }
    bool put(const QString &key, const QByteArray &value) const
    {
        return cli({u"put"_s, u"DEC"_s, key}, value).exitCode == 0;
    }

    NatsServerProcess m_server;
    CliRunner m_runner;
};

void tst_KvdeskCliDecode::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    CLI_EXPECT(made, cli({u"add"_s, u"DEC"_s}), 0);
    QVERIFY(put(u"pack"_s, CodecTestData::zstd(CodecTestData::messagePackRecord())));
    QVERIFY(put(u"gz"_s, CodecTestData::gzip(R"({"b":1,"a":[true,null]})"_ba).toBase64()));
    QVERIFY(put(u"text"_s, CodecTestData::zlib("plain words")));
    QVERIFY(put(u"binary"_s, CodecTestData::gzip("\x00\x01\xfe\xff"_ba)));
    QVERIFY(put(u"order"_s, CodecTestData::protobufOrder(42, u"Ada"_s)));
}

void tst_KvdeskCliDecode::getDecodesTheChain_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("printed");
    QTest::newRow("zstd messagepack")
        << u"pack"_s << u"{\n  \"name\": \"Ada\",\n  \"age\": 36,\n  \"tags\": [\n    \"x\",\n    \"y\"\n  ]\n}\n"_s;
    QTest::newRow("base64 gzip json") << u"gz"_s << u"{\"b\":1,\"a\":[true,null]}\n"_s;
    QTest::newRow("zlib text") << u"text"_s << u"\"plain words\"\n"_s;
}

void tst_KvdeskCliDecode::getDecodesTheChain()
{
    QFETCH(QString, key);
    QFETCH(QString, printed);
    CLI_EXPECT(got, cli({u"get"_s, u"DEC"_s, key, u"--decode"_s}), 0);
    QCOMPARE(QString::fromUtf8(got.out), printed);
}

void tst_KvdeskCliDecode::getDecodeWithJsonAddsTheChain()
{
    CLI_EXPECT(got, cli({u"--json"_s, u"get"_s, u"DEC"_s, u"pack"_s, u"--decode"_s}), 0);
    const QJsonObject record = QJsonDocument::fromJson(got.out).object();
    QCOMPARE(record.value(u"decoders"_s).toString(), u"zstd → MessagePack"_s);
    QCOMPARE(record.value(u"decoded"_s).toObject().value(u"name"_s).toString(), u"Ada"_s);
    QCOMPARE(record.value(u"key"_s).toString(), u"pack"_s);
}

void tst_KvdeskCliDecode::getDecodeFailsWithTheReason()
{
    CLI_EXPECT(got, cli({u"get"_s, u"DEC"_s, u"binary"_s, u"--decode"_s}), 1);
    QVERIFY2(got.err.contains("no decoder fits the 4 bytes after gzip"), qPrintable(got.describe()));
    QVERIFY(got.out.isEmpty());
    // Without --decode the same value prints as ever.
    CLI_EXPECT(raw, cli({u"get"_s, u"DEC"_s, u"binary"_s, u"--raw"_s}), 0);
    QCOMPARE(raw.out, CodecTestData::gzip("\x00\x01\xfe\xff"_ba));
}

void tst_KvdeskCliDecode::getDecodesAProtobufMessage()
{
    CLI_EXPECT(got,
               cli({u"get"_s, u"DEC"_s, u"order"_s, u"--decode"_s, u"--proto"_s, CodecTestData::protoFile(),
                    u"--type"_s, u"shop.Order"_s}),
               0);
    const QJsonObject order = QJsonDocument::fromJson(got.out).object();
    QCOMPARE(order.value(u"id"_s).toString(), u"42"_s); // protobuf's JSON mapping: int64 as a string
    QCOMPARE(order.value(u"customer"_s).toString(), u"Ada"_s);
    QCOMPARE(order.value(u"items"_s).toArray().first().toObject().value(u"sku"_s).toString(), u"A-1"_s);
}

void tst_KvdeskCliDecode::protoProblemsAreUsageErrors()
{
    const QStringList get{u"get"_s, u"DEC"_s, u"order"_s, u"--decode"_s};
    CLI_EXPECT(noType, cli(get + QStringList{u"--proto"_s, CodecTestData::protoFile()}), 2);
    QVERIFY2(noType.err.contains("shop.Item, shop.Order"), qPrintable(noType.describe()));
    CLI_EXPECT(wrongType, cli(get + QStringList{u"--proto"_s, CodecTestData::protoFile(), u"--type"_s, u"shop.Nope"_s}),
               2);
    QVERIFY2(wrongType.err.contains("no message shop.Nope"), qPrintable(wrongType.describe()));
    CLI_EXPECT(typeAlone, cli(get + QStringList{u"--type"_s, u"shop.Order"_s}), 2);
    CLI_EXPECT(missing, cli(get + QStringList{u"--proto"_s, u"/nonexistent/x.proto"_s}), 2);
    QVERIFY2(missing.err.contains("does not exist"), qPrintable(missing.describe()));
    CLI_EXPECT(raw, cli(get + QStringList{u"--raw"_s}), 2);
}

void tst_KvdeskCliDecode::aModuleThatDoesNotLoadIsNoUsageError_data()
{
    QTest::addColumn<QString>("module"); // what KVDESK_PROTOBUF_MODULE names
    QTest::addColumn<QStringList>("command");
    const QStringList get{u"get"_s, u"DEC"_s, u"order"_s};
    const QStringList exportCommand{u"export"_s, u"DEC"_s};
    QTest::newRow("get, no such module") << u"/nonexistent/kvdesk-protobuf.so"_s << get;
    QTest::newRow("export, no such module") << u"/nonexistent/kvdesk-protobuf.so"_s << exportCommand;
    QTest::newRow("get, not a library") << CodecTestData::protoFile() << get;
}

// kvdesk's Protobuf module missing or broken is an installation fault, not the user's command line:
// exit status 1 and one line naming the module, not status 2 and a pointer to --help, which a
// command line given right would not have helped.
void tst_KvdeskCliDecode::aModuleThatDoesNotLoadIsNoUsageError()
{
    QFETCH(QString, module);
    QFETCH(QStringList, command);
    CliRunner runner;
    runner.setEnvironment(u"KVDESK_PROTOBUF_MODULE"_s, module);
    CLI_EXPECT(result,
               runner.run(QStringList{u"-s"_s, m_server.url()} + command
                          + QStringList{u"--proto"_s, CodecTestData::protoFile(), u"--type"_s, u"shop.Order"_s}),
               1);
    QVERIFY2(result.err.startsWith("kvdesk-cli: error: Protobuf values cannot be decoded: kvdesk's Protobuf module "
                                   "did not load")
                 && result.err.contains(module.toUtf8()),
             qPrintable(result.describe()));
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY(result.out.isEmpty());
}

void tst_KvdeskCliDecode::exportDecodeAddsTheDecodedValue()
{
    QTemporaryDir folder;
    const QString file = folder.filePath(u"dec.ndjson"_s);
    CLI_EXPECT(exported, cli({u"export"_s, u"DEC"_s, file, u"--decode"_s}), 1);
    // Every line written; the values no decoder fits (gzip of bytes, Protobuf without its .proto) are
    // counted, and the exit status says so.
    QVERIFY2(exported.err.contains("no decoder fits 2 values of bucket DEC (first: key \""),
             qPrintable(exported.describe()));
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QHash<QString, QJsonObject> lines;
    QHash<QString, QByteArray> raw;
    for (const QByteArray &line : in.readAll().split('\n')) {
        if (line.isEmpty())
            continue;
        const QJsonObject object = QJsonDocument::fromJson(line).object();
        lines.insert(object.value(u"key"_s).toString(), object);
        raw.insert(object.value(u"key"_s).toString(), line);
    }
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[u"pack"_s].value(u"decoders"_s).toString(), u"zstd → MessagePack"_s);
    // The decoded value's keys in their stored order, the stored value kept for import.
    QVERIFY2(raw[u"pack"_s].contains(R"("decoded":{"name":"Ada","age":36,"tags":["x","y"]})"),
             raw[u"pack"_s].constData());
    QCOMPARE(lines[u"pack"_s].value(u"encoding"_s).toString(), u"base64"_s);
    QCOMPARE(lines[u"gz"_s].value(u"decoders"_s).toString(), u"Base64 → gzip → JSON"_s);
    QVERIFY(lines[u"binary"_s].value(u"decode_error"_s).toString().contains(u"no decoder fits"_s));
    QVERIFY(!lines[u"binary"_s].contains(u"decoded"_s));
    QVERIFY(lines[u"order"_s].contains(u"decode_error"_s));
    // With the .proto file every value decodes.
    CLI_EXPECT(withProto,
               cli({u"export"_s, u"DEC"_s, folder.filePath(u"proto.ndjson"_s), u"--proto"_s, CodecTestData::protoFile(),
                    u"--type"_s, u"shop.Order"_s}),
               1);
    QVERIFY2(withProto.err.contains("no decoder fits 1 value of bucket DEC (first: key \"binary\""),
             qPrintable(withProto.describe()));
    // Still an import file: into a bucket of its own, the values as they were.
    CLI_EXPECT(made, cli({u"add"_s, u"DEC2"_s}), 0);
    CLI_EXPECT(imported, cli({u"import"_s, u"DEC2"_s, file}), 0);
    CLI_EXPECT(back, cli({u"get"_s, u"DEC2"_s, u"pack"_s, u"--raw"_s}), 0);
    QCOMPARE(back.out, CodecTestData::zstd(CodecTestData::messagePackRecord()));
}

void tst_KvdeskCliDecode::decodedSizeCapIsChosen()
{
    // 2 MiB of JSON in a few KiB of gzip: under a 1 MiB cap it is refused with the cap named, under 4 MiB
    // it decodes. get and export alike; the size is read as every size of kvdesk-cli.
    CLI_EXPECT(made, cli({u"add"_s, u"BIG"_s}), 0);
    const QByteArray json = "{\"pad\":\"" + QByteArray(2 * 1024 * 1024, 'a') + "\"}";
    CLI_EXPECT(stored, cli({u"put"_s, u"BIG"_s, u"big"_s}, CodecTestData::gzip(json)), 0);
    CLI_EXPECT(capped, cli({u"get"_s, u"BIG"_s, u"big"_s, u"--decode"_s, u"--max-decoded-size"_s, u"1MiB"_s}), 1);
    QVERIFY2(capped.err.contains("1.0 MiB") && capped.err.contains("--max-decoded-size"),
             qPrintable(capped.describe()));
    QVERIFY(capped.out.isEmpty());
    CLI_EXPECT(fits, cli({u"get"_s, u"BIG"_s, u"big"_s, u"--decode"_s, u"--max-decoded-size"_s, u"4M"_s}), 0);
    QCOMPARE(fits.out.size(), json.size() + 1);
    // The default cap (64 MiB) is named too.
    CLI_EXPECT(usage, cli({u"get"_s, u"BIG"_s, u"big"_s, u"--decode"_s, u"--max-decoded-size"_s, u"lots"_s}), 2);
    QVERIFY2(usage.err.contains("--max-decoded-size"), qPrintable(usage.describe()));
    CLI_EXPECT(alone, cli({u"get"_s, u"BIG"_s, u"big"_s, u"--max-decoded-size"_s, u"1M"_s}), 2);
    QVERIFY2(alone.err.contains("--decode"), qPrintable(alone.describe()));

    QTemporaryDir folder;
    const QString file = folder.filePath(u"big.ndjson"_s);
    CLI_EXPECT(exported, cli({u"export"_s, u"BIG"_s, file, u"--decode"_s, u"--max-decoded-size"_s, u"1MiB"_s}), 1);
    QVERIFY2(exported.err.contains("1.0 MiB"), qPrintable(exported.describe()));
    CLI_EXPECT(whole,
               cli({u"export"_s, u"BIG"_s, folder.filePath(u"whole.ndjson"_s), u"--decode"_s, u"--max-decoded-size"_s,
                    u"4MiB"_s}),
               0);
}

QTEST_GUILESS_MAIN(tst_KvdeskCliDecode)
#include "tst_kvdeskclidecode.moc"
