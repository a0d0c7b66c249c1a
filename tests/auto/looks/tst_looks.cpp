#include "actionicons.h"
#include "appearance.h"
#include "asofbar.h"
#include "asofdiffdialog.h"
#include "asofview.h"
#include "bucketdialog.h"
#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "conflictdialog.h"
#include "connectionbar.h"
#include "diffview.h"
#include "elidedlabel.h"
#include "errorlabel.h"
#include "findinvaluesdialog.h"
#include "jsonhighlighter.h"
#include "keylistmodel.h"
#include "keypanel.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvtestsupport.h"
#include "mainwindow.h"
#include "mergedialog.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "newkeydialog.h"
#include "operationstyle.h"
#include "profiledialog.h"
#include "purgedialog.h"
#include "session.h"
#include "transferdialog.h"
#include "uitestsupport.h"
#include "usagebardelegate.h"
#include "valuepanel.h"
#include "watchdialog.h"
#include "watchpanel.h"
#include "watchview.h"

#include <QtCore/QFile>
#include <QtCore/QScopeGuard>
#include <QtCore/QSettings>
#include <QtGui/QAction>
#include <QtGui/QHelpEvent>
#include <QtGui/QImage>
#include <QtGui/QScreen>
#include <QtGui/QTextBlock>
#include <QtGui/QTextDocument>
#include <QtGui/QTextLayout>
#include <QtTest/QTest>
#include <QtWidgets/QAbstractItemView>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDockWidget>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMenu>
#include <QtWidgets/QMenuBar>
#include <QtWidgets/QPlainTextEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QStackedWidget>
#include <QtWidgets/QStyle>
#include <QtWidgets/QStyleOptionButton>
#include <QtWidgets/QTableView>
#include <QtWidgets/QToolBar>
#include <QtWidgets/QToolButton>
#include <QtWidgets/QToolTip>
#include <QtWidgets/QTreeView>

#include <functional>

using namespace Qt::StringLiterals;

// Looks and layout (issue 14): icons, light and dark themes, sizes that fit, empty states with a next step.
class tst_Looks final : public QObject
{
    Q_OBJECT

public:
    // A 1400×900 screen at 144 dpi fonts, as on a laptop with 150 % text (the offscreen platform reads
    // its screens from a JSON file).
    static void initMain()
    {
        UiTest::useThrowAwayHome(u"kvdesk-looks-test"_s);
        const QString config = UiTest::throwAwayHome() + u"/screens.json"_s;
        QFile file(config);
        if (file.open(QIODevice::WriteOnly))
            file.write(R"({"screens":[{"name":"laptop","x":0,"y":0,"width":1400,"height":900,"logicalDpi":96}]})");
        file.close();
        qputenv("QT_QPA_PLATFORM", "offscreen:configfile=" + config.toLocal8Bit());
        qputenv("QT_FONT_DPI", "144");
    }

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void everyMenuActionHasAnIcon();
    void everyIconDrawsSomething();
    void withoutAnIconThemeEachActionHasItsOwnIcon();
    void disabledIconsLookDisabled();
    void listAndTreeIconsStandOutInBothThemes();
    void uncheckedBoxesShowTheirEdge();
    void themeSwitchChangesPaletteAndColoursStayReadable();
    void bannerFollowsTheTheme();
    void errorTextFollowsTheTheme();
    void highlightedJsonIsReadableInBothThemes();
    void defaultWindowFitsTheScreen();
    void welcomePageButtonsAreCentredAndNoEmptyDock();
    void noBucketsOffersToCreateOne();
    void emptyBucketOffersToAddAKey();
    void aFilterMatchingNothingIsNoEmptyBucket();
    void aFilterMatchingNoLoadedKeySaysSo();
    void bucketAndKeyActionsWaitForABucketAndAKey();
    void longBucketNamesAreNotCut();
    void bucketColumnsAreWholeInTheDefaultWindow();
    void keyColumnKeepsItsName();
    void keyColumnsShowTheirWholeContent();
    void dialogsFitTheirPlaceholders();
    void keyFilterShowsItsWholeHint();
    void anElidedMessageIsWholeInItsTooltip();

    // Last: they leave buckets behind, and noBucketsOffersToCreateOne wants none.
    void coloursFollowAThemeSwitch();
    void checkedButtonsLookChecked();
    void menuButtonsHoldTheirText();
    void watchBarControlsShareOneHeight();
    void keysAndValueKeepMostOfTheWindow();
    void conflictBannerTextIsWhole();
    void conflictBannerStaysWholeBesideItsDialogs();
    void asOfBannerLeavesTheKeysMostOfThePanel();
    void aBucketWhoseKeysAreGoneSaysSo();
    void keyColumnsAreWholeInTheDefaultWindow();
    void conflictDialogSaysWhatHappened_data();
    void conflictDialogSaysWhatHappened();

private:
    MainWindow *openWindow(const QString &server, const QString &bucket = {});
    // A new bucket of that name, and the window open on it (null if either fails).
    MainWindow *openNewBucket(const QString &bucket);
    // A new bucket with the window open on a key edited there while someone else saves it: *text is the
    // conflict banner's text, shown (left null when any step fails, which is then a test failure).
    void editIntoAConflict(const QString &bucket, MainWindow **window, QLabel **text);
    QList<QAction *> everyAction() const;

    NatsServerProcess m_server;
    NatsConnection *m_peer = nullptr;
    KvContext *m_peerKv = nullptr;
    MainWindow *m_window = nullptr;
};

void tst_Looks::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_peer, nullptr, &m_peerKv));
    // 144 dpi fonts scale everything by 1.5: the window has 933×600 device-independent pixels.
    const QScreen *screen = QGuiApplication::primaryScreen();
    QCOMPARE(screen->size() * screen->devicePixelRatio(), QSize(1400, 900));
}

void tst_Looks::init()
{
    QSettings().clear();
}

void tst_Looks::cleanup()
{
    delete m_window;
    m_window = nullptr;
    Appearance::apply(Appearance::Theme::System);
}

MainWindow *tst_Looks::openWindow(const QString &server, const QString &bucket)
{
    m_window = new MainWindow;
    m_window->show();
    m_window->start({server, bucket, false});
    return m_window;
}

void tst_Looks::everyMenuActionHasAnIcon()
{
    m_window = new MainWindow;
    const QList<QAction *> bare = ActionIcons::actionsWithoutIcon(m_window->menuBar());
    QStringList names;
    for (const QAction *action : bare)
        names.append(action->text());
    QVERIFY2(bare.isEmpty(), qPrintable(names.join(u", "_s)));
    auto *toolbar = m_window->findChild<QToolBar *>(u"mainToolBar"_s);
    QVERIFY(toolbar);
    QVERIFY(toolbar->actions().size() >= 8);
    QVERIFY(!ActionIcons::icon(u"no-such-icon-anywhere"_s).isNull()); // the bundled neutral one
}

MainWindow *tst_Looks::openNewBucket(const QString &bucket)
{
    KvBucketConfig config;
    config.bucket = bucket;
    if (!KvTest::createBucket(m_peerKv, config))
        return nullptr;
    MainWindow *window = openWindow(m_server.url(), bucket);
    const bool opened = QTest::qWaitFor([window, &bucket] { return window->bucketPanel()->currentBucket() == bucket; },
                                        10000);
    return opened ? window : nullptr;
}

void tst_Looks::editIntoAConflict(const QString &name, MainWindow **window, QLabel **text)
{
    *window = openNewBucket(name);
    QVERIFY(*window);
    KvBucket *bucket = m_peerKv->bucket(name, this);
    WAIT_OK(bucket->put(u"orders.17.status"_s, R"({"id":17,"status":"shipped"})"));
    QTRY_VERIFY_WITH_TIMEOUT((*window)->keyPanel()->model()->rowOfKey(u"orders.17.status"_s) >= 0, 10000);
    (*window)->keyPanel()->selectKey(u"orders.17.status"_s);
    QTRY_VERIFY_WITH_TIMEOUT((*window)->valuePanel()->openedRevision() > 0, 10000);
    auto *editor = (*window)->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    editor->setPlainText(u"{\"id\":17,\"status\":\"refunded\"}"_s);
    editor->document()->setModified(true);
    WAIT_OK(bucket->put(u"orders.17.status"_s, R"({"id":17,"status":"cancelled"})"));
    auto *banner = (*window)->findChild<QLabel *>(u"conflictBannerText"_s);
    QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
    *text = banner;
}

// The actions (separators left out) of the menus, the main toolbar and the panels' tool buttons.
QList<QAction *> tst_Looks::everyAction() const
{
    QList<QAction *> actions;
    for (QAction *action : m_window->findChild<QToolBar *>(u"mainToolBar"_s)->actions()) {
        if (!action->isSeparator())
            actions.append(action);
    }
    const std::function<void(const QMenu *)> collect = [&](const QMenu *menu) {
        for (QAction *action : menu->actions()) {
            if (action->menu())
                collect(action->menu());
            else if (!action->isSeparator())
                actions.append(action);
        }
    };
    for (QAction *top : m_window->menuBar()->actions()) {
        if (top->menu())
            collect(top->menu());
    }
    for (const QToolButton *button : m_window->findChildren<QToolButton *>()) {
        if (button->defaultAction())
            actions.append(button->defaultAction());
    }
    return actions;
}

void tst_Looks::everyIconDrawsSomething()
{
    // An icon can be set and draw nothing: the bundled fallbacks are SVG, which needs Qt's SVG image
    // plugin (libqt6svg6); without it the list and tree buttons showed blank squares. Each icon of the
    // menus, the toolbar and the panels' buttons is drawn at 16 px and must have a visible pixel.
    m_window = new MainWindow;
    const QList<QAction *> actions = everyAction();
    QStringList blank;
    for (const QAction *action : std::as_const(actions)) {
        if (action->isSeparator() || action->icon().isNull())
            continue;
        const QImage image = action->icon().pixmap(16, 16).toImage().convertToFormat(QImage::Format_ARGB32);
        bool drawn = false;
        for (int y = 0; y < image.height() && !drawn; ++y) {
            for (int x = 0; x < image.width() && !drawn; ++x)
                drawn = qAlpha(image.pixel(x, y)) > 0;
        }
        if (!drawn && !blank.contains(action->text()))
            blank.append(action->text());
    }
    QVERIFY2(blank.isEmpty(), qPrintable(u"icons that draw nothing: "_s + blank.join(u", "_s)));
}

void tst_Looks::withoutAnIconThemeEachActionHasItsOwnIcon()
{
    // Where no icon theme is installed (Windows, macOS, a desktop without Adwaita), the icons come from the
    // bundled ones: each action must have its own picture, not the neutral one kept for unknown names.
    const QString theme = QIcon::themeName();
    QIcon::setThemeName(u"kvdesk-test-no-such-theme"_s);
    const auto restore = qScopeGuard([&theme] { QIcon::setThemeName(theme); });
    m_window = new MainWindow;
    const QImage neutral = ActionIcons::icon(u"no-such-icon-anywhere"_s).pixmap(16, 16).toImage();
    QStringList generic;
    for (const QAction *action : everyAction()) {
        const bool own = !action->icon().isNull() && action->icon().pixmap(16, 16).toImage() != neutral;
        const QString name = action->text().isEmpty() ? action->objectName() : action->text();
        if (!own && !generic.contains(name))
            generic.append(name);
    }
    QVERIFY2(generic.isEmpty(), qPrintable(u"actions without an icon of their own: "_s + generic.join(u", "_s)));
}

namespace {

// How much an icon stands out from the window behind it: each pixel's contrast with the window colour
// above 1:1, weighted by its opacity, summed.
double ink(const QIcon &icon, QIcon::Mode mode, const QColor &window)
{
    const QImage image = icon.pixmap(22, 22, mode).toImage().convertToFormat(QImage::Format_ARGB32);
    double sum = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = QColor::fromRgba(image.pixel(x, y));
            const QColor seen = QColor::fromRgbF(
                pixel.redF() * pixel.alphaF() + window.redF() * (1 - pixel.alphaF()),
                pixel.greenF() * pixel.alphaF() + window.greenF() * (1 - pixel.alphaF()),
                pixel.blueF() * pixel.alphaF() + window.blueF() * (1 - pixel.alphaF()));
            sum += Appearance::contrastRatio(seen, window) - 1.0;
        }
    }
    return sum;
}

} // namespace

void tst_Looks::disabledIconsLookDisabled()
{
    // Adwaita's white glyphs (refresh, play) looked the same enabled and disabled: faint in the light theme,
    // bright in the dark one, so the toolbar did not show what can be done. A disabled icon must stand out
    // from the window at most half as much as the same icon enabled, in both themes.
    m_window = new MainWindow;
    const QList<QAction *> actions = everyAction();
    for (const auto theme : {Appearance::Theme::Light, Appearance::Theme::Dark}) {
        Appearance::apply(theme);
        const QColor window = QApplication::palette().color(QPalette::Window);
        QStringList alike;
        for (const QAction *action : actions) {
            // Qt's own (a line edit's clear button) shows and hides rather than being disabled.
            if (action->icon().isNull() || action->objectName().startsWith(u"_q_"_s))
                continue;
            const double normal = ink(action->icon(), QIcon::Normal, window);
            const double disabled = ink(action->icon(), QIcon::Disabled, window);
            const QString name = action->text().isEmpty() ? action->toolTip() : action->text();
            if (disabled > normal * 0.5 && !alike.contains(name))
                alike.append(name);
        }
        QVERIFY2(alike.isEmpty(), qPrintable(u"disabled looks enabled: "_s + alike.join(u", "_s)));
    }
}

void tst_Looks::uncheckedBoxesShowTheirEdge()
{
    // Try-out 4: on the dark theme an unchecked check box was a slightly darker square with no edge
    // (Fusion's outline, the window a shade darker, on the base a shade darker still): hard to see there
    // is a box to tick. Its edge must stand out from the window as a control's does (WCAG: 3:1), in both
    // themes; radio buttons alike.
    QWidget row;
    auto *layout = new QHBoxLayout(&row);
    auto *box = new QCheckBox(u"Compress stored values (s2)"_s, &row);
    auto *radio = new QRadioButton(u"Skip them"_s, &row);
    layout->addWidget(box);
    layout->addWidget(radio);
    row.show();
    QVERIFY(QTest::qWaitForWindowExposed(&row));
    QStringList faint;
    for (const auto theme : {Appearance::Theme::Light, Appearance::Theme::Dark}) {
        Appearance::apply(theme);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        for (QAbstractButton *button : std::initializer_list<QAbstractButton *>{box, radio}) {
            QStyleOptionButton option;
            option.initFrom(button);
            const QRect indicator = button->style()->subElementRect(
                qobject_cast<QCheckBox *>(button) ? QStyle::SE_CheckBoxIndicator : QStyle::SE_RadioButtonIndicator,
                &option, button);
            const QImage image = button->grab().toImage();
            const QColor window = button->palette().color(QPalette::Window);
            double most = 1.0; // the indicator's pixel that stands out most from the window
            for (int y = indicator.top(); y <= indicator.bottom(); ++y) {
                for (int x = indicator.left(); x <= indicator.right(); ++x)
                    most = std::max(most, Appearance::contrastRatio(image.pixelColor(x, y), window));
            }
            if (most < 3.0)
                faint.append(u"%1 (theme %2): %3:1"_s.arg(button->text()).arg(int(theme)).arg(most, 0, 'f', 2));
        }
    }
    Appearance::apply(Appearance::Theme::Light);
    QVERIFY2(faint.isEmpty(), qPrintable(faint.join(u", "_s)));
}

void tst_Looks::listAndTreeIconsStandOutInBothThemes()
{
    // The List and Tree buttons' icons (drawn by kvdesk: Adwaita has none) were one grey, #6a7480, in
    // every theme: 2.6:1 on the dark window, hard to make out. Their lines are as thin as a letter's, so
    // their strongest pixels must read as text does (4.5:1) on the window and on the checked button.
    m_window = new MainWindow;
    const QList<QAction *> actions{m_window->keyPanel()->listAction(), m_window->keyPanel()->treeAction()};
    const auto strongest = [](const QIcon &icon, const QColor &background) {
        const QImage image = icon.pixmap(22, 22).toImage().convertToFormat(QImage::Format_ARGB32);
        double most = 1.0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor pixel = QColor::fromRgba(image.pixel(x, y));
                const double a = pixel.alphaF();
                const QColor seen = QColor::fromRgbF(pixel.redF() * a + background.redF() * (1 - a),
                                                     pixel.greenF() * a + background.greenF() * (1 - a),
                                                     pixel.blueF() * a + background.blueF() * (1 - a));
                most = std::max(most, Appearance::contrastRatio(seen, background));
            }
        }
        return most;
    };
    for (const auto theme : {Appearance::Theme::Light, Appearance::Theme::Dark, Appearance::Theme::Light}) {
        Appearance::apply(theme);
        QCoreApplication::sendPostedEvents();
        auto *tree = m_window->keyPanel()->findChildren<QToolButton *>().value(0);
        for (QToolButton *button : m_window->keyPanel()->findChildren<QToolButton *>()) {
            if (button->defaultAction() == actions.last())
                tree = button;
        }
        QVERIFY(tree);
        tree->defaultAction()->setChecked(true);
        QCoreApplication::sendPostedEvents();
        const QList<QColor> backgrounds{QApplication::palette().color(QPalette::Window),
                                        tree->palette().color(QPalette::Button)};
        for (const QAction *action : actions) {
            for (const QColor &background : backgrounds) {
                const double contrast = strongest(action->icon(), background);
                QVERIFY2(contrast >= 4.5,
                         qPrintable(u"theme %1, %2 on %3: %4:1"_s.arg(int(theme))
                                        .arg(action->iconText(), background.name())
                                        .arg(contrast, 0, 'f', 2)));
            }
        }
        m_window->keyPanel()->listAction()->setChecked(true);
    }
}

void tst_Looks::themeSwitchChangesPaletteAndColoursStayReadable()
{
    const KvEntry::Operation operations[] = {KvEntry::Operation::Put, KvEntry::Operation::Delete,
                                             KvEntry::Operation::Purge};
    for (const auto theme : {Appearance::Theme::Light, Appearance::Theme::Dark}) {
        Appearance::apply(theme);
        QCOMPARE(Appearance::savedTheme(), theme);
        const QPalette palette = QApplication::palette();
        QCOMPARE(Appearance::isDark(palette), theme == Appearance::Theme::Dark);
        const QColor base = palette.color(QPalette::Base);
        QVERIFY(Appearance::contrastRatio(palette.color(QPalette::Text), base) >= 7.0);
        for (const auto operation : operations) {
            const QColor color = OperationStyle::color(operation, palette);
            QVERIFY2(Appearance::contrastRatio(color, base) >= 4.5,
                     qPrintable(
                         u"%1 on %2: %3"_s.arg(color.name(), base.name()).arg(Appearance::contrastRatio(color, base))));
        }
        KvEntry marker;
        marker.markerReason = QByteArrayLiteral("MaxAge");
        QVERIFY(Appearance::contrastRatio(OperationStyle::color(marker, palette), base) >= 4.5);
        // A graphic, not text: 3:1 (the bar of a bucket nearly full was one red for both themes).
        const QColor full = UsageBarDelegate::nearlyFullColor(palette);
        QVERIFY2(
            Appearance::contrastRatio(full, base) >= 3.0,
            qPrintable(u"%1 on %2: %3"_s.arg(full.name(), base.name()).arg(Appearance::contrastRatio(full, base))));
    }
    Appearance::apply(Appearance::Theme::Light);
    const QColor light = QApplication::palette().color(QPalette::Window);
    Appearance::apply(Appearance::Theme::Dark);
    QVERIFY(QApplication::palette().color(QPalette::Window) != light);
}

void tst_Looks::watchBarControlsShareOneHeight()
{
    // The watch bar's Pause, Clear and Follow were tool buttons a few pixels lower than the Export push
    // button, the row cap and the filter beside them: one row of controls of one height, on both themes.
    MainWindow *window = openNewBucket(u"looks_watchbar"_s);
    QVERIFY(window);
    QVERIFY(window->findChild<WatchPanel *>()->addWatch(u"looks_watchbar"_s, {}));
    for (const auto theme : {Appearance::Theme::Light, Appearance::Theme::Dark}) {
        Appearance::apply(theme);
        QMap<QString, int> heights;
        for (const char *name :
             {"watchPause", "watchClear", "watchFollow", "watchRowCap", "watchTextFilter", "watchExport"}) {
            auto *control = window->findChild<QWidget *>(QString::fromLatin1(name));
            QVERIFY2(control && control->isVisible(), name);
            heights.insert(QString::fromLatin1(name), control->height());
        }
        QTRY_VERIFY2(QSet<int>(heights.cbegin(), heights.cend()).size() == 1, qPrintable(QDebug::toString(heights)));
    }
}

void tst_Looks::keysAndValueKeepMostOfTheWindow()
{
    // The docks opened 28 lines of text tall whatever the window: at 144 dpi on a 1400×900 screen they took
    // half of it, the key list showed two rows, and the value's conflict banner was cut.
    MainWindow *window = openNewBucket(u"looks_rows"_s);
    QVERIFY(window);
    auto *keys = window->findChild<QAbstractItemView *>(u"keyListView"_s);
    auto *editor = window->findChild<QPlainTextEdit *>(u"valueEditor"_s);
    QVERIFY(keys && editor);
    QTRY_VERIFY(keys->isVisible() && editor->isVisible());
    const int line = keys->fontMetrics().height();
    // The bucket may open in the turn the window connects (its listing comes with the handshake): the
    // layout settles once the docks are placed.
    QTRY_VERIFY2(keys->viewport()->height() >= 6 * line,
                 qPrintable(u"key list %1 px, a line %2 px"_s.arg(keys->viewport()->height()).arg(line)));
    QTRY_VERIFY2(editor->viewport()->height() >= 4 * line,
                 qPrintable(u"value editor %1 px, a line %2 px"_s.arg(editor->viewport()->height()).arg(line)));
}

void tst_Looks::conflictBannerTextIsWhole()
{
    // Someone else saves the key being edited: the banner's text was cut at its top and bottom, squeezed
    // beside its two buttons (six lines of text in the height of five).
    MainWindow *window = nullptr;
    QLabel *text = nullptr;
    editIntoAConflict(u"looks_banner"_s, &window, &text);
    QVERIFY(text);
    const auto whole = [text] {
        return u"%1 px for text that needs %2 px at %3 px wide"_s.arg(text->height())
            .arg(text->heightForWidth(text->width()))
            .arg(text->width());
    };
    QTRY_VERIFY2(text->height() >= text->heightForWidth(text->width()), qPrintable(whole()));
    // A later notice, longer, in a banner of the same width (after Keep Editing, say): it kept the height
    // of the first one, and its last lines were cut.
    text->setText(text->text() + u" "_s + text->text());
    QTRY_VERIFY2(text->height() >= text->heightForWidth(text->width()), qPrintable(whole()));
}

namespace {

// Empty when the conflict banner's text has the height its lines need, inside the banner and clear of its
// buttons; else what is wrong.
QString bannerCut(const QLabel *text)
{
    if (!text->isVisible())
        return u"the banner is hidden"_s;
    const QWidget *banner = text->parentWidget();
    const int needed = text->heightForWidth(text->width());
    QStringList problems;
    if (text->height() < needed)
        problems.append(
            u"%1 px for text that needs %2 px at %3 px wide"_s.arg(text->height()).arg(needed).arg(text->width()));
    if (text->geometry().bottom() >= banner->height())
        problems.append(
            u"text ends at %1 px of a banner %2 px high"_s.arg(text->geometry().bottom()).arg(banner->height()));
    for (const QPushButton *button : banner->findChildren<QPushButton *>()) {
        if (button->isVisible() && button->geometry().intersects(text->geometry()))
            problems.append(u"\"%1\" over the text"_s.arg(button->text()));
    }
    return problems.isEmpty() ? QString() : problems.join(u", "_s) + u": "_s + text->text();
}

} // namespace

void tst_Looks::conflictBannerStaysWholeBesideItsDialogs()
{
    // Saved over someone else's change: while the conflict dialog, then the merge dialog, were open, the
    // banner's third line was cut behind its buttons. Whole at the window's size and at its smallest.
    MainWindow *window = nullptr;
    QLabel *text = nullptr;
    editIntoAConflict(u"looks_banner_dialogs"_s, &window, &text);
    QVERIFY(text);
    for (const bool smallest : {false, true}) {
        if (smallest)
            window->resize(window->minimumSizeHint());
        QStringList cuts;
        UiTest::onNextDialog<ConflictDialog>([&](ConflictDialog *dialog) {
            cuts.append(QTest::qWaitFor([&] { return bannerCut(text).isEmpty(); }, 1000) ? QString() : bannerCut(text));
            UiTest::onNextDialog<MergeDialog>([&](MergeDialog *merge) {
                cuts.append(QTest::qWaitFor([&] { return bannerCut(text).isEmpty(); }, 1000) ? QString()
                                                                                             : bannerCut(text));
                merge->reject(); // keeps editing
            });
            dialog->findChild<QPushButton *>(u"mergeButton"_s)->click();
        });
        window->valuePanel()->saveAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(cuts.size(), 2, 10000);
        QVERIFY2(cuts.join(QString()).isEmpty(),
                 qPrintable(u"%1: %2"_s.arg(smallest ? u"smallest"_s : u"1400×900"_s, cuts.join(u" | "_s))));
        QTRY_VERIFY2(bannerCut(text).isEmpty(), qPrintable(bannerCut(text)));
    }
}

void tst_Looks::asOfBannerLeavesTheKeysMostOfThePanel()
{
    // The bucket as of a past revision: the banner's text, beside its two buttons, wrapped to eight lines
    // (cut at the bottom) and the key list was left two rows. A line naming the point, and the list keeps
    // most of the live list's height, also when the read is incomplete (the longest the banner has to say).
    KvBucketConfig config;
    config.bucket = u"looks_asof"_s;
    config.history = 1;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    KvBucket *bucket = m_peerKv->bucket(config.bucket, this);
    WAIT_OK(bucket->put(u"orders.1"_s, "v1"));
    WAIT_OK(bucket->put(u"orders.2"_s, "o1")); // revision 2, the point
    WAIT_OK(bucket->put(u"orders.1"_s, "v2")); // history 1: orders.1 then is gone
    MainWindow *window = openWindow(m_server.url(), config.bucket);
    // The window's first size on a laptop's screen: on the offscreen 800×600 one it is 720 px wide, and the
    // banner's line is elided to a few letters (it was wider only while the status bar's text, asking for
    // its whole width, widened the window).
    window->resize(1280, 800);
    QTRY_VERIFY_WITH_TIMEOUT(window->keyPanel()->model()->liveCount() == 2, 10000);
    auto *live = window->findChild<QAbstractItemView *>(u"keyListView"_s);
    QTRY_VERIFY(live->isVisible());
    const int liveHeight = live->height();
    AsOfBar *bar = window->keyPanel()->asOfBar();
    bar->findChild<QLineEdit *>(u"asOfPoint"_s)->setText(u"2"_s);
    bar->findChild<QPushButton *>(u"asOfShow"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(bar->view()->read(), 10000);
    auto *text = bar->findChild<QLabel *>(u"asOfBannerText"_s);
    const int line = text->fontMetrics().lineSpacing();
    const auto describe = [&] {
        return u"text %1 px (needs %2 at %3 px wide, a line %4 px), list %5 px (live %6 px): %7"_s.arg(text->height())
            .arg(text->heightForWidth(text->width()))
            .arg(text->width())
            .arg(line)
            .arg(bar->view()->height())
            .arg(liveHeight)
            .arg(text->text());
    };
    // Once the layout has settled (under load it takes more than one turn): one line, and the banner takes
    // a row of buttons' height from the live list's, not the list.
    QTRY_VERIFY2(text->isVisible() && text->height() >= line && text->height() <= 2 * line
                     && bar->view()->height() >= liveHeight * 2 / 3,
                 qPrintable(describe()));
    QVERIFY2(text->text().startsWith(u"<b>As of rev 2"_s), qPrintable(describe()));
    // What the banner leaves out is in its tooltip: the whole reason, and how to restore or go back.
    QVERIFY2(text->toolTip().contains(u"no longer holds every revision"_s), qPrintable(text->toolTip()));
    QVERIFY2(text->toolTip().contains(u"Esc returns to live"_s), qPrintable(text->toolTip()));
}

void tst_Looks::checkedButtonsLookChecked()
{
    // On the dark theme Follow looked the same on and off: Fusion draws a checked button a shade darker
    // (#353535 against #303030). On and off must differ as much as text of a light colour from a light
    // background would: 1.5:1 between the middles of the button, on either theme.
    const auto middle = [](QWidget *button) {
        const QImage image = button->grab().toImage();
        qint64 r = 0, g = 0, b = 0, n = 0;
        for (int y = image.height() / 4; y < image.height() * 3 / 4; ++y) {
            for (int x = 2; x < image.width() - 2; ++x) {
                const QColor pixel = image.pixelColor(x, y);
                r += pixel.red(), g += pixel.green(), b += pixel.blue(), ++n;
            }
        }
        return n ? QColor(int(r / n), int(g / n), int(b / n)) : QColor();
    };
    MainWindow *window = openNewBucket(u"looks_checked"_s);
    QVERIFY(window);
    WatchView *view = window->findChild<WatchPanel *>()->addWatch(u"looks_checked"_s, {});
    QVERIFY(view);
    auto *follow = view->findChild<QToolButton *>(u"watchFollow"_s);
    QVERIFY(follow);
    QTRY_VERIFY(follow->isVisible());
    for (const Appearance::Theme theme : {Appearance::Theme::Light, Appearance::Theme::Dark}) {
        Appearance::apply(theme);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        follow->setChecked(true);
        QCoreApplication::sendPostedEvents();
        const QColor on = middle(follow);
        follow->setChecked(false);
        QCoreApplication::sendPostedEvents();
        const QColor off = middle(follow);
        QVERIFY2(Appearance::contrastRatio(on, off) >= 1.5,
                 qPrintable(u"theme %1: on %2, off %3, %4:1"_s.arg(int(theme))
                                .arg(on.name(), off.name())
                                .arg(Appearance::contrastRatio(on, off), 0, 'f', 2)));
    }
    Appearance::apply(Appearance::Theme::Light);
}

void tst_Looks::menuButtonsHoldTheirText()
{
    // The watch's Export button, a tool button popping up its menu, drew the menu's arrow over the end of
    // its text. A button with a menu has room for both.
    MainWindow *window = openNewBucket(u"looks_menubuttons"_s);
    QVERIFY(window);
    QVERIFY(window->findChild<WatchPanel *>()->addWatch(u"looks_menubuttons"_s, {}));
    int checked = 0;
    for (QAbstractButton *button : window->findChildren<QAbstractButton *>()) {
        auto *tool = qobject_cast<QToolButton *>(button);
        auto *push = qobject_cast<QPushButton *>(button);
        // A tool button shows its text when it has no icon or is set to show both.
        const bool toolShowsText = tool && (tool->icon().isNull() || tool->toolButtonStyle() != Qt::ToolButtonIconOnly);
        const bool hasMenu = (toolShowsText && tool->menu() && tool->popupMode() == QToolButton::InstantPopup)
            || (push && push->menu());
        if (!hasMenu || button->text().isEmpty())
            continue;
        ++checked;
        // A tool button centres its text on its whole width and draws the arrow in its right corner, over
        // the text unless the margins beside the text are as wide as the arrow; a push button puts the
        // arrow beside its text.
        const int arrow = button->style()->pixelMetric(QStyle::PM_MenuButtonIndicator, nullptr, button);
        const int needed = button->fontMetrics().horizontalAdvance(button->text()) + (tool ? 2 * arrow : arrow);
        // The least a layout short of room gives it: its minimum size hint where its policy lets it shrink.
        const bool shrinks = button->sizePolicy().horizontalPolicy() & QSizePolicy::ShrinkFlag;
        const int least = std::max(button->minimumWidth(),
                                   shrinks ? button->minimumSizeHint().width() : button->sizeHint().width());
        QVERIFY2(least >= needed,
                 qPrintable(
                     u"%1 \"%2\": down to %3 px for %4 px of text and arrow"_s.arg(button->objectName(), button->text())
                         .arg(least)
                         .arg(needed)));
    }
    QVERIFY(checked >= 1); // the watch's Export at least
}

void tst_Looks::coloursFollowAThemeSwitch()
{
    // The connection bar, a watch's state and a diff's marked lines took their colours once, from the
    // palette of the moment: after View → Theme → Dark the bar stayed light on a dark window, and a diff
    // kept light backgrounds under the dark theme's light text.
    Appearance::apply(Appearance::Theme::Light);
    MainWindow *window = openNewBucket(u"looks_switch"_s);
    QVERIFY(window);
    auto *panel = window->findChild<WatchPanel *>();
    QVERIFY(panel);
    WatchView *watch = panel->addWatch(u"looks_switch"_s, {});
    QVERIFY(watch);
    auto *state = watch->findChild<QLabel *>(u"watchState"_s);
    QTRY_COMPARE_WITH_TIMEOUT(state->text(), u"live"_s, 10000);
    DiffView diff;
    diff.setTexts(u"a"_s, u"same\nold"_s, u"b"_s, u"same\nnew"_s);
    diff.show();
    const auto markedBackground = [&diff](const char *side) {
        const auto selections = diff.findChild<QPlainTextEdit *>(QLatin1StringView(side))->extraSelections();
        return selections.isEmpty() ? QColor() : selections.first().format.background().color();
    };
    QVERIFY(markedBackground("diffLeft").isValid());

    Appearance::apply(Appearance::Theme::Dark);
    // What follows the palette does so in the events the switch posts, not at the next status update
    // (the bar's round trip, the watch's status timer), which would hide a colour that never followed.
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    const QPalette dark = QApplication::palette();
    auto *bar = window->findChild<ConnectionBar *>();
    QVERIFY(bar);
    QVERIFY(bar->palette().color(QPalette::Window).lightness() < 128);
    QVERIFY(
        Appearance::contrastRatio(bar->palette().color(QPalette::WindowText), bar->palette().color(QPalette::Window))
        >= 4.5);
    QVERIFY2(Appearance::contrastRatio(state->palette().color(QPalette::WindowText), dark.color(QPalette::Window))
                 >= 4.5,
             qPrintable(u"%1 on %2"_s.arg(state->palette().color(QPalette::WindowText).name(),
                                          dark.color(QPalette::Window).name())));
    for (const char *side : {"diffLeft", "diffRight", "diffUnified"}) {
        const QColor background = markedBackground(side);
        QVERIFY2(Appearance::contrastRatio(dark.color(QPalette::Text), markedBackground(side)) >= 4.5,
                 qPrintable(u"%1: %2 under %3"_s.arg(QLatin1StringView(side), background.name(),
                                                     dark.color(QPalette::Text).name())));
    }
}

void tst_Looks::highlightedJsonIsReadableInBothThemes()
{
    // Keys, strings, numbers and keywords each have a colour per theme; each must read as text (4.5:1) on the
    // editor's base, in light and dark, also after switching between them.
    for (const auto theme : {Appearance::Theme::Light, Appearance::Theme::Dark, Appearance::Theme::Light}) {
        Appearance::apply(theme);
        QCoreApplication::sendPostedEvents();
        const QColor base = QApplication::palette().color(QPalette::Base);
        QTextDocument document;
        document.setPlainText(u"{\"key\": \"text\", \"n\": 12.5, \"ok\": true, \"none\": null}"_s);
        JsonHighlighter highlighter(&document);
        highlighter.rehighlight();
        const QList<QTextLayout::FormatRange> ranges = document.firstBlock().layout()->formats();
        QVERIFY2(ranges.size() >= 5, qPrintable(QString::number(ranges.size())));
        for (const QTextLayout::FormatRange &range : ranges) {
            const QColor color = range.format.foreground().color();
            QVERIFY2(Appearance::contrastRatio(color, base) >= 4.5,
                     qPrintable(
                         u"%1 on %2: %3"_s.arg(color.name(), base.name()).arg(Appearance::contrastRatio(color, base))));
        }
    }
}

void tst_Looks::bannerFollowsTheTheme()
{
    Appearance::apply(Appearance::Theme::Light);
    ValuePanel panel;
    panel.show();
    auto *banner = panel.findChild<QWidget *>(u"conflictBanner"_s);
    QVERIFY(banner);
    const auto readable = [banner] {
        const QPalette p = banner->palette();
        return Appearance::contrastRatio(p.color(QPalette::WindowText), p.color(QPalette::Window)) >= 4.5;
    };
    QVERIFY(readable());
    Appearance::apply(Appearance::Theme::Dark);
    // The banner's own background follows the theme (it stayed light yellow behind light text).
    QTRY_VERIFY(banner->palette().color(QPalette::Window).lightness() < 128);
    QVERIFY(readable());
}

void tst_Looks::errorTextFollowsTheTheme()
{
    Appearance::apply(Appearance::Theme::Light);
    ErrorLabel label;
    label.setMessage(u"bucket \"orders\" not found"_s);
    label.show();
    const auto contrast = [&label] {
        return Appearance::contrastRatio(label.palette().color(QPalette::WindowText),
                                         QApplication::palette().color(QPalette::Window));
    };
    QVERIFY(contrast() >= 4.5);
    Appearance::apply(Appearance::Theme::Dark);
    // The dark red picked for a light window stayed after the switch (2.1:1 on the dark window).
    QTRY_VERIFY2(contrast() >= 4.5, qPrintable(QString::number(contrast())));
}

void tst_Looks::defaultWindowFitsTheScreen()
{
    m_window = new MainWindow;
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    const QRect available = m_window->screen()->availableGeometry();
    QVERIFY2(available.contains(m_window->frameGeometry()),
             qPrintable(u"window %1×%2 on a %3×%4 screen"_s.arg(m_window->width())
                            .arg(m_window->height())
                            .arg(available.width())
                            .arg(available.height())));
}

void tst_Looks::welcomePageButtonsAreCentredAndNoEmptyDock()
{
    m_window = new MainWindow;
    m_window->resize(1300, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    auto *pages = m_window->findChild<QStackedWidget *>(u"pages"_s);
    QCOMPARE(pages->currentWidget()->objectName(), u"welcomePage"_s);
    auto *local = m_window->findChild<QPushButton *>(u"welcomeLocal"_s);
    QVERIFY(local->width() <= 480);
    const int centre = local->mapTo(pages, local->rect().center()).x();
    QVERIFY(qAbs(centre - pages->width() / 2) < 20);
    auto *history = m_window->findChild<QDockWidget *>(u"historyDock"_s);
    auto *watch = m_window->findChild<QDockWidget *>(u"watchDock"_s);
    QVERIFY(!history->isVisible());
    QVERIFY(!watch->isVisible());
}

void tst_Looks::noBucketsOffersToCreateOne()
{
    // Runs before any bucket exists on this server.
    MainWindow *window = openWindow(m_server.url());
    QTRY_VERIFY_WITH_TIMEOUT(window->session() && window->session()->isConnected(), 10000);
    QPushButton *button = nullptr;
    QTRY_VERIFY((button = window->findChild<QPushButton *>(u"createBucketButton"_s)) && button->isVisible());
    QVERIFY(button->isEnabled());
    bool opened = false;
    UiTest::onNextDialog<BucketDialog>([&opened](BucketDialog *dialog) {
        opened = true;
        dialog->findChild<QLineEdit *>(u"bucketName"_s)->setText(u"looks_first"_s);
        dialog->accept();
    });
    button->click();
    QVERIFY(opened);
    QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->model()->rowOf(u"looks_first"_s) >= 0, 10000);
    QTRY_VERIFY(!button->isVisible());
}

void tst_Looks::emptyBucketOffersToAddAKey()
{
    MainWindow *window = openNewBucket(u"looks_empty"_s);
    QVERIFY(window);
    QPushButton *button = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((button = window->findChild<QPushButton *>(u"addKeyButton"_s)) && button->isVisible(),
                             10000);
    QTRY_VERIFY(button->isEnabled());
    bool opened = false;
    UiTest::onNextDialog<NewKeyDialog>([&opened](NewKeyDialog *dialog) {
        opened = true;
        dialog->findChild<QLineEdit *>(u"newKeyName"_s)->setText(u"first.key"_s);
        dialog->accept();
    });
    button->click();
    QVERIFY(opened);
    QTRY_VERIFY_WITH_TIMEOUT(window->keyPanel()->model()->rowOfKey(u"first.key"_s) >= 0, 10000);
    QTRY_VERIFY(!button->isVisible());
}

void tst_Looks::aFilterMatchingNothingIsNoEmptyBucket()
{
    // With orders.> in the key filter, opening another bucket whose keys none match showed "This bucket has
    // no keys yet" and Add a Key…, though it had keys: only the small status line said what was filtered.
    KvBucketConfig config;
    config.bucket = u"looks_filtered_orders"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"orders.1"_s, "o"));
    config.bucket = u"looks_filtered_users"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"users.alice"_s, "a"));
    MainWindow *window = openWindow(m_server.url(), u"looks_filtered_orders"_s);
    QTRY_COMPARE_WITH_TIMEOUT(window->keyPanel()->model()->rowCount(), 1, 10000);
    auto *filter = window->findChild<QLineEdit *>(u"keyFilter"_s);
    filter->setText(u"orders.>"_s);
    Q_EMIT filter->returnPressed();
    auto *status = window->findChild<QLabel *>(u"keyStatus"_s);
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(u"orders.>"_s), 10000);

    window->bucketPanel()->selectBucket(u"looks_filtered_users"_s);
    QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->currentBucket() == u"looks_filtered_users"_s, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!window->keyPanel()->model()->isLoading() && status->text().contains(u"orders.>"_s),
                             10000);
    QCOMPARE(window->keyPanel()->model()->rowCount(), 0);
    auto *button = window->findChild<QPushButton *>(u"addKeyButton"_s);
    QVERIFY(button);
    QVERIFY2(!button->isVisible(), "the bucket is said to be empty while a filter hides its keys");
    auto *noMatch = window->findChild<QLabel *>(u"noKeyMatchesText"_s);
    QVERIFY(noMatch);
    QTRY_VERIFY(noMatch->isVisible());
}

void tst_Looks::aFilterMatchingNoLoadedKeySaysSo()
{
    // A filter matched on the keys at hand (text, or a server filter on a loaded list) that matched none
    // left the list blank: "No key matches" was only said when the listing itself came back empty.
    KvBucketConfig config;
    config.bucket = u"looks_filtered_loaded"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"orders.1"_s, "o"));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"users.alice"_s, "a"));
    MainWindow *window = openWindow(m_server.url(), config.bucket);
    QTRY_COMPARE_WITH_TIMEOUT(window->keyPanel()->model()->rowCount(), 2, 10000);
    QTRY_VERIFY(!window->keyPanel()->model()->isLoading());
    auto *filter = window->findChild<QLineEdit *>(u"keyFilter"_s);
    auto *noMatch = window->findChild<QLabel *>(u"noKeyMatchesText"_s);
    QVERIFY(noMatch);
    const QAbstractItemModel *shown = window->findChild<QAbstractItemView *>(u"keyListView"_s)->model();
    for (const QString &text : {u"zzzz"_s, u"nomatch.>"_s, u"users"_s}) {
        filter->setText(text);
        Q_EMIT filter->returnPressed();
        const bool none = text != u"users"_s;
        QTRY_COMPARE_WITH_TIMEOUT(shown->rowCount(), none ? 0 : 1, 10000);
        QTRY_COMPARE(noMatch->isVisible(), none);
        QVERIFY(!window->findChild<QPushButton *>(u"addKeyButton"_s)->isVisible());
    }
}

void tst_Looks::bucketAndKeyActionsWaitForABucketAndAKey()
{
    // Before any connection, Export, Import, Watch This Bucket, Find in Values, the as-of actions, Filter
    // Keys and Reload Keys were enabled (Export then said "Select a bucket first", the others did nothing),
    // and Key History and Watch This Key with no key open.
    m_window = new MainWindow;
    const auto action = [this](const QString &text) -> QAction * {
        for (QAction *candidate : everyAction()) {
            if (candidate->text() == text)
                return candidate;
        }
        return nullptr;
    };
    const QStringList bucketActions{u"E&xport…"_s,         u"&Import…"_s,       u"Watch This &Bucket"_s,
                                    u"Find in &Values…"_s, u"Bucket &As Of…"_s, u"Di&fferences in Time…"_s,
                                    u"&Filter Keys"_s,     u"Re&load Keys"_s};
    const QStringList keyActions{u"Key &History"_s, u"Watch &This Key"_s};
    for (const QString &text : bucketActions + keyActions) {
        QVERIFY2(action(text), qPrintable(text));
        QVERIFY2(!action(text)->isEnabled(), qPrintable(text + u" is enabled with no bucket"_s));
    }
    delete m_window;
    m_window = nullptr;

    KvBucketConfig config;
    config.bucket = u"looks_actions"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"k"_s, "v"));
    MainWindow *window = openWindow(m_server.url(), config.bucket);
    QTRY_COMPARE_WITH_TIMEOUT(window->keyPanel()->model()->rowCount(), 1, 10000);
    for (const QString &text : bucketActions)
        QTRY_VERIFY2(action(text)->isEnabled(), qPrintable(text + u" is disabled with a bucket open"_s));
    for (const QString &text : keyActions)
        QVERIFY2(!action(text)->isEnabled(), qPrintable(text + u" is enabled with no key open"_s));
    window->keyPanel()->selectKey(u"k"_s);
    for (const QString &text : keyActions)
        QTRY_VERIFY2(action(text)->isEnabled(), qPrintable(text + u" is disabled with a key open"_s));
}

void tst_Looks::longBucketNamesAreNotCut()
{
    KvBucketConfig config;
    config.bucket = u"shipping_orders_eu_west_1"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    MainWindow *window = openWindow(m_server.url());
    QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->model()->rowOf(config.bucket) >= 0, 10000);
    auto *view = window->findChild<QTreeView *>(u"bucketView"_s);
    QCOMPARE(view->textElideMode(), Qt::ElideMiddle);
    const BucketListModel *model = window->bucketPanel()->model();
    const QModelIndex name = model->index(model->rowOf(config.bucket), BucketListModel::BucketColumn);
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), config.bucket);
    const int needed = view->fontMetrics().horizontalAdvance(config.bucket);
    QTRY_VERIFY2(view->header()->sectionSize(BucketListModel::BucketColumn) >= needed,
                 qPrintable(u"%1 px for %2 px of name"_s.arg(view->header()->sectionSize(0)).arg(needed)));
}

void tst_Looks::bucketColumnsAreWholeInTheDefaultWindow()
{
    // The bucket list opened wider than its panel: natscli's six columns took 480 px of a 360 px panel,
    // so "Size" was cut in half and "Values" and "Last Update" were behind a scrollbar.
    KvBucketConfig config;
    config.bucket = u"looks_columns"_s;
    config.description = u"EU orders"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"k"_s, "v"));
    // A long description is elided rather than pushing the other columns out of view.
    config.bucket = u"looks_columns_described"_s;
    config.description = u"the orders of the shop in the EU, with their status and payments"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    m_window = new MainWindow;
    m_window->resize(1280, 800); // the window's own size on a screen with room for it
    m_window->show();
    m_window->start({m_server.url(), {}, false});
    auto *view = m_window->findChild<QTreeView *>(u"bucketView"_s);
    QVERIFY(view);
    const BucketListModel *model = m_window->bucketPanel()->model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowOf(config.bucket) >= 0, 10000);
    QTRY_VERIFY(model->index(model->rowOf(u"looks_columns"_s), BucketListModel::ValuesColumn).data().toString()
                == u"1"_s);
    const QAbstractItemView *items = view; // where sizeHintForColumn() is public
    const auto sizes = [view, items]() -> QString {
        QStringList columns;
        for (int column = 0; column < view->header()->count(); ++column) {
            if (!view->header()->isSectionHidden(column))
                columns.append(
                    u"%1 %2 px (needs %3)"_s.arg(view->model()->headerData(column, Qt::Horizontal).toString())
                        .arg(view->header()->sectionSize(column))
                        .arg(std::max(items->sizeHintForColumn(column), view->header()->sectionSizeHint(column))));
        }
        return u"%1 in %2 px: "_s.arg(view->header()->length()).arg(view->viewport()->width()) + columns.join(u", "_s);
    };
    QTRY_VERIFY2(view->header()->length() <= view->viewport()->width(), qPrintable(sizes()));
    for (int column = 0; column < view->header()->count(); ++column) {
        if (!view->header()->isSectionHidden(column) && column != BucketListModel::DescriptionColumn)
            QVERIFY2(view->header()->sectionSize(column) >= items->sizeHintForColumn(column), qPrintable(sizes()));
    }
}

void tst_Looks::keyColumnKeepsItsName()
{
    KeyPanel panel;
    auto *view = panel.findChild<QTableView *>(u"keyListView"_s);
    QVERIFY(view);
    view->horizontalHeader()->resizeSection(KeyListModel::KeyColumn, 5);
    panel.resize(120, 400);
    panel.show();
    QVERIFY(view->horizontalHeader()->sectionSize(KeyListModel::KeyColumn)
            >= view->fontMetrics().horizontalAdvance(u"Key name"_s));
}

void tst_Looks::keyColumnsShowTheirWholeContent()
{
    // The Operation column cut a server's marker to "EXPIR…" and Expires cut its date: 64 and 140 px,
    // fixed, whatever the font. Each column but the key's (which stretches) shows its title and its widest
    // content whole, as the view lays them out (icon, text, margins), here at 144 dpi and a large font.
    const QFont font = QApplication::font();
    const auto restore = qScopeGuard([&font] { QApplication::setFont(font); });
    QFont large = font;
    large.setPointSizeF(font.pointSizeF() * 1.4);
    QApplication::setFont(large);
    KeyPanel panel;
    auto *view = panel.findChild<QTableView *>(u"keyListView"_s);
    QVERIFY(view);
    QHeaderView *header = view->horizontalHeader();
    for (int column = 0; column < header->count(); ++column)
        header->showSection(column);
    panel.showDeletedAction()->setChecked(true);
    const QDateTime time(QDate(2088, 8, 28), QTime(20, 8, 8), Qt::UTC);
    KvEntry put;
    put.key = u"orders.1"_s;
    put.revision = 88888888;
    put.created = time;
    put.valueSize = 1000 * 1024;
    put.ttlNs = qint64(3600) * 1000 * 1000 * 1000;
    KvEntry expired = put;
    expired.key = u"orders.2"_s;
    expired.operation = KvEntry::Operation::Purge;
    expired.markerReason = "MaxAge";
    KvEntry removed = expired;
    removed.key = u"orders.3"_s;
    removed.operation = KvEntry::Operation::Delete;
    removed.markerReason = "Remove";
    KvEntry purged = expired;
    purged.key = u"orders.4"_s;
    purged.markerReason = "Purge";
    panel.model()->applyEntries({put, expired, removed, purged});
    panel.resize(1200, 400);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    QTRY_COMPARE(view->model()->rowCount(), 4);
    const QAbstractItemView *items = view; // where sizeHintForColumn() is public
    QStringList cut;
    for (int column = 0; column < header->count(); ++column) {
        const int needed = std::max(items->sizeHintForColumn(column), header->sectionSizeHint(column));
        if (column != KeyListModel::KeyColumn && header->sectionSize(column) < needed)
            cut.append(u"%1: %2 px for %3 px"_s.arg(view->model()->headerData(column, Qt::Horizontal).toString())
                           .arg(header->sectionSize(column))
                           .arg(needed));
    }
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join(u", "_s)));
}

void tst_Looks::dialogsFitTheirPlaceholders()
{
    const auto check = [](QWidget *dialog) {
        dialog->show();
        const auto fits = [dialog](const QWidget *edit, int width, const QString &placeholder) {
            // A multi-line hint (a text box's) must fit line by line.
            for (const QString &line : placeholder.split(u'\n')) {
                const int needed = edit->fontMetrics().horizontalAdvance(line);
                QVERIFY2(width >= needed,
                         qPrintable(u"%1 in %2: %3 px for %4 px of placeholder"_s
                                        .arg(edit->objectName(), QString::fromLatin1(dialog->metaObject()->className()))
                                        .arg(width)
                                        .arg(needed)));
            }
        };
        for (QLineEdit *edit : dialog->findChildren<QLineEdit *>()) {
            if (!edit->placeholderText().isEmpty() && edit->isVisible())
                fits(edit, edit->width(), edit->placeholderText());
        }
        for (QPlainTextEdit *edit : dialog->findChildren<QPlainTextEdit *>()) {
            if (!edit->placeholderText().isEmpty() && edit->isVisible())
                fits(edit, edit->viewport()->width(), edit->placeholderText());
        }
    };
    BucketDialog bucket(BucketDialog::Mode::Create);
    check(&bucket);
    NewKeyDialog key(nullptr);
    check(&key);
    WatchDialog watch({u"a"_s});
    check(&watch);
    // Nothing is read before the user asks: no bucket is needed to show them.
    FindInValuesDialog find(nullptr, {}, {});
    check(&find);
    AsOfDiffDialog diff(nullptr, u"5"_s, {});
    check(&diff);
    TransferDialog transfer(TransferDialog::Mode::Export, nullptr, {});
    check(&transfer);
    PurgeDialog purge(nullptr, u"orders.17.status"_s);
    check(&purge);
    m_window = new MainWindow;
    ProfileDialog profiles(m_window->profileStore(), m_window->secretStore(), m_window);
    check(&profiles);
}

void tst_Looks::anElidedMessageIsWholeInItsTooltip()
{
    // The value's size label (a JSON problem while typing) asked for its whole text as its width and pushed
    // the panel wider. Elided, it asks for an ellipsis; the whole is in its tooltip.
    const QString message = u"not valid JSON: missing value separator at line 12, column 40"_s;
    QWidget row;
    auto *layout = new QHBoxLayout(&row);
    layout->addWidget(new QLabel(u"View:"_s, &row));
    layout->addStretch(1);
    auto *label = new ElidedLabel(Qt::ElideLeft, &row);
    layout->addWidget(label);
    const int before = row.minimumSizeHint().width();
    label->setText(message);
    QCOMPARE(row.minimumSizeHint().width(), before);
    row.resize(before + label->fontMetrics().horizontalAdvance(u"not valid JSON"_s), 40);
    row.show();
    QVERIFY(QTest::qWaitForWindowExposed(&row));
    QVERIFY(label->isElided());
    const QPoint inside = label->rect().center();
    QHelpEvent help(QEvent::ToolTip, inside, label->mapToGlobal(inside));
    QApplication::sendEvent(label, &help);
    QTRY_COMPARE(QToolTip::text(), message);
    QToolTip::hideText();
    row.resize(before + label->fontMetrics().horizontalAdvance(message) * 2, 40);
    QTRY_VERIFY(!label->isElided());
}

void tst_Looks::keyFilterShowsItsWholeHint()
{
    // The key filter's hint was cut to "…such as orders.*.statu…" in the window at its usual size: a short
    // hint there, the whole explanation in its tooltip.
    MainWindow *window = openNewBucket(u"looks_hint"_s); // its default size on this screen
    QVERIFY(window);
    auto *filter = window->findChild<QLineEdit *>(u"keyFilter"_s);
    QVERIFY(filter);
    QTRY_VERIFY(filter->isVisible());
    const int needed = filter->fontMetrics().horizontalAdvance(filter->placeholderText());
    QVERIFY2(
        filter->width() >= needed + 8,
        qPrintable(u"%1 px for %2 px of \"%3\""_s.arg(filter->width()).arg(needed).arg(filter->placeholderText())));
    QVERIFY(filter->toolTip().contains(u"orders.>"_s));
}

void tst_Looks::aBucketWhoseKeysAreGoneSaysSo()
{
    // A bucket whose keys were all deleted, or expired, or compacted away said "This bucket has no keys
    // yet.": as if nothing had ever been written to it. "Yet" only for a bucket never written.
    KvBucketConfig config;
    config.bucket = u"looks_gone_deleted"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    KvBucket *deleted = m_peerKv->bucket(config.bucket, this);
    WAIT_OK(deleted->put(u"a"_s, "1"));
    WAIT_OK(deleted->put(u"b"_s, "2"));
    WAIT_OK(deleted->remove(u"a"_s));
    WAIT_OK(deleted->purge(u"b"_s));
    // Nothing left in its stream, not even a marker: only its sequence says it held keys.
    config.bucket = u"looks_gone_compacted"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    KvBucket *compacted = m_peerKv->bucket(config.bucket, this);
    WAIT_OK(compacted->put(u"a"_s, "1"));
    WAIT_OK(compacted->purge(u"a"_s));
    WAIT_OK(compacted->purgeDeletes(-1));
    config.bucket = u"looks_gone_never"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));

    MainWindow *window = openWindow(m_server.url(), u"looks_gone_deleted"_s);
    QPushButton *button = nullptr;
    QTRY_VERIFY_WITH_TIMEOUT((button = window->findChild<QPushButton *>(u"addKeyButton"_s)) && button->isVisible(),
                             10000);
    QLabel *text = button->parentWidget()->findChild<QLabel *>();
    QVERIFY(text);
    const QString gone = u"every key in this bucket was deleted or has expired"_s;
    QTRY_VERIFY2(text->text().contains(gone), qPrintable(text->text()));
    for (const QString &bucket : {u"looks_gone_never"_s, u"looks_gone_compacted"_s, u"looks_gone_deleted"_s}) {
        window->bucketPanel()->selectBucket(bucket);
        QTRY_VERIFY_WITH_TIMEOUT(window->bucketPanel()->currentBucket() == bucket, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!window->keyPanel()->model()->isLoading() && button->isVisible(), 10000);
        const bool never = bucket == u"looks_gone_never"_s;
        QTRY_VERIFY2(text->text().contains(never ? u"no keys yet"_s : gone),
                     qPrintable(bucket + u": "_s + text->text()));
        QVERIFY2(never || !text->text().contains(u"yet"_s), qPrintable(text->text()));
    }
    // Shown, the deleted keys fill the list: nothing is said over them.
    window->keyPanel()->showDeletedAction()->setChecked(true);
    QTRY_VERIFY(!button->isVisible());
}

void tst_Looks::keyColumnsAreWholeInTheDefaultWindow()
{
    // The buckets' panel took the keys' room for its own columns: the key list, 330 px of a 1280 px
    // window, showed its columns behind a scrollbar once they were wide enough to show their words. The
    // key list keeps room for its columns whole and a key name beside them.
    KvBucketConfig config;
    config.bucket = u"looks_key_columns"_s;
    config.description = u"the orders of the shop in the EU, with their status and payments"_s;
    QVERIFY(KvTest::createBucket(m_peerKv, config));
    WAIT_OK(m_peerKv->bucket(config.bucket, this)->put(u"orders.2024.eu.17"_s, "v"));
    m_window = new MainWindow;
    m_window->resize(1152, 720); // as it opens on a 1280×800 screen
    m_window->show();
    m_window->start({m_server.url(), config.bucket, false});
    QTRY_COMPARE_WITH_TIMEOUT(m_window->keyPanel()->model()->rowCount(), 1, 10000);
    // Once the buckets' panel has taken what it takes for its columns.
    const BucketListModel *buckets = m_window->bucketPanel()->model();
    QTRY_VERIFY_WITH_TIMEOUT(buckets->rowOf(config.bucket) >= 0, 10000);
    QTRY_VERIFY(buckets->index(buckets->rowOf(config.bucket), BucketListModel::ValuesColumn).data().toString()
                == u"1"_s);
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
    }
    // A key the server expired, shown: EXPIRED is whole too.
    KvEntry expired;
    expired.key = u"orders.2024.eu.18"_s;
    expired.revision = 99;
    expired.created = QDateTime::currentDateTimeUtc();
    expired.operation = KvEntry::Operation::Purge;
    expired.markerReason = "MaxAge";
    m_window->keyPanel()->model()->applyEntries({expired});
    m_window->keyPanel()->showDeletedAction()->setChecked(true);
    QCoreApplication::sendPostedEvents();
    QCoreApplication::processEvents();
    auto *view = m_window->findChild<QTableView *>(u"keyListView"_s);
    QHeaderView *header = view->horizontalHeader();
    QTRY_COMPARE(view->model()->rowCount(), 2);
    const int keyName = view->fontMetrics().averageCharWidth() * 16;
    QVERIFY2(header->length() <= view->viewport()->width() && header->sectionSize(KeyListModel::KeyColumn) >= keyName,
             qPrintable(u"%1 px of columns in %2 px, the key's %3 px for %4"_s.arg(header->length())
                            .arg(view->viewport()->width())
                            .arg(header->sectionSize(KeyListModel::KeyColumn))
                            .arg(keyName)));
}

// The conflict dialog's first sentence, for each way the key changed: a key that expired with no marker
// left read "someone else saved revision 0 at never", one the server expired "someone else deleted it".
void tst_Looks::conflictDialogSaysWhatHappened_data()
{
    QTest::addColumn<KvEntry>("theirs");
    QTest::addColumn<QString>("says");
    const QDateTime at = QDateTime::currentDateTimeUtc();
    KvEntry saved;
    saved.revision = 9;
    saved.created = at;
    saved.value = "theirs";
    QTest::newRow("saved") << saved << u"someone else saved revision 9"_s;
    KvEntry deleted = saved;
    deleted.operation = KvEntry::Operation::Delete;
    deleted.value.clear();
    QTest::newRow("deleted") << deleted << u"someone else deleted it (DEL) at revision 9"_s;
    KvEntry expired = deleted;
    expired.operation = KvEntry::Operation::Purge;
    expired.markerReason = "MaxAge";
    QTest::newRow("expired, marked") << expired << u"the server removed it (EXPIRED (MaxAge)) at revision 9"_s;
    QTest::newRow("gone, no marker") << KvEntry() << u"the key has left the bucket"_s;
}

void tst_Looks::conflictDialogSaysWhatHappened()
{
    QFETCH(KvEntry, theirs);
    QFETCH(QString, says);
    ConflictDialog dialog(u"k"_s, u"mine"_s, 4, theirs, QString::fromUtf8(theirs.value));
    QString intro;
    for (const QLabel *label : dialog.findChildren<QLabel *>())
        intro += label->text();
    QVERIFY2(intro.contains(says) && intro.contains(u"you opened revision 4"_s), qPrintable(intro));
    QVERIFY2(!intro.contains(u"never"_s) && !intro.contains(u"revision 0"_s), qPrintable(intro));
    // Merge needs their value: a key deleted, removed by the server or gone without a marker has none
    // (merged with "revision 0", the editor got conflict markers against an empty text).
    auto *merge = dialog.findChild<QPushButton *>(u"mergeButton"_s);
    QCOMPARE(merge->isEnabled(), theirs.revision > 0 && !theirs.isDeleted());
    for (const QPushButton *button : dialog.findChildren<QPushButton *>())
        QVERIFY2(!button->toolTip().contains(u"revision 0"_s), qPrintable(button->toolTip()));
}

QTEST_MAIN(tst_Looks)
#include "tst_looks.moc"
