#pragma once

#include <QtCore/QMetaType>
#include <QtCore/QString>

// The acknowledgement of a publish to a stream: {"stream":"KV_TEST","seq":1[,"duplicate":true][,"domain":"hub"]}.
struct JsPubAck
{
    QString stream;
    quint64 sequence = 0;
    bool duplicate = false;
    QString domain;
};

Q_DECLARE_METATYPE(JsPubAck)
