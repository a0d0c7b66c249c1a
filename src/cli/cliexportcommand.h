#pragma once

#include "clicommand.h"

#include <QtCore/QFile>

class KvExportJob;

// export BUCKET [FILE]: the bucket's current values as NDJSON (KvNdjson, written by KvExportJob), one entry
// per line, written as they arrive; to stdout when FILE is absent or "-". Progress on stderr when that is
// a terminal.
class ExportCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit ExportCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    bool streams() const override { return true; }

protected:
    void run() override;

private:
    void done();
    void showProgress();

    QString m_bucket;
    QString m_path;
    QFile m_file;
    KvExportJob *m_job = nullptr;
    bool m_includeDeletes = false;
};
