#pragma once

#include <QtCore/QJsonObject>
#include <QtCore/QMetaType>
#include <QtCore/QString>

// Limits of an account (or of one storage tier): -1 means unlimited.
struct JsAccountLimits
{
    qint64 maxMemory = -1;
    qint64 maxStorage = -1;
    qint64 maxStreams = -1;
    qint64 maxConsumers = -1;
    qint64 maxAckPending = -1;
    qint64 memoryMaxStreamBytes = -1;
    qint64 storageMaxStreamBytes = -1;
    bool maxBytesRequired = false;
};

// $JS.API.INFO's answer: what the account uses and may use (docs/nats-protocol.md §3.2).
struct JsAccountInfo
{
    quint64 memory = 0;  // bytes in memory streams
    quint64 storage = 0; // bytes in file streams
    quint64 streams = 0;
    quint64 consumers = 0;
    JsAccountLimits limits;
    QString domain;       // empty without a JetStream domain
    quint64 apiTotal = 0; // API requests served for this account
    quint64 apiErrors = 0;
    int apiLevel = 0;           // JetStream API level (api.level, 2.11+); 0 when the server does not say
    qint64 reservedMemory = -1; // 2.10+; -1 when absent or nonsense (2.10.27 overflows it)
    qint64 reservedStorage = -1;
    QJsonObject raw;

    static JsAccountInfo fromJson(const QJsonObject &object);
};

Q_DECLARE_METATYPE(JsAccountInfo)
