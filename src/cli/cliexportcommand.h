#pragma once

#include "clicommand.h"

#include <QtCore/QFile>

class KvWatcher;
struct KvEntry;

// export BUCKET [FILE]: the bucket's current values as NDJSON (KvNdjson), one entry per line, written as
// they arrive; to stdout when FILE is absent or "-". Progress on stderr when that is a terminal.
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
    void write(const KvEntry &entry);
    void done();
    void showProgress();

    QString m_bucket;
    QString m_path;
    QFile m_file;
    KvWatcher *m_watcher = nullptr;
    quint64 m_count = 0;
    bool m_includeDeletes = false;
};
