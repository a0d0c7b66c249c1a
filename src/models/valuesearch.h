#pragma once

#include "codecoptions.h"
#include "natserror.h"
#include "valuepathquery.h"

#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QString>
#include <QtCore/QStringList>

class KvBucket;
class KvBulkRead;

// Find in values: the latest values of a list of keys (a bucket's, or a folder's: keysIn()) read in
// batches (KvBulkRead: batch direct get where the server has it), each searched as the value panel shows
// it, through the decoders (CodecChain: compressed JSON, MessagePack…), for a text. Bounded: at most
// maxMatches matches and maxKeys keys; progress() after each batch; cancel() stops at once.
class ValueSearch final : public QObject
{
    Q_OBJECT

public:
    // Text: the value as shown contains text. JsonPath: text is a ValuePathQuery ("$.customer.id == 42")
    // that the decoded value, as JSON, satisfies somewhere; values that are not JSON do not match.
    enum class Mode {
        Text,
        JsonPath
    };

    struct Options
    {
        QString text;
        Mode mode = Mode::Text;
        Qt::CaseSensitivity caseSensitivity = Qt::CaseInsensitive;
        int maxMatches = 1000;
        qsizetype maxKeys = 100000;
        qsizetype batchSize = 256;
        CodecOptions codec;
    };
    struct Match
    {
        QString key;
        quint64 revision = 0;
        QString chain;   // how the value was decoded ("gzip → JSON"), empty for plain text
        QString snippet; // the text around the first hit, on one line; for a path: "$.customer.id = 42"
    };

    // The keys of folder ("a" holds "a.1" and "a.b.2"); all of them when folder is empty.
    static QStringList keysIn(const QStringList &keys, const QString &folder);

    ValueSearch(KvBucket *bucket, const QStringList &keys, const Options &options, QObject *parent = nullptr);
    ~ValueSearch() override;

    // Starts on the next event-loop turn; finished() follows, once.
    void start();
    void cancel();

    QList<Match> matches() const { return m_matches; }
    // The keys read so far (progress), and of them those that had a value to search: a deleted key's
    // marker has none, nor has a key gone meanwhile.
    qsizetype searchedCount() const { return m_searched; }
    qsizetype valueCount() const { return m_values; }
    qsizetype totalCount() const { return m_keys.size(); }
    bool isCapped() const { return m_capped; }
    bool isCancelled() const { return m_cancelled; }
    bool isFinished() const { return m_finished; }
    // Why it stopped early: no bucket, nothing to search for, an invalid path (InvalidArgument), or the read
    // failed (bucket gone, connection lost). NoError when it ran to the end, the cap or cancel().
    NatsError::Code error() const { return m_error.code(); }
    QString errorString() const { return m_error.message(); }
    NatsError errorInfo() const { return m_error; }

Q_SIGNALS:
    void progress(qsizetype searched, qsizetype total);
    void matchFound(const ValueSearch::Match &match);
    // The search failed (see error()); finished() follows.
    void errorOccurred(NatsError::Code code);
    void finished();

private:
    void nextBatch();
    void onBatch();
    bool search(const QString &key, quint64 revision, const QByteArray &value);
    // The snippet for a match of the text or the path in the decoded value text, or "" when none.
    QString textSnippet(const QString &text) const;
    QString pathSnippet(const QString &json) const;
    void fail(const NatsError &error);
    void finish();

    QPointer<KvBucket> m_bucket;
    QStringList m_keys;
    Options m_options;
    ValuePathQuery m_query; // Mode::JsonPath
    QPointer<KvBulkRead> m_read;
    QList<Match> m_matches;
    qsizetype m_searched = 0;
    qsizetype m_values = 0;
    bool m_capped = false;
    bool m_cancelled = false;
    bool m_finished = false;
    NatsError m_error;
};
