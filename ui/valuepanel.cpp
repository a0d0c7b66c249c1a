#include "valuepanel.h"

#include "appearance.h"
#include "conflictdialog.h"
#include "decodesizecap.h"
#include "elidedlabel.h"
#include "errorlabel.h"
#include "humanformat.h"
#include "interruptionbanner.h"
#include "jsonhighlighter.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvtextmerge.h"
#include "kvunits.h"
#include "mergedialog.h"
#include "newkeydialog.h"
#include "textfill.h"
#include "ttlcountdown.h"
#include "valueeditsession.h"

#include <QtCore/QDateTime>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtGui/QTextDocument>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

#include <limits>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

ValuePanel::ValuePanel(QWidget *parent)
    : QWidget(parent)
    , m_session(new ValueEditSession(this))
    , m_title(new ElidedLabel(Qt::ElideMiddle, this))
    , m_meta(new QLabel(this))
    , m_countdown(new TtlCountdown(this))
    , m_interruption(new InterruptionBanner(this))
    , m_status(new ErrorLabel(this))
    , m_size(new ElidedLabel(Qt::ElideRight, this))
{
    setObjectName(u"valuePanel"_s);
    m_markerTimer = new QTimer(this);
    m_markerTimer->setSingleShot(true);
    connect(m_markerTimer, &QTimer::timeout, this, &ValuePanel::updateMeta);
    // Elided, not wrapped: a key has no spaces to wrap at, and a label asks for its longest word as its
    // width (a key of 3,000 characters made the window 24,186 px wide). Copy Key copies it whole.
    m_title->setObjectName(u"valueTitle"_s);
    m_meta->setObjectName(u"valueMeta"_s);
    m_meta->setWordWrap(true);
    m_status->setObjectName(u"valueStatus"_s);
    // The value's size, or why it has none while typing ("not valid JSON: … at line 3, column 8"): elided
    // at its end where the row is short of room, so that the message coming and going moves nothing. Its
    // start says what kind of problem it is ("…ON: illegal value at line 1, column 75" hid it); the whole
    // message is the tooltip.
    m_size->setObjectName(u"valueSize"_s);
    m_size->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    createBanner();
    createEditor();
    createActions();
    layoutWidgets();
    connectSession();
    clear();
}

void ValuePanel::connectSession()
{
    connect(m_session, &ValueEditSession::opened, this, &ValuePanel::showOpened);
    connect(m_session, &ValueEditSession::documentChanged, this, &ValuePanel::showDocument);
    connect(m_session, &ValueEditSession::openFailed, this, &ValuePanel::showMissing);
    connect(m_session, &ValueEditSession::stateChanged, this, [this] {
        updateActions();
        updateMeta();
    });
    connect(m_session, &ValueEditSession::noticeChanged, this, [this] {
        m_bannerText->setText(m_session->notice());
        m_banner->setVisible(!m_session->notice().isEmpty());
        // A newer change noticed under the edit: a refusal said before it spoke of an older state (a delete
        // refused at "now revision 27", beside a banner about 28 deleting the key). The banner says it now.
        const quint64 newer = m_session->newerRevision();
        if (newer != std::exchange(m_noticedRevision, newer) && newer != 0 && m_status->isError())
            m_status->setMessage({});
    });
    connect(m_session, &ValueEditSession::info, m_status, &ErrorLabel::setInfo);
    connect(m_session, &ValueEditSession::saved, this, [this](quint64 revision) { m_savedRevision = revision; });
    connect(m_session, &ValueEditSession::failed, m_status, &ErrorLabel::setMessage);
    connect(DecodeSizeCap::instance(), &DecodeSizeCap::changed, this, &ValuePanel::applyDecodeSizeCap);
    // Queued: the dialogs wait for the user, and the refused save's answer, being read from the connection,
    // would hold every other answer back until they close.
    connect(m_session, &ValueEditSession::saveRefused, this, &ValuePanel::showRefused, Qt::QueuedConnection);
    connect(m_session, &ValueEditSession::mergeConflicts, this,
            [this](const KvMergeResult &result, quint64 base, quint64 theirs) {
                MergeDialog dialog(m_session->key(), result.conflicts, base, theirs, this);
                if (dialog.exec() == QDialog::Accepted)
                    m_session->resolveMerge(dialog.choices());
                else
                    m_session->resolve(ValueEditSession::Choice::KeepEditing);
            });
    connect(m_session, &ValueEditSession::message, this, &ValuePanel::message);
}

void ValuePanel::setBucket(KvBucket *bucket, KeyListModel *keys, bool readOnly)
{
    m_keys = keys;
    m_liveReadOnly = readOnly;
    m_asOfReason.clear();
    m_session->setReadOnly(readOnly);
    m_session->setBucket(bucket, keys);
    clear();
}

void ValuePanel::setReadOnly(bool readOnly)
{
    m_liveReadOnly = readOnly;
    m_session->setReadOnly(readOnly || !m_asOfReason.isEmpty());
}

void ValuePanel::setAsOf(const QString &reason)
{
    if (reason.isEmpty() == m_asOfReason.isEmpty()) {
        m_asOfReason = reason; // the same mode, the point now named
        updateActions();
        return;
    }
    m_asOfReason = reason;
    m_asOfRevision = 0;
    // A value of then must not be replaced by the key's newest when someone changes it: no live list.
    m_session->setReadOnly(m_liveReadOnly || !reason.isEmpty());
    m_session->setBucket(m_session->bucket(), reason.isEmpty() ? m_keys.data() : nullptr);
    clear();
}

void ValuePanel::openAsOf(const QString &key, quint64 revision, const QString &note)
{
    if (!m_session->bucket() || key.isEmpty() || m_asOfReason.isEmpty()) {
        clear();
        return;
    }
    m_asOfRevision = revision;
    if (revision == 0) {
        m_session->close();
        setTitle(key);
        showMissing(note);
        return;
    }
    m_session->openRevision(key, revision);
    m_meta->setText(tr("loading revision %1…").arg(revision));
    showLoading();
}

void ValuePanel::setInterruption(const QString &reason)
{
    m_interruption->setReason(reason,
                              tr("Changes cannot be saved until the connection is back; your edits stay here."));
    m_session->setInterruption(
        reason.isEmpty() ? QString() : tr("%1 Nothing can be written until the connection is back.").arg(reason));
}

void ValuePanel::clear()
{
    m_session->close();
    setTitle({});
    m_meta->clear();
    m_countdown->clear(); // it went on ticking under the next bucket's empty panel
    setEditorText({}, false);
    m_layoutNote->hide();
    m_decodeChain->hide();
    m_readOnlyReason->hide();
    m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(View::Text)));
    m_highlighter->setDocument(nullptr);
    m_status->setMessage({});
    m_sizeProblemShown = false;
    m_textRefusal.clear();
    m_showHex->hide();
    m_size->clear();
    updateActions();
}

QString ValuePanel::key() const
{
    return m_session->key();
}

quint64 ValuePanel::openedRevision() const
{
    return m_session->baseRevision();
}

QByteArray ValuePanel::currentValue() const
{
    return m_session->entry().value;
}

View ValuePanel::view() const
{
    return m_session->document().view();
}

bool ValuePanel::isModified() const
{
    return m_editor->document()->isModified();
}

bool ValuePanel::maybeDiscard()
{
    dropTakenBackEdit(true);
    if (!isModified())
        return true;
    QMessageBox box(QMessageBox::Question, tr("Unsaved Changes"),
                    tr("Your changes to key \"%1\" are not saved. Discard them?").arg(key()),
                    QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setDefaultButton(QMessageBox::Cancel);
    box.button(QMessageBox::Discard)->setText(tr("&Discard")); // Qt's own text has no Alt letter
    return box.exec() == QMessageBox::Discard;
}

void ValuePanel::setTitle(const QString &key)
{
    QFont font = m_title->font();
    font.setBold(!key.isEmpty());
    font.setItalic(key.isEmpty());
    m_title->setFont(font);
    m_title->setText(key.isEmpty() ? tr("Select a key to see its value") : key);
}

void ValuePanel::showLoading()
{
    setTitle(m_session->key());
    m_status->setMessage({});
    m_sizeProblemShown = false;
    m_textRefusal.clear();
    m_showHex->hide();
    updateActions();
}

void ValuePanel::openKey(const QString &key)
{
    if (!m_session->bucket() || key.isEmpty()) {
        clear();
        return;
    }
    chooseDecoders(key);
    m_session->open(key);
    m_meta->setText(tr("loading…"));
    showLoading();
}

void ValuePanel::openRevision(const QString &key, quint64 revision)
{
    if (!m_session->bucket() || key.isEmpty() || revision == 0) {
        openKey(key);
        return;
    }
    chooseDecoders(key);
    m_session->openRevision(key, revision);
    m_meta->setText(tr("loading revision %1…").arg(revision));
    showLoading();
}

void ValuePanel::focusEditor()
{
    m_editor->setFocus(Qt::OtherFocusReason);
}

void ValuePanel::reload()
{
    m_session->reload();
}

bool ValuePanel::editorValue(QByteArray *value) const
{
    if (m_session->key().isEmpty())
        return false;
    // Half-typed JSON still compares, as the bytes it stands for: never the editor's text as such, which
    // has lost the value's line endings and no-break spaces.
    const QString text = editorText();
    QString error;
    if (!m_session->editedValue(text, value, &error) && !m_session->document().toBytes(text, value))
        *value = m_session->entry().value;
    return true;
}

// The revision shown, what it is, and what a save goes over when that is another one (Overwrite with Mine
// chose a newer revision to overwrite).
void ValuePanel::updateMeta()
{
    const KvEntry entry = m_session->entry();
    if (!m_session->isOpen() || !m_metaShowsEntry)
        return; // it says why there is nothing to show (showMissing())
    QString meta = tr("%1 · %2 · %3 · %4")
                       .arg(HumanFormat::revision(entry.revision), entry.operationLabel(),
                            HumanFormat::localTime(entry.created), KvUnits::iBytes(entry.value.size()));
    if (!m_session->exists()) {
        meta = (entry.isLimitMarker() ? tr("expired: %1") : tr("deleted: %1")).arg(meta);
        // A marker with a TTL of its own goes at its end, and the key's last revision with it: the history
        // then has none, and the header says so too (rather than name a revision the server no longer has).
        const QDateTime markerGoes = entry.expires();
        const qint64 left = markerGoes.isValid() ? QDateTime::currentDateTimeUtc().msecsTo(markerGoes) : -1;
        if (markerGoes.isValid() && left <= 0)
            meta = tr("%1 · its marker went too, at the end of its own TTL: no revisions kept").arg(meta);
        else if (left > 0)
            m_markerTimer->start(int(std::min<qint64>(left + 1, std::numeric_limits<int>::max())));
        meta = tr("%1 — saving writes a new value").arg(meta);
    }
    if (!m_asOfReason.isEmpty())
        meta = tr("%1 · %2").arg(meta, m_asOfReason);
    else if (m_session->showsOlderRevision())
        meta = tr("%1 · an older revision: a save is checked against the newest").arg(meta);
    else if (m_session->saveGoesOver() != entry.revision && m_session->saveGoesOver() != 0)
        meta = tr("%1 · your save goes over %2").arg(meta, HumanFormat::revision(m_session->saveGoesOver()));
    m_meta->setText(meta);
}

void ValuePanel::showOpened()
{
    const KvEntry entry = m_session->entry();
    if (!m_asOfReason.isEmpty() && entry.revision != m_asOfRevision) {
        // The session fell back to the newest value (the revision then went meanwhile): not what was then.
        showMissing(tr("Its value then (revision %1) is no longer in the bucket.").arg(m_asOfRevision));
        return;
    }
    m_metaShowsEntry = true;
    updateMeta();
    // "Saved as revision N" speaks of that revision only: another shown, it goes. So does a refusal (a
    // save refused, then Take Theirs): it spoke of the value no longer shown.
    if (m_savedRevision != 0 && entry.revision != m_savedRevision) {
        m_savedRevision = 0;
        if (!m_status->isError())
            m_status->setMessage({});
    }
    if (entry.revision != m_shownRevision && m_status->isError())
        m_status->setMessage({});
    m_shownRevision = entry.revision;
    m_countdown->setEntry(m_session->exists() ? entry : KvEntry());
    m_meta->setToolTip(HumanFormat::utcTime(entry.created));
    showDocument();
    Q_EMIT entryLoaded(entry);
}

void ValuePanel::showDocument()
{
    const ValueDocument &document = m_session->document();
    // An edit shown in another view, or JSON reformatted, may be the value as loaded after all.
    const bool modified = m_session->isModified() && !m_session->isUnchanged(document.text());
    m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(document.view())));
    // Set again, the highlighter would colour the whole text in one turn: only when it changes.
    QTextDocument *highlighted = document.showsJson() ? m_editor->document() : nullptr;
    if (m_highlighter->document() != highlighted)
        m_highlighter->setDocument(highlighted);
    // A hex dump line is 16 bytes and their ASCII: wrapped, the columns no longer line up. It scrolls.
    m_editor->setLineWrapMode(document.view() == View::Hex ? QPlainTextEdit::NoWrap : QPlainTextEdit::WidgetWidth);
    setEditorText(document.text(), modified);
    showLayoutNote();
    showDecoding();
    m_showHex->hide();
    updateActions();
    updateSizeHint();
}

// The key's Protobuf message, if the profile maps one: the value is then decoded as that message.
void ValuePanel::chooseDecoders(const QString &key)
{
    m_protoProblem.clear();
    const QString bucket = m_session->bucket() ? m_session->bucket()->name() : QString();
    CodecOptions options = m_protoMap.optionsFor(bucket, key, &m_protoProblem);
    options.maxOutputSize = DecodeSizeCap::bytes();
    m_session->setCodecOptions(options);
}

// A new cap applies to the value open now, not only to the next one: the Decoded view decodes it again,
// and a view the cap chose (the value was too big to decode) gives way to the one now chosen. A view
// the user picked, and unsaved edits, are left alone: the cap then applies at the next change of view.
void ValuePanel::applyDecodeSizeCap(qint64 bytes)
{
    CodecOptions options = m_session->document().codecOptions();
    const QByteArray value = m_session->entry().value;
    const View before = m_session->document().detectView(value);
    options.maxOutputSize = bytes;
    m_session->setCodecOptions(options);
    if (!m_session->isOpen() || m_session->isModified())
        return;
    const View shown = view();
    const View chosen = m_session->document().detectView(value);
    if (shown != View::Decoded && (shown != before || chosen == shown))
        return;
    QString problem;
    // The session keeps a view it already shows: out of it and back decodes anew.
    if (shown == View::Decoded)
        m_session->setView(View::Hex, editorText(), &problem);
    if (m_session->setView(shown == View::Decoded ? shown : chosen, editorText(), &problem)) {
        m_status->setMessage({});
        return;
    }
    QString ignored;
    m_session->setView(chosen, editorText(), &ignored);
    showViewProblem(problem);
}

void ValuePanel::showDecoding()
{
    const ValueDocument &document = m_session->document();
    const QString chain = document.chainDescription();
    m_decodeChain->setText(tr("Decoded: %1").arg(chain));
    m_decodeChain->setVisible(!chain.isEmpty());
    const QString reason = document.readOnlyReason();
    m_readOnlyReason->setText(tr("Read-only: %1. The Hex view shows the stored bytes.").arg(reason));
    m_readOnlyReason->setVisible(!reason.isEmpty());
    if (!m_protoProblem.isEmpty())
        m_status->setMessage(tr("Not decoded as the mapped Protobuf message: %1").arg(m_protoProblem));
}

void ValuePanel::setEditorText(const QString &text, bool modified)
{
    m_fill->setText(text, modified); // a large text in parts, over the turns after
    // Replacing the text with an empty one signals "modified" and never takes it back, though the document
    // then says it is not (Qt 6.4): the session takes the document's word, or the next change by someone
    // else would be shown as a conflict with edits that do not exist.
    m_session->setModified(m_editor->document()->isModified());
}

// What the editor holds: while a large value is still going in, all of it (nothing can be edited then).
QString ValuePanel::editorText() const
{
    return m_fill->text();
}

// Typed and taken back (deleted again, undone): the text is the value as loaded again, and nothing is
// unsaved. The document tells its length at no cost: the text is read and compared only when that is the
// loaded text's length, and in a large value (some 10 ms a million characters) only once typing pauses, as
// its size is (now: at once, as when the user leaves the key).
void ValuePanel::dropTakenBackEdit(bool now)
{
    QTextDocument *document = m_editor->document();
    if (m_fill->isFilling() || !document->isModified()
        || document->characterCount() - 1 != m_session->unchangedLength())
        return;
    if (!now && m_session->document().text().size() > LargeText)
        return; // the size hint's pause timer comes back (updateSizeHint())
    if (m_session->isUnchanged(m_editor->toPlainText()))
        document->setModified(false); // modificationChanged(): the session and the actions follow
}

bool ValuePanel::isFilling() const
{
    return m_fill->isFilling();
}

void ValuePanel::showLayoutNote()
{
    m_layoutNote->setText(m_fill->isFilling() ? tr("showing the value: %1%…").arg(m_fill->percent())
                                              : m_session->document().layoutNote());
    m_layoutNote->setVisible(!m_layoutNote->text().isEmpty());
}

void ValuePanel::showMissing(const QString &text)
{
    m_metaShowsEntry = false;
    m_meta->setText(text);
    m_countdown->clear();
    setEditorText({}, false);
    m_layoutNote->hide();
    m_decodeChain->hide();
    m_readOnlyReason->hide();
    updateActions();
}

QString ValuePanel::entryText(const QByteArray &value) const
{
    QString text;
    QString error;
    if (ValueFormat::render(value, ValueFormat::detect(value), &text, &error))
        return text;
    return {};
}

void ValuePanel::setView(View view)
{
    if (view == this->view())
        return;
    QString problem;
    if (!m_session->setView(view, editorText(), &problem))
        showViewProblem(problem);
}

void ValuePanel::showViewProblem(const QString &problem)
{
    m_status->setMessage(problem);
    m_showHex->setVisible(view() != View::Hex);
    m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(view())));
}

void ValuePanel::updateSizeHint()
{
    if (m_session->key().isEmpty()) {
        m_size->clear();
        return;
    }
    if (m_fill->isFilling())
        return; // said once all of it is in
    if (!isModified()) {
        m_sizeHintTimer->stop();
        showSizeHint(m_session->document().value().size(), QString());
        return;
    }
    // A key typed into a large value: its bytes are worked out when the typing pauses, not at every key.
    if (m_session->document().text().size() > LargeText) {
        m_sizeHintTimer->start();
        return;
    }
    showEditedSize();
}

void ValuePanel::showEditedSize()
{
    QByteArray bytes;
    QString error;
    if (!isModified())
        return;
    if (!m_session->editedValue(editorText(), &bytes, &error)) {
        showSizeHint(-1, m_session->document().isEditable() ? error : QString());
        return;
    }
    showSizeHint(bytes.size(), QString());
}

// size < 0: no size, error says why instead (or nothing).
void ValuePanel::showSizeHint(qint64 size, const QString &error)
{
    if (size < 0) {
        m_size->setText(error);
        return;
    }
    m_size->setText(KvUnits::iBytes(size));
    // A text a save refused can be saved now (mended, or taken back to the value as loaded): the refusal
    // spoke of a text no longer there. Only if it is still what the status says.
    if (!m_textRefusal.isEmpty() && m_status->message() == std::exchange(m_textRefusal, {}))
        m_status->setMessage({});
    // Say it while typing, not only when saving; clear only what was said here (replacing the editor's
    // text counts as modified for a moment, and must not wipe why the value is shown in another view).
    const QString problem = isModified() ? m_session->sizeProblem(size) : QString();
    if (!problem.isEmpty() || m_sizeProblemShown)
        m_status->setMessage(problem);
    m_sizeProblemShown = !problem.isEmpty();
}

void ValuePanel::updateActions()
{
    const bool open = m_session->isOpen();
    const bool readOnly = m_session->isReadOnly();
    const bool writable = open && !readOnly;
    const bool editable = writable && m_session->document().isEditable();
    // Writes wait while one is under way or the connection is down.
    const bool busy = m_session->isBusy() || !m_session->interruption().isEmpty() || !m_removal.isNull();
    const bool filling = m_fill->isFilling();                           // the editor holds part of the value yet
    m_editor->setReadOnly(!editable || m_session->isBusy() || filling); // a save being settled replaces the text
    m_saveAction->setEnabled(editable && isModified() && !busy && !filling);
    m_saveButton->setEnabled(m_saveAction->isEnabled());
    m_revertAction->setEnabled(open && isModified());
    m_reformatAction->setEnabled(editable && view() == View::Json && !filling);
    updateRemoveActions(writable, busy);
    m_newKeyAction->setEnabled(m_session->bucket() && !readOnly && m_session->interruption().isEmpty());
    m_copyKeyAction->setEnabled(open);
    m_copyValueAction->setEnabled(open);
    const QString readOnlyNote = !m_asOfReason.isEmpty() ? m_asOfReason
        : readOnly                                       ? tr("This connection is read-only.")
                                                         : m_session->interruption();
    for (QAction *action : {m_saveAction, m_deleteAction, m_purgeAction, m_newKeyAction})
        action->setToolTip(readOnlyNote);
    m_saveButton->setToolTip(readOnlyNote);
}

void ValuePanel::revert()
{
    m_session->revert();
}

void ValuePanel::reformat()
{
    QString problem;
    if (!m_session->reformat(editorText(), &problem))
        m_status->setMessage(problem);
}

void ValuePanel::save()
{
    if (!m_session->canWrite())
        return;
    // A large value's taken-back edit is found once typing pauses: saved before that, the same bytes
    // would become a new revision.
    dropTakenBackEdit(true);
    if (!isModified())
        return;
    const QString text = editorText();
    if (!confirmMarkersKept(text))
        return;
    if (!m_session->save(text))
        m_textRefusal = m_status->message(); // goes once the text can be saved (showSizeHint())
}

// A merge leaves the lines changed on both sides in the editor between diff3 markers for the user to
// settle; saved as they are, the value would hold the markers. Asked, not refused: they may be meant.
bool ValuePanel::confirmMarkersKept(const QString &text)
{
    const qsizetype marked = KvTextMerge::markedConflicts(text.toUtf8()).size();
    if (marked == 0)
        return true;
    const QString question
        = (marked == 1 ? tr("The value still holds 1 conflict marked with <<<<<<< and >>>>>>>.")
                       : tr("The value still holds %1 conflicts marked with <<<<<<< and >>>>>>>.").arg(marked))
        + u' ' + tr("Save it with the markers?");
    return QMessageBox::question(this, tr("Save with Conflict Markers"), question, QMessageBox::Yes | QMessageBox::No,
                                 QMessageBox::No)
        == QMessageBox::Yes;
}

void ValuePanel::showRefused(const KvEntry &theirs, const QByteArray &mine)
{
    ConflictDialog dialog(m_session->key(), entryText(mine), m_session->baseRevision(), theirs, entryText(theirs.value),
                          this);
    if (const QString why = m_session->baseElsewhere(); !why.isEmpty())
        dialog.setElsewhere(why);
    connect(m_session, &ValueEditSession::theirsChanged, &dialog,
            [this, &dialog](const KvEntry &newer) { dialog.setTheirs(newer, entryText(newer.value)); });
    dialog.exec();
    const quint64 shown = dialog.theirsRevision();
    switch (dialog.choice()) {
    case ConflictDialog::Choice::Overwrite:
        m_session->resolve(ValueEditSession::Choice::Overwrite, shown);
        break;
    case ConflictDialog::Choice::TakeTheirs:
        m_session->resolve(ValueEditSession::Choice::TakeTheirs, shown);
        break;
    case ConflictDialog::Choice::Merge:
        m_session->resolve(ValueEditSession::Choice::Merge, shown);
        break;
    case ConflictDialog::Choice::KeepEditing:
        m_session->resolve(ValueEditSession::Choice::KeepEditing, shown);
        break;
    }
}

void ValuePanel::newKey()
{
    if (!m_session->bucket() || m_session->isReadOnly())
        return;
    NewKeyDialog dialog(m_session->bucket(), this);
    if (dialog.exec() == QDialog::Accepted) {
        Q_EMIT message(tr("Created %1 (revision %2)").arg(dialog.createdKey()).arg(dialog.revision()));
        Q_EMIT keyCreated(dialog.createdKey());
    }
}
