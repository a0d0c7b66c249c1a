#include "kvinteropsupport.h"

#include "jetstreamcontext.h"
#include "natsmessage.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtTest/QSignalSpy>

using namespace Qt::StringLiterals;

QString InteropBucketOptions::republishSource(const QString &bucket)
{
    return u"$KV."_s + bucket + u".>"_s;
}

QString InteropBucketOptions::republishDestination(const QString &bucket)
{
    return u"repub."_s + bucket + u".>"_s;
}

KvBucketConfig InteropBucketOptions::toKvdesk(const QString &bucket) const
{
    KvBucketConfig config;
    config.bucket = bucket;
    config.description = description;
    config.history = effectiveHistory();
    config.ttlMs = ttlMs;
    config.maxBytes = effectiveMaxBytes();
    config.maxValueSize = effectiveMaxValueSize();
    config.storage = memory ? KvBucketConfig::Storage::Memory : KvBucketConfig::Storage::File;
    config.replicas = effectiveReplicas();
    if (republish)
        config.republish = JsRepublish{republishSource(bucket), republishDestination(bucket), true};
    if (!mirror.isEmpty())
        config.mirror.name = mirror;
    for (const QString &name : sources) {
        JsStreamSource source;
        source.name = name;
        config.sources.append(source);
    }
    return config;
}

namespace KvInterop {

void addOptionRows()
{
    QTest::addColumn<InteropBucketOptions>("options");

    QTest::newRow("defaults") << InteropBucketOptions{};

    InteropBucketOptions file;
    file.description = u"made for interop, file storage"_s;
    file.history = 5;
    file.ttlMs = 60 * 60 * 1000;
    file.maxBytes = 1024 * 1024;
    file.maxValueSize = 1024;
    QTest::newRow("file history 5, TTL 1 h, limits") << file;

    // A TTL under the 2 min default duplicate window also shortens the window.
    InteropBucketOptions memory;
    memory.description = u"memory storage"_s;
    memory.history = 64;
    memory.ttlMs = 30 * 1000;
    memory.maxBytes = 10 * 1024 * 1024;
    memory.maxValueSize = 4096;
    memory.memory = true;
    memory.replicas = 1;
    QTest::newRow("memory history 64, TTL 30 s") << memory;

    InteropBucketOptions longTtl;
    longTtl.history = 2;
    longTtl.ttlMs = 3 * 60 * 1000;
    QTest::newRow("TTL 3 min") << longTtl;

    InteropBucketOptions republish;
    republish.history = 3;
    republish.republish = true;
    QTest::newRow("republish headers only") << republish;
}

QByteArray binaryValue()
{
    return QByteArray("\0\r\nbin\x01\x7f\xff\r\n\0", 13);
}

void checkConfig(const KvBucketConfig &config, const InteropBucketOptions &options, const QString &name)
{
    QCOMPARE(config.bucket, name);
    QCOMPARE(config.description, options.description);
    QCOMPARE(config.history, options.effectiveHistory());
    QCOMPARE(config.ttlMs, options.ttlMs);
    QCOMPARE(config.maxBytes, options.effectiveMaxBytes());
    QCOMPARE(config.maxValueSize, options.effectiveMaxValueSize());
    QCOMPARE(config.storage, options.memory ? KvBucketConfig::Storage::Memory : KvBucketConfig::Storage::File);
    QCOMPARE(config.replicas, options.effectiveReplicas());
    QCOMPARE(config.republish.isEmpty(), !options.republish);
    if (options.republish) {
        QCOMPARE(config.republish.source, InteropBucketOptions::republishSource(name));
        QCOMPARE(config.republish.destination, InteropBucketOptions::republishDestination(name));
        QVERIFY(config.republish.headersOnly);
    }
}

QHash<QByteArray, QJsonObject> bodiesBySubject(const QSignalSpy &captured)
{
    QHash<QByteArray, QJsonObject> bodies;
    for (const QList<QVariant> &arguments : captured) {
        const NatsMessage message = arguments.at(0).value<NatsMessage>();
        bodies.insert(message.subject(), QJsonDocument::fromJson(message.data()).object());
    }
    return bodies;
}

void fetchStreamConfig(JetStreamContext *js, const QString &stream, QJsonObject *config)
{
    JsApiReply *info = js->streamInfo(stream);
    WAIT_OK(info);
    *config = info->response().value("config"_L1).toObject();
    info->deleteLater();
    QVERIFY2(!config->isEmpty(), qPrintable(u"STREAM.INFO %1 has no config"_s.arg(stream)));
}

namespace {

QJsonValue replaced(const QJsonValue &value, const QString &bucket)
{
    if (value.isString())
        return QString(value.toString()).replace(bucket, u"<bucket>"_s);
    if (value.isArray()) {
        QJsonArray array;
        for (const QJsonValue &item : value.toArray())
            array.append(replaced(item, bucket));
        return array;
    }
    if (value.isObject()) {
        QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            it.value() = replaced(it.value(), bucket);
        return object;
    }
    return value;
}

QString compact(const QJsonValue &value)
{
    if (value.isUndefined())
        return u"(absent)"_s;
    const QJsonArray wrapped{value};
    const QByteArray json = QJsonDocument(wrapped).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

} // namespace

QJsonObject normalized(const QJsonObject &config, const QString &bucket)
{
    return replaced(config, bucket).toObject();
}

QJsonObject withoutZeroValues(QJsonObject object)
{
    for (auto it = object.begin(); it != object.end();) {
        const QJsonValue value = it.value();
        const bool zero = (value.isBool() && !value.toBool()) || (value.isString() && value.toString().isEmpty())
            || (value.isArray() && value.toArray().isEmpty()) || (value.isObject() && value.toObject().isEmpty())
            || value.isNull();
        it = zero ? object.erase(it) : it + 1;
    }
    return object;
}

QStringList differences(const QJsonObject &theirs, const QJsonObject &ours, const QStringList &skip)
{
    QStringList fields = theirs.keys() + ours.keys();
    fields.sort();
    fields.removeDuplicates();
    QStringList lines;
    for (const QString &field : std::as_const(fields)) {
        if (skip.contains(field) || theirs.value(field) == ours.value(field))
            continue;
        lines.append(field + u": "_s + compact(theirs.value(field)) + u" != "_s + compact(ours.value(field)));
    }
    return lines;
}

} // namespace KvInterop
