#include "kvinteropgotest.h"

#include "kvcontext.h"
#include "natsconnectoptions.h"

#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QProcess>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

GoEntry GoEntry::fromJson(const QJsonObject &object)
{
    GoEntry entry;
    entry.key = object.value("key"_L1).toString();
    entry.value = QByteArray::fromBase64(object.value("value"_L1).toString().toLatin1());
    entry.revision = quint64(object.value("revision"_L1).toInteger());
    entry.createdMs = object.value("created_unix_ms"_L1).toInteger();
    entry.operation = object.value("operation"_L1).toString();
    return entry;
}

namespace KvInteropGo {

QString base64(const QByteArray &value)
{
    return QString::fromLatin1(value.toBase64());
}

QString bucketConfig(const InteropBucketOptions &options, const QString &name)
{
    QJsonObject config{
        {"bucket"_L1, name},
        {"description"_L1, options.description},
        {"history"_L1, options.history},
        {"ttl_ms"_L1, options.ttlMs},
        {"max_bytes"_L1, options.maxBytes},
        {"max_value_size"_L1, options.maxValueSize},
        {"storage"_L1, options.memory ? u"memory"_s : u"file"_s},
        {"replicas"_L1, options.replicas},
        {"mirror"_L1, options.mirror},
        {"sources"_L1, QJsonArray::fromStringList(options.sources)},
    };
    if (options.republish) {
        config.insert("republish"_L1,
                      QJsonObject{{"src"_L1, InteropBucketOptions::republishSource(name)},
                                  {"dest"_L1, InteropBucketOptions::republishDestination(name)},
                                  {"headers_only"_L1, true}});
    }
    return QString::fromUtf8(QJsonDocument(config).toJson(QJsonDocument::Compact));
}

} // namespace KvInteropGo

void KvInteropGoTest::start()
{
    const QFileInfo peer(QStringLiteral(KVINTEROP_GO_PEER));
    QVERIFY2(peer.isExecutable(),
             qPrintable(u"The nats.go peer %1 is missing: build the kvinterop_go_peer target (needs golang-go "
                        "and golang-github-nats-io-go-nats-dev)"_s.arg(peer.filePath())));
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, &m_js, &m_kv));
}

QString KvInteropGoTest::bucketName(const char *prefix) const
{
    return QString::fromLatin1(prefix) + u'_' + QString::number(m_counter);
}

void KvInteropGoTest::runPeer(const QStringList &arguments, QJsonObject *result, bool expectSuccess)
{
    QProcess process;
    process.setProgram(QStringLiteral(KVINTEROP_GO_PEER));
    process.setArguments(QStringList{arguments.first(), m_server.url()} + arguments.mid(1));
    process.start();
    QVERIFY2(process.waitForStarted(5000), qPrintable(process.errorString()));
    QVERIFY2(process.waitForFinished(20000), qPrintable(u"peer %1 did not finish"_s.arg(arguments.join(u' '))));
    const QByteArray output = process.readAllStandardOutput().trimmed();
    const QString report = u"peer "_s + arguments.first() + u": exit "_s + QString::number(process.exitCode())
        + u", stdout: "_s + QString::fromUtf8(output) + u", stderr: "_s
        + QString::fromUtf8(process.readAllStandardError());
    const QJsonDocument document = QJsonDocument::fromJson(output.mid(output.lastIndexOf('\n') + 1));
    QVERIFY2(process.exitStatus() == QProcess::NormalExit && document.isObject(), qPrintable(report));
    *result = document.object();
    if (expectSuccess) {
        QVERIFY2(process.exitCode() == 0, qPrintable(report));
    } else {
        QVERIFY2(process.exitCode() == 2 && result->contains("error"_L1), qPrintable(report));
    }
}

KvBucket *KvInteropGoTest::createKvdeskBucket(const InteropBucketOptions &options, const QString &name)
{
    return KvTest::createBucket(m_kv, options.toKvdesk(name)) ? m_kv->bucket(name, this) : nullptr;
}
