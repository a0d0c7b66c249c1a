#include "bucketdialog.h"

#include <QtTest/QTest>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QSpinBox>

using namespace Qt::StringLiterals;

// The app reads bucket settings as kvdesk-cli does: durations and sizes through KvUnits ("1M" is a month,
// "1m" a minute), checked as they are typed.
class tst_BucketDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAsTheCliDoes_data();
    void readsAsTheCliDoes();
    void ttlReadsBackUnchanged_data();
    void ttlReadsBackUnchanged();
    void sizesShowInTheUnitsTyped_data();
    void sizesShowInTheUnitsTyped();
    void problemsShowOnlyOnceTypedOrAccepted();
    void everyProblemShowsAtOnceInTheFormsOrder();
    void anErrorMovesNothingAndGivesItsRoomBack();
    void historyOutOfRangeSaysWhy();
    void tooLargeAValueSizeIsSaidWithItsField();

private:
    // The dialog's place and size once the layout requests made so far are done.
    static QRect settled(QWidget *dialog)
    {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        return dialog->geometry();
    }
    static QLineEdit *field(BucketDialog *dialog, const QString &name) { return dialog->findChild<QLineEdit *>(name); }
};

void tst_BucketDialog::readsAsTheCliDoes_data()
{
    QTest::addColumn<QString>("ttl");
    QTest::addColumn<QString>("maxBytes");
    QTest::addColumn<qint64>("ttlMs");
    QTest::addColumn<qint64>("maxBytesValue");
    QTest::addColumn<QString>("error");
    constexpr qint64 day = 24 * 3600 * 1000;
    QTest::newRow("empty: none, unlimited") << QString() << QString() << qint64(0) << qint64(-1) << QString();
    QTest::newRow("M is a month") << u"1M"_s << u"1G"_s << 30 * day << (qint64(1) << 30) << QString();
    QTest::newRow("m is a minute") << u"1m"_s << u"64KiB"_s << qint64(60000) << qint64(65536) << QString();
    QTest::newRow("go and natscli units")
        << u"1y2w3d4h5m6s"_s << u"5 MB"_s << (365 + 14 + 3) * day + (4 * 3600 + 5 * 60 + 6) * 1000
        << qint64(5) * 1024 * 1024 << QString();
    QTest::newRow("no unit") << u"5"_s << QString() << qint64(0) << qint64(-1)
                             << u"TTL: invalid duration \"5\": 5 needs a unit: ns, us, ms, s, m, h, d, w, M or y"_s;
    QTest::newRow("under a millisecond") << u"500us"_s << QString() << qint64(0) << qint64(-1)
                                         << u"TTL: 500us is less than a millisecond"_s;
    QTest::newRow("negative") << u"-1h"_s << QString() << qint64(0) << qint64(-1) << u"TTL: -1h is negative"_s;
    QTest::newRow("fractional size") << QString() << u"1.5GiB"_s << qint64(0) << qint64(-1)
                                     << u"Max bucket size: invalid size \"1.5GiB\": a whole number of bytes, "
                                        "optionally ending in B, K, KB, KiB, M, MB, MiB, G, GB, GiB, T, TB or TiB"_s;
}

void tst_BucketDialog::readsAsTheCliDoes()
{
    QFETCH(QString, ttl);
    QFETCH(QString, maxBytes);
    QFETCH(qint64, ttlMs);
    QFETCH(qint64, maxBytesValue);
    QFETCH(QString, error);
    BucketDialog dialog(BucketDialog::Mode::Create);
    field(&dialog, u"bucketName"_s)->setText(u"b"_s);
    field(&dialog, u"ttl"_s)->setText(ttl);
    field(&dialog, u"maxBytes"_s)->setText(maxBytes);
    QCOMPARE(dialog.validationError(), error);
    if (!error.isEmpty())
        return;
    QCOMPARE(dialog.config().ttlMs, ttlMs);
    QCOMPARE(dialog.config().maxBytes, maxBytesValue);
}

void tst_BucketDialog::ttlReadsBackUnchanged_data()
{
    QTest::addColumn<qint64>("ttlMs");
    QTest::addColumn<QString>("shown");
    constexpr qint64 hour = 3600 * 1000;
    QTest::newRow("an hour") << hour << u"1h"_s;
    QTest::newRow("90 minutes") << qint64(90 * 60 * 1000) << u"1h30m"_s;
    QTest::newRow("fraction of a second") << qint64(61500) << u"1m1.5s"_s;
    QTest::newRow("milliseconds") << qint64(250) << u"250ms"_s;
    QTest::newRow("a second and a millisecond") << qint64(1001) << u"1.001s"_s;
    QTest::newRow("a day and a half") << 36 * hour << u"1d12h"_s;
    QTest::newRow("a month") << 30 * 24 * hour << u"30d"_s;
    QTest::newRow("every part") << 3 * 24 * hour + 4 * hour + 5 * 60 * 1000 + 6007 << u"3d4h5m6.007s"_s;
}

void tst_BucketDialog::ttlReadsBackUnchanged()
{
    // Editing a bucket without touching its TTL must save the same TTL; it is shown as the user would type
    // it (and as the bucket list and kvdesk-cli show it), not in Go's long form "1h0m0s".
    QFETCH(qint64, ttlMs);
    QFETCH(QString, shown);
    KvBucketConfig config;
    config.bucket = u"b"_s;
    config.ttlMs = ttlMs;
    BucketDialog dialog(BucketDialog::Mode::Edit);
    dialog.setConfig(config);
    QCOMPARE(field(&dialog, u"ttl"_s)->text(), shown);
    QCOMPARE(dialog.validationError(), QString());
    QCOMPARE(dialog.config().ttlMs, ttlMs);
    // The marker TTL alike.
    config.ttlMs = 0;
    config.markerTtlMs = ttlMs;
    BucketDialog markers(BucketDialog::Mode::Edit);
    markers.setConfig(config);
    QCOMPARE(field(&markers, u"markerTtl"_s)->text(), shown);
}

void tst_BucketDialog::sizesShowInTheUnitsTyped_data()
{
    QTest::addColumn<qint64>("bytes");
    QTest::addColumn<QString>("shown");
    QTest::newRow("MiB") << qint64(10485760) << u"10MiB"_s;
    QTest::newRow("KiB") << qint64(1024) << u"1KiB"_s;
    QTest::newRow("KiB, not a whole MiB") << qint64(1536 * 1024) << u"1536KiB"_s;
    QTest::newRow("GiB") << (qint64(3) << 30) << u"3GiB"_s;
    QTest::newRow("TiB") << (qint64(5) << 40) << u"5TiB"_s;
    // Units are 1024-based (as kvdesk-cli reads them): a decimal size stays in bytes, exactly.
    QTest::newRow("decimal") << qint64(1000) << u"1000"_s;
    QTest::newRow("not a whole KiB") << qint64(1536) << u"1536"_s;
    QTest::newRow("one byte") << qint64(1) << u"1"_s;
}

// Edit Bucket showed the sizes as bytes ("10485760") where the bucket list says "10 MiB": shown in the
// unit the user would type, only when exact, so an unchanged size saves the same number of bytes.
void tst_BucketDialog::sizesShowInTheUnitsTyped()
{
    QFETCH(qint64, bytes);
    QFETCH(QString, shown);
    KvBucketConfig config;
    config.bucket = u"b"_s;
    config.maxBytes = bytes;
    const bool valueSize = bytes <= KvBucketConfig::LargestMaxValueSize;
    config.maxValueSize = valueSize ? bytes : -1;
    BucketDialog dialog(BucketDialog::Mode::Edit);
    dialog.setConfig(config);
    QCOMPARE(field(&dialog, u"maxBytes"_s)->text(), shown);
    QCOMPARE(field(&dialog, u"maxValueSize"_s)->text(), valueSize ? shown : QString());
    QCOMPARE(dialog.validationError(), QString());
    QCOMPARE(dialog.config().maxBytes, bytes);
    QCOMPARE(dialog.config().maxValueSize, config.maxValueSize);
}

void tst_BucketDialog::problemsShowOnlyOnceTypedOrAccepted()
{
    // A new, untouched form is not an error: no red "bucket name is empty" before anything is typed.
    BucketDialog dialog(BucketDialog::Mode::Create);
    dialog.show();
    auto *error = dialog.findChild<QLabel *>(u"errorLabel"_s);
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(!dialog.validationError().isEmpty());
    QVERIFY2(error->isHidden(), qPrintable(error->text()));

    // Trying to accept it says why, and the dialog stays.
    QVERIFY(ok->isEnabled());
    ok->click();
    QVERIFY(dialog.isVisible());
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), dialog.validationError());

    // Typed: checked as it is typed.
    BucketDialog typed(BucketDialog::Mode::Create);
    typed.show();
    auto *typedError = typed.findChild<QLabel *>(u"errorLabel"_s);
    QLineEdit *name = field(&typed, u"bucketName"_s);
    QTest::keyClicks(name, u"a b"_s);
    QVERIFY(typedError->isVisible());
    QVERIFY(!typed.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
    QTest::keyClick(name, Qt::Key_Backspace);
    QTest::keyClick(name, Qt::Key_Backspace);
    QVERIFY2(typedError->isHidden(), qPrintable(typedError->text()));
    QVERIFY(typed.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->isEnabled());
}

// Each problem of the form at once, the name first as it comes first in the form: fixing one should not
// reveal the next, and an empty name was said only once every other field was right.
void tst_BucketDialog::everyProblemShowsAtOnceInTheFormsOrder()
{
    BucketDialog dialog(BucketDialog::Mode::Create);
    dialog.show();
    field(&dialog, u"ttl"_s)->setText(u"soon"_s);
    field(&dialog, u"maxBytes"_s)->setText(u"-3"_s);
    const QStringList problems = dialog.validationError().split(u'\n');
    QCOMPARE(problems.size(), 3);
    QVERIFY2(problems.at(0).contains(u"name"_s), qPrintable(problems.at(0)));
    QVERIFY2(problems.at(1).startsWith(u"TTL: "_s), qPrintable(problems.at(1)));
    QVERIFY2(problems.at(2).startsWith(u"Max bucket size: "_s), qPrintable(problems.at(2)));

    QTest::keyClicks(field(&dialog, u"bucketName"_s), u"orders"_s);
    QCOMPARE(dialog.validationError().split(u'\n').size(), 2);
    field(&dialog, u"ttl"_s)->clear();
    field(&dialog, u"maxBytes"_s)->clear();
    QCOMPARE(dialog.validationError(), QString());
}

// The dialog grew by the error's lines when one was shown and kept them after it was fixed: an error of a
// line or two moves nothing, a longer one gives its room back once it is gone.
void tst_BucketDialog::anErrorMovesNothingAndGivesItsRoomBack()
{
    BucketDialog dialog(BucketDialog::Mode::Create);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const QRect before = settled(&dialog);
    auto *error = dialog.findChild<QLabel *>(u"errorLabel"_s);
    QLineEdit *name = field(&dialog, u"bucketName"_s);
    QTest::keyClicks(name, u"bad..name"_s);
    QVERIFY(error->isVisible());
    QCOMPARE(settled(&dialog), before);
    name->clear();
    QTest::keyClicks(name, u"good"_s);
    QVERIFY(error->isHidden());
    QCOMPARE(settled(&dialog), before);

    // Three problems at once: room for them, then the dialog as it was.
    QTest::keyClicks(field(&dialog, u"ttl"_s), u"soon"_s);
    QTest::keyClicks(field(&dialog, u"maxBytes"_s), u"-3"_s);
    name->clear();
    QTest::keyClicks(name, u"a b"_s);
    QCOMPARE(dialog.validationError().split(u'\n').size(), 3);
    QVERIFY(error->isVisible());
    const QRect grown = settled(&dialog);
    QCOMPARE(grown.topLeft(), before.topLeft());
    QVERIFY(grown.height() > before.height()); // more than the room kept: what follows gives it back
    QVERIFY2(error->height() >= error->heightForWidth(error->width()),
             qPrintable(u"%1 px for %2 px of text"_s.arg(error->height()).arg(error->heightForWidth(error->width()))));
    for (const QString &fieldName : {u"ttl"_s, u"maxBytes"_s, u"bucketName"_s})
        field(&dialog, fieldName)->clear();
    QTest::keyClicks(field(&dialog, u"bucketName"_s), u"good"_s);
    QVERIFY(error->isHidden());
    QCOMPARE(settled(&dialog), before);
}

// The History box takes 1 to 64: typing "70" left "7" without a word, as a spin box refuses the "0". Then
// the box showed "9" for "99" typed while the note said "99 is more than…", and Create stayed on. The box
// shows what was typed, the error says what is wrong with it and Create waits; the error follows the box
// as it is typed.
void tst_BucketDialog::historyOutOfRangeSaysWhy()
{
    BucketDialog dialog(BucketDialog::Mode::Create);
    dialog.show();
    QTest::keyClicks(field(&dialog, u"bucketName"_s), u"b"_s);
    auto *history = dialog.findChild<QSpinBox *>(u"history"_s);
    auto *error = dialog.findChild<QLabel *>(u"errorLabel"_s);
    QPushButton *create = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(history && error && create);
    history->setFocus();
    history->selectAll();
    QTest::keyClicks(history, u"99"_s);
    QCOMPARE(history->text(), u"99"_s);
    QVERIFY2(error->isVisible() && error->text().contains(u"History: 99"_s) && error->text().contains(u"64"_s),
             qPrintable(u"visible %1: \"%2\""_s.arg(error->isVisible()).arg(error->text())));
    QVERIFY2(dialog.validationError().contains(u"History"_s), qPrintable(dialog.validationError()));
    QVERIFY(!create->isEnabled());
    QTest::keyClick(history, Qt::Key_Return); // the box put back to 9, and the form accepted with it: no
    QCOMPARE(history->text(), u"99"_s);
    QVERIFY(dialog.isVisible());
    QTest::keyClick(history, Qt::Key_Backspace); // "9": right
    QCOMPARE(history->value(), 9);
    QVERIFY2(error->isHidden(), qPrintable(error->text()));
    QVERIFY(create->isEnabled());
    history->selectAll();
    QTest::keyClicks(history, u"0"_s); // too few
    QVERIFY2(error->isVisible() && error->text().contains(u"History: 0"_s), qPrintable(error->text()));
    QVERIFY(!create->isEnabled());
    QTest::keyClicks(history, u"12"_s); // "012"
    QCOMPARE(history->value(), 12);
    QVERIFY2(error->isHidden(), qPrintable(error->text()));
    QVERIFY(create->isEnabled());
}

// "3GiB" as the max value size was said only once every other field was right, and without the field's
// name ("maximum value size must be at most 2147483647 bytes, not 3221225472").
void tst_BucketDialog::tooLargeAValueSizeIsSaidWithItsField()
{
    BucketDialog dialog(BucketDialog::Mode::Create);
    dialog.show();
    field(&dialog, u"maxBytes"_s)->setText(u"-3"_s);
    field(&dialog, u"maxValueSize"_s)->setText(u"3GiB"_s);
    const QStringList problems = dialog.validationError().split(u'\n');
    QCOMPARE(problems.size(), 3); // the name, the bucket size, the value size
    QVERIFY2(problems.at(2).startsWith(u"Max value size: "_s) && problems.at(2).contains(u"2 GiB"_s),
             qPrintable(problems.at(2)));
}

QTEST_MAIN(tst_BucketDialog)
#include "tst_bucketdialog.moc"
