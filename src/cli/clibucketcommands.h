#pragma once

#include "clibucketfeatures.h"
#include "clicommand.h"
#include "kvbucketconfig.h"

#include <QtCore/QPointer>

#include <optional>

struct KvBucketStatus;

// The bucket-level subcommands: ls, add/edit, info, rm/del, compact.

// ls: buckets as a table (or names, or JSON); ls BUCKET [FILTER...]: the bucket's keys streamed one per line.
class LsCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit LsCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    bool streams() const override { return !m_bucket.isEmpty(); }
    QString checkedAs() const override;

protected:
    void run() override;
    void readEarly() override;

private:
    // Bucket names alone (-n, not --json): STREAM.NAMES, which a user refused STREAM.LIST may ask.
    bool namesAlone() const;
    void listBuckets();
    void listBucketNames();
    void listKeys();

    QString m_bucket;
    QStringList m_filters;
    QPointer<KvReply> m_early; // the buckets' listing (or names), made by readEarly()
    bool m_namesOnly = false;
};

// add BUCKET / edit BUCKET with natscli's flags; prints the bucket's info afterwards.
class BucketConfigCommand final : public CliCommand
{
    Q_OBJECT

public:
    enum class Mode {
        Add,
        Edit
    };

    BucketConfigCommand(Mode mode, QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;

protected:
    void run() override;

private:
    QString readFlags(const QCommandLineParser &parser);
    static QString readSize(const QCommandLineParser &parser, const QString &name, qint64 largest,
                            std::optional<qint64> *out);
    KvBucketConfig applied(KvBucketConfig config) const;
    void submit(const KvBucketConfig &config);
    void noteSourcesKeepTheirNames(const KvBucketConfig &config);
    void noteFullBucketDropsOldValues(const KvBucketConfig &config);
    static QString mirrorChangeRefusal(const KvBucketConfig &current, const KvBucketConfig &wanted);
    void finishNotingMissingOrigin(const KvBucketConfig &config);

    Mode m_mode;
    QString m_bucket;
    std::optional<QString> m_description;
    std::optional<int> m_history;
    std::optional<qint64> m_ttlMs;
    std::optional<qint64> m_maxValueSize;
    std::optional<qint64> m_maxBucketSize;
    std::optional<KvBucketConfig::Storage> m_storage;
    std::optional<int> m_replicas;
    std::optional<QString> m_republishSource;
    std::optional<QString> m_republishDestination;
    std::optional<bool> m_republishHeaders; // --republish-headers or --no-republish-headers
    CliBucketFeatures m_features;           // the 2.10 and 2.11+ settings
};

// info BUCKET: natscli's "Information for Key-Value Store Bucket" page.
class InfoCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit InfoCommand(QObject *parent = nullptr);
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    // Prints status as `info` does (text or JSON); add and edit reuse it.
    static void printStatus(CliOutput *out, const KvBucketStatus &status);

protected:
    void run() override;

private:
    QString m_bucket;
};

// rm BUCKET (asks unless -f) deletes the bucket; rm/del BUCKET KEY writes a delete marker for the key.
class DeleteCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit DeleteCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    // Without a key it deletes the bucket, which needs no handle.
    QString boundBucket() const override { return m_key.isEmpty() ? QString() : m_bucket; }
    QString confirmation() const override;
    QString declinedMessage() const override { return tr("Skipping delete"); }

protected:
    void run() override;

private:
    QString m_bucket;
    QString m_key;
    quint64 m_revision = 0; // --revision: only if the key is still at it
};

// compact BUCKET: removes delete/purge markers and the history behind them (asks unless -f).
class CompactCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit CompactCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    QString confirmation() const override;
    QString declinedMessage() const override { return tr("Skipping compact"); }

protected:
    void run() override;

private:
    QString m_bucket;
    qint64 m_olderThanMs = 0;
};
