#include "kvreply.h"

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
