#pragma once

#include "connectionprofile.h"

#include <QtCore/QPointer>
#include <QtWidgets/QMainWindow>

class BucketPanel;
class ConnectionBar;
class HistoryPanel;
class KeyPanel;
class PermissionGate;
class ProfileDialog;
class KvBucket;
class LocalServer;
class ProfileStore;
class QComboBox;
class QDockWidget;
class QLabel;
class QSplitter;
class QStackedWidget;
class SecretStore;
class Session;
class ValuePanel;
class WelcomePage;
class WatchPanel;

// The window: a connection bar (profile, state, read-only badge, colour tag), buckets | keys | value,
// menus with a shortcut for every action, and the status bar. It wires the panels together and owns the
// session; the panels do the work and hold no protocol logic.
class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    struct StartOptions
    {
        QString server;     // --server URL: connect straight there
        QString bucket;     // --bucket NAME: and open this bucket
        bool local = false; // --local: the app-owned local server
    };

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void start(const StartOptions &options);
    // Connects to profile, asking for its secret when it has one and the keychain does not (and for an
    // encrypted TLS key's passphrase likewise).
    void openProfile(const ConnectionProfile &profile);
    void openProfile(const ConnectionProfile &profile, const QString &secret);

    Session *session() const;
    BucketPanel *bucketPanel() const { return m_buckets; }
    KeyPanel *keyPanel() const { return m_keys; }
    ValuePanel *valuePanel() const { return m_value; }
    HistoryPanel *historyPanel() const { return m_history; }
    WatchPanel *watchPanel() const { return m_watches; }
    PermissionGate *permissionGate() const { return m_permissionGate; }
    LocalServer *localServer() const { return m_localServer; }
    ProfileStore *profileStore() const { return m_profiles; }
    SecretStore *secretStore() const { return m_secrets; }

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    static constexpr int kMessageMs = 8000; // how long a status message stays
    // The most keys of a folder selected in the tree that are counted for "Delete 5 Keys…" (20 ms);
    // beyond, "Delete Selected Keys…".
    static constexpr qsizetype kCountedKeys = 10000;
    void buildMenus();
    QList<QPair<QAction *, QString>> buildConnectionMenu();
    QList<QPair<QAction *, QString>> buildBucketMenu();
    void buildKeyMenu();
    QList<QPair<QAction *, QString>> buildViewMenu();
    void setActionIcons(const QList<QPair<QAction *, QString>> &menuActions);
    void buildPages();
    void connectPanels();
    void createKeyEmptyStates();
    QString noKeysText() const;
    void connectAsOf();
    void reloadProfileChoices();
    void connectSelectedProfile();
    void openSession(const ConnectionProfile &profile, const QString &secret, const QByteArray &passphrase);
    void onBucketSelected(const QString &bucket);
    void onBucketGone(const QString &bucket, bool byThisWindow);
    void onKeySelected(const QString &key);
    void reselectOpenBucketAndKey();
    void highlightOpenBucketAndKey();
    void updateConnectionBar();
    void showConnectionInUse();
    void askSecret(const ConnectionProfile &profile, const QString &why);
    bool retryAsksForSecret() const;
    void retryConnection();
    // The connection is down (reason) or back (empty): the panels say so and writes wait.
    void showInterruption(const QString &reason);
    void manageConnections();
    void offerToSave(ProfileDialog *dialog, const ConnectionProfile &unsaved);
    void findInValues();
    // Asks for a key's name and opens it (ui/openkeydialog), selecting it in the key list if listed.
    void openKeyByName();
    void createOpenKeyAction();
    void showAbout();
    void restoreLayout();
    void saveLayout() const;
    // History and watch docks (historypanel, watchpanel), bucket export/import.
    void buildDocks();
    void createDocks();
    void connectDocks();
    void createDockActions();
    void buildWatchMenu();
    void hideDocksOnWelcomePage();
    void sizeDocksOnce();
    void fitBucketPanel(int wholeColumnsWidth);
    void updateBucketActions();
    void orderTabs();
    void showHistory();
    void watchCurrent(bool keyOnly);
    void openFeedRevision(const QString &bucket, const QString &key, quint64 revision);
    void transferBucket(bool import);
    QStringList bucketNames() const;

    ProfileStore *m_profiles = nullptr;
    SecretStore *m_secrets = nullptr;
    LocalServer *m_localServer = nullptr;
    QPointer<Session> m_session;
    QPointer<KvBucket> m_bucket;
    // The bucket that went while its key had unsaved changes: the value panel keeps the edit on it, until
    // another bucket is opened.
    QPointer<KvBucket> m_goneBucket;
    QString m_pendingBucket;

    QStackedWidget *m_pages = nullptr;
    WelcomePage *m_welcome = nullptr; // the page before any connection has opened
    QSplitter *m_splitter = nullptr;
    BucketPanel *m_buckets = nullptr;
    KeyPanel *m_keys = nullptr;
    ValuePanel *m_value = nullptr;
    HistoryPanel *m_history = nullptr;
    WatchPanel *m_watches = nullptr;
    QDockWidget *m_historyDock = nullptr;
    QDockWidget *m_watchDock = nullptr;
    QAction *m_historyAction = nullptr;
    QAction *m_watchBucketAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_openKeyAction = nullptr;
    QAction *m_watchKeyAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_importAction = nullptr;
    ConnectionBar *m_connectionBar = nullptr;
    QComboBox *m_profileChoice = nullptr; // the bar's
    QLabel *m_statusLabel = nullptr;
    PermissionGate *m_permissionGate = nullptr;
    QString m_interruption;           // why the connection is down, while it is
    bool m_docksNeedSizing = false;   // no saved layout: the docks get their first height when shown
    bool m_bucketsNeedSizing = false; // no saved layout, no splitter moved: the buckets get the width they need
};
