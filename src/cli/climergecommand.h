#pragma once

#include "clicommand.h"

class KvMergeUpdate;

// merge BUCKET KEY BASE_REVISION [FILE]: FILE (or stdin), edited from BASE_REVISION of KEY, merged with the
// key's value now (JSON member by member, other text by lines) and written as an update on the revision
// it was merged with: a writer who comes in meanwhile makes it fail, never overwritten. Overlapping
// changes write nothing: the conflicts are listed (with --json one object each: where, base, ours,
// theirs) and the exit status is 1.
class MergeCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit MergeCommand(QObject *parent = nullptr);
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }

protected:
    void run() override;

private:
    void done();
    void printConflicts();

    QString m_bucket;
    QString m_key;
    quint64 m_baseRevision = 0;
    QString m_path;
    QByteArray m_ours;
    KvMergeUpdate *m_merge = nullptr;
};
