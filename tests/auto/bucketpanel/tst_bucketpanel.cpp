#include "bucketlistmodel.h"
#include "bucketpanel.h"
#include "humanformat.h"
#include "kvbucketstatus.h"
#include "uitestsupport.h"
#include "usagebardelegate.h"

#include <QtCore/QSettings>
#include <QtGui/QImage>
#include <QtGui/QPainter>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QHeaderView>
#include <QtWidgets/QTreeView>

using namespace Qt::StringLiterals;

// The bucket list's defaults (issue 14): natscli's columns at first start, names and dates never cut.
// No server: the panel is given the statuses a listing would.
class tst_BucketPanel final : public QObject
{
    Q_OBJECT

public:
    static void initMain() { UiTest::useThrowAwayHome(u"kvdesk-test-bucketpanel"_s); }

private Q_SLOTS:
    void init();
    void natscliColumnsAtFirstStart();
    void namesAndDatesAreNotCut();
    void nearlyFullIsSaidInWords();
    void anAlmostEmptyBucketsBarHasNoSliver();
    void timesAreShortWithTheWholeInTheTooltip();

private:
    static QList<KvBucketStatus> statuses();
};

QList<KvBucketStatus> tst_BucketPanel::statuses()
{
    QList<KvBucketStatus> result;
    for (const QString &name : {u"shipping_orders_eu_west_1"_s, u"sh"_s, u"configuration_of_the_fleet"_s}) {
        KvBucketStatus status;
        status.bucket = name;
        status.config.bucket = name;
        status.config.description = u"what %1 holds"_s.arg(name);
        status.values = 12345;
        status.bytes = 987654;
        status.created = QDateTime(QDate(2026, 11, 30), QTime(23, 59, 58), Qt::UTC);
        status.lastUpdate = status.created.addDays(3);
        result.append(status);
    }
    return result;
}

void tst_BucketPanel::init()
{
    QSettings().clear(); // every function is a first start
}

void tst_BucketPanel::natscliColumnsAtFirstStart()
{
    BucketPanel panel;
    auto *view = panel.findChild<QTreeView *>(u"bucketView"_s);
    QVERIFY(view);
    // As `nats kv ls` prints them.
    for (const int column :
         {BucketListModel::BucketColumn, BucketListModel::DescriptionColumn, BucketListModel::CreatedColumn,
          BucketListModel::SizeColumn, BucketListModel::ValuesColumn, BucketListModel::LastUpdateColumn}) {
        QVERIFY2(!view->header()->isSectionHidden(column),
                 qPrintable(panel.model()->headerData(column, Qt::Horizontal).toString() + u" is hidden"_s));
    }
    QVERIFY(view->header()->isSectionHidden(BucketListModel::MarkerTtlColumn)); // the rest: header's menu
}

void tst_BucketPanel::namesAndDatesAreNotCut()
{
    BucketPanel panel;
    panel.resize(320, 400); // as narrow as the dock gets
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    panel.model()->setStatuses(statuses());
    auto *view = panel.findChild<QTreeView *>(u"bucketView"_s);
    const QAbstractItemView *items = view;            // where sizeHintForColumn() is public
    QCOMPARE(view->textElideMode(), Qt::ElideMiddle); // narrowed by hand, a name keeps both ends
    for (const int column : {BucketListModel::BucketColumn, BucketListModel::CreatedColumn, BucketListModel::SizeColumn,
                             BucketListModel::ValuesColumn, BucketListModel::LastUpdateColumn}) {
        const QString title = panel.model()->headerData(column, Qt::Horizontal).toString();
        QTRY_VERIFY2(view->header()->sectionSize(column) >= items->sizeHintForColumn(column),
                     qPrintable(u"%1: %2 px for %3 px of contents"_s.arg(title)
                                    .arg(view->header()->sectionSize(column))
                                    .arg(items->sizeHintForColumn(column))));
    }
    const QModelIndex name = panel.model()->index(0, BucketListModel::BucketColumn);
    QCOMPARE(name.data(Qt::ToolTipRole).toString(), name.data().toString()); // the whole name
    const QModelIndex description = panel.model()->index(0, BucketListModel::DescriptionColumn);
    QCOMPARE(description.data(Qt::ToolTipRole).toString(), description.data().toString());
}

void tst_BucketPanel::nearlyFullIsSaidInWords()
{
    // The usage bar under Size turns red past 90 % of the bucket's maximum: the tooltip says so too.
    BucketListModel model;
    QList<KvBucketStatus> list = statuses();
    list[0].config.maxBytes = 1000;
    list[0].bytes = 950;
    list[1].config.maxBytes = 1000;
    list[1].bytes = 500;
    model.setStatuses(list);
    const auto tip = [&model](const QString &bucket) {
        return model.index(model.rowOf(bucket), BucketListModel::SizeColumn).data(Qt::ToolTipRole).toString();
    };
    QVERIFY2(tip(list[0].bucket).contains(u"95 %"_s) && tip(list[0].bucket).contains(u"nearly full"_s),
             qPrintable(tip(list[0].bucket)));
    QVERIFY2(tip(list[1].bucket).contains(u"50 %"_s) && !tip(list[1].bucket).contains(u"nearly full"_s),
             qPrintable(tip(list[1].bucket)));
}

// A bucket using a tiny part of its maximum (3.3 KiB of 10 MiB) draws its bar's track alone: its fill was
// kept at least one pixel wide, a blue sliver at the left of the size that read as a comma (", 3.3 KiB";
// third tryout). Half full still draws half.
void tst_BucketPanel::anAlmostEmptyBucketsBarHasNoSliver()
{
    BucketListModel model;
    QList<KvBucketStatus> list = statuses();
    list[0].config.maxBytes = 10 * 1024 * 1024;
    list[0].bytes = 3379;
    list[1].config.maxBytes = 1000;
    list[1].bytes = 500;
    model.setStatuses(list);
    UsageBarDelegate delegate;
    const auto filled = [&](const QString &bucket) {
        QImage image(200, 24, QImage::Format_ARGB32);
        image.fill(Qt::white);
        QStyleOptionViewItem option;
        option.rect = image.rect();
        option.palette = QApplication::palette();
        QPainter painter(&image);
        delegate.paint(&painter, option, model.index(model.rowOf(bucket), BucketListModel::SizeColumn));
        painter.end();
        const QColor fill = option.palette.color(QPalette::Highlight);
        int count = 0;
        for (int x = 0; x < image.width(); ++x)
            count += image.pixelColor(x, image.height() - 3) == fill ? 1 : 0;
        return count;
    };
    QCOMPARE(filled(list[0].bucket), 0);
    QVERIFY2(filled(list[1].bucket) >= 95 && filled(list[1].bucket) <= 100,
             qPrintable(QString::number(filled(list[1].bucket))));
}

void tst_BucketPanel::timesAreShortWithTheWholeInTheTooltip()
{
    // Today's time without its date, another day's date without its time: natscli's six columns then fit
    // beside the keys. The tooltip has the whole time, local and UTC.
    BucketListModel model;
    QList<KvBucketStatus> list = statuses();
    const QDateTime now = QDateTime::currentDateTime();
    list[0].lastUpdate = now.addSecs(-1);
    model.setStatuses(list);
    const QModelIndex updated = model.index(model.rowOf(list[0].bucket), BucketListModel::LastUpdateColumn);
    const QModelIndex created = model.index(model.rowOf(list[0].bucket), BucketListModel::CreatedColumn);
    // Unless the clock passed midnight in between.
    if (now.date() == list[0].lastUpdate.date())
        QCOMPARE(updated.data().toString(), list[0].lastUpdate.toLocalTime().toString(u"HH:mm:ss"_s));
    QCOMPARE(created.data().toString(), list[0].created.toLocalTime().toString(u"yyyy-MM-dd"_s));
    QCOMPARE(
        created.data(Qt::ToolTipRole).toString(),
        u"%1 (UTC 2026-11-30T23:59:58.000Z)"_s.arg(list[0].created.toLocalTime().toString(u"yyyy-MM-dd HH:mm:ss"_s)));
    QCOMPARE(HumanFormat::shortLocalTime({}), u"never"_s);
    const QDateTime noon(now.date(), QTime(12, 0));
    QCOMPARE(HumanFormat::shortLocalTime(noon.addSecs(-3599), noon), u"11:00:01"_s);
    QCOMPARE(HumanFormat::shortLocalTime(now.addDays(-1), now), now.addDays(-1).toString(u"yyyy-MM-dd"_s));
}

QTEST_MAIN(tst_BucketPanel)

#include "tst_bucketpanel.moc"
