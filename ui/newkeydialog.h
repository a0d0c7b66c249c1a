#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class ErrorLabel;
class KeyTtlField;
class KvBucket;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;

// A new key: the key is checked as it is typed, the value in the chosen format, and Create only writes
// if the key does not exist yet (a create, never a put), staying open with the reason when it fails.
// An optional TTL (nats-server 2.11+, a bucket with a marker TTL) makes the server remove the key after
// that long; where it cannot be used the field is disabled and says why.
class NewKeyDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewKeyDialog(KvBucket *bucket, QWidget *parent = nullptr);

    QString key() const;
    quint64 revision() const { return m_revision; }

    void accept() override;

private:
    void validate();

    QPointer<KvBucket> m_bucket;
    QLineEdit *m_key = nullptr;
    QComboBox *m_format = nullptr;
    QPlainTextEdit *m_value = nullptr;
    KeyTtlField *m_ttl = nullptr;
    ErrorLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    quint64 m_revision = 0;
    bool m_busy = false;
};
