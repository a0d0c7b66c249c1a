#include "errorlabel.h"
#include "jetstreamcontext.h"
#include "kvbucket.h"
#include "kvcontext.h"
#include "kvndjson.h"
#include "kvtestsupport.h"
#include "natsconnection.h"
#include "natsserverprocess.h"
#include "transferdialog.h"
#include "uitestsupport.h"

#include <QtCore/QFile>
#include <QtCore/QScopeGuard>
#include <QtCore/QTemporaryDir>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>
#include <QtWidgets/QApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>

#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

// The bucket export/import dialog against a real nats-server: whole bucket and selected keys, a binary
// round trip through files, the existing-key choices, cancel, and a missing file.
class tst_TransferDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void typingAPathMovesNothing();
    void exportThenImportRoundTripsBytes();
    void exportSelectedKeysOnly();
    void importExistingKeys_data();
    void importExistingKeys();
    void cancelStopsAndSays();
    void missingFileCannotStart();
    void failedLinesAreNamedInOrderAndCounted();
    void exportAsksBeforeReplacingAFile();
    void newRunClearsTheOldResult();
    void emptyFileSaysSo();
    void typedPathsResolveAgainstHome();

private:
    static QByteArray readAll(const QString &path);
    KvBucket *makeBucket(const QString &prefix);
    static QPushButton *startButton(TransferDialog *dialog);

    NatsServerProcess m_server;
    NatsConnection *m_connection = nullptr;
    KvContext *m_kv = nullptr;
    QTemporaryDir m_dir;
    int m_counter = 0;
};

void tst_TransferDialog::initTestCase()
{
    QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
    QVERIFY(KvTest::connectClient(NatsConnectOptions::fromUrl(m_server.url()), this, &m_connection, nullptr, &m_kv));
}

void tst_TransferDialog::init()
{
    ++m_counter;
}

KvBucket *tst_TransferDialog::makeBucket(const QString &prefix)
{
    KvBucketConfig config;
    config.bucket = prefix + QString::number(m_counter);
    config.history = 5;
    return KvTest::createBucket(m_kv, config) ? m_kv->bucket(config.bucket, this) : nullptr;
}

QPushButton *tst_TransferDialog::startButton(TransferDialog *dialog)
{
    return dialog->findChild<QPushButton *>(u"transferStart"_s);
}

QByteArray tst_TransferDialog::readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<cannot read>");
}

// Typing a file name showed "… does not exist" under the field until the name was whole: the dialog grew
// a line and moved its buttons under the pointer, and kept the gap after (a tryout).
void tst_TransferDialog::typingAPathMovesNothing()
{
    KvBucket *bucket = makeBucket(u"typing"_s);
    QVERIFY(bucket);
    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    const int height = dialog.height();
    const QPoint start = startButton(&dialog)->mapTo(&dialog, QPoint());
    auto *file = dialog.findChild<QLineEdit *>(u"transferFile"_s);
    QTemporaryDir dir;
    const QString path = dir.filePath(u"in.ndjson"_s);
    file->setText(path);
    auto *message = dialog.findChild<ErrorLabel *>(u"transferMessage"_s);
    QTRY_VERIFY(message->isVisible() && message->text().contains(u"does not exist"_s));
    QApplication::processEvents();
    QCOMPARE(dialog.height(), height);
    QCOMPARE(startButton(&dialog)->mapTo(&dialog, QPoint()), start);
    QFile created(path);
    QVERIFY(created.open(QIODevice::WriteOnly));
    created.write("{\"key\":\"k\",\"value\":\"v\"}\n");
    created.close();
    file->setText(path + u' '); // trimmed: the same file, which now exists
    QTRY_VERIFY(startButton(&dialog)->isEnabled());
    QCOMPARE(dialog.height(), height);
    QCOMPARE(startButton(&dialog)->mapTo(&dialog, QPoint()), start);
}

void tst_TransferDialog::exportThenImportRoundTripsBytes()
{
    KvBucket *source = makeBucket(u"from"_s);
    QVERIFY(source);
    QByteArray binary;
    for (int i = 0; i < 256; ++i)
        binary.append(char(255 - i));
    WAIT_OK(source->put(u"bin"_s, binary));
    WAIT_OK(source->put(u"text"_s, "naïve café"));
    WAIT_OK(source->put(u"gone"_s, "x"));
    WAIT_OK(source->remove(u"gone"_s));
    const QString path = m_dir.filePath(u"roundtrip.ndjson"_s);

    TransferDialog exportDialog(TransferDialog::Mode::Export, source, {});
    exportDialog.show();
    QVERIFY(!startButton(&exportDialog)->isEnabled()); // no file yet
    exportDialog.findChild<QLineEdit *>(u"transferFile"_s)->setText(path);
    QVERIFY(startButton(&exportDialog)->isEnabled());
    QVERIFY(!exportDialog.findChild<QRadioButton *>(u"exportSelectedKeys"_s)->isEnabled()); // none selected
    exportDialog.findChild<QCheckBox *>(u"exportIncludeDeletes"_s)->setChecked(true);
    QSignalSpy exported(&exportDialog, &TransferDialog::finished);
    startButton(&exportDialog)->click();
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported.first().at(0).toBool(), true);
    QVERIFY2(exportDialog.summary().startsWith(u"Exported 3 entries"_s), qPrintable(exportDialog.summary()));
    QCOMPARE(exportDialog.exporter()->writtenCount(), 3);

    KvBucket *target = makeBucket(u"to"_s);
    QVERIFY(target);
    TransferDialog importDialog(TransferDialog::Mode::Import, target, {});
    importDialog.show();
    importDialog.setFileName(path);
    importDialog.setExistingKeys(KvImportJob::ExistingKeys::Overwrite);
    QSignalSpy imported(&importDialog, &TransferDialog::finished);
    startButton(&importDialog)->click();
    QVERIFY(imported.wait(10000));
    QVERIFY2(imported.first().at(0).toBool(), qPrintable(importDialog.summary()));
    QVERIFY2(importDialog.summary().contains(u"3 written"_s), qPrintable(importDialog.summary()));
    QCOMPARE(KvTest::value(target, u"bin"_s), binary);
    QCOMPARE(KvTest::value(target, u"text"_s), "naïve café"_ba);
    QCOMPARE(KvTest::value(target, u"gone"_s), "<not found>"_ba); // the marker was replayed
}

void tst_TransferDialog::exportSelectedKeysOnly()
{
    KvBucket *bucket = makeBucket(u"sel"_s);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"a"_s, "1"));
    WAIT_OK(bucket->put(u"b"_s, "2"));
    WAIT_OK(bucket->put(u"c"_s, "3"));
    WAIT_OK(bucket->put(u"gone"_s, "4"));
    const QString path = m_dir.filePath(u"selected.ndjson"_s);
    TransferDialog dialog(TransferDialog::Mode::Export, bucket, {u"c"_s, u"a"_s, u"gone"_s});
    dialog.show();
    QVERIFY(dialog.findChild<QRadioButton *>(u"exportSelectedKeys"_s)->isChecked()); // more than one selected
    QVERIFY(dialog.findChild<QRadioButton *>(u"exportSelectedKeys"_s)->text().contains(u"3"_s));
    WAIT_OK(bucket->purge(u"gone"_s)); // by someone else, while the dialog is open
    dialog.setFileName(path);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    startButton(&dialog)->click();
    QVERIFY(finished.wait(10000));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    KvEntry first;
    QVERIFY(KvNdjson::decode(lines[0], &first, nullptr));
    QCOMPARE(first.key, u"c"_s);
    QVERIFY2(dialog.summary().endsWith(u"; 1 selected key no longer exists"_s), qPrintable(dialog.summary()));
}

void tst_TransferDialog::importExistingKeys_data()
{
    QTest::addColumn<KvImportJob::ExistingKeys>("choice");
    QTest::addColumn<QString>("radio");
    QTest::addColumn<QByteArray>("kept");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("summary");
    QTest::newRow("overwrite") << KvImportJob::ExistingKeys::Overwrite << u"importOverwrite"_s << "imported"_ba << true
                               << u"Imported: 3 written, 0 skipped"_s;
    QTest::newRow("skip") << KvImportJob::ExistingKeys::Skip << u"importSkip"_s << "mine"_ba << true
                          << u"Imported: 2 written, 1 skipped"_s;
    QTest::newRow("stop") << KvImportJob::ExistingKeys::Stop << u"importStop"_s << "mine"_ba << false
                          << u"Import stopped: key \"exists\" already exists (line 2)"_s;
}

void tst_TransferDialog::importExistingKeys()
{
    QFETCH(KvImportJob::ExistingKeys, choice);
    QFETCH(QString, radio);
    QFETCH(QByteArray, kept);
    QFETCH(bool, ok);
    QFETCH(QString, summary);
    KvBucket *bucket = makeBucket(u"imp"_s);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"exists"_s, "mine"));
    const QString path = m_dir.filePath(u"import-%1.ndjson"_s.arg(m_counter));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    for (const char *key : {"new1", "exists", "new2"}) {
        KvEntry entry;
        entry.key = QString::fromLatin1(key);
        entry.value = "imported";
        file.write(KvNdjson::encode(entry) + '\n');
    }
    file.close();

    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    QCOMPARE(dialog.existingKeys(), KvImportJob::ExistingKeys::Skip); // the default never loses a value
    dialog.setFileName(path);
    dialog.findChild<QRadioButton *>(radio)->click();
    QCOMPARE(dialog.existingKeys(), choice);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    startButton(&dialog)->click();
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().at(0).toBool(), ok);
    QVERIFY2(dialog.summary().startsWith(summary), qPrintable(dialog.summary()));
    QCOMPARE(KvTest::value(bucket, u"exists"_s), kept);
    QCOMPARE(KvTest::value(bucket, u"new1"_s), "imported"_ba);
    QVERIFY(dialog.findChild<QLabel *>(u"transferMessage"_s)->text().startsWith(summary));
}

void tst_TransferDialog::cancelStopsAndSays()
{
    KvBucket *bucket = makeBucket(u"cancel"_s);
    QVERIFY(bucket);
    const QString path = m_dir.filePath(u"big.ndjson"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    for (int i = 0; i < 20000; ++i) {
        KvEntry entry;
        entry.key = u"k.%1"_s.arg(i);
        entry.value = QByteArray::number(i);
        file.write(KvNdjson::encode(entry) + '\n');
    }
    file.close();
    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    dialog.setFileName(path);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    startButton(&dialog)->click();
    QVERIFY(dialog.isRunning());
    QVERIFY(!startButton(&dialog)->isEnabled());
    QTRY_VERIFY(dialog.importer()->writtenCount() > 0);
    // Cancel (Escape, or the button) stops the job and keeps the dialog open to show what happened.
    dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->click();
    QVERIFY(finished.wait(10000) || finished.size() == 1);
    QVERIFY(dialog.isVisible());
    QVERIFY2(dialog.summary().startsWith(u"Import cancelled"_s), qPrintable(dialog.summary()));
    QVERIFY(dialog.importer()->writtenCount() < 20000);
    QCOMPARE(dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->text(), u"&Close"_s);
    // The bar stays where the work stopped: it said 100% beside "Import cancelled".
    auto *bar = dialog.findChild<QProgressBar *>(u"transferProgress"_s);
    QVERIFY(bar->isVisible());
    QVERIFY2(bar->maximum() > 0 && bar->value() < bar->maximum(), qPrintable(bar->text()));

    // An export cancelled at once writes no file at all.
    const QString out = m_dir.filePath(u"cancelled.ndjson"_s);
    TransferDialog exportDialog(TransferDialog::Mode::Export, bucket, {});
    exportDialog.setFileName(out);
    QSignalSpy exported(&exportDialog, &TransferDialog::finished);
    exportDialog.start();
    exportDialog.cancel();
    QTRY_COMPARE(exported.size(), 1);
    QCOMPARE(exported.first().at(0).toBool(), false);
    QVERIFY(exportDialog.summary().contains(u"cancelled; no file was written"_s));
    QVERIFY(!QFile::exists(out));
    auto *exportBar = exportDialog.findChild<QProgressBar *>(u"transferProgress"_s);
    QVERIFY2(exportBar->maximum() > 0 && exportBar->value() < exportBar->maximum(), qPrintable(exportBar->text()));
}

void tst_TransferDialog::missingFileCannotStart()
{
    KvBucket *bucket = makeBucket(u"missing"_s);
    QVERIFY(bucket);
    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    dialog.setFileName(m_dir.filePath(u"does-not-exist.ndjson"_s));
    QVERIFY(!startButton(&dialog)->isEnabled());
    QVERIFY(dialog.findChild<QLabel *>(u"transferMessage"_s)->text().contains(u"does not exist"_s));
}

// The summary names the first failed lines in line order, and says how many more there are. It named
// five of six, silently, and in the order the failures came: a bad key (found when written) after
// lines that are not entries at all (found when read), so line 3 was the one left out.
void tst_TransferDialog::failedLinesAreNamedInOrderAndCounted()
{
    KvBucket *bucket = makeBucket(u"bad"_s);
    QVERIFY(bucket);
    const QString path = m_dir.filePath(u"bad-%1.ndjson"_s.arg(m_counter));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"key":"good1","value":"1"}
not json
{"key":"b b","value":"x"}
{"value":"nokey"}
{"key":"good2","value":"2"}
{"key":"c","value":"\u00ff","encoding":"base64"}
{"key":"","value":"e"}
{"key":"d.","value":"f"}
)");
    file.close();
    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    dialog.setFileName(path);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    startButton(&dialog)->click();
    QVERIFY(finished.wait(10000));
    const QStringList summary = dialog.summary().split(u'\n');
    // Lines the check refused were never sent: not "0 written, 0 skipped, 6 failed" (try-out 5, as the CLI).
    QVERIFY2(summary.value(0).contains(u"the check refused 6 of the 8 lines"_s), qPrintable(dialog.summary()));
    QVERIFY2(!summary.value(0).contains(u"failed"_s), qPrintable(dialog.summary()));
    QStringList named;
    for (const QString &line : summary) {
        if (line.startsWith(u"line "_s))
            named.append(line.section(u':', 0, 0));
    }
    QCOMPARE(named, (QStringList{u"line 2"_s, u"line 3"_s, u"line 4"_s, u"line 6"_s, u"line 7"_s}));
    QVERIFY2(summary.constLast().contains(u"1 more"_s), qPrintable(dialog.summary()));
    // The line past the fifth was nowhere to be read (a try-out's F19): Copy Problems gives them all.
    auto *copy = dialog.findChild<QPushButton *>(u"copyProblemsButton"_s);
    QVERIFY(copy);
    QVERIFY(copy->isVisible());
    copy->click();
    const QString copied = QGuiApplication::clipboard()->text();
    QVERIFY2(copied.contains(u"line 8: "_s) && copied.contains(u"line 2: "_s), qPrintable(copied));
    // It did not say true that kvdesk-cli lists them all: the CLI names the first 20 and counts the rest.
    QVERIFY2(!dialog.summary().contains(u"kvdesk-cli"_s), qPrintable(dialog.summary()));
    // The file is checked whole first: its good lines are not written either.
    QVERIFY2(dialog.summary().contains(u"nothing was written"_s), qPrintable(dialog.summary()));
    KvReply *good = bucket->get(u"good1"_s);
    QTRY_VERIFY_WITH_TIMEOUT(good->isFinished(), KvTest::ReplyTimeoutMs);
    QCOMPARE(good->error(), NatsError::KeyNotFound);
}

// A path typed over an existing file, then Enter: the export replaced the file without a word. It asks
// (No by default); No writes nothing and leaves the dialog as it was, Yes exports.
void tst_TransferDialog::exportAsksBeforeReplacingAFile()
{
    KvBucket *bucket = makeBucket(u"replace"_s);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k"_s, "v"));
    const QString path = m_dir.filePath(u"existing.ndjson"_s);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("precious\n");
    file.close();

    TransferDialog dialog(TransferDialog::Mode::Export, bucket, {});
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *field = dialog.findChild<QLineEdit *>(u"transferFile"_s);
    field->setFocus();
    QTest::keyClicks(field, path);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    QString asked;
    bool defaultIsNo = false;
    UiTest::onNextDialog<QMessageBox>([&](QMessageBox *box) {
        asked = box->text();
        defaultIsNo = box->defaultButton() == box->button(QMessageBox::No);
        QTest::keyClick(box, Qt::Key_Return); // the default: No
    });
    QTest::keyClick(field, Qt::Key_Return);
    QTRY_VERIFY(!asked.isEmpty());
    QVERIFY2(asked.contains(path) && asked.contains(u"already exists. Replace it?"_s), qPrintable(asked));
    QVERIFY(defaultIsNo);
    QVERIFY(dialog.isVisible());
    QVERIFY(!dialog.exporter());
    QCOMPARE(finished.size(), 0);
    QCOMPARE(readAll(path), "precious\n"_ba);
    QVERIFY(startButton(&dialog)->isEnabled()); // the user may choose another name, or start again

    asked.clear();
    UiTest::onNextDialog<QMessageBox>([&](QMessageBox *box) {
        asked = box->text();
        box->button(QMessageBox::Yes)->click();
    });
    QTest::keyClick(field, Qt::Key_Return);
    QVERIFY(finished.size() == 1 || finished.wait(10000));
    QVERIFY(!asked.isEmpty());
    QVERIFY2(finished.first().at(0).toBool(), qPrintable(dialog.summary()));
    const QByteArray written = readAll(path);
    QVERIFY2(written.contains("\"key\":\"k\"") && !written.contains("precious"), written.constData());
}

// After a run, the next one starting or failing to start showed the old result beside the new error: 100%
// and "60 B of 60 B read · 2 written" next to "… does not exist".
void tst_TransferDialog::newRunClearsTheOldResult()
{
    KvBucket *bucket = makeBucket(u"again"_s);
    QVERIFY(bucket);
    const QString path = m_dir.filePath(u"again-%1.ndjson"_s.arg(m_counter));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"key":"a","value":"1"}
{"key":"b","value":"2"}
)");
    file.close();
    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    dialog.setFileName(path);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    startButton(&dialog)->click();
    QVERIFY(finished.wait(10000));
    auto *bar = dialog.findChild<QProgressBar *>(u"transferProgress"_s);
    auto *progressText = dialog.findChild<QLabel *>(u"transferProgressText"_s);
    QVERIFY(bar->isVisible());
    QVERIFY2(progressText->text().contains(u"2 written"_s), qPrintable(progressText->text()));

    dialog.setFileName(m_dir.filePath(u"not-there.ndjson"_s));
    QVERIFY(dialog.findChild<QLabel *>(u"transferMessage"_s)->text().contains(u"does not exist"_s));
    QVERIFY(!bar->isVisible());
    QVERIFY2(progressText->text().isEmpty() || !progressText->isVisible(), qPrintable(progressText->text()));

    // An export that cannot open its file: only that error shows.
    TransferDialog exportDialog(TransferDialog::Mode::Export, bucket, {});
    exportDialog.show();
    exportDialog.setFileName(m_dir.filePath(u"first-%1.ndjson"_s.arg(m_counter)));
    QSignalSpy exported(&exportDialog, &TransferDialog::finished);
    startButton(&exportDialog)->click();
    QVERIFY(exported.wait(10000));
    auto *exportBar = exportDialog.findChild<QProgressBar *>(u"transferProgress"_s);
    auto *exportText = exportDialog.findChild<QLabel *>(u"transferProgressText"_s);
    QVERIFY(exportBar->isVisible());
    exportDialog.setFileName(m_dir.filePath(u"no-such-folder/out.ndjson"_s));
    startButton(&exportDialog)->click();
    QVERIFY2(exportDialog.findChild<QLabel *>(u"transferMessage"_s)->text().startsWith(u"Cannot write"_s),
             qPrintable(exportDialog.findChild<QLabel *>(u"transferMessage"_s)->text()));
    QVERIFY(!exportBar->isVisible());
    QVERIFY2(exportText->text().isEmpty() || !exportText->isVisible(), qPrintable(exportText->text()));
}

// An empty file imported "0 written, 0 skipped, 0 failed" beside "0 B of ? read": nothing said the file
// was empty, and the size, known, showed as "?". A file of blank lines likewise says it holds no entries.
void tst_TransferDialog::emptyFileSaysSo()
{
    KvBucket *bucket = makeBucket(u"empty"_s);
    QVERIFY(bucket);
    const QString path = m_dir.filePath(u"empty-%1.ndjson"_s.arg(m_counter));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    TransferDialog dialog(TransferDialog::Mode::Import, bucket, {});
    dialog.show();
    dialog.setFileName(path);
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    startButton(&dialog)->click();
    auto *message = dialog.findChild<QLabel *>(u"transferMessage"_s);
    auto *progressText = dialog.findChild<QLabel *>(u"transferProgressText"_s);
    QTRY_VERIFY(!message->text().isEmpty());
    QVERIFY2(message->text().contains(u"is empty"_s) && message->text().contains(u"nothing"_s),
             qPrintable(message->text()));
    QVERIFY2(!progressText->text().contains(u"?"_s), qPrintable(progressText->text()));

    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\n  \n\n");
    file.close();
    startButton(&dialog)->click();
    QTRY_VERIFY(message->text().contains(u"no entries"_s));
    QVERIFY2(message->text().contains(u"nothing"_s), qPrintable(message->text()));
    QVERIFY2(!progressText->text().contains(u"?"_s), qPrintable(progressText->text()));
}

// "~/name" was taken literally ("Cannot write ~/tilde.ndjson: No such file or directory") and a bare name
// went to the app's working folder, with a message that did not say where. ~ is the home folder, a
// relative name is in it, and the messages name the whole path.
void tst_TransferDialog::typedPathsResolveAgainstHome()
{
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QByteArray oldHome = qgetenv("HOME");
    qputenv("HOME", QFile::encodeName(home.path()));
    const auto restoreHome = qScopeGuard([&oldHome] { qputenv("HOME", oldHome); });
    KvBucket *bucket = makeBucket(u"home"_s);
    QVERIFY(bucket);
    WAIT_OK(bucket->put(u"k"_s, "v"));

    TransferDialog dialog(TransferDialog::Mode::Export, bucket, {});
    dialog.show();
    auto *field = dialog.findChild<QLineEdit *>(u"transferFile"_s);
    const QString hint = field->placeholderText() + field->toolTip();
    QVERIFY2(hint.contains(u"home folder"_s), qPrintable(hint));
    QSignalSpy finished(&dialog, &TransferDialog::finished);
    for (const QString &typed : {u"~/tilde.ndjson"_s, u"rel-exp.ndjson"_s}) {
        field->setText(typed);
        const QString expected = home.filePath(typed.startsWith(u'~') ? typed.mid(2) : typed);
        QCOMPARE(dialog.fileName(), expected);
        startButton(&dialog)->click();
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.last().at(0).toBool(), qPrintable(dialog.summary()));
        QVERIFY2(QFile::exists(expected), qPrintable(expected));
        QVERIFY2(dialog.summary().endsWith(u" to %1"_s.arg(expected)), qPrintable(dialog.summary()));
    }

    // "~name" is that user's home folder, as in a shell; a name no user has stays a name.
    const passwd *me = getpwuid(geteuid());
    QVERIFY(me);
    field->setText(u"~%1/other.ndjson"_s.arg(QString::fromLocal8Bit(me->pw_name)));
    QCOMPARE(dialog.fileName(), QDir::cleanPath(QFile::decodeName(me->pw_dir) + u"/other.ndjson"_s));
    field->setText(u"~no_such_user_here/x.ndjson"_s);
    QCOMPARE(dialog.fileName(), home.filePath(u"~no_such_user_here/x.ndjson"_s));

    KvBucket *target = makeBucket(u"homein"_s);
    QVERIFY(target);
    TransferDialog importDialog(TransferDialog::Mode::Import, target, {});
    importDialog.show();
    importDialog.setFileName(u"~/tilde.ndjson"_s);
    QVERIFY(startButton(&importDialog)->isEnabled());
    QSignalSpy imported(&importDialog, &TransferDialog::finished);
    startButton(&importDialog)->click();
    QVERIFY(imported.wait(10000));
    QVERIFY2(imported.first().at(0).toBool(), qPrintable(importDialog.summary()));
    QCOMPARE(KvTest::value(target, u"k"_s), "v"_ba);
    importDialog.setFileName(u"missing.ndjson"_s);
    const QString said = importDialog.findChild<QLabel *>(u"transferMessage"_s)->text();
    QVERIFY2(said.contains(home.filePath(u"missing.ndjson"_s)), qPrintable(said));
}

QTEST_MAIN(tst_TransferDialog)

#include "tst_transferdialog.moc"
