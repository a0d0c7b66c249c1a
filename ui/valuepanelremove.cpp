// ValuePanel, continued: Delete and Purge, of the open key or of every key selected in the key list.
#include "valuepanel.h"

#include "errorlabel.h"
#include "humanformat.h"
#include "keylistmodel.h"
#include "kvremovejob.h"
#include "purgedialog.h"
#include "valueeditsession.h"

#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kNamedInReport = 12; // refused keys named in the report; the rest are counted

// A line for each key not removed, saying why.
QStringList notRemoved(const QList<KvRemoveJob::Result> &results)
{
    QStringList lines;
    for (const KvRemoveJob::Result &result : results) {
        if (result.outcome == KvRemoveJob::Outcome::Failed) {
            lines.append(ValuePanel::tr("%1: failed: %2").arg(result.key, result.detail));
        } else if (result.outcome == KvRemoveJob::Outcome::ChangedSince && result.revision > 0) {
            lines.append(ValuePanel::tr("%1: someone else changed it after revision %2, the one you confirmed; it is "
                                        "now revision %3")
                             .arg(result.key)
                             .arg(result.expectedRevision)
                             .arg(result.revision));
        } else if (result.outcome == KvRemoveJob::Outcome::ChangedSince) {
            lines.append(ValuePanel::tr("%1: someone else changed it after revision %2, the one you confirmed")
                             .arg(result.key)
                             .arg(result.expectedRevision));
        }
    }
    return lines;
}

} // namespace

void ValuePanel::deleteKey()
{
    if (!m_deleteAction->isEnabled() || m_removal)
        return;
    if (const QStringList keys = selectedForRemoval(); !keys.isEmpty()) {
        removeKeys(keys, false);
        return;
    }
    if (!m_session->canWrite())
        return;
    const quint64 shown = m_session->baseRevision(); // what the user says yes to
    const auto answer = QMessageBox::question(this, tr("Delete Key"),
                                              tr("Delete key \"%1\"? It will read as not found; its history is kept "
                                                 "until compacted.")
                                                  .arg(key()),
                                              QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes) {
        Q_EMIT removingKey(key());
        m_session->removeKey(false, shown);
    }
}

void ValuePanel::purgeKey()
{
    if (!m_purgeAction->isEnabled() || m_removal)
        return;
    if (const QStringList keys = selectedForRemoval(); !keys.isEmpty()) {
        removeKeys(keys, true);
        return;
    }
    if (!m_session->canWrite())
        return;
    const quint64 shown = m_session->baseRevision(); // what the user says yes to
    PurgeDialog dialog(m_session->bucket(), key(), this);
    if (dialog.exec() == QDialog::Accepted) {
        Q_EMIT removingKey(key());
        m_session->removeKey(true, shown, dialog.markerTtl());
    }
}

// The keys selected in the list when they are more than the open key (several rows, a folder of the
// tree); empty when Delete and Purge act on the open key alone.
QStringList ValuePanel::selectedForRemoval() const
{
    const QStringList keys = m_selectedKeys ? m_selectedKeys() : QStringList();
    if (keys.isEmpty() || keys == QStringList{key()})
        return {};
    return keys;
}

void ValuePanel::setKeySelection(qsizetype count, const QString &only)
{
    m_selectedCount = count;
    m_selectedOnly = only;
    updateActions();
}

// How many keys selectedForRemoval() holds (-1: many), as counted when the selection last changed.
qsizetype ValuePanel::selectedForRemovalCount() const
{
    return m_selectedCount == 1 && m_selectedOnly == key() ? 0 : m_selectedCount;
}

// Delete and Purge follow the selection: keys selected beyond the open one can be removed whether a key is
// open or not (a folder of the tree opens none), and the actions say how many.
void ValuePanel::updateRemoveActions(bool writable, bool busy)
{
    const qsizetype selected = selectedForRemovalCount();
    const bool several = selected != 0; // keys selected besides the open one
    const bool bucketWritable = m_session->bucket() && !m_session->isReadOnly();
    m_deleteAction->setEnabled(!busy && (several ? bucketWritable : writable && m_session->exists()));
    m_purgeAction->setEnabled(!busy && (several ? bucketWritable : writable && m_session->baseRevision() > 0));
    const QString count = HumanFormat::count(selected);
    m_deleteAction->setText(selected < 0       ? tr("&Delete Selected Keys…")
                                : selected > 1 ? tr("&Delete %1 Keys…").arg(count)
                                               : tr("&Delete Key…"));
    m_purgeAction->setText(selected < 0       ? tr("&Purge Selected Keys…")
                               : selected > 1 ? tr("&Purge %1 Keys…").arg(count)
                                              : tr("&Purge Key…"));
}

// Each key with the revision shown for it now, before the question: a key changed while the user is asked
// is refused, not removed. The open key's is the one the value panel shows (as a delete of it alone is
// guarded), the others' the list's. A delete leaves keys deleted already alone (counted in
// *deletedAlready); a purge takes them too (their history goes).
QList<KvRemoveItem> ValuePanel::removeItems(const QStringList &keys, bool purge, qsizetype *deletedAlready) const
{
    QList<KvRemoveItem> items;
    *deletedAlready = 0;
    for (const QString &name : keys) {
        KvEntry shown;
        if (name == key() && m_session->isOpen() && m_session->baseRevision() > 0) {
            shown = m_session->entry();
            shown.revision = m_session->baseRevision();
        } else if (const int row = m_keys ? m_keys->rowOfKey(name) : -1; row >= 0) {
            shown = m_keys->entryAt(row);
        }
        if (shown.revision == 0)
            continue; // no longer listed: nothing was shown of it to say yes to
        if (!purge && shown.isDeleted()) {
            ++*deletedAlready;
            continue;
        }
        items.append({name, shown.revision});
    }
    return items;
}

void ValuePanel::removeKeys(const QStringList &keys, bool purge)
{
    qsizetype deletedAlready = 0;
    const QList<KvRemoveItem> items = removeItems(keys, purge, &deletedAlready);
    if (items.isEmpty()) {
        m_status->setMessage(tr("The selected keys are deleted already."));
        return;
    }
    QStringList names;
    for (const KvRemoveItem &item : items)
        names.append(item.key);
    qint64 markerTtl = 0;
    if (purge) {
        // One key selected besides the open one (or a folder of one) is asked about as one key.
        const auto dialog = names.size() == 1 ? std::make_unique<PurgeDialog>(m_session->bucket(), names.first(), this)
                                              : std::make_unique<PurgeDialog>(m_session->bucket(), names, this);
        if (dialog->exec() != QDialog::Accepted)
            return;
        markerTtl = dialog->markerTtl();
    } else if (!confirmDeleteKeys(names, deletedAlready)) {
        return;
    }
    if (!m_session->bucket() || !m_session->interruption().isEmpty() || m_removal)
        return; // the connection went while the user was asked: nothing is sent
    m_status->setMessage({});
    if (names.contains(key()))
        m_session->removalStarted(); // its marker is this panel's, not someone else's change
    m_removal = new KvRemoveJob(m_session->bucket(), items, purge, markerTtl, this);
    connect(m_removal, &KvRemoveJob::progress, this, [this, purge](qint64 done, qint64 total) {
        if (done < total && done % 256 == 0)
            Q_EMIT message((purge ? tr("Purging keys… %1 of %2") : tr("Deleting keys… %1 of %2"))
                               .arg(HumanFormat::count(done), HumanFormat::count(total)));
    });
    connect(m_removal, &KvRemoveJob::finished, this, &ValuePanel::onRemoved);
    updateActions();
}

bool ValuePanel::confirmDeleteKeys(const QStringList &keys, qsizetype deletedAlready)
{
    QMessageBox box(
        QMessageBox::Question, keys.size() == 1 ? tr("Delete Key") : tr("Delete Keys"),
        keys.size() == 1
            ? tr("Delete key \"%1\"? It will read as not found; its history is kept until compacted.").arg(keys.first())
            : tr("Delete these %1 keys? They will read as not found; their history is kept until "
                 "compacted.")
                  .arg(HumanFormat::count(keys.size())),
        QMessageBox::Yes | QMessageBox::No, this);
    box.setObjectName(u"deleteKeysQuestion"_s);
    box.setTextFormat(Qt::PlainText);
    QString names = keys.size() == 1 ? QString() : HumanFormat::lines(keys); // one is named in the question
    if (deletedAlready > 0)
        names += (names.isEmpty() ? QString() : u"\n\n"_s)
            + (deletedAlready == 1 ? tr("1 other selected key is deleted already and is left as it is.")
                                   : tr("%1 other selected keys are deleted already and are left as they are.")
                                         .arg(HumanFormat::count(deletedAlready)));
    box.setInformativeText(names);
    box.button(QMessageBox::Yes)->setText(tr("&Delete"));
    box.setDefaultButton(QMessageBox::No); // Enter never destroys
    return box.exec() == QMessageBox::Yes;
}

void ValuePanel::onRemoved()
{
    KvRemoveJob *job = m_removal;
    m_removal = nullptr;
    job->deleteLater();
    const QList<KvRemoveJob::Result> results = job->results();
    for (const KvRemoveJob::Result &result : results) {
        if (result.key == key())
            m_session->removalEnded(result.key, result.outcome == KvRemoveJob::Outcome::Removed);
    }
    updateActions();
    reportRemoval(job);
}

// All removed: the status bar says so. Else a report names every key that was not, and why.
void ValuePanel::reportRemoval(const KvRemoveJob *job)
{
    const bool purge = job->isPurge();
    const qsizetype total = job->size();
    const int removed = job->count(KvRemoveJob::Outcome::Removed);
    if (removed == total) {
        Q_EMIT message(total == 1
                           ? (purge ? tr("Purged 1 key") : tr("Deleted 1 key"))
                           : (purge ? tr("Purged %1 keys") : tr("Deleted %1 keys")).arg(HumanFormat::count(total)));
        return;
    }
    const QList<KvRemoveJob::Result> results = job->results();
    const QStringList lines = notRemoved(results);
    const QString said = total == 1
        ? (purge ? tr("Key \"%1\" was not purged.") : tr("Key \"%1\" was not deleted.")).arg(results.constFirst().key)
        : (purge ? tr("Purged %1 of %2 keys. Not purged:") : tr("Deleted %1 of %2 keys. Not deleted:"))
              .arg(HumanFormat::count(removed), HumanFormat::count(total));
    Q_EMIT message(total == 1 ? said
                              : (purge ? tr("Purged %1 of %2 keys") : tr("Deleted %1 of %2 keys"))
                                    .arg(HumanFormat::count(removed), HumanFormat::count(total)));
    auto *box = new QMessageBox(QMessageBox::Warning, purge ? tr("Purge Keys") : tr("Delete Keys"), said,
                                QMessageBox::Ok, this);
    box->setObjectName(u"removeKeysReport"_s);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::PlainText);
    box->setInformativeText(HumanFormat::lines(lines, kNamedInReport));
    if (lines.size() > kNamedInReport)
        box->setDetailedText(lines.join(u'\n'));
    box->open(); // not exec(): the answers of other requests go on arriving meanwhile
}
