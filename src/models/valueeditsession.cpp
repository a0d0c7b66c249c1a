#include "valueeditsession.h"

#include "humanformat.h"
#include "jetstreamcontext.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvmerge.h"
#include "natsconnection.h"

#include <algorithm>
#include <utility>

using View = ValueDocument::View;

namespace {

constexpr int kSaveTries = 3; // a save whose answer is lost is asked again twice at most

// The errors after which a write may have been stored or not: it went out, and no answer came back.
// The one place that decides it (NatsError::OutcomeUnknown joins here once src/nats has it).
bool outcomeUnknown(NatsError::Code code)
{
    return code == NatsError::Timeout || code == NatsError::ConnectionLost || code == NatsError::OutcomeUnknown;
}

} // namespace

ValueEditSession::ValueEditSession(QObject *parent)
    : QObject(parent)
{
}

void ValueEditSession::setBucket(KvBucket *bucket, KeyListModel *keys)
{
    if (m_keys)
        m_keys->disconnect(this);
    m_bucket = bucket;
    m_keys = keys;
    if (keys) {
        connect(keys, &KeyListModel::entryChanged, this, &ValueEditSession::onOtherChange);
        connect(keys, &KeyListModel::bucketReplaced, this, [this] { onBucketReplaced(false); });
        connect(keys, &KeyListModel::bucketDeleted, this, [this] { onBucketReplaced(true); });
    }
    close();
}

KvBucket *ValueEditSession::bucket() const
{
    return m_bucket;
}

void ValueEditSession::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    Q_EMIT stateChanged();
}

void ValueEditSession::close()
{
    endRemovalWait();
    m_key.clear();
    m_entry = {};
    m_document.clear();
    m_loadedText.reset();
    m_revision = 0;
    m_overwriting.reset();
    m_newerRevision = 0;
    m_exists = false;
    m_loading = false;
    m_modified = false;
    m_olderRevision = false;
    m_baseElsewhere = false;
    ++m_loadSerial;
    setNotice({});
    Q_EMIT stateChanged();
}

// Another key opened, or this one read again: a removal's end no longer concerns what is shown.
void ValueEditSession::endRemovalWait()
{
    if (std::exchange(m_removalHeld, false))
        m_busy = false;
}

void ValueEditSession::open(const QString &key)
{
    load(key, 0);
}

void ValueEditSession::openRevision(const QString &key, quint64 revision)
{
    load(key, revision);
}

void ValueEditSession::reload()
{
    load(m_key, 0);
}

void ValueEditSession::load(const QString &key, quint64 revision)
{
    if (!m_bucket || key.isEmpty()) {
        close();
        return;
    }
    endRemovalWait();
    m_key = key;
    m_loading = true;
    m_modified = false;
    m_choosing = false;
    Q_EMIT stateChanged();
    KvReply *reply = revision == 0 ? m_bucket->get(key) : m_bucket->get(key, revision);
    const quint64 serial = ++m_loadSerial;
    connect(reply, &NatsReply::finished, this, [this, reply, key, revision, serial] {
        reply->deleteLater();
        if (serial != m_loadSerial)
            return; // the user moved on
        m_loading = false;
        const KvEntry entry = reply->entry();
        if (reply->error() == NatsError::NoError) {
            const int row = revision > 0 && m_keys ? m_keys->rowOfKey(key) : -1;
            showEntry(entry, true, m_document.detectView(entry.value),
                      row >= 0 && m_keys->entryAt(row).revision > revision);
        } else if (revision > 0) {
            // A marker, or a revision the bucket no longer keeps: show what the key holds now.
            Q_EMIT message(tr("Revision %1 of %2 has no value to show (%3); showing the newest")
                               .arg(revision)
                               .arg(key, reply->errorString()));
            reload();
            return;
        } else if (reply->error() == NatsError::KeyNotFound && entry.revision > 0) {
            showEntry(entry, false, View::Text); // a delete or purge marker
        } else {
            m_entry = {};
            m_document.clear();
            m_revision = 0;
            m_overwriting.reset();
            m_exists = false;
            Q_EMIT openFailed(reply->errorString());
        }
        Q_EMIT stateChanged();
    });
}

void ValueEditSession::showEntry(const KvEntry &entry, bool exists, View view, bool older)
{
    m_entry = entry;
    m_revision = entry.revision;
    m_overwriting.reset();
    m_newerRevision = 0;
    m_exists = exists;
    m_modified = false;
    m_olderRevision = older;
    m_baseElsewhere = false;
    setNotice({});
    showValue(entry.value, view);
    Q_EMIT opened();
}

void ValueEditSession::showValue(const QByteArray &value, View view)
{
    QString error;
    if (m_document.setValue(value, view, &error)) {
        noteLoadedText();
        return;
    }
    QString ignored;
    const View fallback = m_document.detectView(value);
    if (fallback == view || !m_document.setValue(value, fallback, &ignored))
        m_document.setValue(value, View::Hex, &ignored);
    noteLoadedText();
    Q_EMIT info(tr("Shown in the %1 view: %2").arg(ValueFormat::viewName(m_document.view()), error));
}

// Once a document change, not at every key typed: the document's own text when it shows the value as
// loaded (opened, reverted, another view of it), else that value put in the document's view once more
// (a view switched with edits, a reformat, a merge).
void ValueEditSession::noteLoadedText()
{
    if (m_document.value() == m_entry.value) {
        m_loadedText = m_document.text();
        return;
    }
    ValueDocument loaded;
    loaded.setCodecOptions(m_document.codecOptions());
    QString ignored;
    if (loaded.setValue(m_entry.value, m_document.view(), &ignored))
        m_loadedText = loaded.text();
    else
        m_loadedText.reset();
}

bool ValueEditSession::isUnchanged(const QString &editedText) const
{
    return m_loadedText && *m_loadedText == editedText; // QString compares the lengths first
}

void ValueEditSession::revert()
{
    m_modified = false;
    showValue(m_entry.value, m_document.view());
    Q_EMIT documentChanged();
}

bool ValueEditSession::setView(View view, const QString &editedText, QString *error)
{
    if (view == m_document.view())
        return true;
    // Unsaved edits travel to the new view through their bytes.
    QByteArray bytes = m_entry.value;
    if (m_modified && !m_document.toValue(editedText, &bytes, error))
        return false;
    if (!m_document.setValue(bytes, view, error))
        return false;
    noteLoadedText();
    Q_EMIT documentChanged();
    return true;
}

bool ValueEditSession::reformat(const QString &editedText, QString *error)
{
    if (!m_document.reformat(editedText, error))
        return false;
    noteLoadedText();
    m_modified = true;
    Q_EMIT documentChanged();
    return true;
}

bool ValueEditSession::editedValue(const QString &editedText, QByteArray *value, QString *error) const
{
    return m_document.toValue(editedText, value, error);
}

QString ValueEditSession::sizeProblem(qint64 size) const
{
    // Counted as the save sends it (saveValue()): a create, or an update guarded by the revision it goes over.
    if (!m_bucket || m_key.isEmpty())
        return {};
    const quint64 base = saveGoesOver();
    return base == 0 ? m_bucket->checkCreateSize(m_key, size) : m_bucket->checkUpdateSize(m_key, size, base);
}

bool ValueEditSession::save(const QString &editedText)
{
    if (!canWrite())
        return true; // the text is not what stands in the way
    QByteArray value;
    QString error;
    if (!m_document.toValue(editedText, &value, &error)) {
        Q_EMIT failed(tr("Not saved: %1").arg(error));
        return false;
    }
    saveValue(value);
    return true;
}

void ValueEditSession::saveValue(const QByteArray &value)
{
    // Based on the revision the user opened (or chose to overwrite): if that is no longer the latest the
    // server refuses it.
    if (m_baseElsewhere) {
        Q_EMIT failed(tr("Not saved: %1").arg(newerText()));
        fetchTheirs(value);
        return;
    }
    const quint64 base = saveGoesOver();
    KvReply *reply = base == 0 ? m_bucket->create(m_key, value) : m_bucket->update(m_key, value, base);
    m_busy = true;
    Q_EMIT stateChanged();
    Q_EMIT info(tr("Saving…"));
    const QString key = m_key;
    NatsConnection *nats = connection();
    const quint64 reconnects = nats ? nats->statistics().reconnects : 0;
    connect(reply, &NatsReply::finished, this, [this, reply, key, value, base, reconnects] {
        reply->deleteLater();
        m_busy = false;
        if (key != m_key) {
            Q_EMIT stateChanged();
            return;
        }
        if (reply->error() == NatsError::NoError) {
            onSaved(key, value, reply->revision());
            return;
        }
        if (outcomeUnknown(reply->error())) {
            confirmSave({m_bucket, key, value, base, reply->errorString(), reconnects});
            return;
        }
        Q_EMIT failed(tr("Not saved: %1").arg(reply->errorString()));
        Q_EMIT stateChanged();
        if (reply->error() == NatsError::WrongRevision || reply->error() == NatsError::KeyExists)
            fetchTheirs(value);
    });
}

void ValueEditSession::onSaved(const QString &key, const QByteArray &value, quint64 revision, const QString &how)
{
    // A new revision of its own: a put, with no TTL (a save takes none) and no marker's reason.
    KvEntry entry;
    entry.bucket = m_entry.bucket;
    entry.key = key;
    entry.value = value;
    entry.revision = revision;
    entry.operation = KvEntry::Operation::Put;
    entry.created = QDateTime::currentDateTimeUtc();
    showEntry(entry, true, m_document.view());
    Q_EMIT stateChanged();
    Q_EMIT info(how.isEmpty() ? tr("Saved as revision %1").arg(revision)
                              : tr("Saved (%1) as revision %2").arg(how).arg(revision));
    Q_EMIT saved(revision);
    Q_EMIT message(how.isEmpty() ? tr("Saved %1 as revision %2").arg(key).arg(revision)
                                 : tr("Saved %1 (%2) as revision %3").arg(key, how).arg(revision));
}

// The save went out and no answer came back: the server may have stored it, may never store it, or may
// still be about to. Nothing is claimed until that is settled (once the connection is up again), so a
// save that happened is not shown as someone else's change when the live list brings it, and one that
// did not is not reported as saved.
void ValueEditSession::confirmSave(const SaveAttempt &save)
{
    NatsConnection *nats = connection();
    m_busy = true;
    Q_EMIT stateChanged();
    if (save.tries >= kSaveTries) {
        m_busy = false;
        Q_EMIT stateChanged();
        Q_EMIT failed(tr("Maybe not saved: %1. Reload %2 to see what it holds.").arg(save.why, save.key));
        return;
    }
    if (!nats || nats->isConnected()) {
        Q_EMIT info(tr("No answer to the save (%1); asking again…").arg(save.why));
        settleSave(save);
        return;
    }
    Q_EMIT info(tr("No answer to the save (%1); asking again once the connection is back…").arg(save.why));
    auto *waiter = new QObject(this);
    connect(nats, &NatsConnection::stateChanged, waiter, [this, nats, waiter, save](NatsConnection::State state) {
        if (state != NatsConnection::State::Connected && state != NatsConnection::State::Closed)
            return;
        nats->disconnect(waiter); // once: deleteLater() waits for the event loop
        waiter->deleteLater();
        if (state == NatsConnection::State::Connected) {
            settleSave(save);
        } else {
            m_busy = false;
            Q_EMIT stateChanged();
            Q_EMIT failed(tr("Maybe not saved: %1, and the connection is closed. Connect again and reload %2 to "
                             "see what it holds.")
                              .arg(save.why, save.key));
        }
    });
}

// The same guarded write again: stored now (the first never arrived), or refused because the key has a
// newer revision (the first, or someone else's), which reading the key tells apart. Writes from one
// connection reach the stream in order, so the second is checked only after the first, whatever became of
// it: reading the key alone could run ahead of a first save still on its way, and call it lost.
void ValueEditSession::settleSave(SaveAttempt save)
{
    if (save.key != m_key || save.bucket != m_bucket || !m_bucket) {
        m_busy = false;
        Q_EMIT stateChanged();
        return;
    }
    ++save.tries;
    KvReply *again = save.base == 0 ? m_bucket->create(save.key, save.value)
                                    : m_bucket->update(save.key, save.value, save.base);
    connect(again, &NatsReply::finished, this, [this, again, save] {
        again->deleteLater();
        const NatsError::Code error = again->error();
        if (save.key != m_key) {
            m_busy = false;
            Q_EMIT stateChanged();
        } else if (error == NatsError::NoError) {
            m_busy = false;
            onSaved(save.key, save.value, again->revision(),
                    afterReconnect(save) ? tr("sent again after reconnect") : tr("sent again"));
        } else if (error == NatsError::WrongRevision || error == NatsError::KeyExists) {
            readBack(save);
        } else if (outcomeUnknown(error)) {
            confirmSave(save);
        } else {
            m_busy = false;
            Q_EMIT stateChanged();
            Q_EMIT failed(tr("Not saved: %1").arg(again->errorString()));
        }
    });
}

// After a refused second try: the key holds what was saved (the first try arrived), or someone else's.
void ValueEditSession::readBack(const SaveAttempt &save)
{
    KvReply *latest = m_bucket->get(save.key);
    connect(latest, &NatsReply::finished, this, [this, latest, save] {
        latest->deleteLater();
        m_busy = false;
        const KvEntry entry = latest->entry();
        const NatsError::Code error = latest->error();
        if (save.key == m_key && error == NatsError::NoError && entry.value == save.value
            && entry.revision > save.base) {
            onSaved(save.key, save.value, entry.revision,
                    afterReconnect(save) ? tr("confirmed after reconnect") : tr("confirmed by reading it back"));
            return;
        }
        Q_EMIT stateChanged();
        if (save.key != m_key)
            return;
        if (error != NatsError::NoError && error != NatsError::KeyNotFound) {
            Q_EMIT failed(tr("Maybe not saved: %1, and %2 could not be read back (%3). Reload it to see what it "
                             "holds.")
                              .arg(save.why, save.key, latest->errorString()));
            return;
        }
        // Someone else wrote meanwhile: the usual conflict.
        Q_EMIT failed(tr("Not saved: %1 has a newer revision").arg(save.key));
        showTheirs(entry, save.value);
    });
}

bool ValueEditSession::afterReconnect(const SaveAttempt &save) const
{
    NatsConnection *nats = connection();
    return nats && nats->statistics().reconnects != save.reconnects;
}

void ValueEditSession::compare(const QString &editedText)
{
    QByteArray mine;
    QString error;
    if (!m_bucket || m_key.isEmpty())
        return;
    if (!m_document.toValue(editedText, &mine, &error)) {
        Q_EMIT failed(tr("Not saved: %1").arg(error));
        return;
    }
    fetchTheirs(mine);
}

void ValueEditSession::fetchTheirs(const QByteArray &mine)
{
    KvReply *latest = m_bucket->get(m_key);
    const QString key = m_key;
    connect(latest, &NatsReply::finished, this, [this, latest, key, mine] {
        latest->deleteLater();
        if (key != m_key)
            return;
        if (latest->error() != NatsError::NoError && latest->error() != NatsError::KeyNotFound) {
            Q_EMIT failed(tr("Not saved, and the newer version could not be read: %1").arg(latest->errorString()));
            return;
        }
        showTheirs(latest->entry(), mine);
    });
}

void ValueEditSession::showTheirs(const KvEntry &theirs, const QByteArray &mine)
{
    m_theirs = theirs;
    m_theirs.key = m_key;
    m_mine = mine;
    m_choosing = true;
    m_followed = {};
    Q_EMIT saveRefused(m_theirs, mine);
}

// A newer revision while the user chooses what to do with a refused save: the choice must be made on the
// key as it is, not on what it was when the save was refused.
void ValueEditSession::followTheirs()
{
    KvReply *latest = m_bucket->get(m_key);
    const QString key = m_key;
    connect(latest, &NatsReply::finished, this, [this, latest, key] {
        latest->deleteLater();
        const bool gone = latest->error() == NatsError::KeyNotFound;
        if (!m_choosing || key != m_key || (latest->error() != NatsError::NoError && !gone)
            || latest->entry().revision <= std::max(m_theirs.revision, m_followed.revision))
            return;
        m_followed = latest->entry();
        m_followed.key = m_key;
        Q_EMIT theirsChanged(m_followed);
    });
}

void ValueEditSession::resolve(Choice choice, quint64 shownRevision)
{
    // Only what the user saw is chosen on: a revision that came after it is refused by the guard.
    if (m_choosing && shownRevision != 0 && shownRevision == m_followed.revision)
        m_theirs = m_followed;
    m_choosing = false;
    m_followed = {};
    switch (choice) {
    case Choice::Overwrite:
        // A deliberate overwrite, still guarded: on the revision just shown. The edit stays based on the one
        // opened (a refusal names it, and a merge starts from it).
        m_overwriting = m_theirs.revision;
        m_modified = true;
        m_baseElsewhere = false; // their revision is this bucket's
        if (canWrite())
            saveValue(m_mine);
        break;
    case Choice::TakeTheirs:
        reload();
        break;
    case Choice::Merge:
        merge();
        break;
    case Choice::KeepEditing:
        m_newerRevision = m_theirs.revision;
        setNotice(tr("%1 Your save will be refused until you choose.").arg(newerText()));
        Q_EMIT stateChanged();
        break;
    }
}

// What the revision that refused a save did, after the one being edited: a delete or the server's
// removal is said as such, not as a newer value.
QString ValueEditSession::newerText() const
{
    if (m_baseElsewhere) {
        const QString bucket = m_bucket ? m_bucket->name() : m_entry.bucket;
        if (m_bucketDeleted)
            return tr("Bucket \"%1\" was deleted, with revision %2 that you are editing.").arg(bucket).arg(m_revision);
        return tr("Bucket \"%1\" is not the one revision %2 was opened from (deleted and made again, or another "
                  "server's copy).")
            .arg(bucket)
            .arg(m_revision);
    }
    if (m_theirs.revision == 0)
        return tr("The key has left the bucket since revision %1, the one you are editing.").arg(m_revision);
    if (m_theirs.isDeleted()) {
        return (m_theirs.isLimitMarker()
                    ? tr("The server removed the key (%1 at revision %2) after revision %3, the one you are editing.")
                    : tr("Someone else deleted the key (%1 at revision %2) after revision %3, the one you are "
                         "editing."))
            .arg(m_theirs.operationLabel())
            .arg(m_theirs.revision)
            .arg(m_revision);
    }
    return tr("Revision %1 by someone else is newer than the one you are editing (%2).")
        .arg(m_theirs.revision)
        .arg(m_revision);
}

// Base: the revision the edit started from (nothing when it was a new key), so changes made on both sides
// since then combine.
void ValueEditSession::merge()
{
    if (m_theirs.isDeleted()) {
        Q_EMIT failed(tr("Not merged: %1 was deleted (%2 at revision %3), there is nothing to merge with")
                          .arg(m_key, m_theirs.operationLabel())
                          .arg(m_theirs.revision));
        resolve(Choice::KeepEditing);
        return;
    }
    const KvMergeResult result = KvMerge::merge(
        m_exists ? m_entry.value : QByteArray(), m_mine, m_theirs.value,
        {tr("revision %1").arg(m_revision), tr("yours"), tr("revision %1").arg(m_theirs.revision)});
    switch (result.status) {
    case KvMergeResult::Status::Refused:
        Q_EMIT failed(tr("Not merged: %1").arg(result.reason));
        resolve(Choice::KeepEditing);
        break;
    case KvMergeResult::Status::Merged:
        saveMerged(result);
        break;
    case KvMergeResult::Status::Conflicts:
        if (result.kind == KvMergeResult::Kind::Json) {
            Q_EMIT mergeConflicts(result, m_revision, m_theirs.revision);
            break;
        }
        takeMerged(result.merged);
        Q_EMIT info(
            tr("%1 with revision %2 marked in the text (<<<<<<< yours … >>>>>>> theirs): edit them, "
               "then save")
                .arg(result.conflicts.size() == 1 ? tr("1 conflict") : tr("%1 conflicts").arg(result.conflicts.size()))
                .arg(m_theirs.revision));
        break;
    }
}

void ValueEditSession::resolveMerge(const KvJsonMerge::Choices &choices)
{
    const KvMergeResult result = KvJsonMerge::merge(m_exists ? m_entry.value : QByteArray(), m_mine, m_theirs.value,
                                                    choices);
    if (!result.isMerged()) {
        Q_EMIT failed(
            tr("Not merged: %1").arg(result.conflicts.isEmpty() ? result.reason : tr("a conflict has no choice")));
        resolve(Choice::KeepEditing);
        return;
    }
    saveMerged(result, true);
}

// A merge that keeps nothing of the edit beyond their revision writes nothing (a revision that changes
// nothing), and says why: the edit's changes are in it already, or it only laid the JSON out again, which a
// merge of members does not keep.
void ValueEditSession::saveMerged(const KvMergeResult &result, bool chosen)
{
    if (result.merged != m_theirs.value) {
        takeMerged(result.merged);
        if (canWrite())
            saveValue(result.merged);
        return;
    }
    const QByteArray base = m_exists ? m_entry.value : QByteArray();
    const bool layoutOnly = m_mine != base && KvJsonMerge::sameValue(m_mine, base);
    takeMerged(result.merged, false);
    if (chosen)
        Q_EMIT info(tr("Your choices give revision %1's value: nothing saved").arg(m_theirs.revision));
    else if (layoutOnly)
        Q_EMIT info(tr("Your edit only laid the JSON out again (spaces and line breaks), which a merge of JSON "
                       "members does not keep: revision %1 is shown, nothing saved. Lay it out again and save "
                       "to keep that layout.")
                        .arg(m_theirs.revision));
    else
        Q_EMIT info(tr("Revision %1 already holds your changes: nothing saved").arg(m_theirs.revision));
}

void ValueEditSession::takeMerged(const QByteArray &merged, bool modified)
{
    m_entry = m_theirs;
    m_revision = m_theirs.revision;
    m_overwriting.reset();
    m_exists = true;
    m_newerRevision = 0;
    m_olderRevision = false;
    m_baseElsewhere = false;
    m_modified = modified;
    setNotice({});
    showValue(merged, m_document.view());
    Q_EMIT opened(); // their revision, and the merged value as an unsaved edit
    Q_EMIT stateChanged();
}

void ValueEditSession::onOtherChange(const KvEntry &entry)
{
    if (entry.key != m_key || entry.revision <= m_revision || m_loading || m_busy)
        return;
    if (m_choosing && entry.revision > std::max(m_theirs.revision, m_followed.revision))
        followTheirs();
    if (m_baseElsewhere)
        return; // its notice stands: any revision here is newer than nothing the edit started from
    if (!m_modified) {
        // Nothing of the user's is at stake: just show what is there now.
        reload();
        Q_EMIT message(entry.isLimitMarker()
                           ? tr("%1 expired: the server removed it (revision %2)").arg(entry.key).arg(entry.revision)
                           : tr("%1 changed: now revision %2").arg(entry.key).arg(entry.revision));
        return;
    }
    m_newerRevision = entry.revision;
    if (entry.isLimitMarker()) {
        // Nobody else: the server removed the key (its TTL or the bucket's maximum age ran out).
        setNotice(tr("The server removed this key at %1 (%2) while you were editing revision %3. Saving will not "
                     "overwrite that silently.")
                      .arg(HumanFormat::localTime(entry.created), entry.operationLabel())
                      .arg(m_revision));
        Q_EMIT stateChanged();
        return;
    }
    const QString what = entry.isDeleted() ? tr("deleted it (%1)").arg(KvEntry::operationName(entry.operation))
                                           : tr("saved revision %1").arg(entry.revision);
    setNotice(tr("Someone else %1 at %2 while you were editing revision %3. Saving will not overwrite it silently.")
                  .arg(what, HumanFormat::localTime(entry.created))
                  .arg(m_revision));
    Q_EMIT stateChanged();
}

// Another bucket under this name (the key list's watch found it), or none (deleted): an unchanged value
// shows what the bucket holds now; an edit stays, and its save shows theirs first (saveValue()).
void ValueEditSession::onBucketReplaced(bool deleted)
{
    if (m_key.isEmpty() || !m_bucket)
        return;
    m_bucketDeleted = deleted;
    if (!m_modified && !m_busy && !m_choosing) {
        reload();
        if (!deleted)
            Q_EMIT message(tr("%1 was read again: bucket \"%2\" is another copy now").arg(m_key, m_bucket->name()));
        return;
    }
    m_baseElsewhere = true;
    m_overwriting.reset();
    m_newerRevision = 0;
    setNotice(tr("%1 Saving will show what the bucket holds first.").arg(newerText()));
    Q_EMIT stateChanged();
}

void ValueEditSession::removeKey(bool purge, quint64 askedRevision, qint64 markerTtlNs)
{
    if (!canWrite())
        return;
    // Guarded by the revision the user was asked about: a key changed since (even one this session has
    // shown meanwhile, behind the question) is not deleted blindly.
    KvReply *reply = purge ? m_bucket->purge(m_key, askedRevision, markerTtlNs)
                           : m_bucket->remove(m_key, askedRevision);
    m_busy = true;
    Q_EMIT stateChanged();
    const QString key = m_key;
    connect(reply, &NatsReply::finished, this, [this, reply, key, purge, askedRevision] {
        reply->deleteLater();
        m_busy = false;
        Q_EMIT stateChanged();
        if (reply->error() == NatsError::WrongRevision) {
            Q_EMIT failed((purge ? tr("Not purged: someone else changed key \"%1\" after revision %2, the one you "
                                      "confirmed; it is now revision %3.")
                                 : tr("Not deleted: someone else changed key \"%1\" after revision %2, the one you "
                                      "confirmed; it is now revision %3."))
                              .arg(key)
                              .arg(askedRevision)
                              .arg(reply->currentRevision()));
            return;
        }
        if (reply->error() != NatsError::NoError) {
            Q_EMIT failed(tr("%1 failed: %2").arg(purge ? tr("Purge") : tr("Delete"), reply->errorString()));
            return;
        }
        Q_EMIT message(tr("%1 %2 (revision %3)").arg(purge ? tr("Purged") : tr("Deleted"), key).arg(reply->revision()));
        if (key == m_key)
            reload();
    });
}

void ValueEditSession::removalStarted()
{
    if (!isOpen() || m_busy)
        return;
    m_busy = true;
    m_removalHeld = true;
    Q_EMIT stateChanged();
}

void ValueEditSession::removalEnded(const QString &key, bool removed)
{
    if (!m_removalHeld || key != m_key)
        return;
    m_removalHeld = false;
    m_busy = false;
    Q_EMIT stateChanged();
    if (removed) {
        reload();
        return;
    }
    // Refused (someone else changed the key) or failed: what the live list said meanwhile was held back.
    const int row = m_keys ? m_keys->rowOfKey(key) : -1;
    if (row >= 0)
        onOtherChange(m_keys->entryAt(row));
}

void ValueEditSession::setInterruption(const QString &reason)
{
    if (reason == m_interruption)
        return;
    m_interruption = reason;
    Q_EMIT stateChanged();
    if (reason.isEmpty())
        refresh();
}

// Back from an interruption: the key may have changed meanwhile. The live list says so too once its watch
// resumes, but it may not watch this key (a filter on the server), and nobody else tells.
void ValueEditSession::refresh()
{
    if (!isOpen() || m_busy || m_olderRevision)
        return; // a save being confirmed reads it anyway; an older revision was asked for
    KvReply *latest = m_bucket->get(m_key);
    const QString key = m_key;
    connect(latest, &NatsReply::finished, this, [this, latest, key] {
        latest->deleteLater();
        KvEntry entry = latest->entry();
        const bool marker = latest->error() == NatsError::KeyNotFound && entry.revision > 0;
        if (key != m_key || (latest->error() != NatsError::NoError && !marker))
            return;
        entry.key = key;
        onOtherChange(entry);
    });
}

NatsConnection *ValueEditSession::connection() const
{
    return m_bucket && m_bucket->jetStream() ? m_bucket->jetStream()->connection() : nullptr;
}

void ValueEditSession::setNotice(const QString &notice)
{
    if (notice == m_notice)
        return;
    m_notice = notice;
    Q_EMIT noticeChanged();
}
