#pragma once

#include "clicommand.h"

#include <QtCore/QFile>

class QTimer;
struct KvEntry;

// import BUCKET [FILE] [--mode put|create|skip-existing]: reads the NDJSON of `export` (stdin when FILE
// is absent or "-") and writes it with up to 256 puts in flight, then prints a summary. A missing bucket
// is created with default settings first (run `add` before to choose others).
class ImportCommand final : public CliCommand
{
    Q_OBJECT

public:
    enum class Mode { Put, Create, SkipExisting };

    explicit ImportCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;

protected:
    void run() override;

private:
    void ensureBucket();
    void pump();
    void submit(const KvEntry &entry);
    void report(const QString &problem);
    void showProgress();
    void summarize();

    static constexpr int kWindow = 256;

    QString m_bucket;
    QString m_path;
    QFile m_input;
    Mode m_mode = Mode::Put;
    QTimer *m_progressTimer = nullptr;
    quint64 m_line = 0;
    quint64 m_written = 0;
    quint64 m_skipped = 0;
    quint64 m_failed = 0;
    quint64 m_reported = 0;
    int m_inFlight = 0;
    bool m_atEnd = false;
    bool m_pumping = false;
};
