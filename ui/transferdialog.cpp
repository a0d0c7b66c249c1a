#include "transferdialog.h"

#include "errorlabel.h"
#include "humanformat.h"
#include "kvbucket.h"
#include "kvexportjob.h"
#include "kvunits.h"
#include "placeholderfit.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtCore/QSet>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtWidgets/QCheckBox>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QFileDialog>
#include <QtWidgets/QFormLayout>
#include <QtWidgets/QGroupBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QLineEdit>
#include <QtWidgets/QMessageBox>
#include <QtWidgets/QProgressBar>
#include <QtWidgets/QPushButton>
#include <QtWidgets/QRadioButton>
#include <QtWidgets/QVBoxLayout>

#include <pwd.h>

using namespace Qt::StringLiterals;

namespace {
QString homeOf(const QString &user)
{
    const QByteArray name = user.toLocal8Bit();
    passwd entry{};
    passwd *found = nullptr;
    QByteArray buffer(16384, Qt::Uninitialized);
    if (getpwnam_r(name.constData(), &entry, buffer.data(), size_t(buffer.size()), &found) != 0 || !found)
        return {};
    return QFile::decodeName(found->pw_dir);
}
} // namespace

TransferDialog::TransferDialog(Mode mode, KvBucket *bucket, const QStringList &selectedKeys, QWidget *parent)
    : QDialog(parent)
    , m_mode(mode)
    , m_bucket(bucket)
    , m_selectedKeys(selectedKeys)
    , m_file(new QLineEdit(this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_message(new ErrorLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this))
{
    const QString bucketName = bucket ? bucket->name() : QString();
    const bool exporting = mode == Mode::Export;
    setObjectName(exporting ? u"exportDialog"_s : u"importDialog"_s);
    setWindowTitle(exporting ? tr("Export Bucket %1").arg(bucketName) : tr("Import into Bucket %1").arg(bucketName));

    QLayout *fileRow = createFileRow(exporting);

    auto *intro = new QLabel(exporting
                                 ? tr("One JSON object per line, as <tt>kvdesk-cli export</tt> writes: key, value "
                                      "(text, or base64 for binary values), revision, operation, created.")
                                 : tr("One JSON object per line, as <tt>kvdesk-cli export</tt> writes. Values are "
                                      "written byte for byte."),
                             this);
    intro->setWordWrap(true);
    m_options = exporting ? buildExportOptions(int(selectedKeys.size())) : buildImportOptions();

    m_progress->setObjectName(u"transferProgress"_s);
    m_progress->hide();
    m_progressText->setObjectName(u"transferProgressText"_s);
    m_message->setObjectName(u"transferMessage"_s);
    // "… does not exist" while a name is typed, a summary after a run: the dialog neither grows nor moves
    // its buttons under the pointer for a line or two.
    m_message->reserveRoom(2);
    m_startButton = m_buttons->addButton(exporting ? tr("&Export") : tr("&Import"), QDialogButtonBox::AcceptRole);
    m_startButton->setObjectName(u"transferStart"_s);
    m_startButton->setToolTip(exporting ? tr("Write the chosen keys to the file; an unfinished file is never left")
                                        : tr("Write the file's keys into the bucket, each as a guarded write"));
    m_startButton->setDefault(true);
    connect(m_startButton, &QPushButton::clicked, this, &TransferDialog::start);
    addCopyProblemsButton();
    connect(m_buttons, &QDialogButtonBox::rejected, this, &TransferDialog::reject);

    auto *fileLabel = new QLabel(tr("&File:"), this);
    fileLabel->setBuddy(m_file);
    auto *form = new QFormLayout;
    form->addRow(fileLabel, fileRow);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_options);
    layout->addWidget(m_progress);
    layout->addWidget(m_progressText);
    layout->addWidget(m_message);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    resize(560, sizeHint().height());
    validate();
    PlaceholderFit::apply(this);
}

QLayout *TransferDialog::createFileRow(bool exporting)
{
    m_file->setObjectName(u"transferFile"_s);
    m_file->setAccessibleName(tr("File"));
    m_file->setPlaceholderText(exporting ? tr("where to write the NDJSON file") : tr("the NDJSON file to read"));
    m_file->setToolTip(exporting ? tr("The NDJSON file to write. ~ is your home folder, and a name without a "
                                      "folder is in your home folder.")
                                 : tr("The NDJSON file to read. ~ is your home folder, and a name without a "
                                      "folder is in your home folder."));
    connect(m_file, &QLineEdit::textChanged, this, [this] {
        // The last run's result was about the file named then (its 100% stayed beside "… does not exist").
        if (!isRunning())
            clearResult();
        validate();
    });
    auto *browseButton = new QPushButton(tr("&Browse…"), this);
    browseButton->setObjectName(u"transferBrowse"_s);
    browseButton->setToolTip(tr("Choose the file in a file dialog"));
    connect(browseButton, &QPushButton::clicked, this, &TransferDialog::browse);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browseButton);
    return fileRow;
}

TransferDialog::~TransferDialog()
{
    // Closing mid-way cancels; an unfinished export file is discarded, never left half-written.
    if (m_exporter)
        m_exporter->cancel();
    if (m_importer)
        m_importer->cancel();
}

QWidget *TransferDialog::buildExportOptions(int selectedCount)
{
    auto *box = new QGroupBox(tr("What"), this);
    m_wholeBucket = new QRadioButton(tr("The &whole bucket: the newest value of every key"), box);
    m_wholeBucket->setObjectName(u"exportWholeBucket"_s);
    m_wholeBucket->setToolTip(tr("One line per key, read from the server as the export runs"));
    m_selected = new QRadioButton(tr("The &selected keys (%n)", nullptr, selectedCount), box);
    m_selected->setObjectName(u"exportSelectedKeys"_s);
    m_selected->setToolTip(tr("Only the keys selected in the key list"));
    m_selected->setEnabled(selectedCount > 0);
    m_includeDeletes = new QCheckBox(tr("Include &deleted keys (their delete and purge markers)"), box);
    m_includeDeletes->setObjectName(u"exportIncludeDeletes"_s);
    m_includeDeletes->setToolTip(tr("An import of the file then deletes those keys too"));
    (selectedCount > 1 ? m_selected : m_wholeBucket)->setChecked(true);
    connect(m_wholeBucket, &QRadioButton::toggled, m_includeDeletes, &QCheckBox::setEnabled);
    m_includeDeletes->setEnabled(m_wholeBucket->isChecked());
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_wholeBucket);
    layout->addWidget(m_includeDeletes);
    layout->addWidget(m_selected);
    return box;
}

QWidget *TransferDialog::buildImportOptions()
{
    auto *box = new QGroupBox(tr("Keys that already exist"), this);
    m_overwrite = new QRadioButton(
        tr("&Overwrite: the imported value becomes their newest revision (a PURGE line wipes that key's history)"),
        box);
    m_overwrite->setObjectName(u"importOverwrite"_s);
    m_overwrite->setToolTip(tr("Earlier revisions stay in the key's history, unless the line is a PURGE"));
    m_skip = new QRadioButton(tr("S&kip them: keep their current value"), box);
    m_skip->setObjectName(u"importSkip"_s);
    m_skip->setToolTip(tr("Keys that have a value before the import keep it, their lines counted as skipped; the "
                          "rest of the file is written as it is, in order"));
    m_stop = new QRadioButton(tr("S&top the import at the first one"), box);
    m_stop->setObjectName(u"importStop"_s);
    m_stop->setToolTip(tr("Nothing after its line is written (the lines go one at a time); what was written "
                          "before it stays written, and the dialog names the key"));
    m_skip->setChecked(true); // the choice that never loses a value
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_overwrite);
    layout->addWidget(m_skip);
    layout->addWidget(m_stop);
    return box;
}

void TransferDialog::setFileName(const QString &path)
{
    m_file->setText(path);
}

// The typed name as a whole path: "~" is the home folder and "~name" that user's, as in a shell, and a
// relative name is in the home folder (the app's working folder is wherever it was started from, which the
// user neither sees nor chose).
QString TransferDialog::fileName() const
{
    QString path = QDir::fromNativeSeparators(m_file->text().trimmed());
    if (path.isEmpty())
        return {};
    if (path.startsWith(u'~')) {
        const qsizetype slash = path.indexOf(u'/');
        const QString user = path.mid(1, slash < 0 ? -1 : slash - 1);
        const QString home = user.isEmpty() ? QDir::homePath() : homeOf(user);
        if (!home.isEmpty()) // a name no user has stays a name, as in a shell
            path = home + (slash < 0 ? QString() : path.mid(slash));
    }
    return QDir::cleanPath(QDir::home().absoluteFilePath(path));
}

void TransferDialog::setSelectedKeysOnly(bool selected)
{
    if (m_selected && m_selected->isEnabled() && selected)
        m_selected->setChecked(true);
    else if (m_wholeBucket)
        m_wholeBucket->setChecked(true);
}

void TransferDialog::setIncludeDeletes(bool include)
{
    if (m_includeDeletes)
        m_includeDeletes->setChecked(include);
}

void TransferDialog::setExistingKeys(KvImportJob::ExistingKeys existing)
{
    if (!m_overwrite)
        return;
    switch (existing) {
    case KvImportJob::ExistingKeys::Overwrite:
        m_overwrite->setChecked(true);
        break;
    case KvImportJob::ExistingKeys::Skip:
        m_skip->setChecked(true);
        break;
    case KvImportJob::ExistingKeys::Stop:
        m_stop->setChecked(true);
        break;
    case KvImportJob::ExistingKeys::Fail:
        break; // kvdesk-cli's --mode create: not a choice here
    }
}

void TransferDialog::setAsOf(const QString &pointText, const QList<KvEntry> &entries, qsizetype unanswerable)
{
    if (m_mode != Mode::Export)
        return;
    m_asOfEntries = entries;
    m_asOfUnanswerable = unanswerable;
    m_wholeBucket->setText(tr("&All the keys listed, %1: each with its value then").arg(pointText));
    m_wholeBucket->setToolTip(tr("The keys the list shows, with their values then; keys deleted then are not in "
                                 "the file"));
    m_selected->setToolTip(tr("Only the keys selected in the list, with their values then"));
    // The values then are what the point answers: a marker is no value, and a delete now is not then.
    m_includeDeletes->setChecked(false);
    m_includeDeletes->setEnabled(false);
    m_includeDeletes->setToolTip(tr("An export as of a point holds the values then, not markers"));
}

KvImportJob::ExistingKeys TransferDialog::existingKeys() const
{
    if (m_overwrite && m_overwrite->isChecked())
        return KvImportJob::ExistingKeys::Overwrite;
    if (m_stop && m_stop->isChecked())
        return KvImportJob::ExistingKeys::Stop;
    return KvImportJob::ExistingKeys::Skip;
}

void TransferDialog::browse()
{
    const QString filter = tr("NDJSON (*.ndjson *.jsonl *.json);;All files (*)");
    const QString suggested = fileName().isEmpty() && m_bucket ? QDir::home().filePath(m_bucket->name() + u".ndjson"_s)
                                                               : fileName();
    const QString path = m_mode == Mode::Export ? QFileDialog::getSaveFileName(this, windowTitle(), suggested, filter)
                                                : QFileDialog::getOpenFileName(this, windowTitle(), fileName(), filter);
    if (path.isEmpty())
        return;
    if (m_mode == Mode::Export)
        m_confirmedPath = path; // the file dialog asked itself whether to replace an existing file
    m_file->setText(path);
}

void TransferDialog::validate()
{
    QString problem;
    if (m_mode == Mode::Import && !fileName().isEmpty() && !QFile::exists(fileName()))
        problem = tr("%1 does not exist").arg(fileName());
    // The problem with the file, or none; a summary of the last run stays until the file changes.
    if (!problem.isEmpty())
        m_message->setMessage(problem);
    else if (std::exchange(m_problemShown, false))
        m_message->setMessage({});
    m_problemShown = !problem.isEmpty();
    m_startButton->setEnabled(!isRunning() && !fileName().isEmpty() && problem.isEmpty() && m_bucket);
}

bool TransferDialog::isRunning() const
{
    return (m_exporter && !m_exporter->isFinished()) || (m_importer && !m_importer->isFinished());
}

QString TransferDialog::summary() const
{
    return m_summary;
}

void TransferDialog::start()
{
    if (isRunning() || !m_bucket || fileName().isEmpty())
        return;
    if (m_mode == Mode::Export && !confirmReplace(fileName()))
        return;
    m_done = false;
    m_summary.clear();
    clearResult(); // also when the new run cannot start: only its error shows
    if (m_mode == Mode::Export)
        startExport();
    else
        startImport();
}

// A name typed over an existing file (Enter starts at once) replaced it without a word: ask, as the file
// dialog does when the file is chosen there.
bool TransferDialog::confirmReplace(const QString &path)
{
    const QFileInfo info(path);
    if (!info.exists() || info.isDir() || path == m_confirmedPath)
        return true; // (a folder: QSaveFile refuses it, and the dialog says so)
    QMessageBox box(QMessageBox::Question, windowTitle(), tr("%1 already exists. Replace it?").arg(path),
                    QMessageBox::Yes | QMessageBox::No, this);
    box.setInformativeText(tr("It is replaced once the export is complete; a cancelled or failed export "
                              "leaves it as it is."));
    box.setDefaultButton(QMessageBox::No);
    if (box.exec() != QMessageBox::Yes)
        return false;
    m_confirmedPath = path;
    return true;
}

void TransferDialog::startExport()
{
    if (m_exporter)
        m_exporter->deleteLater();
    delete m_saveFile;
    m_saveFile = new QSaveFile(fileName(), this);
    if (!m_saveFile->open(QIODevice::WriteOnly)) {
        m_message->setMessage(tr("Cannot write %1: %2").arg(fileName(), m_saveFile->errorString()));
        return;
    }
    m_exporter = new KvExportJob(m_bucket, m_saveFile, this);
    connect(m_exporter, &KvExportJob::progress, this, &TransferDialog::onProgress);
    connect(m_exporter, &KvExportJob::finished, this, &TransferDialog::onExportFinished);
    setRunning(true);
    const bool selectedOnly = m_selected && m_selected->isChecked();
    if (m_asOfEntries) {
        QList<KvEntry> entries = *m_asOfEntries;
        if (selectedOnly) {
            const QSet<QString> chosen(m_selectedKeys.cbegin(), m_selectedKeys.cend());
            entries.removeIf([&chosen](const KvEntry &entry) { return !chosen.contains(entry.key); });
        }
        m_exporter->exportEntries(std::move(entries));
    } else if (selectedOnly)
        m_exporter->exportKeys(m_selectedKeys);
    else
        m_exporter->exportBucket(m_includeDeletes && m_includeDeletes->isChecked());
}

void TransferDialog::startImport()
{
    if (m_importer)
        m_importer->deleteLater();
    delete m_readFile;
    m_readFile = new QFile(fileName(), this);
    if (!m_readFile->open(QIODevice::ReadOnly)) {
        m_message->setMessage(tr("Cannot read %1: %2").arg(fileName(), m_readFile->errorString()));
        return;
    }
    // An empty file "imported 0 written, 0 skipped, 0 failed", which did not say why (a pipe has no size).
    if (!m_readFile->isSequential() && m_readFile->size() == 0) {
        m_message->setMessage(tr("%1 is empty: there is nothing to import").arg(fileName()));
        m_readFile->close();
        return;
    }
    m_importer = new KvImportJob(m_bucket, m_readFile, this);
    connect(m_importer, &KvImportJob::progress, this, &TransferDialog::onProgress);
    connect(m_importer, &KvImportJob::finished, this, &TransferDialog::onImportFinished);
    setRunning(true);
    m_importer->start(existingKeys());
}

void TransferDialog::onProgress(qint64 done, qint64 total)
{
    if (total > 0) {
        // Byte counts of a large file overflow int: show per mille.
        m_progress->setRange(0, 1000);
        m_progress->setValue(int(std::min<qint64>(1000, done * 1000 / total)));
    } else {
        m_progress->setRange(0, 0);
    }
    if (m_exporter)
        m_progressText->setText(tr("%1 of %2 entries").arg(HumanFormat::count(done), HumanFormat::count(total)));
    else if (m_importer && m_importer->isChecking()) // the whole file first; the writes read it again
        m_progressText->setText(tr("Checking the file: %1 of %2 read · %3 lines cannot be imported")
                                    .arg(KvUnits::iBytes(done), total >= 0 ? KvUnits::iBytes(total) : tr("?"),
                                         HumanFormat::count(m_importer->failedCount())));
    else if (m_importer)
        m_progressText->setText(tr("%1 of %2 read · %3 written · %4 skipped · %5 failed")
                                    .arg(KvUnits::iBytes(done), total >= 0 ? KvUnits::iBytes(total) : tr("?"),
                                         HumanFormat::count(m_importer->writtenCount()),
                                         HumanFormat::count(m_importer->skippedCount()),
                                         HumanFormat::count(m_importer->failedCount())));
}

void TransferDialog::onExportFinished()
{
    const KvExportJob *exporter = m_exporter;
    const bool ok = exporter->state() == KvExportJob::State::Finished && m_saveFile->commit();
    if (!ok)
        m_saveFile->cancelWriting(); // nothing half-written replaces the file
    showStopped(ok);
    if (ok) {
        const qint64 done = exporter->writtenCount() + exporter->skippedCount();
        m_progressText->setText(tr("%1 of %2 entries").arg(HumanFormat::count(done), HumanFormat::count(done)));
        m_summary = exporter->writtenCount() == 1
            ? tr("Exported 1 entry to %1").arg(fileName())
            : tr("Exported %1 entries to %2").arg(HumanFormat::count(exporter->writtenCount()), fileName());
        if (exporter->skippedCount() == 1)
            m_summary += tr("; 1 selected key no longer exists");
        else if (exporter->skippedCount() > 1)
            m_summary += tr("; %1 selected keys no longer exist").arg(HumanFormat::count(exporter->skippedCount()));
        if (m_asOfEntries && m_asOfUnanswerable > 0)
            m_summary += m_asOfUnanswerable == 1
                ? tr("; 1 key is not in it: its value then is no longer in the bucket")
                : tr("; %1 keys are not in it: their values then are no longer in the bucket")
                      .arg(HumanFormat::count(m_asOfUnanswerable));
        m_message->setInfo(m_summary);
    } else {
        const QString why = exporter->state() == KvExportJob::State::Cancelled ? tr("cancelled; no file was written")
                                                                               : exporter->errorString();
        m_summary = tr("Export not done: %1").arg(why.isEmpty() ? m_saveFile->errorString() : why);
        m_message->setMessage(m_summary);
    }
    setRunning(false);
    Q_EMIT finished(ok);
}

void TransferDialog::onImportFinished()
{
    const KvImportJob *importer = m_importer;
    const QString counts = tr("%1 written, %2 skipped, %3 failed")
                               .arg(HumanFormat::count(importer->writtenCount()),
                                    HumanFormat::count(importer->skippedCount()),
                                    HumanFormat::count(importer->failedCount()));
    const bool noEntries = importer->writtenCount() + importer->skippedCount() + importer->failedCount() == 0;
    const bool ok = importer->state() == KvImportJob::State::Finished && importer->failedCount() == 0 && !noEntries;
    switch (importer->state()) {
    case KvImportJob::State::Finished:
        m_summary = noEntries ? tr("%1 holds no entries, only empty lines: nothing was imported").arg(fileName())
                              : tr("Imported: %1").arg(counts);
        break;
    case KvImportJob::State::Cancelled:
        m_summary = tr("Import cancelled: %1 before it stopped").arg(counts);
        break;
    default:
        // Refused by the check, the file wrote nothing: not "0 written, 0 skipped, 6 failed" (as the CLI).
        m_summary = importer->refusedCount() > 0
            ? tr("Nothing imported: the check refused %1 of the %2 lines of %3, so nothing "
                 "was written")
                  .arg(HumanFormat::count(importer->refusedCount()), HumanFormat::count(importer->lineCount()),
                       QFileInfo(fileName()).fileName())
            : tr("Import stopped: %1. %2").arg(importer->errorString(), counts);
        break;
    }
    constexpr qsizetype kNamed = 5;
    if (!importer->problems().isEmpty())
        m_summary += u"\n"_s + importer->problems().mid(0, kNamed).join(u'\n');
    if (const qint64 more = importer->failedCount() - kNamed; more > 0) {
        m_summary += u"\n"_s
            + (more == 1 ? tr("…and 1 more failed line (Copy Problems copies them all)")
                         : tr("…and %1 more failed lines (Copy Problems copies them all)").arg(more));
    }
    const QStringList problems = importer->problems();
    m_allProblems = problems.join(u'\n');
    if (const qint64 notKept = importer->failedCount() - problems.size(); notKept > 0)
        m_allProblems += u"\n"_s + tr("…and %1 more failed lines").arg(notKept);
    m_copyProblems->setVisible(!problems.isEmpty());
    showStopped(importer->state() == KvImportJob::State::Finished);
    if (ok)
        m_message->setInfo(m_summary);
    else
        m_message->setMessage(m_summary);
    m_readFile->close();
    setRunning(false);
    Q_EMIT finished(ok);
}

void TransferDialog::setRunning(bool running)
{
    m_done = !running;
    m_options->setEnabled(!running);
    m_file->setEnabled(!running);
    m_progress->setVisible(running || m_progress->isVisible());
    if (running) {
        m_progress->setRange(0, 0);
        m_progressText->setText(tr("Starting…"));
    }
    m_buttons->button(QDialogButtonBox::Cancel)->setText(running ? tr("&Cancel") : tr("&Close"));
    validate();
}

// The bar at the end of a run: full when the job went through, else where the work stopped (a cancelled
// export showed 100% beside "26,798 of 60,000 entries"); still busy means nothing was reported: 0.
void TransferDialog::showStopped(bool whole)
{
    if (whole) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(1000);
    } else if (m_progress->maximum() == 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(0);
    }
}

// Past the five lines a summary names, the failed lines were nowhere to be read: copied whole (those the
// import keeps: the first hundred, in line order), to mend the file by.
void TransferDialog::addCopyProblemsButton()
{
    m_copyProblems = m_buttons->addButton(tr("Copy &Problems"), QDialogButtonBox::ActionRole);
    m_copyProblems->setObjectName(u"copyProblemsButton"_s);
    m_copyProblems->setToolTip(tr("Copy why each line failed to the clipboard"));
    m_copyProblems->hide();
    connect(m_copyProblems, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(m_allProblems); });
}

void TransferDialog::clearResult()
{
    m_copyProblems->hide();
    m_progress->hide();
    m_progressText->clear();
    m_message->setMessage({});
    m_problemShown = false;
}

void TransferDialog::cancel()
{
    if (m_exporter && !m_exporter->isFinished())
        m_exporter->cancel();
    if (m_importer && !m_importer->isFinished())
        m_importer->cancel();
}

void TransferDialog::reject()
{
    // Cancel while running stops the job and keeps the dialog open to show what happened.
    if (isRunning()) {
        cancel();
        return;
    }
    QDialog::reject();
}
