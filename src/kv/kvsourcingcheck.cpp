#include "kvsourcingcheck.h"

#include "jsstreaminfo.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// The most history a bucket can keep (nats.go's KeyValueMaxHistory).
constexpr qint64 kMaxHistory = 64;

// The most revisions of one key the source can hand the bucket while it is copied: its history, or fewer
// when its stream shows fewer messages past one per key.
quint64 revisionsPerKey(const KvSourcingCheck::Source &source)
{
    if (!source.known || source.messages == 0)
        return 0;
    const quint64 beyondOnePerKey = source.messages > source.subjects ? source.messages - source.subjects : 0;
    return std::min<quint64>(quint64(std::max<qint64>(source.history, 1)), beyondOnePerKey + 1);
}

QString quotedNames(const QStringList &names)
{
    QStringList quoted;
    for (const QString &name : names)
        quoted.append(u'"' + name + u'"');
    return quoted.join(", "_L1);
}

} // namespace

QStringList KvSourcingCheck::forNewBucket(const QString &server, const QString &bucket, qint64 history,
                                          const QList<Source> &sources)
{
    if (sources.size() < 2)
        return {}; // the only source is started before anything is dropped
    // The source started last loses its entries when the others, copied before it, made the bucket drop
    // a revision: at worst each hands the same key all its revisions. Which one is last varies.
    QList<quint64> perKey;
    QStringList severalRevisions;
    quint64 most = 0;
    for (const Source &source : sources) {
        const quint64 revisions = revisionsPerKey(source);
        perKey.append(revisions);
        most = std::max(most, revisions);
        if (revisions > 1)
            severalRevisions.append(source.bucket);
    }
    quint64 needed = 0;
    for (const quint64 revisions : std::as_const(perKey))
        needed += revisions;
    needed -= *std::min_element(perKey.cbegin(), perKey.cend());
    if (needed <= quint64(std::max<qint64>(history, 1)))
        return {};
    QStringList names;
    for (const Source &source : sources)
        names.append(source.bucket);
    const QString copied = severalRevisions.isEmpty()
        ? tr("%1 (keys of the same name)").arg(quotedNames(names))
        : tr("%1 (keys with up to %2 revisions)").arg(quotedNames(severalRevisions)).arg(most);
    const QString remedy = needed <= quint64(kMaxHistory)
        ? tr("A history of at least %1 keeps every revision while they are copied.").arg(needed)
        : tr("Even the largest history, %1, may not keep every revision while they are copied.").arg(kMaxHistory);
    const QString keeps = history <= 1 ? tr("one revision") : tr("%1 revisions").arg(history);
    return {tr("bucket \"%1\" may never get the existing entries of one of its sources: while nats-server %2 "
               "copies %3 into it, the bucket keeps %4 per key and drops the others, and the server then starts "
               "each source it has not started yet at the bucket's last write, reporting no lag (nats-server "
               "issue 8387). %5")
                .arg(bucket, server, copied, keeps, remedy)};
}

bool KvSourcingCheck::needsSourceInfo(const JsStreamState &existing, qsizetype addedCount)
{
    return existing.firstSequence <= 1 && addedCount >= 2;
}

QStringList KvSourcingCheck::forAddedSources(const QString &server, const QString &bucket, qint64 history,
                                             const JsStreamState &existing, const QList<Source> &added)
{
    if (added.isEmpty())
        return {};
    if (existing.firstSequence <= 1)
        return forNewBucket(server, bucket, history, added);
    QStringList warnings;
    for (const Source &source : added) {
        warnings.append(tr("bucket \"%1\" gets only what \"%2\" stores from now on, not its existing entries: "
                           "the bucket no longer holds its first revisions (it starts at revision %3), and "
                           "nats-server %4 then starts a new source at the bucket's last write, reporting no lag "
                           "(nats-server issue 8387). A new bucket made with this source gets them.")
                            .arg(bucket, source.bucket)
                            .arg(existing.firstSequence)
                            .arg(server));
    }
    return warnings;
}
