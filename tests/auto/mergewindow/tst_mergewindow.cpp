#include "conflictdialog.h"
#include "errorlabel.h"
#include "keylistmodel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "mergedialog.h"
#include "natsconnectoptions.h"
#include "natsserverprocess.h"
#include "uitestsupport.h"
#include "valuepanel.h"

#include <QtGui/QAction>
#include <QtGui/QTextCursor>
#include <QtGui/QTextDocument>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>

using namespace Qt::StringLiterals;

// Merge in the conflict flow of the value panel, against a real server, driven as a user drives it:
// keys typed into the real editor, the dialogs' real buttons clicked.
class tst_MergeWindow final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-mergewindow"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void cleanJsonMergeIsSavedOnTheirRevision();
    void cleanTextMergeIsSaved();
    void textConflictsAreMarkedInTheEditor();
    void jsonMemberConflictsAreChosenPerMember();
    void aThirdWriterDuringTheMergeIsRefusedAgain();
    void nothingToMergeWithADeletedKey();
    void binaryIsNotMergedAndSaysWhy();
    void theConnectionAnswersWhileTheDialogsAreOpen();

private:
    quint64 put(const QString &key, const QByteArray &value);
    KvEntry latest(const QString &key);
    bool openKey(const QString &key);
    void typeAfter(const QString &after, const QString &typed);
    // Saves, and answers the conflict dialog that comes with a click on button.
    bool saveAndAnswer(const QString &button);

    NatsServerProcess m_server;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    KeyListModel *m_keys = nullptr;
    ValuePanel *m_panel = nullptr;
    QPlainTextEdit *m_editor = nullptr;
};

void tst_MergeWindow::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, nullptr, nullptr, &m_kv));
    KvBucketConfig config;
    config.bucket = u"merging"_s;
    config.history = 5;
    QVERIFY(KvTest::createBucket(m_kv, config));
    m_bucket = m_kv->bucket(config.bucket, this);
}

void tst_MergeWindow::init()
{
    m_keys = new KeyListModel(this);
    m_keys->load(m_bucket);
    m_panel = new ValuePanel;
    m_panel->resize(700, 450);
    m_panel->show();
    m_panel->setBucket(m_bucket, m_keys, false);
    m_editor = m_panel->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    QVERIFY(m_editor);
}

void tst_MergeWindow::cleanup()
{
    delete m_panel;
    m_panel = nullptr;
    delete m_keys;
    m_keys = nullptr;
}

quint64 tst_MergeWindow::put(const QString &key, const QByteArray &value)
{
    KvReply *reply = m_bucket->put(key, value);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return 0;
    reply->deleteLater();
    return reply->revision();
}

KvEntry tst_MergeWindow::latest(const QString &key)
{
    KvReply *reply = m_bucket->get(key);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, KvTest::ReplyTimeoutMs))
        return {};
    reply->deleteLater();
    return reply->entry();
}

bool tst_MergeWindow::openKey(const QString &key)
{
    m_panel->openKey(key);
    return QTest::qWaitFor([&] { return m_panel->key() == key && m_panel->openedRevision() > 0; }, 10000);
}

void tst_MergeWindow::typeAfter(const QString &after, const QString &typed)
{
    QTextCursor cursor = m_editor->document()->find(after);
    QVERIFY2(!cursor.isNull(), qPrintable(m_editor->toPlainText()));
    cursor.clearSelection();
    m_editor->setTextCursor(cursor);
    m_editor->setFocus();
    QTest::keyClicks(m_editor, typed);
    QVERIFY(m_panel->isModified());
}

bool tst_MergeWindow::saveAndAnswer(const QString &button)
{
    bool shown = false;
    UiTest::onNextDialog<ConflictDialog>([&shown, button](ConflictDialog *dialog) {
        shown = true;
        dialog->findChild<QPushButton *>(button)->click();
    });
    m_panel->saveAction()->trigger();
    return QTest::qWaitFor([&shown] { return shown; }, 10000);
}

void tst_MergeWindow::cleanJsonMergeIsSavedOnTheirRevision()
{
    const QString key = u"json_clean"_s;
    put(key, R"({"name":"x","size":"s"})");
    QVERIFY(openKey(key));
    typeAfter(u"\"x"_s, u"2"_s);
    const quint64 theirs = put(key, R"({"name":"x","size":"s3"})");
    QVERIFY(saveAndAnswer(u"mergeButton"_s));
    // Saved at once, as an update on their revision: both changes, theirs' layout.
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->openedRevision(), theirs + 1, 10000);
    QVERIFY(!m_panel->isModified());
    QCOMPARE(latest(key).value, R"({"name":"x2","size":"s3"})"_ba);
    QVERIFY2(m_editor->toPlainText().contains(u"x2"_s) && m_editor->toPlainText().contains(u"s3"_s),
             qPrintable(m_editor->toPlainText()));
}

void tst_MergeWindow::cleanTextMergeIsSaved()
{
    const QString key = u"text_clean"_s;
    put(key, "first\nmiddle\nlast\n");
    QVERIFY(openKey(key));
    typeAfter(u"first"_s, u" mine"_s);
    const quint64 theirs = put(key, "first\nmiddle\nlast theirs\n");
    QVERIFY(saveAndAnswer(u"mergeButton"_s));
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->openedRevision(), theirs + 1, 10000);
    QCOMPARE(latest(key).value, "first mine\nmiddle\nlast theirs\n"_ba);
}

void tst_MergeWindow::textConflictsAreMarkedInTheEditor()
{
    const QString key = u"text_conflict"_s;
    const quint64 base = put(key, "host=a\nport=1\n");
    QVERIFY(openKey(key));
    typeAfter(u"port=1"_s, u"0"_s);
    const quint64 theirs = put(key, "host=a\nport=2\n");
    QVERIFY(saveAndAnswer(u"mergeButton"_s));
    // Nothing saved: the conflict is in the editor, marked, for the user; a save goes on their revision.
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->openedRevision(), theirs, 10000);
    QCOMPARE(m_editor->toPlainText(),
             u"host=a\n<<<<<<< yours\nport=10\n||||||| revision %1\nport=1\n=======\nport=2\n>>>>>>> revision %2\n"_s
                 .arg(base)
                 .arg(theirs));
    QVERIFY(m_panel->isModified());
    QCOMPARE(latest(key).revision, theirs);

    // Saved with its markers still in, the value would hold them: asked first, and No writes nothing.
    QString asked;
    UiTest::onNextDialog<QMessageBox>([&asked](QMessageBox *box) {
        asked = box->text();
        box->button(QMessageBox::No)->click();
    });
    m_panel->saveAction()->trigger();
    QTRY_VERIFY(!asked.isEmpty());
    QVERIFY2(asked.contains(u"1 conflict"_s) && asked.contains(u"<<<<<<<"_s), qPrintable(asked));
    QCOMPARE(latest(key).revision, theirs);
    QVERIFY(m_panel->isModified());

    m_editor->selectAll();
    for (const QString &line : {u"host=a"_s, u"port=12"_s}) {
        QTest::keyClicks(m_editor, line);
        QTest::keyClick(m_editor, Qt::Key_Return);
    }
    m_panel->saveAction()->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->openedRevision(), theirs + 1, 10000);
    QCOMPARE(latest(key).value, "host=a\nport=12\n"_ba);
}

void tst_MergeWindow::jsonMemberConflictsAreChosenPerMember()
{
    const QString key = u"json_conflict"_s;
    put(key, R"({"color":"red","shape":"box","size":"s"})");
    QVERIFY(openKey(key));
    typeAfter(u"\"red"_s, u"dish"_s);
    typeAfter(u"\"box"_s, u"y"_s);
    const quint64 theirs = put(key, R"({"color":"blue","shape":"ball","size":"m"})");
    bool chosen = false;
    UiTest::onNextDialog<MergeDialog>([&chosen](MergeDialog *dialog) {
        auto *table = dialog->findChild<QTableWidget *>(u"mergeTable"_s);
        QCOMPARE(table->rowCount(), 2); // size changed on their side only: merged
        QCOMPARE(table->item(0, 0)->text(), u"/color"_s);
        QCOMPARE(table->item(0, 2)->text(), u"\"reddish\""_s);
        QCOMPARE(table->item(0, 3)->text(), u"\"blue\""_s);
        QCOMPARE(table->item(1, 0)->text(), u"/shape"_s);
        auto *save = dialog->findChild<QPushButton *>(u"mergeSaveButton"_s);
        QVERIFY(!save->isEnabled()); // each member is the user's choice
        auto *color = dialog->findChild<QComboBox *>(u"mergeChoice0"_s);
        color->setCurrentIndex(color->findText(u"Yours"_s));
        QVERIFY(!save->isEnabled());
        auto *shape = dialog->findChild<QComboBox *>(u"mergeChoice1"_s);
        shape->setCurrentIndex(shape->findText(u"Theirs"_s));
        QVERIFY(save->isEnabled());
        chosen = true;
        save->click();
    });
    QVERIFY(saveAndAnswer(u"mergeButton"_s));
    QTRY_VERIFY_WITH_TIMEOUT(chosen, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->openedRevision(), theirs + 1, 10000);
    QCOMPARE(latest(key).value, R"({"color":"reddish","shape":"ball","size":"m"})"_ba);
}

// Someone writes again while the conflict dialog is open: the merge, made with the revision shown, is
// saved on that revision and refused; the newer one is shown, nothing is overwritten.
void tst_MergeWindow::aThirdWriterDuringTheMergeIsRefusedAgain()
{
    const QString key = u"third"_s;
    put(key, "a\nb\nc\n");
    QVERIFY(openKey(key));
    typeAfter(u"a"_s, u"1"_s);
    const quint64 theirs = put(key, "a\nb\nc2\n");
    KvReply *thirdWrite = nullptr;
    bool again = false;
    UiTest::onNextDialog<ConflictDialog>([this, key, &thirdWrite, &again](ConflictDialog *dialog) {
        // Sent before the merge's save on the same connection, so it reaches the server first.
        thirdWrite = m_bucket->put(key, "third\n");
        UiTest::onNextDialog<ConflictDialog>([&again](ConflictDialog *second) {
            again = true;
            second->findChild<QPushButton *>(u"keepEditingButton"_s)->click();
        });
        dialog->findChild<QPushButton *>(u"mergeButton"_s)->click();
    });
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(again, 10000);
    QVERIFY(thirdWrite);
    WAIT_OK(thirdWrite);
    const quint64 third = thirdWrite->revision();
    QVERIFY(third > theirs);
    const KvEntry stored = latest(key);
    QCOMPARE(stored.revision, third);
    QCOMPARE(stored.value, "third\n"_ba);
    // The merge stays in the editor, based on the revision it was merged with.
    QCOMPARE(m_editor->toPlainText(), u"a1\nb\nc2\n"_s);
    QCOMPARE(m_panel->openedRevision(), theirs);
    QVERIFY(m_panel->isModified());
}

void tst_MergeWindow::nothingToMergeWithADeletedKey()
{
    const QString key = u"deleted"_s;
    put(key, "v");
    QVERIFY(openKey(key));
    typeAfter(u"v"_s, u"2"_s);
    WAIT_OK(m_bucket->remove(key));
    bool shown = false;
    UiTest::onNextDialog<ConflictDialog>([&shown](ConflictDialog *dialog) {
        shown = true;
        auto *merge = dialog->findChild<QPushButton *>(u"mergeButton"_s);
        QVERIFY(!merge->isEnabled());
        QVERIFY(merge->toolTip().contains(u"nothing to merge"_s));
        dialog->findChild<QPushButton *>(u"keepEditingButton"_s)->click();
    });
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(shown, 10000);
}

// Their revision is not text: nothing is merged or written, the status line says why, the edit stays.
void tst_MergeWindow::binaryIsNotMergedAndSaysWhy()
{
    const QString key = u"binary"_s;
    put(key, "text\n");
    QVERIFY(openKey(key));
    typeAfter(u"text"_s, u" mine"_s);
    const quint64 theirs = put(key, "\xff\xfe\x00\x01"_ba);
    QVERIFY(saveAndAnswer(u"mergeButton"_s));
    auto *status = m_panel->findChild<ErrorLabel *>(u"valueStatus"_s);
    QTRY_VERIFY_WITH_TIMEOUT(status->message().contains(u"Not merged"_s), 10000);
    QVERIFY2(status->message().contains(u"revision %1 is not text"_s.arg(theirs)), qPrintable(status->message()));
    QCOMPARE(m_editor->toPlainText(), u"text mine\n"_s);
    QVERIFY(m_panel->isModified());
    QCOMPARE(latest(key).revision, theirs);
}

// The conflict dialog (and the merge dialog after it) wait for the user as long as the user likes: the
// connection goes on meanwhile (the live list, a third writer's change, the bucket list).
void tst_MergeWindow::theConnectionAnswersWhileTheDialogsAreOpen()
{
    const QString key = u"answering"_s;
    put(key, R"({"a":"x"})");
    QVERIFY(openKey(key));
    typeAfter(u"\"x"_s, u"1"_s);
    put(key, R"({"a":"x2"})");
    bool conflictAnswered = false;
    bool mergeAnswered = false;
    bool mergeShown = false;
    UiTest::onNextDialog<ConflictDialog>(
        [this, key, &conflictAnswered, &mergeAnswered, &mergeShown](ConflictDialog *dialog) {
            KvReply *read = m_bucket->get(key);
            conflictAnswered = QTest::qWaitFor([read] { return read->isFinished(); }, 3000);
            UiTest::onNextDialog<MergeDialog>([this, key, &mergeAnswered, &mergeShown](MergeDialog *merge) {
                KvReply *again = m_bucket->get(key);
                mergeAnswered = QTest::qWaitFor([again] { return again->isFinished(); }, 3000);
                mergeShown = true;
                merge->findChild<QPushButton *>(u"mergeKeepEditing"_s)->click();
            });
            dialog->findChild<QPushButton *>(u"mergeButton"_s)->click();
        });
    m_panel->saveAction()->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(mergeShown, 15000);
    QTRY_VERIFY(!QApplication::activeModalWidget());
    QVERIFY(conflictAnswered);
    QVERIFY(mergeAnswered);
}

QTEST_MAIN(tst_MergeWindow)
#include "tst_mergewindow.moc"
