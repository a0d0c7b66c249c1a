#pragma once

#include <QtCore/QCoreApplication>
#include <QtCore/QList>
#include <QtCore/QString>
#include <QtCore/QStringList>

struct JsStreamState;

// What nats-server 2.10+ does to a bucket's sources that kvdesk can foresee, in words. When the server
// starts a source that has nothing in the bucket yet, and the bucket has already dropped a message (its
// first sequence is past 1), it starts that source at the time of the bucket's last write instead of at
// its beginning (stream.go trySetupSourceConsumer, to avoid copies after a purge; nats-server issues 8387
// and 8409): the source's existing entries are never copied, and the server reports no lag. Sources are
// started one after the other, 100-200 ms apart, so a bucket made with several sources whose keys have
// more revisions than it keeps loses the entries of a later one. 2.9 starts every source at its beginning.
// kvdesk makes the bucket exactly as natscli and nats.go do and says so (try-out 4, F12).
class KvSourcingCheck
{
    Q_DECLARE_TR_FUNCTIONS(KvSourcingCheck)

public:
    // A source as its stream info tells it; known is false when that could not be read (another domain,
    // no permission): such a source is left out of the reckoning.
    struct Source
    {
        QString bucket;
        bool known = false;
        qint64 history = 1;
        quint64 messages = 0;
        quint64 subjects = 0;
    };

    // For a bucket made now with these sources and this history (server: its version, as the words name it).
    static QStringList forNewBucket(const QString &server, const QString &bucket, qint64 history,
                                    const QList<Source> &sources);
    // For an edit that adds these sources to a bucket whose stream is in state existing.
    static QStringList forAddedSources(const QString &server, const QString &bucket, qint64 history,
                                       const JsStreamState &existing, const QList<Source> &added);
    // Whether forAddedSources() needs the added sources' stream infos (it does not when the bucket has
    // already dropped a message: then every added source is said, whatever it holds).
    static bool needsSourceInfo(const JsStreamState &existing, qsizetype addedCount);
};
