#include "asofdiffdialog.h"
#include "bucketdialog.h"
#include "bucketpanel.h"
#include "conflictdialog.h"
#include "connectionprofile.h"
#include "findinvaluesdialog.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "keypassphrasedialog.h"
#include "kvbucket.h"
#include "kvbucketconfig.h"
#include "kvcontext.h"
#include "kvmergeresult.h"
#include "kvtestsupport.h"
#include "localserverlogdialog.h"
#include "mainwindow.h"
#include "mergedialog.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "newkeydialog.h"
#include "profiledialog.h"
#include "purgedialog.h"
#include "session.h"
#include "transferdialog.h"
#include "uitestsupport.h"
#include "valuepanel.h"
#include "watchdialog.h"
#include "watchpanel.h"

#include <QtCore/QSettings>
#include <QtGui/QAccessible>
#include <QtGui/QAction>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractButton>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QAbstractSpinBox>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QComboBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QTabBar>
#include <QtWidgets/QTableView>
#include <QtWidgets/QTextEdit>
#include <QtWidgets/QTreeView>

#include <memory>

#include <functional>

using namespace Qt::StringLiterals;

namespace {

// What a user operates: the widgets a screen reader must be able to name.
bool isInteractive(const QWidget *widget)
{
    if (qobject_cast<const QHeaderView *>(widget))
        return false; // its sections are its visible text
    // The line edit inside a spin box or combo box is part of it: the outer widget carries the name.
    const QWidget *parent = widget->parentWidget();
    if (qobject_cast<const QAbstractSpinBox *>(parent) || qobject_cast<const QComboBox *>(parent))
        return false;
    return qobject_cast<const QAbstractButton *>(widget) || qobject_cast<const QLineEdit *>(widget)
        || qobject_cast<const QAbstractItemView *>(widget) || qobject_cast<const QPlainTextEdit *>(widget)
        || qobject_cast<const QTextEdit *>(widget) || qobject_cast<const QComboBox *>(widget)
        || qobject_cast<const QAbstractSpinBox *>(widget);
}

// The name a screen reader would read: the accessible name, else a label whose buddy it is (or the group
// box around it, as QAccessibleWidget does), else a button's own text.
QString nameOf(QWidget *widget, QWidget *root)
{
    if (!widget->accessibleName().isEmpty())
        return widget->accessibleName();
    for (const QLabel *label : root->findChildren<QLabel *>()) {
        if (label->buddy() == widget && !label->text().isEmpty())
            return label->text();
    }
    if (auto *box = qobject_cast<QGroupBox *>(widget->parentWidget()); box && !box->title().isEmpty())
        return box->title();
    if (auto *button = qobject_cast<QAbstractButton *>(widget))
        return QString(button->text()).remove(u'&');
    return {};
}

// The panel a widget belongs to (the nearest ancestor whose name ends in "Panel"), or its window's.
QString panelOf(const QWidget *widget)
{
    for (const QWidget *w = widget; w; w = w->parentWidget()) {
        if (w->objectName().endsWith(u"Panel"_s) || w->objectName() == u"connectionBar"_s
            || w->objectName() == u"welcomePage"_s || w->isWindow())
            return w->objectName();
    }
    return {};
}

QString describe(const QWidget *widget)
{
    QStringList path;
    for (const QWidget *w = widget->parentWidget(); w; w = w->parentWidget()) {
        if (!w->objectName().isEmpty()) {
            path.append(w->objectName());
            break;
        }
    }
    return u"%1 \"%2\" in %3%4"_s.arg(
        QString::fromLatin1(widget->metaObject()->className()), widget->objectName(), path.value(0, u"?"_s),
        widget->toolTip().isEmpty() ? QString() : u" (tooltip: %1)"_s.arg(widget->toolTip()));
}

// An editable text box that keeps Tab for itself: the keyboard can get in but not out again.
bool trapsTab(const QWidget *widget)
{
    if (auto *plain = qobject_cast<const QPlainTextEdit *>(widget))
        return !plain->isReadOnly() && !plain->tabChangesFocus();
    if (auto *rich = qobject_cast<const QTextEdit *>(widget))
        return !rich->isReadOnly() && !rich->tabChangesFocus();
    return false;
}

int g_checked = 0; // interactive widgets looked at, so the test shows it saw the window

// Every visible interactive widget under root that has no name a screen reader could read, or traps Tab.
QStringList unnamedWidgets(QWidget *root)
{
    QStringList found;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (!widget->isVisibleTo(root) || !isInteractive(widget))
            continue;
        ++g_checked;
        if (nameOf(widget, root).isEmpty())
            found.append(describe(widget));
        if (trapsTab(widget))
            found.append(u"keyboard trap (Tab does not leave it): "_s + describe(widget));
    }
    return found;
}

// A dialog's standard button (OK, Cancel, Close…): its name is all there is to say.
bool isStandardButton(QWidget *widget)
{
    auto *box = qobject_cast<QDialogButtonBox *>(widget->parentWidget());
    auto *button = qobject_cast<QPushButton *>(widget);
    return box && button && box->standardButton(button) != QDialogButtonBox::NoButton;
}

// Every visible interactive widget under root whose accessible description (or, as QAccessibleWidget
// falls back to it, its tooltip) is empty.
QStringList undescribedWidgets(QWidget *root)
{
    QStringList found;
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (!widget->isVisibleTo(root) || !isInteractive(widget) || isStandardButton(widget))
            continue;
        QAccessibleInterface *accessible = QAccessible::queryAccessibleInterface(widget);
        if (!accessible || accessible->text(QAccessible::Description).isEmpty())
            found.append(describe(widget));
    }
    return found;
}

// The letter after a single '&' in text, or a null QChar.
QChar mnemonicOf(const QString &text)
{
    for (qsizetype at = text.indexOf(u'&'); at >= 0 && at + 1 < text.size(); at = text.indexOf(u'&', at + 2)) {
        if (text[at + 1] != u'&')
            return text[at + 1].toLower();
    }
    return {};
}

// Alt letters used twice among root's buttons, labels of fields, group boxes and tabs: Alt+the letter
// then reaches only one of them. Hidden ones count too: they show with another choice in the dialog.
QStringList mnemonicClashes(QWidget *root)
{
    QHash<QChar, QString> seen;
    QStringList found;
    const auto use = [&](const QString &text) {
        const QChar letter = mnemonicOf(text);
        if (letter.isNull())
            return;
        if (seen.contains(letter))
            found.append(u"Alt+%1: \"%2\" and \"%3\""_s.arg(letter.toUpper(), seen[letter], text));
        seen.insert(letter, text);
    };
    for (QWidget *widget : root->findChildren<QWidget *>()) {
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            use(button->text());
        else if (auto *label = qobject_cast<QLabel *>(widget); label && label->buddy())
            use(label->text());
        else if (auto *group = qobject_cast<QGroupBox *>(widget))
            use(group->title());
        else if (auto *tabs = qobject_cast<QTabBar *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i)
                use(tabs->tabText(i));
        }
    }
    return found;
}

// The fields of root that Tab visits out of reading order: one reached after a field below it (by more
// than half a line), as New Key's TTL was, after the value under it. Disabled fields count (they are
// enabled by what the server supports); buttons do not: their order in a button box is the platform's.
QStringList tabOrderJumps(QWidget *root)
{
    QList<QWidget *> fields;
    QWidget *start = root->nextInFocusChain();
    for (QWidget *w = start; fields.size() < 200; w = w->nextInFocusChain()) {
        const bool field = (qobject_cast<QLineEdit *>(w) || qobject_cast<QComboBox *>(w)
                            || qobject_cast<QAbstractSpinBox *>(w) || qobject_cast<QPlainTextEdit *>(w)
                            || qobject_cast<QTextEdit *>(w) || qobject_cast<QCheckBox *>(w))
            && !qobject_cast<QComboBox *>(w->parentWidget()) && !qobject_cast<QAbstractSpinBox *>(w->parentWidget())
            && w->isVisible() && (w->focusPolicy() & Qt::TabFocus) && root->isAncestorOf(w);
        if (field && !fields.contains(w))
            fields.append(w);
        if (w->nextInFocusChain() == start)
            break;
    }
    QStringList found;
    for (qsizetype i = 1; i < fields.size(); ++i) {
        const int before = fields[i - 1]->mapTo(root, QPoint(0, 0)).y();
        const int now = fields[i]->mapTo(root, QPoint(0, 0)).y();
        if (now < before - fields[i]->fontMetrics().height() / 2)
            found.append(u"%1 (y %2) after %3 (y %4)"_s.arg(describe(fields[i]))
                             .arg(now)
                             .arg(describe(fields[i - 1]))
                             .arg(before));
    }
    return found;
}

} // namespace

class tst_Accessibility final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test"_s); }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyWidgetHasAName();
    void whatAScreenReaderReadsIsDescribed();
    void everyWidgetOfTheWindowIsDescribed();
    void focusIsVisible();
    void keyboardOnlyPath();
    void columnsAndSortingFromTheMenuBar();
    void menuMnemonicsAreUnique();
    void dialogMnemonicsAreUnique();
    void dialogsTabInReadingOrder();
    void welcomePageTabsFromTheBarDown();

private:
    QStringList inDialogs(MainWindow *window, QStringList (*check)(QWidget *));
    QStringList onBothPages(QStringList (*check)(QWidget *));
    bool tabTo(QWidget *target, bool backwards, QStringList *path);

    NatsServerProcess m_server;
    NatsConnection *m_peer = nullptr;
    KvContext *m_peerKv = nullptr;
    MainWindow *m_window = nullptr;

    // A new bucket of that name, written to by the peer client (null if it could not be made).
    KvBucket *newBucket(const QString &name);
};

void tst_Accessibility::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_peer, nullptr, &m_peerKv));
}

void tst_Accessibility::init()
{
    QSettings().clear();
}

void tst_Accessibility::cleanup()
{
    delete m_window;
    m_window = nullptr;
}

QStringList tst_Accessibility::inDialogs(MainWindow *window, QStringList (*check)(QWidget *))
{
    std::vector<std::unique_ptr<QDialog>> dialogs;
    dialogs.emplace_back(new ProfileDialog(window->profileStore(), window->secretStore(), window));
    dialogs.emplace_back(new BucketDialog(BucketDialog::Mode::Create, window));
    dialogs.emplace_back(new BucketDialog(BucketDialog::Mode::Edit, window));
    dialogs.emplace_back(new NewKeyDialog(nullptr, window));
    dialogs.emplace_back(new PurgeDialog(nullptr, u"a.key"_s, window));
    dialogs.emplace_back(new TransferDialog(TransferDialog::Mode::Export, nullptr, {}, window));
    dialogs.emplace_back(new TransferDialog(TransferDialog::Mode::Import, nullptr, {}, window));
    dialogs.emplace_back(new WatchDialog({u"one"_s, u"two"_s}, window));
    dialogs.emplace_back(new ConflictDialog(u"a.key"_s, u"mine"_s, 1, KvEntry{}, u"theirs"_s, window));
    dialogs.emplace_back(new LocalServerLogDialog(window->localServer(), window));
    KvMergeConflict conflict;
    conflict.where = u"/status"_s;
    conflict.base = QByteArray("\"new\"");
    conflict.ours = QByteArray("\"paid\"");
    conflict.theirs = QByteArray("\"cancelled\"");
    dialogs.emplace_back(new MergeDialog(u"a.key"_s, {conflict}, 1, 2, window));
    ConnectionProfile profile;
    profile.name = u"a profile"_s;
    dialogs.emplace_back(new KeyPassphraseDialog(profile, true, {}, window));
    dialogs.emplace_back(new FindInValuesDialog(nullptr, {}, {}, window));
    dialogs.emplace_back(new AsOfDiffDialog(nullptr, u"5"_s, {}, window));
    QStringList found;
    for (const auto &dialog : dialogs) {
        dialog->show();
        for (const QString &widget : check(dialog.get()))
            found.append(u"%1: %2"_s.arg(QString::fromLatin1(dialog->metaObject()->className()), widget));
        dialog->hide();
    }
    return found;
}

// Opens the window and runs check over it on the welcome page, then on the main page (buckets | keys |
// value) with every dock open; the window stays on the main page.
QStringList tst_Accessibility::onBothPages(QStringList (*check)(QWidget *))
{
    m_window = new MainWindow;
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window))
        return {u"the window was never shown"_s};
    QStringList found = check(m_window);
    auto *pages = m_window->findChild<QStackedWidget *>(u"pages"_s);
    if (!pages)
        return found << u"no page stack"_s;
    pages->setCurrentIndex(1);
    for (QDockWidget *dock : m_window->findChildren<QDockWidget *>())
        dock->show();
    return found + check(m_window);
}

// Each interactive widget of the window (welcome page, then buckets | keys | value with the docks) and of
// the dialogs that open without a server has a name a screen reader can read.
void tst_Accessibility::everyWidgetHasAName()
{
    QStringList found = onBothPages(unnamedWidgets);
    found.append(inDialogs(m_window, unnamedWidgets));
    found.removeDuplicates();
    QVERIFY2(found.isEmpty(),
             qPrintable(u"%1 of %2 widget(s) without an accessible name or trapping Tab:\n  %3"_s.arg(found.size())
                            .arg(g_checked)
                            .arg(found.join(u"\n  "_s))));
}

void tst_Accessibility::whatAScreenReaderReadsIsDescribed()
{
    // The lists, the value, the history and the fields that take more than a word say what they hold and
    // what they do (QAccessible's description), beside their names.
    QStringList missing = onBothPages([](QWidget *) { return QStringList(); });
    for (const QString &name : {u"bucketView"_s, u"keyListView"_s, u"keyFilter"_s, u"valueEditor"_s, u"historyView"_s,
                                u"historyValue"_s, u"historyViewSelector"_s}) {
        const QWidget *widget = m_window->findChild<QWidget *>(name);
        if (!widget)
            missing.append(name + u" (not found)"_s);
        else if (QAccessible::queryAccessibleInterface(const_cast<QWidget *>(widget))
                     ->text(QAccessible::Description)
                     .isEmpty())
            missing.append(name);
    }
    QVERIFY2(missing.isEmpty(), qPrintable(u"without a description: "_s + missing.join(u", "_s)));
}

// Beyond its name, each control of the window (both pages, the docks open) and of its dialogs says what it
// does or holds: what a sighted user reads in its tooltip, a screen reader reads as its description. A
// dialog's standard buttons (OK, Cancel) are left out: their name says it all.
void tst_Accessibility::everyWidgetOfTheWindowIsDescribed()
{
    QStringList found = onBothPages(undescribedWidgets);
    found.append(inDialogs(m_window, undescribedWidgets));
    found.removeDuplicates();
    QVERIFY2(found.isEmpty(),
             qPrintable(u"%1 widget(s) without a description:\n  %2"_s.arg(found.size()).arg(found.join(u"\n  "_s))));
}

KvBucket *tst_Accessibility::newBucket(const QString &name)
{
    KvBucketConfig config;
    config.bucket = name;
    return KvTest::createBucket(m_peerKv, config) ? m_peerKv->bucket(name, this) : nullptr;
}

void tst_Accessibility::dialogsTabInReadingOrder()
{
    m_window = new MainWindow;
    const QStringList found = inDialogs(m_window, tabOrderJumps);
    QVERIFY2(found.isEmpty(), qPrintable(u"Tab goes back up:\n  "_s + found.join(u"\n  "_s)));
}

void tst_Accessibility::dialogMnemonicsAreUnique()
{
    // Manage Connections had two Alt+C and two Alt+N: the second field or button of each was out of the
    // keyboard's reach by its letter.
    m_window = new MainWindow;
    const QStringList found = inDialogs(m_window, mnemonicClashes);
    QVERIFY2(found.isEmpty(), qPrintable(u"clashing Alt letters:\n  "_s + found.join(u"\n  "_s)));

    // Unsaved Changes: Discard had no letter at all (Qt's standard text), only the mouse reached it.
    ValuePanel *value = m_window->valuePanel();
    auto *editor = value->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->setPlainText(u"edited"_s);
    editor->document()->setModified(true);
    QStringList buttons;
    UiTest::onNextDialog<QMessageBox>([&buttons](QMessageBox *box) {
        for (QAbstractButton *button : box->buttons())
            buttons.append(button->text());
        box->button(QMessageBox::Cancel)->click();
    });
    QVERIFY(!value->maybeDiscard());
    QVERIFY2(buttons.size() == 2, qPrintable(buttons.join(u", "_s)));
    for (const QString &text : std::as_const(buttons)) {
        if (!text.contains(u"Cancel"_s)) // Esc is Cancel's key
            QVERIFY2(!mnemonicOf(text).isNull(), qPrintable(text + u" has no Alt letter"_s));
    }
}

void tst_Accessibility::menuMnemonicsAreUnique()
{
    // Alt+V, T opened Keys as Tree, not Theme, and T again did not reach it: two items of a menu with the
    // same underlined letter make the keyboard path ambiguous. Every menu of the bar, its submenus too.
    m_window = new MainWindow;
    QStringList clashes;
    const std::function<void(const QMenu *)> check = [&](const QMenu *menu) {
        QHash<QChar, QString> seen;
        for (const QAction *action : menu->actions()) {
            if (action->isSeparator())
                continue;
            const QString text = action->text();
            const qsizetype at = text.indexOf(u'&');
            if (at >= 0 && at + 1 < text.size() && text[at + 1] != u'&') {
                const QChar letter = text[at + 1].toLower();
                if (seen.contains(letter))
                    clashes.append(u"%1: %2 and %3"_s.arg(menu->title(), seen[letter], text));
                seen.insert(letter, text);
            }
            if (action->menu())
                check(action->menu());
        }
    };
    for (const QAction *action : m_window->menuBar()->actions()) {
        if (action->menu())
            check(action->menu());
    }
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(u"; "_s)));
}

void tst_Accessibility::columnsAndSortingFromTheMenuBar()
{
    // Which columns show and how the keys sort were chosen on the headers only (a right-click, a click), and a
    // header takes no keyboard focus: View has both, for the key list and the bucket list.
    const QString name = u"a11y_columns"_s;
    KvBucket *bucket = newBucket(name);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"a"_s, "333"));
    WAIT_OK(bucket->put(u"b"_s, "1"));
    WAIT_OK(bucket->put(u"c"_s, "22"));
    m_window = new MainWindow;
    m_window->show();
    m_window->start({m_server.url(), name, false});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->keyPanel()->model()->rowCount(), 3, 10000);
    auto *keys = m_window->findChild<QTableView *>(u"keyListView"_s);
    QVERIFY(keys);
    const auto firstKey = [keys] { return keys->model()->index(0, KeyListModel::KeyColumn).data().toString(); };
    QCOMPARE(firstKey(), u"a"_s);

    QMenu *menu = nullptr;
    for (QAction *top : m_window->menuBar()->actions()) {
        for (QAction *item : top->menu() ? top->menu()->actions() : QList<QAction *>()) {
            if (item->menu() && item->text() == u"Key &Columns and Sorting"_s)
                menu = item->menu();
        }
    }
    QVERIFY2(menu, "View has no Key Columns and Sorting menu");
    const auto choose = [menu](const QString &text) {
        Q_EMIT menu->aboutToShow(); // what opening it (Alt+V, arrows, Enter) does
        for (QAction *action : menu->actions()) {
            if (action->text() == text) {
                action->trigger();
                return true;
            }
        }
        return false;
    };
    QVERIFY(choose(u"Show Revision"_s));
    QVERIFY(keys->horizontalHeader()->isSectionHidden(KeyListModel::RevisionColumn));
    QVERIFY(choose(u"Sort by Size"_s));
    QTRY_COMPARE(firstKey(), u"b"_s);
    QVERIFY(choose(u"Descending"_s));
    QTRY_COMPARE(firstKey(), u"a"_s);
    QVERIFY(choose(u"Show Revision"_s));
    QVERIFY(!keys->horizontalHeader()->isSectionHidden(KeyListModel::RevisionColumn));
}

void tst_Accessibility::focusIsVisible()
{
    // Where the keyboard is must show: each of these widgets looks different with the focus than without.
    const QString name = u"a11y_focus"_s;
    KvBucket *bucket = newBucket(name);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"greeting"_s, "hello"));
    m_window = new MainWindow;
    m_window->show();
    QApplication::setActiveWindow(m_window);
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    m_window->start({m_server.url(), name, false});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->keyPanel()->model()->rowOfKey(u"greeting"_s) >= 0, 10000);
    m_window->keyPanel()->selectKey(u"greeting"_s);
    auto *elsewhere = m_window->findChild<QWidget *>(u"valueEditor"_s);
    QVERIFY(elsewhere);
    QStringList unseen;
    for (const QString &widgetName : {u"bucketView"_s, u"keyListView"_s, u"keyFilter"_s}) {
        auto *widget = m_window->findChild<QWidget *>(widgetName);
        QVERIFY2(widget, qPrintable(widgetName));
        elsewhere->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(elsewhere->hasFocus());
        const QImage without = widget->grab().toImage();
        widget->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(widget->hasFocus());
        if (widget->grab().toImage() == without)
            unseen.append(widgetName);
    }
    QVERIFY2(unseen.isEmpty(), qPrintable(u"focus not visible on: "_s + unseen.join(u", "_s)));
}

// Presses Tab (or Shift+Tab) on the focused widget until target has the focus; path gets each widget
// passed on the way, named by its panel, so a test can say where the focus wandered.
bool tst_Accessibility::tabTo(QWidget *target, bool backwards, QStringList *path)
{
    for (int step = 0; step < 40; ++step) {
        QWidget *focus = QApplication::focusWidget();
        if (focus == target)
            return true;
        QTest::keyClick(focus ? focus : m_window, Qt::Key_Tab, backwards ? Qt::ShiftModifier : Qt::NoModifier);
        focus = QApplication::focusWidget();
        path->append(focus ? panelOf(focus) + u'/' + describe(focus) : u"(none)"_s);
    }
    return false;
}

// Buckets to keys to the value and back, Enter to open a key, Ctrl+S to save, then the watch panel: all
// from the keyboard, and the focus never leaves the panels between the two it goes from and to.
void tst_Accessibility::keyboardOnlyPath()
{
    const QString name = u"a11y_keys"_s;
    KvBucket *peer = newBucket(name);
    QVERIFY(peer);
    WAIT_OK(peer->put(u"greeting"_s, "hello"));

    m_window = new MainWindow;
    m_window->show();
    QApplication::setActiveWindow(m_window);
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    m_window->start({m_server.url(), name, false});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->bucketPanel()->currentBucket(), name, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->keyPanel()->model()->rowOfKey(u"greeting"_s) >= 0, 10000);

    auto *buckets = m_window->findChild<QAbstractItemView *>(u"bucketView"_s);
    auto *keys = m_window->findChild<QAbstractItemView *>(u"keyListView"_s);
    auto *editor = m_window->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    QVERIFY(buckets && keys && editor);
    QStringList path;
    // The connection bar is on top: it comes first, then the buckets.
    auto *profile = m_window->findChild<QWidget *>(u"profileChoice"_s);
    QVERIFY(profile);
    QVERIFY2(tabTo(profile, false, &path), qPrintable(path.join(u"\n"_s)));
    path.clear();
    QVERIFY2(tabTo(buckets, false, &path), qPrintable(path.join(u"\n"_s)));
    for (const QString &step : std::as_const(path))
        QVERIFY2(step.startsWith(u"connectionBar/"_s) || step.startsWith(u"bucketPanel/"_s),
                 qPrintable(path.join(u"\n"_s)));
    QVERIFY(buckets->currentIndex().isValid()); // the focus shows on a row
    path.clear();
    QVERIFY2(tabTo(keys, false, &path), qPrintable(path.join(u"\n"_s)));
    for (const QString &step : std::as_const(path))
        QVERIFY2(step.startsWith(u"bucketPanel/"_s) || step.startsWith(u"keyPanel/"_s), qPrintable(path.join(u"\n"_s)));

    QVERIFY(keys->currentIndex().isValid());
    QTest::keyClick(keys, Qt::Key_Home);
    QTest::keyClick(keys, Qt::Key_Return);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->key(), u"greeting"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->valuePanel()->openedRevision() > 0, 10000);

    path.clear();
    QVERIFY2(tabTo(editor, false, &path), qPrintable(path.join(u"\n"_s)));
    for (const QString &step : std::as_const(path))
        QVERIFY2(step.startsWith(u"keyPanel/"_s) || step.startsWith(u"valuePanel/"_s), qPrintable(path.join(u"\n"_s)));
    QTest::keyClick(editor, Qt::Key_End, Qt::ControlModifier);
    QTest::keyClicks(editor, u"!"_s);
    QVERIFY(m_window->valuePanel()->isModified());
    QTest::keyClick(editor, Qt::Key_S, Qt::ControlModifier);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->valuePanel()->openedRevision(), 2u, 10000);
    QCOMPARE(editor->toPlainText(), u"hello!"_s);

    // And back: Shift+Tab leaves the editor (no keyboard trap) and comes to the key list.
    path.clear();
    QVERIFY2(tabTo(keys, true, &path), qPrintable(path.join(u"\n"_s)));
    QCOMPARE(editor->toPlainText(), u"hello!"_s);

    // The watch panel: Watch This Bucket opens it; Tab reaches its feed.
    QTest::keyClick(keys, Qt::Key_B, Qt::ControlModifier | Qt::AltModifier);
    QTRY_VERIFY(m_window->watchPanel()->findChild<QAbstractItemView *>(u"watchFeed"_s));
    auto *feed = m_window->watchPanel()->findChild<QAbstractItemView *>(u"watchFeed"_s);
    QTRY_VERIFY(feed->isVisible());
    path.clear();
    QVERIFY2(tabTo(feed, false, &path), qPrintable(path.join(u"\n"_s)));
    QVERIFY(!feed->accessibleName().isEmpty());

    // Connected, a key open, a watch running, the keys as a tree: what appeared has names too.
    QTest::keyClick(feed, Qt::Key_2, Qt::ControlModifier);
    QTRY_VERIFY(m_window->findChild<QWidget *>(u"keyTreeView"_s)->isVisible());
    QTest::keyClick(feed, Qt::Key_H, Qt::ControlModifier); // the key's history
    QTRY_VERIFY(m_window->findChild<QWidget *>(u"historyView"_s)->isVisible());
    QStringList found = unnamedWidgets(m_window);
    // And the dialogs that need a bucket: Find in Values, Differences in Time.
    for (const QKeySequence &shortcut : {QKeySequence(u"Ctrl+Alt+F"_s), QKeySequence(u"Ctrl+Shift+D"_s)}) {
        const QKeyCombination combination = shortcut[0];
        QApplication::setActiveWindow(m_window); // back from the previous dialog
        QVERIFY(QTest::qWaitForWindowActive(m_window));
        QTest::keyClick(m_window, combination.key(), combination.keyboardModifiers());
        QDialog *dialog = nullptr;
        QTRY_VERIFY((dialog = qobject_cast<QDialog *>(QApplication::activeWindow())));
        found.append(unnamedWidgets(dialog));
        dialog->close();
    }
    QVERIFY2(found.isEmpty(), qPrintable(found.join(u"\n"_s)));
    WAIT_OK(m_peerKv->deleteBucket(name));
}

// Without a connection: the connection bar on top first, then the welcome page's buttons below it.
void tst_Accessibility::welcomePageTabsFromTheBarDown()
{
    m_window = new MainWindow;
    m_window->show();
    QApplication::setActiveWindow(m_window);
    QVERIFY(QTest::qWaitForWindowActive(m_window));
    auto *profile = m_window->findChild<QWidget *>(u"profileChoice"_s);
    auto *local = m_window->findChild<QWidget *>(u"welcomeLocal"_s);
    QVERIFY(profile && local && local->isVisible());
    QStringList path;
    QVERIFY2(tabTo(profile, false, &path), qPrintable(path.join(u"\n"_s)));
    path.clear();
    QVERIFY2(tabTo(local, false, &path), qPrintable(path.join(u"\n"_s)));
    for (const QString &step : std::as_const(path))
        QVERIFY2(step.startsWith(u"connectionBar/"_s) || step.startsWith(u"welcomePage/"_s),
                 qPrintable(path.join(u"\n"_s)));
}

QTEST_MAIN(tst_Accessibility)
#include "tst_accessibility.moc"
