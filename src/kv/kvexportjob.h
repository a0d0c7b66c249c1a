#pragma once

#include "kvbulkread.h"
#include "kventry.h"
#include "natserror.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <optional>

class KvBucket;
class KvWatcher;
class QIODevice;

// Writes entries of a bucket as NDJSON (KvNdjson) to a device: the whole bucket (the engine of
// `kvdesk-cli export`), some keys, or entries already at hand (the app's watch feed), with progress and
// cancel. Values that must be read first are read in bulk (KvBulkRead: batch direct get on 2.11+, a
// window of direct gets before) and still written in order. Nothing the server says is gone is written
// as live: a key whose newest entry is a marker (a limit marker too) is skipped. One export per object.
class KvExportJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvExportJob)

public:
    enum class State {
        Idle,
        Running,
        Finished,
        Cancelled,
        Failed
    };
    Q_ENUM(State)

    // output must be open for writing and outlive the export.
    KvExportJob(KvBucket *bucket, QIODevice *output, QObject *parent = nullptr);
    ~KvExportJob() override;

    // The latest entry of every key, as `kvdesk-cli export` (markers too with includeDeletes).
    void exportBucket(bool includeDeletes = false);
    // The latest value of each key, in this order; a key that no longer exists is skipped.
    void exportKeys(const QStringList &keys);
    // These entries as they are. One whose value is not complete (value.size() != valueSize, see
    // WatchFeedModel::entryAt) is read again by revision; if the server no longer has it, it is skipped.
    void exportEntries(const QList<KvEntry> &entries);
    // The same, taking the entries over: none is copied (an as-of export of a whole bucket).
    void exportEntries(QList<KvEntry> &&entries);
    void cancel();
    // How values are read (KvBulkRead::Mode::Auto unless set before starting; for comparisons).
    void setReadMode(KvBulkRead::Mode mode) { m_readMode = mode; }

    State state() const { return m_state; }
    bool isFinished() const { return m_state != State::Idle && m_state != State::Running; }
    // Why the export failed: the server's error, InvalidArgument when the output refused the bytes (or
    // there was nothing to export to), Cancelled. NoError when it finished.
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }
    qint64 writtenCount() const { return m_written; }
    qint64 skippedCount() const { return m_skipped; }
    // Entries written or skipped plus those still to come (for a whole bucket, what the watch has pending).
    qint64 totalCount() const;
    // Why entries were skipped (the first 100).
    QStringList problems() const { return m_problems; }

Q_SIGNALS:
    // done of total entries (total grows while a whole-bucket export learns how many are pending).
    void progress(qint64 done, qint64 total);
    // The export failed or was cancelled (see error()); finished() follows.
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    // One entry to write, in order. To read first: entry names the key (and the revision, if one is
    // wanted); once read, it is the entry itself.
    struct Item
    {
        enum class Status : quint8 {
            ToRead,
            Ready,
            Skipped
        };
        KvEntry entry;
        Status status = Status::ToRead;
    };

    bool begin();
    void write(const KvEntry &entry);
    void pumpItems();
    void fetchChunk();
    void onChunkRead(KvBulkRead *read, const QList<qsizetype> &indexes);
    void writeReady();
    void reportProgress(bool force);
    void skip(const QString &problem);
    void finish(State state, const NatsError &error = {});

    QPointer<KvBucket> m_bucket;
    QPointer<QIODevice> m_output;
    QPointer<KvWatcher> m_watcher;
    QList<Item> m_items;
    qsizetype m_nextFetch = 0;
    qsizetype m_nextWrite = 0;
    int m_inFlight = 0; // bulk reads
    KvBulkRead::Mode m_readMode = KvBulkRead::Mode::Auto;
    State m_state = State::Idle;
    NatsError m_error;
    QStringList m_problems;
    qint64 m_written = 0;
    qint64 m_skipped = 0;
    QElapsedTimer m_sinceProgress;
};
