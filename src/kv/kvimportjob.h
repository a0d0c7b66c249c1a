#pragma once

#include "kvbucketconfig.h"
#include "kventry.h"
#include "natserror.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QHash>
#include <QtCore/QMap>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QStringList>

#include <optional>
#include <utility>

class KvBucket;
class KvContext;
class KvReply;
class QIODevice;
class QTemporaryFile;

// Reads NDJSON entries (KvNdjson, the format of `kvdesk-cli export`) from a device and writes them into a
// bucket, a window of writes at a time, with progress and cancel: the engine of `kvdesk-cli import` and
// of the app's bucket import. The whole input is checked first (JSON, key, value, its size against the
// bucket's limits, lines too long to be an entry): if any line is bad, every bad line is reported in
// line order and nothing is written (State::Failed). Only then is the input read again and written; a
// sequential input (a pipe) is kept aside in a temporary file meanwhile, never in memory. What happens to keys that already exist is the caller's choice. Values are
// written byte for byte (base64-encoded lines included). A line with a "ttl" is created with that TTL in
// every mode (a TTL only goes with a create, as in the official clients); where the server or the bucket
// cannot take it, or the key exists, that line fails with the reason. A bucket that does not exist yet
// may be created by the job (setCreateConfig()): the input is checked against the settings it will have,
// and the bucket is created only once every line is good, so a bad input leaves no bucket behind.
class KvImportJob final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KvImportJob)

public:
    // Existing keys are those with a value before the import. The modes other than Overwrite leave them
    // alone and still replay the file for every other key: a key's first line is created (a marker only
    // where the key has no value: KvBucket::createMarker()), its later lines go on top of what this import
    // wrote, each guarded by the revision written before it (a key someone else changed meanwhile fails).
    enum class ExistingKeys {
        Overwrite, // put: the imported value becomes the key's new revision; markers are replayed
        Fail,      // an existing key's lines fail
        Skip,      // an existing key's lines are skipped
        Stop,      // the first existing key stops the import: nothing after its line is written (the
                   // lines are written one at a time, each once the one before is answered)
    };
    Q_ENUM(ExistingKeys)

    enum class State {
        Idle,
        Running,
        Finished,
        Cancelled,
        Stopped,
        Failed
    };
    Q_ENUM(State)

    static constexpr int DefaultWindow = 64;

    // input must be open for reading and outlive the import. A sequential input (a pipe, a process)
    // is read as its data arrives: it must signal readyRead() and readChannelFinished() (QProcess,
    // sockets, and the CLI's stdin reader do), so a slow producer never blocks the event loop; the job
    // listens from its construction on, so make it as soon as the input is open.
    KvImportJob(KvBucket *bucket, QIODevice *input, QObject *parent = nullptr);
    ~KvImportJob() override;

    // Writes in flight at most (DefaultWindow unless set before start()).
    void setWindow(int window) { m_window = window; }
    // The bucket does not exist yet: check the input against config (its limits, whether its keys may have
    // a TTL; the server's max_payload as ever) instead of reading the bucket's status, then create the
    // bucket with config (bucketCreated()) and write. Created by someone else meanwhile: written only if
    // its settings are config's (creating it again then succeeds), else the job fails and writes nothing.
    // Call before start().
    void setCreateConfig(const KvBucketConfig &config) { m_toCreate = config; }
    void start(ExistingKeys existing);
    void cancel();

    State state() const { return m_state; }
    bool isFinished() const { return m_state != State::Idle && m_state != State::Running; }
    // Whether the input is still being checked (nothing written yet); lineCount() counts the lines checked.
    bool isChecking() const { return m_state == State::Running && m_phase == Phase::Checking; }
    // Why the import ended early (cancelled, stopped at an existing key, nothing to read); NoError when it
    // read everything (lines that failed are counted, not errors of the job).
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }
    qint64 lineCount() const { return m_lines; }
    qint64 writtenCount() const { return m_written; }
    qint64 skippedCount() const { return m_skipped; }
    qint64 failedCount() const { return m_failed; }
    // Of the failed lines, those the check refused: none of the input was sent when there are any.
    qint64 refusedCount() const { return m_refused; }
    // Lines that failed and why, as "line <n>: <why>" (the first 100 by line, in line order).
    QStringList problems() const { return m_problems.values(); }

Q_SIGNALS:
    // One line that could not be imported: not an entry (found by the check, in line order), or its write
    // failed.
    void lineFailed(qint64 line, const NatsError &error);
    // Bytes of the input read so far, of total (-1 when the input has no known size).
    void progress(qint64 bytesRead, qint64 bytesTotal);
    // A line written with a TTL the server raised (a bucket keeping history keeps a key at least its
    // marker TTL, KvBucketConfig::keptKeyTtl()): the key lives longer than the file said.
    void ttlRaised(qint64 line, qint64 askedNs, qint64 keptNs);
    // The bucket of setCreateConfig() was created, the input being good; the writes follow.
    void bucketCreated();
    // The import ended early (see error()); finished() follows.
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    enum class Phase {
        Checking, // every line read and checked, nothing written
        Writing,  // the input read again and written
    };
    enum class Read {
        Line,  // a whole line (or the last one, without its newline)
        Wait,  // a sequential input has no whole line yet
        Later, // a line being skipped has had its share of this turn: read on in the next one
        End,
    };
    enum class Skip {
        Done,     // the skipped line has ended
        NoData,   // nothing more to read now (or at all)
        TurnOver, // read as much as one turn may
    };

    void begin();
    void pump();
    Read readLine(QByteArray *line);
    Read readPipeLine(QIODevice *input, QByteArray *line);
    // A line of at most maxBytes bytes, read into m_lineBuffer (no allocation of maxBytes per line).
    QByteArray readBoundedLine(QIODevice *input, qint64 maxBytes);
    // Drops the rest of an overlong line; false while its end has not arrived yet.
    Skip skipOverlongLine();
    qint64 lineLimit(qint64 bucketMaxValue); // also sets m_maxValue
    // One whole line: checked, or written.
    void take(const QByteArray &line);
    // Why entry cannot be written (its key, its value's size), or an empty string; false while the
    // server is asked whether the key of a value over the limits exists (a mode that keeps existing keys).
    bool check(const KvEntry &entry, qint64 line);
    void checkSizeOfExisting(const NatsError &tooLarge, const QString &key, qint64 line);
    // A line with a TTL: the server and the bucket must take per-key TTLs. False while they are asked.
    bool checkTtl(const KvEntry &entry, qint64 line);
    bool keepAside(const QByteArray &line);
    void endCheck();
    void createBucket();
    void startWriting();
    bool submitHeld();
    void submit(const KvEntry &entry, qint64 line);
    KvReply *write(const KvEntry &entry);
    // The modes that keep existing keys: false when the line waits for its key's write in flight.
    bool submitKeeping(const KvEntry &entry, qint64 line);
    // before: the revision this import wrote before the line (0: the key's first line).
    void onKeptWritten(const NatsError &error, quint64 revision, const QString &key, qint64 line, quint64 before,
                       bool marker);
    void onWritten(const NatsError &error, qint64 line);
    void existingKey(const QString &key, qint64 line);
    void checkExists(const NatsError &tooLarge, const QString &key, qint64 line);
    void fail(qint64 line, const NatsError &error);
    void stopIfUnanswered(const NatsError &error, qint64 line);
    void reportProgress(bool force);
    void maybeFinish();

    QPointer<KvBucket> m_bucket;
    QPointer<QIODevice> m_input;
    ExistingKeys m_existing = ExistingKeys::Overwrite;
    State m_state = State::Idle;
    Phase m_phase = Phase::Checking;
    qint64 m_startPos = 0;             // where a file input starts, read from again once checked
    QTemporaryFile *m_spool = nullptr; // a sequential input, kept aside while it is checked
    State m_ending = State::Idle;      // the state to finish in once the writes in flight are back
    NatsError m_error;
    QMap<qint64, QString> m_problems; // line -> "line <n>: <why>"
    // The modes that keep existing keys: each key met so far, by the revision this import last wrote
    // (or kWriting, kExisting). A key's later line goes on top of that revision, or waits in m_held.
    QHash<QString, quint64> m_keys;
    // Of those, the keys whose revision this import last wrote is a marker (a delete or purge): a later
    // line with a TTL is created over that marker, and only while it is still the key's newest revision.
    QSet<QString> m_markerKeys;
    std::optional<std::pair<KvEntry, qint64>> m_held; // a line waiting for its key's write, and its number
    qint64 m_lines = 0;
    qint64 m_written = 0;
    qint64 m_skipped = 0;
    qint64 m_failed = 0;
    qint64 m_refused = 0;
    qint64 m_bytesRead = 0;
    int m_window = DefaultWindow;
    int m_inFlight = 0;
    bool m_atEnd = false;
    bool m_inputClosed = false; // a sequential input said readChannelFinished()
    bool m_skipping = false;    // inside a line too long to import
    qint64 m_lineLimit = 0;
    KvBucketConfig m_config;                  // the bucket's, once its status is read (or it is created)
    std::optional<KvBucketConfig> m_toCreate; // setCreateConfig()
    KvContext *m_creator = nullptr;           // creates m_toCreate
    // Whether the server and the bucket take per-key TTLs, asked at the first line with one: the answer
    // holds for every line of the file (m_ttlAsked false: not asked yet).
    bool m_ttlAsked = false;
    NatsError m_ttlRefusal;
    qint64 m_maxValue = 0;   // the largest value the bucket takes, for messages
    QByteArray m_partial;    // the start of a line from a pipe, waiting for its end
    QByteArray m_lineBuffer; // what readBoundedLine() reads into, as long as the longest line so far
    bool m_pumping = false;
    QElapsedTimer m_sinceProgress;
};
