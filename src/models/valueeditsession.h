#pragma once

#include "kventry.h"
#include "kvjsonmerge.h"
#include "kvmergeresult.h"
#include "valuedocument.h"

#include <QtCore/QObject>
#include <QtCore/QPointer>

#include <optional>

class KeyListModel;
class KvBucket;
class NatsConnection;

// Editing one key's value, without a window: the value loads when the key is opened, never before; a
// save is an update on the revision that was opened (a create when the key has none), so a save over a
// change by someone else is refused by the server, never applied. The live key list tells of such a
// change at once (notice()); a refused save hands both versions to the caller (saveRefused()), who
// chooses: overwrite on the newer revision, take theirs, or keep editing. The value panel is a view of
// this class; the text the editor holds goes to and from bytes through document() (a ValueDocument), so
// a save changes only what the user typed.
class ValueEditSession final : public QObject
{
    Q_OBJECT

public:
    enum class Choice {
        KeepEditing,
        Overwrite,  // save mine as an update on their revision
        TakeTheirs, // discard mine and open theirs
        Merge       // merge mine with theirs, the opened revision as the base
    };
    Q_ENUM(Choice)

    explicit ValueEditSession(QObject *parent = nullptr);

    // keys tells of changes made by others (its entryChanged signal); may be null.
    void setBucket(KvBucket *bucket, KeyListModel *keys);
    // The bucket was deleted, as the key list's bucketDeleted() says (for a caller that learnt it first).
    void bucketDeleted() { onBucketReplaced(true); }
    KvBucket *bucket() const;
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return m_readOnly; }

    // Loads the newest value of key.
    void open(const QString &key);
    // Loads one revision of key; a save is still checked against the newest.
    void openRevision(const QString &key, quint64 revision);
    // Loads the newest value again, discarding unsaved changes.
    void reload();
    void close();
    // Back to the value as loaded, in the same view when it can show it.
    void revert();

    QString key() const { return m_key; }
    bool isOpen() const { return !m_key.isEmpty() && !m_loading && !m_bucket.isNull(); }
    bool isLoading() const { return m_loading; }
    bool isBusy() const { return m_busy; }
    // The entry as last loaded or saved (a marker's when the key is deleted).
    KvEntry entry() const { return m_entry; }
    bool exists() const { return m_exists; }
    // The revision the edit is based on, the one opened (0: the key has none, a save creates it).
    quint64 baseRevision() const { return m_revision; }
    // The revision a save is guarded on: the base, or the one Overwrite with Mine was chosen over.
    // Why the revision the edit started from is not this bucket's (it was deleted, or another copy took its
    // place); empty when it is.
    QString baseElsewhere() const { return m_baseElsewhere ? newerText() : QString(); }
    quint64 saveGoesOver() const { return m_overwriting.value_or(m_revision); }
    // A newer revision by someone else, known from the live list or a refused save; 0 when none.
    quint64 newerRevision() const { return m_newerRevision; }
    // An older revision was opened (openRevision) and the key has a newer one.
    bool showsOlderRevision() const { return m_olderRevision; }
    // What the banner says: someone else changed the key while it is being edited; empty when nobody did.
    QString notice() const { return m_notice; }

    // The editor's unsaved-changes flag; a change by someone else to an unmodified key just reloads it.
    void setModified(bool modified) { m_modified = modified; }
    bool isModified() const { return m_modified; }
    // Whether editedText is the text the value as loaded (entry()) shows in the view shown: an edit typed
    // and taken back again leaves nothing unsaved. Read only when the lengths match.
    bool isUnchanged(const QString &editedText) const;
    // That text's length (-1 when the view shown cannot show the value as loaded), for a caller that knows
    // the editor's length without reading the whole text.
    qsizetype unchangedLength() const { return m_loadedText ? m_loadedText->size() : -1; }
    bool canWrite() const { return isOpen() && !m_readOnly && !m_busy && m_interruption.isEmpty(); }
    // Why nothing can be written now (the connection is down), said by whoever watches the connection;
    // empty while it is up. When it is back the open key is read again: a change made meanwhile shows as
    // any change by someone else does.
    void setInterruption(const QString &reason);
    QString interruption() const { return m_interruption; }

    const ValueDocument &document() const { return m_document; }
    // What the decoders may use for the key opened next (its Protobuf message, if one is mapped).
    void setCodecOptions(const CodecOptions &options) { m_document.setCodecOptions(options); }
    // Shows the value (with the unsaved edits in editedText) in view; false (and *error) when it cannot.
    bool setView(ValueDocument::View view, const QString &editedText, QString *error);
    // Indents the JSON in editedText, an explicit choice: it is saved indented.
    bool reformat(const QString &editedText, QString *error);
    // The bytes editedText stands for; false (and *error) when it is not valid for the view.
    bool editedValue(const QString &editedText, QByteArray *value, QString *error) const;
    // Why a value of size bytes cannot be saved (bucket or server limit), or an empty string.
    QString sizeProblem(qint64 size) const;

    // Saves editedText as an update on baseRevision(): saved() or failed(), or saveRefused() when someone
    // else changed the key. When no answer comes (a timeout, a lost connection) the key is read back first
    // (once the connection is up again): saved() if it holds what was saved. False when editedText is not
    // valid for the view (failed() says why, and nothing is sent): another text may be.
    bool save(const QString &editedText);
    // Reads the newest revision and shows both versions (saveRefused()), as a refused save does.
    void compare(const QString &editedText);
    // The answer to saveRefused(). Merge: a clean merge is shown and saved as an update on their revision
    // (so a third writer is refused again); text conflicts are put into the editor, marked, for editing;
    // JSON members changed differently on both sides go to mergeConflicts(), answered by resolveMerge().
    // Values that cannot be merged (binary, theirs deleted) are kept as they are, saying why.
    // shownRevision: the revision of theirs the user chose on, when theirsChanged() was shown (a choice
    // goes by the newer revision only then); 0: the one saveRefused() gave.
    void resolve(Choice choice, quint64 shownRevision = 0);
    // The user's pick for each conflict of mergeConflicts(); the result is shown and saved as a clean
    // merge is.
    void resolveMerge(const KvJsonMerge::Choices &choices);
    // A delete (purge: purge) marker, guarded by askedRevision: the revision shown when the user was
    // asked (the session may show a newer one by the answer). A purge marker may have a TTL of its own
    // (markerTtlNs, nats-server 2.11+): the server then removes it too. A delete never takes one: its
    // expiry would bring the old value back (nats-modern.md §4.3).
    void removeKey(bool purge, quint64 askedRevision, qint64 markerTtlNs = 0);
    // The open key goes with other keys in a delete or purge of several (a KvRemoveJob, guarded as
    // removeKey() is): busy until removalEnded(), so the live list's news of that marker is not taken for
    // someone else's change. Opening a key (this one again included) ends the wait.
    void removalStarted();
    // removed: the marker was written, and key is read again; else it stays as shown, and a change by
    // someone else that the wait held back is told now.
    void removalEnded(const QString &key, bool removed);

Q_SIGNALS:
    void opened();                       // entry() and document() hold the loaded value
    void documentChanged();              // document() shows something else (a view, a reformat, a revert)
    void openFailed(const QString &why); // nothing to show
    void stateChanged();                 // loading, busy, revisions
    void noticeChanged();
    void info(const QString &text);   // "Saving…", "Saved as revision 4"
    void failed(const QString &text); // "Not saved: …", "Delete failed: …"
    void saved(quint64 revision);
    // A save was refused (or compare() asked): mine against theirs, the newest revision (maybe a marker).
    void saveRefused(const KvEntry &theirs, const QByteArray &mine);
    // Until resolve(): someone changed the key again, and theirs is now this newer revision; shown, a
    // choice goes by it when resolve() names it.
    void theirsChanged(const KvEntry &theirs);
    void message(const QString &text); // for the status bar
    // resolve(Merge) found JSON members changed differently on both sides (result.conflicts): the user
    // picks a side for each (resolveMerge()), or keeps editing (resolve(KeepEditing)).
    void mergeConflicts(const KvMergeResult &result, quint64 baseRevision, quint64 theirsRevision);

private:
    void load(const QString &key, quint64 revision);
    void endRemovalWait();
    void showEntry(const KvEntry &entry, bool exists, ValueDocument::View view, bool older = false);
    // Shows value in view, else in the view that suits it (saying why), else as hex.
    void showValue(const QByteArray &value, ValueDocument::View view);
    // After the document changed: what the value as loaded shows in its view (isUnchanged()).
    void noteLoadedText();
    void saveValue(const QByteArray &value);
    // how: "confirmed after reconnect" when the save's own answer was lost.
    void onSaved(const QString &key, const QByteArray &value, quint64 revision, const QString &how = {});
    // A save that got no answer (a timeout, a lost connection), being settled.
    struct SaveAttempt
    {
        QPointer<KvBucket> bucket;
        QString key;
        QByteArray value;
        quint64 base = 0;       // the revision it updates
        QString why;            // the first failure, in words
        quint64 reconnects = 0; // the connection's count when it was sent
        int tries = 1;
    };
    void confirmSave(const SaveAttempt &save);
    void settleSave(SaveAttempt save);
    void readBack(const SaveAttempt &save);
    bool afterReconnect(const SaveAttempt &save) const;
    void fetchTheirs(const QByteArray &mine);
    void showTheirs(const KvEntry &theirs, const QByteArray &mine);
    void followTheirs();
    void refresh();
    QString newerText() const;
    void merge();
    // Mine merged with theirs: their revision becomes the one edited, the merged value the edit.
    void saveMerged(const KvMergeResult &result, bool chosen = false);
    void takeMerged(const QByteArray &merged, bool modified = true);
    void onOtherChange(const KvEntry &entry);
    void onBucketReplaced(bool deleted);
    void setNotice(const QString &notice);
    NatsConnection *connection() const;

    QPointer<KvBucket> m_bucket;
    QPointer<KeyListModel> m_keys;
    QString m_key;
    KvEntry m_entry;
    ValueDocument m_document;
    std::optional<QString> m_loadedText; // entry()'s value in the document's view, when it can show it
    quint64 m_revision = 0;
    std::optional<quint64> m_overwriting; // Overwrite chosen: the revision a save is guarded on (0: none)
    quint64 m_newerRevision = 0;
    KvEntry m_theirs;        // the newest revision when a save was refused
    KvEntry m_followed;      // a newer revision than m_theirs, arrived while choosing (theirsChanged())
    bool m_choosing = false; // saveRefused() was emitted, resolve() not yet called
    QByteArray m_mine;       // and what was to be saved
    QString m_notice;
    QString m_interruption;
    bool m_exists = false;
    bool m_readOnly = false;
    bool m_busy = false;
    bool m_loading = false;
    bool m_modified = false;
    bool m_olderRevision = false;
    bool m_removalHeld = false; // busy for removalStarted()
    // The key list found another bucket under this name: the revision the edit started from is the other
    // bucket's, and its number may be held here by a value the user never saw. A save shows theirs first.
    bool m_baseElsewhere = false;
    bool m_bucketDeleted = false; // and that bucket was deleted (rather than found to be another copy)
    quint64 m_loadSerial = 0;     // only the newest load is shown
};
