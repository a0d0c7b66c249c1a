#pragma once

#include "kvwatcher.h"

#include <QtWidgets/QDialog>

class ErrorLabel;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;

// "New Watch": which bucket, which keys (one or more filters with NATS wildcards, checked as they are
// typed), and the watch options. The options that do not go together say so at once.
class WatchDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit WatchDialog(const QStringList &buckets, QWidget *parent = nullptr);

    void setBucket(const QString &bucket);
    void setFilterText(const QString &text);
    void setOptions(const KvWatchOptions &options);

    QString bucket() const;
    // The filters typed, split on spaces and commas; empty means the whole bucket.
    QStringList filters() const;
    KvWatchOptions options() const;
    // Why the dialog cannot be accepted as filled in, or an empty string.
    QString problem() const;

public Q_SLOTS:
    void accept() override;

private:
    void describeFields();
    void validate();

    QComboBox *m_bucket = nullptr;
    QLineEdit *m_filter = nullptr;
    QCheckBox *m_includeHistory = nullptr;
    QCheckBox *m_updatesOnly = nullptr;
    QCheckBox *m_ignoreDeletes = nullptr;
    QCheckBox *m_metaOnly = nullptr;
    QLineEdit *m_resumeFrom = nullptr;
    ErrorLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};
