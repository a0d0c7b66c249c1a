#pragma once

#include "natserror.h"

#include <QtCore/QCommandLineOption>
#include <QtCore/QElapsedTimer>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QStringList>

#include <functional>

class CliOutput;
class KvBucket;
class KvContext;
class KvReply;
class QCommandLineParser;
class QTimer;

// One kvdesk-cli subcommand. CliApplication gives it a QCommandLineParser with the global options, lets
// it add its own (addOptions), lets it check its arguments before anything connects (prepare: a problem
// there is a usage error, exit status 2, unless prepareExitCode() says otherwise), asks its confirmation question unless -f/--force (offered to
// every command whose Info says it asks), connects, and
// then calls run(). The command ends with finish(): 0 on success, 1 when the operation failed.
class CliCommand : public QObject
{
    Q_OBJECT

public:
    enum ExitCode {
        Success = 0,
        Failure = 1,
        UsageError = 2
    };

    struct Info
    {
        QString name;
        QStringList aliases;
        QString summary;
        QString syntax; // "BUCKET KEY [VALUE]"
        int minArguments = 0;
        int maxArguments = 0; // -1: any number
        bool asks = false;    // may ask a confirmation question; takes -f/--force to skip it
    };

    explicit CliCommand(const Info &info, QObject *parent = nullptr);
    ~CliCommand() override;

    const Info &info() const { return m_info; }
    void setOutput(CliOutput *output) { m_out = output; }

    virtual void addOptions(QCommandLineParser *parser);
    // Reads positional arguments and options. Returns why they cannot be used, or an empty string.
    virtual QString prepare(const QCommandLineParser &parser, const QStringList &arguments) = 0;
    // The exit status for prepare()'s problem: UsageError, or Failure for one that is not the command
    // line's (kvdesk's Protobuf module that does not load).
    int prepareExitCode() const { return m_prepareExitCode; }
    // The question to confirm before run() (empty: none); only asked when Info::asks.
    virtual QString confirmation() const { return {}; }
    // Whether the command starts a watch over the whole bucket. On nats-server 2.9, creating that
    // consumer takes seconds for a bucket of a million keys, so without --timeout such commands wait
    // up to StreamingTimeoutMs for it.
    virtual bool streams() const { return false; }
    static constexpr int StreamingTimeoutMs = 60 * 1000;
    // Why question cannot be asked here (stdin is no terminal), with what to do instead.
    static QString cannotAsk(const QString &question);
    // What to say when the question is declined ("Skipping delete").
    virtual QString declinedMessage() const { return tr("Skipping"); }
    // Whether the question is asked by run() (askThen()) once it has read what its writes are guarded on,
    // instead of before connecting: a value written while the question waits is then newer than what was
    // read, and refused, never overwritten (reading it after the answer would take it for the current one).
    virtual bool asksOnceRead() const { return false; }
    // -f/--force was given: askThen() asks nothing.
    void setForced(bool forced) { m_forced = forced; }
    // How long a write whose answer does not come is retried (KvBucket::setWriteRetryLimit()); -1 keeps
    // the library's minute. --timeout sets it, so that no write outlasts the time the user gave.
    void setWriteRetryLimit(qint64 milliseconds) { m_writeRetryLimitMs = milliseconds; }

    // The bucket the command reads or writes through its handle (empty: none), known once prepared.
    virtual QString boundBucket() const { return {}; }
    // The name the permission check judges the command by (CliPermissionCheck::refusal()): its Info name,
    // unless its options change what it sends ("ls -n": bucket names alone, STREAM.NAMES).
    virtual QString checkedAs() const { return m_info.name; }
    // Binds boundBucket() (if any) before the command starts: called as the first connect handles the
    // server's INFO, its STREAM.INFO goes with the CONNECT (KvBucket::bindNow()), and so does
    // readEarly()'s read.
    void bindEarly(KvContext *context);
    // Connected: start the work.
    void start(KvContext *context);

    // The one-line text for an error: its message, prefixed with the kind of problem where the message
    // alone does not say it ("not connected: ...", "permission denied: ...").
    static QString describe(const NatsError &error);

Q_SIGNALS:
    void finished(int exitCode);

protected:
    virtual void run() = 0;
    // A command whose first call is a read may make it here, before run(): sent with the CONNECT, beside
    // the STREAM.INFO (KvBucket::readAhead()) or alone (a listing of buckets). Only reads: the permission
    // check comes after it.
    virtual void readEarly() {}

    CliOutput *out() const { return m_out; }
    KvContext *kv() const;
    // The bucket handle, made once per command.
    KvBucket *bucket(const QString &name);

    void finish(int exitCode = Success);
    // Asks confirmation() (unless forced) and runs onYes on yes; on no, says declinedMessage() and finishes.
    void askThen(const std::function<void()> &onYes);
    // For a command that streams entries and then ends (export, ls): fails it, saying what it was doing,
    // once nothing moved for a whole request timeout. The library waits out a server that stopped
    // answering (its consumers go on when it is back); a one-shot command must not wait forever.
    // Checked each second: what came (moved()) and what reached stdout since the last check, so a
    // reader slow to take the output (the command blocked in a write) is not taken for a stall. A wait
    // longer than the usual 5 s (a minute without --timeout) is said on stderr once it has lasted 5 s.
    void failWhenStalled(const QString &doing);
    void checkStall(const QString &doing, int timeoutMs);
    static constexpr int kStallTickMs = 1000;
    static constexpr int kSilenceSaidAfterMs = 5000;
    // Something came from the server.
    void moved();
    void fail(const NatsError &error);
    void fail(const QString &message, int exitCode = Failure);
    // Runs onSuccess when reply succeeds, else fails the command with the reply's error (at once when
    // reply has finished already, as one made by readEarly() may have).
    // onError, when given, handles an error first: false leaves it to the usual message.
    void whenDone(KvReply *reply, const std::function<void(KvReply *reply)> &onSuccess,
                  const std::function<bool(KvReply *reply)> &onError = {});
    // A write guarded by expectedRevision (0: not guarded): refused, it fails naming the revision the key is
    // at now, as update does.
    void whenWritten(KvReply *reply, const QString &key, quint64 expectedRevision,
                     const std::function<void(KvReply *reply)> &onSuccess);
    // Says on stderr where a write went when the command's bucket mirrors another (whenWritten() does).
    void noteWrittenThroughMirror();
    void setPrepareExitCode(int exitCode) { m_prepareExitCode = exitCode; }

    // Shared argument checks; each returns the usage problem or an empty string.
    static QString checkBucket(const QString &bucket);
    // A key of bucket: its characters, and its length (KvNames::maxKeyLength()).
    static QString checkKey(const QString &key, const QString &bucket);         // a key a write may make
    static QString checkExistingKey(const QString &key, const QString &bucket); // a key read, deleted, updated
    static QString parseRevision(const QString &text, quint64 *revision);
    // --revision N of a write to one key: only if the key is still at N (whenWritten() says when not).
    static QCommandLineOption revisionGuardOption();
    // All of input (named source in the problem) into *value, or the problem: past the largest message a
    // NATS server accepts it stops reading, so a value that never ends (`put B k < /dev/zero`) is
    // refused instead of read until memory runs out.
    static QString readValue(QIODevice *input, const QString &source, QByteArray *value);

private:
    Info m_info;
    CliOutput *m_out = nullptr;
    QPointer<KvContext> m_kv;
    KvBucket *m_bucket = nullptr;
    qint64 m_writeRetryLimitMs = -1;
    bool m_finished = false;
    bool m_forced = false;
    int m_prepareExitCode = UsageError;
    QTimer *m_stallGuard = nullptr;
    qint64 m_moves = 0;
    qint64 m_movesChecked = -1; // m_moves + stdout bytes at the last check
    QElapsedTimer m_quietFor;   // since they last changed
    bool m_silenceSaid = false;
};
