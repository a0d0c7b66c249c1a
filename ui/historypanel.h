#pragma once

#include "kventry.h"
#include "valueformat.h"

#include <QtCore/QPointer>
#include <QtWidgets/QWidget>

#include <functional>

class DiffView;
class ElidedLabel;
class ErrorLabel;
class HistoryModel;
class JsonHighlighter;
class KvBucket;
class KvReply;
class QAction;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTreeView;
class TextFill;

// The history of the selected key: every kept revision (operation, time, size), live. One revision
// selected shows its value in the editor's views; two selected show their diff (JSON compared
// normalised), as do "Compare with Previous" and "Compare with Editor". Revert writes the chosen revision's
// value as a new revision, guarded by the newest revision shown, so a key someone changed meanwhile is
// never overwritten: the panel says so and writes nothing. It watches only while it is visible.
class HistoryPanel final : public QWidget
{
    Q_OBJECT

public:
    // Gives the editor's current bytes and a label for them; false when there is nothing to compare.
    using EditorSource = std::function<bool(QByteArray *value, QString *label)>;

    explicit HistoryPanel(QWidget *parent = nullptr);

    void setBucket(KvBucket *bucket, bool readOnly);
    void setReadOnly(bool readOnly);
    // The connection is down (why) or back (empty): no revert until it is back.
    void setInterruption(const QString &reason);
    void setEditorSource(const EditorSource &source) { m_editorSource = source; }
    // Shows key's history (loaded now if the panel is visible, else when it is shown).
    void setKey(const QString &key);
    QString key() const { return m_key; }
    // Selects revision once the history has it.
    void selectRevision(quint64 revision);

    HistoryModel *model() const { return m_model; }
    QTreeView *revisionView() const { return m_view; }
    DiffView *diffView() const { return m_diff; }
    bool isShowingDiff() const;
    // The revisions selected, newest first.
    QList<quint64> selectedRevisions() const;
    QString valueText() const;
    QString statusMessage() const;

    QAction *compareAction() const { return m_compareAction; }
    QAction *compareEditorAction() const { return m_compareEditorAction; }
    QAction *revertAction() const { return m_revertAction; }

public Q_SLOTS:
    void compareWithPrevious();
    void compareWithEditor();
    // Asks, then writes revision's value as the key's new revision (guarded by the newest one shown).
    void revertToSelected();
    // Without asking: for callers that already asked. expectedLatest is the revision the write is based on.
    void revertTo(quint64 revision, quint64 expectedLatest);

Q_SIGNALS:
    void message(const QString &text);
    void reverted(const QString &key, quint64 revision);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void createView();
    void createActions();
    void layoutWidgets();
    QWidget *buildValuePage();
    void load();
    void onSelectionChanged();
    void onBucketReplaced();
    void onLoaded();
    void onRevisionAdded();
    void showRevision(const KvEntry &entry);
    void clearShownValue();
    void renderValue();
    void showDiff(const QString &leftTitle, const QByteArray &leftValue, const QString &rightTitle,
                  const QByteArray &rightValue);
    void updateActions();
    void updateHeader();
    // What a revert that ended in error says; where names the key (and its bucket when elsewhere: the
    // panel shows another key or bucket by now).
    QString revertFailure(const KvReply *reply, const QString &where, quint64 revision, quint64 expectedLatest,
                          bool elsewhere) const;
    KvEntry selectedEntry() const;
    void dropRefusalNote();

    QPointer<KvBucket> m_bucket;
    QString m_key;
    EditorSource m_editorSource;
    HistoryModel *m_model = nullptr;
    KvEntry m_shown;
    ValueFormat::View m_viewMode = ValueFormat::View::Text;
    quint64 m_pendingRevision = 0;
    bool m_readOnly = false;
    QString m_interruption;
    bool m_busy = false;
    quint64 m_shownSerial = 0; // counts the keys and buckets shown: a revert's answer knows if it is elsewhere
    bool m_followLatest = true;
    bool m_renderError = false;
    // A refused revert's note, true while the key is at m_refusalAt and the revisions then selected are:
    // it goes when either changes, so it never reads as current when it is not.
    QString m_refusalNote;
    quint64 m_refusalAt = 0;
    QList<quint64> m_refusalSelection;

    ElidedLabel *m_headerKey = nullptr; // the key, elided: it has no spaces to wrap at
    QLabel *m_header = nullptr;         // what there is of it
    QTreeView *m_view = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_valueMeta = nullptr;
    QComboBox *m_viewSelector = nullptr;
    QPlainTextEdit *m_value = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    TextFill *m_fill = nullptr; // of m_value
    DiffView *m_diff = nullptr;
    ErrorLabel *m_status = nullptr;
    QPushButton *m_revertButton = nullptr;
    QAction *m_compareAction = nullptr;
    QAction *m_compareEditorAction = nullptr;
    QAction *m_revertAction = nullptr;
};
