#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class ErrorLabel;
class KvBucket;
class QDialogButtonBox;
class QLineEdit;

// A key opened by its name. For a user who may read a bucket's values but not list its keys (the server
// refuses them the consumer a listing needs), this is the only way to a value in the window; for anyone,
// a key known by name in a bucket of a million. The key is checked as it is typed; Open reads it first
// and stays open with the reason when there is nothing to open (a key never written). A key deleted,
// purged or expired opens: its marker and its history are what there is to see.
class OpenKeyDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit OpenKeyDialog(KvBucket *bucket, QWidget *parent = nullptr);

    QString key() const;

    void accept() override;

private:
    void validate();

    QPointer<KvBucket> m_bucket;
    QLineEdit *m_key = nullptr;
    ErrorLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    bool m_busy = false;
};
