#pragma once

#include "clicommand.h"
#include "kvasofpoint.h"

class KvAsOfRead;
class KvRestoreJob;

// restore BUCKET [KEY...] --as-of REVISION|TIME: puts the keys (every key then and now when none is
// named) back to their values then, through KvRestoreJob: each write guarded on the key's current
// revision, a key changed since the point was read reported, not overwritten; keys absent then deleted.
// Asks unless -f. A table of what each key came to, or with --json one object per key ({"key", "result",
// "revision", "detail"}); exit 1 when a key could not be restored (changed since, unanswerable, failed),
// or when the read of then is incomplete (keys the bucket no longer names may be missing: said on stderr).
class RestoreCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit RestoreCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    QString confirmation() const override;
    bool asksOnceRead() const override { return true; }

protected:
    void run() override;

private:
    void onRead();
    void restore(const QStringList &keys);
    void done();

    QString m_bucket;
    QStringList m_keys;
    KvAsOfPoint m_point;
    KvAsOfRead *m_read = nullptr;
    KvRestoreJob *m_job = nullptr;
};
