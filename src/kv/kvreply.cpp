#include "kvreply.h"

#include "kvwriteretry.h"

#include <QtCore/QPointer>

KvReply::KvReply(QObject *parent)
    : NatsReply(parent)
{
}

void KvReply::finishWithEntry(const KvEntry &entry)
{
    m_entry = entry;
    finishSuccess();
}

void KvReply::finishWithEntries(const QList<KvEntry> &entries)
{
    m_entries = entries;
    finishSuccess();
}

void KvReply::finishWithRevision(quint64 revision)
{
    m_revision = revision;
    finishSuccess();
}

void KvReply::finishWithKeys(const QStringList &keys)
{
    m_keys = keys;
    finishSuccess();
}

void KvReply::finishWithStatus(const KvBucketStatus &status)
{
    m_status = status;
    finishSuccess();
}

void KvReply::finishWithStatuses(const QList<KvBucketStatus> &statuses)
{
    m_statuses = statuses;
    finishSuccess();
}

void KvReply::finishWithBucketNames(const QStringList &names)
{
    m_names = names;
    finishSuccess();
}

void KvReply::finishWithJson(const KvEntry &entry, const QJsonDocument &json)
{
    m_entry = entry;
    m_json = json;
    finishSuccess();
}

void KvReply::finishWithText(const KvEntry &entry, const QString &text)
{
    m_entry = entry;
    m_text = text;
    finishSuccess();
}

void KvReply::endUnfinished(QObject *owner, const NatsError &cause)
{
    // Writes first: a create or restore waiting on a write of its own takes that write's outcome.
    QList<QPointer<KvReply>> writes;
    QList<QPointer<KvReply>> others;
    for (QObject *shelf : owner->children()) {
        for (QObject *child : shelf->children()) {
            auto *reply = qobject_cast<KvReply *>(child);
            if (!reply || reply->isFinished())
                continue;
            (reply->findChild<KvWriteRetry *>(QString(), Qt::FindDirectChildrenOnly) ? writes : others).append(reply);
        }
    }
    for (const QPointer<KvReply> &reply : std::as_const(writes)) {
        if (!reply)
            continue; // a slot deleted it
        const KvWriteRetry *write = reply->findChild<KvWriteRetry *>(QString(), Qt::FindDirectChildrenOnly);
        reply->finishWithError(write ? write->endedBy(cause) : cause);
    }
    for (const QPointer<KvReply> &reply : std::as_const(others)) {
        if (reply)
            reply->finishWithError(cause);
    }
}
