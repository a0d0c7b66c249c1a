#include "ratehistory.h"
#include "watchfeedmodel.h"

#include <QtCore/QSet>
#include <QtCore/QTimer>
#include <QtGui/QColor>
#include <QtGui/QIcon>
#include <QtGui/QImage>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;

// The watch feed model: batches (one insert and at most one remove per batch), the cap, pause with a
// waiting count, gap markers, previews and the value memory budget, always under QAbstractItemModelTester.
class tst_WatchFeedModel final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void appendsAreCoalesced();
    void capTrimsOldestInOneRemove();
    void streamAcrossTurnsNothingLost_data();
    void streamAcrossTurnsNothingLost();
    void queueLongerThanCap();
    void shrinkingTheCap();
    void pauseCountsWaiting();
    void pauseKeepsAtMostTheCap();
    void gapWhenRevisionsAreSkipped();
    void gapBeforeTheFirstEntry();
    void noGapWithoutDetection();
    void previews_data();
    void previews();
    void valuesKeptUpToLimit();
    void valueBudgetReleasesOldest();
    void metaOnlyEntries();
    void clearResets();
    void operationRoles();
    void limitMarkersAreNamed();
    void meaningNotInColourAlone();
    void rateHistoryCounts();
    void rateHistoryForgetsOldSeconds();

private:
    static KvEntry entry(quint64 revision, const QByteArray &value = "v",
                         KvEntry::Operation op = KvEntry::Operation::Put);
    void appendRange(quint64 first, quint64 last);
    QList<quint64> revisions() const;

    std::unique_ptr<WatchFeedModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

KvEntry tst_WatchFeedModel::entry(quint64 revision, const QByteArray &value, KvEntry::Operation op)
{
    KvEntry e;
    e.bucket = u"b"_s;
    e.key = u"k.%1"_s.arg(revision % 7);
    e.revision = revision;
    e.value = op == KvEntry::Operation::Put ? value : QByteArray();
    e.operation = op;
    e.created = QDateTime::currentDateTimeUtc();
    return e;
}

void tst_WatchFeedModel::appendRange(quint64 first, quint64 last)
{
    for (quint64 r = first; r <= last; ++r)
        m_model->appendEntry(entry(r));
}

QList<quint64> tst_WatchFeedModel::revisions() const
{
    QList<quint64> result;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->kindAt(row) == WatchFeedModel::RowKind::Entry)
            result.append(m_model->entryAt(row).revision);
    }
    return result;
}

static QList<quint64> range(quint64 first, quint64 last)
{
    QList<quint64> result;
    for (quint64 r = first; r <= last; ++r)
        result.append(r);
    return result;
}

void tst_WatchFeedModel::init()
{
    m_model = std::make_unique<WatchFeedModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void tst_WatchFeedModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
}

void tst_WatchFeedModel::appendsAreCoalesced()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy batches(m_model.get(), &WatchFeedModel::batchApplied);
    appendRange(1, 1000);
    QCOMPARE(m_model->rowCount(), 0); // nothing until the batch is applied
    QVERIFY(batches.wait(2000));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0);
    QCOMPARE(inserted.first().at(2).toInt(), 999);
    QCOMPARE(m_model->rowCount(), 1000);
    QCOMPARE(revisions(), range(1, 1000));
    QCOMPARE(m_model->receivedCount(), 1000u);
    QCOMPARE(m_model->lastRevision(), 1000u);
}

void tst_WatchFeedModel::streamAcrossTurnsNothingLost_data()
{
    QTest::addColumn<int>("cap");
    QTest::newRow("every entry kept") << WatchFeedModel::MaxRowCap;
    QTest::newRow("capped: the older ones counted as dropped from view") << 1000;
}

// A stream as the watcher delivers it, a few hundred entries per event-loop turn (one socket read): every
// entry ends up as a row in order, or is counted as dropped from view by the cap; rows go in by batches.
void tst_WatchFeedModel::streamAcrossTurnsNothingLost()
{
    QFETCH(int, cap);
    constexpr int kUpdates = 20000;
    constexpr int kPerTurn = 250;
    m_model->setRowCap(cap);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    quint64 next = 1;
    QTimer turns;
    turns.setInterval(1);
    connect(&turns, &QTimer::timeout, this, [&] {
        const quint64 last = std::min<quint64>(next + kPerTurn - 1, kUpdates);
        appendRange(next, last);
        next = last + 1;
        if (next > kUpdates)
            turns.stop();
    });
    turns.start();
    QTRY_COMPARE_WITH_TIMEOUT(quint64(m_model->rowCount()) + m_model->droppedCount(), quint64(kUpdates), 20000);
    const int shown = std::min(cap, kUpdates);
    QCOMPARE(m_model->rowCount(), shown);
    QCOMPARE(m_model->droppedCount(), quint64(kUpdates - shown));
    QCOMPARE(m_model->receivedCount(), quint64(kUpdates));
    QCOMPARE(revisions(), range(kUpdates - shown + 1, kUpdates));
    QVERIFY2(inserted.size() <= kUpdates / kPerTurn, qPrintable(QString::number(inserted.size())));
}

void tst_WatchFeedModel::capTrimsOldestInOneRemove()
{
    m_model->setRowCap(200);
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    appendRange(1, 150);
    m_model->flush();
    QCOMPARE(removed.size(), 0);
    appendRange(151, 300);
    m_model->flush();
    QCOMPARE(inserted.size(), 2);
    QCOMPARE(removed.size(), 1); // 100 oldest rows in one signal
    QCOMPARE(removed.first().at(1).toInt(), 0);
    QCOMPARE(removed.first().at(2).toInt(), 99);
    QCOMPARE(m_model->rowCount(), 200);
    QCOMPARE(revisions(), range(101, 300));
    QCOMPARE(m_model->droppedCount(), 100u);
}

void tst_WatchFeedModel::queueLongerThanCap()
{
    m_model->setRowCap(100);
    appendRange(1, 50);
    m_model->flush();
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy batches(m_model.get(), &WatchFeedModel::batchApplied);
    // More than the cap at once: the model applies it without waiting for the timer, never holding more
    // than the cap, one insert and one remove per batch.
    appendRange(51, 400);
    m_model->flush();
    QVERIFY(m_model->rowCount() <= 100);
    QCOMPARE(revisions(), range(301, 400));
    QCOMPARE(inserted.size(), batches.size());
    QVERIFY(removed.size() <= batches.size());
    for (const QList<QVariant> &signal : std::as_const(removed))
        QCOMPARE(signal.at(1).toInt(), 0);
    QCOMPARE(m_model->droppedCount(), 300u);
}

void tst_WatchFeedModel::shrinkingTheCap()
{
    appendRange(1, 500);
    m_model->flush();
    QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
    m_model->setRowCap(120);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(m_model->rowCount(), 120);
    QCOMPARE(revisions(), range(381, 500));
    m_model->setRowCap(5); // clamped to the minimum
    QCOMPARE(m_model->rowCap(), WatchFeedModel::MinRowCap);
}

void tst_WatchFeedModel::pauseCountsWaiting()
{
    appendRange(1, 10);
    m_model->flush();
    m_model->setPaused(true);
    QSignalSpy waiting(m_model.get(), &WatchFeedModel::waitingCountChanged);
    appendRange(11, 60);
    QCOMPARE(m_model->waitingCount(), 50);
    QVERIFY(waiting.wait(2000)); // reported with the next frame, not per message
    QCOMPARE(waiting.last().at(0).value<qsizetype>(), 50);
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 10); // still paused
    m_model->setPaused(false);
    QCOMPARE(m_model->waitingCount(), 0);
    QCOMPARE(m_model->rowCount(), 60);
    QCOMPARE(revisions(), range(1, 60));
}

void tst_WatchFeedModel::pauseKeepsAtMostTheCap()
{
    m_model->setRowCap(100);
    appendRange(1, 100);
    m_model->flush();
    m_model->setPaused(true);
    appendRange(101, 1100);
    QCOMPARE(m_model->waitingCount(), 1000);
    m_model->setPaused(false);
    QCOMPARE(m_model->rowCount(), 100);
    QCOMPARE(revisions(), range(1001, 1100));
    QCOMPARE(m_model->droppedCount(), 1000u);
}

void tst_WatchFeedModel::gapWhenRevisionsAreSkipped()
{
    QSignalSpy gaps(m_model.get(), &WatchFeedModel::gapDetected);
    appendRange(1, 9);
    m_model->setGapDetection(true);
    m_model->appendEntry(entry(10));
    m_model->appendEntry(entry(15));
    m_model->appendEntry(entry(16));
    m_model->appendEntry(entry(18));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 15);
    QCOMPARE(m_model->kindAt(10), WatchFeedModel::RowKind::Gap);
    QCOMPARE(m_model->gapAt(10), qMakePair(quint64(11), quint64(14)));
    QCOMPARE(m_model->entryAt(11).revision, 15u);
    QCOMPARE(m_model->gapAt(13), qMakePair(quint64(17), quint64(17)));
    QCOMPARE(gaps.size(), 2);
    QCOMPARE(m_model->gapCount(), 2);
    const QString text = m_model->index(10, WatchFeedModel::PreviewColumn).data().toString();
    QVERIFY2(text.contains(u"11–14"_s) && text.contains(u"no longer on the server"_s), qPrintable(text));
    QVERIFY(m_model->index(13, WatchFeedModel::PreviewColumn).data().toString().startsWith(u"revision 17 "_s));
    QCOMPARE(m_model->index(10, WatchFeedModel::OperationColumn).data().toString(), u"GAP"_s);
    QCOMPARE(m_model->index(10, WatchFeedModel::RevisionColumn).data().toString(), u"11–14"_s);
    QVERIFY(!m_model->entryAt(10).revision); // a gap is no entry
    QVERIFY(m_model->index(10, 0).data(Qt::BackgroundRole).isValid());
}

void tst_WatchFeedModel::gapBeforeTheFirstEntry()
{
    // A watch that began on a bucket at revision 100 with no initial values: 101 should come first.
    m_model->setGapDetection(true);
    m_model->setExpectedAfter(100);
    m_model->appendEntry(entry(105));
    m_model->appendEntry(entry(106));
    m_model->flush();
    QCOMPARE(m_model->gapCount(), 1);
    QCOMPARE(m_model->gapAt(0), qMakePair(quint64(101), quint64(104)));
    // And on a bucket never written: revision 1.
    m_model->clear();
    WatchFeedModel fresh;
    fresh.setGapDetection(true);
    fresh.setExpectedAfter(0);
    fresh.appendEntry(entry(3));
    fresh.flush();
    QCOMPARE(fresh.gapAt(0), qMakePair(quint64(1), quint64(2)));
    // Entries at or below the baseline (a race between reading it and the watch) are no gap.
    WatchFeedModel racing;
    racing.setGapDetection(true);
    racing.setExpectedAfter(10);
    racing.appendEntry(entry(9));
    racing.appendEntry(entry(10));
    racing.appendEntry(entry(11));
    racing.flush();
    QCOMPARE(racing.gapCount(), 0);
}

void tst_WatchFeedModel::noGapWithoutDetection()
{
    // Initial values (latest per key) or a filtered watch skip revisions by design.
    appendRange(1, 3);
    m_model->appendEntry(entry(20));
    m_model->flush();
    QCOMPARE(m_model->gapCount(), 0);
    QCOMPARE(m_model->rowCount(), 4);
    QVERIFY(!m_model->gapDetection());
}

void tst_WatchFeedModel::previews_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << "hello world"_ba << u"hello world"_s;
    QTest::newRow("newlines") << "a\nb\tc"_ba << u"a b c"_s;
    QTest::newRow("json") << R"({"id":1})"_ba << uR"({"id":1})"_s;
    QTest::newRow("binary") << QByteArray("\x00\x01\xff", 3) << u"00 01 ff"_s;
    QTest::newRow("long") << QByteArray(300, 'x') << QString(200, u'x') + u'…';
    // 199 ASCII bytes then a 3-byte character cut at byte 200: the cut character is left out, not hex.
    QTest::newRow("cut utf8") << QByteArray(199, 'a') + "€€" << QString(199, u'a') + u'…';
    QTest::newRow("empty") << QByteArray() << QString();
}

void tst_WatchFeedModel::previews()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, expected);
    m_model->appendEntry(entry(1, value));
    m_model->flush();
    QCOMPARE(m_model->index(0, WatchFeedModel::PreviewColumn).data().toString(), expected);
    QCOMPARE(m_model->index(0, WatchFeedModel::SizeColumn).data(WatchFeedModel::RawValueRole).toLongLong(),
             value.size());
}

void tst_WatchFeedModel::valuesKeptUpToLimit()
{
    const QByteArray small(WatchFeedModel::MaxValueBytes, 's');
    const QByteArray big(WatchFeedModel::MaxValueBytes + 1, 'b');
    m_model->appendEntry(entry(1, small));
    m_model->appendEntry(entry(2, big));
    m_model->flush();
    QVERIFY(m_model->hasCompleteValue(0));
    QCOMPARE(m_model->entryAt(0).value, small);
    QCOMPARE(m_model->entryAt(0).valueSize, -1);
    QVERIFY(!m_model->hasCompleteValue(1));
    const KvEntry truncated = m_model->entryAt(1);
    QCOMPARE(truncated.value, big.left(WatchFeedModel::PreviewBytes));
    QCOMPARE(truncated.valueSize, big.size()); // value.size() != valueSize: read it again to export
    QCOMPARE(truncated.size(), big.size());
}

void tst_WatchFeedModel::valueBudgetReleasesOldest()
{
    // One shared buffer, counted per row as the model cannot know it is shared: a cheap way to exceed the budget.
    const QByteArray value(WatchFeedModel::MaxValueBytes, 'v');
    const int rows = int(WatchFeedModel::ValueBudgetBytes / value.size()) + 50;
    m_model->setRowCap(rows + 10);
    for (int i = 1; i <= rows; ++i)
        m_model->appendEntry(entry(quint64(i), value));
    m_model->flush();
    QCOMPARE(m_model->rowCount(), rows);
    QVERIFY(m_model->keptValueBytes() <= WatchFeedModel::ValueBudgetBytes);
    // The oldest rows gave up their values (a preview each stays, so a few more than 50 had to), the
    // newest kept theirs.
    int released = 0;
    while (released < rows && !m_model->hasCompleteValue(released))
        ++released;
    QVERIFY2(released >= 50 && released <= 52, qPrintable(QString::number(released)));
    for (int row = released; row < rows; ++row)
        QVERIFY(m_model->hasCompleteValue(row));
    // The preview of a released row is unchanged.
    QCOMPARE(m_model->index(0, WatchFeedModel::PreviewColumn).data().toString(), QString(200, u'v') + u'…');
}

void tst_WatchFeedModel::metaOnlyEntries()
{
    KvEntry meta = entry(1, {});
    meta.valueSize = 42;
    m_model->appendEntry(meta);
    KvEntry deleted = entry(2, {}, KvEntry::Operation::Delete);
    m_model->appendEntry(deleted);
    m_model->flush();
    QVERIFY(!m_model->hasCompleteValue(0));
    QCOMPARE(m_model->entryAt(0).valueSize, 42);
    QCOMPARE(m_model->index(0, WatchFeedModel::SizeColumn).data().toString(), u"42 B"_s);
    QCOMPARE(m_model->index(0, WatchFeedModel::PreviewColumn).data().toString(), QString());
    QVERIFY(m_model->hasCompleteValue(1)); // a marker has no value to miss
    QCOMPARE(m_model->index(1, WatchFeedModel::OperationColumn).data().toString(), u"DEL"_s);
}

void tst_WatchFeedModel::clearResets()
{
    appendRange(1, 20);
    m_model->flush();
    m_model->setPaused(true);
    appendRange(21, 25);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->clear();
    QCOMPARE(reset.size(), 1);
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->waitingCount(), 0);
    m_model->setPaused(false);
    QCOMPARE(m_model->rowCount(), 0); // what was waiting was cleared too
    appendRange(26, 27);
    m_model->flush();
    QCOMPARE(revisions(), range(26, 27));
}

void tst_WatchFeedModel::operationRoles()
{
    m_model->appendEntry(entry(1));
    m_model->appendEntry(entry(2, {}, KvEntry::Operation::Delete));
    m_model->appendEntry(entry(3, {}, KvEntry::Operation::Purge));
    m_model->flush();
    const auto color = [this](int row) {
        return m_model->index(row, WatchFeedModel::OperationColumn).data(Qt::ForegroundRole).value<QColor>();
    };
    QVERIFY(color(0).isValid() && color(1).isValid() && color(2).isValid());
    QVERIFY(color(0) != color(1) && color(1) != color(2) && color(0) != color(2));
    QVERIFY(!m_model->index(0, 0).data(Qt::BackgroundRole).isValid()); // PUT rows keep the palette's base
    QVERIFY(m_model->index(2, 0).data(Qt::BackgroundRole).isValid());
    QCOMPARE(m_model->index(2, 0).data(WatchFeedModel::OperationRole).toInt(), int(KvEntry::Operation::Purge));
    QCOMPARE(m_model->index(1, WatchFeedModel::KeyColumn).data().toString(), u"k.2"_s);
    QVERIFY(m_model->index(0, WatchFeedModel::TimeColumn).data().toString().contains(u'.'));
}

void tst_WatchFeedModel::limitMarkersAreNamed()
{
    // The server's own marker (nats-server 2.11+, nats-modern.md §4.3): a purge with Nats-Marker-Reason and
    // no KV-Operation. It is named for what it is, not shown as an empty value or a client's PURGE.
    KvEntry marker = entry(2, {}, KvEntry::Operation::Purge);
    marker.markerReason = "MaxAge";
    marker.ttlNs = 1'000'000'000;
    m_model->appendEntry(entry(1));
    m_model->appendEntry(marker);
    m_model->appendEntry(entry(3, {}, KvEntry::Operation::Purge));
    m_model->flush();
    const QModelIndex operation = m_model->index(1, WatchFeedModel::OperationColumn);
    QCOMPARE(operation.data().toString(), u"EXPIRED (MaxAge)"_s);
    QVERIFY2(operation.data(Qt::ToolTipRole).toString().contains(u"gone"_s),
             qPrintable(operation.data(Qt::ToolTipRole).toString()));
    QCOMPARE(m_model->index(2, WatchFeedModel::OperationColumn).data().toString(), u"PURGE"_s);
    QVERIFY(!m_model->index(2, WatchFeedModel::OperationColumn).data(Qt::ToolTipRole).toString().contains(u"TTL"));
    const auto color = [this](int row, int role) {
        return m_model->index(row, WatchFeedModel::OperationColumn).data(role).value<QColor>();
    };
    QVERIFY(color(1, Qt::ForegroundRole).isValid() && color(1, Qt::BackgroundRole).isValid());
    QVERIFY(color(1, Qt::ForegroundRole) != color(2, Qt::ForegroundRole));
    QVERIFY(color(1, Qt::BackgroundRole) != color(2, Qt::BackgroundRole));
    QCOMPARE(m_model->index(1, WatchFeedModel::PreviewColumn).data().toString(), QString()); // never a value
    // Export and double-click read the row back as the marker it is.
    const KvEntry back = m_model->entryAt(1);
    QCOMPARE(back.markerReason, "MaxAge"_ba);
    QCOMPARE(back.ttlNs, 1'000'000'000);
    QVERIFY(back.isLimitMarker() && back.isDeleted());
}

void tst_WatchFeedModel::meaningNotInColourAlone()
{
    // Issue 14: a row's colours (operation text, row tint) say nothing that its text and its glyph do not
    // say too, for colour-blind readers and screen readers alike.
    m_model->setGapDetection(true);
    KvEntry marker = entry(6, {}, KvEntry::Operation::Purge);
    marker.markerReason = "MaxAge";
    m_model->appendEntry(entry(1));
    m_model->appendEntry(entry(2, {}, KvEntry::Operation::Delete));
    m_model->appendEntry(entry(3, {}, KvEntry::Operation::Purge));
    m_model->appendEntry(marker); // after a gap (revisions 4-5)
    m_model->flush();
    QCOMPARE(m_model->rowCount(), 5);
    QSet<QString> texts;
    QList<QImage> glyphs;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex operation = m_model->index(row, WatchFeedModel::OperationColumn);
        const QString text = operation.data().toString();
        QVERIFY2(!text.isEmpty(), qPrintable(u"row %1"_s.arg(row)));
        texts.insert(text);
        QVERIFY2(!operation.data(Qt::ToolTipRole).toString().isEmpty(), qPrintable(text));
        const QIcon icon = operation.data(Qt::DecorationRole).value<QIcon>();
        QVERIFY2(!icon.isNull(), qPrintable(text + u": no glyph"_s));
        const QImage image = icon.pixmap(16, 16).toImage();
        QVERIFY2(!glyphs.contains(image), qPrintable(text + u": the same glyph as another operation"_s));
        glyphs.append(image);
    }
    QCOMPARE(texts.size(), 5); // PUT, DEL, PURGE, GAP, EXPIRED (MaxAge)
}

void tst_WatchFeedModel::rateHistoryCounts()
{
    RateHistory rate;
    const qint64 t0 = 1'700'000'000'000;
    for (int i = 0; i < 5; ++i)
        rate.record(t0 + 100);
    rate.record(t0 + 999, 3);
    rate.record(t0 + 2500, 7);
    const QList<int> counts = rate.counts(t0 + 2600);
    QCOMPARE(counts.size(), RateHistory::Seconds);
    QCOMPARE(counts.last(), 7);
    QCOMPARE(counts[RateHistory::Seconds - 2], 0);
    QCOMPARE(counts[RateHistory::Seconds - 3], 8);
    QCOMPARE(rate.lastSecond(t0 + 1500), 8);
    QCOMPARE(rate.lastSecond(t0 + 2600), 0);
    QCOMPARE(rate.peak(t0 + 2600), 8);
}

void tst_WatchFeedModel::rateHistoryForgetsOldSeconds()
{
    RateHistory rate;
    const qint64 t0 = 1'700'000'000'000;
    rate.record(t0, 10);
    QCOMPARE(rate.peak(t0 + 59'000), 10);
    QCOMPARE(rate.peak(t0 + 60'000), 0); // a minute later it has left the window
    rate.record(t0 + 60'000, 2);         // same ring slot, new second: starts from 0
    QCOMPARE(rate.counts(t0 + 60'000).last(), 2);
    rate.clear();
    QCOMPARE(rate.peak(t0 + 60'000), 0);
}

QTEST_MAIN(tst_WatchFeedModel)

#include "tst_watchfeedmodel.moc"
