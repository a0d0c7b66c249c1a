#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class DiffView;
class ErrorLabel;
class KvAsOfDiff;
struct KvAsOfPoint;
class KvBucket;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

// The differences of a bucket between two points, or a point and now (KvAsOfDiff): the keys added,
// removed and changed, and for the selected one its value then and then, compared in the diff view (JSON
// normalised, DiffText). Keys either point cannot answer are listed as such, never compared.
class AsOfDiffDialog final : public QDialog
{
    Q_OBJECT

public:
    // from: a revision, an RFC 3339 time or a duration ago; compared at once when given.
    AsOfDiffDialog(KvBucket *bucket, const QString &from, const QString &keyFilter, QWidget *parent = nullptr);
    ~AsOfDiffDialog() override;

    bool isComparing() const;

public Q_SLOTS:
    void compare();

Q_SIGNALS:
    void compared();

private:
    void setUpWidgets();
    QDialogButtonBox *layOut();
    void onFinished();
    // From and To as typed: the first one that is not a point, said, and Compare off until both are.
    void validate();
    QString pointProblem(KvAsOfPoint *from, KvAsOfPoint *to) const;
    void showChange(QTreeWidgetItem *item);

    QPointer<KvBucket> m_bucket;
    QString m_filter;
    QLineEdit *m_from = nullptr;
    QLineEdit *m_to = nullptr;
    QPushButton *m_compare = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_summary = nullptr;
    ErrorLabel *m_error = nullptr;
    QTreeWidget *m_list = nullptr;
    DiffView *m_diffView = nullptr;
    QPointer<KvAsOfDiff> m_diff;
};
