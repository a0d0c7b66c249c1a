#pragma once

#include "clicommand.h"
#include "kvasofpoint.h"

class KvAsOfDiff;
struct KvAsOfChange;

// diff BUCKET [FILTER] --from REVISION|TIME [--to REVISION|TIME]: the keys added, removed and changed
// between two points of the bucket (the second one now when --to is absent), as a table or, with --json,
// one object per key ({"key", "change", "from", "to"}, entries as export writes them, null where the key
// had no value). Keys the bucket no longer holds the values of are named on stderr with the point that
// cannot answer for them, a read the bucket can no longer make complete (keys may be missing) is said
// there too, and either exits 1.
class DiffCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit DiffCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }

protected:
    void run() override;

private:
    void done();
    void printTable(bool partial); // partial: some keys could not be compared
    void printJson();

    QString m_bucket;
    QString m_filter;
    KvAsOfPoint m_from;
    KvAsOfPoint m_to;
    KvAsOfDiff *m_diff = nullptr;
};
