#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

class QWidget;

// The cap on what a value may take once decoded (CodecOptions::maxOutputSize: a few bytes of zstd can
// claim gigabytes, and the cap stops that before it is in memory), as the user sets it in the window
// (View → Decoded Size Cap…), kept in the settings for every connection; 64 MiB until then. A new cap
// is announced (changed()), so a value already open is decoded again under it.
class DecodeSizeCap final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DecodeSizeCap)

public:
    // The one that announces changes (the application's child).
    static DecodeSizeCap *instance();

    static qint64 bytes();
    // Keeps bytes and announces it when it differs from the cap before.
    static void setBytes(qint64 bytes);
    // text as every size of kvdesk is read (KvUnits: "256 MiB", "1G"); false with *error unless it is
    // one above zero.
    static bool parse(const QString &text, qint64 *bytes, QString *error);
    // Asks for a new cap, the current one filled in; true when one was set.
    static bool ask(QWidget *parent);

Q_SIGNALS:
    void changed(qint64 bytes);

private:
    using QObject::QObject;
};
