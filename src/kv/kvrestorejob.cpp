#include "kvrestorejob.h"

#include "kvbucket.h"
#include "kvreply.h"

#include <QtCore/QHash>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

KvRestoreJob::KvRestoreJob(KvBucket *bucket, const QList<KvRestoreItem> &items, quint64 listedAt, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_items(items)
    , m_done(items.size())
    , m_listedAt(listedAt)
{
    QTimer::singleShot(0, this, &KvRestoreJob::pump);
}

KvRestoreJob::~KvRestoreJob() = default;

QList<KvRestoreItem> KvRestoreJob::itemsFor(const QStringList &keys, const QList<KvEntry> &then,
                                            const QStringList &unanswerable)
{
    QHash<QString, KvEntry> byKey;
    for (const KvEntry &entry : then)
        byKey.insert(entry.key, entry);
    QList<KvRestoreItem> items;
    for (const QString &key : keys) {
        KvRestoreItem item{key, std::nullopt, unanswerable.contains(key)};
        if (const auto found = byKey.constFind(key); found != byKey.cend() && !item.unanswerable)
            item.then = *found;
        items.append(item);
    }
    return items;
}

QString KvRestoreJob::outcomeName(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Restored:
        return tr("restored");
    case Outcome::Created:
        return tr("created");
    case Outcome::Deleted:
        return tr("deleted");
    case Outcome::Unchanged:
        return tr("unchanged");
    case Outcome::ChangedSince:
        return tr("changed since");
    case Outcome::Unanswerable:
        return tr("unanswerable");
    case Outcome::NotFound:
        return tr("not found");
    case Outcome::Failed:
        break;
    }
    return tr("failed");
}

int KvRestoreJob::count(Outcome outcome) const
{
    return int(std::count_if(m_results.cbegin(), m_results.cend(),
                             [outcome](const Result &result) { return result.outcome == outcome; }));
}

QString KvRestoreJob::summary() const
{
    QStringList parts;
    for (const Outcome outcome : {Outcome::Restored, Outcome::Created, Outcome::Deleted, Outcome::Unchanged,
                                  Outcome::ChangedSince, Outcome::Unanswerable, Outcome::NotFound, Outcome::Failed}) {
        if (const int n = count(outcome); n > 0) {
            parts.append(outcome == Outcome::ChangedSince ? tr("%1 changed since (not overwritten)").arg(n)
                                                          : u"%1 %2"_s.arg(n).arg(outcomeName(outcome)));
        }
    }
    return parts.isEmpty() ? tr("nothing to restore") : parts.join(u", "_s);
}

void KvRestoreJob::cancel()
{
    fail(NatsError(NatsError::Cancelled, tr("the restore was cancelled")));
}

void KvRestoreJob::pump()
{
    if (m_stopped) {
        maybeFinish(); // once the writes already sent are back
        return;
    }
    if (!m_bucket) {
        fail(NatsError(NatsError::ConnectionClosed, tr("the connection is gone")));
        return;
    }
    while (m_inFlight < DefaultWindow && m_next < m_items.size())
        restore(m_next++);
    maybeFinish();
}

void KvRestoreJob::restore(qsizetype index)
{
    const KvRestoreItem &item = m_items[index];
    if (item.unanswerable) {
        done(index, Outcome::Unanswerable, 0,
             tr("the bucket no longer holds its value then (history limit, age or purge)"));
        return;
    }
    ++m_inFlight;
    KvReply *reply = m_bucket->get(item.key);
    connect(reply, &NatsReply::finished, this, [this, index, reply] {
        reply->deleteLater();
        --m_inFlight;
        if (!m_stopped)
            onCurrent(index, reply);
        pump();
    });
}

// What the key holds now decides the write, guarded on the revision just read.
void KvRestoreJob::onCurrent(qsizetype index, KvReply *reply)
{
    const KvRestoreItem &item = m_items[index];
    const KvEntry now = reply->entry();
    const bool exists = reply->error() == NatsError::NoError;
    if (!exists && reply->error() != NatsError::KeyNotFound) {
        done(index, Outcome::Failed, 0, reply->errorString());
        return;
    }
    const quint64 current = now.revision; // a marker's when deleted, 0 when the key has no message at all
    if (m_listedAt > 0 && current > m_listedAt) {
        done(index, Outcome::ChangedSince, current,
             tr("key \"%1\" changed since the point was listed (now revision %2): not overwritten")
                 .arg(item.key)
                 .arg(current));
        return;
    }
    if (item.then && exists && now.value == item.then->value) {
        done(index, Outcome::Unchanged, current);
    } else if (item.then && exists) {
        write(index, m_bucket->update(item.key, item.then->value, current), Outcome::Restored);
    } else if (item.then) {
        // Absent now: created only if nobody wrote it meanwhile (on its delete marker, or create-only).
        write(index,
              current > 0 ? m_bucket->update(item.key, item.then->value, current)
                          : m_bucket->create(item.key, item.then->value),
              Outcome::Created);
    } else if (exists) {
        write(index, m_bucket->remove(item.key, current), Outcome::Deleted);
    } else if (current > 0) {
        done(index, Outcome::Unchanged, current, tr("absent then, deleted now"));
    } else {
        // Reported as "unchanged", a mistyped name passed as restored.
        done(index, Outcome::NotFound, 0, tr("no such key, then or now"));
    }
}

void KvRestoreJob::write(qsizetype index, KvReply *reply, Outcome outcome)
{
    ++m_inFlight;
    connect(reply, &NatsReply::finished, this, [this, index, reply, outcome] {
        reply->deleteLater();
        --m_inFlight;
        const NatsError::Code code = reply->error();
        if (code == NatsError::NoError) {
            done(index, outcome, reply->revision());
        } else if (code == NatsError::WrongRevision || code == NatsError::KeyExists) {
            // Someone wrote between the read and the write: the guard refused it, as it should.
            done(index, Outcome::ChangedSince, reply->currentRevision(),
                 tr("key \"%1\" changed during the restore: not overwritten (%2)")
                     .arg(m_items[index].key, reply->errorString()));
        } else {
            done(index, Outcome::Failed, 0, reply->errorString());
        }
        pump();
    });
}

void KvRestoreJob::done(qsizetype index, Outcome outcome, quint64 revision, const QString &detail)
{
    if (m_finished)
        return;
    m_done[index] = Result{m_items[index].key, outcome, revision, detail};
    ++m_doneCount;
    Q_EMIT progress(m_doneCount, m_items.size());
}

void KvRestoreJob::fail(const NatsError &error)
{
    if (m_stopped || m_finished)
        return;
    m_stopped = true;
    m_error = error;
    Q_EMIT errorOccurred(error.code());
    maybeFinish();
}

void KvRestoreJob::maybeFinish()
{
    if (m_finished || m_inFlight > 0 || (!m_stopped && m_doneCount < m_items.size()))
        return;
    for (const std::optional<Result> &result : std::as_const(m_done)) {
        if (result)
            m_results.append(*result);
    }
    m_finished = true;
    Q_EMIT finished();
}
