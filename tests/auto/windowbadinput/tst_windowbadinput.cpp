#include "fakenatsserver.h"
#include "mainwindow.h"
#include "natsserverprocess.h"
#include "session.h"
#include "uitestsupport.h"

#include <QtCore/QRegularExpression>
#include <QtCore/QSettings>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>

using namespace Qt::StringLiterals;

// Bad input, always, in the window: wrong credentials and a misbehaving server each end the attempt
// with a message in the status bar that names the problem, and the window keeps working (no crash,
// no hang). Names, sizes and revisions are refused in the dialogs: tst_mainwindow, tst_bucketdialog.
class tst_WindowBadInput final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test"_s); }

private Q_SLOTS:
    void initTestCase();
    void connectionProblems_data();
    void connectionProblems();

private:
    NatsServerProcess m_password;
    NatsServerProcess m_token;
};

void tst_WindowBadInput::initTestCase()
{
    NatsServerProcess::Options options;
    options.jetStream = false;
    options.config = "authorization { user: alice, password: s3cret }\n";
    QVERIFY2(m_password.start(options), qPrintable(m_password.errorString()));
    options.config = "authorization { token: t0ken }\n";
    QVERIFY2(m_token.start(options), qPrintable(m_token.errorString()));
}

void tst_WindowBadInput::connectionProblems_data()
{
    QTest::addColumn<QString>("server"); // password, token, or the bytes a fake server greets with
    QTest::addColumn<QString>("expected");
    const QString info = u"INFO {\"server_id\":\"FAKE\",\"version\":\"2.9.10\",\"proto\":1,\"headers\":true,"
                         u"\"max_payload\":1048576} \r\n"_s;
    QTest::newRow("wrong password") << u"password"_s << u"[Aa]uthori[sz]ation"_s;
    QTest::newRow("wrong token") << u"token"_s << u"[Aa]uthori[sz]ation"_s;
    QTest::newRow("silence") << QString() << u"the server sent no INFO"_s;
    QTest::newRow("no CRLF") << u"INFO {}"_s << u"no complete protocol line"_s;
    QTest::newRow("huge size") << info + u"MSG _INBOX.x 1 999999999999\r\n"_s << u"[Pp]rotocol.*999999999999"_s;
    QTest::newRow("negative size") << info + u"MSG _INBOX.x 1 -5\r\n"_s << u"[Pp]rotocol"_s;
    QTest::newRow("non-numeric size") << info + u"MSG _INBOX.x 1 lots\r\n"_s << u"[Pp]rotocol"_s;
    QTest::newRow("header longer than message") << info + u"HMSG _INBOX.x 1 40 20\r\n"_s << u"[Pp]rotocol"_s;
}

void tst_WindowBadInput::connectionProblems()
{
    QFETCH(QString, server);
    QFETCH(QString, expected);
    QSettings().clear();

    FakeNatsServer fake;
    QString url;
    if (server == "password"_L1) {
        url = u"nats://alice:wrong@127.0.0.1:%1"_s.arg(m_password.port());
    } else if (server == "token"_L1) {
        url = u"nats://notthetoken@127.0.0.1:%1"_s.arg(m_token.port());
    } else {
        fake.setGreeting(server.toLatin1());
        QVERIFY2(fake.listen(), qPrintable(fake.errorString()));
        url = fake.url();
    }

    MainWindow window;
    window.show();
    window.start({url, {}, false});
    QTRY_VERIFY_WITH_TIMEOUT(window.session() && !window.session()->lastError().isEmpty(), 20000);
    const QString error = window.session()->lastError();
    QVERIFY2(QRegularExpression(expected).match(error).hasMatch(),
             qPrintable(u"expected /%1/ in: %2"_s.arg(expected, error)));
    auto *status = window.findChild<QLabel *>(u"connectionStatus"_s);
    QVERIFY(status);
    QTRY_VERIFY2(QRegularExpression(expected).match(status->text()).hasMatch(), qPrintable(status->text()));
    QVERIFY2(!status->text().contains(u"wrong"_s) && !window.windowTitle().contains(u"wrong"_s),
             "the password shows in the window");
}

QTEST_MAIN(tst_WindowBadInput)
#include "tst_windowbadinput.moc"
