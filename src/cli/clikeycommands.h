#pragma once

#include "clicommand.h"
#include "clidecode.h"
#include "kventry.h"

// The key-level subcommands: put/create/update, get, purge, history, revert.

class QCommandLineParser;
struct KvBucketConfig;

// --ttl DURATION for create and purge (nats-server 2.11+, a bucket with a marker TTL). Returns the usage
// problem or an empty string; *ns stays 0 when the flag is not given.
QString readKeyTtl(const QCommandLineParser &parser, qint64 *ns);

// put BUCKET KEY [VALUE], create BUCKET KEY [VALUE] (stdin when VALUE is absent), update BUCKET KEY VALUE REVISION.
class WriteCommand final : public CliCommand
{
    Q_OBJECT

public:
    enum class Mode {
        Put,
        Create,
        Update
    };

    WriteCommand(Mode mode, QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }

protected:
    void run() override;

private:
    void noteRaisedTtl(const KvBucketConfig &config);
    Mode m_mode;
    qint64 m_ttlNs = 0; // create --ttl
    QString m_bucket;
    QString m_key;
    QByteArray m_value;
    bool m_valueGiven = false;
    quint64 m_revision = 0;
};

// get BUCKET KEY [--revision N] [--raw] [--decode [--proto FILE --type MESSAGE]]
class GetCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit GetCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }

protected:
    void run() override;
    void readEarly() override;

private:
    QString m_bucket;
    QString m_key;
    void printDecoded(const KvEntry &entry);
    QPointer<KvReply> m_early; // the get, made by readEarly()

    quint64 m_revision = 0;
    bool m_raw = false;
    CliDecode m_decode;
};

// purge BUCKET KEY: drops the key's history and leaves a purge marker (asks unless -f).
class PurgeCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit PurgeCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    QString confirmation() const override;
    QString declinedMessage() const override { return tr("Skipping purge"); }

protected:
    void run() override;

private:
    QString m_bucket;
    QString m_key;
    qint64 m_ttlNs = 0;     // --ttl: the purge marker itself goes after this long
    quint64 m_revision = 0; // --revision: only if the key is still at it
};

// history BUCKET KEY: every kept revision as natscli's table (or NDJSON).
class HistoryCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit HistoryCommand(QObject *parent = nullptr);
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    static void printHistory(CliOutput *out, const QString &bucket, const QString &key, const QList<KvEntry> &entries);

protected:
    void run() override;

private:
    QString m_bucket;
    QString m_key;
};

// revert BUCKET KEY REVISION: writes that revision's value again, only if nobody changed the key meanwhile.
class RevertCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit RevertCommand(QObject *parent = nullptr);
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    QString confirmation() const override;
    QString declinedMessage() const override { return tr("Skipping revert"); }
    bool asksOnceRead() const override { return true; }

protected:
    void run() override;

private:
    void revertOn(quint64 latest);

    QString m_bucket;
    QString m_key;
    quint64 m_revision = 0;
};
