#pragma once

#include "clicommand.h"
#include "kvwatcher.h"

#include <QtCore/QElapsedTimer>
#include <QtCore/QPointer>

class NatsReply;
class QTimer;

// watch BUCKET [KEY-FILTER...] [--history] [--no-deletes] [--updates] [--revision N]: prints every entry as
// natscli does ("[time] PUT bucket > key: value"), or NDJSON, until killed. Output is flushed once per
// burst of entries, and at once when the watch goes idle. A server that stops answering with the connection
// open is said on stderr (a quiet watch looks the same as a quiet bucket otherwise).
class WatchCommand final : public CliCommand
{
    Q_OBJECT

public:
    explicit WatchCommand(QObject *parent = nullptr);
    void addOptions(QCommandLineParser *parser) override;
    QString prepare(const QCommandLineParser &parser, const QStringList &arguments) override;
    QString boundBucket() const override { return m_bucket; }
    bool streams() const override { return true; }

protected:
    void run() override;

private:
    void print(const KvEntry &entry);
    void noteWhatWentBy(quint64 first, quint64 last, bool away);
    void appendLine(QByteArray *text, const KvEntry &entry);
    void probeServer();
    void endWhenDeleted();
    void startWatch();
    void noteWhenAhead(quint64 from, quint64 last);

    static constexpr int kProbeTickMs = 1000;
    static constexpr int kSilenceSaidAfterMs = 5000;

    QString m_bucket;
    QStringList m_filters; // several at once: one consumer with filter_subjects on 2.10+
    KvWatchOptions m_options;
    QTimer *m_flushTimer = nullptr;
    bool m_getsEveryRevision = false; // all keys, markers included: a jump after a resume is a real gap
    quint64 m_resumedAt = 0;          // the revision a resumed watch must see first; 0 when not resuming
    quint64 m_lastPrinted = 0;        // the newest revision printed; past the initial values, m_lastBefore at least
    quint64 m_lastBefore = 0;         // the bucket's last revision before the watch began (or --revision's - 1)
    bool m_followingOn = false;       // past the initial values: each revision must be the one after the last
    QString m_lineBucket;             // the bucket's name as last printed, and as UTF-8
    QByteArray m_lineBucketUtf8;
    QTimer *m_probeTimer = nullptr;
    QPointer<NatsReply> m_probe;     // a PING not answered yet
    QElapsedTimer m_unansweredSince; // since the first PING of those not answered
    QElapsedTimer m_lastAnswered;    // when the server last answered one
    bool m_silenceSaid = false;
};
