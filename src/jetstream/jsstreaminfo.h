#pragma once

#include "jsstreamconfig.h"

#include <QtCore/QDateTime>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QList>
#include <QtCore/QMetaType>

struct JsStreamState
{
    quint64 messages = 0;
    quint64 bytes = 0;
    quint64 firstSequence = 0;
    QDateTime firstTime;
    quint64 lastSequence = 0;
    QDateTime lastTime; // invalid when the stream never had a message
    quint64 numSubjects = 0;
    int consumerCount = 0;
    QHash<QString, quint64> subjects; // only when asked for with a subjects filter
};

struct JsPeerInfo
{
    QString name;
    bool current = false;
    bool offline = false;
    quint64 lag = 0;
};

struct JsClusterInfo
{
    QString name;
    QString leader;
    QList<JsPeerInfo> replicas;
};

// How far a mirror or source is behind its origin.
struct JsSourceInfo
{
    QString name;
    quint64 lag = 0;
    qint64 activeNs = -1; // time since last contact
};

// STREAM.INFO's answer.
struct JsStreamInfo
{
    JsStreamConfig config;
    QDateTime created;
    JsStreamState state;
    JsClusterInfo cluster;
    JsSourceInfo mirror;
    QList<JsSourceInfo> sources;
    QJsonObject raw;

    static JsStreamInfo fromJson(const QJsonObject &object);
};

Q_DECLARE_METATYPE(JsStreamInfo)
