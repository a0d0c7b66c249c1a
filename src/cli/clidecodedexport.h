#pragma once

#include "clidecode.h"

#include <QtCore/QIODevice>
#include <QtCore/QStringList>

// export --decode: between the export job and the file, each NDJSON line of a value gains "decoders"
// ("zstd → MessagePack") and "decoded" (the value as JSON), or "decode_error" (why no decoder fits);
// the line keeps "value" and "encoding", so the file still imports as it was. Write-only.
class CliDecodedExport final : public QIODevice
{
    Q_OBJECT

public:
    CliDecodedExport(QIODevice *target, const CliDecode *decode, QObject *parent = nullptr);

    // The keys whose value no decoder fits, and the first one's reason.
    QStringList undecodedKeys() const { return m_undecoded; }
    QString firstReason() const { return m_firstReason; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    QByteArray decodedLine(const QByteArray &line);

    QIODevice *m_target;
    const CliDecode *m_decode;
    QByteArray m_pending; // a line not yet ended
    QStringList m_undecoded;
    QString m_firstReason;
};
