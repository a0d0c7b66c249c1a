#include "historypanel.h"

#include "actionicons.h"
#include "difftext.h"
#include "diffview.h"
#include "editortext.h"
#include "elidedlabel.h"
#include "errorlabel.h"
#include "historymodel.h"
#include "humanformat.h"
#include "jsonhighlighter.h"
#include "kvbucket.h"
#include "kvunits.h"
#include "textfill.h"

#include <QtGui/QAction>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

HistoryPanel::HistoryPanel(QWidget *parent)
    : QWidget(parent)
    , m_model(new HistoryModel(this))
    , m_headerKey(new ElidedLabel(Qt::ElideMiddle, this))
    , m_header(new QLabel(this))
    , m_view(new QTreeView(this))
    , m_pages(new QStackedWidget(this))
    , m_diff(new DiffView(this))
    , m_status(new ErrorLabel(this))
{
    setObjectName(u"historyPanel"_s);
    m_headerKey->setObjectName(u"historyKey"_s);
    m_header->setObjectName(u"historyHeader"_s);
    m_status->setObjectName(u"historyStatus"_s);
    QFont bold = m_headerKey->font();
    bold.setBold(true);
    m_headerKey->setFont(bold);
    createView();
    createActions();
    m_diff->setObjectName(u"historyDiff"_s);
    m_pages->addWidget(buildValuePage());
    m_pages->addWidget(m_diff);

    layoutWidgets();
    updateHeader();
    updateActions();
}

void HistoryPanel::createView()
{
    m_view->setObjectName(u"historyView"_s);
    m_view->setAccessibleName(tr("Revisions"));
    m_view->setAccessibleDescription(tr("The open key's revisions, newest first; select one to see its value, two "
                                        "to compare them"));
    setFocusProxy(m_view);
    m_view->setModel(m_model);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAllColumnsShowFocus(true);
    m_view->header()->setSectionResizeMode(QHeaderView::ResizeToContents); // 64 rows at most
    m_view->header()->setStretchLastSection(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &HistoryPanel::onSelectionChanged);
    connect(m_model, &HistoryModel::loaded, this, &HistoryPanel::onLoaded);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &HistoryPanel::onRevisionAdded);
    // Rows go without the selection changing: the history limit pushes out the revision before the newest
    // one just selected (Compare with Previous has nothing to compare with then), a TTL runs out.
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, [this] {
        updateHeader();
        updateActions();
    });
    connect(m_model, &HistoryModel::errorOccurred, this, [this](const QString &text) {
        m_status->setMessage(tr("The history could not be read: %1").arg(text));
        updateHeader(); // no longer loading
    });
    connect(m_model, &HistoryModel::bucketReplaced, this, &HistoryPanel::onBucketReplaced);
    connect(m_model, &HistoryModel::historyLimitChanged, this, &HistoryPanel::updateHeader);
    connect(m_model, &HistoryModel::notFollowed, this, [this](const QString &reason) {
        m_status->setInfo(tr("Read one revision at a time and not followed live: %1").arg(reason));
    });
}

// The revisions shown were another bucket's (the model reads the key's history again): none stays shown.
void HistoryPanel::onBucketReplaced()
{
    ++m_shownSerial;
    m_pendingRevision = 0;
    m_followLatest = true;
    clearShownValue();
    m_status->setInfo(tr("Bucket \"%1\" is not the one read before (deleted and made again, or another server's "
                         "copy): the history of %2 was read again.")
                          .arg(m_bucket ? m_bucket->name() : QString(), m_key));
}

void HistoryPanel::createActions()
{
    m_compareAction = new QAction(ActionIcons::icon(u"view-dual"_s), tr("Compare with &Previous"), this);
    m_compareAction->setToolTip(tr("The selected revision against the one before it"));
    connect(m_compareAction, &QAction::triggered, this, &HistoryPanel::compareWithPrevious);
    m_compareEditorAction = new QAction(ActionIcons::icon(u"document-edit"_s), tr("Compare with &Editor"), this);
    m_compareEditorAction->setToolTip(tr("The selected revision against the text in the value editor, saved or not"));
    connect(m_compareEditorAction, &QAction::triggered, this, &HistoryPanel::compareWithEditor);
    m_revertAction = new QAction(tr("&Revert to This Revision…"), this);
    m_revertAction->setToolTip(tr("Write this revision's value as the key's newest revision"));
    connect(m_revertAction, &QAction::triggered, this, &HistoryPanel::revertToSelected);
}

void HistoryPanel::layoutWidgets()
{
    const auto button = [this](QAction *action, const QString &name) {
        auto *b = new QToolButton(this);
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        b->setObjectName(name);
        return b;
    };
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(button(m_compareAction, u"historyCompare"_s));
    buttons->addWidget(button(m_compareEditorAction, u"historyCompareEditor"_s));
    buttons->addStretch(1);
    m_revertButton = new QPushButton(this);
    m_revertButton->setObjectName(u"historyRevert"_s);
    m_revertButton->setText(tr("Revert to This…"));
    connect(m_revertButton, &QPushButton::clicked, m_revertAction, &QAction::trigger);
    buttons->addWidget(m_revertButton);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    auto *header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    header->setSpacing(0);
    header->addWidget(m_headerKey); // shrinks first: the count stays whole
    header->addWidget(m_header);
    header->addStretch(1);
    leftLayout->addLayout(header);
    leftLayout->addWidget(m_view, 1);
    leftLayout->addLayout(buttons);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(u"historySplitter"_s);
    splitter->addWidget(left);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setSizes({380, 900});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
}

QWidget *HistoryPanel::buildValuePage()
{
    auto *page = new QWidget(this);
    // Elided where the panel is short of room: a marker's line ("rev 5 · EXPIRED (MaxAge) · … — the server
    // removed the key here: no value · newest") asked for its whole width and widened the window.
    m_valueMeta = new ElidedLabel(Qt::ElideRight, page);
    m_valueMeta->setObjectName(u"historyValueMeta"_s);
    m_viewSelector = new QComboBox(page);
    m_viewSelector->setObjectName(u"historyViewSelector"_s);
    m_viewSelector->setAccessibleName(tr("Value view"));
    m_viewSelector->setAccessibleDescription(tr("How the revision's value is shown: text, JSON, hex, Base64"));
    for (const View view : {View::Text, View::Json, View::Hex, View::Base64, View::Cbor, View::Decoded})
        m_viewSelector->addItem(ValueFormat::viewName(view), int(view));
    connect(m_viewSelector, &QComboBox::activated, this, [this](int index) {
        m_viewMode = View(m_viewSelector->itemData(index).toInt());
        renderValue();
    });
    m_value = new QPlainTextEdit(page);
    m_value->setObjectName(u"historyValue"_s);
    m_value->setAccessibleName(tr("Value of the selected revision"));
    m_value->setAccessibleDescription(tr("Read-only; Revert to This puts it back as the newest revision"));
    m_value->setReadOnly(true);
    QFont mono(u"monospace"_s);
    mono.setStyleHint(QFont::Monospace);
    m_value->setFont(mono);
    m_highlighter = new JsonHighlighter(nullptr);
    m_highlighter->setParent(this);
    m_fill = new TextFill(m_value);

    auto *top = new QHBoxLayout;
    top->addWidget(m_valueMeta, 1);
    top->addWidget(new QLabel(tr("View:"), page));
    top->addWidget(m_viewSelector);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_value, 1);
    return page;
}

void HistoryPanel::setBucket(KvBucket *bucket, bool readOnly)
{
    ++m_shownSerial;
    m_bucket = bucket;
    m_readOnly = readOnly;
    m_key.clear();
    m_model->clear();
    m_shown = {};
    m_fill->setText({});
    m_valueMeta->clear();
    m_status->setMessage({});
    updateHeader();
    updateActions();
}

void HistoryPanel::setReadOnly(bool readOnly)
{
    m_readOnly = readOnly;
    updateActions();
}

void HistoryPanel::setKey(const QString &key)
{
    // A history that is not followed live (read one revision at a time) is read again whenever the key is
    // opened again: a save, a reload, the key opened by name.
    const bool current = m_model->isLoading() || (m_model->isLoaded() && m_model->isFollowed());
    if (key == m_key && (current || !isVisible()))
        return;
    if (key != m_key)
        ++m_shownSerial;
    m_key = key;
    m_pendingRevision = 0;
    m_followLatest = true;
    clearShownValue();
    m_status->setMessage({});
    if (isVisible())
        load();
    else
        m_model->clear();
    updateHeader();
    updateActions();
}

void HistoryPanel::load()
{
    if (m_key.isEmpty() || !m_bucket) {
        m_model->clear();
        return;
    }
    m_model->load(m_bucket, m_key);
    updateHeader();
}

void HistoryPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_key.isEmpty() && (m_model->key() != m_key || (!m_model->isLoaded() && !m_model->isLoading())))
        load();
}

void HistoryPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    // Hidden (its dock closed or behind another tab) it stops watching; shown again it reloads.
    m_model->clear();
}

void HistoryPanel::selectRevision(quint64 revision)
{
    const int row = m_model->rowOfRevision(revision);
    if (row < 0) {
        m_pendingRevision = revision; // selected once loaded
        return;
    }
    m_pendingRevision = 0;
    m_followLatest = row == 0;
    m_view->selectionModel()->select(m_model->index(row, 0),
                                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->setCurrentIndex(m_model->index(row, 0));
    m_view->scrollTo(m_model->index(row, 0));
}

void HistoryPanel::onLoaded()
{
    updateHeader();
    if (m_pendingRevision > 0 && m_model->rowOfRevision(m_pendingRevision) >= 0) {
        selectRevision(m_pendingRevision);
    } else if (m_pendingRevision > 0) {
        m_status->setMessage(
            (m_model->historyLimit() == 1
                 ? tr("Revision %1 of %2 is no longer on the server; the bucket keeps 1 revision per key.")
                 : tr("Revision %1 of %2 is no longer on the server; the bucket keeps %n revisions per key.", nullptr,
                      m_model->historyLimit()))
                .arg(m_pendingRevision)
                .arg(m_key));
        m_pendingRevision = 0;
        if (m_model->rowCount() > 0)
            selectRevision(m_model->latestRevision());
    } else if (m_model->rowCount() > 0) {
        selectRevision(m_model->latestRevision());
    }
}

void HistoryPanel::onRevisionAdded()
{
    updateHeader();
    if (m_model->latestRevision() > m_refusalAt)
        dropRefusalNote(); // the key moved on since the refusal: "it is now at" is no longer true
    if (!m_model->isLoaded())
        return;
    if (m_pendingRevision > 0 && m_model->rowOfRevision(m_pendingRevision) >= 0)
        selectRevision(m_pendingRevision); // (the one a revert just wrote)
    else if (m_followLatest && selectedRevisions().size() <= 1)
        selectRevision(m_model->latestRevision()); // following the newest: the selection moves up with it
    updateActions();
}

QList<quint64> HistoryPanel::selectedRevisions() const
{
    QList<int> rows;
    const QModelIndexList selected = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows.append(index.row());
    std::sort(rows.begin(), rows.end());
    QList<quint64> revisions;
    for (const int row : std::as_const(rows))
        revisions.append(m_model->entryAt(row).revision);
    return revisions;
}

KvEntry HistoryPanel::selectedEntry() const
{
    const QList<quint64> revisions = selectedRevisions();
    return revisions.size() == 1 ? m_model->entryAt(m_model->rowOfRevision(revisions.first())) : KvEntry();
}

void HistoryPanel::dropRefusalNote()
{
    if (!m_refusalNote.isEmpty() && m_status->message() == m_refusalNote)
        m_status->setMessage({});
    m_refusalNote.clear();
}

void HistoryPanel::onSelectionChanged()
{
    const QList<quint64> revisions = selectedRevisions();
    if (revisions != m_refusalSelection)
        dropRefusalNote();
    if (revisions.isEmpty()) {
        // Its rows went (a purge removes every revision before it): what was shown is no longer there.
        // Following the newest goes on, so the purge's own row is shown once it is in.
        clearShownValue();
        updateActions();
        return;
    }
    m_followLatest = revisions.size() == 1 && revisions.first() == m_model->latestRevision();
    if (revisions.size() == 1) {
        showRevision(m_model->entryAt(m_model->rowOfRevision(revisions.first())));
    } else if (revisions.size() == 2) {
        // Older on the left, newer on the right, as a change reads.
        const KvEntry newer = m_model->entryAt(m_model->rowOfRevision(revisions[0]));
        const KvEntry older = m_model->entryAt(m_model->rowOfRevision(revisions[1]));
        showDiff(tr("%1 · %2").arg(HumanFormat::revision(older.revision), HumanFormat::localTime(older.created)),
                 older.value,
                 tr("%1 · %2").arg(HumanFormat::revision(newer.revision), HumanFormat::localTime(newer.created)),
                 newer.value);
    }
    updateActions();
}

void HistoryPanel::clearShownValue()
{
    m_shown = {};
    m_fill->setText({});
    m_valueMeta->clear();
    m_pages->setCurrentIndex(0);
}

void HistoryPanel::showRevision(const KvEntry &entry)
{
    m_shown = entry;
    m_pages->setCurrentIndex(0);
    QString meta = tr("%1 · %2 · %3")
                       .arg(HumanFormat::revision(entry.revision), entry.operationLabel(),
                            HumanFormat::localTime(entry.created));
    if (entry.isLimitMarker()) // the label says why: EXPIRED (MaxAge) when a TTL or the maximum age ran out
        meta = tr("%1 — the server removed the key here: no value").arg(meta);
    else if (entry.isDeleted())
        meta = tr("%1 — the key was %2 here: no value")
                   .arg(meta, entry.operation == KvEntry::Operation::Purge ? tr("purged") : tr("deleted"));
    else
        meta = tr("%1 · %2").arg(meta, KvUnits::iBytes(entry.value.size()));
    if (entry.revision == m_model->latestRevision())
        meta = tr("%1 · newest").arg(meta);
    m_valueMeta->setText(meta);
    m_valueMeta->setToolTip(HumanFormat::utcTime(entry.created));
    m_viewMode = ValueFormat::detect(entry.value);
    renderValue();
}

void HistoryPanel::renderValue()
{
    QString text;
    QString error;
    if (!ValueFormat::render(m_shown.value, m_viewMode, &text, &error)) {
        m_status->setMessage(error);
        m_renderError = true;
        m_viewMode = ValueFormat::detect(m_shown.value);
        ValueFormat::render(m_shown.value, m_viewMode, &text, &error);
    } else if (std::exchange(m_renderError, false)) {
        m_status->setMessage({}); // only our own complaint: other messages stay
    }
    m_viewSelector->setCurrentIndex(m_viewSelector->findData(int(m_viewMode)));
    // Set again, the highlighter would colour the whole text in one turn: only when it changes.
    QTextDocument *highlighted = m_viewMode == View::Json ? m_value->document() : nullptr;
    if (m_highlighter->document() != highlighted)
        m_highlighter->setDocument(highlighted);
    // A long line in parts (EditorText's breaks: the editor lays a line out whole), a large value a part a
    // turn; the view is read-only, so nothing of it is ever saved.
    m_fill->setText(EditorText(text).shown());
}

void HistoryPanel::showDiff(const QString &leftTitle, const QByteArray &leftValue, const QString &rightTitle,
                            const QByteArray &rightValue)
{
    // Said where it shows: a normalised JSON diff reads numbers and key order the way the parser does.
    const DiffText::Pair texts = DiffText::forPair(leftValue, rightValue);
    const QString note = texts.normalized ? tr(" · JSON, keys sorted") : QString();
    m_diff->setTexts(leftTitle + note, texts.left, rightTitle + note, texts.right);
    m_pages->setCurrentWidget(m_diff);
}

bool HistoryPanel::isShowingDiff() const
{
    return m_pages->currentWidget() == m_diff;
}

QString HistoryPanel::valueText() const
{
    return m_fill->text();
}

QString HistoryPanel::statusMessage() const
{
    return m_status->message();
}

void HistoryPanel::compareWithPrevious()
{
    const KvEntry entry = selectedEntry();
    const int row = m_model->rowOfRevision(entry.revision);
    if (row < 0 || row + 1 >= m_model->rowCount())
        return;
    const KvEntry previous = m_model->entryAt(row + 1);
    showDiff(HumanFormat::revision(previous.revision), previous.value, HumanFormat::revision(entry.revision),
             entry.value);
}

void HistoryPanel::compareWithEditor()
{
    const KvEntry entry = selectedEntry();
    QByteArray mine;
    QString label;
    if (entry.revision == 0 || !m_editorSource || !m_editorSource(&mine, &label))
        return;
    showDiff(HumanFormat::revision(entry.revision), entry.value, label, mine);
}

void HistoryPanel::revertToSelected()
{
    const KvEntry entry = selectedEntry();
    if (entry.revision == 0 || entry.isDeleted() || m_readOnly)
        return;
    // The guard is the newest revision the user sees now, taken before asking: a change that arrives while
    // the question is open makes the write fail rather than overwrite it.
    const quint64 latest = m_model->latestRevision();
    const auto answer = QMessageBox::question(
        this, tr("Revert Key"),
        tr("Write the value of %1 as the newest revision of \"%2\"? The current value (%3) stays in the history.")
            .arg(HumanFormat::revision(entry.revision), m_key, HumanFormat::revision(latest)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        revertTo(entry.revision, latest);
}

void HistoryPanel::revertTo(quint64 revision, quint64 expectedLatest)
{
    const int row = m_model->rowOfRevision(revision);
    if (!m_bucket || row < 0 || m_readOnly || m_busy)
        return;
    const QString key = m_key;
    const QString bucket = m_bucket->name();
    const quint64 shown = m_shownSerial;
    m_busy = true;
    updateActions();
    KvReply *reply = m_bucket->revert(key, revision, expectedLatest);
    connect(reply, &NatsReply::finished, this, [this, reply, key, bucket, shown, revision, expectedLatest] {
        reply->deleteLater();
        m_busy = false;
        updateActions();
        // The user may have moved on to another key or bucket meanwhile: then what is said names them,
        // and the history shown now is left alone.
        const bool elsewhere = shown != m_shownSerial;
        const QString where = elsewhere ? tr("\"%1\" in bucket \"%2\"").arg(key, bucket) : tr("\"%1\"").arg(key);
        if (reply->error() == NatsError::NoError) {
            m_status->setInfo(
                tr("Reverted %1 to the value of %2: saved as %3")
                    .arg(where, HumanFormat::revision(revision), HumanFormat::revision(reply->revision())));
            if (!elsewhere)
                selectRevision(reply->revision()); // now, or as soon as the watch brings it
            Q_EMIT message(m_status->message());
            Q_EMIT reverted(key, reply->revision());
            return;
        }
        m_status->setMessage(revertFailure(reply, where, revision, expectedLatest, elsewhere));
        if (elsewhere)
            Q_EMIT message(m_status->message()); // in the status bar too: the panel shows another key now
        const bool unknown = reply->error() == NatsError::OutcomeUnknown || reply->error() == NatsError::Timeout
            || reply->error() == NatsError::ConnectionLost;
        // A refusal is about the revisions as they are now; an outcome not known waits for the revision
        // that would settle it, and says so: it stays.
        if (!elsewhere && !unknown) {
            m_refusalNote = m_status->message();
            m_refusalAt = std::max(m_model->latestRevision(), reply->currentRevision());
            m_refusalSelection = selectedRevisions();
        }
    });
}

QString HistoryPanel::revertFailure(const KvReply *reply, const QString &where, quint64 revision,
                                    quint64 expectedLatest, bool elsewhere) const
{
    switch (reply->error()) {
    case NatsError::WrongRevision:
        return tr("Not reverted: someone changed %1 after %2 (it is now at %3). Nothing was written; look at the "
                  "newer revision and revert again if you still want to.")
            .arg(where, HumanFormat::revision(expectedLatest), HumanFormat::revision(reply->currentRevision()));
    case NatsError::OutcomeUnknown:
    case NatsError::Timeout:
    case NatsError::ConnectionLost:
        // The write went out and no answer came: the server may have stored it. Not "not reverted".
        return (elsewhere ? tr("The revert of %1 to the value of %2 may or may not have been written (%3). Open "
                               "that bucket and look at the key's history: a new revision holding that value "
                               "means it was.")
                          : tr("The revert of %1 to the value of %2 may or may not have been written (%3). The "
                               "history shows a new revision holding that value if it was."))
            .arg(where, HumanFormat::revision(revision), reply->errorString());
    default:
        return elsewhere ? tr("Not reverted: %1: %2").arg(where, reply->errorString())
                         : tr("Not reverted: %1").arg(reply->errorString());
    }
}

void HistoryPanel::updateHeader()
{
    m_headerKey->setText(m_key);
    m_headerKey->setVisible(!m_key.isEmpty());
    if (m_key.isEmpty()) {
        m_header->setText(tr("<i>Select a key to see its history</i>"));
        return;
    }
    QString text;
    if (m_model->isLoading())
        text += tr(" · loading…");
    else if (m_model->isLoaded() && m_model->rowCount() == 0)
        text += tr(" · no revisions kept");
    else if (m_model->isLoaded())
        text += m_model->rowCount() == 1 ? tr(" · 1 revision") : tr(" · %1 revisions").arg(m_model->rowCount());
    if (m_model->historyLimit() > 0)
        text += tr(" (the bucket keeps %1)").arg(m_model->historyLimit());
    m_header->setText(text);
}

void HistoryPanel::setInterruption(const QString &reason)
{
    m_interruption = reason;
    updateActions();
}

void HistoryPanel::updateActions()
{
    const KvEntry entry = selectedEntry();
    const int row = m_model->rowOfRevision(entry.revision);
    m_compareAction->setEnabled(row >= 0 && row + 1 < m_model->rowCount());
    m_compareEditorAction->setEnabled(entry.revision > 0 && bool(m_editorSource));
    const bool canRevert = entry.revision > 0 && !entry.isDeleted() && entry.revision != m_model->latestRevision();
    m_revertAction->setEnabled(canRevert && !m_readOnly && !m_busy && m_bucket && m_interruption.isEmpty());
    m_revertButton->setEnabled(m_revertAction->isEnabled());
    if (!m_interruption.isEmpty())
        m_revertButton->setToolTip(tr("%1 Nothing can be written until the connection is back.").arg(m_interruption));
    else if (m_readOnly)
        m_revertButton->setToolTip(tr("This connection is read-only"));
    else if (entry.revision > 0 && entry.revision == m_model->latestRevision())
        m_revertButton->setToolTip(tr("This is the newest revision already"));
    else
        m_revertButton->setToolTip(m_revertAction->toolTip());
}
