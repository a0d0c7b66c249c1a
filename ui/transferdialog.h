#pragma once

#include "kventry.h"
#include "kvexportjob.h"
#include "kvimportjob.h"

#include <QtCore/QList>
#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

#include <optional>

class ErrorLabel;
class KvBucket;
class QCheckBox;
class QDialogButtonBox;
class QFile;
class QLabel;
class QLayout;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSaveFile;

// Exports a bucket (or the selected keys) to an NDJSON file, or imports one into it, in the format of
// `kvdesk-cli export`: a file, what to do with keys that exist, then progress with a Cancel that stops
// at once (an export leaves no half-written file behind; an import reports what it wrote).
class TransferDialog final : public QDialog
{
    Q_OBJECT

public:
    enum class Mode {
        Export,
        Import
    };

    TransferDialog(Mode mode, KvBucket *bucket, const QStringList &selectedKeys, QWidget *parent = nullptr);
    ~TransferDialog() override;

    Mode mode() const { return m_mode; }
    void setFileName(const QString &path);
    // The file as a whole path: ~ is the home folder, and a relative name is in it.
    QString fileName() const;
    void setSelectedKeysOnly(bool selected);
    void setIncludeDeletes(bool include);
    void setExistingKeys(KvImportJob::ExistingKeys existing);
    KvImportJob::ExistingKeys existingKeys() const;
    // Export what the key list shows as of a point (pointText: "as of rev 3 (…)"): entries are the values
    // then, unanswerable the keys whose value then the bucket no longer holds (left out, and said so).
    void setAsOf(const QString &pointText, const QList<KvEntry> &entries, qsizetype unanswerable);

    bool isRunning() const;
    bool isDone() const { return m_done; }
    // What happened, in words (also shown in the dialog).
    QString summary() const;
    KvExportJob *exporter() const { return m_exporter; }
    KvImportJob *importer() const { return m_importer; }

public Q_SLOTS:
    void start();
    void cancel();
    void browse();

Q_SIGNALS:
    void finished(bool ok);

protected:
    void reject() override;

private:
    QLayout *createFileRow(bool exporting);
    QWidget *buildExportOptions(int selectedCount);
    QWidget *buildImportOptions();
    bool confirmReplace(const QString &path);
    void startExport();
    void startImport();
    void onProgress(qint64 done, qint64 total);
    void onExportFinished();
    void onImportFinished();
    void setRunning(bool running);
    void clearResult();
    void addCopyProblemsButton();
    void showStopped(bool whole);
    void validate();

    Mode m_mode;
    QPointer<KvBucket> m_bucket;
    QStringList m_selectedKeys;
    QPointer<KvExportJob> m_exporter;
    QPointer<KvImportJob> m_importer;
    QSaveFile *m_saveFile = nullptr;
    QFile *m_readFile = nullptr;
    QString m_summary;
    QString m_confirmedPath;                     // an existing file the user agreed to replace
    std::optional<QList<KvEntry>> m_asOfEntries; // setAsOf(): the values then
    qsizetype m_asOfUnanswerable = 0;
    bool m_done = false;
    bool m_problemShown = false;

    QLineEdit *m_file = nullptr;
    QRadioButton *m_wholeBucket = nullptr;
    QRadioButton *m_selected = nullptr;
    QCheckBox *m_includeDeletes = nullptr;
    QRadioButton *m_overwrite = nullptr;
    QRadioButton *m_skip = nullptr;
    QRadioButton *m_stop = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_progressText = nullptr;
    ErrorLabel *m_message = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_startButton = nullptr;
    QPushButton *m_copyProblems = nullptr; // after an import with failed lines
    QString m_allProblems;                 // what it copies
    QWidget *m_options = nullptr;
};
