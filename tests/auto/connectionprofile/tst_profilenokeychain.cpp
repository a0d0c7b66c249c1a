#include "elidedlabel.h"
#include "mainwindow.h"
#include "natsserverprocess.h"
#include "profiledialog.h"
#include "profilestore.h"
#include "secretstore.h"
#include "session.h"
#include "uitestsupport.h"

#include <QtCore/QFile>
#include <QtCore/QSettings>
#include <QtCore/QTimer>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QInputDialog>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStatusBar>

using namespace Qt::StringLiterals;

namespace {

const QString kPassword = u"NoKeychain-Pw-41"_s;

QByteArray settingsFile()
{
    QSettings settings;
    settings.sync();
    QFile file(settings.fileName());
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

// The window where no keychain answers (no D-Bus session, as when the app is started without one): a
// secret typed into the Connections dialog cannot be kept, and is used for the connection made with it.
class tst_ProfileNoKeychain final : public QObject
{
    Q_OBJECT

public:
    static void initMain()
    {
        UiTest::useThrowAwayHome(u"kvdesk-test-nokeychain"_s);
        // A session bus that is not there: the Secret Service cannot be reached, whatever runs the test.
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/kvdesk-test-no-bus");
    }

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase() { delete m_window; }
    void typedPasswordIsUsedForThisConnection();
    void retryAfterARefusedPasswordAsksForIt();
    void aShortenedStatusKeepsItsMeaning();

private:
    QAction *windowAction(const QString &text) const;
    ConnectionProfile savedProfile(const QString &name) const;

    NatsServerProcess m_server; // authorization: nokr and kPassword
    MainWindow *m_window = nullptr;
};

void tst_ProfileNoKeychain::initTestCase()
{
    NatsServerProcess::Options options;
    options.config = "authorization { user: nokr, password: \"" + kPassword.toUtf8() + "\" }\n";
    QVERIFY2(m_server.start(options), qPrintable(m_server.errorString()));
    m_window = new MainWindow;
    m_window->show();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->secretStore()->isProbed(), 10000);
    QVERIFY2(!m_window->secretStore()->isAvailable(), "a keychain answered, with no session bus");
}

QAction *tst_ProfileNoKeychain::windowAction(const QString &text) const
{
    for (QAction *action : m_window->findChildren<QAction *>()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

// The password typed and "Save and Connect": it was dropped, and the window at once asked for it again
// ("The keychain could not be read … Password for nokr:"). It is used for this connection, never written
// to the settings file, the window says it was not kept, and the next connect asks for it.
void tst_ProfileNoKeychain::typedPasswordIsUsedForThisConnection()
{
    bool asked = false;
    QTimer answer; // a password question: noted, and cancelled
    answer.setInterval(10);
    connect(&answer, &QTimer::timeout, this, [&asked] {
        if (auto *question = qobject_cast<QInputDialog *>(QApplication::activeModalWidget())) {
            asked = true;
            question->reject();
        }
    });
    answer.start();
    UiTest::onNextDialog<ProfileDialog>([this](ProfileDialog *dialog) {
        dialog->findChild<QLineEdit *>(u"profileName"_s)->setText(u"nokr"_s);
        dialog->findChild<QLineEdit *>(u"profileServers"_s)->setText(m_server.url());
        auto *kind = dialog->findChild<QComboBox *>(u"profileAuthKind"_s);
        kind->setCurrentIndex(kind->findData(int(ConnectionProfile::AuthKind::UserPassword)));
        dialog->findChild<QLineEdit *>(u"profileUser"_s)->setText(u"nokr"_s);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(u"profileSecret"_s), kPassword);
        dialog->findChild<QPushButton *>(u"connectProfile"_s)->click();
    });
    QAction *manage = windowAction(u"&Manage Connections…"_s);
    QVERIFY(manage);
    manage->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(asked || (m_window->session() && m_window->session()->isConnected()), 10000);
    QVERIFY2(!asked, "the password just typed was asked for again");
    const QString note = m_window->statusBar()->currentMessage();
    QVERIFY2(note.contains(u"keychain"_s) && note.contains(u"next time"_s), qPrintable(note));
    QVERIFY(!settingsFile().contains(kPassword.toUtf8()));
    QCOMPARE(ProfileStore().profiles().size(), 1);

    // Connecting again: the password is asked for.
    auto *connectButton = m_window->findChild<QPushButton *>(u"connectButton"_s);
    QVERIFY(connectButton);
    connectButton->click();
    QTRY_VERIFY_WITH_TIMEOUT(asked, 10000);
}

ConnectionProfile tst_ProfileNoKeychain::savedProfile(const QString &name) const
{
    ConnectionProfile profile;
    profile.id = ConnectionProfile::newId();
    profile.name = name;
    profile.servers = m_server.url();
    profile.authKind = ConnectionProfile::AuthKind::UserPassword;
    profile.user = u"nokr"_s;
    m_window->profileStore()->save(profile);
    return profile;
}

// A wrong password typed at "No password is stored": Retry Now sent the same wrong one again, quietly (the
// server logged a second authentication error), while the bar said a retry would fail the same way; only
// Connect asked again. A refusal of the credentials is not retried with them: Retry Now asks for the
// password, and connects with the one typed. The password is in no title, status or setting.
void tst_ProfileNoKeychain::retryAfterARefusedPasswordAsksForIt()
{
    const ConnectionProfile profile = savedProfile(u"retry-asks"_s);
    QStringList answers{u"wrong-pw-1"_s, kPassword};
    int asked = 0;
    QTimer answer; // each password question: the next answer typed
    answer.setInterval(10);
    connect(&answer, &QTimer::timeout, this, [&] {
        auto *question = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!question || !question->isVisible())
            return;
        ++asked;
        if (answers.isEmpty()) {
            question->reject();
            return;
        }
        question->setTextValue(answers.takeFirst());
        question->accept();
    });
    answer.start();
    m_window->openProfile(profile);
    QTRY_COMPARE_WITH_TIMEOUT(asked, 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session() && m_window->session()->isStoppedForSettings(), 10000);
    auto *retryNow = m_window->findChild<QPushButton *>(u"retryNow"_s);
    QVERIFY(retryNow);
    QTRY_VERIFY(retryNow->isVisible());
    // Said before it is pressed: it asks (a button that opens a question ends in "…").
    QVERIFY2(retryNow->text().endsWith(u"…"_s), qPrintable(retryNow->text()));
    QVERIFY2(retryNow->toolTip().contains(u"password"_s), qPrintable(retryNow->toolTip()));

    retryNow->click();
    QTRY_VERIFY2_WITH_TIMEOUT(asked == 2, "Retry Now did not ask for the refused password again", 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session() && m_window->session()->isConnected(), 10000);
    QVERIFY(!retryNow->isVisible());
    const QString status = m_window->findChild<QLabel *>(u"connectionStatus"_s)->text();
    for (const QString &shown : {m_window->windowTitle(), status, QString::fromUtf8(settingsFile())})
        QVERIFY2(!shown.contains(u"wrong-pw-1"_s) && !shown.contains(kPassword), qPrintable(shown));
    m_window->profileStore()->remove(profile.id);
}

// The bar's status, too long for the window, was shortened in the middle: after a refused password it read
// "… refused the c… tried again by itself: it would fail the same way", the "not" and the reason cut out.
// It is shortened at its end (the whole in its tooltip): what is shown is the text's own beginning.
void tst_ProfileNoKeychain::aShortenedStatusKeepsItsMeaning()
{
    const ConnectionProfile profile = savedProfile(u"shortened"_s);
    bool asked = false;
    UiTest::onNextDialog<QInputDialog>([&asked](QInputDialog *question) {
        asked = true;
        question->setTextValue(u"wrong-pw-2"_s);
        question->accept();
    });
    m_window->openProfile(profile);
    QTRY_VERIFY_WITH_TIMEOUT(asked, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->session() && m_window->session()->isStoppedForSettings(), 10000);
    auto *status = m_window->findChild<ElidedLabel *>(u"connectionStatus"_s);
    QVERIFY(status);
    QTRY_VERIFY2(status->text().contains(u"not tried again"_s), qPrintable(status->text()));
    m_window->resize(900, m_window->height());
    QTRY_VERIFY2(status->isElided(), qPrintable(status->shownText())); // else this shows nothing
    // The status bar's copy of it likewise, where it is shortened too.
    auto *below = m_window->findChild<ElidedLabel *>(u"connectionState"_s);
    QVERIFY(below);
    for (const ElidedLabel *label : {status, below}) {
        const QString shown = label->shownText();
        QVERIFY2(!label->isElided() || (shown.endsWith(u"…"_s) && label->text().startsWith(shown.chopped(1))),
                 qPrintable(u"%1 shows \"%2\" of \"%3\""_s.arg(label->objectName(), shown, label->text())));
    }
    m_window->profileStore()->remove(profile.id);
}

QTEST_MAIN(tst_ProfileNoKeychain)

#include "tst_profilenokeychain.moc"
