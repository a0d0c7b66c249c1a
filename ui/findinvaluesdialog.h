#pragma once

#include <QtCore/QPointer>
#include <QtCore/QStringList>
#include <QtWidgets/QDialog>

class KvBucket;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class ValueSearch;

// Key → Find in Values: a text, or a JSON path with a value ("$.customer.id == 42", ValuePathQuery),
// searched in the latest values of a bucket or of one folder, as the value panel shows them (through the
// decoders), with progress, Cancel and a cap (ValueSearch). A match activated opens its key.
class FindInValuesDialog final : public QDialog
{
    Q_OBJECT

public:
    FindInValuesDialog(KvBucket *bucket, const QStringList &keys, const QString &folder, QWidget *parent = nullptr);

Q_SIGNALS:
    void keyActivated(const QString &key);

private:
    QDialogButtonBox *layoutWidgets();
    void startSearch();
    void showFinished();
    void onModeChanged();

    QPointer<KvBucket> m_bucket;
    QStringList m_keys;
    QPointer<ValueSearch> m_search;
    QComboBox *m_mode = nullptr;
    QLineEdit *m_text = nullptr;
    QLineEdit *m_folder = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QProgressBar *m_progress = nullptr;
    QListWidget *m_results = nullptr;
    QLabel *m_status = nullptr;
};
