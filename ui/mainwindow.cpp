#include "mainwindow.h"

#include "actionicons.h"
#include "appearance.h"
#include "asofbar.h"
#include "asofview.h"
#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "connectionbar.h"
#include "elidedlabel.h"
#include "emptystate.h"
#include "findinvaluesdialog.h"
#include "historypanel.h"
#include "keylistfiltermodel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "keypassphrasedialog.h"
#include "kvasofread.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "localserver.h"
#include "localserverlogdialog.h"
#include "menulettersguard.h"
#include "natsconnection.h"
#include "openkeydialog.h"
#include "permissiongate.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "transferdialog.h"
#include "valueeditsession.h"
#include "valuepanel.h"
#include "watchpanel.h"
#include "watchview.h"
#include "welcomepage.h"

#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QTreeView>
#include <QtWidgets/QVBoxLayout>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString kLocalId = u"local"_s;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_profiles(new ProfileStore(this))
    , m_secrets(new SecretStore(this))
    , m_localServer(new LocalServer(this))
    , m_pages(new QStackedWidget(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_buckets(new BucketPanel(this))
    , m_keys(new KeyPanel(this))
    , m_value(new ValuePanel(this))
    , m_statusLabel(new ElidedLabel(Qt::ElideRight, this))
    , m_permissionGate(new PermissionGate(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("kvdesk"));
    buildPages();
    connectPanels();
    connect(m_profiles, &ProfileStore::profilesChanged, this, &MainWindow::reloadProfileChoices);
    buildDocks();
    buildMenus();
    // What the user may not do is disabled, the missing permission in the tooltip.
    m_permissionGate->guardPanels(m_buckets, m_value, m_history);
    m_permissionGate->guardWatching(m_watches, m_keys->asOfBar());
    m_permissionGate->guard(m_importAction, PermissionGate::writeRule());
    m_permissionGate->guard(m_exportAction, PermissionGate::readRule());
    for (QAction *watch : {m_watchBucketAction, m_watchKeyAction, m_historyAction})
        m_permissionGate->guard(watch, PermissionGate::watchRule());
    reloadProfileChoices();
    updateConnectionBar();
    updateBucketActions();
    restoreLayout();
    hideDocksOnWelcomePage();
    orderTabs();
    m_secrets->probe();
    m_profiles->moveUrlSecretsTo(m_secrets);
    MenuLettersGuard::install(); // Alt and a letter opens a menu or does nothing, never types
}

// The connection bar over the pages: the welcome page, or buckets | keys | value.
void MainWindow::buildPages()
{
    m_pages->setObjectName(u"pages"_s);
    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(m_buckets);
    m_splitter->addWidget(m_keys);
    m_splitter->addWidget(m_value);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setStretchFactor(2, 4);
    // Until the bucket list arrives; then the buckets get the width their columns need (fitBucketPanel()).
    m_splitter->setSizes({380, 470, 430});
    auto *welcome = m_welcome = new WelcomePage(this);
    connect(welcome, &WelcomePage::localServerRequested, this,
            [this] { openProfile(ConnectionProfile::localServerProfile(), {}); });
    connect(welcome, &WelcomePage::addConnectionRequested, this, &MainWindow::manageConnections);
    connect(welcome, &WelcomePage::importRequested, this, [this] {
        ProfileDialog dialog(m_profiles, m_secrets, this);
        QStringList skipped;
        const int count = dialog.importContexts(&skipped);
        statusBar()->showMessage(count == 1 ? tr("Imported 1 natscli context")
                                            : tr("Imported %n natscli contexts", nullptr, count),
                                 kMessageMs);
        if (!skipped.isEmpty()) // each file named, with why
            QMessageBox::warning(this, tr("Import natscli Contexts"), ProfileDialog::importReport(count, skipped));
    });
    m_pages->addWidget(welcome);
    m_pages->addWidget(m_splitter);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    m_connectionBar = new ConnectionBar(this);
    m_profileChoice = m_connectionBar->profileChoice();
    connect(m_connectionBar, &ConnectionBar::connectRequested, this, &MainWindow::connectSelectedProfile);
    connect(m_profileChoice, &QComboBox::currentIndexChanged, this, &MainWindow::updateConnectionBar);
    connect(m_connectionBar, &ConnectionBar::retryRequested, this, &MainWindow::retryConnection);
    connect(m_connectionBar, &ConnectionBar::settingsRequested, this, &MainWindow::manageConnections);
    layout->addWidget(m_connectionBar);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_statusLabel->setObjectName(u"connectionState"_s);
    statusBar()->addPermanentWidget(m_statusLabel);
}

void MainWindow::connectPanels()
{
    const auto showMessage = [this](const QString &text) { statusBar()->showMessage(text, kMessageMs); };
    connect(m_buckets, &BucketPanel::bucketSelected, this, &MainWindow::onBucketSelected);
    connect(m_buckets, &BucketPanel::currentBucketGone, this, &MainWindow::onBucketGone);
    // The key list's watch may learn of a deletion before the bucket list does: the list follows at once.
    connect(m_keys->model(), &KeyListModel::bucketDeleted, m_buckets, &BucketPanel::refresh);
    connect(m_keys->model(), &KeyListModel::entryChanged, m_buckets, [this] {
        if (!m_keys->model()->isLoading()) // a live change, not the initial listing
            m_buckets->refreshSoon();
    });
    connect(m_buckets, &BucketPanel::message, this, showMessage);
    connect(m_keys, &KeyPanel::keySelected, this, &MainWindow::onKeySelected);
    // Enter on a key (or a double click): it is open already (selecting opened it), or opened now; the
    // cursor goes to its value, eight Tabs away otherwise.
    connect(m_keys, &KeyPanel::keyActivated, this, [this](const QString &key) {
        onKeySelected(key);
        if (m_value->key() != key)
            return; // kept the unsaved edit of another
        m_keys->selectKey(key);
        m_value->focusEditor();
    });
    connect(m_value, &ValuePanel::message, this, showMessage);
    connect(m_value, &ValuePanel::removingKey, m_keys, &KeyPanel::moveOnWhenGone);
    connect(m_value, &ValuePanel::entryLoaded, this, &MainWindow::updateBucketActions);
    // Delete and Purge act on every key selected (several rows, a folder of the tree), not the open one alone.
    m_value->setSelectedKeys([this] { return m_keys->selectedKeys(); });
    connect(m_keys, &KeyPanel::selectionChanged, m_value, [this] {
        QString only;
        const qsizetype count = m_keys->selectedKeyCount(kCountedKeys, &only); // a folder of a million: many
        m_value->setKeySelection(count, only);
    });
    connectAsOf();
    createOpenKeyAction();
    createKeyEmptyStates();
    connect(m_value, &ValuePanel::keyCreated, this, [this](const QString &key) {
        m_value->openKey(key);
        // The live list shows the new key in a moment; select it when it is there.
        auto *once = new QObject(this);
        connect(m_keys->model(), &QAbstractItemModel::rowsInserted, once, [this, key, once] {
            if (m_keys->model()->rowOfKey(key) >= 0) {
                m_keys->selectKey(key);
                once->deleteLater();
            }
        });
    });
}

void MainWindow::createOpenKeyAction()
{
    m_openKeyAction = new QAction(tr("&Open Key by Name…"), this);
    m_openKeyAction->setShortcut(QKeySequence(u"Ctrl+G"_s));
    m_openKeyAction->setToolTip(tr("Open a key of the bucket by its name, listed or not (Ctrl+G)"));
    m_openKeyAction->setEnabled(false); // until a bucket is open
    ActionIcons::apply({{m_openKeyAction, u"document-open"_s}});
    m_permissionGate->guard(m_openKeyAction, PermissionGate::getRule());
    connect(m_openKeyAction, &QAction::triggered, this, &MainWindow::openKeyByName);
}

// What the key list says over an empty bucket (EmptyState), a filter matching none of its keys, or a
// listing that failed.
void MainWindow::createKeyEmptyStates()
{
    // An empty bucket says so, with the next step; a listing that failed (refused, say) is no empty bucket.
    auto listingFailed = std::make_shared<bool>(false);
    // Listed, and nothing in the list shown: the bucket is empty, or a filter matches none of its keys
    // (a filter matched here hides keys the listing holds: the rows shown count, not the rows listed).
    auto *keyList = m_keys->findChild<QAbstractItemView *>(u"keyListView"_s);
    const auto *shown = qobject_cast<const KeyListFilterModel *>(keyList->model());
    const auto noneListed = [this, listingFailed, shown] {
        return m_bucket && !*listingFailed && !m_keys->model()->isLoading() && !shown->isFiltering()
            && shown->rowCount() == 0;
    };
    auto *noKeys = new EmptyState(keyList, tr("This bucket has no keys yet."), m_value->newKeyAction(),
                                  tr("Add a Key…"),
                                  [this, noneListed] { return noneListed() && !m_keys->isFiltered(); });
    noKeys->setTextSource([this] { return noKeysText(); });
    noKeys->button()->setObjectName(u"addKeyButton"_s);
    auto *noMatch = new EmptyState(keyList, tr("No key matches the filter."), nullptr, {},
                                   [this, noneListed] { return noneListed() && m_keys->isFiltered(); });
    noMatch->label()->setObjectName(u"noKeyMatchesText"_s);
    // A user who may not list the keys may still read the ones they name: say how, over the empty list.
    auto *refused = new EmptyState(keyList,
                                   tr("The keys of this bucket cannot be listed for you. A key you know by "
                                      "name can still be opened."),
                                   m_openKeyAction, tr("Open Key by Name…"),
                                   [this] { return m_bucket && m_keys->model()->isListingRefused(); });
    refused->button()->setObjectName(u"openKeyByNameButton"_s);
    connect(m_keys->model(), &KeyListModel::loadingStarted, refused, &EmptyState::refresh);
    connect(m_keys->model(), &KeyListModel::errorOccurred, refused, &EmptyState::refresh);
    for (EmptyState *state : {noKeys, noMatch}) {
        connect(m_keys->model(), &KeyListModel::loadingStarted, state, &EmptyState::refresh);
        connect(m_keys->model(), &KeyListModel::loadingFinished, state, &EmptyState::refresh);
    }
    connect(m_keys->model(), &KeyListModel::loadingStarted, noKeys, [listingFailed] { *listingFailed = false; });
    connect(m_keys->model(), &KeyListModel::errorOccurred, noKeys, [noKeys, noMatch, listingFailed] {
        *listingFailed = true;
        noKeys->refresh();
        noMatch->refresh();
    });
}

// "No keys yet" only for a bucket never written: one whose keys were all deleted or expired has their
// markers in the list (hidden with the deleted keys), or, compacted or expired without a marker, nothing
// left but its stream's sequence past 0.
QString MainWindow::noKeysText() const
{
    if (m_keys->model()->rowCount() > 0)
        return tr("No keys: every key in this bucket was deleted or has expired. Show Deleted Keys lists them.");
    if (m_bucket && m_bucket->isBound() && m_bucket->boundStatus().streamInfo.state.lastSequence > 0)
        return tr("No keys: every key in this bucket was deleted or has expired.");
    return tr("This bucket has no keys yet.");
}

// The bucket as it was (ui/asofbar): values open as of then, read-only, and nothing else writes.
void MainWindow::connectAsOf()
{
    AsOfBar *asOf = m_keys->asOfBar();
    asOf->setMayEnter([this] { return m_value->maybeDiscard(); });
    connect(asOf, &AsOfBar::readOnlyReasonChanged, m_value, &ValuePanel::setAsOf);
    connect(asOf, &AsOfBar::activeChanged, this, &MainWindow::updateBucketActions);
    // Live again (the value of then is gone from the value panel by now): the key highlighted in the live
    // list shows its value, as it did before. Not when another bucket is being opened (the value panel
    // still has the old one then).
    connect(asOf, &AsOfBar::readOnlyReasonChanged, this, [this](const QString &reason) {
        if (reason.isEmpty() && m_bucket && m_value->session()->bucket() == m_bucket)
            onKeySelected(m_keys->currentKey());
    });
    connect(asOf, &AsOfBar::activeChanged, this, [this](bool active) {
        if (m_history) // no Revert to This… while the bucket is shown as it was
            m_history->setReadOnly(active || (m_session && m_session->isReadOnly()));
    });
    connect(asOf->view(), &AsOfView::entrySelected, m_value, &ValuePanel::openAsOf);
    connect(asOf, &AsOfBar::message, this, [this](const QString &text) { statusBar()->showMessage(text, kMessageMs); });
}

MainWindow::~MainWindow()
{
    // The session goes first, while the window is whole: closing its connection ends the requests the
    // server still owes, and their ends reach the panels and the status bar. Left to QObject's child
    // deletion it would go after QMainWindow's part is gone, and those ends would land on a
    // half-destroyed window.
    if (m_session) {
        m_session->close();
        delete m_session;
    }
}

Session *MainWindow::session() const
{
    return m_session;
}

void MainWindow::reloadProfileChoices()
{
    const QString current = m_profileChoice->currentData().toString();
    const QSignalBlocker blocker(m_profileChoice);
    m_profileChoice->clear();
    m_profileChoice->addItem(ConnectionProfile::localServerProfile().name, kLocalId);
    for (const ConnectionProfile &profile : m_profiles->profiles())
        m_profileChoice->addItem(profile.name, profile.id);
    // A connection from the command line is shown, not saved: it stays while it is open.
    if (m_session && m_profileChoice->findData(m_session->profile().id) < 0)
        m_profileChoice->addItem(m_session->profile().name, m_session->profile().id);
    const int index = m_profileChoice->findData(current.isEmpty() ? m_profiles->lastUsedId() : current);
    if (index >= 0)
        m_profileChoice->setCurrentIndex(index);
}

void MainWindow::start(const StartOptions &options)
{
    m_pendingBucket = options.bucket;
    if (options.local) {
        openProfile(ConnectionProfile::localServerProfile(), {});
        return;
    }
    if (!options.server.isEmpty()) {
        // Shown by its URL, with any password as ***: the password is used, never shown or saved.
        QString secret;
        const ConnectionProfile profile = ConnectionProfile::fromServerUrl(options.server, &secret);
        openProfile(profile, secret);
        return;
    }
    const QString last = m_profiles->lastUsedId();
    if (last == kLocalId)
        openProfile(ConnectionProfile::localServerProfile(), {});
    else if (m_profiles->contains(last))
        openProfile(m_profiles->profile(last));
    // With no profile at all the welcome page offers the local server.
}

void MainWindow::connectSelectedProfile()
{
    const QString id = m_profileChoice->currentData().toString();
    if (id == kLocalId)
        openProfile(ConnectionProfile::localServerProfile(), {});
    else if (m_profiles->contains(id))
        openProfile(m_profiles->profile(id));
}

void MainWindow::openProfile(const ConnectionProfile &profile)
{
    if (!profile.needsSecret()) {
        openProfile(profile, {});
        return;
    }
    // The secret comes from the keychain; without one (or without an entry) the user is asked, and the
    // answer is used for this connection only.
    m_secrets->read(profile.id, this, [this, profile](bool found, const QString &secret, const QString &error) {
        if (found) {
            openProfile(profile, secret);
            return;
        }
        askSecret(profile,
                  error.isEmpty() ? tr("No %1 is stored for \"%2\".").arg(profile.secretLabel().toLower(), profile.name)
                                  : tr("The keychain could not be read (%1).").arg(error));
    });
}

// The secret asked for (why: the line above the question), and used for this connection only.
void MainWindow::askSecret(const ConnectionProfile &profile, const QString &why)
{
    bool ok = false;
    QString asked = QInputDialog::getText(this, tr("Connect to %1").arg(profile.name),
                                          tr("%1\n%2 for %3:").arg(why, profile.secretLabel(), profile.name),
                                          QLineEdit::Password, {}, &ok);
    if (ok)
        openProfile(profile, asked);
    else
        showConnectionInUse();
    asked.fill(u'\0');
}

// A secret the server refused would be refused again: Retry Now asks for it instead of sending it once
// more (the bar says a retry would fail the same way).
bool MainWindow::retryAsksForSecret() const
{
    return m_session && m_session->isCredentialsRefused() && m_session->profile().needsSecret();
}

void MainWindow::retryConnection()
{
    if (!m_session)
        return;
    if (!retryAsksForSecret()) {
        m_session->retryNow();
        return;
    }
    const ConnectionProfile profile = m_session->profile();
    askSecret(profile,
              tr("The server refused the %1 given for \"%2\".").arg(profile.secretLabel().toLower(), profile.name));
}

void MainWindow::openProfile(const ConnectionProfile &profile, const QString &secret)
{
    if (!m_value->maybeDiscard()) {
        showConnectionInUse();
        return;
    }
    // An encrypted TLS client key: its passphrase first (keychain, else asked), checked against the key.
    if (KeyPassphraseDialog::isNeeded(profile)) {
        KeyPassphraseDialog::unlock(profile, m_secrets, this, [this, profile, secret](const QByteArray &passphrase) {
            openSession(profile, secret, passphrase);
        });
        return;
    }
    openSession(profile, secret, {});
}

void MainWindow::openSession(const ConnectionProfile &profile, const QString &secret, const QByteArray &passphrase)
{
    if (m_session) {
        m_session->close();
        m_session->deleteLater();
    }
    m_bucket = nullptr;
    m_keys->setBucket(nullptr);
    m_value->setBucket(nullptr, nullptr, profile.readOnly);
    m_value->setProtoMap(CodecProtoMap(profile.protoMappings)); // the profile's Protobuf messages
    m_history->setBucket(nullptr, profile.readOnly);
    m_session = new Session(profile, secret, m_localServer, this);
    m_session->setTlsKeyPassphrase(passphrase);
    m_watches->setContext(m_session->kv(), true);
    m_permissionGate->setJetStream(m_session->jetStream(), m_session->kv());
    connect(m_session, &Session::statusChanged, this, &MainWindow::updateConnectionBar);
    connect(m_session, &Session::interruptionChanged, this, [this, session = m_session.data()](const QString &reason) {
        if (session == m_session) // not the one being closed
            showInterruption(reason);
    });
    showInterruption({});
    connect(m_session, &Session::opened, this, [this] {
        m_pages->setCurrentWidget(m_splitter);
        if (!m_pendingBucket.isEmpty())
            m_buckets->selectBucket(std::exchange(m_pendingBucket, {}));
    });
    m_buckets->setSession(m_session);
    if (profile.id != u"command-line"_s)
        m_profiles->setLastUsedId(profile.id);
    int index = m_profileChoice->findData(profile.id);
    if (index < 0) { // a connection from the command line: shown, not saved
        m_profileChoice->addItem(profile.name, profile.id);
        index = m_profileChoice->count() - 1;
    }
    m_profileChoice->setCurrentIndex(index);
    m_welcome->setConnecting(profile.name); // seen until the session opens, if none has yet
    m_session->open();
    updateConnectionBar();
}

// A switch given up (an unsaved edit kept, no secret given): the Connection box showed the connection
// not connected to, beside the window still on the old one. It shows the one in use again.
void MainWindow::showConnectionInUse()
{
    if (!m_session)
        return; // none yet: the choice stays, to be connected to
    const int index = m_profileChoice->findData(m_session->profile().id);
    if (index >= 0)
        m_profileChoice->setCurrentIndex(index); // the bar's status follows (updateConnectionBar())
}

void MainWindow::updateConnectionBar()
{
    const bool readOnly = m_session && m_session->isReadOnly();
    QString status = m_session ? m_session->statusText() : tr("not connected");
    // Another connection picked and not yet connected to: the status is still the open one's, named so.
    if (m_session && m_profileChoice->currentData().toString() != m_session->profile().id)
        status = tr("%1: %2").arg(m_session->profile().name, status);
    m_connectionBar->setState(status, readOnly, m_session ? m_session->profile().color : QColor());
    const bool stopped = m_session && m_session->isStoppedForSettings();
    m_connectionBar->setRetryOffered(stopped || (m_session && m_session->isWaitingToRetry()));
    m_connectionBar->setRetryAsksFor(retryAsksForSecret() ? m_session->profile().secretLabel() : QString());
    m_connectionBar->setSettingsOffered(stopped);
    // The welcome page, seen until the session opens if none has yet, says whether it is still trying.
    if (stopped)
        m_welcome->setStopped(m_session->profile().name);
    else if (m_session && !m_session->isConnected())
        m_welcome->setConnecting(m_session->profile().name);
    m_statusLabel->setText(status);
    // Qt adds " — kvdesk" itself (the application display name, set in main()).
    const QString title = m_session ? m_session->profile().name : tr("kvdesk");
    setWindowTitle(readOnly ? tr("%1 (read-only)").arg(title) : title);
}

void MainWindow::showInterruption(const QString &reason)
{
    m_keys->setInterruption(reason);
    m_value->setInterruption(reason);
    m_watches->setInterruption(reason);
    m_history->setInterruption(reason);
    m_interruption = reason;
    m_importAction->setToolTip(
        reason.isEmpty() ? QString() : tr("%1 Nothing can be written until the connection is back.").arg(reason));
    updateBucketActions();
}

// What acts on the open bucket waits for one, what acts on the open key for a key; import also for the
// connection to be there.
void MainWindow::updateBucketActions()
{
    const bool bucket = m_bucket != nullptr;
    const bool key = bucket && !m_value->key().isEmpty();
    m_exportAction->setEnabled(bucket);
    m_importAction->setEnabled(bucket && m_interruption.isEmpty());
    m_watchBucketAction->setEnabled(bucket);
    m_findAction->setEnabled(bucket);
    // The bucket as it was lists its keys of then, and opens them as of then: a key by name is live.
    m_openKeyAction->setEnabled(bucket && !m_keys->asOfBar()->isActive());
    m_historyAction->setEnabled(key);
    m_watchKeyAction->setEnabled(key);
}

void MainWindow::onBucketSelected(const QString &bucket)
{
    if (m_bucket ? m_bucket->name() == bucket : bucket.isEmpty())
        return; // open already; or none, after the open one went (onBucketGone())
    const bool asking = m_value->isModified();
    if (asking)
        highlightOpenBucketAndKey(); // while the question is open, not the row clicked
    if (!m_value->maybeDiscard()) {
        reselectOpenBucketAndKey();
        return;
    }
    if (m_bucket)
        m_bucket->deleteLater();
    if (m_goneBucket)
        m_goneBucket->deleteLater();
    m_bucket = bucket.isEmpty() || !m_session ? nullptr : m_session->kv()->bucket(bucket, this);
    m_keys->setBucket(m_bucket);
    m_keys->asOfBar()->setReadOnly(m_session && m_session->isReadOnly());
    m_value->setBucket(m_bucket, m_keys->model(), m_session && m_session->isReadOnly());
    m_history->setBucket(m_bucket, m_session && m_session->isReadOnly());
    m_watches->setCurrentBucket(bucket);
    updateBucketActions();
    if (asking && m_bucket)
        m_buckets->selectBucket(bucket); // open now: selecting it again opens nothing
}

void MainWindow::onKeySelected(const QString &key)
{
    if (key.isEmpty() || key == m_value->key() || m_keys->asOfBar()->isActive())
        return;
    const bool asking = m_value->isModified();
    if (asking)
        highlightOpenBucketAndKey(); // while the question is open, not the row clicked
    if (!m_value->maybeDiscard()) {
        reselectOpenBucketAndKey();
        return;
    }
    m_value->openKey(key);
    if (asking)
        m_keys->selectKey(key); // open now: selecting it again opens nothing
}

// What is open, highlighted in the lists (while the user is asked whether to leave it): selecting it
// anew opens nothing, it is open already.
void MainWindow::highlightOpenBucketAndKey()
{
    if (m_bucket)
        m_buckets->selectBucket(m_bucket->name());
    else
        m_buckets->clearSelection();
    if (!m_value->key().isEmpty())
        m_keys->selectKey(m_value->key());
}

// The open bucket went (deleted here or by another client): its keys and history go with it, and the key
// list says why it is empty. Nothing the user did: an unsaved edit is neither asked about nor lost. It stays
// in the value panel under its banner (the bucket was deleted, a save shows what is there first); opening
// another bucket asks, as ever.
void MainWindow::onBucketGone(const QString &bucket, bool byThisWindow)
{
    if (!m_bucket || m_bucket->name() != bucket)
        return;
    KvBucket *gone = std::exchange(m_bucket, nullptr);
    const bool readOnly = m_session && m_session->isReadOnly();
    const QString kept = m_value->isModified() ? m_value->key() : QString();
    if (kept.isEmpty()) {
        m_value->setBucket(nullptr, nullptr, readOnly);
        gone->deleteLater();
    } else {
        m_value->session()->bucketDeleted(); // the key list's watch, about to go, may not have said it yet
        m_goneBucket = gone;
    }
    m_keys->setBucket(nullptr);
    m_keys->showBucketGone(bucket, byThisWindow, kept);
    m_history->setBucket(nullptr, readOnly);
    m_watches->setCurrentBucket({});
    updateBucketActions();
}

void MainWindow::openKeyByName()
{
    if (!m_bucket || m_keys->asOfBar()->isActive())
        return; // the action is off then
    auto *dialog = new OpenKeyDialog(m_bucket, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString key = dialog->key();
        if (!m_value->maybeDiscard())
            return;
        // The open key asked for again is read again: how a user who may not watch it sees it change.
        if (key != m_value->key())
            m_value->openKey(key);
        else
            m_value->reload();
        m_keys->selectKey(key); // when listed; the list follows what is open
    });
    dialog->open();
}

// The user kept their unsaved edit: the lists show what is open again. On the next turn: the question
// was asked from inside the view's mouse press, and the view goes on to select the row clicked once the
// press is handled, after anything selected here and now.
void MainWindow::reselectOpenBucketAndKey()
{
    QTimer::singleShot(0, this, &MainWindow::highlightOpenBucketAndKey);
}

// Searches the open bucket's values (the open key's folder first), opening the match the user picks.
void MainWindow::findInValues()
{
    if (!m_bucket)
        return;
    KeyListModel *model = m_keys->model();
    QStringList keys;
    for (int row = 0; model && row < model->rowCount(); ++row)
        keys.append(model->keyAt(row));
    const QString key = m_value->key();
    auto *dialog = new FindInValuesDialog(m_bucket, keys, key.contains(u'.') ? key.section(u'.', 0, -2) : QString(),
                                          this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &FindInValuesDialog::keyActivated, this, [this](const QString &found) {
        m_keys->selectKey(found);
        onKeySelected(found);
    });
    dialog->show();
}

void MainWindow::manageConnections()
{
    ProfileDialog dialog(m_profiles, m_secrets, this);
    const QString current = m_profileChoice->currentData().toString();
    if (m_profiles->contains(current))
        dialog.selectProfile(current);
    else if (m_session && current == m_session->profile().id && current != kLocalId)
        offerToSave(&dialog, m_session->profile());
    if (dialog.exec() != QDialog::Accepted || dialog.connectId().isEmpty())
        return;
    const ConnectionProfile profile = m_profiles->profile(dialog.connectId());
    QString secret;
    if (!dialog.takeConnectSecret(&secret)) {
        openProfile(profile);
        return;
    }
    // Typed, and not kept (no keychain): used for this connection, and the user told it will be asked again.
    statusBar()->showMessage(dialog.savedNote(), kMessageMs);
    openProfile(profile, secret);
    secret.fill(u'\0');
}

// A connection given with --server: the profile saved for it already (same servers and user), or the form
// filled with it for Save.
void MainWindow::offerToSave(ProfileDialog *dialog, const ConnectionProfile &unsaved)
{
    for (const ConnectionProfile &saved : m_profiles->profiles()) {
        if (saved.servers == unsaved.servers && saved.authKind == unsaved.authKind && saved.user == unsaved.user) {
            dialog->selectProfile(saved.id);
            return;
        }
    }
    dialog->offerUnsaved(unsaved, m_session->secret());
}

void MainWindow::showAbout()
{
    const QString server = m_session && m_session->isConnected() ? m_session->connection()->serverInfo().version
                                                                 : tr("not connected");
    QMessageBox::about(this, tr("About kvdesk"),
                       tr("<h3>kvdesk %1</h3><p>A native desktop browser and editor for NATS JetStream Key/Value "
                          "buckets.</p><p>Qt %2 (built with %3)<br>nats-server: %4</p>")
                           .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                                QStringLiteral(QT_VERSION_STR), server));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_value->maybeDiscard()) {
        event->ignore();
        return;
    }
    saveLayout();
    if (m_session)
        m_session->close();
    m_localServer->stop();
    event->accept();
}

void MainWindow::showHistory()
{
    m_historyDock->show();
    m_historyDock->raise();
    m_history->setKey(m_value->key());
    m_history->setFocus();
}

void MainWindow::watchCurrent(bool keyOnly)
{
    if (!m_bucket || (keyOnly && m_value->key().isEmpty())) {
        statusBar()->showMessage(keyOnly ? tr("Open a key to watch it") : tr("Select a bucket to watch it"),
                                 kMessageMs);
        return;
    }
    m_watches->addWatch(m_bucket->name(), keyOnly ? QStringList{m_value->key()} : QStringList{});
}

QStringList MainWindow::bucketNames() const
{
    QStringList names;
    const BucketListModel *model = m_buckets->model();
    for (int row = 0; row < model->rowCount(); ++row)
        names.append(model->index(row, 0).data(BucketListModel::BucketNameRole).toString());
    return names;
}

void MainWindow::openFeedRevision(const QString &bucket, const QString &key, quint64 revision)
{
    if (!m_bucket || m_bucket->name() != bucket) {
        m_buckets->selectBucket(bucket);
        if (!m_bucket || m_bucket->name() != bucket)
            return; // the user kept unsaved changes, or the bucket is gone
    }
    if (key != m_value->key() && !m_value->maybeDiscard())
        return;
    m_keys->asOfBar()->goLive(); // a revision from the feed is the live bucket's
    // The editor first: selecting the key in the list then finds it open and does not load the newest.
    m_value->openRevision(key, revision);
    m_keys->selectKey(key);
    m_historyDock->show();
    m_historyDock->raise();
    m_history->setKey(key);
    m_history->selectRevision(revision);
}

void MainWindow::transferBucket(bool import)
{
    if (!m_bucket) {
        statusBar()->showMessage(tr("Select a bucket first"), kMessageMs);
        return;
    }
    if (import && m_keys->asOfBar()->isActive()) {
        statusBar()->showMessage(m_keys->asOfBar()->readOnlyReason(), kMessageMs);
        return;
    }
    if (import && m_session && m_session->isReadOnly()) {
        statusBar()->showMessage(tr("This connection is read-only: nothing can be imported"), kMessageMs);
        return;
    }
    TransferDialog dialog(import ? TransferDialog::Mode::Import : TransferDialog::Mode::Export, m_bucket,
                          m_keys->selectedKeys(), this);
    if (!import && m_keys->asOfBar()->isActive()) {
        // What the list shows is what is exported: the values then, not today's.
        const AsOfView *view = m_keys->asOfBar()->view();
        const KvAsOfRead *read = view->read();
        if (!read) {
            statusBar()->showMessage(
                tr("The keys %1 are still being read: export once they are shown").arg(view->pointText()), kMessageMs);
            return;
        }
        dialog.setAsOf(view->pointText(), read->entries(), read->unanswerableKeys().size());
    }
    dialog.exec();
}
