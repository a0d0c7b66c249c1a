#include "mainwindow.h"

#include "bucketpanel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "localserver.h"
#include "natsconnection.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "valuepanel.h"

#include <QtCore/QSettings>
#include <QtGui/QCloseEvent>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialog>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFrame>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSplitter>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {
constexpr int kMessageMs = 8000;
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
    , m_statusLabel(new QLabel(this))
{
    setObjectName(u"mainWindow"_s);
    setWindowTitle(tr("kvdesk"));
    m_splitter->setObjectName(u"mainSplitter"_s);
    m_splitter->addWidget(m_buckets);
    m_splitter->addWidget(m_keys);
    m_splitter->addWidget(m_value);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 4);
    m_splitter->setStretchFactor(2, 4);
    m_splitter->setSizes({260, 520, 500});
    m_pages->addWidget(buildWelcome());
    m_pages->addWidget(m_splitter);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(buildConnectionBar());
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);
    m_statusLabel->setObjectName(u"connectionState"_s);
    statusBar()->addPermanentWidget(m_statusLabel);

    connect(m_buckets, &BucketPanel::bucketSelected, this, &MainWindow::onBucketSelected);
    connect(m_buckets, &BucketPanel::message, this, [this](const QString &text) { statusBar()->showMessage(text, kMessageMs); });
    connect(m_keys, &KeyPanel::keySelected, this, &MainWindow::onKeySelected);
    connect(m_keys, &KeyPanel::keyActivated, this, &MainWindow::onKeySelected);
    connect(m_value, &ValuePanel::message, this, [this](const QString &text) { statusBar()->showMessage(text, kMessageMs); });
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
    connect(m_profiles, &ProfileStore::profilesChanged, this, &MainWindow::reloadProfileChoices);

    buildMenus();
    reloadProfileChoices();
    updateConnectionBar();
    restoreLayout();
    m_secrets->probe();
}

MainWindow::~MainWindow() = default;

Session *MainWindow::session() const
{
    return m_session;
}

QWidget *MainWindow::buildConnectionBar()
{
    m_connectionBar = new QFrame(this);
    m_connectionBar->setObjectName(u"connectionBar"_s);
    m_connectionBar->setAutoFillBackground(true);
    m_profileChoice = new QComboBox(m_connectionBar);
    m_profileChoice->setObjectName(u"profileChoice"_s);
    m_profileChoice->setAccessibleName(tr("Connection"));
    m_profileChoice->setMinimumContentsLength(18);
    m_connectButton = new QPushButton(tr("Connect"), m_connectionBar);
    m_connectButton->setObjectName(u"connectButton"_s);
    connect(m_connectButton, &QPushButton::clicked, this, &MainWindow::connectSelectedProfile);
    m_connectionStatus = new QLabel(m_connectionBar);
    m_connectionStatus->setObjectName(u"connectionStatus"_s);
    m_readOnlyBadge = new QLabel(tr("<b>READ-ONLY</b>"), m_connectionBar);
    m_readOnlyBadge->setObjectName(u"readOnlyBadge"_s);
    m_readOnlyBadge->setToolTip(tr("This connection is read-only: every write is disabled."));
    auto *layout = new QHBoxLayout(m_connectionBar);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->addWidget(new QLabel(tr("Connection:"), m_connectionBar));
    layout->addWidget(m_profileChoice);
    layout->addWidget(m_connectButton);
    layout->addWidget(m_connectionStatus, 1);
    layout->addWidget(m_readOnlyBadge);
    return m_connectionBar;
}

QWidget *MainWindow::buildWelcome()
{
    auto *page = new QWidget(this);
    page->setObjectName(u"welcomePage"_s);
    auto *text = new QLabel(tr("<h2>Welcome to kvdesk</h2><p>No connection yet. Start a NATS server of your own on "
                               "this computer (JetStream enabled, data kept in your profile), or connect to one.</p>"),
                            page);
    text->setWordWrap(true);
    auto *local = new QPushButton(tr("Start a &Local NATS Server"), page);
    local->setObjectName(u"welcomeLocal"_s);
    auto *add = new QPushButton(tr("&Add a Connection…"), page);
    auto *import = new QPushButton(tr("&Import natscli Contexts"), page);
    connect(local, &QPushButton::clicked, this, [this] { openProfile(ConnectionProfile::localServerProfile(), {}); });
    connect(add, &QPushButton::clicked, this, &MainWindow::manageConnections);
    connect(import, &QPushButton::clicked, this, [this] {
        ProfileDialog dialog(m_profiles, m_secrets, this);
        const int count = dialog.importContexts();
        statusBar()->showMessage(tr("Imported %n natscli context(s)", nullptr, count), kMessageMs);
    });
    auto *layout = new QVBoxLayout(page);
    layout->addStretch(1);
    layout->addWidget(text);
    layout->addWidget(local);
    layout->addWidget(add);
    layout->addWidget(import);
    layout->addStretch(2);
    layout->setContentsMargins(80, 20, 80, 20);
    return page;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&Connection"));
    QAction *manage = file->addAction(tr("&Manage Connections…"), this, &MainWindow::manageConnections);
    manage->setShortcut(QKeySequence(u"Ctrl+Shift+O"_s));
    QAction *reconnect = file->addAction(tr("&Connect"), this, &MainWindow::connectSelectedProfile);
    reconnect->setShortcut(QKeySequence(u"Ctrl+Shift+R"_s));
    file->addAction(tr("&Disconnect"), this, [this] {
        if (m_session)
            m_session->close();
    });
    file->addAction(tr("Local Server &Log…"), this, &MainWindow::showLocalServerLog);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *bucket = menuBar()->addMenu(tr("&Bucket"));
    bucket->addActions({m_buckets->newAction(), m_buckets->editAction(), m_buckets->deleteAction(),
                        m_buckets->compactAction()});
    bucket->addSeparator();
    bucket->addAction(m_buckets->refreshAction());

    QMenu *key = menuBar()->addMenu(tr("&Key"));
    key->addActions({m_value->newKeyAction(), m_value->saveAction(), m_value->revertAction()});
    key->addSeparator();
    key->addActions({m_value->deleteAction(), m_value->purgeAction()});
    key->addSeparator();
    key->addActions({m_value->copyKeyAction(), m_value->copyValueAction(), m_keys->filterAction(), m_keys->reloadAction()});

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions({m_keys->listAction(), m_keys->treeAction(), m_keys->showDeletedAction()});

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About kvdesk"), this, &MainWindow::showAbout);
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::reloadProfileChoices()
{
    const QString current = m_profileChoice->currentData().toString();
    const QSignalBlocker blocker(m_profileChoice);
    m_profileChoice->clear();
    m_profileChoice->addItem(ConnectionProfile::localServerProfile().name, kLocalId);
    for (const ConnectionProfile &profile : m_profiles->profiles())
        m_profileChoice->addItem(profile.name, profile.id);
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
        ConnectionProfile profile;
        profile.id = u"command-line"_s;
        profile.name = options.server;
        profile.servers = options.server;
        openProfile(profile, {});
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
        bool ok = false;
        const QString why = error.isEmpty() ? tr("No %1 is stored for \"%2\".").arg(profile.secretLabel().toLower(), profile.name)
                                            : tr("The keychain could not be read (%1).").arg(error);
        const QString asked = QInputDialog::getText(this, tr("Connect to %1").arg(profile.name),
                                                    tr("%1\n%2 for %3:").arg(why, profile.secretLabel(), profile.name),
                                                    QLineEdit::Password, {}, &ok);
        if (ok)
            openProfile(profile, asked);
    });
}

void MainWindow::openProfile(const ConnectionProfile &profile, const QString &secret)
{
    if (!m_value->maybeDiscard())
        return;
    if (m_session) {
        m_session->close();
        m_session->deleteLater();
    }
    m_bucket = nullptr;
    m_keys->setBucket(nullptr);
    m_value->setBucket(nullptr, nullptr, profile.readOnly);
    m_session = new Session(profile, secret, m_localServer, this);
    connect(m_session, &Session::statusChanged, this, &MainWindow::updateConnectionBar);
    connect(m_session, &Session::failed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Connection failed: %1").arg(message), kMessageMs);
    });
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
    m_session->open();
    updateConnectionBar();
}

void MainWindow::updateConnectionBar()
{
    const bool readOnly = m_session && m_session->isReadOnly();
    m_readOnlyBadge->setVisible(readOnly);
    const QString status = m_session ? m_session->statusText() : tr("not connected");
    m_connectionStatus->setText(status);
    m_statusLabel->setText(status);
    // The profile's colour tints the bar, so production is never mistaken for staging.
    QPalette palette = QApplication::palette();
    const QColor color = m_session ? m_session->profile().color : QColor();
    if (color.isValid()) {
        palette.setColor(QPalette::Window, color);
        palette.setColor(QPalette::WindowText, color.lightness() < 140 ? Qt::white : Qt::black);
    }
    m_connectionBar->setPalette(palette);
    const QString title = m_session ? tr("%1 — kvdesk").arg(m_session->profile().name) : tr("kvdesk");
    setWindowTitle(readOnly ? tr("%1 (read-only)").arg(title) : title);
}

void MainWindow::onBucketSelected(const QString &bucket)
{
    if (m_bucket && m_bucket->name() == bucket)
        return;
    if (!m_value->maybeDiscard()) {
        if (m_bucket)
            m_buckets->selectBucket(m_bucket->name());
        return;
    }
    if (m_bucket)
        m_bucket->deleteLater();
    m_bucket = bucket.isEmpty() || !m_session ? nullptr : m_session->kv()->bucket(bucket, this);
    m_keys->setBucket(m_bucket);
    m_value->setBucket(m_bucket, m_keys->model(), m_session && m_session->isReadOnly());
}

void MainWindow::onKeySelected(const QString &key)
{
    if (key.isEmpty() || key == m_value->key())
        return;
    if (!m_value->maybeDiscard()) {
        m_keys->selectKey(m_value->key());
        return;
    }
    m_value->openKey(key);
}

void MainWindow::manageConnections()
{
    ProfileDialog dialog(m_profiles, m_secrets, this);
    const QString current = m_profileChoice->currentData().toString();
    if (m_profiles->contains(current))
        dialog.selectProfile(current);
    if (dialog.exec() == QDialog::Accepted && !dialog.connectId().isEmpty())
        openProfile(m_profiles->profile(dialog.connectId()));
}

void MainWindow::showLocalServerLog()
{
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Local nats-server Log"));
    auto *text = new QPlainTextEdit(&dialog);
    text->setReadOnly(true);
    text->setPlainText(m_localServer->isRunning() || !m_localServer->log().isEmpty()
                           ? m_localServer->log()
                           : tr("The local server has not run yet. Its log will be in %1.").arg(m_localServer->logFile()));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, &dialog);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(tr("Store: %1").arg(m_localServer->storeDir()), &dialog));
    layout->addWidget(text);
    layout->addWidget(buttons);
    dialog.resize(800, 500);
    dialog.exec();
}

void MainWindow::showAbout()
{
    const QString server = m_session && m_session->isConnected() ? m_session->connection()->serverInfo().version : tr("not connected");
    QMessageBox::about(this, tr("About kvdesk"),
                       tr("<h3>kvdesk %1</h3><p>A native desktop browser and editor for NATS JetStream Key/Value "
                          "buckets.</p><p>Qt %2 (built with %3)<br>nats-server: %4</p>")
                           .arg(QApplication::applicationVersion(), QString::fromLatin1(qVersion()),
                                QStringLiteral(QT_VERSION_STR), server));
}

void MainWindow::restoreLayout()
{
    QSettings settings;
    restoreGeometry(settings.value(u"window/geometry"_s).toByteArray());
    restoreState(settings.value(u"window/state"_s).toByteArray());
    m_splitter->restoreState(settings.value(u"window/splitter"_s).toByteArray());
    m_keys->setTreeMode(settings.value(u"window/keyTree"_s, false).toBool());
    if (!settings.contains(u"window/geometry"_s))
        resize(1280, 800);
}

void MainWindow::saveLayout() const
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/splitter"_s, m_splitter->saveState());
    settings.setValue(u"window/keyTree"_s, m_keys->treeAction()->isChecked());
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
