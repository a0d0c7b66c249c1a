#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class ErrorLabel;
class KeyTtlField;
class KvBucket;
class NatsError;
class QComboBox;
class QDialogButtonBox;
class QLineEdit;
class QPlainTextEdit;

// A new key: the key is checked as it is typed, the value in the chosen format, and Create only writes
// if the key does not exist yet (a create, never a put), staying open with the reason when it fails.
// While the create is out the fields are read-only and the dialog cannot be closed: it closes on the
// answer, or says what it was (a create left unanswered may have been stored).
// An optional TTL (nats-server 2.11+, a bucket with a marker TTL) makes the server remove the key after
// that long; where it cannot be used the field is disabled and says why.
class NewKeyDialog final : public QDialog
{
    Q_OBJECT

public:
    explicit NewKeyDialog(KvBucket *bucket, QWidget *parent = nullptr);

    // The key created and its revision, once the dialog is accepted: the key sent, whatever the field shows.
    QString createdKey() const { return m_createdKey; }
    quint64 revision() const { return m_revision; }

    void accept() override;
    void reject() override;

private:
    void validate();
    void setBusy(bool busy);
    void createFinished(const QString &key, const NatsError &error, quint64 revision);

    QPointer<KvBucket> m_bucket;
    QLineEdit *m_key = nullptr;
    QComboBox *m_format = nullptr;
    QPlainTextEdit *m_value = nullptr;
    KeyTtlField *m_ttl = nullptr;
    ErrorLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QString m_createdKey;
    quint64 m_revision = 0;
    // The key of the last create whose answer never came: a later "already exists" for it may be its doing.
    QString m_unansweredKey;
    bool m_busy = false;
};
