#include "kvmergeupdate.h"

#include "jetstreamcontext.h"
#include "jsapireply.h"
#include "kvbucket.h"
#include "kvbucketstatus.h"
#include "kvmerge.h"
#include "kvreply.h"

#include <QtCore/QJsonObject>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

KvMergeUpdate::KvMergeUpdate(KvBucket *bucket, const QString &key, quint64 baseRevision, const QByteArray &ours,
                             const QString &oursLabel, QObject *parent)
    : QObject(parent)
    , m_bucket(bucket)
    , m_key(key)
    , m_baseRevision(baseRevision)
    , m_ours(ours)
    , m_oursLabel(oursLabel)
{
    // The caller connects first: everything starts on the next turn of the event loop.
    QTimer::singleShot(0, this, &KvMergeUpdate::readBase);
}

void KvMergeUpdate::readBase()
{
    if (!m_bucket) {
        fail(NatsError(NatsError::InvalidArgument, tr("no bucket to merge %1 in").arg(m_key)));
        return;
    }
    KvReply *reply = m_bucket->get(m_key, m_baseRevision);
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() == NatsError::KeyNotFound)
            baseMissing();
        else if (reply->error() != NatsError::NoError)
            fail(reply->errorInfo());
        else {
            m_base = reply->entry();
            readCurrent();
        }
    });
}

// The base revision is no value of this key: not written yet, gone (history limit, purge), the key's
// delete, or another key's revision; or the key is not there at all. Says which.
void KvMergeUpdate::baseMissing()
{
    KvReply *status = m_bucket->status();
    connect(status, &NatsReply::finished, this, [this, status] {
        status->deleteLater();
        // A revision not written yet is a mistyped number, not one "not kept any more".
        const quint64 last = status->status().streamInfo.state.lastSequence;
        if (status->error() == NatsError::NoError && m_baseRevision > last) {
            fail(NatsError(NatsError::InvalidArgument,
                           tr("bucket \"%1\" has no revision %2 yet (its last is %3)")
                               .arg(status->status().bucket)
                               .arg(m_baseRevision)
                               .arg(last)));
            return;
        }
        const int history = status->error() == NatsError::NoError ? status->status().config.history : 0;
        KvReply *kept = m_bucket->history(m_key);
        connect(kept, &NatsReply::finished, this, [this, kept, history] {
            kept->deleteLater();
            if (kept->error() != NatsError::NoError && kept->error() != NatsError::KeyNotFound) {
                fail(kept->errorInfo());
                return;
            }
            const QList<KvEntry> entries = kept->entries();
            if (!entries.isEmpty() && m_baseRevision < entries.constFirst().revision)
                baseBeforeTheKeys(entries, history);
            else
                fail(NatsError(NatsError::KeyNotFound, whyNoBase(entries, history)));
        });
    });
}

// Before the key's oldest kept revision: the key's own, gone (history limit, purge), or another key's. The
// stream says which where it still holds that message.
void KvMergeUpdate::baseBeforeTheKeys(const QList<KvEntry> &kept, int history)
{
    QJsonObject body;
    body.insert("seq"_L1, qint64(m_baseRevision));
    JsApiReply *reply = m_bucket->jetStream()->request("STREAM.MSG.GET." + m_bucket->streamName().toUtf8(), body);
    connect(reply, &JsApiReply::finished, this, [this, reply, kept, history] {
        reply->deleteLater();
        const QString subject = reply->response().value("message"_L1).toObject().value("subject"_L1).toString();
        const QString prefix = QString::fromUtf8(m_bucket->readSubject(QString()));
        if (reply->error() == NatsError::NoError && subject.startsWith(prefix)
            && subject != QString::fromUtf8(m_bucket->readSubject(m_key)))
            fail(NatsError(NatsError::KeyNotFound,
                           tr("revision %1 is not one of key \"%2\"'s revisions (it is key \"%3\"'s): nothing to "
                              "merge from")
                               .arg(m_baseRevision)
                               .arg(m_key, subject.mid(prefix.size()))));
        else
            fail(NatsError(NatsError::KeyNotFound, whyNoBase(kept, history)));
    });
}

QString KvMergeUpdate::whyNoBase(const QList<KvEntry> &kept, int history) const
{
    if (kept.isEmpty())
        return tr("key \"%1\" not found in bucket \"%2\": nothing to merge from").arg(m_key, m_bucket->name());
    for (const KvEntry &entry : kept) {
        if (entry.revision == m_baseRevision) // found, so a marker: a value would have been read
            return tr("revision %1 of key \"%2\" deleted it (%3): it holds no value to merge from")
                .arg(m_baseRevision)
                .arg(m_key, entry.operationLabel());
    }
    const quint64 oldest = kept.constFirst().revision;
    if (m_baseRevision > oldest) // within the key's kept revisions, and none of them: another key's
        return tr("revision %1 is not one of key \"%2\"'s revisions (it is another key's): nothing to merge from")
            .arg(m_baseRevision)
            .arg(m_key);
    const QString limit = history > 0
        ? tr(" (bucket \"%1\" keeps %2 per key)").arg(m_bucket->name()).arg(history) // as KvBucket's get says it
        : QString();
    return tr("revision %1 of key \"%2\" is not kept any more%3: its oldest kept is %4, nothing to merge from")
        .arg(m_baseRevision)
        .arg(m_key, limit)
        .arg(oldest);
}

void KvMergeUpdate::readCurrent()
{
    KvReply *reply = m_bucket->get(m_key);
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        const KvEntry entry = reply->entry();
        if (reply->error() == NatsError::KeyNotFound) {
            fail(NatsError(NatsError::KeyNotFound,
                           entry.revision > 0
                               ? tr("key \"%1\" was deleted (%2 at revision %3) after revision %4: nothing to merge "
                                    "with")
                                     .arg(m_key, entry.operationLabel())
                                     .arg(entry.revision)
                                     .arg(m_baseRevision)
                               : tr("key \"%1\" has no value now: nothing to merge with").arg(m_key)));
        } else if (reply->error() != NatsError::NoError) {
            fail(reply->errorInfo());
        } else {
            m_current = entry;
            mergeAndWrite();
        }
    });
}

void KvMergeUpdate::mergeAndWrite()
{
    m_result = KvMerge::merge(
        m_base.value, m_ours, m_current.value,
        {tr("revision %1").arg(m_baseRevision), m_oursLabel, tr("revision %1").arg(m_current.revision)});
    if (m_result.status == KvMergeResult::Status::Refused) {
        fail(NatsError(NatsError::ValueDecodeError, tr("key \"%1\": %2").arg(m_key, m_result.reason)));
        return;
    }
    if (m_result.status == KvMergeResult::Status::Conflicts) {
        done(Outcome::Conflicts);
        return;
    }
    if (m_result.merged == m_current.value) {
        m_revision = m_current.revision;
        done(Outcome::AlreadyMerged);
        return;
    }
    Q_EMIT merged();
    if (!m_bucket) {
        fail(NatsError(NatsError::InvalidArgument, tr("no bucket to merge %1 in").arg(m_key)));
        return;
    }
    KvReply *reply = m_bucket->update(m_key, m_result.merged, m_current.revision);
    connect(reply, &NatsReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (reply->error() == NatsError::WrongRevision) {
            const QString now = reply->currentRevision() > 0 ? tr("now revision %1").arg(reply->currentRevision())
                                                             : tr("it has a newer revision");
            fail(NatsError(
                NatsError::WrongRevision,
                tr("key \"%1\" changed again while merging with revision %2 (%3): nothing written; merge again")
                    .arg(m_key)
                    .arg(m_current.revision)
                    .arg(now),
                reply->errorInfo().jsErrorCode()));
        } else if (reply->error() != NatsError::NoError) {
            fail(reply->errorInfo());
        } else {
            m_revision = reply->revision();
            done(Outcome::Written);
        }
    });
}

void KvMergeUpdate::fail(const NatsError &error)
{
    if (isFinished())
        return;
    m_error = error;
    m_outcome = Outcome::Failed;
    const QPointer<KvMergeUpdate> guard(this); // a slot may delete the merge: no finished() then
    Q_EMIT errorOccurred(m_error.code());
    if (guard)
        Q_EMIT finished();
}

void KvMergeUpdate::done(Outcome outcome)
{
    if (isFinished())
        return;
    m_outcome = outcome;
    Q_EMIT finished();
}
