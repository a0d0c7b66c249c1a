// The README's pictures of issue 16: the bucket as it was (the key list as of a revision, a value then),
// the differences between that revision and now, and the merge dialog of a refused save.

#include "asofbar.h"
#include "asofdiffdialog.h"
#include "asofview.h"
#include "bucketpanel.h"
#include "conflictdialog.h"
#include "historymodel.h"
#include "historypanel.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvdeskscreenshots.h"
#include "mainwindow.h"
#include "mergedialog.h"
#include "uitestsupport.h"
#include "valuepanel.h"

#include <QtWidgets/QApplication>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QTableWidget>
#include <QtWidgets/QTreeWidget>

using namespace Qt::StringLiterals;

namespace {

const QString kBucket = u"service_config"_s;

// A configuration bucket with a story: five keys up to revision 5 (the point shown), then a flag set
// changed twice, a theme changed, a setting deleted and a key added. Returns the point's revision.
quint64 writeConfigStory(KvContext *kv)
{
    KvBucketConfig config;
    config.bucket = kBucket;
    config.description = u"Service settings"_s;
    config.history = 10;
    Shots::waitReply(kv->createBucket(config));
    KvBucket *bucket = kv->bucket(kBucket);
    const QList<std::pair<QString, QByteArray>> before{
        {u"app.feature.flags"_s, R"({"search":true,"checkout":"v1","limits":{"rps":100}})"},
        {u"app.db.url"_s, "postgres://db-primary:5432/shop"},
        {u"app.theme"_s, "light"},
        {u"app.banner"_s, "Winter sale: -20%"},
        {u"old.setting"_s, "on"},
    };
    quint64 point = 0;
    for (const auto &[key, value] : before)
        point = Shots::waitReply(bucket->put(key, value))->revision();
    Shots::waitReply(bucket->put(u"app.feature.flags"_s, R"({"search":true,"checkout":"v2","limits":{"rps":100}})"));
    Shots::waitReply(bucket->put(u"app.theme"_s, "dark"));
    Shots::waitReply(bucket->remove(u"old.setting"_s));
    Shots::waitReply(bucket->put(u"app.new.key"_s, "added after revision 5"));
    Shots::waitReply(
        bucket->put(u"app.feature.flags"_s, R"({"search":false,"checkout":"v2","limits":{"rps":250},"beta":["eu"]})"));
    return point;
}

bool openBucket(MainWindow *window, int keys)
{
    window->bucketPanel()->selectBucket(kBucket);
    const KeyListModel *model = window->keyPanel()->model();
    return Shots::waitFor([model, keys] { return !model->isLoading() && model->liveCount() == keys; }, "the keys");
}

// The key list as of the point, with key's value then open and its history in the dock below.
bool showAsOf(MainWindow *window, quint64 point, const QString &key)
{
    AsOfBar *bar = window->keyPanel()->asOfBar();
    bar->findChild<QLineEdit *>(u"asOfPoint"_s)->setText(QString::number(point));
    bar->findChild<QPushButton *>(u"asOfShow"_s)->click();
    if (!Shots::waitFor([bar] { return bar->isActive() && bar->readOnlyReason().contains(u"rev"_s); },
                        "the as-of list"))
        return false;
    const QAbstractItemModel *model = bar->view()->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, 0).data(KeyListModel::KeyRole).toString() == key)
            bar->view()->setCurrentIndex(model->index(row, 0));
    }
    // Every column readable, "absent then" included, as a user would widen them.
    bar->view()->header()->resizeSections(QHeaderView::ResizeToContents);
    auto *title = window->valuePanel()->findChild<QLabel *>(u"valueTitle"_s);
    const HistoryPanel *history = window->historyPanel();
    return Shots::waitFor([title, &key] { return title->text().contains(u">%1<"_s.arg(key)); }, "the value then")
        && Shots::waitFor([history] { return history->model()->isLoaded() && history->model()->rowCount() > 0; },
                          "the history");
}

bool diffShot(AsOfBar *bar)
{
    bar->findChild<QPushButton *>(u"asOfCompare"_s)->click();
    auto *dialog = bar->findChild<AsOfDiffDialog *>();
    if (!dialog || !Shots::waitFor([dialog] { return !dialog->isComparing(); }, "the differences"))
        return false;
    auto *list = dialog->findChild<QTreeWidget *>(u"asOfDiffList"_s);
    const QList<QTreeWidgetItem *> flags = list->findItems(u"app.feature.flags"_s, Qt::MatchExactly);
    if (flags.isEmpty())
        return false;
    list->setCurrentItem(flags.constFirst());
    dialog->resize(860, 620);
    Shots::save(dialog, u"asof-diff"_s);
    dialog->close();
    return true;
}

} // namespace

bool Shots::asOfShots(MainWindow *window, KvContext *kv)
{
    const quint64 point = writeConfigStory(kv);
    if (!openBucket(window, 5))
        return false;
    auto *historyDock = window->findChild<QDockWidget *>(u"historyDock"_s);
    historyDock->show();
    historyDock->raise();
    window->resizeDocks({historyDock}, {300}, Qt::Vertical);
    if (!showAsOf(window, point, u"app.feature.flags"_s))
        return false;
    // The newest revision selected in the history: what the value then became.
    HistoryPanel *history = window->historyPanel();
    history->revisionView()->selectionModel()->select(history->model()->index(0, 0),
                                                      QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    Shots::save(window, u"asof-window"_s);
    AsOfBar *bar = window->keyPanel()->asOfBar();
    const bool ok = diffShot(bar);
    bar->goLive();
    bar->findChild<QLineEdit *>(u"asOfPoint"_s)->clear(); // the later pictures are of the live bucket
    return ok;
}

// A refused save answered with Merge: the members both sides changed differently, one choice made.
bool Shots::mergeDialogShot(MainWindow *window, KvContext *kv)
{
    KvBucket *bucket = kv->bucket(kBucket);
    const QByteArray base = "{\n  \"service\": \"checkout\",\n  \"replicas\": 2,\n  \"image\": \"checkout:1.3\",\n"
                            "  \"limits\": {\n    \"cpu\": \"500m\",\n    \"memory\": \"256Mi\"\n  },\n"
                            "  \"featureFlags\": [\"fast-pay\"]\n}\n";
    Shots::waitReply(bucket->put(u"app.checkout"_s, base));
    if (!openBucket(window, 6) || !Shots::openKey(window, u"app.checkout"_s))
        return false;
    auto *editor = window->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->setPlainText(editor->toPlainText()
                             .replace(u"\"replicas\": 2"_s, u"\"replicas\": 3"_s)
                             .replace(u"256Mi"_s, u"384Mi"_s)
                             .replace(u"checkout:1.3"_s, u"checkout:1.4"_s));
    editor->document()->setModified(true);
    QByteArray theirs = base;
    theirs.replace("\"replicas\": 2", "\"replicas\": 4").replace("256Mi", "512Mi");
    theirs.replace("[\"fast-pay\"]", "[\"fast-pay\", \"one-click\"]");
    Shots::waitReply(bucket->put(u"app.checkout"_s, theirs));
    bool shown = false;
    UiTest::onNextDialog<ConflictDialog>(
        [](ConflictDialog *dialog) { dialog->findChild<QPushButton *>(u"mergeButton"_s)->click(); });
    UiTest::onNextDialog<MergeDialog>([&shown](MergeDialog *dialog) {
        // Each member decided (so Save Merge is on): the replicas yours, the memory limit theirs.
        dialog->findChild<QComboBox *>(u"mergeChoice0"_s)->setCurrentIndex(1);
        dialog->findChild<QComboBox *>(u"mergeChoice1"_s)->setCurrentIndex(2);
        auto *table = dialog->findChild<QTableWidget *>(u"mergeTable"_s);
        table->setCurrentItem(nullptr);
        table->clearSelection();
        dialog->resize(860, 230);
        Shots::save(dialog, u"merge-dialog"_s);
        shown = true;
        dialog->reject();
    });
    window->valuePanel()->save();
    const bool ok = Shots::waitFor([&shown] { return shown && !QApplication::activeModalWidget(); },
                                   "the merge dialog");
    window->valuePanel()->revert();
    return ok;
}
