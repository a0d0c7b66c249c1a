#pragma once

#include "codecprotomap.h"
#include "kventry.h"
#include "valueformat.h"

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <functional>

class ElidedLabel;
class ErrorLabel;
class InterruptionBanner;
class TtlCountdown;
class JsonHighlighter;
class KeyListModel;
class KvBucket;
class KvRemoveJob;
class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;
class TextFill;
class ValueEditSession;
struct KvRemoveItem;

// The value of the selected key: its metadata, views (text, JSON, hex, base64, CBOR, decoded; the best one
// chosen automatically), and the editor. The decoded view says its chain above the value ("zstd →
// MessagePack, shown as JSON") and, where that chain cannot give the value back exactly, why it is read-only. A thin view of a ValueEditSession, which does the work: a save is an
// update on the revision the user opened; if someone else changed the key meanwhile a banner says so at
// once, the server refuses the save, and the user sees both versions and chooses. Nothing is ever
// overwritten silently, and a save changes only the bytes the user edited.
class ValuePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ValuePanel(QWidget *parent = nullptr);

    ValueEditSession *session() const { return m_session; }
    // keys tells the panel about changes made by others (its entryChanged signal).
    void setBucket(KvBucket *bucket, KeyListModel *keys, bool readOnly);
    void setReadOnly(bool readOnly);
    // The keys selected in the key list (the key panel's selection): Delete and Purge act on all of them
    // when they are more than the open key, each guarded by the revision shown for it when asked.
    void setSelectedKeys(std::function<QStringList()> selected) { m_selectedKeys = std::move(selected); }
    // Which keys hold the user's Protobuf messages (the connection profile's mapping).
    void setProtoMap(const CodecProtoMap &map) { m_protoMap = map; }
    // The connection is down (why) or back (empty): a banner says so and every write waits, saying why;
    // the edits stay and can go on. When it is back the open key is read again.
    void setInterruption(const QString &reason);
    // Loads key (unless it is open already); the value is fetched now, never before.
    void openKey(const QString &key);
    // Loads one revision of key (e.g. from the watch feed); a save is checked against the newest as ever.
    void openRevision(const QString &key, quint64 revision);
    void clear();
    // The bucket as it was (reason says at which point, for people; empty: live again): values open
    // read-only, from that point only, and the key's later changes are not followed.
    void setAsOf(const QString &reason);
    // Opens key's revision then; revision 0: no value is shown, note says why (it cannot be answered).
    void openAsOf(const QString &key, quint64 revision, const QString &note);

    QString key() const;
    quint64 openedRevision() const;
    bool isModified() const;
    // A large value is still going into the editor, a part a turn; it is read-only until then.
    bool isFilling() const;
    // The bytes the editor holds now, saved or not (the loaded value in a read-only view); false when no key is open.
    bool editorValue(QByteArray *value) const;
    QByteArray currentValue() const;
    ValueFormat::View view() const;
    void setView(ValueFormat::View view);
    // Asks to discard unsaved changes; false when the user wants to keep them.
    bool maybeDiscard();

    QAction *saveAction() const { return m_saveAction; }
    QAction *revertAction() const { return m_revertAction; }
    QAction *reformatAction() const { return m_reformatAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *purgeAction() const { return m_purgeAction; }
    QAction *newKeyAction() const { return m_newKeyAction; }
    QAction *copyKeyAction() const { return m_copyKeyAction; }
    QAction *copyValueAction() const { return m_copyValueAction; }

public Q_SLOTS:
    // The key list's selection changed: count keys in it (-1: many, not counted), only the key when it is
    // one. Delete and Purge follow it and say how many ("Delete 5 Keys…").
    void setKeySelection(qsizetype count, const QString &only);
    void save();
    void revert();
    void reformat();
    void deleteKey();
    void purgeKey();
    void newKey();
    void reload();
    // The cursor to the value (Enter on a key in the list).
    void focusEditor();

Q_SIGNALS:
    void message(const QString &text);
    void keyCreated(const QString &key);
    // The user said yes to deleting or purging the open key (key): the list moves on from it once it goes.
    void removingKey(const QString &key);
    void entryLoaded(const KvEntry &entry);

private:
    void createBanner();
    void createEditor();
    void createValueEditor();
    void createActions();
    void layoutWidgets();
    void connectSession();
    void showDocument();
    void setEditorText(const QString &text, bool modified);
    void dropTakenBackEdit(bool now);
    // The editor's text, or the whole value's while it is still going in.
    QString editorText() const;
    bool confirmMarkersKept(const QString &text);
    void showLayoutNote();
    void showOpened();
    void updateMeta();
    void showMissing(const QString &text);
    void showRefused(const KvEntry &theirs, const QByteArray &mine);
    void showViewProblem(const QString &problem);
    void showDecoding();
    void chooseDecoders(const QString &key);
    void applyDecodeSizeCap(qint64 bytes);
    void showLoading();
    // The open key's name, bold and elided in the middle (whole in the tooltip); empty: what to do instead.
    void setTitle(const QString &key);
    void updateActions();
    void updateSizeHint();
    void showEditedSize();
    void showSizeHint(qint64 size, const QString &error);
    QString entryText(const QByteArray &value) const;
    // Delete and Purge of several keys (valuepanelremove.cpp).
    QStringList selectedForRemoval() const;
    qsizetype selectedForRemovalCount() const;
    void updateRemoveActions(bool writable, bool busy);
    QList<KvRemoveItem> removeItems(const QStringList &keys, bool purge, qsizetype *deletedAlready) const;
    void removeKeys(const QStringList &keys, bool purge);
    bool confirmDeleteKeys(const QStringList &keys, qsizetype deletedAlready);
    void onRemoved();
    void reportRemoval(const KvRemoveJob *job);

    // Over this many characters, a value's size is worked out when typing pauses (it means reading the
    // whole editor and, for JSON, checking it all).
    static constexpr qsizetype LargeText = 256 * 1024;

    ValueEditSession *m_session = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    TextFill *m_fill = nullptr;
    QTimer *m_sizeHintTimer = nullptr;
    QTimer *m_markerTimer = nullptr; // the open key's delete marker goes (its own TTL): the header says so

    ElidedLabel *m_title = nullptr;
    QLabel *m_meta = nullptr;
    TtlCountdown *m_countdown = nullptr; // a key's own TTL (nats-server 2.11+)
    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    InterruptionBanner *m_interruption = nullptr;
    QComboBox *m_viewSelector = nullptr;
    QLabel *m_layoutNote = nullptr;
    QLabel *m_decodeChain = nullptr;    // the decoders' chain, in the Decoded view
    QLabel *m_readOnlyReason = nullptr; // why the decoded form cannot be edited
    QPlainTextEdit *m_editor = nullptr;
    ErrorLabel *m_status = nullptr;
    QPushButton *m_showHex = nullptr;
    QLabel *m_size = nullptr;
    QPushButton *m_saveButton = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_revertAction = nullptr;
    QAction *m_reformatAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_purgeAction = nullptr;
    QAction *m_newKeyAction = nullptr;
    QAction *m_copyKeyAction = nullptr;
    QAction *m_copyValueAction = nullptr;
    bool m_sizeProblemShown = false; // m_status says the value is too big
    QString m_textRefusal;           // what m_status said when a save refused the text (not valid JSON, …)
    quint64 m_savedRevision = 0;     // what the status's "Saved as revision N" speaks of, if it does
    quint64 m_shownRevision = 0;     // the entry shown: an error about another one goes when it changes
    quint64 m_noticedRevision = 0;   // the newer change the banner tells of (0: none)
    bool m_metaShowsEntry = false;   // else the header says why nothing is shown
    // As of a point (setAsOf): why writes are off, and the revision then of the open key.
    QString m_asOfReason;
    quint64 m_asOfRevision = 0;
    QPointer<KeyListModel> m_keys;
    bool m_liveReadOnly = false;
    CodecProtoMap m_protoMap;
    QString m_protoProblem; // why the mapped .proto file gave no message for the open key
    std::function<QStringList()> m_selectedKeys;
    qsizetype m_selectedCount = 0;   // keys selected in the key list (-1: many)
    QString m_selectedOnly;          // the key selected, when it is one
    QPointer<KvRemoveJob> m_removal; // a delete or purge of several keys, under way
};
