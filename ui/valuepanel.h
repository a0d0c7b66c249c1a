#pragma once

#include "kventry.h"
#include "valueformat.h"

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

class ErrorLabel;
class JsonHighlighter;
class KeyListModel;
class KvBucket;
class QAction;
class QComboBox;
class QFrame;
class QLabel;
class QPlainTextEdit;
class QPushButton;

// The value of the selected key: its metadata, views (text, JSON, hex, base64, CBOR; the best one chosen
// automatically), and the editor. A save is an update on the revision the user opened; if someone else
// changed the key meanwhile the live key list says so at once with a banner, the server refuses the save,
// and the user sees both versions and chooses. Nothing is ever overwritten silently.
class ValuePanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ValuePanel(QWidget *parent = nullptr);

    // keys tells the panel about changes made by others (its entryChanged signal).
    void setBucket(KvBucket *bucket, KeyListModel *keys, bool readOnly);
    void setReadOnly(bool readOnly);
    // Loads key (unless it is open already); the value is fetched now, never before.
    void openKey(const QString &key);
    // Loads one revision of key (e.g. from the watch feed); a save is checked against the newest as ever.
    void openRevision(const QString &key, quint64 revision);
    void clear();

    QString key() const { return m_key; }
    quint64 openedRevision() const { return m_revision; }
    bool isModified() const;
    // The bytes the editor holds now, saved or not (the loaded value in a read-only view); false when no key is open.
    bool editorValue(QByteArray *value) const;
    QByteArray currentValue() const { return m_entry.value; }
    ValueFormat::View view() const { return m_view; }
    void setView(ValueFormat::View view);
    // Asks to discard unsaved changes; false when the user wants to keep them.
    bool maybeDiscard();

    QAction *saveAction() const { return m_saveAction; }
    QAction *revertAction() const { return m_revertAction; }
    QAction *deleteAction() const { return m_deleteAction; }
    QAction *purgeAction() const { return m_purgeAction; }
    QAction *newKeyAction() const { return m_newKeyAction; }
    QAction *copyKeyAction() const { return m_copyKeyAction; }
    QAction *copyValueAction() const { return m_copyValueAction; }

public Q_SLOTS:
    void save();
    void revert();
    void deleteKey();
    void purgeKey();
    void newKey();
    void reload();

Q_SIGNALS:
    void message(const QString &text);
    void keyCreated(const QString &key);
    void entryLoaded(const KvEntry &entry);

private:
    void showEntry(const KvEntry &entry, bool exists);
    void showMissing(const QString &text);
    bool render(ValueFormat::View view);
    bool editorBytes(QByteArray *value);
    void onOtherChange(const KvEntry &entry);
    void resolveConflict(const QByteArray &mine);
    void writeMarker(bool purge);
    void updateActions();
    void updateSizeHint();
    QString entryText(const QByteArray &value) const;

    QPointer<KvBucket> m_bucket;
    QPointer<KeyListModel> m_keys;
    QString m_key;
    KvEntry m_entry;             // as last loaded or saved
    quint64 m_revision = 0;      // the revision a save is based on (a marker's, for a deleted key)
    quint64 m_newerRevision = 0; // a newer revision seen by the watcher, 0 when none
    ValueFormat::View m_view = ValueFormat::View::Text;
    bool m_exists = false;
    bool m_readOnly = false;
    bool m_busy = false;
    bool m_loading = false;

    QLabel *m_title = nullptr;
    QLabel *m_meta = nullptr;
    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QComboBox *m_viewSelector = nullptr;
    QPlainTextEdit *m_editor = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    ErrorLabel *m_status = nullptr;
    QLabel *m_size = nullptr;
    QPushButton *m_saveButton = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_revertAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_purgeAction = nullptr;
    QAction *m_newKeyAction = nullptr;
    QAction *m_copyKeyAction = nullptr;
    QAction *m_copyValueAction = nullptr;
};
