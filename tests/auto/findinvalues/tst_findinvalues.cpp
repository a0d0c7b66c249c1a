#include "codectestdata.h"
#include "findinvaluesdialog.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvputbatch.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "uitestsupport.h"

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QListWidget>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>

using namespace Qt::StringLiterals;

// The Find in Values dialog against a real server: typed and started as a user does, matches listed with
// their decoders, a match opened, progress shown.
class tst_FindInValues final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-findinvalues"_s); }

private Q_SLOTS:
    void initTestCase();
    void findsAndOpensAMatch();
    void findsByJsonPath();
    void countsTheValuesSearched();

private:
    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
};

void tst_FindInValues::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"find"_s;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
    WAIT_OK(m_bucket->put(u"orders.1"_s, CodecTestData::gzip(R"({"customer":"Grace"})"_ba)));
    WAIT_OK(m_bucket->put(u"orders.2"_s, R"({"customer":"Ada"})"_ba));
    WAIT_OK(m_bucket->put(u"users.1"_s, "grace"_ba));
}

void tst_FindInValues::findsAndOpensAMatch()
{
    const QStringList keys{u"orders.1"_s, u"orders.2"_s, u"users.1"_s};
    FindInValuesDialog dialog(m_bucket, keys, u"orders"_s);
    dialog.show();
    auto *text = dialog.findChild<QLineEdit *>(u"findText"_s);
    auto *folder = dialog.findChild<QLineEdit *>(u"findFolder"_s);
    auto *start = dialog.findChild<QPushButton *>(u"findStart"_s);
    auto *results = dialog.findChild<QListWidget *>(u"findResults"_s);
    auto *status = dialog.findChild<QLabel *>(u"findStatus"_s);
    auto *progress = dialog.findChild<QProgressBar *>(u"findProgress"_s);
    QVERIFY(text && folder && start && results && status && progress);
    QCOMPARE(folder->text(), u"orders"_s);
    QVERIFY(!start->isEnabled()); // nothing typed yet
    QTest::keyClicks(text, u"grace"_s);
    QVERIFY(start->isEnabled());
    start->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"1 match in 2 values"_s), 10000);
    QCOMPARE(results->count(), 1);
    QVERIFY2(results->item(0)->text().contains(u"orders.1"_s) && results->item(0)->text().contains(u"gzip → JSON"_s),
             qPrintable(results->item(0)->text()));
    QCOMPARE(progress->value(), 2);
    QSignalSpy opened(&dialog, &FindInValuesDialog::keyActivated);
    Q_EMIT results->itemActivated(results->item(0));
    QCOMPARE(opened.size(), 1);
    QCOMPARE(opened.first().first().toString(), u"orders.1"_s);

    // The whole bucket: the text value too.
    folder->clear();
    start->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"2 matches in 3 values"_s), 10000);
    QCOMPARE(results->count(), 2);
}

void tst_FindInValues::findsByJsonPath()
{
    // "JSON path" searches the decoded values as JSON: the match says where and what it found; a path
    // that does not follow the syntax says why, and searches nothing.
    const QStringList keys{u"orders.1"_s, u"orders.2"_s, u"users.1"_s};
    FindInValuesDialog dialog(m_bucket, keys, QString());
    dialog.show();
    auto *mode = dialog.findChild<QComboBox *>(u"findMode"_s);
    auto *text = dialog.findChild<QLineEdit *>(u"findText"_s);
    auto *start = dialog.findChild<QPushButton *>(u"findStart"_s);
    auto *results = dialog.findChild<QListWidget *>(u"findResults"_s);
    auto *status = dialog.findChild<QLabel *>(u"findStatus"_s);
    QVERIFY(mode && text && start && results && status);
    const int path = mode->findText(u"JSON path"_s);
    QVERIFY(path >= 0);
    mode->setCurrentIndex(path);
    QVERIFY2(text->placeholderText().contains(u"$."_s), qPrintable(text->placeholderText()));
    QTest::keyClicks(text, u"$.customer ~ GRACE"_s);
    start->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"1 match in 3 values"_s), 10000);
    QCOMPARE(results->count(), 1);
    QVERIFY2(results->item(0)->text().contains(u"orders.1"_s)
                 && results->item(0)->text().contains(u"$.customer = \"Grace\""_s),
             qPrintable(results->item(0)->text()));

    text->setText(u"$.customer =="_s);
    start->click();
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"a value after =="_s), 10000);
    QCOMPARE(results->count(), 0);
}

// A deleted key is in the key list (as a row that can be shown) but has no value: the report counted the
// keys read as "values", 50,007 where 50,003 values were searched, and without the thousands separators
// the rest of the window uses.
void tst_FindInValues::countsTheValuesSearched()
{
    KvBucketConfig config;
    config.bucket = u"findmany"_s;
    QVERIFY(KvTest::createBucket(m_kv, config));
    KvBucket *bucket = m_kv->bucket(config.bucket, this);
    QList<KvPutBatch::Item> items;
    QStringList keys;
    for (int i = 0; i < 1003; ++i) {
        keys.append(u"k%1"_s.arg(i, 4, 10, QChar(u'0')));
        items.append({keys.last(), i == 500 ? "the needle"_ba : "hay"_ba});
    }
    KvPutBatch *batch = bucket->putMany(items);
    QSignalSpy stored(batch, &KvPutBatch::finished);
    QVERIFY(stored.wait(KvTest::ReplyTimeoutMs));
    QCOMPARE(batch->error(), NatsError::NoError);
    for (const QString &key : {u"k0001"_s, u"k0002"_s, u"k0003"_s})
        WAIT_OK(bucket->remove(key));

    FindInValuesDialog dialog(bucket, keys, QString());
    dialog.show();
    auto *text = dialog.findChild<QLineEdit *>(u"findText"_s);
    auto *start = dialog.findChild<QPushButton *>(u"findStart"_s);
    auto *status = dialog.findChild<QLabel *>(u"findStatus"_s);
    QVERIFY(text && start && status);
    QTest::keyClicks(text, u"needle"_s);
    start->click();
    QTRY_VERIFY_WITH_TIMEOUT(!status->text().startsWith(u"Searching"_s), 20000);
    QCOMPARE(status->text(), u"1 match in 1,000 values"_s);
}

QTEST_MAIN(tst_FindInValues)
#include "tst_findinvalues.moc"
