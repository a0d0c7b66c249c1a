#include "diffview.h"
#include "editortext.h"
#include "historymodel.h"
#include "historypanel.h"
#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvclient.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "kvtwocopies.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "uitestsupport.h"

#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <QtGui/QAction>
#include <QtGui/QTextBlock>
#include <QtGui/QTextDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTreeView>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// What the client writes to its socket, line by line (kvdesk.protocol.wire): a test freezes the server
// (SIGSTOP) at the very publish it means, so that write goes out and its answer cannot come.
std::function<void(const QString &)> g_wireTap;
QtMessageHandler g_previousHandler = nullptr;

void wireHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "kvdesk.protocol.wire") == 0) {
        if (g_wireTap)
            g_wireTap(message);
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

// The history panel against a real nats-server: revisions and values, diffs (JSON normalised), compare
// with the editor, revert and the refused revert, live updates, read-only.
class tst_HistoryPanel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void showsRevisionsAndTheSelectedValue();
    void twoRevisionsShowTheirDiff();
    void compareWithPreviousAndWithEditor();
    void revertWritesTheOldValueAsNewRevision();
    void revertRefusedWhenSomeoneChangedTheKey();
    void aRefusedRevertsNoteGoesWhenItIsNoLongerCurrent();
    void followsLiveUpdates();
    void aPurgeLeavesNoValueShown();
    void aLongRevisionLineWidensNothing();
    void readOnlyCannotRevert();
    void pendingRevisionIsSelectedOnceLoaded();
    void hiddenPanelStopsWatching();
    void largeValueIsShownInParts();
    void revertEndingAfterTheBucketChangedNamesItsBucket_data();
    void revertEndingAfterTheBucketChangedNamesItsBucket();
    void anotherCopyOfTheBucketShowsItsOwnHistory();
    void compareWithPreviousNeedsAPreviousRevision_data();
    void compareWithPreviousNeedsAPreviousRevision();

private:
    KvBucket *makeBucket(int history = 10, const QString &name = {});
    // Freezes the server when the client is about to send its first write to key of bucket.
    void freezeAtWrite(const QString &bucket, const QString &key);
    void thaw();
    bool selectRows(const QList<int> &rows);
    QByteArray serverValue(const QString &key, quint64 *revision = nullptr);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    KvBucket *m_bucket = nullptr;
    HistoryPanel *m_panel = nullptr;
    int m_counter = 0;
    bool m_frozen = false;
};

void tst_HistoryPanel::initTestCase()
{
    g_previousHandler = qInstallMessageHandler(wireHandler);
    QLoggingCategory::setFilterRules(u"kvdesk.protocol.wire.debug=true"_s);
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

void tst_HistoryPanel::init()
{
    ++m_counter;
    m_bucket = makeBucket();
    QVERIFY(m_bucket);
    // The writes the tests look at: three revisions of "doc" (the second only reorders and respaces the
    // first) and one of another key in between.
    WAIT_OK(m_bucket->put(u"doc"_s, R"({"status":"new","id":7,"tags":["a"]})"));                // rev 1
    WAIT_OK(m_bucket->put(u"doc"_s, "{ \"id\": 7,  \"tags\": [\"a\"], \"status\": \"new\" }")); // rev 2
    WAIT_OK(m_bucket->put(u"other"_s, "x"));                                                    // rev 3
    WAIT_OK(m_bucket->put(u"doc"_s, R"({"id":7,"status":"paid","tags":["a"]})"));               // rev 4
    m_panel = new HistoryPanel;
    m_panel->resize(1000, 400);
    m_panel->setBucket(m_bucket, false);
    m_panel->show();
    m_panel->setKey(u"doc"_s);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isLoaded(), 10000);
}

void tst_HistoryPanel::cleanup()
{
    thaw();
    delete m_panel;
    m_panel = nullptr;
}

KvBucket *tst_HistoryPanel::makeBucket(int history, const QString &name)
{
    KvBucketConfig config;
    config.bucket = name.isEmpty() ? u"hp%1"_s.arg(m_counter) : name;
    config.history = history;
    return KvTest::createBucket(m_kv, config) ? m_kv->bucket(config.bucket, this) : nullptr;
}

bool tst_HistoryPanel::selectRows(const QList<int> &rows)
{
    QTreeView *view = m_panel->revisionView();
    view->clearSelection();
    for (const int row : rows) {
        const QRect rect = view->visualRect(m_panel->model()->index(row, 0));
        if (!rect.isValid())
            return false;
        QTest::mouseClick(view->viewport(), Qt::LeftButton, rows.size() > 1 ? Qt::ControlModifier : Qt::NoModifier,
                          rect.center());
    }
    return m_panel->selectedRevisions().size() == rows.size();
}

QByteArray tst_HistoryPanel::serverValue(const QString &key, quint64 *revision)
{
    KvReply *get = m_bucket->get(key);
    const bool ok = QTest::qWaitFor([get] { return get->isFinished(); }, 10000) && get->error() == NatsError::NoError;
    get->deleteLater();
    if (revision)
        *revision = ok ? get->entry().revision : 0;
    return ok ? get->entry().value : QByteArray("<not found>");
}

void tst_HistoryPanel::showsRevisionsAndTheSelectedValue()
{
    HistoryModel *model = m_panel->model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->entryAt(0).revision, 4u);
    QCOMPARE(model->entryAt(2).revision, 1u);
    // The newest is selected and shown in the JSON view, pretty-printed.
    QCOMPARE(m_panel->selectedRevisions(), QList<quint64>{4});
    QVERIFY(!m_panel->isShowingDiff());
    QVERIFY2(m_panel->valueText().contains(u"\"status\": \"paid\""_s), qPrintable(m_panel->valueText()));
    auto *viewSelector = m_panel->findChild<QComboBox *>(u"historyViewSelector"_s);
    QCOMPARE(viewSelector->currentText(), u"JSON"_s);
    // Another revision, in another view.
    QVERIFY(selectRows({2}));
    QVERIFY(m_panel->valueText().contains(u"\"status\": \"new\""_s));
    viewSelector->setCurrentIndex(viewSelector->findText(u"Hex"_s));
    Q_EMIT viewSelector->activated(viewSelector->currentIndex());
    QVERIFY2(m_panel->valueText().startsWith(u"00000000  7b 22"_s), qPrintable(m_panel->valueText()));
    QVERIFY(m_panel->findChild<QLabel *>(u"historyHeader"_s)->text().contains(u"3 revision"_s));
}

void tst_HistoryPanel::twoRevisionsShowTheirDiff()
{
    // Revisions 1 and 2 differ only in key order and spacing: no change once normalised.
    QVERIFY(selectRows({1, 2}));
    QVERIFY(m_panel->isShowingDiff());
    QCOMPARE(m_panel->diffView()->changeCount(), 0);
    // 2 and 4: the status changed, one line out and one in, older on the left.
    QVERIFY(selectRows({0, 1}));
    QCOMPARE(m_panel->diffView()->changeCount(), 2);
    const QString unified = m_panel->diffView()->unifiedText();
    QVERIFY2(unified.contains(u"-   \"status\": \"new\""_s) && unified.contains(u"+   \"status\": \"paid\""_s),
             qPrintable(unified));
    m_panel->diffView()->setUnified(true);
    QVERIFY(m_panel->diffView()->isUnified());
}

void tst_HistoryPanel::compareWithPreviousAndWithEditor()
{
    QVERIFY(selectRows({0}));
    QVERIFY(m_panel->compareAction()->isEnabled());
    m_panel->compareAction()->trigger();
    QVERIFY(m_panel->isShowingDiff());
    QCOMPARE(m_panel->diffView()->changeCount(), 2);

    // No editor: nothing to compare with.
    QVERIFY(!m_panel->compareEditorAction()->isEnabled());
    m_panel->setEditorSource([](QByteArray *value, QString *label) {
        *value = R"({"tags":["a","b"],"status":"paid","id":7})";
        *label = u"Editor (unsaved)"_s;
        return true;
    });
    QVERIFY(selectRows({0}));
    QVERIFY(m_panel->compareEditorAction()->isEnabled());
    m_panel->compareEditorAction()->trigger();
    QVERIFY(m_panel->isShowingDiff());
    const QString unified = m_panel->diffView()->unifiedText();
    QCOMPARE(m_panel->diffView()->changeCount(), 3); // "a" becomes "a", (out and in), "b" is added
    QVERIFY2(unified.contains(u"+     \"b\""_s), qPrintable(unified));
}

void tst_HistoryPanel::revertWritesTheOldValueAsNewRevision()
{
    QVERIFY(selectRows({0}));
    QVERIFY(!m_panel->revertAction()->isEnabled()); // the newest already
    QVERIFY(selectRows({2}));
    QVERIFY(m_panel->revertAction()->isEnabled());
    QSignalSpy reverted(m_panel, &HistoryPanel::reverted);
    bool asked = false;
    UiTest::onNextDialog<QMessageBox>([&asked](QMessageBox *box) {
        asked = box->text().contains(u"rev 1"_s);
        box->button(QMessageBox::Yes)->click();
    });
    m_panel->findChild<QPushButton *>(u"historyRevert"_s)->click();
    QVERIFY(asked);
    QVERIFY(reverted.wait(10000));
    QCOMPARE(reverted.first().at(1).toULongLong(), 5u);
    quint64 revision = 0;
    QCOMPARE(serverValue(u"doc"_s, &revision), R"({"status":"new","id":7,"tags":["a"]})"_ba);
    QCOMPARE(revision, 5u);
    // The panel follows: the new revision on top, selected.
    QTRY_COMPARE(m_panel->model()->latestRevision(), 5u);
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{5});
    QVERIFY(m_panel->statusMessage().contains(u"saved as rev 5"_s));
}

void tst_HistoryPanel::revertRefusedWhenSomeoneChangedTheKey()
{
    QVERIFY(selectRows({2}));
    // Someone else writes the key while the user is being asked: the revert, based on rev 4, must fail.
    KvClient other;
    other.open(KvClientOptions::fromUrl(m_server.url()));
    QTRY_VERIFY(other.isConnected());
    KvBucket *otherBucket = other.kv()->bucket(m_bucket->name());
    bool written = false;
    UiTest::onNextDialog<QMessageBox>([&](QMessageBox *box) {
        KvReply *put = otherBucket->put(u"doc"_s, R"({"id":7,"status":"refunded"})");
        written = QTest::qWaitFor([put] { return put->isFinished(); }, 10000) && put->error() == NatsError::NoError;
        box->button(QMessageBox::Yes)->click();
    });
    m_panel->revertAction()->trigger();
    QVERIFY(written);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->statusMessage().startsWith(u"Not reverted"_s), 10000);
    QVERIFY2(m_panel->statusMessage().contains(u"after rev 4"_s)
                 && m_panel->statusMessage().contains(u"now at rev 5"_s),
             qPrintable(m_panel->statusMessage()));
    // Nothing was written: the other client's value stands, and no revision followed it.
    quint64 revision = 0;
    QCOMPARE(serverValue(u"doc"_s, &revision), R"({"id":7,"status":"refunded"})"_ba);
    QCOMPARE(revision, 5u);
    QTRY_COMPARE(m_panel->model()->latestRevision(), 5u);
    QCOMPARE(m_panel->model()->rowCount(), 4);
}

// A refused revert's note ("Not reverted: someone changed "doc" after rev 4 …") stayed under the history
// through later revisions and other selections, reading as current when it no longer was. It stays while
// it is true (the revision that refused it arriving changes nothing), and goes with the next revision or
// another selection.
void tst_HistoryPanel::aRefusedRevertsNoteGoesWhenItIsNoLongerCurrent()
{
    const auto refuse = [this](int row) {
        if (!selectRows({row}))
            return false;
        bool written = false;
        UiTest::onNextDialog<QMessageBox>([&](QMessageBox *box) {
            KvReply *put = m_bucket->put(u"doc"_s, R"({"id":7,"status":"written while asking"})");
            written = QTest::qWaitFor([put] { return put->isFinished(); }, 10000) && put->error() == NatsError::NoError;
            box->button(QMessageBox::Yes)->click();
        });
        m_panel->revertAction()->trigger();
        return written
            && QTest::qWaitFor([this] { return m_panel->statusMessage().startsWith(u"Not reverted"_s); }, 10000);
    };
    QVERIFY(refuse(1));                                   // rev 2
    QTRY_COMPARE(m_panel->model()->latestRevision(), 5u); // the write that refused it: the note is true
    QVERIFY2(m_panel->statusMessage().startsWith(u"Not reverted"_s), qPrintable(m_panel->statusMessage()));
    QCOMPARE(m_panel->selectedRevisions(), QList<quint64>{2});

    // A newer revision: the note no longer says where the key is.
    WAIT_OK(m_bucket->put(u"doc"_s, R"({"id":7,"status":"later"})"));
    QTRY_COMPARE(m_panel->model()->latestRevision(), 6u);
    QTRY_VERIFY2(m_panel->statusMessage().isEmpty(), qPrintable(m_panel->statusMessage()));

    // Another revision selected: the note was about the one before.
    QVERIFY(refuse(2)); // rev 4
    QTRY_COMPARE(m_panel->model()->latestRevision(), 7u);
    QVERIFY(selectRows({1}));
    QTRY_VERIFY2(m_panel->statusMessage().isEmpty(), qPrintable(m_panel->statusMessage()));
}

void tst_HistoryPanel::followsLiveUpdates()
{
    QCOMPARE(m_panel->selectedRevisions(), QList<quint64>{4});
    WAIT_OK(m_bucket->put(u"doc"_s, "plain text now"));
    QTRY_COMPARE(m_panel->model()->latestRevision(), 5u);
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{5});
    QCOMPARE(m_panel->valueText(), u"plain text now"_s);
    WAIT_OK(m_bucket->remove(u"doc"_s));
    QTRY_COMPARE(m_panel->model()->latestRevision(), 6u);
    QCOMPARE(m_panel->model()->entryAt(0).operation, KvEntry::Operation::Delete);
    // Looking at an older revision, the selection stays put when a new one arrives.
    QVERIFY(selectRows({2}));
    WAIT_OK(m_bucket->put(u"doc"_s, "again"));
    QTRY_COMPARE(m_panel->model()->latestRevision(), 7u);
    QCOMPARE(m_panel->selectedRevisions(), QList<quint64>{4});
}

// A purge removes every revision before it: the value shown of one of them (the newest, followed) went on
// being shown as "newest", a purged secret left on screen as if it could be had back.
void tst_HistoryPanel::aPurgeLeavesNoValueShown()
{
    QCOMPARE(m_panel->selectedRevisions(), QList<quint64>{4});
    const QString before = m_panel->valueText();
    QVERIFY(!before.isEmpty());
    WAIT_OK(m_bucket->purge(u"doc"_s));
    QTRY_COMPARE(m_panel->model()->rowCount(), 1);
    QCOMPARE(m_panel->model()->entryAt(0).operation, KvEntry::Operation::Purge);
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{5});
    QCOMPARE(m_panel->valueText(), QString());
    const QString meta = m_panel->findChild<QLabel *>(u"historyValueMeta"_s)->text();
    QVERIFY2(meta.contains(u"purged"_s) && meta.contains(u"newest"_s), qPrintable(meta));
}

// Selecting a server's marker ("rev 5 · EXPIRED (MaxAge) · … — the server removed the key here: no value ·
// newest") widened the whole window: the line above the value asked for its whole width. Whatever a
// revision's line says, the panel asks for no more room; the line is elided, whole in its tooltip.
void tst_HistoryPanel::aLongRevisionLineWidensNothing()
{
    const int before = m_panel->minimumSizeHint().width();
    WAIT_OK(m_bucket->purge(u"doc"_s));
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{5});
    auto *meta = m_panel->findChild<QLabel *>(u"historyValueMeta"_s);
    QVERIFY2(meta->text().contains(u"the key was purged here"_s), qPrintable(meta->text()));
    QCOMPARE(m_panel->minimumSizeHint().width(), before);
}

void tst_HistoryPanel::readOnlyCannotRevert()
{
    m_panel->setReadOnly(true);
    QVERIFY(selectRows({2}));
    QVERIFY(!m_panel->revertAction()->isEnabled());
    m_panel->revertTo(1, 4); // even asked directly
    quint64 revision = 0;
    serverValue(u"doc"_s, &revision);
    QCOMPARE(revision, 4u);
}

void tst_HistoryPanel::pendingRevisionIsSelectedOnceLoaded()
{
    m_panel->setKey(u"other"_s);
    m_panel->setKey(u"doc"_s);
    m_panel->selectRevision(2); // before the history is back
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isLoaded(), 10000);
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{2});
    // A revision the key no longer has (another key's): said so, newest shown.
    m_panel->setKey(u"other"_s);
    m_panel->selectRevision(1);
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isLoaded(), 10000);
    QTRY_VERIFY(m_panel->statusMessage().contains(u"Revision 1 of other is no longer on the server"_s));
    QCOMPARE(m_panel->selectedRevisions(), QList<quint64>{3});
}

void tst_HistoryPanel::hiddenPanelStopsWatching()
{
    m_panel->hide();
    QVERIFY(!m_panel->model()->isLoaded());
    QCOMPARE(m_panel->model()->rowCount(), 0);
    WAIT_OK(m_bucket->put(u"doc"_s, "while hidden"));
    m_panel->show();
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isLoaded(), 10000);
    QCOMPARE(m_panel->model()->latestRevision(), 5u);
    QCOMPARE(m_panel->key(), u"doc"_s);
}

// Issue 14: the editor lays a line out whole; a long one (300 KiB of text on one line) is shown in parts.
void tst_HistoryPanel::largeValueIsShownInParts()
{
    const QByteArray text = QByteArray("lorem ipsum ").repeated(25000);
    WAIT_OK(m_bucket->put(u"doc"_s, text));
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{5});
    auto *view = m_panel->findChild<QPlainTextEdit *>(u"historyValue"_s);
    QTRY_VERIFY(view->toPlainText().remove(u'\n') == QString::fromLatin1(text));
    int longest = 0;
    for (QTextBlock block = view->document()->begin(); block.isValid(); block = block.next())
        longest = std::max(longest, block.length());
    QVERIFY2(longest <= EditorText::HardLineLength + 1, qPrintable(QString::number(longest)));
}

void tst_HistoryPanel::freezeAtWrite(const QString &bucket, const QString &key)
{
    const QString publish = u">> HPUB $KV.%1.%2 "_s.arg(bucket, key);
    g_wireTap = [this, publish](const QString &line) {
        if (line.startsWith(publish) && !m_frozen)
            m_frozen = m_server.freeze();
    };
}

void tst_HistoryPanel::thaw()
{
    g_wireTap = nullptr;
    if (std::exchange(m_frozen, false))
        m_server.thaw();
}

void tst_HistoryPanel::revertEndingAfterTheBucketChangedNamesItsBucket_data()
{
    QTest::addColumn<bool>("handleGone"); // the window let go of the old bucket's handle (as it does)
    QTest::addRow("unanswered, its bucket handle destroyed") << true;
    QTest::addRow("answered after the change") << false;
}

// Issue 14: a revert still on its way when the user opens another bucket ends later, in a panel that now
// shows that other bucket. What it says names the bucket and key it was about, and a revert whose
// outcome is unknown is not called "not reverted" (the server may well have stored it: here it does).
void tst_HistoryPanel::revertEndingAfterTheBucketChangedNamesItsBucket()
{
    QFETCH(bool, handleGone);
    KvBucket *next = makeBucket(10, u"hpnext%1"_s.arg(m_counter));
    QVERIFY(next);
    WAIT_OK(next->put(u"doc"_s, "elsewhere"));
    QVERIFY(selectRows({2}));
    const QString bucketName = m_bucket->name();
    QPointer<KvBucket> old = m_bucket;

    freezeAtWrite(bucketName, u"doc"_s);
    m_panel->revertTo(1, 4);
    QTRY_VERIFY_WITH_TIMEOUT(m_frozen, 10000);
    // The user opens the other bucket and its key "doc" while the revert waits for its answer; then the
    // window lets go of the old bucket's handle (its deleteLater(), done here and now) or the answer comes.
    m_panel->setBucket(next, false);
    m_panel->setKey(u"doc"_s);
    m_bucket = next;
    if (handleGone)
        delete old.data();
    thaw();
    QTRY_VERIFY_WITH_TIMEOUT(!m_panel->statusMessage().isEmpty(), 10000);
    const QString said = m_panel->statusMessage();
    QVERIFY2(said.contains(u"\"doc\""_s) && said.contains(bucketName), qPrintable(said));
    if (handleGone) {
        QVERIFY2(!said.startsWith(u"Not reverted"_s) && said.contains(u"unknown"_s), qPrintable(said));
        QVERIFY2(said.contains(u"history"_s), qPrintable(said)); // how to find out
    } else {
        QVERIFY2(said.startsWith(u"Reverted"_s), qPrintable(said));
    }
    // The other bucket's history is not touched: its only revision stays selected.
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->model()->isLoaded(), 10000);
    QTRY_COMPARE(m_panel->selectedRevisions(), QList<quint64>{1});
    QCOMPARE(m_panel->valueText(), u"elsewhere"_s);

    // What the server did: it stored the revert, whatever the panel could know.
    KvBucket *first = m_kv->bucket(bucketName, this);
    KvReply *get = first->get(u"doc"_s);
    QVERIFY(QTest::qWaitFor([get] { return get->isFinished(); }, 10000));
    QCOMPARE(get->entry().value, R"({"status":"new","id":7,"tags":["a"]})"_ba);
    QCOMPARE(get->entry().revision, 5u);
    get->deleteLater();
}

// A failover to a server outside the cluster finds another bucket under the name: the panel kept the first
// bucket's revisions and the value of one of them, under an error, until another key was chosen.
void tst_HistoryPanel::anotherCopyOfTheBucketShowsItsOwnHistory()
{
    KvTwoCopies copies;
    QVERIFY(
        copies.start(u"copy"_s, {{u"k"_s, "b1"}, {u"k"_s, "b2"}}, {{u"k"_s, "a1"}, {u"k"_s, "a2"}, {u"k"_s, "a3"}}));
    HistoryPanel panel;
    panel.resize(1000, 400);
    panel.setBucket(copies.bucket(), false);
    panel.show();
    panel.setKey(u"k"_s);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->isLoaded(), 10000);
    QCOMPARE(panel.model()->rowCount(), 3);
    QTRY_COMPARE(panel.valueText(), u"a3"_s);

    QVERIFY(copies.killSecond());
    QTRY_VERIFY_WITH_TIMEOUT(panel.statusMessage().contains(u"read again"_s), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(panel.model()->rowCount(), 2, 10000);
    QTRY_COMPARE(panel.valueText(), u"b2"_s);
    QCOMPARE(panel.selectedRevisions(), QList<quint64>{2});
}

void tst_HistoryPanel::compareWithPreviousNeedsAPreviousRevision_data()
{
    QTest::addColumn<int>("history");
    QTest::newRow("keeps 1") << 1;
    QTest::newRow("keeps 2") << 2;
}

// With the key changed by someone else while shown, the newest revision was selected while the one it
// pushed out of the bucket's history was still a row: "Compare with Previous" stayed enabled once that row
// had gone, with no previous revision to compare with, and did nothing when clicked.
void tst_HistoryPanel::compareWithPreviousNeedsAPreviousRevision()
{
    QFETCH(int, history);
    KvBucket *bucket = makeBucket(history, u"hpkeeps%1"_s.arg(history));
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k"_s, "one"));
    HistoryPanel panel;
    panel.resize(1000, 400);
    panel.setBucket(bucket, false);
    panel.show();
    panel.setKey(u"k"_s);
    QTRY_VERIFY_WITH_TIMEOUT(panel.model()->isLoaded(), 10000);
    QTRY_COMPARE(panel.selectedRevisions(), QList<quint64>{1});
    QVERIFY2(!panel.compareAction()->isEnabled(), "enabled with the only revision selected");

    KvClient other;
    other.open(KvClientOptions::fromUrl(m_server.url()));
    QTRY_VERIFY(other.isConnected());
    KvBucket *otherBucket = other.kv()->bucket(bucket->name());
    for (const QByteArray &value : {"two"_ba, "three"_ba}) {
        KvReply *put = otherBucket->put(u"k"_s, value);
        QTRY_VERIFY_WITH_TIMEOUT(put->isFinished(), 10000);
        QCOMPARE(put->error(), NatsError::NoError);
        const quint64 revision = put->revision();
        put->deleteLater();
        QTRY_COMPARE(panel.selectedRevisions(), QList<quint64>{revision});
        QTRY_COMPARE(panel.model()->rowCount(), history);
        QCOMPARE(panel.valueText(), QString::fromLatin1(value));
        const bool previous = history > 1;
        QVERIFY2(panel.compareAction()->isEnabled() == previous,
                 qPrintable(u"Compare with Previous %1 with %2 revision(s) shown"_s
                                .arg(panel.compareAction()->isEnabled() ? u"enabled"_s : u"disabled"_s)
                                .arg(panel.model()->rowCount())));
    }
    if (history > 1) {
        panel.compareAction()->trigger();
        QVERIFY(panel.isShowingDiff());
        QCOMPARE(panel.diffView()->changeCount(), 2);
    }
}

QTEST_MAIN(tst_HistoryPanel)

#include "tst_historypanel.moc"
