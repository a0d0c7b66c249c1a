#include "bucketpanel.h"
#include "connectionprofile.h"
#include "fakenatsserver.h"
#include "jetstreamcontext.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsjwtissuer.h"
#include "natsnkey.h"
#include "natsserverprocess.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "uitestsupport.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QSettings>
#include <QtCore/QTemporaryDir>
#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

namespace {

const QString kPassword = u"Pw-S3cret-77"_s;
const QString kToken = u"T0ken-S3cret-88"_s;

QByteArray settingsFile()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// The keyring is shared by the test processes ctest runs side by side (one per server): keychain entries
// are named after profile ids, so the ids this test chooses carry the process id.
QString ownId(const QString &name)
{
    return name + u'-' + QString::number(QCoreApplication::applicationPid());
}

bool writeContext(const QString &name, const QJsonObject &json)
{
    const QString dir = qEnvironmentVariable("XDG_CONFIG_HOME") + u"/nats/context"_s;
    QFile file(dir + u'/' + name + u".json"_s);
    return QDir().mkpath(dir) && file.open(QIODevice::WriteOnly) && file.write(QJsonDocument(json).toJson()) > 0;
}

// The window's menu item of that text, triggered: false when there is none.
bool triggerAction(QWidget *window, const QString &text)
{
    for (QAction *action : window->findChildren<QAction *>()) {
        if (action->text() == text) {
            action->trigger();
            return true;
        }
    }
    return false;
}

} // namespace

// How a saved connection reaches the wire: TLS never downgraded, secrets never shown or written to the
// settings file, natscli contexts imported as natscli reads them.
class tst_ConnectionProfile final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-profile"_s); }

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void cleanupTestCase() { delete m_window; }
    void anyTlsSettingRequiresTls_data();
    void anyTlsSettingRequiresTls();
    void requireTlsInTheProfileDialog();
    void theSecretFieldIsNamedForTheAuthentication_data();
    void theSecretFieldIsNamedForTheAuthentication();
    void commandLinePasswordIsNeverShown();
    void aCommandLineConnectionIsSavedInOneStep();
    void passwordTypedIntoServersGoesToTheKeychain();
    void passwordSavedByAnOlderVersionMovesToTheKeychain();
    void natscliContextsImportAsNatscliReadsThem();
    void aContextFileThatCannotBeReadIsNamed();
    void theSavedNoteMovesNoButton();
    void privateInboxPrefix();

private:
    QString keychainSecret(const QString &profileId);
    bool connects(const ConnectionProfile &profile);

    NatsServerProcess m_userServer;  // authorization: alice and kPassword
    NatsServerProcess m_jwtServer;   // operator mode
    NatsServerProcess m_inboxServer; // admin, and inb who may subscribe only to _MY_INBOX.>
    NatsJwtIssuer m_issuer;
    QTemporaryDir m_jwtStore;
    MainWindow *m_window = nullptr;
};

void tst_ConnectionProfile::initTestCase()
{
    NatsServerProcess::Options options;
    options.config = "authorization { user: alice, password: \"" + kPassword.toUtf8() + "\" }\n";
    QVERIFY2(m_userServer.start(options), qPrintable(m_userServer.errorString()));
    options.config = m_issuer.serverConfig(m_jwtStore.path());
    options.jetStream = false; // the issuer's configuration has its own JetStream block
    QVERIFY2(m_jwtServer.start(options), qPrintable(m_jwtServer.errorString()));
    options.jetStream = true;
    options.config = R"(accounts { APP: { jetstream: enabled, users: [
  { user: admin, password: pw }
  { user: inb, password: pw, permissions: { publish: ">", subscribe: { allow: ["_MY_INBOX.>"] } } }
] } }
)";
    QVERIFY2(m_inboxServer.start(options), qPrintable(m_inboxServer.errorString()));
    m_window = new MainWindow;
    SecretStore *secrets = m_window->secretStore();
    QTRY_VERIFY_WITH_TIMEOUT(secrets->isProbed(), 10000);
    QVERIFY2(secrets->isAvailable(),
             qPrintable(u"no Secret Service: run the tests through scripts/test.sh "
                        "(dbus-run-session with gnome-keyring): "_s
                        + secrets->unavailableReason()));
}

void tst_ConnectionProfile::cleanup()
{
    delete m_window;
    m_window = new MainWindow;
}

QString tst_ConnectionProfile::keychainSecret(const QString &profileId)
{
    bool done = false;
    QString stored;
    m_window->secretStore()->read(profileId, this, [&](bool, const QString &value, const QString &) {
        stored = value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return u"<keychain did not answer>"_s;
    return stored;
}

// Opens profile in the window as a user does (its secret read from the keychain) and waits until connected.
bool tst_ConnectionProfile::connects(const ConnectionProfile &profile)
{
    m_window->openProfile(profile);
    return QTest::qWaitFor([&] { return m_window->session() && m_window->session()->isConnected(); }, 10000);
}

void tst_ConnectionProfile::anyTlsSettingRequiresTls_data()
{
    QTest::addColumn<QString>("caFile");
    QTest::addColumn<QString>("certFile");
    QTest::addColumn<QString>("keyFile");
    QTest::addColumn<bool>("requireTls");
    QTest::addColumn<bool>("tlsExpected");
    QTest::newRow("CA") << u"/etc/ssl/certs/ca.pem"_s << QString() << QString() << false << true;
    QTest::newRow("client certificate and key")
        << QString() << u"/tmp/client.pem"_s << u"/tmp/client.key"_s << false << true;
    QTest::newRow("key") << QString() << QString() << u"/tmp/client.key"_s << false << true;
    QTest::newRow("Require TLS") << QString() << QString() << QString() << true << true;
    // The control: with no TLS setting a plain server gets the CONNECT (so the test can fail).
    QTest::newRow("no TLS setting") << QString() << QString() << QString() << false << false;
}

// A nats:// server (or a man in the middle) that offers no TLS must not get the CONNECT with the password.
void tst_ConnectionProfile::anyTlsSettingRequiresTls()
{
    QFETCH(QString, caFile);
    QFETCH(QString, certFile);
    QFETCH(QString, keyFile);
    QFETCH(bool, requireTls);
    QFETCH(bool, tlsExpected);
    FakeNatsServer plain;
    QVERIFY2(plain.listen(), qPrintable(plain.errorString()));
    ConnectionProfile profile;
    profile.id = u"tls"_s;
    profile.name = u"tls"_s;
    profile.servers = plain.url();
    profile.authKind = ConnectionProfile::AuthKind::UserPassword;
    profile.user = u"alice"_s;
    profile.tlsCaFile = caFile;
    profile.tlsCertFile = certFile;
    profile.tlsKeyFile = keyFile;
    profile.requireTls = requireTls;
    QCOMPARE(profile.requiresTls(), tlsExpected);

    Session session(profile, kPassword, nullptr);
    QSignalSpy disconnected(&plain, &FakeNatsServer::clientDisconnected);
    session.open();
    if (!tlsExpected) {
        QTRY_VERIFY_WITH_TIMEOUT(session.isConnected(), 10000);
        QVERIFY(plain.received().contains("CONNECT"));
        return;
    }
    // The client reads INFO, finds no TLS and hangs up: every byte it sent is in by then. (A client that
    // goes on connects instead.)
    QTRY_VERIFY_WITH_TIMEOUT(!disconnected.isEmpty() || session.isConnected(), 10000);
    QVERIFY2(!plain.received().contains("CONNECT"), plain.received().constData());
    QVERIFY(!plain.received().contains(kPassword.toUtf8()));
    QVERIFY2(session.lastError().contains(u"does not offer TLS"_s), qPrintable(session.lastError()));
    QVERIFY2(session.statusText().contains(u"TLS"_s), qPrintable(session.statusText()));
    QVERIFY(!session.isConnected());
}

void tst_ConnectionProfile::requireTlsInTheProfileDialog()
{
    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    auto *requireTls = dialog.findChild<QCheckBox *>(u"profileRequireTls"_s);
    auto *caFile = dialog.findChild<QLineEdit *>(u"profileCaFile"_s);
    QVERIFY(requireTls && caFile);
    QVERIFY(!requireTls->isChecked());
    QVERIFY(requireTls->isEnabled());
    // A TLS file implies it: checked, and not to be unchecked.
    caFile->setText(u"/etc/ssl/certs/ca.pem"_s);
    QVERIFY(requireTls->isChecked());
    QVERIFY(!requireTls->isEnabled());
    caFile->clear();
    QVERIFY(requireTls->isEnabled());

    // Chosen on its own, it is saved and read back, and the connection requires TLS.
    requireTls->setChecked(true);
    dialog.findChild<QLineEdit *>(u"profileName"_s)->setText(u"tls only"_s);
    dialog.findChild<QLineEdit *>(u"profileServers"_s)->setText(u"nats://127.0.0.1:4222"_s);
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    QCOMPARE(m_window->profileStore()->profiles().size(), 1);
    const ConnectionProfile saved = ProfileStore().profiles().constFirst();
    QVERIFY(saved.requireTls);
    QVERIFY(saved.toConnectOptions({}).tlsRequired);
    m_window->profileStore()->remove(saved.id);
}

void tst_ConnectionProfile::theSecretFieldIsNamedForTheAuthentication_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("label");
    QTest::newRow("user and password") << int(ConnectionProfile::AuthKind::UserPassword) << u"Password:"_s;
    QTest::newRow("token") << int(ConnectionProfile::AuthKind::Token) << u"Token:"_s;
    QTest::newRow("NKEY seed") << int(ConnectionProfile::AuthKind::NkeySeed) << u"NKEY seed:"_s;
    QTest::newRow("user JWT and seed") << int(ConnectionProfile::AuthKind::UserJwt) << u"NKEY seed:"_s;
}

// Try-out 4: a user and password profile asked for "Secret:"; a user looks for "Password:". The field's
// label (and so its accessible name) says what it takes for the authentication chosen.
void tst_ConnectionProfile::theSecretFieldIsNamedForTheAuthentication()
{
    QFETCH(int, kind);
    QFETCH(QString, label);
    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    auto *authKind = dialog.findChild<QComboBox *>(u"profileAuthKind"_s);
    auto *secret = dialog.findChild<QLineEdit *>(u"profileSecret"_s);
    QVERIFY(authKind && secret);
    authKind->setCurrentIndex(authKind->findData(kind));
    QLabel *shown = nullptr;
    for (QLabel *candidate : dialog.findChildren<QLabel *>()) {
        if (candidate->buddy() == secret)
            shown = candidate;
    }
    QVERIFY(shown);
    QCOMPARE(shown->text().remove(u'&'), label);
    QVERIFY(secret->isEnabled());
}

// kvdesk --server nats://alice:PW@host: connected with the password, never showing it.
void tst_ConnectionProfile::commandLinePasswordIsNeverShown()
{
    QString url = m_userServer.url();
    url.insert(url.indexOf(u"://"_s) + 3, u"alice:"_s + kPassword + u'@');
    m_window->show();
    m_window->start({url, {}, false});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session() && m_window->session()->isConnected(), 10000);
    const QString shown = u"alice:***@127.0.0.1"_s;
    QVERIFY2(!m_window->windowTitle().contains(kPassword), qPrintable(m_window->windowTitle()));
    QVERIFY2(m_window->windowTitle().contains(shown), qPrintable(m_window->windowTitle()));
    auto *choice = m_window->findChild<QComboBox *>(u"profileChoice"_s);
    QVERIFY2(!choice->currentText().contains(kPassword), qPrintable(choice->currentText()));
    QVERIFY2(choice->currentText().contains(shown), qPrintable(choice->currentText()));
    QVERIFY(!m_window->session()->profile().name.contains(kPassword));
    QVERIFY(!m_window->session()->profile().servers.contains(kPassword));
    QVERIFY(!m_window->session()->statusText().contains(kPassword));
    // Saving another profile meanwhile keeps the open connection in the choice, as it was shown.
    ConnectionProfile other;
    other.id = u"other"_s;
    other.name = u"other"_s;
    m_window->profileStore()->save(other);
    QVERIFY2(choice->currentText().contains(shown), qPrintable(choice->currentText()));
    m_window->profileStore()->remove(other.id);
    m_window->close(); // writes the window's settings
    QVERIFY(!settingsFile().isEmpty());
    QVERIFY(!settingsFile().contains(kPassword.toUtf8()));
}

// A connection given with --server is not saved, and Manage Connections offered only an empty form: the user
// typed it all again, password included (try-out F16). The form holds it now, the password as the
// connection has it; Save keeps it, the password in the keychain. Opened again, the dialog shows the
// saved one and offers nothing twice.
void tst_ConnectionProfile::aCommandLineConnectionIsSavedInOneStep()
{
    QString url = m_userServer.url();
    url.insert(url.indexOf(u"://"_s) + 3, u"alice:"_s + kPassword + u'@');
    m_window->show();
    m_window->start({url, {}, false});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session() && m_window->session()->isConnected(), 10000);

    QString offeredName;
    QString offeredServers;
    QString offeredUser;
    bool offeredPassword = false;
    bool saved = false;
    UiTest::onNextDialog<ProfileDialog>([&](ProfileDialog *dialog) {
        offeredName = dialog->findChild<QLineEdit *>(u"profileName"_s)->text();
        offeredServers = dialog->findChild<QLineEdit *>(u"profileServers"_s)->text();
        offeredUser = dialog->findChild<QLineEdit *>(u"profileUser"_s)->text();
        offeredPassword = dialog->findChild<QLineEdit *>(u"profileSecret"_s)->text() == kPassword;
        dialog->findChild<QPushButton *>(u"saveProfile"_s)->click();
        auto *secret = dialog->findChild<QLineEdit *>(u"profileSecret"_s);
        saved = QTest::qWaitFor( // the field is cleared once the keychain has the password
            [&] { return m_window->profileStore()->profiles().size() == 1 && secret->text().isEmpty(); }, 10000);
        dialog->reject();
    });
    QVERIFY(triggerAction(m_window, u"&Manage Connections…"_s));
    QVERIFY2(!offeredName.isEmpty() && !offeredName.contains(kPassword), qPrintable(offeredName));
    QCOMPARE(offeredServers, m_userServer.url());
    QCOMPARE(offeredUser, u"alice"_s);
    QVERIFY2(offeredPassword, "the connection's password was not offered");
    QVERIFY(saved);
    const ConnectionProfile profile = m_window->profileStore()->profiles().constFirst();
    QCOMPARE(profile.authKind, ConnectionProfile::AuthKind::UserPassword);
    QTRY_COMPARE_WITH_TIMEOUT(keychainSecret(profile.id), kPassword, 10000);
    QVERIFY(!settingsFile().contains(kPassword.toUtf8()));
    QVERIFY(connects(profile));

    QString shownAgain;
    UiTest::onNextDialog<ProfileDialog>([&](ProfileDialog *dialog) {
        shownAgain = dialog->findChild<QLineEdit *>(u"profileName"_s)->text();
        dialog->reject();
    });
    QVERIFY(triggerAction(m_window, u"&Manage Connections…"_s));
    QCOMPARE(shownAgain, profile.name);
    QCOMPARE(m_window->profileStore()->profiles().size(), 1);
    m_window->secretStore()->remove(profile.id);
    m_window->profileStore()->remove(profile.id);
}

// A password typed into the Servers field: the user stays in the profile, the password goes to the keychain.
void tst_ConnectionProfile::passwordTypedIntoServersGoesToTheKeychain()
{
    QString url = m_userServer.url();
    url.insert(url.indexOf(u"://"_s) + 3, u"alice:"_s + kPassword + u'@');
    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    dialog.findChild<QLineEdit *>(u"profileName"_s)->setText(u"typed"_s);
    dialog.findChild<QLineEdit *>(u"profileServers"_s)->setText(url);
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->profileStore()->profiles().size() == 1, 10000);
    const ConnectionProfile profile = m_window->profileStore()->profiles().constFirst();
    QVERIFY2(!profile.servers.contains(kPassword), qPrintable(profile.servers));
    QCOMPARE(profile.user, u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(keychainSecret(profile.id), kPassword, 10000);
    QVERIFY(!settingsFile().contains(kPassword.toUtf8()));
    QVERIFY(!dialog.findChild<QLineEdit *>(u"profileServers"_s)->text().contains(kPassword));
    QVERIFY(connects(profile));
    m_window->secretStore()->remove(profile.id);
    m_window->profileStore()->remove(profile.id);
}

// A settings file written before URLs were kept without credentials: the password moves to the keychain.
void tst_ConnectionProfile::passwordSavedByAnOlderVersionMovesToTheKeychain()
{
    QString url = m_userServer.url();
    url.insert(url.indexOf(u"://"_s) + 3, u"alice:"_s + kPassword + u'@');
    delete m_window;
    {
        QSettings settings;
        settings.beginWriteArray(u"profiles"_s, 1);
        settings.setArrayIndex(0);
        settings.setValue(u"id"_s, ownId(u"old"_s));
        settings.setValue(u"name"_s, u"old"_s);
        settings.setValue(u"servers"_s, url);
        settings.endArray();
    }
    QVERIFY(settingsFile().contains(kPassword.toUtf8()));
    m_window = new MainWindow;
    QTRY_VERIFY_WITH_TIMEOUT(!settingsFile().contains(kPassword.toUtf8()), 10000);
    const ConnectionProfile profile = m_window->profileStore()->profile(ownId(u"old"_s));
    QCOMPARE(profile.servers, m_userServer.url());
    QCOMPARE(profile.user, u"alice"_s);
    QCOMPARE(keychainSecret(profile.id), kPassword);
    QVERIFY(connects(profile));
    m_window->secretStore()->remove(profile.id);
    m_window->profileStore()->remove(profile.id);
}

// The app reads natscli contexts with the CLI's own code: JWT and seed, API prefix, tls_first, "~",
// passwords in the URL. Secrets go to the keychain, never to the settings file.
void tst_ConnectionProfile::natscliContextsImportAsNatscliReadsThem()
{
    QString url = m_userServer.url();
    url.insert(url.indexOf(u"://"_s) + 3, u"alice:"_s + kPassword + u'@');
    QVERIFY(writeContext(ownId(u"urlpass"_s), {{u"url"_s, url}}));
    const NatsNKey user = NatsNKey::create(NatsNKey::Type::User);
    const QByteArray jwt = m_issuer.userJwt(user, u"ctxuser"_s);
    const QByteArray seed = user.seed();
    QVERIFY(writeContext(ownId(u"jwt"_s),
                         {{u"url"_s, m_jwtServer.url()},
                          {u"user_jwt"_s, QString::fromLatin1(jwt)},
                          {u"user_seed"_s, QString::fromLatin1(seed)},
                          {u"jetstream_api_prefix"_s, u"$JS.hub.API"_s}}));
    QVERIFY(
        writeContext(ownId(u"tls"_s),
                     {{u"url"_s, u"nats://127.0.0.1:1"_s}, {u"ca"_s, u"~/certs/ca.pem"_s}, {u"tls_first"_s, true}}));
    QVERIFY(writeContext(ownId(u"token"_s), {{u"url"_s, m_userServer.url()}, {u"token"_s, kToken}}));

    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    QCOMPARE(dialog.importContexts(), 4);
    ProfileStore *store = m_window->profileStore();

    const ConnectionProfile jwtProfile = store->profile(u"natscli-"_s + ownId(u"jwt"_s));
    const QString jwtSecret = keychainSecret(jwtProfile.id);
    const NatsConnectOptions jwtOptions = jwtProfile.toConnectOptions(jwtSecret);
    QCOMPARE(jwtOptions.userJwt, jwt);
    QCOMPARE(jwtOptions.userSeed, seed);
    QVERIFY(connects(jwtProfile));
    QCOMPARE(m_window->session()->jetStream()->apiPrefix(), "$JS.hub.API."_ba);

    const ConnectionProfile urlpass = store->profile(u"natscli-"_s + ownId(u"urlpass"_s));
    QCOMPARE(urlpass.servers, m_userServer.url());
    QCOMPARE(urlpass.user, u"alice"_s);
    QTRY_COMPARE_WITH_TIMEOUT(keychainSecret(urlpass.id), kPassword, 10000);
    QVERIFY(connects(urlpass));

    const ConnectionProfile tls = store->profile(u"natscli-"_s + ownId(u"tls"_s));
    QCOMPARE(tls.tlsCaFile, QDir::homePath() + u"/certs/ca.pem"_s);
    QVERIFY(tls.toConnectOptions({}).tlsRequired);

    const ConnectionProfile token = store->profile(u"natscli-"_s + ownId(u"token"_s));
    QTRY_COMPARE_WITH_TIMEOUT(keychainSecret(token.id), kToken, 10000);

    const QByteArray settings = settingsFile();
    QVERIFY(settings.contains((u"natscli-"_s + ownId(u"jwt"_s)).toUtf8()));
    for (const QByteArray &secret : {kPassword.toUtf8(), kToken.toUtf8(), seed, jwt})
        QVERIFY2(!settings.contains(secret), secret.constData());
    for (const ConnectionProfile &profile : store->profiles())
        m_window->secretStore()->remove(profile.id);
}

// A context file that cannot be read (truncated JSON) was skipped without a word: "Imported 1 natscli
// context." of two. It is named, with why, in the CLI's words.
void tst_ConnectionProfile::aContextFileThatCannotBeReadIsNamed()
{
    for (const ConnectionProfile &profile : m_window->profileStore()->profiles())
        m_window->profileStore()->remove(profile.id);
    const QString dir = qEnvironmentVariable("XDG_CONFIG_HOME") + u"/nats/context"_s;
    QDir(dir).removeRecursively();
    QVERIFY(writeContext(ownId(u"good"_s), {{u"url"_s, m_userServer.url()}}));
    const QString badPath = dir + u'/' + ownId(u"bad"_s) + u".json"_s;
    QFile bad(badPath);
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(R"({"url": "nats://127.0.0.1:4222", "user": "al)");
    bad.close();
    // An empty file was skipped without a word.
    const QString emptyPath = dir + u'/' + ownId(u"empty"_s) + u".json"_s;
    QFile empty(emptyPath);
    QVERIFY(empty.open(QIODevice::WriteOnly));
    empty.close();

    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    dialog.show();
    dialog.findChild<QPushButton *>(u"importContexts"_s)->click();
    QString shown;
    for (const QLabel *label : dialog.findChildren<QLabel *>()) {
        if (label->isVisible() && label->text().contains(u"Imported"_s))
            shown = label->text();
    }
    QVERIFY2(shown.contains(u"Imported 1 natscli context"_s), qPrintable(shown));
    QVERIFY2(shown.contains(u"context file %1 is not a JSON object"_s.arg(badPath)), qPrintable(shown));
    QVERIFY2(shown.contains(u"context file %1 is empty"_s.arg(emptyPath)), qPrintable(shown));
    QCOMPARE(m_window->profileStore()->profiles().size(), 1);

    // From the welcome page, where no dialog is open: a warning names it.
    QString warned;
    UiTest::onNextDialog<QMessageBox>([&warned](QMessageBox *box) {
        warned = box->text();
        box->accept();
    });
    m_window->findChild<QPushButton *>(u"welcomeImport"_s)->click();
    QTRY_VERIFY(!warned.isEmpty());
    QVERIFY2(warned.contains(u"context file %1 is not a JSON object"_s.arg(badPath)), qPrintable(warned));
    for (const ConnectionProfile &profile : m_window->profileStore()->profiles())
        m_window->profileStore()->remove(profile.id);
    QDir(dir).removeRecursively();
}

// The note that a token (or password) written into the URL went to the keychain took a line more than the
// dialog had, and the dialog grew by it: Save moved under the pointer. It also said "password" for a token.
void tst_ConnectionProfile::theSavedNoteMovesNoButton()
{
    for (const ConnectionProfile &profile : m_window->profileStore()->profiles())
        m_window->profileStore()->remove(profile.id);
    QString url = m_userServer.url();
    url.insert(url.indexOf(u"://"_s) + 3, kToken + u'@');
    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.findChild<QLineEdit *>(u"profileName"_s)->setText(u"token-url"_s);
    dialog.findChild<QLineEdit *>(u"profileServers"_s)->setText(url);
    auto *save = dialog.findChild<QPushButton *>(u"saveProfile"_s);
    const QRect before(save->mapTo(&dialog, QPoint()), save->size());
    const int heightBefore = dialog.height();
    save->click();
    const auto note = [&dialog] {
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->isVisible() && label->text().startsWith(u"Saved"_s))
                return label->text();
        }
        return QString();
    };
    QTRY_VERIFY_WITH_TIMEOUT(!note().isEmpty(), 10000);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    const QRect after(save->mapTo(&dialog, QPoint()), save->size());
    QVERIFY2(after == before && dialog.height() == heightBefore,
             qPrintable(u"Save at %1,%2 then %3,%4; the dialog %5 then %6 px high"_s.arg(before.y())
                            .arg(before.x())
                            .arg(after.y())
                            .arg(after.x())
                            .arg(heightBefore)
                            .arg(dialog.height())));
    QVERIFY2(note().contains(u"token"_s) && !note().contains(u"password"_s), qPrintable(note()));
    for (const ConnectionProfile &profile : m_window->profileStore()->profiles()) {
        m_window->secretStore()->remove(profile.id);
        m_window->profileStore()->remove(profile.id);
    }
}

// A user confined to a private inbox (subscribe "_MY_INBOX.>"), set up as natscli does with a context's
// inbox_prefix: the import dropped the prefix and the window could not list a bucket. The profile keeps it
// (the Connections dialog shows and saves it) and every reply inbox of the window's connection takes it.
void tst_ConnectionProfile::privateInboxPrefix()
{
    NatsConnectOptions admin = NatsConnectOptions::fromUrl(m_inboxServer.url());
    admin.user = u"admin"_s;
    admin.password = u"pw"_s;
    KvContext *kv = nullptr;
    QVERIFY(KvTest::connectClient(admin, this, nullptr, nullptr, &kv));
    KvBucketConfig config;
    config.bucket = u"orders"_s;
    QVERIFY(KvTest::createBucket(kv, config));
    WAIT_OK(kv->bucket(u"orders"_s)->put(u"inbox.key"_s, "v"));

    for (const ConnectionProfile &profile : m_window->profileStore()->profiles())
        m_window->profileStore()->remove(profile.id);
    const QString dir = qEnvironmentVariable("XDG_CONFIG_HOME") + u"/nats/context"_s;
    QDir(dir).removeRecursively();
    QVERIFY(writeContext(ownId(u"inb"_s),
                         {{u"url"_s, m_inboxServer.url()},
                          {u"user"_s, u"inb"_s},
                          {u"password"_s, u"pw"_s},
                          {u"inbox_prefix"_s, u"_MY_INBOX"_s}}));
    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    QCOMPARE(dialog.importContexts(), 1);
    const ConnectionProfile imported = m_window->profileStore()->profile(u"natscli-"_s + ownId(u"inb"_s));
    QCOMPARE(imported.toConnectOptions(u"pw"_s).inboxPrefix, u"_MY_INBOX"_s);
    dialog.selectProfile(imported.id);
    auto *field = dialog.findChild<QLineEdit *>(u"profileInboxPrefix"_s);
    QVERIFY(field);
    QCOMPARE(field->text(), u"_MY_INBOX"_s);
    QTRY_COMPARE_WITH_TIMEOUT(keychainSecret(imported.id), u"pw"_s, 10000);

    // The window lists the buckets and the bucket's keys: requests and the key list's consumer both
    // answer on _MY_INBOX.
    QVERIFY2(connects(imported), qPrintable(m_window->session()->lastError()));
    auto *buckets = m_window->bucketPanel()->findChild<QTreeView *>(u"bucketView"_s);
    QVERIFY(buckets);
    QTRY_COMPARE_WITH_TIMEOUT(buckets->model()->rowCount(), 1, 10000);
    m_window->bucketPanel()->selectBucket(u"orders"_s);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->keyPanel()->model()->rowCount(), 1, 10000);

    // Typed into the dialog: checked as the CLI checks --inbox-prefix, and saved with the profile.
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    field->setText(u"_MY_INBOX.*"_s);
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    const auto shown = [&dialog](const QString &start) {
        for (const QLabel *label : dialog.findChildren<QLabel *>()) {
            if (label->isVisible() && label->text().contains(start))
                return label->text();
        }
        return QString();
    };
    QVERIFY2(!shown(u"Inbox prefix"_s).isEmpty(), qPrintable(shown(u"inbox"_s)));
    QCOMPARE(m_window->profileStore()->profile(imported.id).toConnectOptions({}).inboxPrefix, u"_MY_INBOX"_s);
    field->setText(u"_OTHER_INBOX"_s);
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    QTRY_VERIFY(!shown(u"Saved"_s).isEmpty());
    QCOMPARE(ProfileStore().profile(imported.id).toConnectOptions({}).inboxPrefix, u"_OTHER_INBOX"_s);
    m_window->secretStore()->remove(imported.id);
    m_window->profileStore()->remove(imported.id);
    QDir(dir).removeRecursively();
}

QTEST_MAIN(tst_ConnectionProfile)

#include "tst_connectionprofile.moc"
