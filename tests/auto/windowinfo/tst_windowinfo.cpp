#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "uitestsupport.h"

#include <QtGui/QAction>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>

using namespace Qt::StringLiterals;

// What the window says about the data (issue 14, "wrong or missing information"), against a real
// nats-server: counts that follow the model, labels, messages and filters.
class tst_WindowInfo final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void keyCountFollowsKeysArrivingAfterTheLoad();

private:
    KvBucket *makeBucket(int history = 10);
    QString keyStatus() const;

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    KeyPanel *m_keys = nullptr;
    int m_counter = 0;
};

void tst_WindowInfo::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

void tst_WindowInfo::init()
{
    ++m_counter;
}

void tst_WindowInfo::cleanup()
{
    delete m_keys;
    m_keys = nullptr;
}

KvBucket *tst_WindowInfo::makeBucket(int history)
{
    KvBucketConfig config;
    config.bucket = u"info_%1"_s.arg(m_counter);
    config.history = history;
    return KvTest::createBucket(m_kv, config) ? m_kv->bucket(config.bucket, this) : nullptr;
}

QString tst_WindowInfo::keyStatus() const
{
    return m_keys->findChild<QLabel *>(u"keyStatus"_s)->text();
}

void tst_WindowInfo::keyCountFollowsKeysArrivingAfterTheLoad()
{
    KvBucket *bucket = makeBucket();
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"a.1"_s, "1"));
    m_keys = new KeyPanel;
    m_keys->show();
    m_keys->setBucket(bucket);
    QTRY_VERIFY_WITH_TIMEOUT(!m_keys->model()->isLoading(), 10000);
    QTRY_COMPARE(keyStatus(), u"1 key"_s);

    // Keys written after the load: the count is the model's, never "1 of 0 keys shown".
    WAIT_OK(bucket->put(u"a.2"_s, "2"));
    WAIT_OK(bucket->put(u"a.3"_s, "3"));
    QTRY_COMPARE(m_keys->model()->rowCount(), 3);
    QTRY_COMPARE(keyStatus(), u"3 keys"_s);

    // A deleted key leaves the count (it is hidden unless "show deleted").
    WAIT_OK(bucket->remove(u"a.2"_s));
    QTRY_COMPARE(keyStatus(), u"2 keys"_s);
    m_keys->showDeletedAction()->setChecked(true);
    QTRY_COMPARE(keyStatus(), u"3 keys"_s);
    m_keys->showDeletedAction()->setChecked(false);

    // A text filter: "shown of all", both from the models.
    m_keys->findChild<QLineEdit *>(u"keyFilter"_s)->setText(u"a.3"_s);
    QTRY_COMPARE(keyStatus(), u"1 of 2 keys shown"_s);
    WAIT_OK(bucket->put(u"a.4"_s, "4"));
    QTRY_COMPARE(keyStatus(), u"1 of 3 keys shown"_s);
    WAIT_OK(bucket->put(u"a.33"_s, "33"));
    QTRY_COMPARE(keyStatus(), u"2 of 4 keys shown"_s);
}

QTEST_MAIN(tst_WindowInfo)
#include "tst_windowinfo.moc"
