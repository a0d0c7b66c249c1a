#pragma once

#include "clicommand.h"
#include "clidecode.h"
#include "kvasofpoint.h"

#include <QtCore/QFileDevice>

#include <memory>

class CliDecodedExport;
class KvAsOfRead;
class KvExportJob;

// export BUCKET [FILE]: the bucket's current values as NDJSON (KvNdjson, written by KvExportJob), one entry
// per line, written as they arrive; to stdout when FILE is absent or "-". Progress on stderr when that is
// a terminal. With --as-of, the values as they were then (KvAsOfRead): keys the bucket can no longer answer
// for, or keys that may be missing (an incomplete read), are said on stderr and exit 1. With --decode
// each value's line also holds it decoded (CliDecodedExport).
class ExportCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit ExportCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    bool streams() const override { return true; }

protected:
    void run() override;

private:
    void done();
    void showProgress();
    void exportAsOf();
    QString openFile(); // the problem, or an empty string
    QString openSpool(const QString &whyNotBeside);
    bool closeFile();
    bool copySpool(); // the whole export, from the temporary folder over FILE
    // Whether FILE is replaced only once the export is whole (not a FIFO or device written as it goes).
    bool replacesWhenWhole() const;

    QString m_bucket;
    QString m_path;
    // FILE: a QSaveFile, so that an export that fails leaves the file it would replace as it was; a QFile
    // for what is no regular file (a FIFO, a device), written as it is; a temporary file (m_spooled)
    // where nothing can be written beside FILE (a folder that is not the user's), copied over it when whole.
    std::unique_ptr<QFileDevice> m_file;
    bool m_spooled = false;
    KvExportJob *m_job = nullptr;
    bool m_includeDeletes = false;
    bool m_asOfSet = false;
    KvAsOfPoint m_asOf;
    KvAsOfRead *m_read = nullptr;
    CliDecode m_decode;
    CliDecodedExport *m_decoded = nullptr;
};
