#pragma once

#include <QtCore/QPointer>
#include <QtWidgets/QDialog>

class KeyTtlField;
class KvBucket;
class ErrorLabel;
class QDialogButtonBox;

// Confirms a purge of one key, or of several (counted and named; each one's every revision goes; it cannot
// be undone), and offers a TTL for the purge marker itself (nats-server 2.11+, a bucket with a marker TTL): without one the marker stays until
// the bucket is compacted. The TTL field says why it is disabled where it cannot be used.
class PurgeDialog final : public QDialog
{
    Q_OBJECT

public:
    PurgeDialog(KvBucket *bucket, const QString &key, QWidget *parent = nullptr);
    PurgeDialog(KvBucket *bucket, const QStringList &keys, QWidget *parent = nullptr);

    // The marker's TTL in ns (0: none); valid after the dialog was accepted.
    qint64 markerTtl() const { return m_ttlNs; }

    void accept() override;

private:
    PurgeDialog(KvBucket *bucket, const QString &title, const QString &question, QWidget *parent);
    void validate();

    QPointer<KvBucket> m_bucket;
    KeyTtlField *m_ttl = nullptr;
    ErrorLabel *m_error = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    qint64 m_ttlNs = 0;
};
