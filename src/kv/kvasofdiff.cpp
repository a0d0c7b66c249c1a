#include "kvasofdiff.h"

#include "kvasofread.h"

#include <QtCore/QMap>
#include <QtCore/QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

QString KvAsOfChange::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Added:
        return u"added"_s;
    case Kind::Removed:
        return u"removed"_s;
    case Kind::Changed:
        break;
    }
    return u"changed"_s;
}

KvAsOfDiff::KvAsOfDiff(KvBucket *bucket, const KvAsOfPoint &from, const KvAsOfPoint &to, const QString &keyFilter,
                       QObject *parent)
    : QObject(parent)
    , m_from(new KvAsOfRead(bucket, from, keyFilter, KvAsOfRead::Path::Auto, this))
    , m_to(new KvAsOfRead(bucket, to, keyFilter, KvAsOfRead::Path::Auto, this))
{
    for (KvAsOfRead *read : {m_from.data(), m_to.data()}) {
        connect(read, &KvAsOfRead::finished, this, &KvAsOfDiff::onReadFinished);
        connect(read, &KvAsOfRead::progress, this, &KvAsOfDiff::progress);
    }
}

KvAsOfDiff::~KvAsOfDiff() = default;

void KvAsOfDiff::cancel()
{
    if (m_from)
        m_from->cancel();
}

void KvAsOfDiff::onReadFinished()
{
    if (m_finished || !m_from || !m_to)
        return;
    for (KvAsOfRead *read : {m_from.data(), m_to.data()}) {
        if (read->isFinished() && read->error() != NatsError::NoError) {
            m_error = read->errorInfo();
            m_finished = true;
            m_from->cancel();
            m_to->cancel();
            Q_EMIT errorOccurred(m_error.code());
            Q_EMIT finished();
            return;
        }
    }
    if (!m_from->isFinished() || !m_to->isFinished())
        return;
    m_fromRevision = m_from->revision();
    m_toRevision = m_to->revision();
    m_unanswerableFrom = m_from->unanswerableKeys();
    m_unanswerableTo = m_to->unanswerableKeys();
    m_unanswerable = m_unanswerableFrom + m_unanswerableTo;
    std::sort(m_unanswerable.begin(), m_unanswerable.end());
    m_unanswerable.erase(std::unique(m_unanswerable.begin(), m_unanswerable.end()), m_unanswerable.end());
    m_incomplete = !m_from->isComplete() ? m_from->incompleteReason() : m_to->incompleteReason();
    m_changes = compare(m_from->entries(), m_to->entries(), m_unanswerable);
    m_finished = true;
    Q_EMIT finished();
}

QList<KvAsOfChange> KvAsOfDiff::compare(const QList<KvEntry> &from, const QList<KvEntry> &to, const QStringList &skip)
{
    QMap<QString, std::pair<std::optional<KvEntry>, std::optional<KvEntry>>> byKey;
    for (const KvEntry &entry : from)
        byKey[entry.key].first = entry;
    for (const KvEntry &entry : to)
        byKey[entry.key].second = entry;
    const QSet<QString> skipped(skip.cbegin(), skip.cend());
    QList<KvAsOfChange> changes;
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it) {
        if (skipped.contains(it.key()))
            continue;
        const auto &[before, after] = it.value();
        KvAsOfChange change{it.key(), KvAsOfChange::Kind::Changed, before, after};
        if (!before)
            change.kind = KvAsOfChange::Kind::Added;
        else if (!after)
            change.kind = KvAsOfChange::Kind::Removed;
        else if (before->value == after->value)
            continue;
        changes.append(change);
    }
    return changes;
}
