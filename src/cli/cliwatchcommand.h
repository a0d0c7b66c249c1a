#pragma once

#include "clicommand.h"
#include "kvwatcher.h"

// watch BUCKET [KEY-FILTER...] [--history] [--no-deletes] [--updates] [--revision N]: prints every entry as
// natscli does ("[time] PUT bucket > key: value"), or NDJSON, one line flushed per entry, until killed.
class WatchCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit WatchCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    bool streams() const override { return true; }

protected:
    void run() override;

private:
    void print(const KvEntry &entry);

    QString m_bucket;
    QStringList m_filters; // several at once: one consumer with filter_subjects on 2.10+
    KvWatchOptions m_options;
};
