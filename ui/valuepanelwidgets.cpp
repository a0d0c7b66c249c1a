// ValuePanel, continued: building its banner, editor, actions and layout. Its behaviour (open, show,
// save, conflicts) stays in valuepanel.cpp.
#include "valuepanel.h"

#include "appearance.h"
#include "conflictdialog.h"
#include "elidedlabel.h"
#include "errorlabel.h"
#include "humanformat.h"
#include "interruptionbanner.h"
#include "jsonhighlighter.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvunits.h"
#include "mergedialog.h"
#include "newkeydialog.h"
#include "purgedialog.h"
#include "textfill.h"
#include "ttlcountdown.h"
#include "valueeditsession.h"
#include "wrappedlabel.h"

#include <QtCore/QTimer>
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
#include <QtWidgets/QStyle>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

using View = ValueFormat::View;

// The banner: someone else changed the open key.
void ValuePanel::createBanner()
{
    m_banner = new QFrame(this);
    m_banner->setObjectName(u"conflictBanner"_s);
    m_banner->setFrameShape(QFrame::StyledPanel);
    Appearance::tintBackground(m_banner, QColor(0xff, 0xf3, 0xcd), QColor(0x5c, 0x4a, 0x10));
    m_bannerText = new WrappedLabel(m_banner);
    m_bannerText->setObjectName(u"conflictBannerText"_s);
    auto *compare = new QPushButton(tr("Compare…"), m_banner);
    compare->setObjectName(u"bannerCompare"_s);
    auto *reloadButton = new QPushButton(tr("Reload (discard mine)"), m_banner);
    reloadButton->setObjectName(u"bannerReload"_s);
    // A warning sign besides the tint: the colour is not all that says this needs attention.
    auto *bannerIcon = new QLabel(m_banner);
    bannerIcon->setObjectName(u"conflictBannerIcon"_s);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    bannerIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    bannerIcon->setAccessibleName(tr("Warning"));
    // The text over the whole width, the buttons under it: beside the buttons a narrow panel left the text
    // a column of a few words, cut at its top and bottom.
    auto *textRow = new QHBoxLayout;
    textRow->addWidget(bannerIcon, 0, Qt::AlignTop);
    textRow->addWidget(m_bannerText, 1);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addStretch(1);
    buttonRow->addWidget(compare);
    buttonRow->addWidget(reloadButton);
    auto *bannerLayout = new QVBoxLayout(m_banner);
    bannerLayout->addLayout(textRow);
    bannerLayout->addLayout(buttonRow);
    m_banner->hide();
    connect(compare, &QPushButton::clicked, this, [this] { m_session->compare(editorText()); });
    connect(reloadButton, &QPushButton::clicked, this, &ValuePanel::reload);
}

void ValuePanel::createEditor()
{
    m_viewSelector = new QComboBox(this);
    m_viewSelector->setObjectName(u"viewSelector"_s);
    m_viewSelector->setAccessibleName(tr("Value view"));
    m_viewSelector->setAccessibleDescription(tr("How the value is shown and edited: text, JSON, hex, Base64"));
    for (const View view : {View::Text, View::Json, View::Hex, View::Base64, View::Cbor, View::Decoded})
        m_viewSelector->addItem(ValueFormat::viewName(view), int(view));
    connect(m_viewSelector, &QComboBox::activated, this,
            [this](int index) { setView(View(m_viewSelector->itemData(index).toInt())); });
    // What the editor cannot show but a save keeps: line endings, no-break spaces, separators. Elided where
    // the row is short of room ("a byte order mark and CRLF line endings, kept" pushed the panel wider,
    // and the keys and buckets beside it).
    m_layoutNote = new ElidedLabel(Qt::ElideRight, this);
    m_layoutNote->setObjectName(u"layoutNote"_s);
    m_layoutNote->setToolTip(tr("A save changes only what you type: the rest of the value keeps its bytes. "
                                "Reformat JSON saves JSON indented instead."));
    // Above the value in the Decoded view: how it was decoded, and why it is read-only if it is.
    m_decodeChain = new QLabel(this);
    m_decodeChain->setObjectName(u"decodeChain"_s);
    m_decodeChain->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_decodeChain->setToolTip(tr("The decoders found for the stored bytes, in order. The Hex view shows the bytes "
                                 "as stored."));
    m_readOnlyReason = new QLabel(this);
    m_readOnlyReason->setObjectName(u"readOnlyReason"_s);
    m_readOnlyReason->setWordWrap(true);
    m_readOnlyReason->setTextInteractionFlags(Qt::TextSelectableByMouse);

    createValueEditor();

    // Offered where a view refuses a value: the one view that shows any bytes as they are.
    m_showHex = new QPushButton(tr("Show in &Hex View"), this);
    m_showHex->setObjectName(u"showHexButton"_s);
    m_showHex->hide();
    connect(m_showHex, &QPushButton::clicked, this, [this] { setView(View::Hex); });
}

// The text editor itself, what fills it and what follows its edits.
void ValuePanel::createValueEditor()
{
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(u"valueEditor"_s);
    m_editor->setAccessibleName(tr("Value"));
    m_editor->setAccessibleDescription(tr("The open key's value; Ctrl+S saves it"));
    m_editor->setTabChangesFocus(true); // Tab and Shift+Tab leave the editor: no keyboard trap
    QFont mono(u"monospace"_s);
    mono.setStyleHint(QFont::Monospace);
    m_editor->setFont(mono);
    m_highlighter = new JsonHighlighter(nullptr);
    m_highlighter->setParent(this);
    m_fill = new TextFill(m_editor);
    connect(m_fill, &TextFill::progressed, this, &ValuePanel::showLayoutNote);
    connect(m_fill, &TextFill::finished, this, [this] {
        showLayoutNote();
        updateActions();
        updateSizeHint();
    });
    m_sizeHintTimer = new QTimer(this);
    m_sizeHintTimer->setSingleShot(true);
    m_sizeHintTimer->setInterval(500);
    connect(m_sizeHintTimer, &QTimer::timeout, this, [this] {
        dropTakenBackEdit(true);
        if (isModified())
            showEditedSize();
        else
            updateSizeHint();
    });
    connect(m_editor, &QPlainTextEdit::modificationChanged, this, [this](bool modified) {
        if (m_fill->isFilling())
            return; // the document marks itself modified as parts arrive; TextFill says what it is after
        m_session->setModified(modified);
        updateActions();
    });
    // First: the size hint reads the flag it may clear.
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] { dropTakenBackEdit(false); });
    connect(m_editor, &QPlainTextEdit::textChanged, this, &ValuePanel::updateSizeHint);
}

void ValuePanel::createActions()
{
    m_saveAction = new QAction(tr("&Save Value"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_revertAction = new QAction(tr("Re&vert Changes"), this);
    m_revertAction->setIconText(tr("Revert"));
    m_reformatAction = new QAction(tr("Reformat &JSON"), this);
    m_reformatAction->setIconText(tr("Reformat"));
    m_reformatAction->setShortcut(QKeySequence(u"Ctrl+Shift+F"_s));
    m_reformatAction->setToolTip(tr("Indent the JSON, one member per line; a save then stores it so"));
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
    connect(m_reformatAction, &QAction::triggered, this, &ValuePanel::reformat);
    connect(m_deleteAction, &QAction::triggered, this, &ValuePanel::deleteKey);
    connect(m_purgeAction, &QAction::triggered, this, &ValuePanel::purgeKey);
    connect(m_newKeyAction, &QAction::triggered, this, &ValuePanel::newKey);
    connect(m_copyKeyAction, &QAction::triggered, this,
            [this] { QGuiApplication::clipboard()->setText(m_session->key()); });
    connect(m_copyValueAction, &QAction::triggered, this, [this] {
        QByteArray value;
        const bool text = view() == View::Text || view() == View::Json;
        QGuiApplication::clipboard()->setText(text && editorValue(&value) ? QString::fromUtf8(value) : editorText());
    });
    m_saveButton = new QPushButton(tr("Save"), this);
    m_saveButton->setObjectName(u"saveButton"_s);
    m_saveButton->setAccessibleDescription(
        tr("Writes the edited value as the key's next revision, refused if someone saved since it was opened"));
    connect(m_saveButton, &QPushButton::clicked, this, &ValuePanel::save);
}

void ValuePanel::layoutWidgets()
{
    const auto actionButton = [this](QAction *action) {
        auto *button = new QToolButton(this);
        button->setDefaultAction(action);
        return button;
    };
    auto *viewRow = new QHBoxLayout;
    viewRow->addWidget(new QLabel(tr("View:"), this));
    viewRow->addWidget(m_viewSelector);
    viewRow->addWidget(m_layoutNote);
    viewRow->addStretch(1);
    viewRow->addWidget(m_size);
    auto *statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_showHex);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_saveButton);
    buttons->addWidget(actionButton(m_revertAction));
    buttons->addWidget(actionButton(m_reformatAction));
    buttons->addStretch(1);
    buttons->addWidget(actionButton(m_copyValueAction));
    buttons->addWidget(actionButton(m_deleteAction));
    buttons->addWidget(actionButton(m_purgeAction));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_meta);
    layout->addWidget(m_countdown);
    layout->addWidget(m_interruption);
    layout->addWidget(m_banner);
    layout->addLayout(viewRow);
    layout->addWidget(m_decodeChain);
    layout->addWidget(m_readOnlyReason);
    layout->addWidget(m_editor, 1);
    layout->addLayout(statusRow);
    layout->addLayout(buttons);
}
