#include "codecprotobuf.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

// Whether a library whose file name contains name is mapped into this process.
bool isMapped(const QByteArray &name)
{
    QFile maps(u"/proc/self/maps"_s);
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains(name);
}

} // namespace

// libprotobuf is loaded with kvdesk's Protobuf module at the first .proto file, not at the start of every
// program: its static initialisers alone cost a one-shot `kvdesk-cli get` about 1.7 ms. This program links
// the codecs and nothing of protobuf (the other codec tests make their data with it).
class tst_CodecProtobufModule final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void notLoadedAtStart();
    void aMissingModuleSaysSo();
    void loadedWithTheFirstProtoFile();

private:
    QTemporaryDir m_dir;
    QString m_proto;
};

void tst_CodecProtobufModule::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_proto = m_dir.filePath(u"shop.proto"_s);
    QFile file(m_proto);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("syntax = \"proto3\";\npackage shop;\nmessage Order { string id = 1; int64 total = 2; }\n");
}

void tst_CodecProtobufModule::notLoadedAtStart()
{
    QVERIFY(!isMapped("libprotobuf"));
    CodecProtobuf schema; // a schema nobody loaded a file into needs no module either
    QVERIFY(!schema.hasMessage(u"shop.Order"_s));
    QVERIFY(!isMapped("libprotobuf"));
}

void tst_CodecProtobufModule::aMissingModuleSaysSo()
{
    qputenv("KVDESK_PROTOBUF_MODULE", m_dir.filePath(u"no-such-module.so"_s).toLocal8Bit());
    CodecProtobuf schema;
    QString error;
    QVERIFY(!schema.load(m_proto, {}, &error));
    qunsetenv("KVDESK_PROTOBUF_MODULE");
    QVERIFY2(error.contains(u"Protobuf"_s) && error.contains(u"no-such-module.so"_s), qPrintable(error));
    QVERIFY(!isMapped("libprotobuf"));
}

void tst_CodecProtobufModule::loadedWithTheFirstProtoFile()
{
    CodecProtobuf schema;
    QString error;
    QVERIFY2(schema.load(m_proto, {}, &error), qPrintable(error));
    QVERIFY(isMapped("libprotobuf"));
    QVERIFY(schema.hasMessage(u"shop.Order"_s));
    QCOMPARE(schema.messageTypes(), QStringList{u"shop.Order"_s});
    QByteArray data;
    QVERIFY2(schema.fromJson(u"{\"id\":\"o-1\",\"total\":\"42\"}"_s, u"shop.Order"_s, &data, &error),
             qPrintable(error));
    QString json;
    QVERIFY2(schema.toJson(data, u"shop.Order"_s, &json, &error), qPrintable(error));
    QVERIFY2(json.contains(u"\"o-1\""_s) && json.contains(u"\"42\""_s), qPrintable(json));
}

QTEST_GUILESS_MAIN(tst_CodecProtobufModule)
#include "tst_codecprotobufmodule.moc"
