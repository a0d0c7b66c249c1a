#include "valuepanel.h"

#include "conflictdialog.h"
#include "errorlabel.h"
#include "humanformat.h"
#include "jsonhighlighter.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvunits.h"
#include "newkeydialog.h"

#include <QtGui/QAction>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

ValuePanel::ValuePanel(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_meta(new QLabel(this))
    , m_banner(new QFrame(this))
    , m_bannerText(new QLabel(m_banner))
    , m_viewSelector(new QComboBox(this))
    , m_editor(new QPlainTextEdit(this))
    , m_status(new ErrorLabel(this))
    , m_size(new QLabel(this))
{
    setObjectName(u"valuePanel"_s);
    m_title->setObjectName(u"valueTitle"_s);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    m_meta->setObjectName(u"valueMeta"_s);
    m_status->setObjectName(u"valueStatus"_s);
    m_meta->setWordWrap(true);

    // The banner: someone else changed the open key.
    m_banner->setObjectName(u"conflictBanner"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    m_banner->setAutoFillBackground(true);
    QPalette bannerPalette = m_banner->palette();
    const bool dark = bannerPalette.color(QPalette::Window).lightness() < 128;
    bannerPalette.setColor(QPalette::Window, dark ? QColor(0x5c, 0x4a, 0x10) : QColor(0xff, 0xf3, 0xcd));
    m_banner->setPalette(bannerPalette);
    m_bannerText->setObjectName(u"conflictBannerText"_s);
    m_bannerText->setWordWrap(true);
    auto *compare = new QPushButton(tr("Compare…"), m_banner);
    compare->setObjectName(u"bannerCompare"_s);
    auto *reloadButton = new QPushButton(tr("Reload (discard mine)"), m_banner);
    reloadButton->setObjectName(u"bannerReload"_s);
    auto *bannerLayout = new QHBoxLayout(m_banner);
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(compare);
    bannerLayout->addWidget(reloadButton);
    m_banner->hide();
    connect(compare, &QPushButton::clicked, this, [this] {
        QByteArray mine;
        if (editorBytes(&mine))
            resolveConflict(mine);
    });
    connect(reloadButton, &QPushButton::clicked, this, &ValuePanel::reload);

    m_viewSelector->setObjectName(u"viewSelector"_s);
    m_viewSelector->setAccessibleName(tr("Value view"));
    for (const View view : {View::Text, View::Json, View::Hex, View::Base64, View::Cbor})
        m_viewSelector->addItem(ValueFormat::viewName(view), int(view));
    connect(m_viewSelector, &QComboBox::activated, this,
            [this](int index) { setView(View(m_viewSelector->itemData(index).toInt())); });

    m_editor->setObjectName(u"valueEditor"_s);
    m_editor->setAccessibleName(tr("Value"));
    QFont mono(u"monospace"_s);
    mono.setStyleHint(QFont::Monospace);
    m_editor->setFont(mono);
    m_highlighter = new JsonHighlighter(nullptr);
    connect(m_editor, &QPlainTextEdit::modificationChanged, this, &ValuePanel::updateActions);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &ValuePanel::updateSizeHint);

    m_saveAction = new QAction(tr("&Save Value"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_revertAction = new QAction(tr("Re&vert Changes"), this);
    m_revertAction->setIconText(tr("Revert"));
    m_deleteAction = new QAction(tr("&Delete Key…"), this);
    m_deleteAction->setIconText(tr("Delete"));
    m_deleteAction->setShortcut(QKeySequence::Delete);
    m_purgeAction = new QAction(tr("&Purge Key…"), this);
    m_purgeAction->setIconText(tr("Purge"));
    m_purgeAction->setShortcut(QKeySequence(u"Shift+Del"_s));
    m_newKeyAction = new QAction(tr("&New Key…"), this);
    m_newKeyAction->setShortcut(QKeySequence::New);
    m_copyKeyAction = new QAction(tr("Copy &Key"), this);
    m_copyKeyAction->setShortcut(QKeySequence(u"Ctrl+Shift+C"_s));
    m_copyValueAction = new QAction(tr("Copy V&alue"), this);
    m_copyValueAction->setIconText(tr("Copy"));
    connect(m_saveAction, &QAction::triggered, this, &ValuePanel::save);
    connect(m_revertAction, &QAction::triggered, this, &ValuePanel::revert);
    connect(m_deleteAction, &QAction::triggered, this, &ValuePanel::deleteKey);
    connect(m_purgeAction, &QAction::triggered, this, &ValuePanel::purgeKey);
    connect(m_newKeyAction, &QAction::triggered, this, &ValuePanel::newKey);
    connect(m_copyKeyAction, &QAction::triggered, this, [this] { QGuiApplication::clipboard()->setText(m_key); });
    connect(m_copyValueAction, &QAction::triggered, this,
            [this] { QGuiApplication::clipboard()->setText(m_editor->toPlainText()); });

    m_saveButton = new QPushButton(tr("Save"), this);
    m_saveButton->setObjectName(u"saveButton"_s);
    connect(m_saveButton, &QPushButton::clicked, this, &ValuePanel::save);
    auto actionButton = [this](QAction *action) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        return button;
    };
    auto *viewRow = new QHBoxLayout;
    viewRow->addWidget(new QLabel(tr("View:"), this));
    viewRow->addWidget(m_viewSelector);
    viewRow->addStretch(1);
    viewRow->addWidget(m_size);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_saveButton);
    buttons->addWidget(actionButton(m_revertAction));
    buttons->addStretch(1);
    buttons->addWidget(actionButton(m_copyValueAction));
    buttons->addWidget(actionButton(m_deleteAction));
    buttons->addWidget(actionButton(m_purgeAction));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_meta);
    layout->addWidget(m_banner);
    layout->addLayout(viewRow);
    layout->addWidget(m_editor, 1);
    layout->addWidget(m_status);
    layout->addLayout(buttons);
    clear();
}

void ValuePanel::setBucket(KvBucket *bucket, KeyListModel *keys, bool readOnly)
{
    if (m_keys)
        m_keys->disconnect(this);
    m_bucket = bucket;
    m_keys = keys;
    m_readOnly = readOnly;
    if (keys)
        connect(keys, &KeyListModel::entryChanged, this, &ValuePanel::onOtherChange);
    clear();
}

void ValuePanel::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateActions();
}

void ValuePanel::clear()
{
    m_key.clear();
    m_entry = {};
    m_revision = 0;
    m_newerRevision = 0;
    m_exists = false;
    m_title->setText(tr("<i>Select a key to see its value</i>"));
    m_meta->clear();
    m_banner->hide();
    m_editor->clear();
    m_editor->document()->setModified(false);
    m_status->setMessage({});
    m_size->clear();
    updateActions();
}

bool ValuePanel::isModified() const
{
    return m_editor->document()->isModified();
}

bool ValuePanel::maybeDiscard()
{
    if (!isModified())
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved Changes"),
                                              tr("Your changes to key \"%1\" are not saved. Discard them?").arg(m_key),
                                              QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Discard;
}

void ValuePanel::openKey(const QString &key)
{
    if (!m_bucket || key.isEmpty()) {
        clear();
        return;
    }
    m_key = key;
    m_loading = true;
    m_title->setText(tr("<b>%1</b>").arg(key.toHtmlEscaped()));
    m_meta->setText(tr("loading…"));
    m_status->setMessage({});
    KvReply *reply = m_bucket->get(key);
    connect(reply, &NatsReply::finished, this, [this, reply, key] {
        reply->deleteLater();
        if (key != m_key)
            return; // the user moved on
        m_loading = false;
        if (reply->error() == NatsError::NoError)
            showEntry(reply->entry(), true);
        else if (reply->error() == NatsError::KeyNotFound && reply->entry().revision > 0)
            showEntry(reply->entry(), false); // a delete or purge marker
        else
            showMissing(reply->errorString());
    });
    updateActions();
}

void ValuePanel::openRevision(const QString &key, quint64 revision)
{
    if (!m_bucket || key.isEmpty() || revision == 0) {
        openKey(key);
        return;
    }
    m_key = key;
    m_loading = true;
    m_title->setText(tr("<b>%1</b>").arg(key.toHtmlEscaped()));
    m_meta->setText(tr("loading revision %1…").arg(revision));
    m_status->setMessage({});
    KvReply *reply = m_bucket->get(key, revision);
    connect(reply, &NatsReply::finished, this, [this, reply, key, revision] {
        reply->deleteLater();
        if (key != m_key)
            return;
        m_loading = false;
        if (reply->error() != NatsError::NoError) {
            // A marker, or a revision the bucket no longer keeps: show what the key holds now.
            Q_EMIT message(tr("Revision %1 of %2 has no value to show (%3); showing the newest")
                               .arg(revision)
                               .arg(key, reply->errorString()));
            reload();
            return;
        }
        showEntry(reply->entry(), true);
        const int row = m_keys ? m_keys->rowOfKey(key) : -1;
        if (row >= 0 && m_keys->entryAt(row).revision > revision)
            m_meta->setText(tr("%1 · an older revision: a save is checked against the newest").arg(m_meta->text()));
    });
    updateActions();
}

bool ValuePanel::editorValue(QByteArray *value) const
{
    if (m_key.isEmpty())
        return false;
    const QString text = m_editor->toPlainText();
    QString error;
    if (!ValueFormat::parse(text, m_view, value, &error))
        *value = ValueFormat::isEditable(m_view) ? text.toUtf8() : m_entry.value; // half-typed JSON still compares
    return true;
}

void ValuePanel::reload()
{
    const QString key = m_key;
    m_key.clear();
    m_editor->document()->setModified(false);
    openKey(key);
}

void ValuePanel::showEntry(const KvEntry &entry, bool exists)
{
    m_entry = entry;
    m_revision = entry.revision;
    m_newerRevision = 0;
    m_exists = exists;
    m_banner->hide();
    QString meta = tr("%1 · %2 · %3 · %4")
                       .arg(HumanFormat::revision(entry.revision), KvEntry::operationName(entry.operation),
                            HumanFormat::localTime(entry.created), KvUnits::iBytes(entry.value.size()));
    if (!exists)
        meta = tr("deleted: %1 — saving writes a new value").arg(meta);
    m_meta->setText(meta);
    m_meta->setToolTip(HumanFormat::utcTime(entry.created));
    render(ValueFormat::detect(entry.value));
    Q_EMIT entryLoaded(entry);
}

void ValuePanel::showMissing(const QString &text)
{
    m_entry = {};
    m_revision = 0;
    m_exists = false;
    m_meta->setText(text);
    m_editor->clear();
    m_editor->document()->setModified(false);
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

bool ValuePanel::render(View view)
{
    QString text;
    QString error;
    if (!ValueFormat::render(m_entry.value, view, &text, &error)) {
        m_status->setMessage(error);
        return false;
    }
    m_view = view;
    m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(view)));
    m_highlighter->setDocument(view == View::Json ? m_editor->document() : nullptr);
    m_editor->setPlainText(text);
    m_editor->document()->setModified(false);
    m_status->setMessage({});
    updateActions();
    updateSizeHint();
    return true;
}

void ValuePanel::setView(View view)
{
    if (view == m_view)
        return;
    // Unsaved edits travel to the new view through their bytes.
    if (isModified()) {
        QByteArray bytes;
        if (!editorBytes(&bytes)) {
            m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(m_view)));
            return;
        }
        QString text;
        QString error;
        if (!ValueFormat::render(bytes, view, &text, &error)) {
            m_status->setMessage(error);
            m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(m_view)));
            return;
        }
        m_view = view;
        m_highlighter->setDocument(view == View::Json ? m_editor->document() : nullptr);
        m_editor->setPlainText(text);
        m_editor->document()->setModified(true);
        updateActions();
        return;
    }
    if (!render(view))
        m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(m_view)));
}

bool ValuePanel::editorBytes(QByteArray *value)
{
    QString error;
    if (!ValueFormat::parse(m_editor->toPlainText(), m_view, value, &error)) {
        m_status->setMessage(tr("Not saved: %1").arg(error));
        return false;
    }
    return true;
}

void ValuePanel::updateSizeHint()
{
    if (m_key.isEmpty()) {
        m_size->clear();
        return;
    }
    QByteArray bytes;
    QString error;
    if (!ValueFormat::parse(m_editor->toPlainText(), m_view, &bytes, &error)) {
        m_size->setText(ValueFormat::isEditable(m_view) ? error : QString());
        return;
    }
    m_size->setText(KvUnits::iBytes(bytes.size()));
    // Say it while typing, not only when saving.
    if (m_bucket && isModified()) {
        const QString problem = m_bucket->checkValueSize(m_key, bytes.size(), 64);
        m_status->setMessage(problem);
    }
}

void ValuePanel::updateActions()
{
    const bool open = !m_key.isEmpty() && !m_loading && m_bucket;
    const bool writable = open && !m_readOnly;
    const bool editable = writable && ValueFormat::isEditable(m_view);
    m_editor->setReadOnly(!editable);
    m_saveAction->setEnabled(editable && isModified() && !m_busy);
    m_saveButton->setEnabled(m_saveAction->isEnabled());
    m_revertAction->setEnabled(open && isModified());
    m_deleteAction->setEnabled(writable && m_exists && !m_busy);
    m_purgeAction->setEnabled(writable && m_revision > 0 && !m_busy);
    m_newKeyAction->setEnabled(m_bucket && !m_readOnly);
    m_copyKeyAction->setEnabled(open);
    m_copyValueAction->setEnabled(open);
    const QString readOnlyNote = m_readOnly ? tr("This connection is read-only.") : QString();
    for (QAction *action : {m_saveAction, m_deleteAction, m_purgeAction, m_newKeyAction})
        action->setToolTip(readOnlyNote);
    m_saveButton->setToolTip(readOnlyNote);
}

void ValuePanel::revert()
{
    render(m_view);
}

void ValuePanel::save()
{
    if (!m_bucket || m_key.isEmpty() || m_readOnly || m_busy)
        return;
    QByteArray value;
    if (!editorBytes(&value))
        return;
    // Based on the revision the user opened: if that is no longer the latest the server refuses it.
    KvReply *reply = m_revision == 0 ? m_bucket->create(m_key, value) : m_bucket->update(m_key, value, m_revision);
    m_busy = true;
    updateActions();
    m_status->setInfo(tr("Saving…"));
    const QString key = m_key;
    connect(reply, &NatsReply::finished, this, [this, reply, key, value] {
        reply->deleteLater();
        m_busy = false;
        if (key != m_key)
            return;
        if (reply->error() == NatsError::WrongRevision || reply->error() == NatsError::KeyExists) {
            m_status->setMessage(tr("Not saved: %1").arg(reply->errorString()));
            resolveConflict(value);
            return;
        }
        if (reply->error() != NatsError::NoError) {
            m_status->setMessage(tr("Not saved: %1").arg(reply->errorString()));
            updateActions();
            return;
        }
        KvEntry saved = m_entry;
        saved.key = key;
        saved.value = value;
        saved.revision = reply->revision();
        saved.operation = KvEntry::Operation::Put;
        saved.created = QDateTime::currentDateTimeUtc();
        const View view = m_view;
        showEntry(saved, true);
        render(view);
        m_status->setInfo(tr("Saved as revision %1").arg(reply->revision()));
        Q_EMIT message(tr("Saved %1 as revision %2").arg(key).arg(reply->revision()));
    });
}

void ValuePanel::resolveConflict(const QByteArray &mine)
{
    KvReply *latest = m_bucket->get(m_key);
    const QString key = m_key;
    connect(latest, &NatsReply::finished, this, [this, latest, key, mine] {
        latest->deleteLater();
        if (key != m_key)
            return;
        KvEntry theirs = latest->entry();
        if (latest->error() != NatsError::NoError && latest->error() != NatsError::KeyNotFound) {
            m_status->setMessage(
                tr("Not saved, and the newer version could not be read: %1").arg(latest->errorString()));
            return;
        }
        ConflictDialog dialog(key, entryText(mine), m_revision, theirs, entryText(theirs.value), this);
        dialog.exec();
        switch (dialog.choice()) {
        case ConflictDialog::Choice::Overwrite:
            // A deliberate overwrite, still guarded: based on the revision just shown.
            m_revision = theirs.revision;
            m_exists = !theirs.isDeleted();
            m_editor->document()->setModified(true);
            save();
            break;
        case ConflictDialog::Choice::TakeTheirs:
            reload();
            break;
        case ConflictDialog::Choice::KeepEditing:
            m_newerRevision = theirs.revision;
            m_bannerText->setText(tr("Revision %1 by someone else is newer than the one you are editing (%2). "
                                     "Your save will be refused until you choose.")
                                      .arg(theirs.revision)
                                      .arg(m_revision));
            m_banner->show();
            updateActions();
            break;
        }
    });
}

void ValuePanel::onOtherChange(const KvEntry &entry)
{
    if (entry.key != m_key || entry.revision <= m_revision || m_loading || m_busy)
        return;
    if (!isModified()) {
        // Nothing of the user's is at stake: just show what is there now.
        reload();
        Q_EMIT message(tr("%1 changed: now revision %2").arg(entry.key).arg(entry.revision));
        return;
    }
    m_newerRevision = entry.revision;
    const QString what = entry.isDeleted() ? tr("deleted it (%1)").arg(KvEntry::operationName(entry.operation))
                                           : tr("saved revision %1").arg(entry.revision);
    m_bannerText->setText(tr("Someone else %1 at %2 while you were editing revision %3. Saving will not overwrite "
                             "it silently.")
                              .arg(what, HumanFormat::localTime(entry.created))
                              .arg(m_revision));
    m_banner->show();
}

void ValuePanel::deleteKey()
{
    if (!m_bucket || m_key.isEmpty() || m_readOnly)
        return;
    const auto answer = QMessageBox::question(this, tr("Delete Key"),
                                              tr("Delete key \"%1\"? It will read as not found; its history is kept "
                                                 "until compacted.")
                                                  .arg(m_key));
    if (answer == QMessageBox::Yes)
        writeMarker(false);
}

void ValuePanel::purgeKey()
{
    if (!m_bucket || m_key.isEmpty() || m_readOnly)
        return;
    const auto answer = QMessageBox::warning(this, tr("Purge Key"),
                                             tr("Purge key \"%1\"? This removes the key and every revision of its "
                                                "history. It cannot be undone.")
                                                 .arg(m_key),
                                             QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        writeMarker(true);
}

void ValuePanel::writeMarker(bool purge)
{
    // Guarded by the open revision too: a key changed since it was opened is not deleted blindly.
    KvReply *reply = purge ? m_bucket->purge(m_key, m_revision) : m_bucket->remove(m_key, m_revision);
    m_busy = true;
    updateActions();
    const QString key = m_key;
    connect(reply, &NatsReply::finished, this, [this, reply, key, purge] {
        reply->deleteLater();
        m_busy = false;
        if (reply->error() != NatsError::NoError) {
            m_status->setMessage(tr("%1 failed: %2").arg(purge ? tr("Purge") : tr("Delete"), reply->errorString()));
            updateActions();
            return;
        }
        Q_EMIT message(tr("%1 %2 (revision %3)").arg(purge ? tr("Purged") : tr("Deleted"), key).arg(reply->revision()));
        if (key == m_key)
            reload();
    });
}

void ValuePanel::newKey()
{
    if (!m_bucket || m_readOnly)
        return;
    NewKeyDialog dialog(m_bucket, this);
    if (dialog.exec() == QDialog::Accepted) {
        Q_EMIT message(tr("Created %1 (revision %2)").arg(dialog.key()).arg(dialog.revision()));
        Q_EMIT keyCreated(dialog.key());
    }
}
