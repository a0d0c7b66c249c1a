#include "connectionprofile.h"
#include "keypassphrasedialog.h"
#include "mainwindow.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "natstestcertificates.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "uitestsupport.h"

#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

namespace {

QByteArray settingsFile()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// Keychain entries are named after profile ids, and the three server runs share one keyring.
QString ownId(const QString &name)
{
    return name + u'-' + QString::number(QCoreApplication::applicationPid());
}

void clickOk(QDialog *dialog)
{
    dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
}

} // namespace

// The app's side of TLS client settings against real servers: an encrypted client key asks for its
// passphrase (checked before connecting, kept in the keychain only when the user says so), a client
// certificate chain, and tls_first chosen in the profile dialog (nats-server 2.10+; the connection is
// skipped where the server refuses handshake_first).
class tst_ProfileTls final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-profiletls"_s); }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { delete m_window; }
    void encryptedKeyAsksForItsPassphrase_data();
    void encryptedKeyAsksForItsPassphrase();
    void certificateChain();
    void tlsFirstInTheProfileDialog();
    void failureThatWouldRepeatIsNotRetried_data();
    void failureThatWouldRepeatIsNotRetried();
    void wrongPassphraseLeavesTheTextWhole();

private:
    ConnectionProfile tlsProfile(const QString &name, const QString &cert, const QString &key) const;
    QString keychainSecret(const QString &id, bool *found);
    bool connects(const ConnectionProfile &profile);

    NatsTestCertificates m_certs;
    NatsServerProcess m_mutualTls;
    NatsServerProcess m_tlsFirst;
    NatsServerProcess m_otherName; // its certificate is for other.example, not 127.0.0.1
    QString m_tlsFirstRefused;
    MainWindow *m_window = nullptr;
};

void tst_ProfileTls::initTestCase()
{
    QVERIFY2(m_certs.create(), qPrintable(m_certs.errorString()));
    NatsServerProcess::Options options;
    options.config = m_certs.serverTlsBlock(true);
    QVERIFY2(m_mutualTls.start(options), qPrintable(m_mutualTls.errorString()));
    options.config = m_certs.serverTlsBlock(true, true);
    if (!m_tlsFirst.start(options)) { // 2.9: "unknown field" — what the server says decides
        QVERIFY2(m_tlsFirst.errorString().contains(u"handshake_first"_s), qPrintable(m_tlsFirst.errorString()));
        m_tlsFirstRefused = m_tlsFirst.errorString().section(u'\n', 0, 0);
    }
    QVERIFY2(m_certs.makeCertificate(u"othername"_s, u"ca"_s, u"serverAuth"_s, u"DNS:other.example"_s),
             qPrintable(m_certs.errorString()));
    options.config = m_certs.serverTlsBlock(false).replace("/server.", "/othername.");
    QVERIFY2(m_otherName.start(options), qPrintable(m_otherName.errorString()));
    m_window = new MainWindow;
    QTRY_VERIFY_WITH_TIMEOUT(m_window->secretStore()->isProbed(), 10000);
    QVERIFY2(m_window->secretStore()->isAvailable(),
             qPrintable(u"no Secret Service: run through scripts/with-keyring.sh: "_s
                        + m_window->secretStore()->unavailableReason()));
}

ConnectionProfile tst_ProfileTls::tlsProfile(const QString &name, const QString &cert, const QString &key) const
{
    ConnectionProfile profile;
    profile.id = ownId(name);
    profile.name = name;
    profile.servers = m_mutualTls.url();
    profile.tlsCaFile = m_certs.file(u"ca.pem"_s);
    profile.tlsCertFile = m_certs.file(cert);
    profile.tlsKeyFile = m_certs.file(key);
    return profile;
}

QString tst_ProfileTls::keychainSecret(const QString &id, bool *found)
{
    bool done = false;
    QString stored;
    m_window->secretStore()->read(id, this, [&](bool exists, const QString &value, const QString &) {
        *found = exists;
        stored = value;
        done = true;
    });
    if (!QTest::qWaitFor([&] { return done; }, 10000))
        return u"<keychain did not answer>"_s;
    return stored;
}

// Opens profile as a user does and waits until its own session (not the one before) is connected.
bool tst_ProfileTls::connects(const ConnectionProfile &profile)
{
    const Session *before = m_window->session();
    m_window->openProfile(profile);
    return QTest::qWaitFor([&] { return m_window->session() != before && m_window->session()->isConnected(); }, 10000);
}

void tst_ProfileTls::encryptedKeyAsksForItsPassphrase_data()
{
    QTest::addColumn<bool>("remember");
    QTest::newRow("kept in the keychain") << true;
    QTest::newRow("not kept") << false;
}

void tst_ProfileTls::encryptedKeyAsksForItsPassphrase()
{
    QFETCH(bool, remember);
    const QByteArray passphrase(NatsTestCertificates::KeyPassphrase);
    const ConnectionProfile profile = tlsProfile(remember ? u"kept"_s : u"asked"_s, u"client.pem"_s,
                                                 u"client-pkcs8.key"_s);
    m_window->profileStore()->save(profile);
    QString wrongNote;
    bool stayedOpen = false;
    UiTest::onNextDialog<KeyPassphraseDialog>([&](KeyPassphraseDialog *dialog) {
        auto *field = dialog->findChild<QLineEdit *>(u"keyPassphrase"_s);
        field->setText(u"not-the-passphrase"_s);
        clickOk(dialog);
        stayedOpen = dialog->isVisible(); // a wrong one is said in the dialog, which stays
        wrongNote = dialog->findChild<QLabel *>(u"keyPassphraseProblem"_s)->text();
        field->setText(QString::fromLatin1(passphrase));
        dialog->findChild<QCheckBox *>(u"rememberPassphrase"_s)->setChecked(remember);
        clickOk(dialog);
    });
    QVERIFY2(connects(profile), qPrintable(m_window->session()->lastError()));
    QVERIFY(stayedOpen);
    QVERIFY2(wrongNote.contains(u"wrong"_s), qPrintable(wrongNote));

    bool found = false;
    const QString stored = keychainSecret(KeyPassphraseDialog::keychainId(profile.id), &found);
    QCOMPARE(found, remember);
    QCOMPARE(stored.toLatin1(), remember ? passphrase : QByteArray());
    QVERIFY(!settingsFile().contains(passphrase));

    // Connecting again: from the keychain without a question, or asked again (and cancelled).
    bool asked = false;
    QTimer watch; // a dialog's exec() would block the wait below: answer any that comes
    watch.setInterval(10);
    connect(&watch, &QTimer::timeout, this, [&asked] {
        if (auto *dialog = qobject_cast<KeyPassphraseDialog *>(QApplication::activeModalWidget())) {
            asked = true;
            dialog->reject();
        }
    });
    watch.start();
    if (remember) {
        QVERIFY(connects(profile));
        QVERIFY(!asked);
        m_window->secretStore()->remove(KeyPassphraseDialog::keychainId(profile.id));
    } else {
        m_window->openProfile(profile);
        QTRY_VERIFY_WITH_TIMEOUT(asked, 10000);
    }
    m_window->profileStore()->remove(profile.id);
}

// The certificate file holds the leaf and the intermediate; the server trusts the root only.
void tst_ProfileTls::certificateChain()
{
    QVERIFY(connects(tlsProfile(u"chain"_s, u"chainclient-chain.pem"_s, u"chainclient.key"_s)));
}

void tst_ProfileTls::tlsFirstInTheProfileDialog()
{
    ProfileDialog dialog(m_window->profileStore(), m_window->secretStore(), m_window);
    auto *tlsFirst = dialog.findChild<QCheckBox *>(u"profileTlsFirst"_s);
    auto *requireTls = dialog.findChild<QCheckBox *>(u"profileRequireTls"_s);
    QVERIFY(tlsFirst && requireTls);
    tlsFirst->setChecked(true);
    QVERIFY(requireTls->isChecked()); // tls_first is TLS
    QVERIFY(!requireTls->isEnabled());
    dialog.findChild<QLineEdit *>(u"profileName"_s)->setText(u"first"_s);
    dialog.findChild<QLineEdit *>(u"profileServers"_s)
        ->setText(m_tlsFirstRefused.isEmpty() ? m_tlsFirst.url() : m_mutualTls.url());
    dialog.findChild<QLineEdit *>(u"profileCaFile"_s)->setText(m_certs.file(u"ca.pem"_s));
    dialog.findChild<QLineEdit *>(u"profileCertFile"_s)->setText(m_certs.file(u"client.pem"_s));
    dialog.findChild<QLineEdit *>(u"profileKeyFile"_s)->setText(m_certs.file(u"client.key"_s));
    dialog.findChild<QPushButton *>(u"saveProfile"_s)->click();
    const QList<ConnectionProfile> saved = ProfileStore().profiles();
    QCOMPARE(saved.size(), 1);
    const ConnectionProfile profile = saved.constFirst();
    QVERIFY(profile.tlsFirst);
    QVERIFY(profile.toConnectOptions({}).tlsFirst);
    if (!m_tlsFirstRefused.isEmpty())
        QSKIP(qPrintable(u"the server refuses handshake_first: "_s + m_tlsFirstRefused));
    QVERIFY2(connects(profile), qPrintable(m_window->session()->lastError()));
    m_window->profileStore()->remove(profile.id);
}

void tst_ProfileTls::failureThatWouldRepeatIsNotRetried_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("said");
    QTest::newRow("server certificate from another CA") << u"untrusted"_s << u"is not signed by the CA in"_s;
    QTest::newRow("key of another certificate") << u"mismatch"_s << u"does not match the certificate"_s;
    QTest::newRow("host name mismatch") << u"othername"_s << u"host name did not match"_s;
}

// A TLS failure that the next try would meet again (a server certificate no CA given trusts, a key that is
// not the certificate's, a host name the certificate does not name) was tried again every few seconds
// ("· next try in 4 s"). It is not: the bar says what is wrong and offers Retry Now and the settings.
void tst_ProfileTls::failureThatWouldRepeatIsNotRetried()
{
    QFETCH(QString, name);
    QFETCH(QString, said);
    ConnectionProfile profile = tlsProfile(name, u"client.pem"_s, u"client.key"_s);
    if (name == u"untrusted"_s) {
        profile.tlsCaFile = m_certs.file(u"intermediate.pem"_s); // did not sign the server's certificate
    } else if (name == u"mismatch"_s) {
        profile.tlsKeyFile = m_certs.file(u"chainclient.key"_s);
    } else {
        profile.servers = m_otherName.url();
        profile.tlsCertFile.clear();
        profile.tlsKeyFile.clear();
    }
    m_window->profileStore()->save(profile);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_window->openProfile(profile);
    Session *session = m_window->session();
    auto *status = m_window->findChild<QLabel *>(u"connectionStatus"_s);
    QTRY_VERIFY2_WITH_TIMEOUT(session->lastError().contains(said), qPrintable(session->lastError()), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(session->connection()->state() == NatsConnection::State::Closed, 10000);
    QVERIFY2(!session->isWaitingToRetry(), qPrintable(status->text()));
    QVERIFY2(!status->text().contains(u"next try"_s), qPrintable(status->text()));
    QVERIFY2(status->text().contains(u"not tried again by itself"_s), qPrintable(status->text()));
    auto *retryNow = m_window->findChild<QPushButton *>(u"retryNow"_s);
    auto *settings = m_window->findChild<QPushButton *>(u"connectionSettings"_s);
    QVERIFY(retryNow && settings);
    QTRY_VERIFY(retryNow->isVisible() && settings->isVisible());
    bool welcomeSaysSo = false; // not "Connecting to …, kvdesk keeps trying"
    for (const QLabel *label : m_window->findChildren<QLabel *>())
        welcomeSaysSo = welcomeSaysSo || label->text().contains(u"Could not connect to"_s);
    QVERIFY(welcomeSaysSo);

    // Retry Now tries once more, and it fails the same way: still no timer.
    QSignalSpy failed(session, &Session::failed);
    retryNow->click();
    QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
    QVERIFY(!session->isWaitingToRetry());
    QVERIFY(retryNow->isVisible());

    // The settings open on this connection.
    QString shown;
    UiTest::onNextDialog<ProfileDialog>([&shown](ProfileDialog *dialog) {
        shown = dialog->findChild<QLineEdit *>(u"profileName"_s)->text();
        dialog->reject();
    });
    settings->click();
    QTRY_COMPARE(shown, profile.name);
    m_window->profileStore()->remove(profile.id);
}

// After a wrong passphrase the dialog grew a line for the note, and the question above was cut at the top
// ("…Enter its passphrase:").
void tst_ProfileTls::wrongPassphraseLeavesTheTextWhole()
{
    const ConnectionProfile profile = tlsProfile(u"clipped"_s, u"client.pem"_s, u"client-pkcs8.key"_s);
    KeyPassphraseDialog dialog(profile, true, {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.findChild<QLineEdit *>(u"keyPassphrase"_s)->setText(u"not-the-passphrase"_s);
    clickOk(&dialog);
    QVERIFY(dialog.isVisible());
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    for (const QLabel *label : dialog.findChildren<QLabel *>()) {
        if (!label->isVisible() || !label->wordWrap())
            continue;
        QVERIFY2(label->height() >= label->heightForWidth(label->width()),
                 qPrintable(u"%1 px high for %2 px of \"%3\""_s.arg(label->height())
                                .arg(label->heightForWidth(label->width()))
                                .arg(label->text())));
    }
}

QTEST_MAIN(tst_ProfileTls)

#include "tst_profiletls.moc"
