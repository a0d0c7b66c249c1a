#pragma once

#include "clicommand.h"
#include "kvimportjob.h"

#include <QtCore/QFile>

class CliPipeReader;
class QTimer;

// import BUCKET [FILE] [--mode put|create|skip-existing]: reads the NDJSON of `export` (stdin when FILE
// is absent or "-"; a pipe is read as its data arrives) and writes it with up to 256 puts in flight
// (KvImportJob), then prints a summary. A missing bucket is created with default settings once the whole
// input is checked against them, only if every line is good (run `add` before to choose others). An input
// the check refuses is summarized as such ("Nothing imported ..."), its lines counted as refused, not as
// failed writes.
class ImportCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit ImportCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;

protected:
    void run() override;

private:
    void ensureBucket();
    void report(qint64 line, const NatsError &error);
    void showProgress();
    void summarize();
    void noteRaisedTtls();
    bool nothingSent() const;
    void printNothingImported(qint64 lines);

    static constexpr int kWindow = 256;

    QString m_bucket;
    QString m_path;
    QFile m_file;
    CliPipeReader *m_pipe = nullptr; // stdin or FILE when it is a pipe: read without blocking
    KvImportJob::ExistingKeys m_existing = KvImportJob::ExistingKeys::Overwrite;
    KvImportJob *m_job = nullptr;
    QTimer *m_progressTimer = nullptr;
    quint64 m_reported = 0;
    bool m_toCreate = false; // the bucket was missing: the job creates it once the input is checked
    bool m_created = false;
    qint64 m_raisedTtls = 0; // lines whose TTL the server raised; the first of them:
    qint64 m_firstRaisedLine = 0;
    qint64 m_firstAskedNs = 0;
    qint64 m_keptNs = 0;
};
