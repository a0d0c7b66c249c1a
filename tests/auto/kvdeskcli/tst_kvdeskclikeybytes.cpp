#include "clirunner.h"
#include "jetstreamcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsmessage.h"
#include "natsserverprocess.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <algorithm>

using namespace Qt::StringLiterals;

// Keys whose bytes are not UTF-8. nats-server takes any bytes but whitespace in a subject, so another
// client can write "$KV.FK.x\xFF" and "$KV.FK.x\xFE": two keys that kvdesk read as one, "x\uFFFD", listed
// and exported twice under that name (rc 0), a backup whose keys were not the stored bytes.
class tst_KvdeskCliKeyBytes final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void twoKeysThatAreNotUtf8StayTwo();
    void anExportKeepsTheKeysBytes();
    void anImportRefusesSuchAKeyByName();
    void aKeyBeyondNatsGosCharactersIsReadUpdatedAndDeleted();

private:
    CliRunner::Result cli(const QStringList &arguments, const QByteArray &input = {}) const
    {
        return m_runner.run(QStringList{u"-s"_s, m_server.url()} + arguments, input);
    }
    static QList<QJsonObject> ndjson(const QByteArray &out);

    NatsServerProcess m_server;
    CliRunner m_runner;
    JetStreamContext *m_js = nullptr;
    QTemporaryDir m_dir;
};

void tst_KvdeskCliKeyBytes::initTestCase()
{
    QVERIFY2(QFileInfo::exists(CliRunner::program()), qPrintable(CliRunner::program()));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, &m_js));
    CLI_EXPECT(made, cli({u"add"_s, u"FK"_s, u"--history"_s, u"5"_s}), 0);
    // Another client's writes, on the raw subjects (the stream acks each: they are the bucket's keys).
    WAIT_OK(m_js->publish(NatsMessage("$KV.FK.ok", "plain")));
    WAIT_OK(m_js->publish(NatsMessage("$KV.FK.x\xFF", "ff")));
    WAIT_OK(m_js->publish(NatsMessage("$KV.FK.x\xFE", "fe")));
    WAIT_OK(m_js->publish(NatsMessage("$KV.FK.caf\xC3\xA9", "utf-8")));
}

QList<QJsonObject> tst_KvdeskCliKeyBytes::ndjson(const QByteArray &out)
{
    QList<QJsonObject> objects;
    for (const QByteArray &line : out.split('\n')) {
        if (!line.isEmpty())
            objects.append(QJsonDocument::fromJson(line).object());
    }
    return objects;
}

// Listed and watched as two keys, each byte that is not UTF-8 escaped (it printed as U+FFFD, twice).
void tst_KvdeskCliKeyBytes::twoKeysThatAreNotUtf8StayTwo()
{
    CLI_EXPECT(listed, cli({u"ls"_s, u"FK"_s}), 0);
    QList<QByteArray> keys = listed.out.split('\n');
    keys.removeAll(QByteArray());
    std::sort(keys.begin(), keys.end());
    QCOMPARE(keys, (QList<QByteArray>{"caf\xC3\xA9", "ok", "x\\xFE", "x\\xFF"}));

    CLI_EXPECT(listedJson, cli({u"ls"_s, u"FK"_s, u"--json"_s}), 0);
    QStringList base64;
    for (const QJsonObject &object : ndjson(listedJson.out))
        base64.append(object.value("key_base64"_L1).toString());
    base64.sort();
    QCOMPARE(base64, (QStringList{QString(), QString(), u"eP4="_s, u"eP8="_s})); // x\xFE, x\xFF

    QProcess watcher;
    QByteArray seen;
    watcher.setProcessEnvironment(m_runner.environment());
    connect(&watcher, &QProcess::readyReadStandardOutput, this, [&] { seen += watcher.readAllStandardOutput(); });
    watcher.start(CliRunner::program(), QStringList{u"-s"_s, m_server.url(), u"watch"_s, u"FK"_s});
    const auto stop = qScopeGuard([&watcher] {
        watcher.kill();
        watcher.waitForFinished();
    });
    QTRY_VERIFY2_WITH_TIMEOUT(seen.contains("PUT FK > caf\xC3\xA9: utf-8\n"), seen.constData(), KvTest::ReplyTimeoutMs);
    QVERIFY2(seen.contains("PUT FK > x\\xFF: ff\n") && seen.contains("PUT FK > x\\xFE: fe\n"), seen.constData());
    QVERIFY2(!seen.contains("\xEF\xBF\xBD"), seen.constData()); // no U+FFFD
}

// The backup has each key's bytes: "key_base64" beside a "key" for people, both keys apart.
void tst_KvdeskCliKeyBytes::anExportKeepsTheKeysBytes()
{
    const QString file = m_dir.filePath(u"fk.ndjson"_s);
    CLI_EXPECT(exported, cli({u"export"_s, u"FK"_s, file}), 0);
    QFile saved(file);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray text = saved.readAll();
    QVERIFY2(!text.contains("\\ufffd") && !text.contains("\xEF\xBF\xBD") && !text.contains("\\udc"), text.constData());
    QMap<QByteArray, QJsonObject> byBytes;
    for (const QJsonObject &object : ndjson(text)) {
        const QString base64 = object.value("key_base64"_L1).toString();
        const QByteArray bytes = base64.isEmpty() ? object.value("key"_L1).toString().toUtf8()
                                                  : QByteArray::fromBase64(base64.toLatin1());
        byBytes.insert(bytes, object);
    }
    QCOMPARE(byBytes.keys(), (QList<QByteArray>{"caf\xC3\xA9", "ok", "x\xFE", "x\xFF"}));
    QCOMPARE(byBytes.value("x\xFF").value("key"_L1).toString(), u"x\\xFF"_s);
    QCOMPARE(byBytes.value("x\xFF").value("value"_L1).toString(), u"ff"_s);
    QCOMPARE(byBytes.value("x\xFE").value("value"_L1).toString(), u"fe"_s);
    QVERIFY(!byBytes.value("ok").contains("key_base64"_L1)); // a text key is as before
}

// kvdesk writes only keys nats.go's rules allow: the import stops before writing, naming the key with its
// byte escaped (it said "x\uFFFD", which is no key the bucket had).
void tst_KvdeskCliKeyBytes::anImportRefusesSuchAKeyByName()
{
    const QString file = m_dir.filePath(u"one.ndjson"_s);
    QFile lines(file);
    QVERIFY(lines.open(QIODevice::WriteOnly));
    lines.write(R"({"key":"x\\xFF","key_base64":"eP8=","value":"ff"})"
                "\n");
    lines.close();
    const CliRunner::Result imported = cli({u"import"_s, u"FK2"_s, file});
    QVERIFY2(imported.exitCode != 0, qPrintable(imported.describe()));
    QVERIFY2(imported.err.contains(R"(key "x\xFF" is not valid: it contains the byte \xFF, which is not UTF-8)"),
             qPrintable(imported.describe()));
}

// Another client's "café" was listed, watched and exported, but get, history, update and rm refused it
// ("allowed are ASCII letters, digits and - / _ = ."): a key the bucket holds that kvdesk could not open
// or remove. Writing a new such key stays refused, as nats.go refuses it.
void tst_KvdeskCliKeyBytes::aKeyBeyondNatsGosCharactersIsReadUpdatedAndDeleted()
{
    const QString key = u"caf\u00e9"_s;
    CLI_EXPECT(got, cli({u"get"_s, u"FK"_s, key, u"--raw"_s}), 0);
    QCOMPARE(got.out, "utf-8"_ba);
    CLI_EXPECT(history, cli({u"history"_s, u"FK"_s, key, u"--json"_s}), 0);
    const QList<QJsonObject> revisions = ndjson(history.out);
    QCOMPARE(revisions.size(), 1);
    const QString revision = QString::number(revisions.first().value("revision"_L1).toInteger());
    CLI_EXPECT(updated, cli({u"update"_s, u"FK"_s, key, u"utf-8 again"_s, revision}), 0);
    CLI_EXPECT(stale, cli({u"update"_s, u"FK"_s, key, u"lost?"_s, revision}), 1); // still guarded
    CLI_EXPECT(again, cli({u"get"_s, u"FK"_s, key, u"--raw"_s}), 0);
    QCOMPARE(again.out, "utf-8 again"_ba);
    CLI_EXPECT(removed, cli({u"rm"_s, u"-f"_s, u"FK"_s, key}), 0);
    CLI_EXPECT(gone, cli({u"get"_s, u"FK"_s, key}), 1);
    QVERIFY2(gone.err.contains("not found"), qPrintable(gone.describe()));

    CLI_EXPECT(created, cli({u"put"_s, u"FK"_s, u"new@example.com"_s, u"v"_s}), 2);
    QVERIFY2(created.err.contains("allowed are ASCII letters"), qPrintable(created.describe()));
}

QTEST_GUILESS_MAIN(tst_KvdeskCliKeyBytes)

#include "tst_kvdeskclikeybytes.moc"
