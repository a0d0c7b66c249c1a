#include "kventry.h"

#include "jsstoredmessage.h"
#include "kvttl.h"
#include "natsheaders.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

QString KvEntry::operationName(Operation operation)
{
    switch (operation) {
    case Operation::Put:
        return u"PUT"_s;
    case Operation::Delete:
        return u"DEL"_s;
    case Operation::Purge:
        return u"PURGE"_s;
    }
    return u"PUT"_s;
}

KvEntry::Operation KvEntry::operationFromHeader(const QByteArray &value)
{
    if (value == "DEL")
        return Operation::Delete;
    if (value == "PURGE")
        return Operation::Purge;
    return Operation::Put;
}

void KvEntry::readHeaders(const NatsHeaders &headers)
{
    const QByteArray operationHeader = headers.value("KV-Operation");
    markerReason = operationHeader.isEmpty() ? headers.value("Nats-Marker-Reason") : QByteArray();
    if (markerReason.isEmpty())
        operation = operationFromHeader(operationHeader);
    else
        operation = markerReason == "Remove" ? Operation::Delete : Operation::Purge;
    ttlNs = 0;
    if (const QByteArray ttl = headers.value("Nats-TTL"); !ttl.isEmpty())
        KvTtl::fromHeader(ttl, &ttlNs);
}

QDateTime KvEntry::expires() const
{
    if (ttlNs <= 0 || !created.isValid())
        return {};
    return created.addMSecs(ttlNs / 1000000);
}

QString KvEntry::operationLabel() const
{
    if (!isLimitMarker())
        return operationName(operation);
    return u"%1 (%2)"_s.arg(operationWord(), QString::fromUtf8(markerReason));
}

QString KvEntry::operationWord() const
{
    if (!isLimitMarker())
        return operationName(operation);
    if (markerReason == "MaxAge")
        return u"EXPIRED"_s;
    if (markerReason == "Remove")
        return u"REMOVED"_s;
    return u"PURGED"_s;
}

KvEntry KvEntry::fromStoredMessage(const QString &bucket, const QString &key, const JsStoredMessage &stored)
{
    KvEntry entry;
    entry.bucket = bucket;
    entry.key = key;
    entry.value = stored.data;
    entry.revision = stored.sequence;
    entry.created = stored.time;
    entry.readHeaders(stored.headers);
    return entry;
}

bool KvEntry::toText(QString *text, QString *errorMessage) const
{
    // A byte order mark is part of the value: kept as U+FEFF (the decoder drops a leading one by default).
    QStringDecoder decoder(QStringDecoder::Utf8,
                           QStringConverter::Flag::Stateless | QStringConverter::Flag::ConvertInitialBom);
    const QString decoded = decoder.decode(value);
    if (decoder.hasError()) {
        if (errorMessage)
            *errorMessage = QCoreApplication::translate("KvEntry",
                                                        "value of key \"%1\" at revision %2 is not valid UTF-8 text")
                                .arg(key)
                                .arg(revision);
        return false;
    }
    *text = decoded;
    return true;
}

bool KvEntry::toJson(QJsonDocument *document, QString *errorMessage) const
{
    QJsonParseError parseError;
    const QJsonDocument parsed = QJsonDocument::fromJson(value, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (errorMessage)
            *errorMessage = QCoreApplication::translate(
                                "KvEntry", "value of key \"%1\" at revision %2 is not valid JSON: %3 at byte %4")
                                .arg(key)
                                .arg(revision)
                                .arg(parseError.errorString())
                                .arg(parseError.offset);
        return false;
    }
    *document = parsed;
    return true;
}
